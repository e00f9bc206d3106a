"""Schemathesis against the OpenAPI schema: no operation answers 5xx (SECURITY.md, "How it is checked").

The schema is read from the running Django app (`/api/v1/schema`) when the test runs, so every
operation it lists at that moment is exercised — endpoints added later are covered without
touching this file. Each operation is driven with schema-conforming and schema-violating data,
as a staff member with broad rights, anonymously, and (on the portal's `case…` operations) with
a valid receipt so that requests reach the services instead of stopping at the 404.

Bounded: a few examples per operation and mode, no Hypothesis deadline, derandomized.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.test.utils import override_settings
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance
from schemathesis.core.failures import FailureGroup
from werkzeug.test import Client as Werkzeug

from huiyin.org.services import user_create

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.slow]

MAX_EXAMPLES = 25
BROAD_ROLES = ["clerk", "office", "leader", "discipline", "custodian", "auditor", "executive"]


@pytest.fixture(autouse=True)
def fast_receipts(settings):
    # Portal submissions hash a receipt each: keep Argon2id, cut its cost (as the portal tests do).
    settings.HUIYIN_RECEIPT_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


@pytest.fixture
def app():
    # schemathesis' WSGI client sends Host: localhost. Like Django's test client, keep the test's
    # connection open between requests (closing it would end the test transaction on PostgreSQL);
    # requests in these tests go through this app only (Django's Client would reconnect the signals).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with override_settings(ALLOWED_HOSTS=["localhost", "testserver"]):
            yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", app)


def operations(schema, *, only=None):
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if only is None or only(operation):
            found.append(operation)
    return found


def run(operation, *, cookies=None, headers=None, label="", examples=MAX_EXAMPLES, modes=tuple(GenerationMode)):
    """Drive one operation with schema-conforming and schema-violating data; collect every 5xx."""
    failures = []
    for mode in modes:

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            response = case.call(cookies=cookies, headers=headers)
            case.validate_response(response, checks=[not_a_server_error])

        try:
            check()
        except Unsatisfiable:
            pass  # nothing to violate: an operation without parameters or body has no negative data
        except (Exception, FailureGroup) as exc:  # collected so one run reports every failing operation
            failures.append(f"{label} {operation.label} [{mode.value}]: {exc}")
    return failures


def test_schema_lists_operations(schema):
    labels = {op.label for op in operations(schema)}
    assert "POST /api/v1/portal/submissions" in labels
    assert "GET /api/v1/cases" in labels


def session_cookies(user) -> dict[str, str]:
    """The cookies of a signed-in session of `user`, with a CSRF token to send back as X-CSRFToken."""
    client = Client()
    client.force_login(user)
    token = get_random_string(32)  # any 32-character token: Django compares the cookie with the header
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}


def test_no_server_error_as_staff(app, schema, org, make_case):
    """Every operation, signed in as a staff member holding every staff role, CSRF token included."""
    user = user_create(username="broad", password="pw-Huiyin-2026", unit=org["group"], roles=BROAD_ROLES)
    for _ in range(3):
        make_case()  # low ids exist, so `/cases/{id}` sometimes finds one
    cookies = session_cookies(user)
    token = cookies["csrftoken"]
    signed_in = Werkzeug(app)
    for name, value in cookies.items():
        signed_in.set_cookie(name, value, domain="localhost")
    assert signed_in.get("/api/v1/cases", headers={"Host": "localhost"}).status_code == 200  # the session works
    failures = []
    for operation in operations(schema):
        failures += run(operation, cookies=cookies, headers={"X-CSRFToken": token}, label="staff")
    assert not failures, "\n\n".join(failures)


def test_case_answers_conform_to_the_schema(app, schema, org, make_case, in_handling_case, handler, office):
    """Found in an API walk-through: category, handling unit and leader were declared non-null strings, and
    so was an undecided draft's `decided_by`, while real answers hold null there. Real answers, with and
    without those nulls, and the documented errors are checked against the schema a generated client reads."""
    from huiyin.cases.models import Category
    from huiyin.cases.services import reply_draft_save

    bare = make_case()  # registered: no category, handling unit nor leader
    make_case(category=Category.objects.get(code="wages"))
    reply_draft_save(case=in_handling_case, actor=handler, text="经核实，加班费已于11月20日补发。", submit=True)
    cookies = session_cookies(office)
    answers = [
        (schema["/api/v1/cases"]["GET"], {}, {}),
        (schema["/api/v1/cases"]["GET"], {}, {"page_size": 1}),  # with a `next` link
        (schema["/api/v1/cases/{id}"]["GET"], {"id": bare.pk}, {}),
        (schema["/api/v1/cases/{id}"]["GET"], {"id": in_handling_case.pk}, {}),  # an undecided draft
        (schema["/api/v1/cases/{id}"]["GET"], {"id": 10**9}, {}),  # the 404 answer
        (schema["/api/v1/cases"]["GET"], {}, {"page_size": 0}),  # a 400 answer
    ]
    signed_in = [(*answer, cookies) for answer in answers]
    anonymous = [(*answers[0], None), (*answers[2], None)]  # the list and a case without a session: 403
    checked = set()
    for operation, path, query, cookies_sent in signed_in + anonymous:
        case = operation.Case(path_parameters=path, query=query)
        response = case.call(cookies=cookies_sent)
        case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])
        checked.add(response.status_code)
        if "results" in response.json():
            assert any(row["handling_unit"] is None for row in response.json()["results"])
    assert checked == {200, 400, 403, 404}


def test_no_server_error_anonymous_portal(app, schema, org):
    """The portal operations anonymously, and the `case…` ones again holding a valid receipt."""
    response = Werkzeug(app).post(
        "/api/v1/portal/submissions",
        data=json.dumps({"type": "claim", "subject": "食堂", "content": "食堂卫生差", "anonymous": True}),
        headers={"Host": "localhost", "Content-Type": "application/json", "Idempotency-Key": "schemathesis-0001"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    receipt = response.get_json()["receipt"]
    portal = operations(schema, only=lambda op: op.path.startswith("/api/v1/portal/"))
    assert portal
    failures = []
    for operation in portal:
        failures += run(operation, label="anonymous")
        if operation.path.startswith("/api/v1/portal/case"):
            failures += run(operation, headers={"X-Receipt": receipt}, label="receipt")
    assert not failures, "\n\n".join(failures)


def test_staff_operations_anonymously(schema, org):
    """Anonymous calls to the staff operations are refused before any work: a few examples suffice."""
    staff = operations(schema, only=lambda op: not op.path.startswith("/api/v1/portal/"))
    failures = []
    for operation in staff:
        failures += run(operation, label="anonymous", examples=5, modes=(GenerationMode.POSITIVE,))
    assert not failures, "\n\n".join(failures)


def test_a_server_error_is_reported(schema, org, monkeypatch):
    """The harness itself: an operation that answers 500 is reported, so a pass means something."""
    from huiyin.portal import api

    def broken(self, request):
        raise RuntimeError("boom")

    monkeypatch.setattr(api.PortalOwnCasesApi, "get", broken)
    (operation,) = operations(schema, only=lambda op: op.label == "GET /api/v1/portal/cases")
    failures = run(operation, label="anonymous")
    assert failures and "Server error" in failures[0]
