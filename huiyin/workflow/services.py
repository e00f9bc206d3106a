"""Deadlines, time not counted, holiday schedules, rule profiles, supervision (督办) and the sweep.

Deadlines are opened, met, extended and cancelled in reaction to case events
(`deadlines_on_case_event`); every other write of this app goes through a function below.
A date already told to the petitioner (`Deadline.told_due`) is never shortened by a later
recomputation (`huiyin.clock.never_shorter`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from huiyin.cases.errors import CaseTransitionError
from huiyin.cases.events import case_event_record
from huiyin.cases.models import Case, CaseEvent, CaseReply, EventKind
from huiyin.cases.services import case_close
from huiyin.cases.states import TERMINAL, CaseStage, CaseStatus
from huiyin.clock import ClockError, Due, Problem, ProfileError, ScheduleError, never_shorter, parse_schedule_text
from huiyin.core.dates import date_text
from huiyin.core.errors import DomainError
from huiyin.workflow import clocks
from huiyin.workflow.alerts import Alert, AlertKind, alert_publish
from huiyin.workflow.clocks import DueDate, due_for, profile_for
from huiyin.workflow.models import (
    CasePause,
    Deadline,
    DeadlineKind,
    HolidaySchedule,
    Party,
    RuleProfile,
    Supervision,
    SupervisionLevel,
)

logger = logging.getLogger(__name__)

DECIDE_KIND = {
    CaseStage.FIRST: DeadlineKind.HANDLE,
    CaseStage.REVIEW: DeadlineKind.REVIEW_DECIDE,
    CaseStage.RECHECK: DeadlineKind.RECHECK_DECIDE,
}
REQUEST_KIND = {CaseStage.REVIEW: DeadlineKind.REVIEW_REQUEST, CaseStage.RECHECK: DeadlineKind.RECHECK_REQUEST}
NEXT_REQUEST_KIND = {CaseStage.FIRST: DeadlineKind.REVIEW_REQUEST, CaseStage.REVIEW: DeadlineKind.RECHECK_REQUEST}
MAX_PAUSE_DAYS = 366
# Supervision asks for feedback soon: a date further out than this is a typing slip, not a plan.
MAX_SUPERVISION_DAYS = 90
# Problems of a holiday schedule shown at once; the rest are counted.
MAX_SCHEDULE_PROBLEMS = 20
# Values of a schedule problem that are words (a weekday, "holidays"), translated with the message.
# Problem parameters that are words to translate (a weekday, a unit of days), not data to show as given.
TRANSLATED_PROBLEM_PARAMS = frozenset({"weekday", "label", "unit", "base_unit"})


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _system_text(message: str, **kwargs: Any) -> str:
    """Text written by the platform itself (timeline notes), in the site's language: dates among `kwargs`
    are written in that language too, whatever the language of the request that caused the note."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {k: date_text(v) if isinstance(v, date) else v for k, v in kwargs.items()}
        return _(message).format(**values)


# Deadlines driven by the case life cycle ------------------------------------------------------


def _pauses(case: Case, stage: str) -> tuple[tuple[date, date], ...]:
    return tuple(CasePause.objects.filter(case=case, stage=stage).values_list("first", "last"))


def _pauses_apply(kind: str, stage: str) -> bool:
    """Time not counted applies to the decision clock of its stage."""
    return DECIDE_KIND.get(stage) == kind


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
    profile = profile_for(case) if fixed_due is None else ""
    if fixed_due is not None:
        computed = DueDate(fixed_due)
    else:
        pauses = _pauses(case, stage) if _pauses_apply(kind, stage) else ()
        computed = due_for(rule=rule, start=start, profile=profile, pauses=pauses)
    deadline, _created = Deadline.objects.update_or_create(
        case=case,
        kind=kind,
        stage=stage,
        defaults={
            "party": party,
            "rule": rule,
            "profile": profile,
            "start": start,
            "due": computed.due,
            "provisional": computed.provisional,
            "told_due": None,
            "extension_days": 0,
            "met_at": None,
            "cancelled_at": None,
            "breached_at": None,
            "due_soon_at": None,
        },
    )
    return deadline


def _open(case: Case) -> Any:
    return Deadline.objects.filter(case=case, met_at__isnull=True, cancelled_at__isnull=True)


def deadline_meet(*, case: Case, kinds: list[str], at: datetime, stage: str | None = None) -> int:
    qs = _open(case).filter(kind__in=kinds)
    if stage is not None:
        qs = qs.filter(stage=stage)
    return qs.update(met_at=at, updated_at=timezone.now())


def _recompute(deadline: Deadline, *, data: Any = None, pauses: tuple | None = None) -> Due:
    """A rule-based deadline as the engine computes it now, never before the told date."""
    if pauses is None:
        pauses = _pauses(deadline.case, deadline.stage) if _pauses_apply(deadline.kind, deadline.stage) else ()
    result = clocks.compute(
        rule=deadline.rule,
        start=deadline.start,
        extension_days=deadline.extension_days,
        pauses=pauses,
        profile=deadline.profile or profile_for(deadline.case),
        data=data,
    )
    return never_shorter(told=deadline.told_due, new=result)


def _recomputed(deadline: Deadline, *, data: Any = None, pauses: tuple | None = None) -> tuple[date, bool]:
    kept = _recompute(deadline, data=data, pauses=pauses)
    return kept.due, kept.provisional


def _reset_marks(deadline: Deadline, today: date) -> list[str]:
    """Clear the overdue / due-soon marks a later due date no longer justifies."""
    changed = []
    if deadline.breached_at is not None and deadline.due >= today:
        deadline.breached_at = None
        changed.append("breached_at")
    soon = today + timedelta(days=settings.HUIYIN_DUE_SOON_DAYS)
    if deadline.due_soon_at is not None and deadline.due > soon:
        deadline.due_soon_at = None
        changed.append("due_soon_at")
    return changed


def deadline_extend(*, case: Case, stage: str, days: int) -> Deadline | None:
    """Add an approved extension to the running decision clock of `stage` (Art. 34).

    The petitioner is told the new date with the reason (the notice is queued with the event), so
    the new date becomes the told date.
    """
    deadline = _open(case).filter(kind=DECIDE_KIND[stage], stage=stage).first()
    if deadline is None:
        return None
    deadline.extension_days += days
    deadline.due, deadline.provisional = _recomputed(deadline)
    deadline.told_due = deadline.due
    deadline.breached_at = None
    deadline.due_soon_at = None
    deadline.save(
        update_fields=[
            "extension_days",
            "due",
            "provisional",
            "told_due",
            "breached_at",
            "due_soon_at",
            "updated_at",
        ]
    )
    return deadline


def extension_check_in_time(*, case: Case, stage: str, today: date, approving: bool) -> None:
    """Refuse an extension once the decision period of `stage` has run out (Art. 34).

    An extension is asked for and approved before the period ends: the petitioner must not be told a
    "new" date that is already past. Raises `DomainError`; the caller's transaction then changes nothing.
    """
    deadline = _open(case).filter(kind=DECIDE_KIND.get(stage), stage=stage).first()
    if deadline is None or deadline.due >= today:
        return
    if approving:
        message = _(
            "The handling period ended on {due}: an extension can only be approved before it ends. "
            "Reject the request and give the reason."
        )
    else:
        message = _("The handling period ended on {due}: an extension can only be requested before it ends.")
    raise DomainError(message.format(due=date_text(deadline.due)), code="too_late")


def extension_check_rejection_note(note: str) -> None:
    """A rejected extension states why: the handler is told the decision with its reason."""
    if not (note or "").strip():
        raise DomainError(
            _("Give the reason for not approving the extension: the handler is told it."),
            fields={"note": [_("This field is required.")]},
        )


def deadline_extension_preview(*, case: Case, stage: str, days: int) -> tuple[date | None, date | None]:
    """The due date of the running decision clock of `stage` now, and what approving `days` more would make it.

    Nothing is saved: this is what the approver sees before deciding. (None, None) when no clock runs;
    no new date once the period has ended, as no extension can be approved then.
    """
    deadline = _open(case).filter(kind=DECIDE_KIND[stage], stage=stage).first() if stage in DECIDE_KIND else None
    if deadline is None:
        return None, None
    current = deadline.due
    if current < timezone.localdate():
        return current, None
    deadline.extension_days += days
    try:
        new = _recompute(deadline).due
    except ClockError:
        new = None
    return current, new


def _tell_next_right(case: Case, stage: str, deadline: Deadline) -> None:
    """The reply states the next right's deadline: that date is now told to the petitioner."""
    told = CaseReply.objects.filter(case=case, stage=stage).values_list("next_right_due", flat=True).first()
    if told is None:
        return
    deadline.told_due = told
    if told > deadline.due:
        deadline.due = told
    deadline.save(update_fields=["told_due", "due", "updated_at"])


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
    if event.kind == EventKind.TO_DISCIPLINE:
        # The general lane's clocks and supervision end; discipline inspection's screening clock starts on the
        # day the matter reaches it, under its own profile (`profile_for` reads the new compartment).
        _open(case).update(cancelled_at=event.at, updated_at=timezone.now())
        Supervision.objects.filter(case=case, feedback_at__isnull=True, closed_at__isnull=True).update(
            closed_at=event.at, updated_at=timezone.now()
        )
        deadline_open(case=case, kind=DeadlineKind.REGISTER, stage=CaseStage.FIRST, start=day)
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
            request = deadline_open(
                case=case, kind=NEXT_REQUEST_KIND[stage], stage=stage, start=day, party=Party.PETITIONER
            )
            _tell_next_right(case, stage, request)
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
        Supervision.objects.filter(case=case, feedback_at__isnull=True, closed_at__isnull=True).update(
            closed_at=event.at, updated_at=timezone.now()
        )


# Recomputation --------------------------------------------------------------------------------


@dataclass
class RecomputeResult:
    checked: int = 0
    changed: int = 0
    held_to_told: int = 0
    provisional: int = 0
    changes: list[tuple[int, date, date]] = field(default_factory=list)  # (deadline id, old due, new due)


def deadlines_recompute(*, deadlines: Iterable[Deadline] | None = None, now: datetime | None = None) -> RecomputeResult:
    """Recompute open rule-based deadlines with the calendar and profiles in force now.

    Told dates are never shortened. Marks (overdue, due soon) that a later date no longer justifies
    are cleared so the sweep can judge the clock afresh. Call inside a transaction.
    """
    today = local_date(now or timezone.now())
    if deadlines is None:
        deadlines = (
            Deadline.objects.filter(met_at__isnull=True, cancelled_at__isnull=True)
            .exclude(rule="")
            .select_related("case")
            .order_by("pk")
        )
    data = clocks.clock_data()
    result = RecomputeResult()
    batch: list[Deadline] = []
    pauses_by_case: dict[tuple[int, str], list[tuple[date, date]]] = defaultdict(list)
    rows = list(deadlines)
    case_ids = {d.case_id for d in rows}
    for pause in CasePause.objects.filter(case_id__in=case_ids).order_by("first"):
        pauses_by_case[(pause.case_id, pause.stage)].append((pause.first, pause.last))
    for deadline in rows:
        result.checked += 1
        pauses = (
            tuple(pauses_by_case[(deadline.case_id, deadline.stage)])
            if _pauses_apply(deadline.kind, deadline.stage)
            else ()
        )
        try:
            kept = _recompute(deadline, data=data, pauses=pauses)
        except ClockError:
            logger.exception("deadline %s could not be recomputed; kept as it was", deadline.pk)
            continue
        due, provisional = kept.due, kept.provisional
        if kept.held_to_told:
            result.held_to_told += 1
        if provisional:
            result.provisional += 1
        if due == deadline.due and provisional == deadline.provisional:
            continue
        result.changed += 1
        result.changes.append((deadline.pk, deadline.due, due))
        deadline.due, deadline.provisional = due, provisional
        _reset_marks(deadline, today)
        batch.append(deadline)
    if batch:
        for item in batch:
            item.updated_at = timezone.now()
        Deadline.objects.bulk_update(
            batch, ["due", "provisional", "breached_at", "due_soon_at", "updated_at"], batch_size=500
        )
    return result


def _deadlines_touching(year: int) -> Any:
    """Open rule-based deadlines whose counting period may include a day of `year`."""
    return (
        Deadline.objects.filter(met_at__isnull=True, cancelled_at__isnull=True)
        .exclude(rule="")
        .filter(Q(provisional=True) | Q(start__lte=date(year, 12, 31), due__gte=date(year - 1, 12, 1)))
        .select_related("case")
        .order_by("pk")
    )


# Holiday schedules ----------------------------------------------------------------------------


@dataclass
class ScheduleLoadResult:
    schedule: HolidaySchedule
    created: bool
    warnings: list[str]
    recompute: RecomputeResult


class _RuleCode(str):
    """A rule code that names its rule where a message shows it: ``{code!r}`` gives 'handle'（办理并出具处理意见）."""

    label = ""

    def __repr__(self) -> str:
        return _("{code} ({label})").format(code=str.__repr__(self), label=self.label)


def _rule_labels(parent: str | None) -> dict[str, str]:
    """Each known rule code's label in the user's language, from `parent`'s profile first, then the others."""
    english = not (translation.get_language() or "zh").startswith("zh")
    labels: dict[str, str] = {}
    order = sorted(clocks.PROFILES.values(), key=lambda profile: profile.name != parent)
    for profile in order:
        for code, rule in profile.rules.items():
            labels.setdefault(code, rule.label_en if english else rule.label_zh)
    return labels


def _rule_code_param(value: Any, labels: dict[str, str]) -> Any:
    if not isinstance(value, str) or value not in labels:
        return value
    code = _RuleCode(value)
    code.label = labels[value]
    return code


def clock_problem_text(problem: Problem, *, parent: str | None = None) -> str:
    """A problem found by the clock engine (in a holiday schedule or a rule profile), in the user's language.

    Rule codes are followed by their rule's label (from the `parent` profile where it has the rule), so
    that 'handle' reads as the limit people know.
    """
    if problem.message == "{message}":  # text without a translatable message
        return str(problem)
    labels = _rule_labels(parent)
    params: dict[str, Any] = {}
    for key, value in problem.params.items():
        if key in TRANSLATED_PROBLEM_PARAMS and isinstance(value, str):
            value = _(value)
        elif key == "code":
            value = _rule_code_param(value, labels)
        elif key == "codes" and isinstance(value, str):
            value = _("; ").join(repr(_rule_code_param(code, labels)) for code in value.split(", "))
        params[key] = value
    return _(problem.message).format(**params)


def holiday_schedule_check(*, year: int, text: str) -> tuple[str, list[str]]:
    """Parse and validate an official schedule; return its normal text form and warnings.

    Raises `DomainError` with every problem (line numbers included) when the text is invalid.
    """
    try:
        schedule = parse_schedule_text(text, year=year)[year]
    except ScheduleError as exc:
        problems = [clock_problem_text(problem) for problem in exc.problems]
        shown = problems[:MAX_SCHEDULE_PROBLEMS]
        more = len(problems) - len(shown)
        if more:
            shown.append(ngettext("… and {n} more problem", "… and {n} more problems", more).format(n=more))
        message = "\n".join([_("The schedule is not valid:"), *shown])
        raise DomainError(message, fields={"text": shown}) from exc
    if not schedule.holidays:
        raise DomainError(_("The schedule lists no holiday for {year}.").format(year=year), fields={"text": []})
    warnings = []
    missing = schedule.missing_statutory_holidays()
    if missing:
        warnings.append(
            _("These statutory holidays would be working days; check for a typing mistake: {days}").format(
                days=", ".join(d.isoformat() for d in missing)
            )
        )
    return schedule.to_text(), warnings


@transaction.atomic
def holiday_schedule_load(
    *, year: int, text: str, actor: Any = None, source: str = "", now: datetime | None = None
) -> ScheduleLoadResult:
    """Store the official schedule of `year` and recompute every open deadline it can move.

    Deadlines that rested on the provisional schedule of that year lose the provisional mark;
    a date already told to the petitioner is never shortened.
    """
    normal, warnings = holiday_schedule_check(year=year, text=text)
    row, created = HolidaySchedule.objects.update_or_create(
        year=year,
        defaults={
            "text": normal,
            "source": source.strip()[:200],
            "loaded_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    clocks.invalidate()
    transaction.on_commit(clocks.invalidate)
    recompute = deadlines_recompute(deadlines=_deadlines_touching(year), now=now)
    logger.info(
        "holiday schedule %s loaded: %s deadlines checked, %s changed", year, recompute.checked, recompute.changed
    )
    return ScheduleLoadResult(row, created, warnings, recompute)


@transaction.atomic
def holiday_schedule_remove(*, year: int, actor: Any = None, now: datetime | None = None) -> RecomputeResult:
    """Remove a loaded schedule (the installed or provisional one applies again) and recompute."""
    HolidaySchedule.objects.filter(year=year).delete()
    clocks.invalidate()
    transaction.on_commit(clocks.invalidate)
    return deadlines_recompute(deadlines=_deadlines_touching(year), now=now)


# Rule profiles --------------------------------------------------------------------------------


def rule_profile_validate(profile: RuleProfile) -> None:
    """Raise `DomainError` naming the problem when the profile is malformed or lengthens a limit."""
    if profile.name in clocks.PROFILES:
        raise DomainError(_("{name} is the name of a built-in profile.").format(name=profile.name), fields={"name": []})
    if not isinstance(profile.rules, dict):
        raise DomainError(_("The limits must be a mapping of rule code to days."), fields={"rules": []})
    try:
        profile.to_profile()
    except ProfileError as exc:
        problems = [clock_problem_text(problem, parent=profile.parent) for problem in exc.problems]
        raise DomainError(
            _("The profile is not valid: {problems}").format(problems=_("; ").join(problems)),
            fields={"rules": problems},
        ) from exc


@transaction.atomic
def rule_profile_save(*, profile: RuleProfile, actor: Any = None) -> RuleProfile:
    """Validate and save an editable profile. It applies to clocks started after the change."""
    rule_profile_validate(profile)
    if profile.active:
        RuleProfile.objects.filter(lane=profile.lane, active=True).exclude(pk=profile.pk).update(
            active=False, updated_at=timezone.now()
        )
    profile.save()
    clocks.invalidate()
    transaction.on_commit(clocks.invalidate)
    return profile


# Time not counted -----------------------------------------------------------------------------


@transaction.atomic
def case_pause_add(
    *, case: Case, actor: Any, first: date, last: date, reason: str, now: datetime | None = None
) -> CasePause:
    """Record time not counted on the stage's decision clock (hearing time, Art. 36) and move its due date."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("State why the time is not counted."), fields={"reason": [_("This field is required.")]})
    if first is None or last is None or last < first:
        raise DomainError(
            _("The last day cannot be before the first day."), fields={"last": [_("Before the first day.")]}
        )
    if (last - first).days + 1 > MAX_PAUSE_DAYS:
        raise DomainError(
            _("A period not counted cannot exceed a year."),
            fields={"last": [_("A pause cannot be longer than one year.")]},
        )
    if case.status not in (CaseStatus.ACCEPTED, CaseStatus.IN_HANDLING):
        raise DomainError(_("Time not counted can only be recorded while the case is being handled."))
    deadline = _open(case).filter(kind=DECIDE_KIND[case.stage], stage=case.stage).first()
    if deadline is None:
        raise DomainError(_("No decision clock is running for this stage."))
    if last <= deadline.start:
        raise DomainError(
            _("The period must end after the clock started ({start}).").format(start=date_text(deadline.start)),
            fields={"first": [_("Before the clock started.")]},
        )
    pause = CasePause.objects.create(
        case=case, stage=case.stage, first=first, last=last, reason=reason[:200], created_by=actor
    )
    old = deadline.due
    deadline.due, deadline.provisional = _recomputed(deadline)
    changed = ["due", "provisional", "updated_at", *_reset_marks(deadline, local_date(now or timezone.now()))]
    deadline.save(update_fields=changed)
    case_event_record(
        case=case,
        kind=EventKind.NOTE,
        actor=actor,
        text=_system_text(
            gettext_noop("Time not counted on the clock: {first} to {last} ({reason}). Due date {old} → {new}."),
            first=first,
            last=last,
            reason=reason,
            old=old,
            new=deadline.due,
        ),
        data={"pause": pause.pk},
        at=now,
    )
    return pause


# Supervision (督办) ----------------------------------------------------------------------------


def supervision_open_for(case: Case) -> Supervision | None:
    return Supervision.objects.filter(case=case, feedback_at__isnull=True, closed_at__isnull=True).first()


@transaction.atomic
def supervision_open(
    *,
    case: Case,
    actor: Any,
    level: str,
    instructions: str,
    feedback_due: date,
    now: datetime | None = None,
) -> Supervision:
    """Put a case under supervision: the handling unit owes written feedback by `feedback_due`."""
    at = now or timezone.now()
    today = local_date(at)
    instructions = (instructions or "").strip()
    if level not in SupervisionLevel.values:
        raise DomainError(_("Choose a valid level."), fields={"level": [_("Choose a valid level.")]})
    if not instructions:
        raise DomainError(
            _("Write what the unit must do and report."), fields={"instructions": [_("This field is required.")]}
        )
    if feedback_due is None or feedback_due <= today:
        raise DomainError(
            _("The feedback date must be after today."), fields={"feedback_due": [_("Choose a later date.")]}
        )
    if (feedback_due - today).days > MAX_SUPERVISION_DAYS:
        message = _("The feedback date can be at most {n} days from today.").format(n=MAX_SUPERVISION_DAYS)
        raise DomainError(message, fields={"feedback_due": [message]})
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.IN_HANDLING:
        raise DomainError(_("Only a case in handling can be put under supervision."))
    if supervision_open_for(locked) is not None:
        raise DomainError(_("This case is already under supervision."))
    deadline = deadline_open(
        case=locked,
        kind=DeadlineKind.SUPERVISION,
        stage=locked.stage,
        start=today,
        rule="",
        fixed_due=feedback_due,
    )
    supervision = Supervision.objects.create(
        case=locked,
        stage=locked.stage,
        level=level,
        instructions=instructions,
        feedback_due=feedback_due,
        opened_by=actor,
        opened_at=at,
        deadline=deadline,
    )
    case_event_record(
        case=locked,
        kind=EventKind.NOTE,
        actor=actor,
        text=_system_text(
            gettext_noop("Put under {level}; written feedback due by {due}: {instructions}"),
            level=SupervisionLevel(level).label,
            due=feedback_due,
            instructions=instructions,
        ),
        data={"supervision": supervision.pk, "what": "supervision_opened"},
        at=at,
    )
    alert_publish(
        Alert(AlertKind.SUPERVISION_OPENED, case=locked, at=at, deadline=deadline, supervision=supervision, actor=actor)
    )
    return supervision


@transaction.atomic
def supervision_feedback(*, case: Case, actor: Any, text: str, now: datetime | None = None) -> Supervision:
    """Record the handling unit's written feedback; the supervision clock is met."""
    at = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the feedback."), fields={"text": [_("This field is required.")]})
    supervision = (
        Supervision.objects.select_for_update()
        .filter(case=case, feedback_at__isnull=True, closed_at__isnull=True)
        .first()
    )
    if supervision is None:
        raise DomainError(_("This case is not waiting for supervision feedback."))
    supervision.feedback = text
    supervision.feedback_by = actor
    supervision.feedback_at = at
    supervision.save(update_fields=["feedback", "feedback_by", "feedback_at", "updated_at"])
    if supervision.deadline_id:
        Deadline.objects.filter(pk=supervision.deadline_id, met_at__isnull=True).update(met_at=at, updated_at=at)
    case_event_record(
        case=case,
        kind=EventKind.NOTE,
        actor=actor,
        text=_system_text(gettext_noop("Written feedback on supervision: {text}"), text=text),
        data={"supervision": supervision.pk, "what": "supervision_feedback"},
        at=at,
    )
    alert_publish(Alert(AlertKind.SUPERVISION_FEEDBACK, case=case, at=at, supervision=supervision, actor=actor))
    return supervision


def _supervision_escalate(*, deadline: Deadline, at: datetime) -> Supervision | None:
    """Escalate the supervision whose feedback date `deadline` tracks (once); inside the sweep's transaction."""
    supervision = (
        Supervision.objects.select_for_update()
        .filter(deadline=deadline, feedback_at__isnull=True, closed_at__isnull=True, escalated_at__isnull=True)
        .first()
    )
    if supervision is None:
        return None
    supervision.escalated_at = at
    supervision.escalated_from = supervision.level
    if settings.HUIYIN_SUPERVISION_ESCALATE_TO_LISTED:
        supervision.level = SupervisionLevel.LISTED
    supervision.save(update_fields=["escalated_at", "escalated_from", "level", "updated_at"])
    case_event_record(
        case=deadline.case,
        kind=EventKind.NOTE,
        actor=None,
        text=_system_text(
            gettext_noop("Supervision feedback was due on {due} and has not been received; escalated ({level})."),
            due=supervision.feedback_due,
            level=SupervisionLevel(supervision.level).label,
        ),
        data={"supervision": supervision.pk, "what": "supervision_escalated"},
        at=at,
    )
    alert_publish(Alert(AlertKind.SUPERVISION_ESCALATED, case=deadline.case, at=at, supervision=supervision))
    return supervision


# The sweep ------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    overdue: int = 0
    due_soon: int = 0
    escalated: int = 0
    closed: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


def _open_unit_deadlines() -> Any:
    return Deadline.objects.filter(party=Party.UNIT, met_at__isnull=True, cancelled_at__isnull=True)


def deadlines_sweep(*, now: datetime | None = None, limit: int = 5000) -> SweepResult:
    """Mark due-soon and overdue unit clocks, escalate missed supervision feedback, close lapsed ratings.

    Safe to run twice, or in two processes at once: every mark is a conditional update of a row
    whose mark is still empty, and only the run whose update succeeded raises the alert, in the
    same transaction (notifications are outbox rows with a unique key as well). Petitioner windows
    are never overdue for the unit; they simply lapse.
    """
    now = now or timezone.now()
    today = local_date(now)
    soon = today + timedelta(days=settings.HUIYIN_DUE_SOON_DAYS)
    result = SweepResult()

    overdue_ids = list(
        _open_unit_deadlines()
        .filter(due__lt=today, breached_at__isnull=True)
        .order_by("due", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in overdue_ids:
        try:
            with transaction.atomic():
                marked = (
                    _open_unit_deadlines()
                    .filter(pk=pk, due__lt=today, breached_at__isnull=True)
                    .update(breached_at=now, updated_at=now)
                )
                if not marked:
                    continue
                deadline = Deadline.objects.select_related("case").get(pk=pk)
                result.overdue += 1
                # Missed supervision feedback is reported once, as an escalation.
                if deadline.kind == DeadlineKind.SUPERVISION and _supervision_escalate(deadline=deadline, at=now):
                    result.escalated += 1
                else:
                    alert_publish(Alert(AlertKind.OVERDUE, case=deadline.case, at=now, deadline=deadline))
        except Exception:
            result.errors += 1
            logger.exception("sweep: deadline %s could not be marked overdue", pk)

    soon_ids = list(
        _open_unit_deadlines()
        .filter(due__gte=today, due__lte=soon, due_soon_at__isnull=True, breached_at__isnull=True)
        .order_by("due", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in soon_ids:
        try:
            with transaction.atomic():
                marked = (
                    _open_unit_deadlines()
                    .filter(pk=pk, due__gte=today, due__lte=soon, due_soon_at__isnull=True, breached_at__isnull=True)
                    .update(due_soon_at=now, updated_at=now)
                )
                if not marked:
                    continue
                deadline = Deadline.objects.select_related("case").get(pk=pk)
                result.due_soon += 1
                supervision = (
                    Supervision.objects.filter(
                        deadline=deadline, feedback_at__isnull=True, closed_at__isnull=True
                    ).first()
                    if deadline.kind == DeadlineKind.SUPERVISION
                    else None
                )
                alert_publish(
                    Alert(AlertKind.DUE_SOON, case=deadline.case, at=now, deadline=deadline, supervision=supervision)
                )
        except Exception:
            result.errors += 1
            logger.exception("sweep: deadline %s could not be marked due soon", pk)

    result.closed = _close_lapsed_ratings(now=now, today=today, limit=limit, result=result)
    if result.overdue or result.due_soon or result.closed or result.errors:
        logger.info("sweep: %s", result.as_dict())
    return result


def _close_lapsed_ratings(*, now: datetime, today: date, limit: int, result: SweepResult) -> int:
    """Close replied cases whose petitioner let the rating window lapse without rating."""
    lapsed = (
        Deadline.objects.filter(
            kind=DeadlineKind.RATING,
            party=Party.PETITIONER,
            met_at__isnull=True,
            cancelled_at__isnull=True,
            due__lt=today,
            case__status=CaseStatus.REPLIED,
        )
        .order_by("due", "pk")
        .values_list("case_id", "stage")[:limit]
    )
    closed = 0
    note = _system_text(gettext_noop("Closed without a rating: the rating window has lapsed."))
    for case_id, stage in list(lapsed):
        try:
            with transaction.atomic():
                case = Case.objects.select_for_update().get(pk=case_id)
                if case.status != CaseStatus.REPLIED or case.stage != stage:
                    continue
                case_close(case=case, actor=None, note=note, now=now)
                closed += 1
        except (CaseTransitionError, DomainError):
            continue  # another run closed it first
        except Exception:
            result.errors += 1
            logger.exception("sweep: case %s could not be closed after the rating window", case_id)
    return closed
