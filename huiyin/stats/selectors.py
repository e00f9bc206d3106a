"""Statistics (统计分析) over the cases a user may see: totals, breakdowns, unit assessment, trend.

Strictly about MATTERS and UNITS. There are no per-petitioner figures, and no figures, rankings or
profiles of individual people: nothing here counts by handler, by responsible leader, by employee or
by petitioner (ARCHITECTURE §1: the platform tracks matters, not people). The responsible leader's
name appears only as a column of the ledger, where it says who owns each matter.

Every query starts from `huiyin.cases.selectors.case_list_for_user`, so unit scope, the discipline
compartment and recusals apply exactly as on the case list. Every figure is an aggregate computed by
the database (GROUP BY); the number of queries does not depend on the number of cases.

Definitions. "The period's cases" are the cases received in the period (local days, Asia/Shanghai).
Figures describe them as they stand now, except "open at the end of the period", which counts those not
yet answered at the first stage (no reply and not redirected, forwarded or declined) when the period
ended.

- replied: the first-stage reply has been issued (the handling clock, `workflow.Deadline` of kind
  `handle`, stage `first`, is met);
- replied on time: issued on or before that clock's due day, which includes approved extensions;
- overdue open: the handling clock is still running and its due day has passed;
- satisfaction rate: replies rated satisfied or basically satisfied, out of the replies rated;
- review requests: cases that went on to a review (复查) or re-review (复核).

The monthly trend counts, for the period's cases, those received and the first-stage replies issued in
each month of the period.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyin.cases.models import Case, Category
from huiyin.cases.selectors import case_list_for_user
from huiyin.cases.states import CaseStage, CaseStatus, CaseType, Channel, Rating
from huiyin.stats.periods import Period, local_zone
from huiyin.workflow.models import DeadlineKind

S = CaseStatus
DISPOSED = (S.REDIRECTED, S.FORWARDED, S.NOT_ACCEPTED)
ACCEPTED = (S.ACCEPTED, S.IN_HANDLING, S.REPLIED, S.CLOSED, S.FINAL)
SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)
TOP_CATEGORIES = 10


def rate(part: int, whole: int) -> float | None:
    """`part` out of `whole` as a percentage with one decimal, or None when there is nothing to divide."""
    if not whole:
        return None
    return round(100.0 * part / whole, 1)


def period_cases(*, user: Any, period: Period) -> QuerySet[Case]:
    """The cases `user` may see that were received in `period`."""
    return (
        case_list_for_user(user=user).filter(received_at__gte=period.start_at, received_at__lt=period.end_at).order_by()
    )


def with_handling_clock(cases: QuerySet[Case], *, period: Period) -> QuerySet[Case]:
    """Join each case of `period` to its first-stage handling clock (`hd`) and first-stage rating (`rt`).

    Both joins match at most one row (unique per case, kind and stage), so counts stay exact. A handling
    clock starts when its case is accepted, after it was received, and runs for days: its due day is never
    before the period's first day. Saying so lets the database read the clocks through the index on the
    due day instead of reading them all.
    """
    return cases.annotate(
        hd=FilteredRelation(
            "deadlines",
            condition=Q(
                deadlines__kind=DeadlineKind.HANDLE,
                deadlines__stage=CaseStage.FIRST,
                deadlines__due__gte=period.first,
            ),
        ),
        rt=FilteredRelation("ratings", condition=Q(ratings__stage=CaseStage.FIRST)),
    ).alias(replied_on=TruncDate("hd__met_at", tzinfo=local_zone()))


class _Rates:
    """Rates shared by a unit's row and the totals (both have replied, on_time, rated, satisfied)."""

    replied: int
    on_time: int
    rated: int
    satisfied: int

    @property
    def late(self) -> int:
        return self.replied - self.on_time

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.replied)

    @property
    def satisfaction_rate(self) -> float | None:
        return rate(self.satisfied, self.rated)


@dataclass
class UnitRow(_Rates):
    """The assessment of one handling unit (单位考核) over the period's cases."""

    unit_id: int | None
    name: str
    cases: int = 0
    replied: int = 0
    replied_by_end: int = 0
    on_time: int = 0
    overdue_open: int = 0
    extended: int = 0
    extension_days: int = 0
    rated: int = 0
    satisfied: int = 0
    reviews: int = 0


@dataclass
class Totals(_Rates):
    received: int = 0
    accepted: int = 0
    pending: int = 0
    not_accepted: int = 0
    redirected: int = 0
    forwarded: int = 0
    closed: int = 0
    disposed_by_end: int = 0
    collective: int = 0
    collective_people: int = 0
    anonymous: int = 0
    # Summed over the unit rows.
    replied: int = 0
    replied_by_end: int = 0
    on_time: int = 0
    overdue_open: int = 0
    extended: int = 0
    rated: int = 0
    satisfied: int = 0
    reviews: int = 0

    @property
    def open_at_end(self) -> int:
        return max(self.received - self.disposed_by_end - self.replied_by_end, 0)

    @property
    def not_accepted_all(self) -> int:
        """Not accepted, redirected to another lawful procedure, or forwarded."""
        return self.not_accepted + self.redirected + self.forwarded

    @property
    def anonymous_share(self) -> float | None:
        return rate(self.anonymous, self.received)


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    n: int
    share: float | None


@dataclass(frozen=True)
class TrendPoint:
    month: date
    received: int
    replied: int


@dataclass
class Statistics:
    period: Period
    today: date
    totals: Totals
    units: list[UnitRow]
    by_channel: list[Share]
    by_type: list[Share]
    by_category: list[Share]
    trend: list[TrendPoint]
    previous: int | None = None  # with `compare` only
    year_before: int | None = None
    hot_issues: list = field(default_factory=list)
    # A period not over yet is compared day for day: its first days up to `today` with as many days of the
    # periods it is compared with (with `compare` only; None when the period is over).
    compared_until: date | None = None
    # The reader may not see accusation reports (the discipline compartment): the figures leave them out.
    without_accusations: bool = False

    @property
    def not_started(self) -> bool:
        """The period begins after today: it has no figures yet, and nothing to compare."""
        return self.today < self.period.first

    @property
    def top_categories(self) -> list[Share]:
        return [c for c in self.by_category if c.key][:TOP_CATEGORIES]

    @property
    def units_with_overdue(self) -> list[UnitRow]:
        return [u for u in self.units if u.overdue_open]


_TOTALS = {
    "received": Count("pk"),
    "accepted": Count("pk", filter=Q(status__in=ACCEPTED)),
    "pending": Count("pk", filter=Q(status=S.REGISTERED)),
    "not_accepted": Count("pk", filter=Q(status=S.NOT_ACCEPTED)),
    "redirected": Count("pk", filter=Q(status=S.REDIRECTED)),
    "forwarded": Count("pk", filter=Q(status=S.FORWARDED)),
    "closed": Count("pk", filter=Q(status__in=(S.CLOSED, S.FINAL))),
    "collective": Count("pk", filter=Q(collective=True)),
    "collective_people": Coalesce(Sum("headcount", filter=Q(collective=True)), 0),
    "anonymous": Count("pk", filter=Q(anonymous=True)),
}
_UNIT_FIGURES = (
    "replied",
    "replied_by_end",
    "on_time",
    "overdue_open",
    "extended",
    "extension_days",
    "rated",
    "satisfied",
    "reviews",
)


def _by_unit(cases: QuerySet[Case], period: Period, today: date) -> tuple[Totals, list[UnitRow], dict[date, int]]:
    """One scan of the period's cases joined to their handling clock and rating, grouped by handling unit
    and by the month of the first reply: the unit assessment, the totals and the replies per month."""
    zone = local_zone()
    aggregates = {f"t_{name}": expression for name, expression in _TOTALS.items()}
    aggregates.update(
        n_disposed_by_end=Count("pk", filter=Q(status__in=DISPOSED, closed_at__lt=period.end_at)),
        n_replied=Count("pk", filter=Q(hd__met_at__isnull=False)),
        n_replied_by_end=Count("pk", filter=Q(hd__met_at__lt=period.end_at)),
        n_on_time=Count("pk", filter=Q(hd__met_at__isnull=False, replied_on__lte=F("hd__due"))),
        n_overdue_open=Count("pk", filter=Q(hd__met_at__isnull=True, hd__cancelled_at__isnull=True, hd__due__lt=today)),
        n_extended=Count("pk", filter=Q(hd__extension_days__gt=0)),
        n_extension_days=Coalesce(Sum("hd__extension_days"), 0),
        n_rated=Count("rt__id"),
        n_satisfied=Count("rt__id", filter=Q(rt__rating__in=SATISFIED)),
        n_reviews=Count("pk", filter=~Q(stage=CaseStage.FIRST)),
    )
    rows = (
        with_handling_clock(cases, period=period)
        .annotate(reply_month=TruncMonth("hd__met_at", tzinfo=zone))
        .values("handling_unit_id", "handling_unit__name", "reply_month")
        .annotate(**aggregates)
        .order_by()
    )
    totals = Totals()
    units: dict[int | None, UnitRow] = {}
    replied: dict[date, int] = {}
    for r in rows:
        unit = units.get(r["handling_unit_id"])
        if unit is None:
            name = r["handling_unit__name"] or _("Not assigned to a unit")
            unit = units[r["handling_unit_id"]] = UnitRow(unit_id=r["handling_unit_id"], name=name)
        unit.cases += r["t_received"]
        for name in _UNIT_FIGURES:
            setattr(unit, name, getattr(unit, name) + r[f"n_{name}"])
        for name in _TOTALS:
            setattr(totals, name, getattr(totals, name) + r[f"t_{name}"])
        totals.disposed_by_end += r["n_disposed_by_end"]
        if r["reply_month"] is not None:
            month = _month(r["reply_month"])
            replied[month] = replied.get(month, 0) + r["n_replied"]
    for unit in units.values():
        for name in _UNIT_FIGURES:
            if name != "extension_days":
                setattr(totals, name, getattr(totals, name) + getattr(unit, name))
    # Units by name; the cases without a handling unit (not accepted, or not assigned yet) last.
    ordered = sorted(units.values(), key=lambda u: (u.unit_id is None, u.name))
    return totals, ordered, replied


def _shares(rows: dict[str, int], labels: list[tuple[str, str]], total: int) -> list[Share]:
    return [Share(key, str(label), rows.get(key, 0), rate(rows.get(key, 0), total)) for key, label in labels]


def _month(value: datetime | date) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(local_zone())
        value = value.date()
    return value.replace(day=1)


def _months(period: Period) -> list[date]:
    months, month = [], period.first.replace(day=1)
    while month <= period.last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


@dataclass
class _Breakdown:
    channels: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    categories: dict[int | None, tuple[str, str, int]] = field(default_factory=dict)
    months: dict[date, int] = field(default_factory=dict)


def _breakdown(cases: QuerySet[Case]) -> _Breakdown:
    """One scan of the period's cases grouped by channel, type, category and month received (a few hundred
    groups for a quarter), folded into the four breakdowns."""
    rows = (
        cases.annotate(month=TruncMonth("received_at", tzinfo=local_zone()))
        .values("channel", "type", "category_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out = _Breakdown()
    for r in rows:
        n = r["n"]
        out.channels[r["channel"]] = out.channels.get(r["channel"], 0) + n
        out.types[r["type"]] = out.types.get(r["type"], 0) + n
        zh, en, seen = out.categories.get(r["category_id"], ("", "", 0))
        out.categories[r["category_id"]] = (zh, en, seen + n)
        month = _month(r["month"])
        out.months[month] = out.months.get(month, 0) + n
    # The names of the categories met, in one small query rather than in every group of the scan.
    ids = [pk for pk in out.categories if pk is not None]
    for pk, zh, en in Category.objects.filter(pk__in=ids).values_list("pk", "name_zh", "name_en"):
        n = out.categories[pk][2]
        out.categories[pk] = (zh, en, n)
    return out


def _categories(categories: dict, total: int, language_en: bool) -> list[Share]:
    out = []
    for category_id, (zh, en, n) in categories.items():
        label = _("Uncategorised") if category_id is None else ((en if language_en else "") or zh)
        out.append(Share(str(category_id or ""), label, n, rate(n, total)))
    out.sort(key=lambda s: (-s.n, s.key == "", s.label))
    return out


def elapsed(period: Period, today: date) -> Period | None:
    """The part of `period` that has passed by `today` when the period is not over yet; else None."""
    if period.first <= today < period.last:
        return Period(period.first, today)
    return None


def comparison(*, user: Any, period: Period, today: date | None = None) -> tuple[int, int]:
    """Cases received in the previous period of equal length and in the same days a year earlier. A period not
    over by `today` is compared day for day: the previous period's first days, as many as have passed."""
    before, year_before = period.previous(), period.year_before()
    part = elapsed(period, today) if today is not None else None
    if part is not None:
        days = (part.last - part.first).days
        before = Period(before.first, min(before.last, before.first + timedelta(days=days)))
        year_before = part.year_before()
    in_before = Q(received_at__gte=before.start_at, received_at__lt=before.end_at)
    in_year_before = Q(received_at__gte=year_before.start_at, received_at__lt=year_before.end_at)
    figures = (
        case_list_for_user(user=user)
        .order_by()
        .filter(in_before | in_year_before)
        .aggregate(before=Count("pk", filter=in_before), year_before=Count("pk", filter=in_year_before))
    )
    return figures["before"], figures["year_before"]


@contextmanager
def _grouping_memory() -> Iterator[None]:
    """On PostgreSQL, let the period's groups be formed in memory (HUIYIN_STATS_WORK_MEM, for this transaction
    only): a year of a large group is a few hundred thousand rows, which the server's default work_mem (4 MB)
    sorts on disk. Elsewhere, nothing to do."""
    if connection.vendor != "postgresql" or not settings.HUIYIN_STATS_WORK_MEM:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.HUIYIN_STATS_WORK_MEM])
        yield


def statistics_for(
    *,
    user: Any,
    period: Period,
    today: date | None = None,
    language_en: bool = False,
    compare: bool = False,
) -> Statistics:
    """Every figure of the statistics page for the cases `user` may see, in two scans of the period's cases
    (three with `compare`: the previous period and the same period a year earlier)."""
    today = today or timezone.localdate()
    cases = period_cases(user=user, period=period)
    with _grouping_memory():
        totals, units, replied = _by_unit(cases, period, today)
        breakdown = _breakdown(cases)
    compare = compare and today >= period.first  # a period not begun has nothing to set against the earlier ones
    previous, year_before = comparison(user=user, period=period, today=today) if compare else (None, None)
    part = elapsed(period, today) if compare else None
    compared_until = part.last if part is not None else None
    return Statistics(
        period=period,
        today=today,
        totals=totals,
        units=units,
        by_channel=_shares(breakdown.channels, Channel.choices, totals.received),
        by_type=_shares(breakdown.types, CaseType.choices, totals.received),
        by_category=_categories(breakdown.categories, totals.received, language_en),
        trend=[TrendPoint(m, breakdown.months.get(m, 0), replied.get(m, 0)) for m in _months(period)],
        previous=previous,
        year_before=year_before,
        compared_until=compared_until,
        without_accusations=not user.has_perm("cases.view_discipline_case"),
    )


def hot_issues_in(*, user: Any, period: Period, limit: int = 10) -> list:
    """The current hot issues (triage) with at least two cases in the period that the user may see,
    counted on those cases only; empty without the right to see hot issues."""
    if not user.has_perm("triage.view_hotissue"):
        return []
    from huiyin.triage.selectors import hot_issue_run_latest, hot_issues_for

    run = hot_issue_run_latest()
    # Samples name each issue by a subject in a petitioner's words, as the hot-issues page does.
    return hot_issues_for(user=user, run=run, limit=limit, samples=5, received=(period.start_at, period.end_at))


# The ledger (台账) ------------------------------------------------------------------------------------------

LEDGER_FIELDS = (
    "case_no",
    "received_at",
    "channel",
    "source",
    "forwarded_authority",
    "type",
    "category__name_zh",
    "category__name_en",
    "subject",
    "handling_unit__name",
    "responsible_leader__full_name",
    "responsible_leader__username",
    "status",
    "stage",
    "hd__due",
    "hd__met_at",
    "hd__extension_days",
    "hd__cancelled_at",
    "rt__rating",
)


def ledger_rows(*, user: Any, period: Period, chunk: int = 2000) -> Iterator[dict]:
    """One dict per case of the period, oldest first: matter-level fields only, never the petitioner's
    identity, the content or the persons accused."""
    rows = (
        with_handling_clock(period_cases(user=user, period=period), period=period)
        .values(*LEDGER_FIELDS)
        .order_by("received_at", "id")
    )
    return rows.iterator(chunk_size=chunk)
