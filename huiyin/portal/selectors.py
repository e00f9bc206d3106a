"""Reads of the employee portal: what a petitioner may see of their own case, and nothing more.

No staff names, no internal notes, no assignment: the status, the clocks, the reply, the messages.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from huiyin.cases.models import Case
from huiyin.portal.models import CaseMessage
from huiyin.portal.services import can_rate, can_request_review, checkin_pending, rating_due

# The forwarding authority's deadline is an internal matter; every other clock concerns the petitioner.
HIDDEN_CLOCKS = {"forwarded"}


def portal_clocks(case: Case) -> list:
    return [d for d in case.deadlines.order_by("due", "id") if d.kind not in HIDDEN_CLOCKS and d.cancelled_at is None]


def portal_messages(case: Case) -> QuerySet[CaseMessage]:
    return CaseMessage.objects.filter(case=case).order_by("at", "id")


def portal_reply(case: Case) -> Any:
    return case.replies.order_by("-issued_at", "-id").first()


def portal_case_data(case: Case) -> dict:
    """The JSON shape of GET /api/v1/portal/case (labels in the active language)."""
    reply = portal_reply(case)
    checkin = checkin_pending(case)
    rating = case.ratings.filter(stage=case.stage).first()
    return {
        "case_no": case.case_no,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "stage": case.stage,
        "clocks": [
            {
                "rule": d.kind,
                "label": str(d.get_kind_display()),
                "due": d.due.isoformat(),
                "provisional": d.provisional,
                "met": d.met_at is not None,
            }
            for d in portal_clocks(case)
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


def portal_case_by_id(pk: Any) -> Case | None:
    return Case.objects.filter(pk=pk).first()
