"""Checks of a registration typed by a clerk, on top of those `huiyin.cases.services.case_register` makes
on every channel (`register_dates_check`): a registration form refuses a time received more than a year
ago, almost always a mistyped year. The seed and other callers may register older matters."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from huiyin.cases.services import register_dates_check
from huiyin.cases.states import Source
from huiyin.core.errors import DomainError

# A matter received longer ago than this is almost always a mistyped year (its case number would carry
# the old year and its time limit would have run out long ago).
MAX_AGE_YEARS = 1


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def intake_dates_check(
    *,
    received_at: datetime,
    source: str = Source.OWN,
    forwarded_deadline: date | None = None,
    now: datetime | None = None,
) -> None:
    """Refuse what `case_register` refuses on every channel (a time received in the future, a forwarding
    authority's deadline before the day received) and, typed by hand, a time received more than a year
    ago. Raises DomainError naming the field."""
    now = now or timezone.now()
    register_dates_check(received_at=received_at, now=now, source=source, forwarded_deadline=forwarded_deadline)
    received_on = timezone.localtime(received_at).date()
    if received_on < _years_before(timezone.localtime(now).date(), MAX_AGE_YEARS):
        raise DomainError(
            _("The time received cannot be more than a year ago: check the date."),
            fields={"received_at": [_("More than a year ago.")]},
        )
