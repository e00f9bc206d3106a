"""Deadlines: opened, met, extended and cancelled in reaction to case events."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from huiyin.cases.models import Case, CaseEvent, EventKind
from huiyin.cases.states import TERMINAL, CaseStage, CaseStatus
from huiyin.workflow.clocks import DueDate, due_for, profile_for
from huiyin.workflow.models import Deadline, DeadlineKind, Party

DECIDE_KIND = {
    CaseStage.FIRST: DeadlineKind.HANDLE,
    CaseStage.REVIEW: DeadlineKind.REVIEW_DECIDE,
    CaseStage.RECHECK: DeadlineKind.RECHECK_DECIDE,
}
REQUEST_KIND = {CaseStage.REVIEW: DeadlineKind.REVIEW_REQUEST, CaseStage.RECHECK: DeadlineKind.RECHECK_REQUEST}
NEXT_REQUEST_KIND = {CaseStage.FIRST: DeadlineKind.REVIEW_REQUEST, CaseStage.REVIEW: DeadlineKind.RECHECK_REQUEST}


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def deadline_open(
    *,
    case: Case,
    kind: str,
    stage: str,
    start: date,
    party: str = Party.UNIT,
    rule: str | None = None,
    fixed_due: date | None = None,
) -> Deadline:
    """Open (or reopen) the clock `kind` of `stage`: its due date comes from the rule, or is `fixed_due`."""
    rule = rule if rule is not None else kind
    computed = (
        DueDate(fixed_due) if fixed_due is not None else due_for(rule=rule, start=start, profile=profile_for(case))
    )
    deadline, _created = Deadline.objects.update_or_create(
        case=case,
        kind=kind,
        stage=stage,
        defaults={
            "party": party,
            "rule": rule,
            "start": start,
            "due": computed.due,
            "provisional": computed.provisional,
            "met_at": None,
            "cancelled_at": None,
            "breached_at": None,
            "due_soon_at": None,
        },
    )
    return deadline


def _open(case: Case) -> object:
    return Deadline.objects.filter(case=case, met_at__isnull=True, cancelled_at__isnull=True)


def deadline_meet(*, case: Case, kinds: list[str], at: datetime, stage: str | None = None) -> int:
    qs = _open(case).filter(kind__in=kinds)
    if stage is not None:
        qs = qs.filter(stage=stage)
    return qs.update(met_at=at, updated_at=timezone.now())


def deadline_extend(*, case: Case, stage: str, days: int) -> Deadline | None:
    """Add an approved extension to the running decision clock of `stage` (Art. 34)."""
    deadline = _open(case).filter(kind=DECIDE_KIND[stage], stage=stage).first()
    if deadline is None:
        return None
    deadline.extension_days += days
    computed = due_for(
        rule=deadline.rule, start=deadline.start, extension_days=deadline.extension_days, profile=profile_for(case)
    )
    deadline.due = max(computed.due, deadline.told_due or computed.due)
    deadline.provisional = computed.provisional
    deadline.breached_at = None
    deadline.due_soon_at = None
    deadline.save(update_fields=["extension_days", "due", "provisional", "breached_at", "due_soon_at", "updated_at"])
    return deadline


def deadlines_on_case_event(event: CaseEvent) -> None:
    """React to a timeline event: the only place the case life cycle drives the clocks."""
    case = event.case
    day = local_date(event.at)
    if event.kind == EventKind.REGISTERED:
        deadline_open(case=case, kind=DeadlineKind.REGISTER, stage=CaseStage.FIRST, start=local_date(case.received_at))
        if case.forwarded_deadline:
            deadline_open(
                case=case,
                kind=DeadlineKind.FORWARDED,
                stage=CaseStage.FIRST,
                start=day,
                rule="",
                fixed_due=case.forwarded_deadline,
            )
        return
    if event.kind == EventKind.EXTENSION_APPROVED:
        deadline_extend(case=case, stage=event.stage, days=int(event.data.get("days", 0)))
        return
    if event.kind != EventKind.STATUS_CHANGED:
        return

    source, target, stage = event.from_status, event.to_status, event.stage
    if source == CaseStatus.REGISTERED:
        deadline_meet(case=case, kinds=[DeadlineKind.REGISTER], at=event.at)
    if target == CaseStatus.ACCEPTED:
        if stage in REQUEST_KIND:
            deadline_meet(case=case, kinds=[REQUEST_KIND[stage], DeadlineKind.RATING], at=event.at)
        deadline_open(case=case, kind=DECIDE_KIND[stage], stage=stage, start=day)
    elif target in (CaseStatus.REPLIED, CaseStatus.FINAL):
        deadline_meet(case=case, kinds=[DECIDE_KIND[stage], DeadlineKind.FORWARDED], at=event.at)
        if stage in NEXT_REQUEST_KIND:
            deadline_open(case=case, kind=NEXT_REQUEST_KIND[stage], stage=stage, start=day, party=Party.PETITIONER)
            deadline_open(
                case=case,
                kind=DeadlineKind.RATING,
                stage=stage,
                start=day,
                party=Party.PETITIONER,
                rule="",
                fixed_due=day + timedelta(days=settings.HUIYIN_RATING_WINDOW_DAYS),
            )
    elif target == CaseStatus.CLOSED:
        deadline_meet(case=case, kinds=[DeadlineKind.RATING], at=event.at)
    if target in TERMINAL:
        _open(case).update(cancelled_at=event.at, updated_at=timezone.now())
