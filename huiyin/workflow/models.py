"""Deadlines: records on the case, one per running clock."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyin.cases.states import CaseStage
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
