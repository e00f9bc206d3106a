"""Reads: the access helper and the use-case queries of the staff pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.hooks import work_body
from huiyin.cases.models import (
    Case,
    CaseEvent,
    CaseExtension,
    CaseLink,
    CaseMember,
    CaseReply,
    DraftStatus,
    EventKind,
    ExtensionStatus,
    LinkKind,
    ReplyDraft,
)
from huiyin.cases.states import STAGE_ORDER, CaseStage, CaseStatus
from huiyin.org.models import OrgUnit
from huiyin.org.roles import compartment_remit
from huiyin.org.tree import handling_body, keeps_whole_organisation, office_takes_up


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


def category_list_editable_by(user: Any, perm: str = "cases.change_category") -> bool:
    """The category list is the whole organisation's: kept by the petition office at the top of the tree
    (or a superuser), with the right to `perm` (add, change or delete a category)."""
    return bool(user.is_active and keeps_whole_organisation(user) and user.has_perm(perm))


def case_list_for_user(*, user: Any) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related("unit", "handling_unit", "responsible_leader", "category")


@dataclass
class MyWork:
    to_act: list[Case]
    due_soon: list[Case]
    overdue: list[Case]
    extensions: list[CaseExtension]
    sign_off: list[ReplyDraft]
    drafts_returned: list[ReplyDraft]


def my_work(*, user: Any, today: date, limit: int = 20) -> MyWork:
    """What this user must act on now, what is due soon and what is overdue, in their scope."""
    visible = case_list_for_user(user=user)
    personal = Q(responsible_leader_id=user.pk) | Exists(
        CaseMember.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
    )
    remit = compartment_remit(user)
    if remit is not None:
        visible = visible.filter(Q(compartment=remit) | personal)
    mine = personal
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
    keep = _my_office_work(user)
    to_act = _takes_up_only(visible.filter(act).order_by("received_at", "id"), keep=keep, limit=limit)
    soon = today + timedelta(days=settings.HUIYIN_DUE_SOON_DAYS)
    open_deadlines = _open_unit_deadlines()
    due_soon = _cases_by_deadline(visible, open_deadlines.filter(due__gte=today, due__lte=soon), limit, keep=keep)
    overdue = _cases_by_deadline(visible, open_deadlines.filter(due__lt=today), limit, keep=keep)
    extensions = []
    if user.has_perm("cases.approve_extension"):
        extensions = list(
            CaseExtension.objects.filter(status=ExtensionStatus.REQUESTED, case__in=visible.values("pk"))
            .exclude(requested_by=user)
            .select_related("case", "requested_by")[:limit]
        )
    sign_off, drafts_returned = [], []
    if user.has_perm("cases.reply_case"):
        sign_off = list(reply_drafts_awaiting_sign_off(user=user)[:limit])
    if user.has_perm("cases.draft_reply"):
        drafts_returned = list(reply_drafts_returned_to(user=user)[:limit])
    return MyWork(
        to_act=to_act,
        due_soon=due_soon,
        overdue=overdue,
        extensions=extensions,
        sign_off=sign_off,
        drafts_returned=drafts_returned,
    )


def takes_up(*, user: Any, case: Case, body_of_user: OrgUnit | None = None) -> bool:
    """Whether `case` is work for `user`'s office: any office in scope's, unless a provider
    (`cases.hooks.work_body`) names the body whose work it is; then that body's offices' and those of the
    bodies above it. A review (复查) of 甲公司's decision is not 甲公司's work (Art. 35). For a user whose roles
    have a remit (`org.roles.ROLE_REMIT`: discipline inspection), only the cases of that compartment, and
    those they lead, are work.
    `body_of_user` saves looking up `handling_body(user.unit)` again for every case of a list."""
    remit = compartment_remit(user)
    if remit is not None and case.compartment != remit and case.responsible_leader_id != user.pk:
        return False
    if case.stage == CaseStage.FIRST or user.unit_id is None:
        return True
    body = work_body(case)
    return body is None or office_takes_up(user.unit, body, body_of_user)


def _my_office_work(user: Any) -> Callable[[Case], bool]:
    """Whether a case in `user`'s scope is `user`'s work: in a later stage, if it is their office's (`takes_up`)
    or they lead it or are on its team. The user's own body is looked up once, and at the top not at all."""
    if user.unit_id is None:
        return lambda case: True
    mine = handling_body(user.unit)
    if mine.parent_id is None:
        return lambda case: True  # every body is within the top of the tree

    def keep(case: Case) -> bool:
        return (
            case.stage == CaseStage.FIRST
            or case.responsible_leader_id == user.pk
            or takes_up(user=user, case=case, body_of_user=mine)
            or CaseMember.objects.filter(case=case, user=user).exists()
        )

    return keep


def _takes_up_only(cases: QuerySet[Case], *, keep: Callable[[Case], bool], limit: int, chunk: int = 100) -> list[Case]:
    """The first `limit` of `cases` that `keep` keeps (`takes_up`), reading `chunk` at a time."""
    found: list[Case] = []
    for offset in range(0, chunk * 20, chunk):
        batch = list(cases[offset : offset + chunk])
        found.extend(case for case in batch if keep(case))
        if len(found) >= limit or len(batch) < chunk:
            break
    return found[:limit]


def _open_unit_deadlines() -> QuerySet:
    deadline_model = Case._meta.get_field("deadlines").related_model
    return deadline_model.objects.filter(met_at__isnull=True, cancelled_at__isnull=True, party="unit")


def _cases_by_deadline(
    visible: QuerySet[Case],
    deadlines: QuerySet,
    limit: int,
    chunk: int = 200,
    keep: Callable[[Case], bool] | None = None,
) -> list[Case]:
    """Visible cases of `deadlines` that `keep` keeps (all by default), most urgent first.

    Walks the (small, indexed) set of open deadlines in due order and keeps the visible cases, so the
    cost does not grow with the number of cases; ordering cases and filtering on a rare deadline
    instead makes the planner walk the whole case table.
    """
    rows = deadlines.order_by("due", "case_id").values_list("case_id", "kind", "due")
    labels = dict(deadlines.model._meta.get_field("kind").flatchoices)
    found: dict[int, Case] = {}
    for offset in range(0, chunk * 10, chunk):
        batch = list(rows[offset : offset + chunk])
        if not batch:
            break
        visible_batch = {c.pk: c for c in visible.filter(pk__in=[case_id for case_id, _kind, _due in batch])}
        for case_id, kind, due in batch:
            case = visible_batch.get(case_id)
            if case is not None and case_id not in found and (keep is None or keep(case)):
                # The clock that puts the case on the list, shown beside it (a case may be overdue on one clock
                # and due soon on another).
                case.list_clock = (labels.get(kind, kind), due)
                found[case_id] = case
        if len(found) >= limit:
            break
    return list(found.values())[:limit]


def case_timeline(*, case: Case, user: Any) -> list[CaseEvent]:
    """The case's events, oldest first, as `user` may read them: a link to a case outside their scope (an
    accusation report linked to the matter it concerns, a case of another company) is left out, number, note
    and all, as on the case's list of related cases (`case_links`)."""
    events = list(case.events.select_related("actor").order_by("at", "id"))
    linked = {e.data.get("case_id") for e in events if e.kind == EventKind.LINKED and isinstance(e.data, dict)}
    if not linked:
        return events
    seen = set(Case.objects.visible_to(user).filter(pk__in=linked - {None}).values_list("pk", flat=True))
    return [
        e for e in events if e.kind != EventKind.LINKED or (isinstance(e.data, dict) and e.data.get("case_id") in seen)
    ]


def case_links(*, case: Case, user: Any) -> tuple[QuerySet[CaseLink], QuerySet[CaseLink]]:
    """The case's links (to other cases, from other cases) to cases `user` may see. The others are not shown:
    their number and note would tell a handler of the matter that an accusation report concerns it."""
    visible = Case.objects.visible_to(user)
    return (
        case.links_out.filter(to_case__in=visible.values("pk")).select_related("to_case").order_by("created_at"),
        case.links_in.filter(from_case__in=visible.values("pk")).select_related("from_case").order_by("created_at"),
    )


def repeat_matters(case_ids: Iterable[int]) -> dict[int, int]:
    """For each of `case_ids`, the matter it belongs to: the smallest case id joined to it by repeat-petition
    links (``LinkKind.REPEAT``, either way, also through a case outside `case_ids`). A repeat petition is the
    same person raising the same matter again, so counting people counts each matter once."""
    ids = set(case_ids)
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])  # path halving
            x = parent[x]
        return x

    ordered = sorted(ids)
    for start in range(0, len(ordered), 450):  # two lists of parameters a query: within SQLite's 999
        chunk = ordered[start : start + 450]
        links = CaseLink.objects.filter(kind=LinkKind.REPEAT).filter(
            Q(from_case_id__in=chunk) | Q(to_case_id__in=chunk)
        )
        for a, b in links.values_list("from_case_id", "to_case_id"):
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {i: root(i) for i in ids}


def case_deadlines(*, case: Case) -> list:
    return list(case.deadlines.order_by("due", "id"))


# Reply drafts ------------------------------------------------------------------------------------


def reply_draft_latest(*, case: Case) -> ReplyDraft | None:
    """The newest draft of the case's current stage, whatever its status."""
    return (
        case.reply_drafts.filter(stage=case.stage)
        .select_related("written_by", "decided_by")
        .order_by("-version")
        .first()
    )


def reply_draft_pending(*, case: Case) -> ReplyDraft | None:
    """The draft of the current stage awaiting the responsible leader's sign-off, if any."""
    if case.status != CaseStatus.IN_HANDLING:
        return None
    return case.reply_drafts.filter(stage=case.stage, status=DraftStatus.SUBMITTED).select_related("written_by").first()


def reply_drafts_of_case(*, case: Case) -> QuerySet[ReplyDraft]:
    """Every draft of the case, newest first (the history of the sign-off)."""
    return case.reply_drafts.select_related("written_by", "decided_by").order_by("-created_at", "-version")


def reply_drafts_awaiting_sign_off(*, user: Any) -> QuerySet[ReplyDraft]:
    """Submitted drafts waiting for `user` as the responsible leader of a case they can see, oldest first."""
    visible = Case.objects.visible_to(user).filter(responsible_leader_id=user.pk, status=CaseStatus.IN_HANDLING)
    return (
        ReplyDraft.objects.filter(status=DraftStatus.SUBMITTED, case__in=visible.values("pk"), stage=F("case__stage"))
        .select_related("case", "written_by")
        .order_by("submitted_at", "pk")
    )


def reply_drafts_returned_to(*, user: Any) -> QuerySet[ReplyDraft]:
    """Drafts `user` wrote that the leader returned and nobody has revised since, on cases still in handling."""
    newer = ReplyDraft.objects.filter(
        case_id=OuterRef("case_id"), stage=OuterRef("stage"), version__gt=OuterRef("version")
    )
    visible = Case.objects.visible_to(user).filter(status=CaseStatus.IN_HANDLING)
    return (
        ReplyDraft.objects.filter(
            status=DraftStatus.RETURNED, written_by=user, case__in=visible.values("pk"), stage=F("case__stage")
        )
        .exclude(Exists(newer))
        .select_related("case", "decided_by")
        .order_by("-decided_at", "-pk")
    )


# Stages: who handled each -----------------------------------------------------------------------------

_ASSIGNMENT_KINDS = (EventKind.ASSIGNED, EventKind.REASSIGNED)


def stages_before(stage: str) -> tuple[str, ...]:
    """The stages of a case that come before `stage` (none before the first handling)."""
    return STAGE_ORDER[: STAGE_ORDER.index(stage)] if stage in STAGE_ORDER else ()


def _path_shared(a: OrgUnit, b: OrgUnit) -> int:
    left, right = a.path.strip("/").split("/"), b.path.strip("/").split("/")
    return next((i for i, (x, y) in enumerate(zip(left, right, strict=False)) if x != y), min(len(left), len(right)))


def stage_handling_unit(*, case: Case, stage: str) -> OrgUnit | None:
    """The unit that handled `stage` of `case`: the unit of the stage's last assignment; None if never assigned.

    The case's own `handling_unit` is that of its latest stage only. A stage cannot be reassigned once
    replied, so its last assignment is the one its reply was made under.
    """
    event = case.events.filter(stage=stage, kind__in=_ASSIGNMENT_KINDS).order_by("-at", "-id").first()
    if event is None:
        return None
    data = event.data or {}
    if data.get("unit_id"):
        unit = OrgUnit.objects.filter(pk=data["unit_id"]).first()
        if unit is not None:
            return unit
    return _unit_named(case=case, stage=stage, name=data.get("unit") or "")


def _unit_named(*, case: Case, stage: str, name: str) -> OrgUnit | None:
    """The unit an assignment recorded before assignments kept the unit's id names only by `name`.

    Names repeat across the tree (人力资源部): the unit of that name nearest to whoever issued the stage's
    reply is taken, else the one nearest to the case's current unit.
    """
    current = case.handling_unit if case.handling_unit_id else None
    if not name or (current is not None and current.name == name):
        return current
    candidates = list(OrgUnit.objects.filter(name=name))
    if len(candidates) < 2:
        return candidates[0] if candidates else current
    reply = CaseReply.objects.filter(case=case, stage=stage).select_related("issued_by__unit").first()
    anchor = getattr(reply.issued_by, "unit", None) if reply is not None else None
    anchor = anchor or current
    if anchor is None:
        return candidates[0]
    return max(candidates, key=lambda unit: _path_shared(unit, anchor))


def earlier_stage_units(*, case: Case) -> list[OrgUnit]:
    """The units that handled the stages of `case` before its current one, first stage first."""
    units = (stage_handling_unit(case=case, stage=stage) for stage in stages_before(case.stage))
    return [unit for unit in units if unit is not None]


def earlier_stage_people(*, case: Case) -> set[int]:
    """The ids of everyone who took part in a stage of `case` before its current one: its responsible
    leader and team (everyone it was ever assigned to), whoever drafted or decided on its reply drafts and
    whoever issued its reply."""
    stages = stages_before(case.stage)
    if not stages:
        return set()
    people: set[int] = set()
    for recorded in case.events.filter(stage__in=stages, kind__in=_ASSIGNMENT_KINDS).values_list("data", flat=True):
        data = recorded or {}
        # "added" is everyone newly given the case: all an assignment recorded before the ids were kept tells.
        people.update(
            int(pk) for pk in [*data.get("added", []), *data.get("team_ids", []), data.get("leader_id")] if pk
        )
    issuers = CaseReply.objects.filter(case=case, stage__in=stages).values_list("issued_by_id", flat=True)
    people.update(pk for pk in issuers if pk)
    for written_by, decided_by in ReplyDraft.objects.filter(case=case, stage__in=stages).values_list(
        "written_by_id", "decided_by_id"
    ):
        people.update(pk for pk in (written_by, decided_by) if pk)
    if case.status == CaseStatus.ACCEPTED:
        # Not yet assigned in this stage: the leader and team on the case are still the previous stage's.
        if case.responsible_leader_id:
            people.add(case.responsible_leader_id)
        people.update(CaseMember.objects.filter(case=case).values_list("user_id", flat=True))
    return people
