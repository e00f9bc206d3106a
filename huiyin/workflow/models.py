"""Deadlines: records on the case, one per running clock."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyin.cases.states import CaseStage
from huiyin.clock import PROFILES, Profile, YearSchedule
from huiyin.core.models import BaseModel


class DeadlineKind(models.TextChoices):
    REGISTER = "register", _("Register and forward, or tell the petitioner")
    HANDLE = "handle", _("Handle and reply")
    REVIEW_REQUEST = "review_request", _("Request a review")
    REVIEW_DECIDE = "review_decide", _("Decide the review")
    RECHECK_REQUEST = "recheck_request", _("Request a re-review")
    RECHECK_DECIDE = "recheck_decide", _("Decide the re-review")
    FORWARDED = "forwarded", _("Report to the forwarding authority")
    RATING = "rating", _("Rate the reply")
    SUPERVISION = "supervision", _("Written feedback on supervision")


class Party(models.TextChoices):
    UNIT = "unit", _("Our obligation")
    PETITIONER = "petitioner", _("Petitioner's window")


class Deadline(BaseModel):
    """A running or finished clock on a case.

    `due` is a date in Asia/Shanghai; a clock is overdue after the end of its due day.
    `told_due` is the date already stated to the petitioner: a later recomputation never shortens it.
    """

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="deadlines", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=DeadlineKind.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=CaseStage.choices)
    party = models.CharField(_("party"), max_length=16, choices=Party.choices, default=Party.UNIT)
    rule = models.CharField(_("rule"), max_length=30, blank=True)
    profile = models.CharField(_("rule profile"), max_length=60, blank=True)
    start = models.DateField(_("start"))
    due = models.DateField(_("due"), db_index=True)
    provisional = models.BooleanField(_("provisional"), default=False)
    told_due = models.DateField(_("date told to the petitioner"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension days"), default=0)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    due_soon_at = models.DateTimeField(_("marked due soon at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["case", "kind"], name="deadline_case_kind"),
            models.Index(
                fields=["party", "due"],
                name="deadline_open_due",
                condition=Q(met_at__isnull=True, cancelled_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "stage"], name="deadline_one_per_kind_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.cancelled_at is None


class HolidaySchedule(BaseModel):
    """The official holiday and make-up workday schedule of one year, loaded by an administrator.

    It replaces the installed package's data or the provisional schedule for that year. Written only
    by `workflow.services.holiday_schedule_load`, which also recomputes the open deadlines.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )
    text = models.TextField(
        _("schedule"), help_text=_("One date per line: YYYY-MM-DD,holiday|workday[,name] (the State Council notice).")
    )
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("e.g. the notice's number."))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("loaded by")
    )

    class Meta:
        verbose_name = _("holiday schedule")
        verbose_name_plural = _("holiday schedules")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def schedule(self) -> YearSchedule:
        return YearSchedule.from_text(self.text, year=self.year)


class ProfileLane(models.TextChoices):
    GENERAL = "general", _("Petitions")
    DISCIPLINE = "discipline", _("Discipline reports")


class RuleProfile(BaseModel):
    """A rule profile kept as data: a built-in profile with some limits shortened (never lengthened).

    `rules` maps rule codes to days or to {"days", "unit", "article", "label_zh", "label_en"}; it is
    validated by `huiyin.clock.Profile.from_dict`. The active profile of a lane applies to new clocks.
    """

    name = models.CharField(
        _("profile name"),
        max_length=60,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9_-]*$", _("Use lower-case letters, digits, '-' and '_'."))],
    )
    label_zh = models.CharField(_("Chinese label"), max_length=100, blank=True)
    label_en = models.CharField(_("English label"), max_length=100, blank=True)
    parent = models.CharField(
        _("based on"), max_length=60, choices=[(name, name) for name in PROFILES], default="national-2022"
    )
    rules = models.JSONField(
        _("shortened limits"),
        default=dict,
        blank=True,
        help_text=_('For example {"handle": 45, "register": {"days": 10, "article": "..."}}.'),
    )
    lane = models.CharField(_("lane"), max_length=16, choices=ProfileLane.choices, default=ProfileLane.GENERAL)
    active = models.BooleanField(_("in force"), default=False, help_text=_("Applies to clocks started from now on."))

    class Meta:
        verbose_name = _("rule profile")
        verbose_name_plural = _("rule profiles")
        ordering = ["lane", "name"]
        constraints = [
            models.UniqueConstraint(fields=["lane"], condition=Q(active=True), name="rule_profile_one_active_per_lane"),
        ]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict:
        data: dict = {"name": self.name, "parent": self.parent, "rules": self.rules or {}}
        if self.label_zh:
            data["label_zh"] = self.label_zh
        if self.label_en:
            data["label_en"] = self.label_en
        return data

    def to_profile(self) -> Profile:
        """The engine's profile; raises `huiyin.clock.ProfileError` when the data would lengthen a limit."""
        return Profile.from_dict(self.as_dict())


class CasePause(BaseModel):
    """Time not counted on the decision clock of a stage (hearing time, Art. 36): an inclusive date range."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="clock_pauses", verbose_name=_("case"))
    stage = models.CharField(_("stage"), max_length=16, choices=CaseStage.choices)
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("time not counted")
        verbose_name_plural = _("time not counted")
        ordering = ["first", "id"]
        permissions = [("record_pause", _("Can record time not counted on a clock (hearing time)"))]
        constraints = [models.CheckConstraint(condition=Q(last__gte=models.F("first")), name="case_pause_ordered")]
        indexes = [models.Index(fields=["case", "stage"], name="case_pause_case_stage")]

    def __str__(self) -> str:
        return f"{self.first}–{self.last}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


class SupervisionLevel(models.TextChoices):
    NORMAL = "normal", _("Supervision")
    LISTED = "listed", _("Listed supervision")


class Supervision(BaseModel):
    """督办: the petition office asks the handling unit for written feedback on a case by a date.

    The feedback date is tracked by a `Deadline` of kind `supervision`; missing it escalates.
    """

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="supervisions", verbose_name=_("case"))
    stage = models.CharField(_("stage"), max_length=16, choices=CaseStage.choices)
    level = models.CharField(
        _("level"), max_length=16, choices=SupervisionLevel.choices, default=SupervisionLevel.NORMAL
    )
    instructions = models.TextField(_("instructions"))
    feedback_due = models.DateField(_("feedback due"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"))
    deadline = models.ForeignKey(
        Deadline, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("clock")
    )
    feedback = models.TextField(_("written feedback"), blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feedback by"),
    )
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_from = models.CharField(
        _("level before escalation"), max_length=16, choices=SupervisionLevel.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["-opened_at", "-id"]
        permissions = [("supervise_case", _("Can put a case under supervision (督办)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(feedback_at__isnull=True, closed_at__isnull=True),
                name="supervision_one_open_per_case",
            ),
            models.CheckConstraint(condition=Q(level__in=SupervisionLevel.values), name="supervision_level_valid"),
        ]
        indexes = [
            models.Index(
                fields=["feedback_due"],
                name="supervision_due_open",
                condition=Q(feedback_at__isnull=True, closed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_level_display()} {self.feedback_due}"

    @property
    def is_open(self) -> bool:
        return self.feedback_at is None and self.closed_at is None

    def is_overdue(self, today) -> bool:
        return self.is_open and today > self.feedback_due
