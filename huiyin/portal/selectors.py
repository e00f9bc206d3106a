"""Reads of the employee portal: what a petitioner may see of their own case, and nothing more.

No staff names, no internal notes, no assignment: the status, the clocks, the reply, the messages,
approved extensions with the reason told to the petitioner, and what the petitioner sent themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from huiyin.cases.models import Case, CaseEvent, EventKind, ExtensionStatus
from huiyin.cases.states import CaseStage
from huiyin.portal.models import CaseMessage
from huiyin.portal.services import can_rate, can_request_review, checkin_pending, rating_due
from huiyin.workflow.models import DeadlineKind, Party

# Only the clocks that concern the petitioner are shown: the answers owed to them and their own windows.
# Internal ones (the forwarding authority's date, supervision feedback, any kind added later) stay hidden.
PORTAL_CLOCKS = frozenset(
    {
        DeadlineKind.REGISTER,
        DeadlineKind.HANDLE,
        DeadlineKind.REVIEW_REQUEST,
        DeadlineKind.REVIEW_DECIDE,
        DeadlineKind.RECHECK_REQUEST,
        DeadlineKind.RECHECK_DECIDE,
        DeadlineKind.RATING,
    }
)
# The clock an approved extension moves, per stage (huiyin.workflow.services.deadline_extend).
DECIDE_CLOCK = {
    CaseStage.FIRST: DeadlineKind.HANDLE,
    CaseStage.REVIEW: DeadlineKind.REVIEW_DECIDE,
    CaseStage.RECHECK: DeadlineKind.RECHECK_DECIDE,
}
REVIEW_EVENTS = (EventKind.REVIEW_REQUESTED, EventKind.RECHECK_REQUESTED)


def portal_clocks(case: Case) -> list:
    return list(case.deadlines.filter(kind__in=PORTAL_CLOCKS, cancelled_at__isnull=True).order_by("due", "id"))


def clock_overdue(deadline: Any, today: date | None = None) -> bool:
    """Open and past the end of its due day."""
    return deadline.met_at is None and deadline.due < (today or timezone.localdate())


def clock_may_move(deadline: Any) -> bool:
    """Still open and resting on a holiday schedule not yet published: the date may change.

    A clock already met no longer depends on any schedule, so it is never said to be provisional.
    """
    return bool(deadline.provisional) and deadline.met_at is None


@dataclass(frozen=True)
class PortalExtension:
    """An approved extension as told to the petitioner; `due` is the new date (on the latest one of a stage)."""

    stage: str
    stage_label: str
    days: int
    reason: str
    approved_on: date | None
    due: date | None


def portal_extensions(case: Case) -> list[PortalExtension]:
    """Approved extensions of the handling period, oldest first. Only the reason, never the decision note."""
    approved = list(
        case.extensions.filter(status=ExtensionStatus.APPROVED)
        .order_by("decided_at", "id")
        .only("stage", "days", "reason", "decided_at")
    )
    if not approved:
        return []
    clocks = {
        d.stage: d for d in case.deadlines.filter(kind__in=DECIDE_CLOCK.values()) if DECIDE_CLOCK.get(d.stage) == d.kind
    }
    latest = {ext.stage: ext.pk for ext in approved}
    result = []
    for ext in approved:
        clock = clocks.get(ext.stage) if latest[ext.stage] == ext.pk else None
        result.append(
            PortalExtension(
                stage=ext.stage,
                stage_label=str(ext.get_stage_display()),
                days=ext.days,
                reason=ext.reason,
                approved_on=timezone.localtime(ext.decided_at).date() if ext.decided_at else None,
                due=(clock.told_due or clock.due) if clock else None,
            )
        )
    return result


def portal_attachment_names(case: Case) -> list[str]:
    """The names of the files the petitioner sent: through the portal, or handed in with the petition and
    attached by the clerk when registering it. Files staff add later (investigation notes) are internal."""
    registered_at = case.events.filter(kind=EventKind.REGISTERED).order_by("at").values_list("at", flat=True)[:1]
    with_petition = case.events.filter(kind=EventKind.ATTACHMENT_ADDED, at__in=registered_at).values_list(
        "data__attachment", flat=True
    )
    return list(
        case.attachments.filter(Q(uploaded_by__isnull=True) | Q(pk__in=list(with_petition)))
        .order_by("created_at", "id")
        .values_list("original_name", flat=True)
    )


def portal_ratings(case: Case) -> list:
    """The petitioner's ratings of every stage's reply, oldest first (only rating and comment are shown)."""
    return list(case.ratings.order_by("rated_at", "id"))


def portal_review_requests(case: Case) -> list[CaseEvent]:
    """The review and re-review requests with the petitioner's reason, oldest first."""
    return list(case.events.filter(kind__in=REVIEW_EVENTS).order_by("at", "id").only("kind", "stage", "at", "text"))


def portal_messages(case: Case) -> QuerySet[CaseMessage]:
    return CaseMessage.objects.filter(case=case).order_by("at", "id")


def portal_reply(case: Case) -> Any:
    return case.replies.order_by("-issued_at", "-id").first()


def portal_case_data(case: Case) -> dict:
    """The JSON shape of GET /api/v1/portal/case (labels in the active language)."""
    reply = portal_reply(case)
    checkin = checkin_pending(case)
    rating = case.ratings.filter(stage=case.stage).first()
    today = timezone.localdate()
    return {
        "case_no": case.case_no,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "stage": case.stage,
        "content": case.content,
        "attachments": [{"name": name} for name in portal_attachment_names(case)],
        "clocks": [
            {
                "rule": d.kind,
                "label": str(d.get_kind_display()),
                "due": d.due.isoformat(),
                "provisional": clock_may_move(d),
                "met": d.met_at is not None,
                "overdue": clock_overdue(d, today),
                "petitioner_window": d.party == Party.PETITIONER,
            }
            for d in portal_clocks(case)
        ],
        "extensions": [
            {
                "stage": e.stage,
                "days": e.days,
                "reason": e.reason,
                "approved_on": e.approved_on.isoformat() if e.approved_on else None,
                "due": e.due.isoformat() if e.due else None,
            }
            for e in portal_extensions(case)
        ],
        "messages": [{"from": m.direction, "text": m.text, "at": m.at.isoformat()} for m in portal_messages(case)],
        "reply": (
            {
                "stage": reply.stage,
                "text": reply.text,
                "next_right": reply.next_right,
                "next_right_due": reply.next_right_due.isoformat() if reply.next_right_due else None,
                "issued_at": reply.issued_at.isoformat(),
            }
            if reply
            else None
        ),
        "rating": {"rating": rating.rating, "comment": rating.comment} if rating else None,
        "ratings": [{"stage": r.stage, "rating": r.rating, "comment": r.comment} for r in portal_ratings(case)],
        "review_requests": [
            {"kind": e.kind, "label": str(e.get_kind_display()), "reason": e.text, "at": e.at.isoformat()}
            for e in portal_review_requests(case)
        ],
        "can_rate": can_rate(case),
        "rating_due": (rating_due(case).isoformat() if can_rate(case) and rating_due(case) else None),
        "can_request_review": can_request_review(case),
        "retaliation_checkin": {"day": checkin.day} if checkin else None,
    }


def portal_cases_of(account: Any) -> QuerySet[Case]:
    """The cases a signed-in named petitioner submitted (their petitioner record is linked to the account)."""
    if not getattr(account, "is_authenticated", False):
        return Case.objects.none()
    return Case.objects.filter(petitioner__account_id=account.pk).order_by("-received_at", "-id")


def portal_case_of(account: Any, case_no: str) -> Case | None:
    return portal_cases_of(account).filter(case_no=case_no).first()


# A clerk who registered an accusation cannot see it afterwards (the discipline compartment); they may
# still print its first receipt slip for this long after registering it.
SLIP_GRACE_SECONDS = 2 * 3600


def receipt_slip_case_for(*, user: Any, case_no: str) -> Case | None:
    """The case `user` may print a receipt slip for: one in their scope, or — first slip only — one they
    registered in the last two hours."""
    case = Case.objects.visible_to(user).filter(case_no=case_no).first()
    if case is not None:
        return case
    return (
        Case.objects.filter(
            case_no=case_no,
            registered_by_id=user.pk,
            created_at__gte=timezone.now() - timedelta(seconds=SLIP_GRACE_SECONDS),
        )
        .exclude(receipts__isnull=False)
        .first()
    )


def acceptance_clock(case: Case) -> Any:
    """The clock of the decision whether to accept (Art. 22: within 15 days of receipt), if one runs."""
    return case.deadlines.filter(kind=DeadlineKind.REGISTER, stage=CaseStage.FIRST, cancelled_at__isnull=True).first()


def portal_case_by_id(pk: Any) -> Case | None:
    return Case.objects.filter(pk=pk).first()
