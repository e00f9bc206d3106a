"""Reads of the retention app: what blocks a removal, what is due, what the case page shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyin.cases.models import Case
from huiyin.retention.models import ArchiveReview, LegalHold, PersonalDataErasure
from huiyin.retention.policies import CLOSED_STATES, Policy, cutoff_q, policies, policy_for

# Why a case's data cannot be removed now.
HOLD = "hold"
NOT_CLOSED = "not_closed"
OPEN_REVIEW = "open_review"
OPEN_DEADLINE = "open_deadline"
OPEN_FOLLOWUP = "open_followup"
BLOCKER_LABELS = {
    HOLD: _("legal hold"),
    NOT_CLOSED: _("the case is not closed"),
    OPEN_REVIEW: _("a review or re-review may still be requested"),
    OPEN_DEADLINE: _("an open deadline"),
    OPEN_FOLLOWUP: _("an open retaliation follow-up"),
}
REVIEW_WINDOWS = ("review_request", "recheck_request")


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def active_holds(case_ids: Iterable[int]) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(case_id__in=list(case_ids), lifted_at__isnull=True)


def retention_blockers(*, cases: Iterable[Case], today: date | None = None) -> dict[int, list[str]]:
    """For each case, the reasons nothing may be removed from it now (empty: nothing blocks).

    A constant number of queries for any number of cases. A petitioner's window that has lapsed
    (a review never requested) no longer blocks; the unit's own open clocks always do.
    """
    from huiyin.portal.models import FollowUpStatus, RetaliationFollowUp
    from huiyin.workflow.models import Deadline, Party

    cases = list(cases)
    today = today or timezone.localdate()
    ids = [c.pk for c in cases]
    result: dict[int, list[str]] = {c.pk: [] for c in cases}
    for c in cases:
        if c.status not in CLOSED_STATES:
            result[c.pk].append(NOT_CLOSED)
    for case_id in set(active_holds(ids).values_list("case_id", flat=True)):
        result[case_id].append(HOLD)
    running = Deadline.objects.filter(case_id__in=ids, met_at__isnull=True, cancelled_at__isnull=True).filter(
        Q(party=Party.UNIT) | Q(due__gte=today)
    )
    for case_id, kind in set(running.values_list("case_id", "kind")):
        reason = OPEN_REVIEW if kind in REVIEW_WINDOWS else OPEN_DEADLINE
        if reason not in result[case_id]:
            result[case_id].append(reason)
    followups = RetaliationFollowUp.objects.filter(case_id__in=ids, status=FollowUpStatus.OPEN)
    for case_id in set(followups.values_list("case_id", flat=True)):
        result[case_id].append(OPEN_FOLLOWUP)
    return result


def blocker_labels(codes: Iterable[str]) -> list[str]:
    return [str(BLOCKER_LABELS[c]) for c in codes]


# What is due -------------------------------------------------------------------------------------


def personal_data_due_cases(*, now: datetime, table=None) -> QuerySet[Case]:
    """Closed cases whose personal-data period has run out and whose data is still there."""
    table = table or policies()
    return (
        Case.objects.filter(cutoff_q(now=now, years_of=lambda p: p.personal_data_years, table=table))
        .exclude(Exists(PersonalDataErasure.objects.filter(case_id=OuterRef("pk"))))
        .order_by("pk")
    )


def archive_due_cases(*, now: datetime, table=None) -> QuerySet[Case]:
    """Closed cases whose archive period has run out, not waiting for a review, not kept on past today."""
    table = table or policies()
    today = local_date(now)
    return (
        Case.objects.filter(cutoff_q(now=now, years_of=lambda p: p.archive_years, table=table))
        .exclude(Exists(ArchiveReview.objects.filter(case_id=OuterRef("pk"), decided_at__isnull=True)))
        .exclude(Exists(ArchiveReview.objects.filter(case_id=OuterRef("pk"), keep_until__gt=today)))
        .order_by("pk")
    )


def pending_reviews_for(*, user) -> QuerySet[ArchiveReview]:
    """Archival reviews waiting for a decision, on cases the user may see."""
    visible = Case.objects.visible_to(user).filter(pk=OuterRef("case_id"))
    return (
        ArchiveReview.objects.filter(decided_at__isnull=True)
        .filter(Exists(visible))
        .select_related("case", "case__category", "case__unit")
        .order_by("due_on", "id")
    )


def waiting_personal_data_for(*, user, now: datetime | None = None) -> QuerySet[Case]:
    """Cases in the user's scope whose personal data is due for removal but still there (held or still open)."""
    now = now or timezone.now()
    return (
        personal_data_due_cases(now=now)
        .filter(pk__in=Case.objects.visible_to(user).values("pk"))
        .select_related("category", "unit")
    )


@dataclass
class DueRow:
    case: Case
    policy: Policy
    due: date | None
    blockers: list[str] = field(default_factory=list)

    @property
    def blocker_labels(self) -> list[str]:
        return blocker_labels(self.blockers)


def due_rows(*, cases: Iterable[Case], personal: bool, today: date | None = None) -> list[DueRow]:
    """Rows of the due list for one page of cases: the rule that applies, the date, what blocks."""
    cases = list(cases)
    table = policies()
    blockers = retention_blockers(cases=cases, today=today)
    rows = []
    for case in cases:
        policy = policy_for(case.category_id, table)
        closed = local_date(case.closed_at) if case.closed_at else None
        if closed is None:
            due = None
        else:
            due = policy.personal_data_due(closed) if personal else policy.archive_due(closed)
        rows.append(DueRow(case, policy, due, blockers[case.pk]))
    return rows


# The case page -----------------------------------------------------------------------------------


def case_retention_state(*, case: Case) -> dict:
    """Holds, the personal-data marker and the archival review of one case, and its due dates."""
    holds = list(LegalHold.objects.filter(case=case).select_related("set_by", "lifted_by"))
    erasure = PersonalDataErasure.objects.filter(case=case).first()
    review = ArchiveReview.objects.filter(case=case).select_related("decided_by").order_by("-id").first()
    policy = policy_for(case.category_id)
    closed = local_date(case.closed_at) if case.closed_at and case.status in CLOSED_STATES else None
    return {
        "holds": holds,
        "active_holds": [h for h in holds if h.active],
        "erasure": erasure,
        "review": review,
        "policy": policy,
        "personal_data_due": policy.personal_data_due(closed) if closed else None,
        "archive_due": policy.archive_due(closed) if closed else None,
    }
