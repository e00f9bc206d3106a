"""Periods: quick links, the previous period, local-day instants, and refusing bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from huiyin.stats.periods import (
    Period,
    PeriodError,
    last_quarter,
    period_from_query,
    this_month,
    this_quarter,
    this_year,
)


def test_quick_periods():
    today = date(2026, 2, 14)
    assert this_month(today) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert this_quarter(today) == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert this_year(today) == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert last_quarter(today) == Period(date(2025, 10, 1), date(2025, 12, 31))


def test_default_is_the_current_quarter():
    assert period_from_query({}, today=date(2026, 11, 24)) == Period(date(2026, 10, 1), date(2026, 12, 31))


def test_previous_period_of_equal_length():
    assert Period(date(2026, 4, 1), date(2026, 6, 30)).previous() == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert Period(date(2026, 3, 1), date(2026, 3, 31)).previous() == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert Period(date(2026, 1, 1), date(2026, 12, 31)).previous() == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert Period(date(2026, 3, 11), date(2026, 3, 20)).previous() == Period(date(2026, 3, 1), date(2026, 3, 10))
    assert Period(date(2024, 2, 29), date(2024, 3, 5)).year_before() == Period(date(2023, 2, 28), date(2023, 3, 5))


def test_instants_are_local_midnights():
    period = Period(date(2026, 1, 1), date(2026, 3, 31))
    assert period.start_at.astimezone(UTC) == datetime(2025, 12, 31, 16, 0, tzinfo=UTC)
    assert period.end_at.astimezone(UTC) == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    assert period.days == 90


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-02-30", "to": "2026-03-01"},
        {"from": "2026/01/01", "to": "2026-03-01"},
        {"from": "2026-01-01", "to": "x" * 5000},
        {"from": "2026-04-01", "to": "2026-03-01"},
        {"from": "2016-01-01", "to": "2026-01-01"},
        {"from": "", "to": "2026-01-01"},
        {"from": "1900-01-01", "to": "1900-02-01"},
        {"from": "2026-01-01", "to": "9999-12-31"},
    ],
)
def test_bad_input_is_refused(params):
    with pytest.raises(PeriodError):
        period_from_query(params)


def test_ten_years_exactly_is_allowed():
    assert period_from_query({"from": "2016-01-01", "to": "2025-12-31"}).days == 3653


def test_a_day_not_in_the_calendar_is_named_as_such():
    """Found in a walk-through: 2026-02-30 was refused as if written in the wrong format."""
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(PeriodError, match="日历中没有 2026-02-30 这一天"):
        period_from_query({"from": "2026-02-30", "to": "2026-03-01"})
