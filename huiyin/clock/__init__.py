"""Huiyin's statutory clock engine: deadlines under 《信访工作条例》 and related rules.

Pure Python, no Django import. The public API:

- calendar: :class:`WorkCalendar`, :class:`YearSchedule`, :func:`provisional_schedule`,
  :func:`statutory_holidays`, :func:`official_years`, :func:`parse_schedule_text`, :func:`default_calendar`;
- rules: :class:`Rule`, :class:`Unit`, :class:`Profile`, :data:`NATIONAL_2022`, :data:`DISCIPLINE`,
  :data:`PROFILES`, :func:`get_profile`;
- engine: :class:`Due`, :func:`compute_due`, :func:`days_left`, :func:`is_overdue`, :func:`never_shorter`;
- errors: :class:`ClockError` and its subclasses.
"""

from huiyin.clock.calendar import (
    WorkCalendar,
    YearSchedule,
    default_calendar,
    installed_schedule,
    official_years,
    parse_schedule_text,
    provisional_schedule,
    statutory_holidays,
)
from huiyin.clock.engine import Due, compute_due, days_left, is_overdue, never_shorter, normalise_pauses
from huiyin.clock.errors import ClockError, ExtensionError, PauseError, Problem, ProfileError, ScheduleError
from huiyin.clock.rules import (
    CORE_RULE_CODES,
    DISCIPLINE,
    KNOWN_RULE_CODES,
    NATIONAL_2022,
    PROFILES,
    Profile,
    Rule,
    Unit,
    get_profile,
)

__all__ = [
    "CORE_RULE_CODES",
    "DISCIPLINE",
    "KNOWN_RULE_CODES",
    "NATIONAL_2022",
    "PROFILES",
    "ClockError",
    "Due",
    "ExtensionError",
    "PauseError",
    "Problem",
    "Profile",
    "ProfileError",
    "Rule",
    "ScheduleError",
    "Unit",
    "WorkCalendar",
    "YearSchedule",
    "compute_due",
    "days_left",
    "default_calendar",
    "get_profile",
    "installed_schedule",
    "is_overdue",
    "never_shorter",
    "normalise_pauses",
    "official_years",
    "parse_schedule_text",
    "provisional_schedule",
    "statutory_holidays",
]
