"""The bridge from the case workflow to the statutory clock engine (`huiyin.clock`).

`due_for` is the only function the rest of the code calls. The calendar it uses is the installed
official schedule plus any schedule an administrator has loaded (see `calendar_provider`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from huiyin.clock import WorkCalendar, compute_due, default_calendar, get_profile

# Replaced by the workflow app when schedules are stored in the database.
calendar_provider: Callable[[], WorkCalendar] = default_calendar
DEFAULT_PROFILE = "national-2022"


@dataclass(frozen=True)
class DueDate:
    due: date
    provisional: bool = False


def due_for(
    *,
    rule: str,
    start: date,
    extension_days: int = 0,
    pauses: tuple[tuple[date, date], ...] = (),
    profile: str = "",
) -> DueDate:
    """The due date of `rule` for an event on `start` (counting from the next day), per the profile."""
    result = compute_due(
        rule=rule,
        start=start,
        profile=get_profile(profile or DEFAULT_PROFILE),
        pauses=pauses,
        extension_days=extension_days,
        calendar=calendar_provider(),
    )
    return DueDate(result.due, result.provisional)


def profile_for(case: object) -> str:
    """Accusation reports in the discipline compartment follow their own lane and clocks."""
    return "discipline" if getattr(case, "compartment", "") == "discipline" else DEFAULT_PROFILE
