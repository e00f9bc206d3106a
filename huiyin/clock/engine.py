"""The statutory clock: when a period ends.

Counting (民法典 Arts. 200–203, applied to 《信访工作条例》 periods):

- the day of the triggering event is not counted; counting starts the next day;
- **calendar-day rules**: the period ends ``days + extension_days`` counted days after the event,
  where paused days are not counted (hearing time, 条例 Art. 36), so each paused day inside the
  counting period moves the end one day later (the *period end*, ``Due.period_end``); if that
  day is not a working day the period ends on the next working day (Art. 203), which is ``Due.due``;
- **working-day rules**: the period ends on the ``days + extension_days``-th working day after the
  event that is not paused; that day is a working day, so no roll-forward is needed.

Roll-forward looks at working days only, not at pauses: a pause that begins after the period end
does not change the period. Pauses are inclusive date ranges; they may overlap and are normalised.

A due date is *provisional* when a year whose schedule decided it is provisional (no official
schedule is installed or loaded): for calendar-day rules the years from the period end to the due
date, for working-day rules every year from the day after the event to the due date.

A period ends at 24:00 of the due date: :func:`is_overdue` is true only from the following day.

This module has no Django import.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from huiyin.clock.calendar import WorkCalendar, default_calendar
from huiyin.clock.errors import ExtensionError, PauseError
from huiyin.clock.rules import NATIONAL_2022, Profile, Unit

__all__ = ["Due", "compute_due", "days_left", "is_overdue", "never_shorter", "normalise_pauses"]

_ONE = _dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Due:
    """A computed deadline and how it was reached.

    ``days`` and ``unit`` are the rule's limit (without extension); ``paused_days`` is the number of
    days inside the counting period that were not counted; ``period_end`` is the last counted day
    before any roll-forward (equal to ``due`` for working-day rules). ``provisional`` means the date
    depends on a provisional holiday schedule and may change once the official one is loaded.
    ``held_to_told`` is set by :func:`never_shorter` when the date already told to the petitioner
    was kept because the recomputation came out earlier.
    """

    rule: str
    start: _dt.date
    due: _dt.date
    provisional: bool
    days: int
    unit: Unit
    paused_days: int
    extension_days: int
    article: str
    profile: str = ""
    period_end: _dt.date | None = None
    held_to_told: bool = False

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly form (ISO dates), e.g. for an event payload or an API response."""
        return {
            "rule": self.rule,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "days": self.days,
            "unit": self.unit.value,
            "paused_days": self.paused_days,
            "extension_days": self.extension_days,
            "article": self.article,
            "profile": self.profile,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "held_to_told": self.held_to_told,
        }


def _require_date(value: object, name: str) -> _dt.date:
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise TypeError(
            f"{name} must be a datetime.date (the local date in China), not {type(value).__name__}; "
            "convert a datetime with timezone.localtime(value).date() first"
        )
    return value


def normalise_pauses(pauses: Sequence[tuple[_dt.date, _dt.date]]) -> tuple[tuple[_dt.date, _dt.date], ...]:
    """Sort inclusive ``(first, last)`` ranges and merge those that overlap or touch.

    Raises :class:`PauseError` for a malformed pair or one whose last day is before its first.
    """
    ranges: list[tuple[_dt.date, _dt.date]] = []
    for index, pause in enumerate(pauses):
        try:
            first, last = pause
        except (TypeError, ValueError):
            raise PauseError(f"pause #{index + 1} must be a (first, last) pair of dates, not {pause!r}") from None
        if not all(isinstance(d, _dt.date) and not isinstance(d, _dt.datetime) for d in (first, last)):
            raise PauseError(f"pause #{index + 1} must be a (first, last) pair of dates, not {pause!r}")
        if last < first:
            raise PauseError(f"pause #{index + 1} ends ({last.isoformat()}) before it begins ({first.isoformat()})")
        ranges.append((first, last))
    ranges.sort()
    merged: list[tuple[_dt.date, _dt.date]] = []
    for first, last in ranges:
        if merged and first <= merged[-1][1] + _ONE:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return tuple(merged)


def compute_due(
    *,
    rule: str,
    start: _dt.date,
    profile: Profile = NATIONAL_2022,
    pauses: Sequence[tuple[_dt.date, _dt.date]] = (),
    extension_days: int = 0,
    calendar: WorkCalendar | None = None,
) -> Due:
    """The deadline of ``rule`` for an event on ``start``.

    ``pauses`` are inclusive date ranges not counted (hearing time); ``extension_days`` (at most the
    profile's ``extend`` rule, 30 days nationally) is added to the period in the rule's unit;
    ``calendar`` defaults to :func:`default_calendar` (pass one built with the loaded overrides).

    Always yields a date, for any year: years without an official schedule use the provisional one
    and the result is flagged ``provisional``. Raises :class:`ProfileError` for an unknown rule,
    :class:`ExtensionError` for a negative or too long extension, :class:`PauseError` for a bad pause.
    """
    _require_date(start, "start")
    spec = profile.rule(rule)
    if isinstance(extension_days, bool) or not isinstance(extension_days, int):
        raise ExtensionError(f"extension_days must be a whole number of days, not {extension_days!r}")
    if extension_days < 0:
        raise ExtensionError(f"extension_days cannot be negative ({extension_days})")
    if extension_days > profile.max_extension_days:
        raise ExtensionError(
            f"an extension of {extension_days} days exceeds the maximum of {profile.max_extension_days} days "
            f"allowed by profile {profile.name!r} ({profile.rule('extend').article})"
        )
    cal = calendar if calendar is not None else default_calendar()
    merged = normalise_pauses(pauses)
    total = spec.days + extension_days
    first_counted = start + _ONE

    if spec.unit is Unit.CALENDAR:
        end = start + _dt.timedelta(days=total)
        paused = 0
        for first, last in merged:
            clipped = max(first, first_counted)  # only days inside the counting period count
            if last < clipped:
                continue
            if clipped > end:
                break
            covered = (last - clipped).days + 1
            paused += covered
            end += _dt.timedelta(days=covered)
        due = cal.next_working_day_on_or_after(end)
        provisional = any(cal.is_provisional(y) for y in range(end.year, due.year + 1))
    else:
        day = start
        counted = 0
        paused = 0
        index = 0
        while counted < total:
            day += _ONE
            while index < len(merged) and merged[index][1] < day:
                index += 1
            if index < len(merged) and merged[index][0] <= day:
                paused += 1
                continue
            if cal.is_working_day(day):
                counted += 1
        end = due = day
        provisional = any(cal.is_provisional(y) for y in range(first_counted.year, due.year + 1))

    return Due(
        rule=spec.code,
        start=start,
        due=due,
        provisional=provisional,
        days=spec.days,
        unit=spec.unit,
        paused_days=paused,
        extension_days=extension_days,
        article=spec.article,
        profile=profile.name,
        period_end=end,
    )


def days_left(*, due: _dt.date, today: _dt.date) -> int:
    """Days from ``today`` to ``due``: 0 on the due day itself, negative once overdue."""
    return (_require_date(due, "due") - _require_date(today, "today")).days


def is_overdue(*, due: _dt.date, today: _dt.date) -> bool:
    """Whether the period has run out: only after the end (24:00) of the due day, i.e. ``today > due``."""
    return _require_date(today, "today") > _require_date(due, "due")


def never_shorter(*, told: _dt.date | None, new: Due) -> Due:
    """Reconcile a recomputed deadline with the date already told to the petitioner.

    A deadline told to a petitioner is never shortened: if ``new`` ends later than ``told`` it is
    returned as it is (still ``provisional`` if it was, because the official schedule may still
    move it, though never below ``told``); otherwise the told date is kept and the result has
    ``due=told``, ``held_to_told=True`` and ``provisional=False``. The flag is cleared because the
    kept date no longer depends on any holiday schedule: it is a commitment already made, and a
    later official schedule can only lengthen it (a later recomputation passes through here
    again), never bring it earlier. ``told=None`` (nothing told yet) returns ``new``.
    """
    if told is None:
        return new
    _require_date(told, "told")
    if new.due > told:
        return new
    return replace(new, due=told, provisional=False, held_to_told=True)
