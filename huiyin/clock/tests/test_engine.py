"""Named-date deadlines around holidays and make-up workdays, pauses, extensions, and the told date.

Each expected date is a hand-checked literal; the comment gives the arithmetic.
Holiday blocks (official): Spring Festival 2024 Feb 10-17, workdays Sun Feb 4 and Sun Feb 18;
Spring Festival 2025 Jan 28-Feb 4, workdays Sun Jan 26 and Sat Feb 8; Spring Festival 2026
Feb 15-23, workdays Sat Feb 14 and Sat Feb 28; New Year 2026 Jan 1-3, workday Sun Jan 4;
National Day 2024 Oct 1-7, workdays Sun Sep 29 and Sat Oct 12; National Day + Mid-Autumn 2025
Oct 1-8, workdays Sun Sep 28 and Sat Oct 11; Qingming 2025 Apr 4-6; Dragon Boat 2025 May 31-Jun 2.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from huiyin.clock import (
    NATIONAL_2022,
    PauseError,
    WorkCalendar,
    YearSchedule,
    compute_due,
    days_left,
    is_overdue,
    never_shorter,
    normalise_pauses,
    official_years,
)

D = dt.date
needs_2027_provisional = pytest.mark.skipif(
    2027 in official_years(), reason="the installed chinesecalendar already ships 2027"
)


@pytest.mark.parametrize(
    ("rule", "start", "due"),
    [
        # Spring Festival 2024
        (
            "register",
            D(2024, 1, 27),
            D(2024, 2, 18),
        ),  # +15 = Sun Feb 11 (holiday) -> Feb 12-17 off -> make-up Sun Feb 18
        ("object", D(2024, 2, 7), D(2024, 2, 20)),  # Feb 8, Feb 9 (eve, worked in 2024), Sun Feb 18, Feb 19, Feb 20
        # Spring Festival 2025
        ("object", D(2025, 1, 23), D(2025, 2, 6)),  # Fri Jan 24, make-up Sun Jan 26, Jan 27, Feb 5, Feb 6
        ("register", D(2025, 1, 14), D(2025, 2, 5)),  # +15 = Wed Jan 29 (holiday) -> first working day Wed Feb 5
        ("handle", D(2024, 11, 30), D(2025, 2, 5)),  # +60 = Jan 29 2025 (31 to Dec 31, 29 more) -> Feb 5
        # Spring Festival 2026
        ("register", D(2026, 1, 30), D(2026, 2, 14)),  # +15 = Sat Feb 14, a make-up workday: no roll
        ("register", D(2026, 1, 31), D(2026, 2, 24)),  # +15 = Sun Feb 15 (holiday) -> Feb 16-23 off -> Tue Feb 24
        ("object", D(2026, 2, 11), D(2026, 2, 25)),  # Thu Feb 12, Fri Feb 13, make-up Sat Feb 14, Feb 24, Feb 25
        # New Year 2026 and its make-up Sunday
        ("register", D(2025, 12, 20), D(2026, 1, 4)),  # +15 = Sun Jan 4 2026, a make-up workday: no roll
        ("object", D(2025, 12, 30), D(2026, 1, 7)),  # Dec 31, make-up Sun Jan 4, Jan 5, Jan 6, Jan 7
        # National Day 2025 (Mid-Autumn Oct 6 merged into the block)
        ("register", D(2025, 9, 20), D(2025, 10, 9)),  # +15 = Sun Oct 5 (holiday) -> Oct 6-8 off -> Thu Oct 9
        ("register", D(2025, 9, 13), D(2025, 9, 28)),  # +15 = Sun Sep 28, a make-up workday: no roll
        ("object", D(2025, 9, 25), D(2025, 10, 9)),  # Fri Sep 26, make-up Sun Sep 28, Sep 29, Sep 30, Oct 9
        ("review_request", D(2025, 9, 8), D(2025, 10, 9)),  # +30 = Wed Oct 8 (22 to Sep 30, 8 more; holiday) -> Oct 9
        ("object", D(2025, 10, 9), D(2025, 10, 15)),  # Fri Oct 10, make-up Sat Oct 11, Mon 13, Tue 14, Wed 15
        # National Day 2024
        ("register", D(2024, 9, 16), D(2024, 10, 8)),  # +15 = Tue Oct 1 (holiday) -> Oct 2-7 off -> Tue Oct 8
        ("register", D(2024, 9, 14), D(2024, 9, 29)),  # +15 = Sun Sep 29, a make-up workday: no roll
        ("handle", D(2024, 8, 5), D(2024, 10, 8)),  # +60 = Oct 4 (26 to Aug 31, 30 to Sep 30, 4 more) -> Oct 8
        # ordinary weekends
        ("recheck_decide", D(2025, 3, 3), D(2025, 4, 2)),  # +30 = Wed Apr 2 (28 to Mar 31, 2 more)
        ("review_decide", D(2025, 3, 1), D(2025, 3, 31)),  # +30 = Mon Mar 31
        ("review_decide", D(2025, 2, 6), D(2025, 3, 10)),  # +30 = Sat Mar 8 (22 to Feb 28, 8 more) -> Mon Mar 10
    ],
)
def test_named_dates_around_holidays_and_make_up_workdays(rule, start, due):
    result = compute_due(rule=rule, start=start)
    assert result.due == due
    assert result.provisional is False


def test_due_records_how_it_was_reached():
    result = compute_due(rule="register", start=D(2025, 9, 20))
    assert result.rule == "register"
    assert result.start == D(2025, 9, 20)
    assert result.period_end == D(2025, 10, 5)
    assert (result.days, result.unit.value, result.paused_days, result.extension_days) == (15, "calendar", 0, 0)
    assert "第二十二条" in result.article
    assert result.profile == "national-2022"
    data = result.to_dict()
    assert (data["due"], data["period_end"], data["unit"], data["provisional"]) == (
        "2025-10-09",
        "2025-10-05",
        "calendar",
        False,
    )


def test_extension_is_added_to_the_period():
    # handle 60 + extension 30 = 90 days: 2025-03-03 + 90 = Sun Jun 1 (28 to Mar 31, 30 Apr, 31 May, 1 more),
    # Dragon Boat May 31-Jun 2 -> Tue Jun 3
    assert compute_due(rule="handle", start=D(2025, 3, 3), extension_days=30).due == D(2025, 6, 3)


# -- pauses ------------------------------------------------------------------------------------


def test_a_pause_moves_the_end_by_the_days_it_covers():
    # 30 days from Mon 2025-03-03 end Wed Apr 2; a 5-day hearing Mar 10-14 moves the end to Mon Apr 7 (working)
    result = compute_due(rule="recheck_decide", start=D(2025, 3, 3), pauses=[(D(2025, 3, 10), D(2025, 3, 14))])
    assert (result.period_end, result.due, result.paused_days) == (D(2025, 4, 7), D(2025, 4, 7), 5)


def test_a_pause_end_on_a_holiday_then_rolls_forward():
    # Mar 10-11 paused (2 days): end = Apr 2 + 2 = Fri Apr 4 (Qingming) -> Apr 5-6 off -> Mon Apr 7
    result = compute_due(rule="recheck_decide", start=D(2025, 3, 3), pauses=[(D(2025, 3, 10), D(2025, 3, 11))])
    assert (result.period_end, result.due) == (D(2025, 4, 4), D(2025, 4, 7))


def test_overlapping_pauses_are_normalised():
    # Mar 10-14 and Mar 12-18 merge into Mar 10-18 (9 days): Apr 2 + 9 = Fri Apr 11
    pauses = [(D(2025, 3, 12), D(2025, 3, 18)), (D(2025, 3, 10), D(2025, 3, 14))]
    result = compute_due(rule="recheck_decide", start=D(2025, 3, 3), pauses=pauses)
    assert (result.due, result.paused_days) == (D(2025, 4, 11), 9)
    assert normalise_pauses(pauses) == ((D(2025, 3, 10), D(2025, 3, 18)),)


def test_only_the_paused_days_inside_the_counting_period_count():
    # Feb 20-Mar 5 overlaps the period only on Mar 4-5 (counting starts Mar 4): Apr 2 + 2 = Apr 4 -> Apr 7.
    # May 1-5 lies after the end and changes nothing.
    pauses = [(D(2025, 2, 20), D(2025, 3, 5)), (D(2025, 5, 1), D(2025, 5, 5))]
    result = compute_due(rule="recheck_decide", start=D(2025, 3, 3), pauses=pauses)
    assert (result.period_end, result.due, result.paused_days) == (D(2025, 4, 4), D(2025, 4, 7), 2)


def test_a_pause_reached_only_after_extension_also_counts():
    # Mar 10-14 moves the end Apr 2 -> Apr 7, which brings Apr 3-4 into the period: Apr 7 + 2 = Wed Apr 9
    pauses = [(D(2025, 3, 10), D(2025, 3, 14)), (D(2025, 4, 3), D(2025, 4, 4))]
    result = compute_due(rule="recheck_decide", start=D(2025, 3, 3), pauses=pauses)
    assert (result.due, result.paused_days) == (D(2025, 4, 9), 7)


def test_paused_days_are_not_counted_for_working_day_rules():
    # Mon 2025-03-03, Mar 5-6 paused: Tue Mar 4, Fri Mar 7, Mon Mar 10, Tue 11, Wed 12
    result = compute_due(rule="object", start=D(2025, 3, 3), pauses=[(D(2025, 3, 5), D(2025, 3, 6))])
    assert (result.due, result.paused_days) == (D(2025, 3, 12), 2)


@pytest.mark.parametrize(
    "pauses",
    [
        [(D(2025, 3, 10), D(2025, 3, 9))],
        [(D(2025, 3, 10),)],
        [(dt.datetime(2025, 3, 10, tzinfo=dt.UTC), D(2025, 3, 11))],
        ["2025-03-10"],
    ],
)
def test_malformed_pauses_are_rejected(pauses):
    with pytest.raises(PauseError, match="pause #1"):
        compute_due(rule="handle", start=D(2025, 3, 3), pauses=pauses)


def test_a_datetime_start_is_rejected():
    with pytest.raises(TypeError, match="local date in China"):
        compute_due(rule="handle", start=dt.datetime(2025, 3, 3, tzinfo=dt.UTC))


# -- provisional years -------------------------------------------------------------------------


@needs_2027_provisional
def test_a_deadline_in_2027_is_provisional():
    # +15 = Fri 2027-02-05 (除夕) -> Sat-Mon Feb 6-8 off (lunar 1/1-1/3) -> Tue Feb 9
    result = compute_due(rule="register", start=D(2027, 1, 21))
    assert (result.due, result.provisional) == (D(2027, 2, 9), True)
    # +60 = Mon 2027-01-04 (25 to Nov 30, 31 Dec, 4 more): a working day, but only provisionally
    result = compute_due(rule="handle", start=D(2026, 11, 5))
    assert (result.due, result.provisional) == (D(2027, 1, 4), True)
    # Dec 30, Dec 31 2026, Jan 4, 5, 6 2027 (Jan 1 holiday, Jan 2-3 weekend)
    result = compute_due(rule="object", start=D(2026, 12, 29))
    assert (result.due, result.provisional) == (D(2027, 1, 6), True)


def test_a_deadline_decided_inside_an_official_year_is_final():
    # +60 = Thu 2026-12-31, a working day in the official 2026 schedule
    result = compute_due(rule="handle", start=D(2026, 11, 1))
    assert (result.due, result.provisional) == (D(2026, 12, 31), False)


@needs_2027_provisional
def test_loading_the_official_2027_schedule_makes_the_deadline_final():
    # +15 = Fri 2027-01-01. Provisionally: Jan 2-3 weekend -> Mon Jan 4.
    start = D(2026, 12, 17)
    assert compute_due(rule="register", start=start).due == D(2027, 1, 4)
    assert compute_due(rule="register", start=start).provisional is True
    # A loaded schedule (hypothetical) with Sat Jan 2 as a make-up workday: -> Sat Jan 2, final.
    loaded = YearSchedule.from_text("2027-01-01,holiday,New Year's Day\n2027-01-02,workday\n", year=2027)
    calendar = WorkCalendar(overrides={2027: loaded})
    result = compute_due(rule="register", start=start, calendar=calendar)
    assert (result.due, result.provisional) == (D(2027, 1, 2), False)


@pytest.mark.parametrize("year", [2030, 2099])
def test_any_year_yields_a_provisional_deadline(year):
    # Oct 1-3 are statutory holidays in any year; +15 from Sep 16 lands on Oct 1 and rolls past them
    result = compute_due(rule="register", start=D(year, 9, 16))
    assert result.provisional is True
    assert result.due >= D(year, 10, 4)
    assert WorkCalendar().is_working_day(result.due)


# -- overdue, days left, never shorter ----------------------------------------------------------


def test_days_left_and_overdue_turn_at_the_end_of_the_due_day():
    due = D(2025, 2, 5)
    assert days_left(due=due, today=D(2025, 2, 1)) == 4
    assert days_left(due=due, today=due) == 0
    assert is_overdue(due=due, today=due) is False
    assert days_left(due=due, today=D(2025, 2, 6)) == -1
    assert is_overdue(due=due, today=D(2025, 2, 6)) is True


def test_a_told_deadline_is_kept_when_the_recomputation_is_earlier():
    told = compute_due(rule="recheck_decide", start=D(2025, 3, 3), pauses=[(D(2025, 3, 10), D(2025, 3, 14))])
    assert told.due == D(2025, 4, 7)
    # The pause is later withdrawn: the recomputation ends Apr 2, but the petitioner was told Apr 7.
    new = compute_due(rule="recheck_decide", start=D(2025, 3, 3))
    kept = never_shorter(told=told.due, new=new)
    assert (kept.due, kept.held_to_told, kept.provisional) == (D(2025, 4, 7), True, False)


def test_a_later_recomputation_replaces_the_told_deadline():
    new = compute_due(rule="recheck_decide", start=D(2025, 3, 3), pauses=[(D(2025, 3, 10), D(2025, 3, 14))])
    assert never_shorter(told=D(2025, 4, 2), new=new) is new
    assert never_shorter(told=None, new=new) is new


@needs_2027_provisional
def test_never_shorter_keeps_the_provisional_flag_only_when_the_new_date_is_used():
    new = compute_due(rule="register", start=D(2027, 1, 21))  # Feb 9 2027, provisional
    assert never_shorter(told=D(2027, 2, 1), new=new).provisional is True
    held = never_shorter(told=D(2027, 2, 10), new=new)
    assert (held.due, held.provisional, held.held_to_told) == (D(2027, 2, 10), False, True)


def test_many_deadlines_are_fast():
    # A sweep recomputes thousands of deadlines; the cached calendar makes each one cheap.
    calendar = WorkCalendar()
    starts = [D(2020, 1, 1) + dt.timedelta(days=i) for i in range(2000)]
    began = time.perf_counter()
    for start in starts:
        for rule in NATIONAL_2022.codes:
            compute_due(rule=rule, start=start, calendar=calendar)
    assert time.perf_counter() - began < 10  # 16,000 deadlines; about 0.1 s on a laptop
