"""The working-day calendar: official data, statutory days, provisional years, overrides, data formats."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from chinese_calendar.constants import holidays as official_holidays
from lunar_python import Lunar, LunarYear

from huiyin.clock import (
    ScheduleError,
    WorkCalendar,
    YearSchedule,
    official_years,
    parse_schedule_text,
    provisional_schedule,
    statutory_holidays,
)
from huiyin.clock.calendar import installed_schedule

D = dt.date
LAST_OFFICIAL = max(official_years())
FIRST_PROVISIONAL = LAST_OFFICIAL + 1
needs_2027_provisional = pytest.mark.skipif(
    2027 in official_years(), reason="the installed chinesecalendar already ships 2027"
)


# -- the installed package ---------------------------------------------------------------------


def test_installed_package_covers_2020_to_2026():
    years = official_years()
    assert 2020 in years
    assert 2026 in years
    assert FIRST_PROVISIONAL not in years


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 26), True),  # Sunday, make-up workday for Spring Festival 2025
        (D(2025, 2, 8), True),  # Saturday, make-up workday for Spring Festival 2025
        (D(2025, 9, 28), True),  # Sunday, make-up workday for National Day 2025
        (D(2025, 10, 11), True),  # Saturday, make-up workday for National Day 2025
        (D(2026, 1, 4), True),  # Sunday, make-up workday for New Year 2026
        (D(2024, 2, 18), True),  # Sunday, make-up workday for Spring Festival 2024
        (D(2024, 2, 9), True),  # Friday, Spring Festival eve 2024: not a holiday under the 2013 law
        (D(2025, 1, 28), False),  # Tuesday, Spring Festival eve 2025: statutory since the 2024 revision
        (D(2025, 10, 6), False),  # Monday, Mid-Autumn 2025 inside the National Day block
        (D(2025, 10, 8), False),  # Wednesday, last day of the National Day block
        (D(2026, 2, 23), False),  # Monday, last day of Spring Festival 2026
        (D(2025, 3, 1), False),  # an ordinary Saturday
        (D(2025, 3, 3), True),  # an ordinary Monday
    ],
)
def test_working_days_follow_the_official_schedule(day, working):
    assert WorkCalendar().is_working_day(day) is working


def test_statutory_days_are_rest_days_in_every_official_year():
    # The lunar and solar-term computation agrees with the published schedules, 2004-2026.
    cal = WorkCalendar()
    for year in official_years():
        for day in statutory_holidays(year):
            assert not cal.is_working_day(day), (year, day)


@pytest.mark.parametrize("year", range(2020, 2027))
def test_official_holidays_contain_the_legal_days_2020_to_2026(year):
    legal = set(statutory_holidays(year))
    listed = {d for d in official_holidays if d.year == year}
    assert legal <= listed, sorted(legal - listed)


@pytest.mark.parametrize(
    ("year", "eve", "qingming", "dragon_boat", "mid_autumn"),
    [
        (2024, None, D(2024, 4, 4), D(2024, 6, 10), D(2024, 9, 17)),  # eve not statutory before 2025
        (2025, D(2025, 1, 28), D(2025, 4, 4), D(2025, 5, 31), D(2025, 10, 6)),
        (2026, D(2026, 2, 16), D(2026, 4, 5), D(2026, 6, 19), D(2026, 9, 25)),
        (2027, D(2027, 2, 5), D(2027, 4, 5), D(2027, 6, 9), D(2027, 9, 15)),
    ],
)
def test_lunar_holidays_fall_on_the_expected_dates(year, eve, qingming, dragon_boat, mid_autumn):
    days = statutory_holidays(year)
    if eve is not None:
        assert days[eve] == "Spring Festival"
    assert days[qingming] == "Tomb-sweeping Day"
    assert days[dragon_boat] == "Dragon Boat Festival"
    assert days[mid_autumn] == "Mid-autumn Festival"


def test_spring_festival_eve_is_the_29th_when_the_twelfth_month_is_short():
    # The 12th month of lunar year 2025 has 29 days, so 除夕 2026 is 腊月廿九 (Feb 16), not the 30th.
    assert LunarYear.fromYear(2025).getMonth(12).getDayCount() == 29
    assert Lunar.fromYmd(2025, 12, 29).getSolar().toYmd() == "2026-02-16"
    assert D(2026, 2, 16) in statutory_holidays(2026)
    assert D(2026, 2, 15) not in statutory_holidays(2026)


def test_statutory_days_follow_the_law_in_force_each_year():
    assert len(statutory_holidays(2025)) == 13  # 2024 revision: 1+4+1+2+1+1+3
    assert len(statutory_holidays(2024)) == 11  # 2013 revision: 1+3+1+1+1+1+3
    assert D(2024, 5, 2) not in statutory_holidays(2024)
    assert D(2025, 5, 2) in statutory_holidays(2025)


# -- provisional years -------------------------------------------------------------------------


@needs_2027_provisional
def test_provisional_2027_has_the_statutory_holidays():
    cal = WorkCalendar()
    assert cal.is_provisional(2027)
    assert cal.is_provisional(D(2027, 7, 1))
    assert cal.source(2027) == "provisional"
    expected = {
        D(2027, 1, 1),  # New Year's Day (Friday)
        D(2027, 2, 5),  # 除夕 (Friday), the day before lunar New Year 2027-02-06
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),  # lunar 1/1-1/3 (Sat-Mon)
        D(2027, 4, 5),  # Qingming solar term (Monday)
        D(2027, 5, 1),
        D(2027, 5, 2),  # Labour Day (Sat-Sun)
        D(2027, 6, 9),  # Dragon Boat, lunar 5/5 (Wednesday)
        D(2027, 9, 15),  # Mid-Autumn, lunar 8/15 (Wednesday)
        D(2027, 10, 1),
        D(2027, 10, 2),
        D(2027, 10, 3),  # National Day (Fri-Sun)
    }
    assert provisional_schedule(2027).holidays == frozenset(expected)
    assert provisional_schedule(2027).workdays == frozenset()
    for day in expected:
        assert not cal.is_working_day(day), day
    # No bridging and no make-up workdays: the Tuesday after Spring Festival works, weekends rest.
    assert cal.is_working_day(D(2027, 2, 9))
    assert not cal.is_working_day(D(2027, 2, 13))


def test_first_year_after_the_installed_data_is_provisional():
    cal = WorkCalendar()
    assert cal.is_provisional(FIRST_PROVISIONAL)
    assert not cal.is_provisional(LAST_OFFICIAL)
    assert D(FIRST_PROVISIONAL, 10, 1) in provisional_schedule(FIRST_PROVISIONAL).holidays


@pytest.mark.parametrize("year", [2030, 2099, 2500, 1990])
def test_any_year_has_a_schedule(year):
    cal = WorkCalendar()
    assert cal.is_provisional(year)
    assert not cal.is_working_day(D(year, 10, 1))
    assert cal.next_working_day_on_or_after(D(year, 10, 1)) > D(year, 10, 1)


def test_overrides_make_a_year_final_and_take_precedence():
    override = YearSchedule(year=2027, holidays=frozenset({D(2027, 1, 1)}), workdays=frozenset({D(2027, 1, 2)}))
    cal = WorkCalendar(overrides={2027: override})
    assert not cal.is_provisional(2027)
    assert cal.source(2027) == "override"
    assert cal.is_working_day(D(2027, 1, 2))  # a make-up Saturday in the loaded schedule
    assert cal.is_working_day(D(2027, 2, 8))  # not a holiday in the (hypothetical) loaded schedule
    assert 2027 in cal.official_years()
    # An override also replaces an installed year.
    cal_2025 = WorkCalendar(overrides={2025: YearSchedule(year=2025)})
    assert cal_2025.is_working_day(D(2025, 10, 1))  # a Wednesday, no longer a holiday
    assert cal_2025.source(2025) == "override"


def test_override_keyed_by_the_wrong_year_is_rejected():
    with pytest.raises(ScheduleError, match="keyed 2028"):
        WorkCalendar(overrides={2028: YearSchedule(year=2027)})


def test_working_days_between_counts_the_half_open_range():
    cal = WorkCalendar()
    # (2025-09-25, 2025-10-09]: Sep 26, Sep 28 (make-up Sunday), Sep 29, Sep 30, Oct 9 = 5
    assert cal.working_days_between(after=D(2025, 9, 25), through=D(2025, 10, 9)) == 5
    # Across a year boundary into a provisional year: Dec 30, Dec 31 2026, Jan 4 2027 = 3
    assert cal.working_days_between(after=D(2026, 12, 29), through=D(2027, 1, 4)) == 3
    assert cal.working_days_between(after=D(2025, 3, 3), through=D(2025, 3, 3)) == 0


# -- data formats ------------------------------------------------------------------------------


def test_year_schedule_round_trips_through_dict_and_json():
    schedule = installed_schedule(2025)
    assert schedule is not None
    data = json.loads(json.dumps(schedule.to_dict()))
    again = YearSchedule.from_dict(data)
    assert again == schedule
    assert again.names[D(2025, 1, 26)] == "Spring Festival"


def test_year_schedule_round_trips_through_text():
    schedule = installed_schedule(2026)
    assert schedule is not None
    assert YearSchedule.from_text(schedule.to_text(), year=2026) == schedule


def test_parse_schedule_text_accepts_comments_header_bom_and_names_with_commas():
    text = (
        "\ufeffdate,kind,name\n"
        "# official notice, 2027\n"
        "\n"
        "2027-01-01, holiday, New Year's Day\n"
        "2027-02-20,WORKDAY,Spring Festival, make-up\n"
        "2028-01-01,holiday\n"
    )
    schedules = parse_schedule_text(text)
    assert sorted(schedules) == [2027, 2028]
    assert schedules[2027].holidays == {D(2027, 1, 1)}
    assert schedules[2027].workdays == {D(2027, 2, 20)}
    assert schedules[2027].names[D(2027, 2, 20)] == "Spring Festival, make-up"
    cal = WorkCalendar(overrides=schedules)
    assert cal.is_working_day(D(2027, 2, 20))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-02-30,holiday\n", "line 1: '2027-02-30' is not a valid calendar date"),
        ("27-1-1,holiday\n", "line 1: '27-1-1' is not a date written as YYYY-MM-DD"),
        ("2027-01-01,vacation\n", "line 1: kind must be 'holiday' or 'workday'"),
        ("2027-01-01\n", "line 1: expected 'YYYY-MM-DD,holiday|workday[,name]'"),
        ("2027-01-04,workday\n", "line 1: 2027-01-04 is a Monday; a make-up workday must fall on a Saturday"),
        ("2027-01-02,holiday\n# x\n2027-01-02,workday\n", "line 3: 2027-01-02 was already listed on line 1"),
        ("# nothing\n", "no schedule entries found"),
    ],
)
def test_parse_schedule_text_reports_clear_errors(text, message):
    with pytest.raises(ScheduleError) as caught:
        parse_schedule_text(text)
    assert message in str(caught.value)


def test_parse_schedule_text_collects_every_error():
    with pytest.raises(ScheduleError) as caught:
        parse_schedule_text("2027-01-01,holiday\nbad\n2026-12-31,holiday\n", year=2027)
    assert len(caught.value.errors) == 2
    assert "line 2" in caught.value.errors[0]
    assert "line 3: 2026-12-31 is not in 2027" in caught.value.errors[1]


def test_parse_schedule_text_for_one_year_may_be_empty():
    assert parse_schedule_text("", year=2027)[2027] == YearSchedule(year=2027)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": 2027, "holidays": ["2027-13-01"]}, "holidays[0]: '2027-13-01' is not a valid calendar date"),
        ({"year": 2027, "holidays": ["2028-01-01"]}, "contains 2028-01-01, which is not in 2027"),
        ({"year": 2027, "holidays": ["2027-01-02"], "workdays": ["2027-01-02"]}, "both as holiday and as workday"),
        ({"year": 2027, "holidays": ["2027-01-01", "2027-01-01"]}, "2027-01-01 is listed twice"),
        ({"year": 2027, "holiday": []}, "unknown keys in year schedule: holiday"),
        ({"holidays": []}, "needs a 'year'"),
        ({"year": "2027"}, "'year' must be an integer"),
        ({"year": 2027, "holidays": "2027-01-01"}, "'holidays' must be a list"),
        ({"year": 2027, "workdays": ["2027-01-05"]}, "must fall on a Saturday or Sunday"),
        ({"year": 2027, "names": {"2027-03-01": "x"}}, "a name is given for 2027-03-01, which is neither"),
    ],
)
def test_year_schedule_from_dict_reports_clear_errors(data, message):
    with pytest.raises(ScheduleError) as caught:
        YearSchedule.from_dict(data)
    assert message in str(caught.value)


def test_missing_statutory_holidays_flags_a_typing_mistake():
    assert installed_schedule(2025).missing_statutory_holidays() == []
    schedule = YearSchedule.from_dict({"year": 2027, "holidays": ["2027-01-01"]})
    missing = schedule.missing_statutory_holidays()
    assert D(2027, 2, 5) in missing  # Spring Festival eve, a Friday
    assert D(2027, 5, 1) not in missing  # a Saturday: a rest day anyway


def test_schedule_problems_keep_a_translatable_message_and_its_values():
    with pytest.raises(ScheduleError) as caught:
        parse_schedule_text("2027-01-04,workday\n2027-01-09,vacation\n", year=2027)
    first, second = caught.value.problems
    assert first.message == "line {line}: {date} is a {weekday}; a make-up workday must fall on a Saturday or Sunday"
    assert dict(first.params) == {"line": 1, "date": "2027-01-04", "weekday": "Monday"}
    assert second.message == "line {line}: kind must be 'holiday' or 'workday', not {kind!r}"
    assert caught.value.errors == (str(first), str(second))


@pytest.mark.parametrize(
    "data",
    [
        {"year": 2027, "holidays": ["2027-13-01"]},
        {"year": 2027, "holidays": ["2028-01-01"]},
        {"year": 2027, "holiday": []},
        {"year": "2027"},
        {"year": 2027, "workdays": ["2027-01-05"]},
    ],
)
def test_every_schedule_error_carries_a_translatable_message(data):
    with pytest.raises(ScheduleError) as caught:
        YearSchedule.from_dict(data)
    (problem,) = caught.value.problems
    assert "{" in problem.message and problem.message != "{message}"
    assert str(caught.value) == str(problem)
