"""Checks of a registration that depend on more than one field, shared by every way into the register.

`huiyin.cases.services.case_register` writes the case; the dates it is given are checked here so the
staff form and any other caller refuse the same implausible values with the same messages.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from huiyin.cases.states import Source
from huiyin.core.errors import DomainError

# A matter received longer ago than this is almost always a mistyped year (its case number would carry
# the old year and its time limit would have run out long ago).
MAX_AGE_YEARS = 1
# Clock differences between a clerk's computer and the server.
FUTURE_TOLERANCE = timedelta(minutes=5)


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
    """Refuse a time received in the future or more than a year ago, and a forwarding authority's
    deadline before the day the matter was received. Raises DomainError naming the field."""
    now = now or timezone.now()
    if received_at > now + FUTURE_TOLERANCE:
        raise DomainError(
            _("The time received cannot be in the future."), fields={"received_at": [_("In the future.")]}
        )
    received_on = timezone.localtime(received_at).date()
    if received_on < _years_before(timezone.localtime(now).date(), MAX_AGE_YEARS):
        raise DomainError(
            _("The time received cannot be more than a year ago: check the date."),
            fields={"received_at": [_("More than a year ago.")]},
        )
    if source == Source.FORWARDED and forwarded_deadline is not None and forwarded_deadline < received_on:
        raise DomainError(
            _("The forwarding authority's deadline cannot be before the day the matter was received."),
            fields={"forwarded_deadline": [_("Before the day received.")]},
        )
