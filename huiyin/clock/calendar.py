"""Working-day calendar: the official holiday schedule, administrator overrides and provisional years.

Three sources decide whether a date is a working day, in this order of precedence:

1. **Overrides** — a :class:`YearSchedule` per year, loaded by an administrator from the State
   Council's notice (国务院办公厅关于某年部分节假日安排的通知). An override replaces the whole year.
2. **The installed package** ``chinesecalendar`` (import name ``chinese_calendar``), which ships the
   official schedules for the years reported by :func:`official_years` (2004–2026 in version 1.11).
3. **A provisional schedule** computed from the law (《全国年节及纪念日放假办法》) for any other year:
   the statutory holiday days plus weekends, with no make-up working days and no bridging days.
   Deadlines that depend on such a year are flagged provisional by the engine.

A year from sources 1 or 2 is *final*; a year from source 3 is *provisional*.

A :class:`WorkCalendar` caches one small ``bytes`` table per year (1 = working day), so asking
about a date costs a dict look-up and an index: cheap enough for sweeps over many thousands of
cases. Build one calendar per set of overrides and reuse it; :func:`default_calendar` is the
shared instance without overrides.

This module has no Django import. It is safe to use from threads: the caches are filled with
idempotent values.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from huiyin.clock.errors import Problem, ScheduleError, gettext_noop

__all__ = [
    "HOLIDAY",
    "WORKDAY",
    "ScheduleError",
    "ScheduleSource",
    "WorkCalendar",
    "YearSchedule",
    "default_calendar",
    "installed_schedule",
    "official_years",
    "parse_schedule_text",
    "provisional_schedule",
    "statutory_holidays",
]

HOLIDAY = "holiday"
WORKDAY = "workday"

ScheduleSource = Literal["override", "installed", "provisional"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_ERRORS = 20
# English weekday names (``strftime('%A')`` depends on the locale); the user interface translates them.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Names of the date sets as they appear in messages (translated by the user interface).
_LABELS = {"holidays": gettext_noop("holidays"), "workdays": gettext_noop("workdays")}


def _fail(message: str, **params: Any) -> ScheduleError:
    """A :class:`ScheduleError` with one translatable problem (`message` is marked where it is written)."""
    return ScheduleError(Problem(message, params))


# --------------------------------------------------------------------------------------------
# Year schedules as data
# --------------------------------------------------------------------------------------------


def _parse_iso(value: Any, where: str = "", *, line: int | None = None) -> _dt.date:
    """Parse one ``YYYY-MM-DD`` string, raising :class:`ScheduleError` that names ``where`` or the line."""
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        if line is not None:
            raise _fail(
                gettext_noop("line {line}: {value!r} is not a date written as YYYY-MM-DD"), line=line, value=value
            )
        raise _fail(gettext_noop("{where}: {value!r} is not a date written as YYYY-MM-DD"), where=where, value=value)
    try:
        return _dt.date.fromisoformat(value.strip())
    except ValueError:
        if line is not None:
            raise _fail(
                gettext_noop("line {line}: {value!r} is not a valid calendar date"), line=line, value=value
            ) from None
        raise _fail(gettext_noop("{where}: {value!r} is not a valid calendar date"), where=where, value=value) from None


def _is_plain_date(value: object) -> bool:
    return isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """The holiday schedule of one Gregorian year, as published or as computed.

    ``holidays`` are the days off announced for the year (they may include Saturdays and Sundays
    inside a holiday block, as the official notices list them); ``workdays`` are the make-up
    working days (调休上班), which always fall on a Saturday or Sunday. Every other Monday–Friday is
    a working day and every other Saturday and Sunday is a rest day. ``names`` optionally labels
    dates (e.g. ``"Spring Festival"``) for display; it takes no part in equality.

    Construction validates the data and raises :class:`ScheduleError` with a clear message.
    """

    year: int
    holidays: frozenset[_dt.date] = frozenset()
    workdays: frozenset[_dt.date] = frozenset()
    names: Mapping[_dt.date, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        year = self.year
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
            raise _fail(gettext_noop("year must be an integer between 1 and 9999, not {year!r}"), year=year)
        holidays = self._checked_dates(self.holidays, "holidays")
        workdays = self._checked_dates(self.workdays, "workdays")
        both = holidays & workdays
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise _fail(gettext_noop("{year}: listed both as holiday and as workday: {dates}"), year=year, dates=listed)
        weekdays = sorted(d for d in workdays if d.weekday() < 5)
        if weekdays:
            listed = ", ".join(d.isoformat() for d in weekdays)
            raise _fail(
                gettext_noop(
                    "{year}: a make-up workday must fall on a Saturday or Sunday; these are weekdays: {dates}"
                ),
                year=year,
                dates=listed,
            )
        names: dict[_dt.date, str] = {}
        for key, value in dict(self.names).items():
            if not _is_plain_date(key) or (key not in holidays and key not in workdays):
                shown = key.isoformat() if _is_plain_date(key) else repr(key)
                raise _fail(
                    gettext_noop("{year}: a name is given for {date}, which is neither a holiday nor a workday"),
                    year=year,
                    date=shown,
                )
            if not isinstance(value, str):
                raise _fail(
                    gettext_noop("{year}: the name of {date} must be text, not {value!r}"),
                    year=year,
                    date=key.isoformat(),
                    value=value,
                )
            if value.strip():
                names[key] = value.strip()
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "workdays", workdays)
        object.__setattr__(self, "names", MappingProxyType(names))

    def _checked_dates(self, values: Iterable[_dt.date], label: str) -> frozenset[_dt.date]:
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise _fail(
                gettext_noop("{year}: {label} must be a collection of dates, not {value!r}"),
                year=self.year,
                label=_LABELS[label],
                value=values,
            )
        result = frozenset(values)
        for d in result:
            if not _is_plain_date(d):
                raise _fail(
                    gettext_noop("{year}: {label} must contain dates only, found {value!r}"),
                    year=self.year,
                    label=_LABELS[label],
                    value=d,
                )
            if d.year != self.year:
                raise _fail(
                    gettext_noop(
                        "{year}: {label} contains {date}, which is not in {year}; "
                        "each year's schedule holds only that year's dates"
                    ),
                    year=self.year,
                    label=_LABELS[label],
                    date=d.isoformat(),
                )
        return result

    # -- serialisation -------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> YearSchedule:
        """Build a schedule from the JSON-friendly form produced by :meth:`to_dict`.

        ``{"year": 2027, "holidays": ["2027-01-01", ...], "workdays": [...],
        "names": {"2027-01-01": "New Year's Day"}}``; ``workdays`` and ``names`` are optional.
        Raises :class:`ScheduleError` on any problem.
        """
        if not isinstance(data, Mapping):
            raise _fail(gettext_noop("a year schedule must be a mapping, not {type}"), type=type(data).__name__)
        unknown = sorted(set(data) - {"year", "holidays", "workdays", "names"})
        if unknown:
            raise _fail(gettext_noop("unknown keys in year schedule: {keys}"), keys=", ".join(map(str, unknown)))
        if "year" not in data:
            raise _fail(gettext_noop("a year schedule needs a 'year'"))
        year = data["year"]
        if isinstance(year, bool) or not isinstance(year, int):
            raise _fail(gettext_noop("'year' must be an integer, not {year!r}"), year=year)

        def dates(key: str) -> list[_dt.date]:
            raw = data.get(key, [])
            if isinstance(raw, str | bytes) or not isinstance(raw, list | tuple):
                raise _fail(gettext_noop("{year}: '{key}' must be a list of YYYY-MM-DD strings"), year=year, key=key)
            parsed = [_parse_iso(v, f"{year}: {key}[{i}]") for i, v in enumerate(raw)]
            seen: set[_dt.date] = set()
            for d in parsed:
                if d in seen:
                    raise _fail(
                        gettext_noop("{year}: {date} is listed twice in '{key}'"),
                        year=year,
                        date=d.isoformat(),
                        key=key,
                    )
                seen.add(d)
            return parsed

        holidays = dates("holidays")
        workdays = dates("workdays")
        raw_names = data.get("names", {})
        if not isinstance(raw_names, Mapping):
            raise _fail(gettext_noop("{year}: 'names' must be a mapping of YYYY-MM-DD to text"), year=year)
        names = {_parse_iso(k, f"{year}: names"): v for k, v in raw_names.items()}
        return cls(year=year, holidays=frozenset(holidays), workdays=frozenset(workdays), names=names)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (ISO date strings, sorted); inverse of :meth:`from_dict`."""
        return {
            "year": self.year,
            "holidays": [d.isoformat() for d in sorted(self.holidays)],
            "workdays": [d.isoformat() for d in sorted(self.workdays)],
            "names": {d.isoformat(): self.names[d] for d in sorted(self.names)},
        }

    @classmethod
    def from_text(cls, text: str, *, year: int) -> YearSchedule:
        """Parse the text/CSV format (see :func:`parse_schedule_text`) for exactly one ``year``."""
        return parse_schedule_text(text, year=year)[year]

    def to_text(self) -> str:
        """The text/CSV form, one ``YYYY-MM-DD,holiday|workday[,name]`` line per date, in date order."""
        lines = [f"# schedule for {self.year}"]
        for d in sorted(self.holidays | self.workdays):
            kind = HOLIDAY if d in self.holidays else WORKDAY
            name = self.names.get(d)
            lines.append(f"{d.isoformat()},{kind},{name}" if name else f"{d.isoformat()},{kind}")
        return "\n".join(lines) + "\n"

    # -- checks ----------------------------------------------------------------------------------

    def missing_statutory_holidays(self) -> list[_dt.date]:
        """Statutory holiday days (law in force for the year) that this schedule would make working days.

        A statutory day must be listed as a holiday unless it falls on an ordinary Saturday or Sunday
        (official data sometimes leaves those out). An official schedule never has such a day; a
        non-empty answer for a loaded schedule usually means a typing mistake, so an admin page
        should show it as a warning.
        """
        return sorted(
            d
            for d in statutory_holidays(self.year)
            if d not in self.holidays and (d.weekday() < 5 or d in self.workdays)
        )


def parse_schedule_text(text: str, *, year: int | None = None) -> dict[int, YearSchedule]:
    """Parse holiday schedules written one date per line as ``YYYY-MM-DD,holiday|workday[,name]``.

    Blank lines and lines starting with ``#`` are ignored, as are a leading byte-order mark and an
    optional header line ``date,kind,name``. ``kind`` is case-insensitive; the name may contain
    commas. Returns one :class:`YearSchedule` per year found; with ``year`` given, every date must
    be in that year and the result always holds that year (possibly with no entries).

    Every problem is collected and reported together in one :class:`ScheduleError` whose message
    names the line numbers; ``exc.errors`` holds the individual messages.
    """
    if not isinstance(text, str):
        raise _fail(gettext_noop("schedule text must be a string, not {type}"), type=type(text).__name__)
    errors: list[Problem] = []
    entries: dict[_dt.date, tuple[str, str, int]] = {}
    header_allowed = True
    for number, raw_line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(",", 2)]
        if header_allowed and [f.lower() for f in fields[:2]] == ["date", "kind"]:
            header_allowed = False
            continue
        header_allowed = False
        if len(fields) < 2:
            errors.append(
                Problem(
                    gettext_noop("line {line}: expected 'YYYY-MM-DD,holiday|workday[,name]', got {text!r}"),
                    {"line": number, "text": line},
                )
            )
            continue
        try:
            day = _parse_iso(fields[0], line=number)
        except ScheduleError as exc:
            errors.extend(exc.problems)
            continue
        kind = fields[1].lower()
        if kind not in (HOLIDAY, WORKDAY):
            errors.append(
                Problem(
                    gettext_noop("line {line}: kind must be 'holiday' or 'workday', not {kind!r}"),
                    {"line": number, "kind": fields[1]},
                )
            )
            continue
        if year is not None and day.year != year:
            errors.append(
                Problem(
                    gettext_noop("line {line}: {date} is not in {year}"),
                    {"line": number, "date": day.isoformat(), "year": year},
                )
            )
            continue
        if kind == WORKDAY and day.weekday() < 5:
            errors.append(
                Problem(
                    gettext_noop(
                        "line {line}: {date} is a {weekday}; a make-up workday must fall on a Saturday or Sunday"
                    ),
                    {"line": number, "date": day.isoformat(), "weekday": _WEEKDAYS[day.weekday()]},
                )
            )
            continue
        if day in entries:
            errors.append(
                Problem(
                    gettext_noop("line {line}: {date} was already listed on line {first}"),
                    {"line": number, "date": day.isoformat(), "first": entries[day][2]},
                )
            )
            continue
        entries[day] = (kind, fields[2] if len(fields) > 2 else "", number)
    if not entries and not errors and year is None:
        errors.append(
            Problem(gettext_noop("no schedule entries found (expected lines 'YYYY-MM-DD,holiday|workday[,name]')"))
        )
    if errors:
        shown = [str(problem) for problem in errors[:_MAX_ERRORS]]
        more = f"\n... and {len(errors) - _MAX_ERRORS} more" if len(errors) > _MAX_ERRORS else ""
        raise ScheduleError("invalid schedule:\n" + "\n".join(shown) + more, errors=errors)

    years = sorted({d.year for d in entries} | ({year} if year is not None else set()))
    result: dict[int, YearSchedule] = {}
    for y in years:
        mine = {d: e for d, e in entries.items() if d.year == y}
        result[y] = YearSchedule(
            year=y,
            holidays=frozenset(d for d, (kind, _, _) in mine.items() if kind == HOLIDAY),
            workdays=frozenset(d for d, (kind, _, _) in mine.items() if kind == WORKDAY),
            names={d: name for d, (_, name, _) in mine.items() if name},
        )
    return result


# --------------------------------------------------------------------------------------------
# The law: statutory holidays and the provisional schedule
# --------------------------------------------------------------------------------------------


class _Law(NamedTuple):
    """One version of 《全国年节及纪念日放假办法》, in force from 1 January of ``first_year``."""

    first_year: int
    title: str
    spring_eve: bool  # 农历除夕 is a holiday
    spring_days: tuple[int, ...]  # days of the first lunar month
    labour_days: tuple[int, ...]  # days of May
    national_days: tuple[int, ...]  # days of October
    traditional: bool  # Qingming, Dragon Boat and Mid-Autumn are holidays


# Newest first. Each version applies to whole calendar years from its first full year in force.
_LAWS: tuple[_Law, ...] = (
    _Law(2025, "2024 revision (State Council Decree No. 795)", True, (1, 2, 3), (1, 2), (1, 2, 3), True),
    _Law(2014, "2013 revision", False, (1, 2, 3), (1,), (1, 2, 3), True),
    _Law(2008, "2007 revision", True, (1, 2), (1,), (1, 2, 3), True),
    _Law(2000, "1999 revision", False, (1, 2, 3), (1, 2, 3), (1, 2, 3), False),
    _Law(1, "1949 original", False, (1, 2, 3), (1,), (1, 2), False),
)

NEW_YEARS_DAY = "New Year's Day"
SPRING_FESTIVAL = "Spring Festival"
QINGMING = "Tomb-sweeping Day"
LABOUR_DAY = "Labour Day"
DRAGON_BOAT = "Dragon Boat Festival"
NATIONAL_DAY = "National Day"
MID_AUTUMN = "Mid-autumn Festival"


def _law_for(year: int) -> _Law:
    for law in _LAWS:
        if year >= law.first_year:
            return law
    return _LAWS[-1]


def _lunar_to_solar(year: int, month: int, day: int) -> _dt.date:
    from lunar_python import Lunar

    solar = Lunar.fromYmd(year, month, day).getSolar()
    return _dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> _dt.date:
    """The day of the Qingming solar term (清明, sun at 15° longitude) in ``year``, Beijing time."""
    from lunar_python import Solar

    term = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    result = _dt.date(term.getYear(), term.getMonth(), term.getDay())
    if result.year != year:  # cannot happen for the lunar year containing April; kept as a guard
        raise _fail(gettext_noop("could not place Qingming in {year}"), year=year)
    return result


def _lunar_holidays(year: int, law: _Law) -> list[tuple[_dt.date, str]]:
    """The holidays of ``year`` that follow the lunar calendar or the solar terms."""
    try:
        new_year = _lunar_to_solar(year, 1, 1)
        result: list[tuple[_dt.date, str]] = []
        if law.spring_eve:
            # 除夕 is the day before lunar New Year, whether the 12th month has 29 or 30 days.
            result.append((new_year - _dt.timedelta(days=1), SPRING_FESTIVAL))
        result.extend((new_year + _dt.timedelta(days=n - 1), SPRING_FESTIVAL) for n in law.spring_days)
        if law.traditional:
            result.append((_qingming(year), QINGMING))
            result.append((_lunar_to_solar(year, 5, 5), DRAGON_BOAT))
            result.append((_lunar_to_solar(year, 8, 15), MID_AUTUMN))
    except Exception:  # a lunar library failure (far outside its range) must never stop a deadline
        return []
    return result


@functools.lru_cache(maxsize=1024)
def _statutory(year: int) -> MappingProxyType[_dt.date, str]:
    law = _law_for(year)
    days: dict[_dt.date, list[str]] = {}

    def add(d: _dt.date, name: str) -> None:
        if d.year == year:
            days.setdefault(d, []).append(name)

    add(_dt.date(year, 1, 1), NEW_YEARS_DAY)
    for d, name in _lunar_holidays(year, law):
        add(d, name)
    for n in law.labour_days:
        add(_dt.date(year, 5, n), LABOUR_DAY)
    for n in law.national_days:
        add(_dt.date(year, 10, n), NATIONAL_DAY)
    return MappingProxyType({d: " / ".join(names) for d, names in sorted(days.items())})


def statutory_holidays(year: int) -> Mapping[_dt.date, str]:
    """The statutory holiday days of ``year`` under the law in force that year, with their names.

    Follows 《全国年节及纪念日放假办法》: from 2025 (2024 revision) New Year's Day (Jan 1), the
    Spring Festival eve (农历除夕, the day before lunar 1/1) and lunar 1/1–1/3, the Qingming solar
    term day, Labour Day (May 1–2), the Dragon Boat Festival (lunar 5/5), the Mid-Autumn Festival
    (lunar 8/15) and National Day (Oct 1–3): 13 days. Earlier years follow the 2013, 2007, 1999 and
    1949 versions. Weekends, bridging days and make-up workdays are not part of the law.
    """
    return _statutory(year)


@functools.lru_cache(maxsize=1024)
def provisional_schedule(year: int) -> YearSchedule:
    """A schedule for ``year`` computed from the law alone (see :func:`statutory_holidays`).

    Holidays are exactly the statutory days; there are no make-up workdays and no bridging days, so
    the real schedule, once published, usually has more consecutive days off. Used for years that
    neither an override nor the installed package covers; everything depending on it is provisional.
    """
    days = statutory_holidays(year)
    return YearSchedule(year=year, holidays=frozenset(days), workdays=frozenset(), names=dict(days))


# --------------------------------------------------------------------------------------------
# The installed official schedules
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _installed() -> MappingProxyType[int, YearSchedule]:
    from chinese_calendar.constants import holidays, workdays

    by_year: dict[int, tuple[dict[_dt.date, str], dict[_dt.date, str]]] = {}
    for d, name in holidays.items():
        by_year.setdefault(d.year, ({}, {}))[0][d] = str(name)
    for d, name in workdays.items():
        by_year.setdefault(d.year, ({}, {}))[1][d] = str(name)
    if not by_year:
        return MappingProxyType({})
    result: dict[int, YearSchedule] = {}
    for year in range(min(by_year), max(by_year) + 1):
        hols, works = by_year.get(year, ({}, {}))
        names = {**{d: n for d, n in works.items()}, **hols}
        result[year] = YearSchedule(year=year, holidays=frozenset(hols), workdays=frozenset(works), names=names)
    return MappingProxyType(result)


def official_years() -> range:
    """The years whose official schedule the installed ``chinesecalendar`` package ships."""
    installed = _installed()
    if not installed:
        return range(0)
    return range(min(installed), max(installed) + 1)


def installed_schedule(year: int) -> YearSchedule | None:
    """The official schedule of ``year`` from the installed package, or ``None`` if it has none."""
    return _installed().get(year)


# --------------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------------


class _YearTable(NamedTuple):
    base: int  # ordinal of January 1
    working: bytes  # one byte per day of the year: 1 = working day
    provisional: bool
    source: ScheduleSource


def _table(schedule: YearSchedule, *, provisional: bool, source: ScheduleSource) -> _YearTable:
    jan1 = _dt.date(schedule.year, 1, 1)
    base = jan1.toordinal()
    length = _dt.date(schedule.year, 12, 31).toordinal() - base + 1
    first = jan1.weekday()
    working = bytearray(1 if (first + i) % 7 < 5 else 0 for i in range(length))
    for d in schedule.holidays:
        working[d.toordinal() - base] = 0
    for d in schedule.workdays:
        working[d.toordinal() - base] = 1
    return _YearTable(base, bytes(working), provisional, source)


class WorkCalendar:
    """Working days under the official schedule, administrator overrides and provisional years.

    ``overrides`` maps a year to its :class:`YearSchedule`; an override replaces that year entirely
    (the installed package's data and the provisional computation alike) and makes it final.
    The calendar is immutable: to apply newly loaded overrides, build a new one.
    """

    __slots__ = ("_overrides", "_tables")

    def __init__(self, overrides: Mapping[int, YearSchedule] | None = None) -> None:
        checked: dict[int, YearSchedule] = {}
        for year, schedule in (overrides or {}).items():
            if not isinstance(schedule, YearSchedule):
                raise _fail(
                    gettext_noop("override for {year!r} must be a YearSchedule, not {type}"),
                    year=year,
                    type=type(schedule).__name__,
                )
            if year != schedule.year:
                raise _fail(
                    gettext_noop("override keyed {year!r} holds the schedule of {other}"),
                    year=year,
                    other=schedule.year,
                )
            checked[schedule.year] = schedule
        self._overrides: Mapping[int, YearSchedule] = MappingProxyType(checked)
        self._tables: dict[int, _YearTable] = {}

    def __repr__(self) -> str:
        return f"WorkCalendar(overrides={sorted(self._overrides)})"

    @property
    def overrides(self) -> Mapping[int, YearSchedule]:
        """The override schedules, by year (read-only)."""
        return self._overrides

    def _year(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is None:
            override = self._overrides.get(year)
            installed = installed_schedule(year)
            if override is not None:
                table = _table(override, provisional=False, source="override")
            elif installed is not None:
                table = _table(installed, provisional=False, source="installed")
            else:
                table = _table(provisional_schedule(year), provisional=True, source="provisional")
            self._tables[year] = table
        return table

    def schedule_for(self, year: int) -> YearSchedule:
        """The schedule in force for ``year``: override, else installed, else provisional."""
        return self._overrides.get(year) or installed_schedule(year) or provisional_schedule(year)

    def source(self, year: int) -> ScheduleSource:
        """Where the schedule of ``year`` comes from: ``"override"``, ``"installed"`` or ``"provisional"``."""
        return self._year(year).source

    def is_provisional(self, d_or_year: _dt.date | int) -> bool:
        """Whether the schedule of this date's year (or of this year) is provisional, not official."""
        year = d_or_year if isinstance(d_or_year, int) else d_or_year.year
        return self._year(year).provisional

    def official_years(self) -> frozenset[int]:
        """Years with a final schedule in this calendar: the installed package's years plus overrides."""
        return frozenset(official_years()) | frozenset(self._overrides)

    def is_working_day(self, d: _dt.date) -> bool:
        """Whether ``d`` is a working day (a make-up Saturday or Sunday counts as one)."""
        table = self._tables.get(d.year) or self._year(d.year)
        return table.working[d.toordinal() - table.base] == 1

    def next_working_day_on_or_after(self, d: _dt.date) -> _dt.date:
        """``d`` itself if it is a working day, else the first working day after it."""
        one = _dt.timedelta(days=1)
        while not self.is_working_day(d):
            d += one
        return d

    def working_days_between(self, *, after: _dt.date, through: _dt.date) -> int:
        """The number of working days in the half-open range (``after``, ``through``]."""
        count = 0
        ordinal = after.toordinal() + 1
        end = through.toordinal()
        while ordinal <= end:
            year = _dt.date.fromordinal(ordinal).year
            table = self._year(year)
            stop = min(end, table.base + len(table.working) - 1)
            count += table.working[ordinal - table.base : stop - table.base + 1].count(1)
            ordinal = stop + 1
        return count


@functools.lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The shared calendar without overrides (installed package, then provisional years)."""
    return WorkCalendar()
