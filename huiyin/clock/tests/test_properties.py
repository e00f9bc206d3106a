"""Property tests over start dates 2020-01-01..2026-12-31 for every rule of the national profile."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from huiyin.clock import NATIONAL_2022, Unit, WorkCalendar, compute_due, never_shorter

D = dt.date
ONE = dt.timedelta(days=1)
CALENDAR = WorkCalendar()
SETTINGS = settings(max_examples=200, deadline=None, database=None)

starts = st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 12, 31))
rules = st.sampled_from(NATIONAL_2022.codes)
calendar_rules = st.sampled_from([c for c in NATIONAL_2022.codes if NATIONAL_2022.rule(c).unit is Unit.CALENDAR])
working_rules = st.sampled_from([c for c in NATIONAL_2022.codes if NATIONAL_2022.rule(c).unit is Unit.WORKING])
extensions = st.integers(min_value=0, max_value=NATIONAL_2022.max_extension_days)
# Pauses as (offset from start, length): may begin before the start, overlap, or lie after the end.
pause_specs = st.lists(st.tuples(st.integers(-10, 120), st.integers(1, 20)), max_size=4)


def _pauses(start: dt.date, specs: list[tuple[int, int]]) -> list[tuple[dt.date, dt.date]]:
    return [(start + dt.timedelta(days=o), start + dt.timedelta(days=o + n - 1)) for o, n in specs]


def _paused_days(pauses: list[tuple[dt.date, dt.date]]) -> set[dt.date]:
    days: set[dt.date] = set()
    for first, last in pauses:
        day = first
        while day <= last:
            days.add(day)
            day += ONE
    return days


@SETTINGS
@given(rule=rules, start=starts, extension=extensions)
def test_due_is_never_before_start_plus_limit(rule, start, extension):
    result = compute_due(rule=rule, start=start, extension_days=extension)
    assert result.due >= start + dt.timedelta(days=NATIONAL_2022.rule(rule).days + extension)


@SETTINGS
@given(rule=calendar_rules, start=starts, extension=extensions)
def test_calendar_rules_never_end_on_a_non_working_day(rule, start, extension):
    result = compute_due(rule=rule, start=start, extension_days=extension)
    end = start + dt.timedelta(days=NATIONAL_2022.rule(rule).days + extension)
    assert CALENDAR.is_working_day(result.due)
    assert result.period_end == end
    # It is the first working day on or after the end: every day in between is a rest day.
    day = end
    while day < result.due:
        assert not CALENDAR.is_working_day(day)
        day += ONE


@SETTINGS
@given(rule=working_rules, start=starts)
def test_working_rules_count_only_working_days(rule, start):
    result = compute_due(rule=rule, start=start)
    assert CALENDAR.is_working_day(result.due)
    assert CALENDAR.working_days_between(after=start, through=result.due) == NATIONAL_2022.rule(rule).days


@SETTINGS
@given(rule=calendar_rules, start=starts, specs=pause_specs, extension=extensions)
def test_a_pause_moves_the_period_end_by_the_days_it_covers(rule, start, specs, extension):
    pauses = _pauses(start, specs)
    plain = compute_due(rule=rule, start=start, extension_days=extension)
    paused = compute_due(rule=rule, start=start, extension_days=extension, pauses=pauses)
    covered = {d for d in _paused_days(pauses) if start < d <= paused.period_end}
    assert paused.period_end - plain.period_end == dt.timedelta(days=len(covered))
    assert paused.paused_days == len(covered)
    assert paused.period_end not in covered
    assert paused.due == CALENDAR.next_working_day_on_or_after(paused.period_end)


@SETTINGS
@given(rule=working_rules, start=starts, specs=pause_specs)
def test_paused_days_are_not_counted_by_working_day_rules(rule, start, specs):
    pauses = _pauses(start, specs)
    result = compute_due(rule=rule, start=start, pauses=pauses)
    paused = _paused_days(pauses)
    counted = 0
    day = start + ONE
    while day <= result.due:
        counted += day not in paused and CALENDAR.is_working_day(day)
        day += ONE
    assert counted == NATIONAL_2022.rule(rule).days
    assert result.due not in paused
    assert CALENDAR.is_working_day(result.due)


@SETTINGS
@given(
    rule=rules,
    start=starts,
    told_specs=pause_specs,
    new_specs=pause_specs,
    told_extension=extensions,
    new_extension=extensions,
)
def test_a_told_deadline_is_never_shortened(rule, start, told_specs, new_specs, told_extension, new_extension):
    told = compute_due(rule=rule, start=start, pauses=_pauses(start, told_specs), extension_days=told_extension)
    new = compute_due(rule=rule, start=start, pauses=_pauses(start, new_specs), extension_days=new_extension)
    result = never_shorter(told=told.due, new=new)
    assert result.due == max(told.due, new.due)
    assert result.held_to_told == (new.due <= told.due)
    if result.held_to_told:
        assert result.provisional is False
    else:
        assert result is new


@SETTINGS
@given(rule=rules, start=starts, extension=extensions)
def test_an_extension_never_brings_the_due_date_earlier(rule, start, extension):
    assert compute_due(rule=rule, start=start, extension_days=extension).due >= compute_due(rule=rule, start=start).due
