"""Dates as people read them: 2026年11月24日 in Chinese, the locale's format in English."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.utils import translation

from huiyin.core.dates import date_text, datetime_text


def test_a_day_is_written_the_way_the_language_writes_it():
    with translation.override("zh-hans"):
        assert date_text(date(2026, 11, 24)) == "2026年11月24日"
        assert date_text(date(2027, 1, 5)) == "2027年1月5日"  # no leading zeros
    with translation.override("en"):
        assert date_text(date(2026, 11, 24)) == "Nov. 24, 2026"


def test_a_moment_is_read_in_local_time():
    late_evening_utc = datetime(2026, 11, 24, 17, 5, tzinfo=UTC)  # 01:05 the next day in Shanghai
    with translation.override("zh-hans"):
        assert date_text(late_evening_utc) == "2026年11月25日"
        assert datetime_text(late_evening_utc) == "2026年11月25日 01:05"
