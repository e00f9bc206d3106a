"""Reads: the access helper and the use-case queries of the staff pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.models import Case, CaseExtension, CaseMember, ExtensionStatus
from huiyin.cases.states import CaseStatus


def case_get_for_user(*, user: Any, pk: int, perm: str = "cases.view_case") -> Case:
    """Return the case if `user` holds `perm` and the case is in their scope; otherwise 403 or 404.

    "Not yours" and "does not exist" are the same 404, and the denial is logged.
    """
    if not user.has_perm(perm):
        audit_record(
            actor=user,
            action=AuditAction.ACCESS_DENIED,
            object_type="cases.case",
            object_id=str(pk),
            detail={"perm": perm},
        )
        raise PermissionDenied
    try:
        return (
            Case.objects.visible_to(user)
            .select_related("unit", "handling_unit", "responsible_leader", "category", "petitioner", "registered_by")
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError):
        audit_record(
            actor=user,
            action=AuditAction.ACCESS_DENIED,
            object_type="cases.case",
            object_id=str(pk),
            detail={"perm": perm, "reason": "not_found_or_out_of_scope"},
        )
        raise Http404 from None


def case_list_for_user(*, user: Any) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related("unit", "handling_unit", "responsible_leader", "category")


@dataclass
class MyWork:
    to_act: list[Case]
    due_soon: list[Case]
    overdue: list[Case]
    extensions: list[CaseExtension]


def my_work(*, user: Any, today: date, limit: int = 20) -> MyWork:
    """What this user must act on now, what is due soon and what is overdue, in their scope."""
    visible = case_list_for_user(user=user)
    mine = Q(responsible_leader_id=user.pk) | Exists(CaseMember.objects.filter(case_id=OuterRef("pk"), user_id=user.pk))
    if user.unit_id is not None:
        mine |= Q(handling_unit_id=user.unit_id)
    act = Q(pk__in=[])
    if user.has_perm("cases.screen_case"):
        act |= Q(status=CaseStatus.REGISTERED)
    if user.has_perm("cases.assign_case"):
        act |= Q(status=CaseStatus.ACCEPTED)
    if user.has_perm("cases.handle_case") or user.has_perm("cases.reply_case"):
        act |= Q(status=CaseStatus.IN_HANDLING) & mine
    if user.has_perm("cases.close_case"):
        act |= Q(status=CaseStatus.REPLIED)
    to_act = list(visible.filter(act).order_by("received_at")[:limit])
    soon = today + timedelta(days=settings.HUIYIN_DUE_SOON_DAYS)
    due_soon = list(
        visible.open()
        .with_open_deadline(due_by=soon)
        .exclude(pk__in=visible.with_open_deadline(overdue_on=today).values("pk"))
        .order_by("received_at")[:limit]
    )
    overdue = list(visible.with_open_deadline(overdue_on=today).order_by("received_at")[:limit])
    extensions = []
    if user.has_perm("cases.approve_extension"):
        extensions = list(
            CaseExtension.objects.filter(status=ExtensionStatus.REQUESTED, case__in=visible.values("pk"))
            .exclude(requested_by=user)
            .select_related("case", "requested_by")[:limit]
        )
    return MyWork(to_act=to_act, due_soon=due_soon, overdue=overdue, extensions=extensions)


def case_timeline(*, case: Case) -> QuerySet:
    return case.events.select_related("actor").order_by("at", "id")


def case_deadlines(*, case: Case) -> list:
    return list(case.deadlines.order_by("due", "id"))
