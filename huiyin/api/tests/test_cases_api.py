"""The staff read API of cases (`/api/v1/cases`, `/api/v1/cases/<id>`): what its answers hold.

Found in an API walk-through; each test fails on the code before its fix.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from unittest.mock import ANY
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huiyin.cases.models import Category

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cases"


@pytest.fixture
def wages_case(make_case):
    return make_case(category=Category.objects.get(code="wages"), channel="visit", type="claim")


def test_answers_label_every_code_in_chinese(client, office, wages_case):
    """Only `status_label` was given: a client had to translate type, channel, stage and category itself."""
    client.force_login(office)
    row = client.get(LIST).json()["results"][0]
    detail = client.get(f"{LIST}/{wages_case.pk}").json()
    for answer in (row, detail):
        assert (answer["type"], answer["type_label"]) == ("claim", "申诉求决")
        assert (answer["channel"], answer["channel_label"]) == ("visit", "来访")
        assert (answer["stage"], answer["stage_label"]) == ("first", "首次办理")
        assert (answer["source"], answer["source_label"]) == ("own", "直接受理")
        assert (answer["category"], answer["category_name"]) == ("wages", "工资薪酬")
        assert (answer["status"], answer["status_label"]) == ("registered", "已登记")


def test_labels_follow_the_language_of_the_request(client, office, wages_case, settings):
    client.force_login(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the header's 中文/English switch
    row = client.get(LIST).json()["results"][0]
    assert (row["type_label"], row["channel_label"], row["category_name"]) == (
        "Appeal or claim",
        "Visit",
        "Wages and pay",
    )


def test_an_uncategorised_case_has_no_category_name(client, office, case):
    client.force_login(office)
    row = client.get(LIST).json()["results"][0]
    assert row["category"] is None and row["category_name"] is None


# Sorting and paging ----------------------------------------------------------------------------------------


@pytest.fixture
def five(make_case):
    """Five cases whose order by reception differs from their order by number."""
    now = timezone.now()
    return [make_case(received_at=now - timedelta(days=days, hours=1)) for days in (3, 1, 4, 0, 2)]


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def walk(client, **query) -> list[str]:
    """The case numbers of every page, following the `next` links."""
    numbers, url, params = [], LIST, {"page_size": 2, **query}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        data = response.json()
        numbers += [row["case_no"] for row in data["results"]]
        url, params = data["next"], None
    return numbers


@pytest.mark.parametrize(
    ("sort", "key", "newest_first"),
    [
        (None, "received_at", True),
        ("-received_at", "received_at", True),
        ("received_at", "received_at", False),
        ("case_no", "case_no", False),
        ("-case_no", "case_no", True),
    ],
)
def test_the_sort_orders_every_page(client, office, five, sort, key, newest_first):
    """Found in a walk-through: `sort` was validated, then the cursor paging put the list newest first anyway."""
    client.force_login(office)
    expected = [c.case_no for c in sorted(five, key=lambda c: getattr(c, key), reverse=newest_first)]
    assert walk(client, **({"sort": sort} if sort else {})) == expected


def test_the_previous_link_pages_back_in_the_same_sort(client, office, five):
    client.force_login(office)
    first = client.get(LIST, {"sort": "case_no", "page_size": 2}).json()
    second = client.get(first["next"]).json()
    assert client.get(second["previous"]).json()["results"] == first["results"]


@pytest.mark.parametrize("sort", ["status", "subject", "bogus", "id", "-status"])
def test_a_sort_the_api_does_not_offer_is_refused(client, office, five, sort):
    """Sorting by status cannot be paged by a cursor (one status is shared by many cases): refused, with the
    sorts on offer named, rather than served in another order."""
    client.force_login(office)
    response = client.get(LIST, {"sort": sort})
    assert response.status_code == 400
    (message,) = response.json()["error"]["fields"]["sort"]
    assert message == "请从以下选项中选择：-received_at, received_at, case_no, -case_no。"


def test_a_cursor_is_refused_under_another_sort(client, office, five):
    client.force_login(office)
    following = client.get(LIST, {"sort": "case_no", "page_size": 2}).json()["next"]
    cursor = parse_qs(urlsplit(following).query)["cursor"][0]
    response = client.get(LIST, {"sort": "received_at", "page_size": 2, "cursor": cursor})
    assert response.status_code == 400 and response.json()["error"]["fields"] == {"cursor": ["无效游标"]}


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        b64("p=xyz"),  # a position that is no date: it reached the database and answered 500
        b64("p=2026-01-01 00:00:00"),  # no time zone
        b64("o=-1"),
        b64("r=2"),
        b64("c=case_no&p=2026-000001"),  # made for another sort
        b64("c=-received_at&o=x"),
    ],
)
def test_an_invalid_cursor_is_a_400_not_a_404(client, office, five, cursor):
    """Found in a walk-through: `cursor=garbage` answered 404 not_found, as if the list did not exist."""
    client.force_login(office)
    response = client.get(LIST, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "invalid", "message": ANY, "fields": {"cursor": ["无效游标"]}}


def test_a_cursor_made_before_cursors_named_their_sort_still_works(client, office, five):
    client.force_login(office)
    newest = sorted(five, key=lambda c: c.received_at, reverse=True)
    old_style = b64(urlencode({"p": str(newest[1].received_at)}))  # DRF's own encoding, newest first
    rows = client.get(LIST, {"cursor": old_style}).json()["results"]
    assert [row["case_no"] for row in rows] == [c.case_no for c in newest[2:]]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "请确保该值大于或者等于 1。"),
        ("-1", "请确保该值大于或者等于 1。"),
        ("abc", "请填写合法的整数值。"),
        ("", "请填写合法的整数值。"),
        ("201", "请确保该值小于或者等于 200。"),
        ("100000", "请确保该值小于或者等于 200。"),
    ],
)
def test_an_invalid_page_size_is_refused(client, office, five, value, message):
    """Found in a walk-through: 0, -1 and abc gave 50 rows, 100000 a silent 200."""
    client.force_login(office)
    response = client.get(LIST, {"page_size": value})
    assert response.status_code == 400 and response.json()["error"]["fields"] == {"page_size": [message]}


@pytest.mark.parametrize(("value", "rows"), [("1", 1), ("200", 5)])
def test_page_sizes_in_range_are_served(client, office, five, value, rows):
    client.force_login(office)
    assert len(client.get(LIST, {"page_size": value}).json()["results"]) == rows


# Filters ---------------------------------------------------------------------------------------------------


def case_nos(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["case_no"] for row in response.json()["results"]}


def test_the_category_filter_takes_the_code_answers_give(client, office, wages_case, case):
    """Found in a walk-through: answers give the category's code, and `category=wages` was a 400."""
    client.force_login(office)
    code = client.get(f"{LIST}/{wages_case.pk}").json()["category"]
    assert code == "wages"
    assert case_nos(client.get(LIST, {"category": code})) == {wages_case.case_no}
    assert case_nos(client.get(LIST, {"category": wages_case.category_id})) == {wages_case.case_no}  # as before
    response = client.get(LIST, {"category": "no-such-category"})
    assert response.status_code == 400 and "category" in response.json()["error"]["fields"]


def test_the_unit_and_leader_filters_take_what_answers_give(client, office, in_handling_case, make_case, org, leader):
    """Answers named the unit (ambiguous: each company has its own 人力资源部) and the leader: they now give
    the unit's code and the leader's id, which the filters take."""
    unassigned = make_case()
    client.force_login(office)
    row = client.get(f"{LIST}/{in_handling_case.pk}").json()
    assert (row["handling_unit_code"], row["responsible_leader_id"]) == ("A-P1", leader.pk)
    assert case_nos(client.get(LIST, {"unit": row["handling_unit_code"]})) == {in_handling_case.case_no}
    assert case_nos(client.get(LIST, {"unit": org["a_plant"].pk})) == {in_handling_case.case_no}  # as before
    assert case_nos(client.get(LIST, {"leader": row["responsible_leader_id"]})) == {in_handling_case.case_no}
    row = client.get(f"{LIST}/{unassigned.pk}").json()
    assert (row["handling_unit_code"], row["responsible_leader_id"]) == (None, None)


@pytest.mark.parametrize("unit", ["B", "B-OFF", "NOPE"])
def test_a_unit_outside_the_scope_is_refused_like_a_missing_one(client, office, case, unit):
    client.force_login(office)
    response = client.get(LIST, {"unit": unit})
    assert response.status_code == 400 and "unit" in response.json()["error"]["fields"]


@pytest.mark.parametrize("name", ["unit", "category"])
@pytest.mark.parametrize("value", ["A\x00", "wages\x00", "工资", "a b", "x" * 41])
def test_a_code_that_cannot_be_one_is_refused_without_reaching_the_database(client, office, case, name, value):
    """Schemathesis on PostgreSQL: a NUL byte in a code reached the database, which answered an error (500)."""
    client.force_login(office)
    response = client.get(LIST, {name: value})
    assert response.status_code == 400 and name in response.json()["error"]["fields"]


@pytest.mark.parametrize("value", ["true", "false", "True", "1", "0"])
def test_overdue_takes_true_or_false(client, office, case, value):
    client.force_login(office)
    assert client.get(LIST, {"overdue": value}).status_code == 200


@pytest.mark.parametrize("value", ["maybe", "on", "yes", "2"])
def test_overdue_refuses_anything_else(client, office, case, value):
    """Found in a walk-through: `overdue=maybe` was read as true."""
    client.force_login(office)
    response = client.get(LIST, {"overdue": value})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"overdue": ["必须为 true 或 false。"]}


@pytest.mark.parametrize(
    "q", ["工", "字" * 101, " ".join(["工资", "拖欠", "加班", "社保", "宿舍", "食堂", "班车", "合同", "年假"])]
)
def test_search_text_that_cannot_be_searched_is_refused(client, office, case, q):
    """It gave an empty list, as if nothing matched."""
    client.force_login(office)
    response = client.get(LIST, {"q": q})
    assert response.status_code == 400 and "q" in response.json()["error"]["fields"]


def test_search_by_case_number_and_words(client, office, case):
    client.force_login(office)
    assert case_nos(client.get(LIST, {"q": case.case_no})) == {case.case_no}
    assert client.get(LIST, {"q": "加班费"}).status_code == 200


@pytest.mark.parametrize("name", ["page", "ordering", "stauts", "offset", "limit"])
def test_an_unknown_parameter_is_refused_not_ignored(client, office, case, name):
    """Found in a walk-through: `page=2` and `ordering=` were ignored, so the whole first page passed for the
    asked one."""
    client.force_login(office)
    response = client.get(LIST, {name: "2", "status": "open"})
    assert response.status_code == 400
    (message,) = response.json()["error"]["fields"][name]
    assert "/api/v1/docs" in message


def test_format_json_is_still_taken(client, office, case):
    client.force_login(office)
    assert case_nos(client.get(LIST, {"format": "json"})) == {case.case_no}


# The schema ------------------------------------------------------------------------------------------------


@pytest.fixture
def schema(client):
    return client.get("/api/v1/schema", {"format": "json"}).json()


def test_the_schema_documents_every_parameter_of_the_list(schema):
    """Found in a walk-through: only `cursor` and `page_size` (with no maximum) were documented."""
    from huiyin.api.filters import CaseApiFilterSet

    operation = schema["paths"]["/api/v1/cases"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {*CaseApiFilterSet.base_filters, "cursor", "page_size"}
    assert all(p["in"] == "query" and p.get("description") for p in parameters.values())
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
    assert parameters["sort"]["schema"]["enum"] == sorted(["-received_at", "received_at", "case_no", "-case_no"])
    assert parameters["overdue"]["schema"]["type"] == "boolean"
    assert parameters["leader"]["schema"]["type"] == "integer"
    assert parameters["category"]["schema"]["type"] == parameters["unit"]["schema"]["type"] == "string"
    assert parameters["q"]["schema"]["maxLength"] == 100
    assert "open" in parameters["status"]["schema"]["enum"]
    assert {"200", "400", "403"} <= set(operation["responses"]) and operation["summary"]


def test_the_schema_documents_the_detail_answers(schema):
    operation = schema["paths"]["/api/v1/cases/{id}"]["get"]
    assert {"200", "403", "404"} <= set(operation["responses"]) and operation["summary"]
    assert [p["schema"]["type"] for p in operation["parameters"] if p["name"] == "id"] == ["integer"]


# Cost ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{}, {"sort": "case_no"}, {"sort": "received_at", "category": "wages"}])
def test_the_list_costs_the_same_queries_however_many_rows(client, office, make_case, query):
    """The list is benchmarked at a million cases (bench/run.py): new fields and sorts add no query per row."""
    wages = Category.objects.get(code="wages")
    make_case(category=wages)
    client.force_login(office)
    client.get(LIST, query)  # warm up the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST, query).status_code == 200
    for _ in range(5):
        make_case(category=wages)
    with CaptureQueriesContext(connection) as six:
        assert len(client.get(LIST, query).json()["results"]) == 6
    assert len(six) == len(one)
