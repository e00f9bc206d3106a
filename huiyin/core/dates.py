"""Dates and times as people read them: in the active language's format (2026年11月24日 in Chinese).

Pages use the `date` filter with "DATE_FORMAT" or "DATETIME_FORMAT"; text written in Python (notices,
messages, timeline notes) uses these. ISO dates stay where programs read them: the API, exports, file
names, the audit record's details, date inputs.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone


def date_text(value: date | datetime) -> str:
    """A day, or the local day of a moment, as the active language writes it."""
    if isinstance(value, datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return formats.date_format(value, "DATE_FORMAT")


def datetime_text(value: datetime) -> str:
    """A moment in local time, as the active language writes it (2026年11月24日 14:05)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")
