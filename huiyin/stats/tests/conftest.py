"""A period in the past and cases through their whole life cycle, made with the services at chosen times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from huiyin.cases import services as s
from huiyin.stats.periods import Period, local_zone


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """An aware local (Asia/Shanghai) time on `day`."""
    return datetime.combine(day, time(hour, minute), tzinfo=local_zone())


@dataclass
class Scenario:
    period: Period
    on_time: object
    late: object
    extended: object
    overdue: object
    pending: object


@pytest.fixture
def period() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=200), today - timedelta(days=110))


@pytest.fixture
def handle(office, leader, handler, org):
    """Accept and assign a case to the plant at `when` (the handling clock starts then)."""

    def run(case, when):
        s.case_accept(case=case, actor=office, now=when)
        s.case_assign(
            case=case,
            actor=office,
            handling_unit=org["a_plant"],
            leader=leader,
            team=[handler],
            plan="核实情况",
            now=when,
        )
        case.refresh_from_db()
        return case

    return run


@pytest.fixture
def scenario(period, make_case, handle, handler, leader, clerk):
    """Five cases of company A received on the period's second day:

    on time (replied after 10 days, rated satisfied), late (replied after 100 days, after the period,
    rated dissatisfied, then a review requested), extended (30 days approved, replied after 80 days,
    rated basically satisfied), overdue (accepted, never replied), pending (registered only).
    """
    t0 = at(period.first + timedelta(days=1))
    on_time = handle(make_case(subject="食堂价格上涨", received_at=t0), t0)
    s.case_reply(case=on_time, actor=handler, text="已核实并整改。", now=t0 + timedelta(days=10))
    s.case_rate(case=on_time, actor=clerk, rating="satisfied", now=t0 + timedelta(days=11))

    late = handle(make_case(subject="宿舍维修迟缓", received_at=t0), t0)
    s.case_reply(case=late, actor=handler, text="已安排维修。", now=t0 + timedelta(days=100))
    s.case_rate(case=late, actor=clerk, rating="dissatisfied", now=t0 + timedelta(days=101))
    late.refresh_from_db()
    s.case_next_stage_request(case=late, actor=clerk, reason="维修仍未完成", now=t0 + timedelta(days=103))

    extended = handle(make_case(subject="夜班补贴核算", received_at=t0), t0)
    extension = s.case_extension_request(
        case=extended, actor=handler, days=30, reason="需调取两年考勤", now=t0 + timedelta(days=50)
    )
    s.case_extension_decide(extension=extension, actor=leader, approve=True, now=t0 + timedelta(days=51))
    s.case_reply(case=extended, actor=handler, text="已补发。", now=t0 + timedelta(days=80))
    s.case_rate(case=extended, actor=clerk, rating="basically_satisfied", now=t0 + timedelta(days=81))

    overdue = handle(make_case(subject="工伤认定材料", received_at=t0), t0)
    pending = make_case(subject="班车时间调整", received_at=t0)
    for case in (on_time, late, extended, overdue, pending):
        case.refresh_from_db()
    return Scenario(period, on_time, late, extended, overdue, pending)


@pytest.fixture
def b_case(org, other_unit_clerk, period):
    """A case of company B, received in the period: out of company A's scope."""
    from huiyin.cases.services import case_register

    return case_register(
        actor=other_unit_clerk,
        unit=org["b_office"],
        channel="phone",
        type="claim",
        subject="乙公司班组长津贴",
        content="乙公司班组长津贴未按新标准发放。",
        received_at=at(period.first + timedelta(days=3)),
    )
