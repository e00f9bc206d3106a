"""Named personas (Zulip's idea) and a small organisation shared by the whole suite.

Group (G)
├── Company A (A) ── petition office (A-OFF), plant (A-P1) ── workshop (A-P1-W1)
└── Company B (B) ── petition office (B-OFF)
"""

from __future__ import annotations

import pytest

from huiyin.org.services import unit_create, user_create
from huiyin.triage.engine import model_cache


@pytest.fixture(autouse=True)
def _fresh_model_cache():
    """No test sees a classifier another test trained: the process-wide model cache starts empty."""
    model_cache.clear()
    yield
    model_cache.clear()


@pytest.fixture
def org(db):
    group = unit_create(name="测试集团", code="G", kind="group")
    a = unit_create(name="甲公司", code="A", kind="company", parent=group)
    b = unit_create(name="乙公司", code="B", kind="company", parent=group)
    return {
        "group": group,
        "a": a,
        "b": b,
        "a_office": unit_create(
            name="甲公司信访办", code="A-OFF", kind="department", parent=a, is_petition_office=True
        ),
        "a_plant": (plant := unit_create(name="甲公司一厂", code="A-P1", kind="branch", parent=a)),
        "a_workshop": unit_create(name="一厂检修车间", code="A-P1-W1", kind="department", parent=plant),
        "b_office": unit_create(
            name="乙公司信访办", code="B-OFF", kind="department", parent=b, is_petition_office=True
        ),
    }


def _user(username, unit, roles, full_name=""):
    return user_create(
        username=username, password="pw-Huiyin-2026", unit=unit, roles=roles, full_name=full_name or username
    )


@pytest.fixture
def clerk(org):
    return _user("clerk", org["a_office"], ["clerk"], "王登记")


@pytest.fixture
def office(org):
    return _user("office", org["a"], ["office"], "李信访")


@pytest.fixture
def handler(org):
    return _user("handler", org["a_plant"], ["handler"], "张承办")


@pytest.fixture
def leader(org):
    return _user("leader", org["a"], ["leader"], "赵领导")


@pytest.fixture
def discipline(org):
    return _user("discipline", org["a"], ["discipline"], "钱纪检")


@pytest.fixture
def auditor(org):
    return _user("auditor", org["group"], ["auditor"], "孙审计")


@pytest.fixture
def executive(org):
    return _user("executive", org["group"], ["executive"], "周总")


@pytest.fixture
def custodian(org):
    return _user("custodian", org["group"], ["custodian"], "吴保管")


@pytest.fixture
def other_unit_clerk(org):
    return _user("other_clerk", org["b_office"], ["clerk", "office"], "郑乙办")


@pytest.fixture
def other_unit_handler(org):
    return _user("other_handler", org["b"], ["handler"], "冯乙承办")


@pytest.fixture
def no_perm_user(org):
    return _user("nobody", org["a"], [], "无权限")


@pytest.fixture
def review_leader(org):
    """A leader of 甲公司 who took no part in the first handling: the review (复查) of 一厂's reply is theirs."""
    return _user("review_leader", org["a"], ["leader"], "陈复查")


@pytest.fixture
def review_handler(org):
    return _user("review_handler", org["a"], ["handler"], "何复查")


@pytest.fixture
def group_office(org):
    return _user("group_office", org["group"], ["office"], "马集团办")


@pytest.fixture
def group_leader(org):
    """A leader of the group: the re-review (复核) of 甲公司's review is the group's (Art. 36)."""
    return _user("group_leader", org["group"], ["leader"], "林复核")


@pytest.fixture
def group_handler(org):
    return _user("group_handler", org["group"], ["handler"], "高复核")


@pytest.fixture
def make_case(org, clerk):
    """Register a case through the service, as a clerk would."""
    from huiyin.cases.services import PetitionerData, case_register

    def make(**overrides):
        values = {
            "actor": clerk,
            "unit": org["a_office"],
            "channel": "letter",
            "type": "claim",
            "subject": "一厂拖欠2026年8月加班费",
            "content": "我是一厂检修车间职工，8月加班费至今未发放，请予核实。",
            "petitioner": PetitionerData(name="刘某某", phone="13800001111", employee_no="E20190001"),
        }
        values.update(overrides)
        return case_register(**values)

    return make


@pytest.fixture
def case(make_case):
    return make_case()


@pytest.fixture
def in_handling_case(case, office, leader, handler, org):
    from huiyin.cases.services import case_accept, case_assign

    case_accept(case=case, actor=office)
    case_assign(
        case=case,
        actor=office,
        handling_unit=org["a_plant"],
        leader=leader,
        team=[handler],
        plan="核实考勤与工资发放记录",
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def english(client, settings):
    """The test client's user has chosen English with the header's switch (pages ignore Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
