"""Smart help (ARCHITECTURE §5): suggestions a person confirms, the index behind repeat detection,
hot issues, and the dispute register (矛盾纠纷台账), a register of matters, never of people."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huiyin.core.models import BaseModel
from huiyin.triage.states import (
    DisputeLevel,
    DisputeSource,
    DisputeStatus,
    ModelSource,
    SuggestionKind,
    SuggestionSource,
    SuggestionStatus,
    TrainingStatus,
)

# Routing ---------------------------------------------------------------------------------------


class CategoryRoute(BaseModel):
    """Category → handling unit: the unit suggested for cases of a category.

    A route may apply to one part of the tree only (`scope`: cases registered in, or concerning, that
    unit's subtree); the route with the deepest matching scope wins, a route without scope applies
    everywhere.
    """

    category = models.ForeignKey(
        "cases.Category", models.CASCADE, related_name="triage_routes", verbose_name=_("category")
    )
    scope = models.ForeignKey(
        "org.OrgUnit",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applies to cases of"),
        help_text=_("Empty: the whole organisation."),
    )
    unit = models.ForeignKey("org.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("handling unit"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        verbose_name = _("category route")
        verbose_name_plural = _("category routes")
        ordering = ["category__sort", "category__code", "scope__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "scope"], condition=Q(scope__isnull=False), name="triage_route_category_scope"
            ),
            models.UniqueConstraint(
                fields=["category"], condition=Q(scope__isnull=True), name="triage_route_category_everywhere"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.unit}"


class CategoryKeywords(BaseModel):
    """The keywords of a category for the keyword rules (used until a model is trained).

    Without a row, the built-in keywords of the category's code apply (huiyin.nlp.keyword_rules).
    """

    category = models.OneToOneField(
        "cases.Category",
        models.CASCADE,
        primary_key=True,
        related_name="triage_keywords",
        verbose_name=_("category"),
    )
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("Separated by spaces or new lines."))

    class Meta:
        verbose_name = _("category keywords")
        verbose_name_plural = _("category keywords")

    def __str__(self) -> str:
        return str(self.category)

    @property
    def words(self) -> list[str]:
        return self.keywords.split()


# Classification --------------------------------------------------------------------------------


class TrainedModel(BaseModel):
    """A category model trained from the enterprise's own history (`manage.py triage train`).

    The file lives under HUIYIN_MODEL_DIR, belongs to the enterprise and is never committed or
    shipped. At most one model is active; without one, the keyword rules suggest categories.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    trained_at = models.DateTimeField(_("trained at"))
    source = models.CharField(_("trained from"), max_length=16, choices=ModelSource.choices)
    n_examples = models.PositiveIntegerField(_("training examples"))
    n_heldout = models.PositiveIntegerField(_("held-out examples"), default=0)
    classes = models.JSONField(_("categories"), default=list)
    macro_f1 = models.FloatField(_("macro-F1 (held out)"), null=True, blank=True)
    accuracy = models.FloatField(_("accuracy (held out)"), null=True, blank=True)
    keywords_macro_f1 = models.FloatField(_("macro-F1 of the keyword rules (held out)"), null=True, blank=True)
    report = models.JSONField(_("evaluation"), default=dict, blank=True)
    file_name = models.CharField(_("file"), max_length=200)
    active = models.BooleanField(_("active"), default=False)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("trained by")
    )
    info = models.JSONField(_("training details"), default=dict, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activated by"),
    )

    @property
    def heldout_right(self) -> int | None:
        """How many of the held-out cases the model suggested the right category for (from `accuracy`)."""
        if self.accuracy is None or not self.n_heldout:
            return None
        return round(self.accuracy * self.n_heldout)

    class Meta:
        verbose_name = _("trained model")
        verbose_name_plural = _("trained models")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="triage_model_one_active")
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class TrainingRun(BaseModel):
    """One training of a category model: asked for on the category models page, or `manage.py triage train`.

    A run is pending from the request until it is done or failed; at most one is pending, so two people
    pressing "train" at once, or the page and the command, start one training, not two. With a task queue
    the run waits for a worker (queued), then trains (running); in the embedded mode it trains within the
    request; the command trains in its own process (requested by nobody: the system). While it trains,
    its process records a heartbeat every half minute: a run whose heartbeat stops (its process was
    killed) is given up within minutes instead of blocking training.
    """

    status = models.CharField(_("status"), max_length=16, choices=TrainingStatus.choices, default=TrainingStatus.QUEUED)
    pending = models.BooleanField(_("pending"), default=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    trained_model = models.ForeignKey(
        TrainedModel, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("model")
    )
    error = models.TextField(_("why it failed"), blank=True)

    class Meta:
        verbose_name = _("training run")
        verbose_name_plural = _("training runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pending"], condition=Q(pending=True), name="triage_training_run_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TrainingStatus.values), name="triage_training_run_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.status}"


class Suggestion(BaseModel):
    """A suggestion shown to a person with its reason, then confirmed, corrected or dismissed.

    Decided category suggestions are training data for the next model.
    """

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="triage_suggestions", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=16, choices=SuggestionKind.choices)
    value = models.CharField(_("suggested value"), max_length=80)
    category = models.ForeignKey(
        "cases.Category", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    unit = models.ForeignKey(
        "org.OrgUnit", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("handling unit")
    )
    related_case = models.ForeignKey(
        "cases.Case", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("similar case")
    )
    confidence = models.FloatField(_("confidence"), default=0.0)
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=SuggestionSource.choices)
    trained_model = models.ForeignKey(
        TrainedModel, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("model")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    corrected_category = models.ForeignKey(
        "cases.Category", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("corrected to")
    )
    corrected_unit = models.ForeignKey(
        "org.OrgUnit", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("corrected to")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["case", "kind", "-confidence"]
        permissions = [("confirm_suggestion", _("Can confirm or correct a smart suggestion"))]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=~Q(kind=SuggestionKind.SIMILAR),
                name="triage_suggestion_one_per_kind",
            ),
            models.UniqueConstraint(
                fields=["case", "related_case"],
                condition=Q(kind=SuggestionKind.SIMILAR),
                name="triage_suggestion_similar_once",
            ),
            models.CheckConstraint(condition=Q(status__in=SuggestionStatus.values), name="triage_suggestion_status"),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="triage_suggestion_kind_status")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.value}"

    @property
    def is_open(self) -> bool:
        return self.status == SuggestionStatus.OPEN

    @property
    def final_category(self):
        """The category a person settled on (None while open or when dismissed)."""
        if self.status == SuggestionStatus.CONFIRMED:
            return self.category
        if self.status == SuggestionStatus.CORRECTED:
            return self.corrected_category
        return None

    @property
    def final_category_id(self) -> int | None:
        if self.status == SuggestionStatus.CONFIRMED:
            return self.category_id
        if self.status == SuggestionStatus.CORRECTED:
            return self.corrected_category_id
        return None

    @property
    def final_unit(self):
        """The handling unit a person settled on (None while open or when dismissed)."""
        if self.status == SuggestionStatus.CONFIRMED:
            return self.unit
        if self.status == SuggestionStatus.CORRECTED:
            return self.corrected_unit
        return None

    @property
    def confidence_percent(self) -> int:
        return round(100 * self.confidence)


# Repeat and same-issue index -------------------------------------------------------------------


# The longest word the frequency table keeps; longer tokens (a pasted URL) are rare by nature.
WORD_MAX_LENGTH = 64


class CaseFingerprint(models.Model):
    """The content words of a case (title and body apart), as the similarity index and the hot-issue
    clustering read them: segmenting once at registration keeps lookups and clustering fast."""

    case = models.OneToOneField(
        "cases.Case", models.CASCADE, primary_key=True, related_name="triage_fingerprint", verbose_name=_("case")
    )
    title_words = models.TextField(_("title words"), blank=True)
    body_words = models.TextField(_("body words"), blank=True)
    lsh_version = models.PositiveSmallIntegerField(_("index version"))
    indexed_at = models.DateTimeField(_("indexed at"))

    class Meta:
        verbose_name = _("case fingerprint")
        verbose_name_plural = _("case fingerprints")

    def __str__(self) -> str:
        return str(self.case_id)

    @property
    def word_set(self) -> set[str]:
        return set(self.title_words.split()) | set(self.body_words.split())


class SimilarityKey(models.Model):
    """One lookup key of a case: a MinHash LSH band key (`BANDS`, 24, per case: huiyin.nlp.similar.lsh_keys) or a
    rare-word key (up to `RARE_KEYS`, 8, per case: `rare_word_keys`).

    The primary key (key, case) is the lookup index: a lookup reads a few index pages per key and
    never the table. The foreign key's own index serves re-indexing a case.
    """

    pk = models.CompositePrimaryKey("key", "case")
    key = models.BigIntegerField(_("key"))
    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="+", verbose_name=_("case"))

    class Meta:
        verbose_name = _("similarity key")
        verbose_name_plural = _("similarity keys")

    def __str__(self) -> str:
        return f"{self.key}:{self.case_id}"


class WordFrequency(models.Model):
    """In how many indexed cases a content word occurs (its document frequency), to rank the words two similar
    cases share: the rarer the word, the more it says about why they match ("年终奖" before "一是").

    Recounted from the fingerprints of the general compartment by a periodic job
    (`triage.services.word_frequencies_refresh`); a word of a single case is not stored.
    """

    word = models.CharField(_("word"), max_length=WORD_MAX_LENGTH, primary_key=True)
    cases = models.PositiveIntegerField(_("cases"))

    class Meta:
        verbose_name = _("word frequency")
        verbose_name_plural = _("word frequencies")

    def __str__(self) -> str:
        return f"{self.word}:{self.cases}"


# Hot issues ------------------------------------------------------------------------------------


class HotIssueRun(models.Model):
    """One run of the hot-issue job; the page shows the issues of the latest finished run."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    since = models.DateTimeField(_("cases received since"))
    n_cases = models.PositiveIntegerField(_("cases clustered"), default=0)
    n_clusters = models.PositiveIntegerField(_("clusters"), default=0)
    threshold = models.FloatField(_("similarity threshold"), null=True, blank=True)
    window_days = models.PositiveSmallIntegerField(_("growth window (days)"), default=7)
    seconds = models.FloatField(_("duration (s)"), default=0.0)

    class Meta:
        verbose_name = _("hot-issue run")
        verbose_name_plural = _("hot-issue runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class HotIssueNumber(models.Model):
    """The lasting number of a hot issue, its address (`/triage/hot/<number>/`) from run to run.

    Numbers come from this table's auto-increment key, the database's own sequence: unique and
    increasing on SQLite and PostgreSQL alike, even when two workers run the job at once, and never
    given twice (rows are never deleted). A run carries a number over to the cluster that continues
    the issue (`huiyin.triage.services.hot_issue_numbers_match`).
    """

    number = models.BigAutoField(_("number"), primary_key=True)
    first_listed_at = models.DateTimeField(_("first listed at"))

    class Meta:
        verbose_name = _("hot-issue number")
        verbose_name_plural = _("hot-issue numbers")
        ordering = ["number"]

    def __str__(self) -> str:
        return str(self.number)


class HotIssue(models.Model):
    """A group of recent cases raising the same issue, with the figures it is ranked by.

    Each number keeps one row: the issue as it was last listed. A row of the latest run is a current
    hot issue; a row of an older run is an issue that is no longer hot, kept with its last members
    so that its number still shows what it was (and a later run may pick the number up again).
    """

    run = models.ForeignKey(HotIssueRun, models.CASCADE, related_name="issues", verbose_name=_("run"))
    number = models.PositiveBigIntegerField(_("number"), db_index=True)
    rank = models.PositiveIntegerField(_("rank"))
    size = models.PositiveIntegerField(_("cases"))
    recent = models.PositiveIntegerField(_("cases in the last window"), default=0)
    previous = models.PositiveIntegerField(_("cases in the window before"), default=0)
    growth = models.FloatField(_("growth"), default=1.0)
    units = models.PositiveIntegerField(_("units affected"), default=0)
    headcount = models.PositiveIntegerField(_("people"), default=0)
    score = models.FloatField(_("score"), default=0.0)
    top_terms = models.JSONField(_("key words"), default=list)
    first_at = models.DateTimeField(_("first case"), null=True, blank=True)
    last_at = models.DateTimeField(_("latest case"), null=True, blank=True)

    class Meta:
        verbose_name = _("hot issue")
        verbose_name_plural = _("hot issues")
        ordering = ["run", "rank"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="triage_hot_issue_number_once_per_run")]

    def __str__(self) -> str:
        return " ".join(self.top_terms[:4]) or f"#{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("triage:hot_detail", args=[self.number])


class HotIssueCase(models.Model):
    """A member case of a hot issue, with what the ranking needs (so a user's view can be ranked
    on the members they may see)."""

    issue = models.ForeignKey(HotIssue, models.CASCADE, related_name="members", verbose_name=_("hot issue"))
    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="+", verbose_name=_("case"))
    received_at = models.DateTimeField(_("received at"))
    unit = models.ForeignKey(
        "org.OrgUnit", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    headcount = models.PositiveIntegerField(_("people"), default=1)
    # The matter the case belongs to (`huiyin.cases.selectors.repeat_matters`: a petition and its repeat
    # petitions share one), so that a user's view counts the people of a matter once. None: its own case.
    matter = models.BigIntegerField(_("matter"), null=True, blank=True)

    class Meta:
        verbose_name = _("hot-issue case")
        verbose_name_plural = _("hot-issue cases")
        constraints = [models.UniqueConstraint(fields=["issue", "case"], name="triage_hot_issue_case_once")]

    def __str__(self) -> str:
        return f"{self.issue_id}:{self.case_id}"


# The dispute register (矛盾纠纷台账) ------------------------------------------------------------

# The same bounds as the number of people of a case (the intake form).
HEADCOUNT_MIN = 1
HEADCOUNT_MAX = 100_000


class DisputeEntry(BaseModel):
    """A matter affecting a group, owned by a responsible leader until the three checks hold
    (责任落实, 问题解决, 隐患消除). A register of matters: no field describes a person other than
    the responsible leader, who is staff."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    affected_group = models.CharField(
        _("affected group"), max_length=200, blank=True, help_text=_("e.g. contract workers of the repair workshop")
    )
    headcount = models.PositiveIntegerField(
        _("number of people affected"),
        default=HEADCOUNT_MIN,
        validators=[MinValueValidator(HEADCOUNT_MIN), MaxValueValidator(HEADCOUNT_MAX)],
    )
    unit = models.ForeignKey(
        "org.OrgUnit", models.PROTECT, related_name="dispute_entries_kept", verbose_name=_("register kept by")
    )
    units = models.ManyToManyField(
        "org.OrgUnit", blank=True, related_name="dispute_entries", verbose_name=_("units concerned")
    )
    level = models.CharField(_("level"), max_length=16, choices=DisputeLevel.choices, default=DisputeLevel.GENERAL)
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_entries_owned",
        verbose_name=_("responsible leader"),
    )
    plan = models.TextField(_("plan"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    responsibility_assigned = models.BooleanField(_("responsibility assigned"), default=False)
    problem_solved = models.BooleanField(_("problem solved"), default=False)
    hazard_removed = models.BooleanField(_("hazard removed"), default=False)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="dispute_entries", verbose_name=_("cases"))
    source = models.CharField(_("source"), max_length=16, choices=DisputeSource.choices, default=DisputeSource.MANUAL)
    hot_issue_number = models.PositiveBigIntegerField(
        _("hot issue number"), null=True, blank=True, help_text=_("The hot issue the entry was started from.")
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        verbose_name = _("dispute register entry")
        verbose_name_plural = _("dispute register entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=DisputeLevel.values), name="triage_dispute_level_valid"),
            models.CheckConstraint(condition=Q(status__in=DisputeStatus.values), name="triage_dispute_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=DisputeStatus.RESOLVED)
                | (Q(responsibility_assigned=True) & Q(problem_solved=True) & Q(hazard_removed=True)),
                name="triage_dispute_resolved_needs_three_checks",
            ),
            models.CheckConstraint(
                condition=Q(headcount__gte=HEADCOUNT_MIN) & Q(headcount__lte=HEADCOUNT_MAX),
                name="triage_dispute_headcount_in_range",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="triage_dispute_unit_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("triage:dispute_detail", args=[self.pk])

    @property
    def checks_done(self) -> int:
        return sum([self.responsibility_assigned, self.problem_solved, self.hazard_removed])


class DisputeProgress(BaseModel):
    """One dated step in working a register entry: who, what they wrote, and which of the entry's status,
    level, checks and leader they changed (``changes``: ``[field, old, new]`` with stored values, shown with
    the field's current labels). Appended, never edited: the register's history."""

    entry = models.ForeignKey(DisputeEntry, models.CASCADE, related_name="progress", verbose_name=_("register entry"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    note = models.TextField(_("progress"), blank=True)
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        verbose_name = _("register entry progress")
        verbose_name_plural = _("register entry progress")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.created_at:%Y-%m-%d}"
