"""Reads of the employee portal: what a petitioner may see of their own case, and nothing more.

No staff names, no internal notes, no assignment: the status, the clocks, the reply, the messages,
approved extensions with the reason told to the petitioner, and what the petitioner sent themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyin.cases.models import Case, CaseEvent, EventKind, ExtensionStatus
from huiyin.cases.states import STAGE_ORDER, CaseStage, CaseStatus, reply_label
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


def portal_time(value: datetime) -> str:
    """A time as the portal API answers it: local time (TIME_ZONE) with its offset, to the whole second,
    e.g. 2026-09-08T11:24:00+08:00. The staff API answers in the same zone; one format for every time field."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def portal_clocks(case: Case) -> list:
    return list(case.deadlines.filter(kind__in=PORTAL_CLOCKS, cancelled_at__isnull=True).order_by("due", "id"))


def clock_overdue(deadline: Any, today: date | None = None) -> bool:
    """Open and past the end of its due day."""
    return deadline.met_at is None and deadline.due < (today or timezone.localdate())


def clock_late(deadline: Any, today: date | None = None) -> bool:
    """An answer owed to the petitioner, open and past the end of its due day: someone failed a duty.

    A petitioner's own window (to request a review, to rate) that ended unused is never late: nobody owed
    anything, it simply lapsed. The case page says "Period ended" for it, not "Overdue".
    """
    return deadline.party != Party.PETITIONER and clock_overdue(deadline, today)


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


# What a decision not to handle the matter as a petition is called on the portal; each stage's answer is named by
# `huiyin.cases.states.reply_label`.
DECISIONS = frozenset({CaseStatus.REDIRECTED, CaseStatus.FORWARDED, CaseStatus.NOT_ACCEPTED})


@dataclass(frozen=True)
class PortalDecision:
    """The decision not to handle the matter as a petition, as told to the petitioner: redirected to a
    lawful channel (告知通过法定途径), forwarded to the body with jurisdiction (转送) or not accepted
    (不予受理). Only what the petitioner was told: the decision, the channel or body, the stated reason."""

    kind: str
    label: str
    decided_on: date | None
    channel: str
    channel_label: str
    forwarded_to: str
    reason: str
    next_right: str
    next_right_due: date | None


def _decision_next_right(case: Case) -> str:
    """What the petitioner may do next. None of these decisions opens a petition window of its own, so
    the sentence names where to go, never a date this office does not set."""
    if case.status == CaseStatus.REDIRECTED:
        return _(
            "You may pursue the matter through {channel}. That procedure has its own time limits; ask the body "
            "that handles it."
        ).format(channel=case.get_redirect_channel_display() or _("another lawful procedure"))
    if case.status == CaseStatus.FORWARDED:
        return _("{body} will handle the matter and tell you the result; follow it up with them.").format(
            body=case.forwarded_to
        )
    return _(
        "The matter will not be handled as a petition. If you have new facts or reasons, you may submit them "
        "as a new matter."
    )


def portal_decision(case: Case) -> PortalDecision | None:
    """The decision on a matter that was redirected, forwarded or not accepted; None for any other case."""
    if case.status not in DECISIONS:
        return None
    event = (
        case.events.filter(kind=EventKind.STATUS_CHANGED, to_status=case.status)
        .order_by("-at", "-id")
        .only("at")
        .first()
    )
    return PortalDecision(
        kind=case.status,
        label=str(case.get_status_display()),
        decided_on=timezone.localtime(event.at).date() if event else None,
        channel=case.redirect_channel if case.status == CaseStatus.REDIRECTED else "",
        channel_label=str(case.get_redirect_channel_display()) if case.status == CaseStatus.REDIRECTED else "",
        forwarded_to=case.forwarded_to if case.status == CaseStatus.FORWARDED else "",
        reason=case.disposition_reason,
        next_right=_decision_next_right(case),
        next_right_due=None,
    )


@dataclass(frozen=True)
class PortalStage:
    """One stage as the petitioner lived it: their request that opened it (review, re-review), the written
    answer under its own name, and their rating of that answer."""

    stage: str
    stage_label: str
    reply_label: str
    request: CaseEvent | None
    reply: Any
    rating: Any
    rating_open: bool  # this stage's answer may be rated now (the form sits under it)


def portal_stages(case: Case) -> list[PortalStage]:
    """The stages that have a request, an answer or a rating, in the order they happened."""
    replies = {r.stage: r for r in case.replies.all()}
    ratings = {r.stage: r for r in case.ratings.all()}
    requests: dict[str, CaseEvent] = {}
    for event in portal_review_requests(case):
        stage = CaseStage.REVIEW if event.kind == EventKind.REVIEW_REQUESTED else CaseStage.RECHECK
        requests[stage] = event
    rate_now = can_rate(case)
    result = []
    for stage in STAGE_ORDER:
        if stage not in replies and stage not in ratings and stage not in requests:
            continue
        result.append(
            PortalStage(
                stage=stage,
                stage_label=str(CaseStage(stage).label),
                reply_label=reply_label(stage),
                request=requests.get(stage),
                reply=replies.get(stage),
                rating=ratings.get(stage),
                rating_open=rate_now and stage == case.stage,
            )
        )
    return result


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
                "overdue": clock_late(d, today),
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
        "messages": [{"from": m.direction, "text": m.text, "at": portal_time(m.at)} for m in portal_messages(case)],
        "reply": _reply_data(reply) if reply else None,
        "replies": [_reply_data(s.reply) for s in portal_stages(case) if s.reply is not None],
        "decision": _decision_data(portal_decision(case)),
        "rating": {"rating": rating.rating, "comment": rating.comment} if rating else None,
        "ratings": [
            {
                "stage": r.stage,
                "answer_label": reply_label(r.stage),
                "rating": r.rating,
                "comment": r.comment,
            }
            for r in portal_ratings(case)
        ],
        "review_requests": [
            {"kind": e.kind, "label": str(e.get_kind_display()), "reason": e.text, "at": portal_time(e.at)}
            for e in portal_review_requests(case)
        ],
        "can_rate": can_rate(case),
        "rating_due": (rating_due(case).isoformat() if can_rate(case) and rating_due(case) else None),
        "can_request_review": can_request_review(case),
        "retaliation_checkin": {"day": checkin.day} if checkin else None,
    }


def _reply_data(reply: Any) -> dict:
    return {
        "stage": reply.stage,
        "label": reply_label(reply.stage),
        "text": reply.text,
        "next_right": reply.next_right,
        "next_right_due": reply.next_right_due.isoformat() if reply.next_right_due else None,
        "issued_at": portal_time(reply.issued_at),
    }


def _decision_data(decision: PortalDecision | None) -> dict | None:
    if decision is None:
        return None
    return {
        "kind": decision.kind,
        "label": decision.label,
        "decided_on": decision.decided_on.isoformat() if decision.decided_on else None,
        "channel": decision.channel or None,
        "channel_label": decision.channel_label or None,
        "forwarded_to": decision.forwarded_to or None,
        "reason": decision.reason,
        "next_right": decision.next_right,
        "next_right_due": decision.next_right_due.isoformat() if decision.next_right_due else None,
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
