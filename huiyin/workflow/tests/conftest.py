"""Fixtures of the clock, supervision and notification tests: a frozen clock and cases in each stage.

Time is frozen at 2026-11-24 10:00 in Shanghai: the installed official schedules end with 2026,
so a 60-day handling clock started now ends in 2027 and is provisional until 2027 is loaded.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)

# 2027 as the State Council might publish it (test data): the Spring Festival block with its
# make-up workdays, and a make-up Sunday on 2027-01-31 that ends a period rolled forward to Monday.
SCHEDULE_2027 = """# 国务院办公厅关于2027年部分节假日安排的通知 (test data)
2027-01-01,holiday,New Year's Day
2027-01-31,workday,Spring Festival
2027-02-05,holiday,Spring Festival
2027-02-06,holiday,Spring Festival
2027-02-07,holiday,Spring Festival
2027-02-08,holiday,Spring Festival
2027-02-09,holiday,Spring Festival
2027-02-10,holiday,Spring Festival
2027-02-11,holiday,Spring Festival
2027-02-12,holiday,Spring Festival
2027-02-20,workday,Spring Festival
2027-04-05,holiday,Tomb-sweeping Day
2027-05-01,holiday,Labour Day
2027-05-02,holiday,Labour Day
2027-05-03,holiday,Labour Day
2027-06-09,holiday,Dragon Boat Festival
2027-09-15,holiday,Mid-autumn Festival
2027-10-01,holiday,National Day
2027-10-02,holiday,National Day
2027-10-03,holiday,National Day
2027-10-04,holiday,National Day
2027-10-05,holiday,National Day
2027-10-06,holiday,National Day
2027-10-07,holiday,National Day
"""


@pytest.fixture
def traveller():
    """Frozen time; `traveller.move_to(...)` moves it."""
    with time_machine.travel(NOW, tick=False) as t:
        yield t


@pytest.fixture(autouse=True)
def _frozen(traveller):
    return traveller


@pytest.fixture(autouse=True)
def _fresh_clock_data():
    from huiyin.workflow import clocks

    clocks.invalidate()
    yield
    clocks.invalidate()


@pytest.fixture
def replied_case(in_handling_case, handler):
    from huiyin.cases.services import case_reply

    case_reply(
        case=in_handling_case, actor=handler, text="经核实，8月加班费已于9月补发。\n依据《工资支付暂行规定》第十三条。"
    )
    in_handling_case.refresh_from_db()
    return in_handling_case


@pytest.fixture
def superuser(org):
    from huiyin.org.models import User
    from huiyin.org.testing import otp_verified

    # The admin site requires a session verified by a second factor.
    return otp_verified(
        User.objects.create_superuser(username="root", password="pw-Huiyin-2026", email="root@example.com")
    )


@pytest.fixture
def with_emails(leader, handler, office, clerk):
    for user, email in (
        (leader, "leader@example.com"),
        (handler, "handler@example.com"),
        (office, "office@example.com"),
    ):
        user.email = email
        user.save(update_fields=["email"])
    return {"leader": leader, "handler": handler, "office": office}
