"""The figures: scope, the on-time computation, satisfaction, period boundaries in Asia/Shanghai, the
monthly trend, and a number of queries that does not grow with the number of cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huiyin.cases import services as s
from huiyin.stats.periods import Period, local_zone
from huiyin.stats.selectors import ledger_rows, statistics_for
from huiyin.stats.tests.conftest import at


def unit_row(stats, name):
    return next(u for u in stats.units if u.name == name)


def test_on_time_late_extended_and_overdue_are_told_apart(scenario, office, org):
    stats = statistics_for(user=office, period=scenario.period)
    plant = unit_row(stats, org["a_plant"].name)
    assert plant.cases == 4
    assert plant.replied == 3
    assert plant.on_time == 2  # on time, and the extended one within its extended period
    assert plant.late == 1
    assert plant.on_time_rate == pytest.approx(66.7)
    assert plant.overdue_open == 1
    assert plant.extended == 1
    assert plant.extension_days == 30
    assert plant.reviews == 1
    t = stats.totals
    assert (t.received, t.accepted, t.pending, t.replied, t.on_time, t.overdue_open) == (5, 4, 1, 3, 2, 1)
    # Open when the period ended: the overdue one, the pending one and the one replied after the end.
    assert t.open_at_end == 3


def test_extension_is_what_makes_the_late_reply_on_time(scenario, office, org):
    """Without the approved extension, a reply 80 days in would be late: the due day counts extensions."""
    deadline = scenario.extended.deadlines.get(kind="handle", stage="first")
    assert deadline.extension_days == 30
    replied_on = deadline.met_at.astimezone(local_zone()).date()
    assert deadline.due - timedelta(days=30) < replied_on <= deadline.due


def test_satisfaction_counts_satisfied_and_basically_satisfied_out_of_rated(scenario, office, org):
    stats = statistics_for(user=office, period=scenario.period)
    plant = unit_row(stats, org["a_plant"].name)
    assert (plant.rated, plant.satisfied) == (3, 2)
    assert plant.satisfaction_rate == pytest.approx(66.7)
    assert stats.totals.satisfaction_rate == pytest.approx(66.7)


def test_breakdowns_by_channel_type_and_category(period, make_case, office):
    first = at(period.first + timedelta(days=2))
    make_case(channel="visit", received_at=first)
    make_case(channel="visit", type="suggestion", received_at=first)
    make_case(channel="phone", collective=True, headcount=12, received_at=first)
    make_case(channel="web", anonymous=True, petitioner=None, received_at=first)
    stats = statistics_for(user=office, period=period)
    channels = {c.key: c.n for c in stats.by_channel}
    assert channels["visit"] == 2 and channels["phone"] == 1 and channels["web"] == 1 and channels["letter"] == 0
    types = {c.key: c.n for c in stats.by_type}
    assert types == {"suggestion": 1, "accusation": 0, "claim": 3}
    assert stats.totals.collective == 1 and stats.totals.collective_people == 12
    assert stats.totals.anonymous == 1 and stats.totals.anonymous_share == 25.0
    assert sum(c.n for c in stats.by_category) == 4


def test_other_unit_sees_none_of_the_units_cases(scenario, b_case, office, other_unit_clerk):
    theirs = statistics_for(user=other_unit_clerk, period=scenario.period)
    assert theirs.totals.received == 1  # their own case only
    assert [u.cases for u in theirs.units] == [1]
    numbers = {row["case_no"] for row in ledger_rows(user=other_unit_clerk, period=scenario.period)}
    assert numbers == {b_case.case_no}
    ours = statistics_for(user=office, period=scenario.period)
    assert ours.totals.received == 5
    assert b_case.case_no not in {row["case_no"] for row in ledger_rows(user=office, period=scenario.period)}


def test_discipline_compartment_counted_only_for_those_who_may_see_it(period, make_case, office, discipline):
    when = at(period.first + timedelta(days=5))
    make_case(received_at=when)
    make_case(type="accusation", subject="车间主任违规发放奖金", received_at=when)
    assert statistics_for(user=office, period=period).totals.received == 1
    by_type = {c.key: c.n for c in statistics_for(user=discipline, period=period).by_type}
    assert by_type["accusation"] == 1
    assert statistics_for(user=discipline, period=period).totals.received == 2


def test_recused_user_does_not_count_the_case(period, make_case, office, executive):
    case = make_case(received_at=at(period.first + timedelta(days=5)))
    make_case(received_at=at(period.first + timedelta(days=5)))
    s.case_recuse(case=case, user=office, reason="近亲属", actor=executive)
    assert statistics_for(user=office, period=period).totals.received == 1
    assert statistics_for(user=executive, period=period).totals.received == 2


def test_period_boundaries_are_local_days(make_case, office):
    period = Period(date(2025, 3, 1), date(2025, 3, 31))
    # 00:30 on the first day is still the previous day in UTC; 23:59 on the last day counts.
    inside = [
        make_case(subject="第一天凌晨", received_at=at(date(2025, 3, 1), 0, 30)),
        make_case(subject="最后一天深夜", received_at=at(date(2025, 3, 31), 23, 59)),
    ]
    # 07:00 on 1 April is still 31 March in UTC; 23:59 on 28 February is before the period.
    outside = [
        make_case(subject="次月早晨", received_at=at(date(2025, 4, 1), 7, 0)),
        make_case(subject="上月深夜", received_at=at(date(2025, 2, 28), 23, 59)),
    ]
    stats = statistics_for(user=office, period=period)
    assert stats.totals.received == 2
    numbers = {row["case_no"] for row in ledger_rows(user=office, period=period)}
    assert numbers == {c.case_no for c in inside}
    assert not numbers & {c.case_no for c in outside}


def test_monthly_trend_puts_cases_in_their_local_month(make_case, office, handle, handler):
    period = Period(date(2025, 1, 1), date(2025, 3, 31))
    # 00:30 on 1 February local is 31 January in UTC: it belongs to February.
    case = make_case(received_at=at(date(2025, 2, 1), 0, 30))
    make_case(received_at=at(date(2025, 1, 15)))
    handle(case, at(date(2025, 2, 1), 9))
    s.case_reply(case=case, actor=handler, text="已答复。", now=at(date(2025, 3, 1), 0, 10))
    stats = statistics_for(user=office, period=period)
    assert [(p.month, p.received, p.replied) for p in stats.trend] == [
        (date(2025, 1, 1), 1, 0),
        (date(2025, 2, 1), 1, 0),
        (date(2025, 3, 1), 0, 1),
    ]


def test_comparison_with_previous_period_and_year_before(make_case, office):
    period = Period(date(2025, 4, 1), date(2025, 6, 30))
    assert period.previous() == Period(date(2025, 1, 1), date(2025, 3, 31))
    make_case(received_at=at(date(2025, 5, 2)))
    make_case(received_at=at(date(2025, 2, 2)))
    make_case(received_at=at(date(2025, 3, 31), 23, 30))
    make_case(received_at=at(date(2024, 4, 1), 0, 10))
    stats = statistics_for(user=office, period=period, compare=True)
    assert (stats.totals.received, stats.previous, stats.year_before) == (1, 2, 1)
    assert statistics_for(user=office, period=period).previous is None  # the page does without


def _page_queries(client, period) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("stats:overview"), {"from": period.first, "to": period.last})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _cases(n, period, make_case, handle, org, office, leader, handler):
    when = at(period.first + timedelta(days=3))
    for i in range(n):
        case = make_case(subject=f"事项{i}", channel=["letter", "visit", "phone", "web"][i % 4], received_at=when)
        if i % 3:
            handle(case, when)
        if i % 3 == 2:
            s.case_reply(case=case, actor=handler, text="已答复。", now=when + timedelta(days=5))


def test_query_count_does_not_grow_with_cases(
    client, office, period, make_case, handle, org, leader, handler, django_assert_max_num_queries
):
    client.force_login(office)
    _cases(10, period, make_case, handle, org, office, leader, handler)
    client.get(reverse("stats:overview"))  # warm the per-process caches (permissions, clock data)
    with django_assert_max_num_queries(20):
        few = _page_queries(client, period)
    _cases(40, period, make_case, handle, org, office, leader, handler)
    with django_assert_max_num_queries(20):
        many = _page_queries(client, period)
    assert few == many


def test_categories_are_counted_and_named_in_either_language(period, make_case, office):
    from huiyin.cases.models import Category

    wages = Category.objects.create(code="t-wages", name_zh="工资待遇", name_en="Wages")
    housing = Category.objects.create(code="t-housing", name_zh="住房")  # no English name
    first = at(period.first + timedelta(days=2))
    for category in (wages, wages, housing, None):
        case = make_case(received_at=first)
        if category is not None:
            type(case).objects.filter(pk=case.pk).update(category=category)

    zh = {c.key: (c.label, c.n) for c in statistics_for(user=office, period=period).by_category}
    en = {c.key: (c.label, c.n) for c in statistics_for(user=office, period=period, language_en=True).by_category}

    assert zh[str(wages.pk)] == ("工资待遇", 2) and zh[str(housing.pk)] == ("住房", 1) and zh[""][1] == 1
    assert en[str(wages.pk)] == ("Wages", 2) and en[str(housing.pk)] == ("住房", 1)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_period_is_grouped_in_memory(period, make_case, office, settings):
    """A year of a large group sorts on disk at PostgreSQL's default work_mem: the page raises it for its own
    transaction (HUIYIN_STATS_WORK_MEM), and nowhere else."""
    make_case(received_at=at(period.first + timedelta(days=2)))
    settings.HUIYIN_STATS_WORK_MEM = "48MB"
    with CaptureQueriesContext(connection) as queries:
        statistics_for(user=office, period=period)
    raised = [q["sql"] for q in queries.captured_queries if "work_mem" in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(raised) == 1 and "48MB" in raised[0]
        with connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone()[0] != "48MB"  # only for the statistics' own transaction
    else:
        assert raised == []


def test_a_period_not_over_is_compared_day_for_day(make_case, office):
    """Found in a walk-through: the report for the current quarter, ten days in, set those ten days against the
    whole of the previous quarter ("down 51%"). A period not over is compared with as many days of the others,
    and the report says so."""
    from huiyin.stats.report import summary_sentences

    period = Period(date(2025, 4, 1), date(2025, 6, 30))
    today = date(2025, 4, 10)
    make_case(received_at=at(date(2025, 4, 3)))
    make_case(received_at=at(date(2025, 1, 5)))  # in the previous quarter's first ten days
    make_case(received_at=at(date(2025, 2, 20)))  # later in it: not comparable yet
    make_case(received_at=at(date(2024, 4, 5)))  # a year earlier, within the same ten days
    make_case(received_at=at(date(2024, 5, 20)))

    stats = statistics_for(user=office, period=period, today=today, compare=True)

    assert (stats.totals.received, stats.previous, stats.year_before) == (1, 1, 1)
    assert stats.compared_until == today
    first = summary_sentences(stats)[0]
    assert "2025年4月10日" in first and "10" in first
    over = statistics_for(user=office, period=period, today=date(2025, 7, 1), compare=True)
    assert (over.previous, over.year_before, over.compared_until) == (2, 2, None)
