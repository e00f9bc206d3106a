"""API walk-through of the portal API: times in local time, clocks that tell a lapsed window from an overdue
answer, distinct codes for rule refusals, a body limit that fits every body the fields allow, and an OpenAPI
schema that describes each operation as it is.

Given/when/then; staff act through the same services their pages use.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from huiyin.cases.models import Case, CaseRating
from huiyin.cases.states import CaseStage, CaseStatus, CaseType
from huiyin.core.dates import date_text
from huiyin.portal.api import PortalApiView, PortalSubmissionApi
from huiyin.portal.models import IdempotencyRecord
from huiyin.portal.tests.conftest import good_body
from huiyin.portal.validation import json_body_max_bytes
from huiyin.workflow.models import Deadline, DeadlineKind
from huiyin.workflow.services import deadlines_sweep

# Local time (Asia/Shanghai) with its offset, to the whole second: the one format of every portal time.
LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")


def _open_with_receipt(client, receipt):
    opened = client.post(reverse("portal:track"), {"receipt": receipt})
    assert opened.status_code == 302 and opened.url == reverse("portal:case")
    return client.get(reverse("portal:case"))


# 1. Times in local time --------------------------------------------------------------------------------


def test_every_time_the_portal_api_answers_is_local_with_its_offset_to_the_second(
    client, api, employee, office, reply_case
):
    # Given a named matter sent at 03:24:00.123456 UTC (11:24 in Shanghai), answered, written about and
    # taken to review, all at that instant
    client.force_login(employee)
    with time_machine.travel(datetime(2026, 9, 8, 3, 24, 0, 123456, tzinfo=UTC), tick=False):
        body = {"type": "claim", "subject": "加班费", "content": "8月加班费未发。", "anonymous": False}
        case_no = api.submit(body, key="local-time-0001").json()["case_no"]
        reply_case(Case.objects.get(case_no=case_no))
        sent = api.post("case/messages", {"text": "请问进展？"}, query=f"?case_no={case_no}")
        reviewed = api.post("case/review-request", {"reason": "没有补发。"}, query=f"?case_no={case_no}")

        # When the petitioner reads the matter and their list of matters
        data = api.case(case_no=case_no).json()
        own = client.get("/api/v1/portal/cases").json()

    # Then every time is 11:24:00+08:00, whichever field carries it
    times = {
        "messages[].at (POST)": sent.json()["at"],
        "messages[].at": data["messages"][0]["at"],
        "review_requests[].at": data["review_requests"][0]["at"],
        "replies[].issued_at": data["replies"][0]["issued_at"],
        "reply.issued_at": data["reply"]["issued_at"],
        "review-request answer": reviewed.json()["replies"][0]["issued_at"],
        "cases[].received_at": own[0]["received_at"],
    }
    assert times == dict.fromkeys(times, "2026-09-08T11:24:00+08:00")
    assert all(LOCAL_TIME.match(value) for value in times.values())
    # And the staff API answers the same instant in the same zone
    client.force_login(office)
    staff = client.get(f"/api/v1/cases/{Case.objects.get(case_no=case_no).pk}").json()
    assert staff["received_at"].startswith("2026-09-08T11:24:00") and staff["received_at"].endswith("+08:00")


# 2. A lapsed window is not overdue ------------------------------------------------------------------------


def test_a_review_window_that_lapsed_unused_is_not_overdue_as_on_the_page(client, api, submitted, reply_case):
    # Given a matter answered, rated (which closes it), and no review requested within the window
    case, receipt = submitted
    reply_case(case)
    assert api.post("case/rating", {"rating": "satisfied", "comment": ""}, receipt).status_code == 201
    window = Deadline.objects.get(case=case, kind=DeadlineKind.REVIEW_REQUEST)

    # When the petitioner looks after the window has ended
    with time_machine.travel(timezone.now() + timedelta(days=45)):
        clocks = {c["rule"]: c for c in api.case(receipt).json()["clocks"]}
        page = _open_with_receipt(client, receipt).content.decode()

    # Then the API says the window lapsed unused, not that anyone is late
    assert clocks["review_request"] == {
        "rule": "review_request",
        "label": str(DeadlineKind.REVIEW_REQUEST.label),
        "due": window.due.isoformat(),
        "provisional": False,
        "met": False,
        "overdue": False,
        "petitioner_window": True,
    }
    assert not any(c["overdue"] for c in clocks.values())
    # And the page agrees: "Period ended", never "Overdue"
    item = re.search(r'<li class="p-late">(.*?)</li>', page, re.S).group(1)
    assert gettext("Period ended") in item and gettext("Overdue") not in item


def test_an_answer_owed_to_the_petitioner_past_its_day_is_still_overdue(api, submitted):
    # Given a matter nobody decided to accept, 40 days on
    _case, receipt = submitted
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        clock = api.case(receipt).json()["clocks"][0]

    # Then the acceptance clock, owed by the office, is overdue
    assert clock["rule"] == "register" and clock["overdue"] is True and clock["petitioner_window"] is False


# 4. Error codes ------------------------------------------------------------------------------------------


def _error(response, status_code):
    assert response.status_code == status_code, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"} and re.search(r"[\u4e00-\u9fff]", error["message"])
    return error


def test_rating_before_a_reply_is_refused_with_a_code_of_its_own(api, submitted):
    # Given a matter not yet answered
    _case, receipt = submitted

    # When the petitioner rates it
    error = _error(api.post("case/rating", {"rating": "satisfied"}, receipt), 422)

    # Then the refusal is a rule's, not a field error's
    assert error["code"] == "refused" and error["message"] == gettext("Only a replied case can be rated.")
    assert not CaseRating.objects.exists()


def test_rating_twice_and_a_review_before_a_reply_are_refused(api, submitted, reply_case):
    case, receipt = submitted
    assert _error(api.post("case/review-request", {"reason": "不服"}, receipt), 422)["code"] == "refused"
    reply_case(case)
    api.post("case/rating", {"rating": "satisfied"}, receipt)
    assert _error(api.post("case/rating", {"rating": "dissatisfied"}, receipt), 422)["code"] == "refused"


def test_a_review_requested_after_its_period_is_window_closed(api, submitted, reply_case):
    # Given an answered matter
    case, receipt = submitted
    reply_case(case)
    due = Deadline.objects.get(case=case, kind=DeadlineKind.REVIEW_REQUEST).due

    # When the review is requested after the period
    with time_machine.travel(timezone.now() + timedelta(days=45)):
        error = _error(api.post("case/review-request", {"reason": "不服答复"}, receipt), 422)

    # Then the docs' code says so, with the date, and nothing changed
    assert error["code"] == "window_closed" and date_text(due) in error["message"]
    assert error["fields"] == {"reason": [gettext("Too late.")]}
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED and case.stage == CaseStage.FIRST


def test_rating_after_the_window_is_window_closed_also_once_the_sweep_closed_the_case(
    api, submitted, reply_case, settings
):
    # Given an answered matter left unrated until the sweep closed it
    case, receipt = submitted
    reply_case(case)
    with time_machine.travel(timezone.now() + timedelta(days=settings.HUIYIN_RATING_WINDOW_DAYS + 2)):
        assert deadlines_sweep().closed == 1
        case.refresh_from_db()
        assert case.status == CaseStatus.CLOSED

        # When the petitioner rates it now
        error = _error(api.post("case/rating", {"rating": "dissatisfied"}, receipt), 422)

    # Then the rating window is what ended
    assert error["code"] == "window_closed"
    assert not CaseRating.objects.exists()


def test_field_errors_stay_400_invalid(api, submitted, reply_case):
    case, receipt = submitted
    reply_case(case)
    error = _error(api.post("case/rating", {"rating": "great"}, receipt), 400)
    assert error["code"] == "invalid" and "rating" in error["fields"]


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        ("type=claim&subject=s", "application/x-www-form-urlencoded"),
        ('{"type": "claim"}', "text/plain"),
        ("<matter/>", "application/xml"),
    ],
)
def test_a_body_not_sent_as_json_is_415_and_stores_nothing(api, raw, content_type):
    error = _error(api.submit(raw=raw, content_type=content_type, key="media-type-01"), 415)

    assert error["code"] == "unsupported_media_type"
    assert error["message"] == gettext("Send the request body as JSON.")
    assert not Case.objects.exists() and not IdempotencyRecord.objects.exists()


def test_a_signed_in_post_without_its_csrf_token_is_403(org, employee):
    # The session cookie is an ambient credential: DRF's session authentication asks for the CSRF token.
    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)
    body = {"type": "claim", "subject": "加班费", "content": "8月加班费未发。", "anonymous": False}
    response = client.post(
        "/api/v1/portal/submissions",
        data=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="csrf-check-0001",
    )

    assert _error(response, 403)["code"] == "csrf_failed"
    assert not Case.objects.exists()


# 5. The body limit fits every body the fields allow ------------------------------------------------------


def _longest_body(char):
    """A submission at every field's maximum length, sent as Python's requests sends json=: ASCII-escaped."""
    body = {
        "type": max(CaseType.values, key=len),
        "subject": char * 200,
        "content": char * 20000,
        "anonymous": False,
        "contact": char * 100,
    }
    return json.dumps(body)  # ensure_ascii: "长" is \u957f (6 bytes), "𠀀" is \ud840\udc00 (12 bytes)


# 𠀀 (U+20000, a CJK ideograph outside the BMP) escapes as long as an emoji does; emoji alone are not words and
# are refused as a subject (huiyin.core.validators.has_words).
@pytest.mark.parametrize("char", ["长", "𠀀"])
def test_a_submission_at_the_fields_maximum_lengths_fits_however_it_is_escaped(api, char):
    # Given the longest submission the fields allow, escaped as requests' json= does
    raw = _longest_body(char)
    assert len(raw.encode()) > 64 * 1024 and raw.isascii()

    # When it is sent
    response = api.submit(raw=raw, key=f"longest-body-{len(char.encode())}")

    # Then it is stored whole
    assert response.status_code == 201, response.content
    case = Case.objects.get(case_no=response.json()["case_no"])
    assert case.content == char * 20000 and case.subject == char * 200


def test_the_limit_is_computed_from_the_fields_and_fits_every_portal_body(settings):
    # The computation is exact for the longest submission...
    assert json_body_max_bytes(PortalSubmissionApi.SPEC) == len(_longest_body("😀").encode())
    # ...and the default limit fits the longest body of every portal operation, with a cap
    specs = [view.SPEC for view in PortalApiView.__subclasses__() if hasattr(view, "SPEC")]
    assert len(specs) == 5
    assert max(json_body_max_bytes(spec) for spec in specs) <= settings.HUIYIN_JSON_MAX_BYTES <= 512 * 1024


def test_a_body_over_the_limit_is_still_too_large(api, settings):
    settings.HUIYIN_JSON_MAX_BYTES = 1000
    raw = json.dumps(good_body(content="长" * 200))
    assert len(raw) > 1000

    error = _error(api.submit(raw=raw, key="over-the-limit-1"), 400)

    assert error["code"] == "too_large" and not Case.objects.exists()


# 3. The OpenAPI schema describes each operation as it is -------------------------------------------------

# The answers each operation can really give: 403 is a signed-in session's POST without its CSRF token,
# 415 a body not sent as JSON, 429 the receipt throttle (only where a receipt is checked).
PORTAL_OPERATIONS = {
    ("/api/v1/portal/submissions", "post"): {"200", "201", "400", "403", "415", "422"},
    ("/api/v1/portal/case", "get"): {"200", "404", "429"},
    ("/api/v1/portal/case/messages", "post"): {"201", "400", "403", "404", "415", "429"},
    ("/api/v1/portal/case/rating", "post"): {"201", "400", "403", "404", "415", "422", "429"},
    ("/api/v1/portal/case/review-request", "post"): {"201", "400", "403", "404", "415", "422", "429"},
    ("/api/v1/portal/case/retaliation", "post"): {"201", "400", "403", "404", "415", "422", "429"},
    ("/api/v1/portal/cases", "get"): {"200", "404"},
}


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/schema", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_each_portal_operation_has_its_own_description_and_only_its_real_answers(schema):
    operations = {key: schema["paths"][key[0]][key[1]] for key in PORTAL_OPERATIONS}
    descriptions = [op["description"] for op in operations.values()]
    assert all(d and "Base of the portal API" not in d for d in descriptions)
    assert len(set(descriptions)) == len(descriptions) and all(op["summary"] for op in operations.values())
    assert {key: set(op["responses"]) for key, op in operations.items()} == PORTAL_OPERATIONS
    for key, op in operations.items():
        for code, answer in op["responses"].items():
            assert code < "400" or answer["description"], (key, code)


def test_the_schema_says_which_operations_need_the_session_and_states_the_byte_limit(schema, settings):
    paths = schema["paths"]
    assert paths["/api/v1/portal/cases"]["get"]["security"] == [{"cookieAuth": []}]
    for path, method in PORTAL_OPERATIONS:
        if path != "/api/v1/portal/cases":
            assert paths[path][method]["security"] == [{"cookieAuth": []}, {}], path
        if method == "post":
            assert f"at most {settings.HUIYIN_JSON_MAX_BYTES} bytes" in paths[path][method]["description"]
    rule = paths["/api/v1/portal/case/rating"]["post"]["responses"]["422"]["description"]
    assert "`window_closed`" in rule and "`refused`" in rule


def test_the_own_cases_list_answers_404_without_a_session(client, org):
    response = client.get("/api/v1/portal/cases")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_documented_429_is_real_where_a_receipt_is_checked(api, submitted, settings):
    # Given the receipt throttle reached for this case number
    case, _receipt = submitted
    settings.HUIYIN_RECEIPT_FAILURES_PER_CASE = 1
    wrong = f"{case.case_no}-0000-0000-0000-0000-0000-0000"
    assert api.case(wrong).status_code == 404

    # Then every operation that checks a receipt answers 429 with Retry-After
    answers = [
        api.case(wrong),
        api.post("case/messages", {"text": "你好"}, wrong),
        api.post("case/rating", {"rating": "satisfied"}, wrong),
        api.post("case/review-request", {"reason": "不服"}, wrong),
        api.post("case/retaliation", {"answer": "no"}, wrong),
    ]
    assert [r.status_code for r in answers] == [429] * 5
    assert all(int(r.headers["Retry-After"]) >= 1 for r in answers)
