"""Retention of petition records (信访档案) and of the personal data in them, and legal holds.

Two clocks start when a case closes:
- the archive clock (`archive_years`, default 10): when it runs out the case is marked *due for
  archival review*; the office then keeps it longer or destroys it. Archives are never destroyed
  by default (only a rule with `archive_action = destroy` lets the job do it);
- the personal-data clock (`personal_data_years`, default 3): when it runs out the identities on
  the case (petitioner, representatives, accused persons, retaliation accounts) are erased and the
  attachments removed; the matter, its timeline and its reply stay.

A legal hold blocks both, and so does anything still open on the case.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyin.core.dates import date_text
from huiyin.core.models import BaseModel

DEFAULT_ARCHIVE_YEARS = 10
DEFAULT_PERSONAL_DATA_YEARS = 3
MAX_YEARS = 100


class ArchiveAction(models.TextChoices):
    REVIEW = "review", _("Mark for archival review")
    DESTROY = "destroy", _("Destroy the case record")


class RetentionRule(BaseModel):
    """How long the closed cases of one category (or, without a category, of every other one) are kept."""

    category = models.ForeignKey(
        "cases.Category",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("Empty: the default rule, for cases whose category has no rule of its own."),
    )
    archive_years = models.PositiveSmallIntegerField(
        _("keep the archive for (years)"),
        null=True,
        blank=True,
        default=DEFAULT_ARCHIVE_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_YEARS)],
        help_text=_("Counted from closing. Empty: keep permanently."),
    )
    personal_data_years = models.PositiveSmallIntegerField(
        _("keep personal data for (years)"),
        default=DEFAULT_PERSONAL_DATA_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_YEARS)],
        help_text=_("Counted from closing; then identities are erased and attachments removed."),
    )
    archive_action = models.CharField(
        _("when the archive period ends"),
        max_length=16,
        choices=ArchiveAction.choices,
        default=ArchiveAction.REVIEW,
    )
    note = models.CharField(_("basis or note"), max_length=200, blank=True)
    # A shortening waits out a notice period (HUIYIN_RETENTION_SHORTENING_DAYS): until `longer_until` the
    # longer of these periods in force before the change and the rule's own apply, so a mistaken or
    # rushed change can be seen on the rules page and undone before anything is erased or destroyed.
    longer = models.JSONField(
        _("periods in force before a shortening"), null=True, blank=True, editable=False, default=None
    )
    longer_until = models.DateTimeField(_("shortening takes effect"), null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = [F("category").asc(nulls_first=True)]
        constraints = [
            # One rule per category, and one default rule (category empty).
            models.UniqueConstraint(Coalesce(F("category"), Value(0)), name="retention_rule_one_per_category"),
            models.CheckConstraint(
                condition=Q(archive_action__in=ArchiveAction.values), name="retention_rule_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(personal_data_years__gte=1) & Q(personal_data_years__lte=MAX_YEARS),
                name="retention_rule_personal_years_range",
            ),
            models.CheckConstraint(
                condition=Q(archive_years__isnull=True) | (Q(archive_years__gte=1) & Q(archive_years__lte=MAX_YEARS)),
                name="retention_rule_archive_years_range",
            ),
            models.CheckConstraint(
                condition=Q(archive_years__isnull=True) | Q(personal_data_years__lte=F("archive_years")),
                name="retention_rule_personal_within_archive",
            ),
            models.CheckConstraint(
                condition=Q(archive_years__isnull=False) | Q(archive_action=ArchiveAction.REVIEW),
                name="retention_rule_permanent_is_never_destroyed",
            ),
            models.CheckConstraint(
                condition=Q(longer__isnull=True, longer_until__isnull=True)
                | Q(longer__isnull=False, longer_until__isnull=False),
                name="retention_rule_longer_with_its_date",
            ),
        ]

    def __str__(self) -> str:
        return str(self.category) if self.category_id else str(_("Default rule"))

    @property
    def is_default(self) -> bool:
        return self.category_id is None

    @property
    def shortening_note(self) -> str:
        """What still applies while a shortening waits out its notice ("" when none does)."""
        if not self.longer or self.longer_until is None or self.longer_until <= timezone.now():
            return ""
        years = self.longer["archive_years"]
        return _(
            "Shorter periods apply from {date}; until then: archive {archive}, personal data {personal} years, {action}."
        ).format(
            date=date_text(self.longer_until),
            archive=_("permanently") if years is None else _("{n} years").format(n=years),
            personal=self.longer["personal_data_years"],
            action=ArchiveAction(self.longer["archive_action"]).label,
        )


class LegalHold(BaseModel):
    """A legal hold on a case (litigation, an investigation, an inspection): nothing on it is removed
    or destroyed while the hold is in force. Lifted with a stated reason, never deleted."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="legal_holds", verbose_name=_("case"))
    reason = models.TextField(_("reason"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set at"))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lifted by")
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-set_at", "-id"]
        permissions = [("lift_legalhold", _("Can lift a legal hold"))]
        indexes = [models.Index(fields=["case"], name="legal_hold_active", condition=Q(lifted_at__isnull=True))]
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True, lift_reason="")
                | (Q(lifted_at__isnull=False) & ~Q(lift_reason="")),
                name="legal_hold_lifted_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.set_at:%Y-%m-%d}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class ArchiveDecision(models.TextChoices):
    KEEP = "keep", _("Keep longer")
    DESTROY = "destroy", _("Destroy")


class ArchiveReview(BaseModel):
    """A closed case whose archive period has ended, waiting for the office's appraisal (档案鉴定)."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="archive_reviews", verbose_name=_("case"))
    due_on = models.DateField(_("archive period ended on"))
    marked_at = models.DateTimeField(_("marked at"))
    decision = models.CharField(_("decision"), max_length=16, choices=ArchiveDecision.choices, blank=True)
    keep_until = models.DateField(_("keep until"), null=True, blank=True)
    note = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("archival review")
        verbose_name_plural = _("archival reviews")
        ordering = ["due_on", "id"]
        permissions = [("review_archive", _("Can decide the archival review of a closed case"))]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(decided_at__isnull=True), name="archive_review_one_open_per_case"
            ),
            models.CheckConstraint(
                condition=~Q(decision=ArchiveDecision.KEEP) | Q(keep_until__isnull=False),
                name="archive_review_keep_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.due_on}"


class PersonalDataErasure(models.Model):
    """The marker left on a case whose personal data was removed under the retention rules.

    `detail` says what was removed (counts and the attachments' hashes, never a name).
    """

    case = models.OneToOneField(
        "cases.Case", models.CASCADE, related_name="personal_data_erasure", verbose_name=_("case")
    )
    erased_at = models.DateTimeField(_("erased at"))
    rule = models.CharField(_("rule"), max_length=80)
    petitioner_erased = models.BooleanField(_("petitioner's identity erased"), default=False)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("personal data removal")
        verbose_name_plural = _("personal data removals")

    def __str__(self) -> str:
        return f"{self.case_id} {self.erased_at:%Y-%m-%d}"


class DestroyedCase(models.Model):
    """The register of destroyed case records (销毁清册): what was destroyed, when, by whom and why."""

    case_no = models.CharField(_("case number"), max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    received_at = models.DateTimeField(_("received at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16)
    unit = models.CharField(_("registering unit"), max_length=100, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed at"))
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("destroyed by"),
    )
    rule = models.CharField(_("rule"), max_length=80, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("destroyed case record")
        verbose_name_plural = _("destroyed case records")
        ordering = ["-destroyed_at", "-id"]

    def __str__(self) -> str:
        return self.case_no
