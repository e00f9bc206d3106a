"""The bridge from the case workflow to the statutory clock engine (`huiyin.clock`).

`due_for` (or `compute`, which returns the engine's full `Due`) is the only way the rest of the
code asks for a deadline. The calendar is the installed official schedule plus the schedules an
administrator has loaded (`HolidaySchedule`); profiles are the built-in ones plus the editable
`RuleProfile` rows. Both are cached per process and rebuilt whenever the rows change: every call
reads a tiny fingerprint of the two tables (one indexed query), so a schedule loaded by another
process, or rolled back with its transaction, is never missed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from huiyin.clock import PROFILES, Due, Profile, ProfileError, WorkCalendar, YearSchedule, compute_due, get_profile

DEFAULT_PROFILE = "national-2022"
DISCIPLINE_PROFILE = "discipline"


@dataclass(frozen=True)
class DueDate:
    due: date
    provisional: bool = False


@dataclass(frozen=True)
class _ClockData:
    fingerprint: tuple
    calendar: WorkCalendar
    profiles: dict[str, Profile]
    active: dict[str, str]  # lane -> profile name


_lock = threading.Lock()
_cached: _ClockData | None = None


def _fingerprint() -> tuple:
    from django.db.models import CharField, Value

    from huiyin.workflow.models import HolidaySchedule, RuleProfile

    schedules = (
        HolidaySchedule.objects.order_by()
        .annotate(t=Value("h", output_field=CharField()))
        .values_list("t", "pk", "updated_at")
    )
    profiles = (
        RuleProfile.objects.order_by()
        .annotate(t=Value("p", output_field=CharField()))
        .values_list("t", "pk", "updated_at")
    )
    return tuple(sorted(schedules.union(profiles, all=True), key=lambda row: (row[0], row[1])))


def _build(fingerprint: tuple) -> _ClockData:
    from huiyin.workflow.models import HolidaySchedule, RuleProfile

    overrides: dict[int, YearSchedule] = {}
    for row in HolidaySchedule.objects.all():
        overrides[row.year] = row.schedule()
    profiles: dict[str, Profile] = {}
    active: dict[str, str] = {}
    for row in RuleProfile.objects.all():
        try:
            profiles[row.name] = row.to_profile()
        except ProfileError:
            continue  # validated on save; a row edited behind our back is ignored, never half-applied
        if row.active:
            active[row.lane] = row.name
    return _ClockData(fingerprint, WorkCalendar(overrides), profiles, active)


def clock_data() -> _ClockData:
    """The calendar and profiles in force now (cached; rebuilt when the rows change)."""
    global _cached
    fingerprint = _fingerprint()
    data = _cached
    if data is not None and data.fingerprint == fingerprint:
        return data
    with _lock:
        data = _build(fingerprint)
        _cached = data
    return data


def invalidate() -> None:
    """Forget the cached calendar and profiles (the fingerprint check would notice too; this is cheaper)."""
    global _cached
    _cached = None


def calendar_provider() -> WorkCalendar:
    """The working-day calendar: installed official schedules, overridden by the loaded ones."""
    return clock_data().calendar


def profile_get(name: str, *, data: _ClockData | None = None) -> Profile:
    """A built-in profile or an editable one by name; raises `ProfileError` for an unknown name."""
    name = name or DEFAULT_PROFILE
    if name in PROFILES:
        return get_profile(name)
    data = data or clock_data()
    try:
        return data.profiles[name]
    except KeyError:
        known = ", ".join([*PROFILES, *data.profiles])
        raise ProfileError(f"unknown profile {name!r}; known profiles: {known}") from None


def compute(
    *,
    rule: str,
    start: date,
    extension_days: int = 0,
    pauses: Sequence[tuple[date, date]] = (),
    profile: str = "",
    data: _ClockData | None = None,
) -> Due:
    """The engine's full answer for `rule` started by an event on `start` (counting from the next day)."""
    data = data or clock_data()
    return compute_due(
        rule=rule,
        start=start,
        profile=profile_get(profile, data=data),
        pauses=tuple(pauses),
        extension_days=extension_days,
        calendar=data.calendar,
    )


def due_for(
    *,
    rule: str,
    start: date,
    extension_days: int = 0,
    pauses: tuple[tuple[date, date], ...] = (),
    profile: str = "",
) -> DueDate:
    """The due date of `rule` for an event on `start` (counting from the next day), per the profile."""
    result = compute(rule=rule, start=start, extension_days=extension_days, pauses=pauses, profile=profile)
    return DueDate(result.due, result.provisional)


def profile_for(case: object) -> str:
    """The profile in force for a case: the lane's active editable profile, else the built-in one.

    Accusation reports in the discipline compartment follow their own lane and clocks.
    """
    lane = "discipline" if getattr(case, "compartment", "") == "discipline" else "general"
    active = clock_data().active.get(lane)
    if active:
        return active
    return DISCIPLINE_PROFILE if lane == "discipline" else DEFAULT_PROFILE
