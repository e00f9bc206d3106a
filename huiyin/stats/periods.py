"""Reporting periods: whole days in the site's time zone (Asia/Shanghai), read from ?from=&to=.

A period runs from the start of its first day to the end of its last day, local time; a case received
at 23:59 on the last day belongs to it. Bad input is refused with a message and nothing is computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from huiyin.core.dates import date_text

MAX_YEARS = 10
# Beyond these a date is a typing slip (and far dates overflow the time zone arithmetic).
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)


class PeriodError(ValueError):
    """The period asked for cannot be used; `message` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def local_zone() -> tzinfo:
    return timezone.get_default_timezone()


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass(frozen=True)
class Period:
    """An inclusive range of local days."""

    first: date
    last: date

    @property
    def start_at(self) -> datetime:
        """The first instant of the period (aware)."""
        return datetime.combine(self.first, time.min, tzinfo=local_zone())

    @property
    def end_at(self) -> datetime:
        """The first instant after the period (aware): the period is [start_at, end_at)."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=local_zone())

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def query(self) -> str:
        return f"from={self.first.isoformat()}&to={self.last.isoformat()}"

    def kind(self) -> str:
        """ "month", "quarter" or "year" when the period is exactly one calendar unit, else "days"."""
        if self.first.day != 1:
            return "days"
        following = self.last + timedelta(days=1)
        for kind, months in (("month", 1), ("quarter", 3), ("year", 12)):
            if following == _add_months(self.first, months):
                if kind == "quarter" and self.first != quarter_start(self.first):
                    continue
                if kind == "year" and self.first.month != 1:
                    continue
                return kind
        return "days"

    def previous(self) -> Period:
        """The period before, of equal length: the previous calendar unit for a month, quarter or
        year, else the same number of days just before."""
        kind = self.kind()
        months = {"month": 1, "quarter": 3, "year": 12}.get(kind)
        if months:
            first = _add_months(self.first, -months)
            return Period(first, self.first - timedelta(days=1))
        last = self.first - timedelta(days=1)
        return Period(last - timedelta(days=self.days - 1), last)

    def year_before(self) -> Period:
        """The same days one year earlier (29 February becomes the 28th)."""

        def back(day: date) -> date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:
                return day.replace(year=day.year - 1, day=28)

        return Period(back(self.first), back(self.last))

    def label(self) -> str:
        """How the period reads in a sentence: "2026年第1季度", "2026年3月", or "2026年1月5日至2026年2月10日"."""
        kind = self.kind()
        if kind == "quarter":
            return _("{year}, quarter {quarter}").format(year=self.first.year, quarter=(self.first.month + 2) // 3)
        if kind == "month":
            return _("{year}, month {month}").format(year=self.first.year, month=self.first.month)
        if kind == "year":
            return _("year {year}").format(year=self.first.year)
        return _("{first} to {last}").format(first=date_text(self.first), last=date_text(self.last))


def this_month(today: date) -> Period:
    first = today.replace(day=1)
    return Period(first, _add_months(first, 1) - timedelta(days=1))


def this_quarter(today: date) -> Period:
    first = quarter_start(today)
    return Period(first, _add_months(first, 3) - timedelta(days=1))


def this_year(today: date) -> Period:
    return Period(date(today.year, 1, 1), date(today.year, 12, 31))


def last_quarter(today: date) -> Period:
    return this_quarter(today).previous()


def quick_periods(today: date) -> list[tuple[str, Period]]:
    return [
        (_("This month"), this_month(today)),
        (_("This quarter"), this_quarter(today)),
        (_("This year"), this_year(today)),
        (_("Last quarter"), last_quarter(today)),
    ]


def _parse(raw: Any) -> date:
    text = str(raw or "").strip()
    try:
        parsed = parse_date(text) if len(text) <= 10 else None
    except ValueError:  # well formed, but no such day: 2026-02-30
        raise PeriodError(_("There is no day {text} in the calendar.").format(text=text)) from None
    if parsed is None:
        raise PeriodError(_("Enter the dates as YYYY-MM-DD, for example {example}.").format(example="2026-03-31"))
    return parsed


def period_from_query(params: Any, *, today: date | None = None) -> Period:
    """The period of a request's ?from=&to=, or the current quarter when neither is given.

    Raises `PeriodError` for an unreadable date, only one of the two, a start after the end, a date
    outside 1990–2100, or a period longer than ten years.
    """
    today = today or timezone.localdate()
    raw_from, raw_to = params.get("from", ""), params.get("to", "")
    if not str(raw_from or "").strip() and not str(raw_to or "").strip():
        return this_quarter(today)
    if not str(raw_from or "").strip() or not str(raw_to or "").strip():
        raise PeriodError(_("Give both the first and the last day of the period."))
    first, last = _parse(raw_from), _parse(raw_to)
    if first < EARLIEST or last > LATEST or last < EARLIEST or first > LATEST:
        raise PeriodError(
            _("Dates must lie between {earliest} and {latest}.").format(
                earliest=date_text(EARLIEST), latest=date_text(LATEST)
            )
        )
    if first > last:
        raise PeriodError(
            _("The first day ({first}) is after the last day ({last}).").format(
                first=date_text(first), last=date_text(last)
            )
        )
    if last >= _years_after(first, MAX_YEARS):
        raise PeriodError(_("A period can be at most {years} years long.").format(years=MAX_YEARS))
    return Period(first, last)
