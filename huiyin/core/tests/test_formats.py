"""Dates in Simplified Chinese are written without zero-padding, a month and day as a full date is: 9月5日."""

from __future__ import annotations

from datetime import date

from django.utils import formats, translation


def test_a_month_and_day_is_not_zero_padded_in_chinese():
    with translation.override("zh-hans"):
        assert formats.date_format(date(2026, 9, 5), "MONTH_DAY_FORMAT") == "9月5日"
        assert formats.date_format(date(2026, 9, 5), "DATE_FORMAT") == "2026年9月5日"  # Django's own, unchanged
    with translation.override("en"):
        assert formats.date_format(date(2026, 9, 5), "MONTH_DAY_FORMAT") == "September 5"
