"""Fixtures of the portal tests: cheap Argon2 parameters, an API helper, a replied case."""

from __future__ import annotations

import json

import pytest

from huiyin.org.services import user_create


@pytest.fixture(autouse=True)
def fast_receipts(settings):
    # The production cost (19 MiB, 2 passes) is a setting; tests keep the algorithm and cut the cost.
    settings.HUIYIN_RECEIPT_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


class PortalApi:
    base = "/api/v1/portal"

    def __init__(self, client):
        self.client = client

    def submit(self, body=None, *, key="key-00000001", raw=None, content_type="application/json", **headers):
        body = body if body is not None else good_body()
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False)
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        return self.client.post(f"{self.base}/submissions", data=data, content_type=content_type, **headers)

    def case(self, receipt=None, **query):
        headers = {"HTTP_X_RECEIPT": receipt} if receipt is not None else {}
        return self.client.get(f"{self.base}/case", query, **headers)

    def post(self, path, body, receipt=None, query=""):
        headers = {"HTTP_X_RECEIPT": receipt} if receipt is not None else {}
        return self.client.post(
            f"{self.base}/{path}{query}",
            data=json.dumps(body, ensure_ascii=False),
            content_type="application/json",
            **headers,
        )


def good_body(**overrides):
    body = {
        "type": "claim",
        "subject": "二车间8月加班费未发",
        "content": "我是二车间职工，8月份加班费至今没有发放，请核实处理。",
        "anonymous": True,
    }
    body.update(overrides)
    return body


@pytest.fixture
def api(client, org):
    return PortalApi(client)


@pytest.fixture
def submitted(api):
    """An anonymous matter submitted through the API: (case, receipt)."""
    from huiyin.cases.models import Case

    response = api.submit(key="fixture-submission-1")
    assert response.status_code == 201, response.content
    data = response.json()
    return Case.objects.get(case_no=data["case_no"]), data["receipt"]


@pytest.fixture
def reply_case(office, leader, handler, org):
    """Accept, assign and reply to a case, as the staff would."""
    from huiyin.cases.services import case_accept, case_assign, case_reply

    def run(case, text="经核实，8月加班费已于9月15日补发到您的工资卡。"):
        case_accept(case=case, actor=office)
        case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
        reply = case_reply(case=case, actor=handler, text=text)
        case.refresh_from_db()
        return reply

    return run


@pytest.fixture
def employee(org):
    return user_create(
        username="emp1", password="pw-Huiyin-2026", unit=org["a_workshop"], roles=["petitioner"], full_name="陈职工"
    )


@pytest.fixture
def employee2(org):
    return user_create(
        username="emp2", password="pw-Huiyin-2026", unit=org["a_workshop"], roles=["petitioner"], full_name="林职工"
    )
