"""Issue #5: the triage API. Classify a text without creating anything; read a case's suggestions and
similar cases; confirm, correct or dismiss a suggestion. Out of scope is a 404 that is audited,
without the permission a 403, malformed input a 400 that changes nothing."""

from __future__ import annotations

import json
import random

import pytest
from django.core.management import call_command

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.cases.models import Case, Category
from huiyin.cases.services import PetitionerData, case_register
from huiyin.triage.models import CategoryRoute, Suggestion, TrainedModel
from huiyin.triage.services import model_train, similar_dismiss
from huiyin.triage.tests.conftest import petition

API = "/api/v1"
CLASSIFY = f"{API}/triage/classify"
WAGES_TEXT = {"title": "一厂拖欠8月加班费", "body": "检修车间职工8月加班费至今未发放，请予核实。"}
SIMILAR_TEXT = "我是一厂检修车间职工，2026年8月加班费至今未发放，车间多次反映无果，请求尽快补发加班费。"


@pytest.fixture
def b_case(org, other_unit_clerk):
    """A case of company B, out of company A's scope."""
    return case_register(
        actor=other_unit_clerk,
        unit=org["b_office"],
        channel="letter",
        type="claim",
        subject="乙公司拖欠8月加班费",
        content="乙公司机修车间8月加班费至今未发放，请予核实。",
    )


def cat(code: str) -> Category:
    return Category.objects.get(code=code)


def post(client, url, data=None, raw: str | None = None, content_type="application/json"):
    if raw is not None:
        return client.generic("POST", url, raw.encode(), content_type=content_type)
    if data is None:
        return client.generic("POST", url)  # no body at all
    return client.generic("POST", url, json.dumps(data, ensure_ascii=False).encode(), content_type=content_type)


def category_suggestion(case: Case) -> Suggestion:
    return Suggestion.objects.get(case=case, kind="category")


def denials() -> int:
    return AuditRecord.objects.filter(action=AuditAction.ACCESS_DENIED).count()


def snapshot() -> tuple:
    """What a triage call could have changed."""
    suggestions = sorted(
        Suggestion.objects.values_list(
            "pk", "status", "decided_by_id", "decided_at", "corrected_category_id", "corrected_unit_id", "unit_id"
        )
    )
    return Case.objects.count(), suggestions, CategoryRoute.objects.count()


# Classify -------------------------------------------------------------------------------------------------


def test_classify_suggests_by_keywords_without_a_model_and_creates_nothing(client, clerk, case):
    client.force_login(clerk)
    before, audits = snapshot(), AuditRecord.objects.count()

    response = post(client, CLASSIFY, WAGES_TEXT)

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["label"] == "wages" and data["source"] == "keywords" and data["model_version"] is None
    assert data["category"] == {"code": "wages", "name": cat("wages").name_zh}
    assert 0 < data["confidence"] <= 1
    assert data["reasons"][0]["term"] == "加班费" and data["reasons"][0]["weight"] > 0
    assert all(set(a) == {"label", "category", "confidence"} for a in data["alternatives"])
    assert data["route"] is None  # no category→unit route configured
    assert snapshot() == before and AuditRecord.objects.count() == audits


def test_classify_falls_back_to_keywords_when_the_active_model_cannot_be_loaded(client, clerk, settings, tmp_path):
    settings.HUIYIN_MODEL_DIR = str(tmp_path)
    TrainedModel.objects.create(
        version=1, trained_at="2026-01-01T00:00:00+08:00", source="csv", n_examples=0, file_name="gone.bin", active=True
    )
    client.force_login(clerk)
    data = post(client, CLASSIFY, WAGES_TEXT).json()
    assert (data["source"], data["model_version"], data["category"]["code"]) == ("keywords", None, "wages")


def test_classify_uses_the_active_trained_model(client, clerk, settings, tmp_path):
    settings.HUIYIN_MODEL_DIR = str(tmp_path)
    rng = random.Random(7)
    examples = [(*petition(rng, code), code) for code in ("wages", "housing", "canteen_welfare") for _ in range(10)]
    trained = model_train(examples=examples, source="csv", heldout=0, min_examples=20).trained_model
    title, body = petition(rng, "housing")
    client.force_login(clerk)

    data = post(client, CLASSIFY, {"title": title, "body": body}).json()

    assert (data["source"], data["model_version"], data["label"]) == ("model", trained.version, "housing")
    assert data["category"]["code"] == "housing" and data["reasons"]
    assert {a["label"] for a in data["alternatives"]} <= {"wages", "canteen_welfare"}


def test_classify_routes_to_the_unit_of_the_deepest_matching_scope(client, clerk, other_unit_clerk, org):
    CategoryRoute.objects.create(category=cat("wages"), unit=org["a_plant"])
    CategoryRoute.objects.create(category=cat("wages"), scope=org["a"], unit=org["a_workshop"])
    client.force_login(clerk)  # registers in A's petition office
    route = post(client, CLASSIFY, WAGES_TEXT).json()["route"]
    assert route == {"unit": {"code": "A-P1-W1", "name": "一厂检修车间"}, "scope": {"code": "A", "name": "甲公司"}}
    client.force_login(other_unit_clerk)  # company B: only the route without scope applies
    route = post(client, CLASSIFY, WAGES_TEXT).json()["route"]
    assert route == {"unit": {"code": "A-P1", "name": "甲公司一厂"}, "scope": None}


def test_classify_accepts_a_title_or_a_body_alone_up_to_the_intake_limits(client, clerk, discipline):
    client.force_login(clerk)
    assert post(client, CLASSIFY, {"title": "食堂饭菜涨价"}).json()["category"]["code"] == "canteen_welfare"
    assert (
        post(client, CLASSIFY, {"body": "单位未给我缴纳住房公积金，\n请核实。"}).json()["category"]["code"] == "housing"
    )
    assert post(client, CLASSIFY, {"title": "a" * 200, "body": "b" * 20000}).status_code == 200
    client.force_login(discipline)  # screening is enough
    assert post(client, CLASSIFY, WAGES_TEXT).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "加班费", "category": "wages"}, "category"),
        ({}, "non_field_errors"),
        ({"title": "", "body": "   "}, "non_field_errors"),
        ({"title": 123}, "title"),
        ({"body": True}, "body"),
        ({"title": ["加班费"]}, "title"),
        ({"title": None}, "title"),
        ({"title": "a" * 201}, "title"),
        ({"body": "b" * 20001}, "body"),
        ({"title": "加班费\u202e"}, "title"),
        ({"title": "加班费\x07"}, "title"),
        ({"title": "加班\n费"}, "title"),  # a title is one line
        (["加班费"], "non_field_errors"),
    ],
)
def test_classify_rejects_malformed_input(client, clerk, case, body, field):
    client.force_login(clerk)
    before = snapshot()
    response = post(client, CLASSIFY, body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"] and error["message"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("raw", "content_type", "code"),
    [
        ("{", "application/json", "malformed"),
        ('{"title": "加班费", "title": "工资"}', "application/json", "malformed"),
        ("title=加班费", "application/x-www-form-urlencoded", "malformed"),
        ('{"title": ' * 20 + "1" + "}" * 20, "application/json", "too_deep"),
        ('{"body": "' + "a" * 300000 + '"}', "application/json", "too_large"),
    ],
)
def test_classify_rejects_bodies_that_are_not_one_json_object(client, clerk, raw, content_type, code):
    client.force_login(clerk)
    response = post(client, CLASSIFY, raw=raw, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize("persona", ["no_perm_user", "handler", "leader", "executive"])
def test_classify_needs_the_intake_or_screening_permission(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    before = denials()
    response = post(client, CLASSIFY, WAGES_TEXT)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert denials() == before + 1


def test_anonymous_callers_are_refused_everywhere(client, case):
    s = category_suggestion(case)
    assert post(client, CLASSIFY, WAGES_TEXT).status_code == 403
    assert client.get(f"{API}/cases/{case.pk}/suggestions").status_code == 403
    assert client.get(f"{API}/cases/{case.pk}/similar").status_code == 403
    assert post(client, f"{API}/suggestions/{s.pk}/confirm", {}).status_code == 403
    assert category_suggestion(case).status == "open"


# A case's suggestions --------------------------------------------------------------------------------------


def test_case_suggestions_show_reasons_and_the_route(client, clerk, org, make_case):
    CategoryRoute.objects.create(category=cat("wages"), scope=org["a"], unit=org["a_plant"])
    case = make_case()
    client.force_login(clerk)

    response = client.get(f"{API}/cases/{case.pk}/suggestions")

    assert response.status_code == 200
    category, route = response.json()
    assert category["id"] == category_suggestion(case).pk and category["case"] == case.pk
    assert (category["kind"], category["status"], category["source"]) == ("category", "open", "keywords")
    assert category["category"]["code"] == "wages" and category["reasons"][0]["term"] == "加班费"
    assert 0 < category["confidence"] <= 1 and category["decided_by"] is None and category["decided_at"] is None
    assert category["route_basis"] is None
    assert (route["kind"], route["unit"], route["source"]) == ("route", {"code": "A-P1", "name": "甲公司一厂"}, "route")
    assert route["route_basis"] == {"category": "wages", "category_name": cat("wages").name_zh, "scope": "甲公司"}
    assert route["reasons"] == [] and route["alternatives"] == []


def test_case_suggestions_of_a_case_without_any_is_an_empty_list(client, clerk, case):
    Suggestion.objects.filter(case=case).delete()
    client.force_login(clerk)
    assert client.get(f"{API}/cases/{case.pk}/suggestions").json() == []


def test_classify_reads_the_longest_text_it_allows_however_escaped(client, clerk):
    """Found in an API walk-through: 12,000 characters sent by requests' json= (\\uXXXX, 6 bytes each) were
    refused as too large, though the body may have 20,000."""
    import json

    from huiyin.api.triage_serializers import BODY_MAX, TITLE_MAX

    client.force_login(clerk)
    raw = json.dumps({"title": "😀" * TITLE_MAX, "body": "拖欠加班费" * (BODY_MAX // 5)})  # ensure_ascii
    assert len(raw) > 100_000
    response = post(client, CLASSIFY, raw=raw, content_type="application/json")
    assert response.status_code == 200, response.content[:300]


def test_a_body_limit_below_what_the_fields_allow_is_refused_at_startup(settings):
    from huiyin.api.checks import json_body_limit_check, largest_json_bodies

    assert json_body_limit_check(None) == []
    settings.HUIYIN_JSON_MAX_BYTES = 64 * 1024
    (error,) = json_body_limit_check(None)
    assert error.id == "api.E001" and str(max(largest_json_bodies().values())) in error.hint


# Decisions -----------------------------------------------------------------------------------------------------


def test_confirm_records_who_and_when(client, clerk, case):
    s = category_suggestion(case)
    client.force_login(clerk)

    response = post(client, f"{API}/suggestions/{s.pk}/confirm")

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["decided_by"]) == ("confirmed", clerk.display_name) and data["decided_at"]
    s.refresh_from_db()
    assert (s.status, s.decided_by, s.corrected_category) == ("confirmed", clerk, None)


def test_correct_a_category_records_it_and_moves_the_route(client, office, case, org):
    CategoryRoute.objects.create(category=cat("housing"), unit=org["a_plant"])
    s = category_suggestion(case)
    client.force_login(office)

    response = post(client, f"{API}/suggestions/{s.pk}/correct", {"category": "housing"})

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "corrected" and data["corrected_category"]["code"] == "housing"
    s.refresh_from_db()
    assert (s.status, s.corrected_category.code, s.decided_by) == ("corrected", "housing", office)
    route = client.get(f"{API}/cases/{case.pk}/suggestions").json()[1]
    assert (route["kind"], route["unit"]["code"], route["status"]) == ("route", "A-P1", "open")


def test_correct_a_route_to_a_unit_of_ones_subtree(client, office, case, org):
    CategoryRoute.objects.create(category=cat("wages"), unit=org["a_plant"])
    category_suggestion(case).delete()
    post_route = Suggestion.objects.create(
        case=case, kind="route", value="A-P1", unit=org["a_plant"], category=cat("wages"), source="route"
    )
    client.force_login(office)

    response = post(client, f"{API}/suggestions/{post_route.pk}/correct", {"unit": "A-P1-W1"})

    assert response.status_code == 200, response.content
    assert response.json()["corrected_unit"] == {"code": "A-P1-W1", "name": "一厂检修车间"}
    post_route.refresh_from_db()
    assert (post_route.status, post_route.corrected_unit, post_route.decided_by) == (
        "corrected",
        org["a_workshop"],
        office,
    )


def test_dismiss_records_the_decision(client, handler, in_handling_case):
    s = category_suggestion(in_handling_case)
    client.force_login(handler)  # sees the case once it handles it, and may decide suggestions
    response = post(client, f"{API}/suggestions/{s.pk}/dismiss", {})
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    s.refresh_from_db()
    assert (s.status, s.decided_by) == ("dismissed", handler) and s.decided_at is not None


@pytest.fixture
def route_suggestion(case, org):
    return Suggestion.objects.create(
        case=case, kind="route", value="A-P1", unit=org["a_plant"], category=cat("wages"), source="route"
    )


@pytest.mark.parametrize(
    ("target", "body", "field"),
    [
        ("category", {}, "category"),
        ("category", {"category": "no-such-category"}, "category"),
        ("category", {"category": "retired"}, "category"),
        ("category", {"category": 1}, "category"),
        ("category", {"category": ["housing"]}, "category"),
        ("category", {"category": None}, "category"),
        ("category", {"category": "housing", "note": "x"}, "note"),
        ("category", {"unit": "A-P1"}, "unit"),
        ("route", {}, "unit"),
        ("route", {"unit": "B-OFF"}, "unit"),  # not in the caller's subtree
        ("route", {"unit": 5}, "unit"),
        ("route", {"category": "housing"}, "category"),
    ],
)
def test_correct_rejects_malformed_input_and_changes_nothing(
    client, office, case, route_suggestion, target, body, field
):
    Category.objects.create(code="retired", name_zh="停用类别", active=False)
    s = category_suggestion(case) if target == "category" else route_suggestion
    client.force_login(office)
    before = snapshot()

    response = post(client, f"{API}/suggestions/{s.pk}/correct", body)

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert snapshot() == before


@pytest.mark.parametrize("action", ["confirm", "dismiss"])
@pytest.mark.parametrize(
    ("raw", "content_type"),
    [('{"category": "housing"}', "application/json"), ("[]", "application/json"), ("{", "application/json")],
)
def test_confirm_and_dismiss_take_no_fields(client, office, case, action, raw, content_type):
    s = category_suggestion(case)
    client.force_login(office)
    before = snapshot()
    response = post(client, f"{API}/suggestions/{s.pk}/{action}", raw=raw, content_type=content_type)
    assert response.status_code == 400
    assert snapshot() == before


def test_a_rule_of_the_service_answers_422_with_its_message_and_changes_nothing(client, office, case):
    s = category_suggestion(case)
    Suggestion.objects.filter(pk=s.pk).update(category=None, value="旧模型标签")  # a label no longer listed
    client.force_login(office)
    before = snapshot()

    response = post(client, f"{API}/suggestions/{s.pk}/confirm")

    assert response.status_code == 422
    assert response.json()["error"]["message"] == "该标签不在类别目录中，请更正为一个类别。"
    assert response.json()["error"]["code"] == "refused"  # not "invalid", the code of 400 field errors
    assert snapshot() == before


def test_a_decided_suggestion_is_not_decided_again_behind_the_deciders_back(client, office, clerk, case):
    """The office confirms (the case takes the category); a clerk then tries to dismiss or confirm it
    again: both are refused with who decided and when, and nothing changes."""
    s = category_suggestion(case)
    client.force_login(office)
    assert post(client, f"{API}/suggestions/{s.pk}/confirm").status_code == 200
    client.force_login(clerk)
    before = snapshot()
    for action in ("dismiss", "confirm"):
        response = post(client, f"{API}/suggestions/{s.pk}/{action}")
        assert response.status_code == 422, response.content
        assert "李信访" in response.json()["error"]["message"]
    assert snapshot() == before
    s.refresh_from_db()
    assert (s.status, s.decided_by) == ("confirmed", office)


def test_a_decision_on_what_the_client_last_read_is_refused_when_someone_decided_since(client, office, clerk, case):
    """`seen_decided_at` says which state the client decided on: null (undecided) after another's correction
    is refused with 422 `changed`; the suggestion's current `decided_at` is taken."""
    s = category_suggestion(case)
    client.force_login(clerk)
    first = post(client, f"{API}/suggestions/{s.pk}/correct", {"category": "housing", "seen_decided_at": None})
    assert first.status_code == 200, first.content
    client.force_login(office)
    before = snapshot()
    stale = post(client, f"{API}/suggestions/{s.pk}/dismiss", {"seen_decided_at": None})
    assert stale.status_code == 422 and stale.json()["error"]["code"] == "changed"
    assert "王登记" in stale.json()["error"]["message"]
    assert snapshot() == before
    current = first.json()["decided_at"]
    fresh = post(
        client, f"{API}/suggestions/{s.pk}/correct", {"category": "canteen_welfare", "seen_decided_at": current}
    )
    assert fresh.status_code == 200, fresh.content
    assert post(client, f"{API}/suggestions/{s.pk}/confirm", {"seen_decided_at": "yesterday"}).status_code == 400


# Similar cases ---------------------------------------------------------------------------------------------------


@pytest.fixture
def similar(make_case, org, other_unit_clerk):
    first = make_case(subject="一厂拖欠8月加班费", content=SIMILAR_TEXT)
    return {
        "first": first,
        "copy": make_case(subject="一厂拖欠8月加班费", content=SIMILAR_TEXT, anonymous=True, petitioner=None),
        "other": make_case(
            subject="检修车间8月加班费未发放",
            content="检修车间职工2026年8月加班费至今未发放，请求补发。",
            petitioner=PetitionerData(name="陈某", phone="13900002222", employee_no="E20200002"),
        ),
        "unrelated": make_case(subject="食堂饭菜涨价", content="食堂饭菜价格上涨，分量减少。", petitioner=None),
        "b": case_register(
            actor=other_unit_clerk,
            unit=org["b_office"],
            channel="letter",
            type="claim",
            subject="一厂拖欠8月加班费",
            content=SIMILAR_TEXT,
        ),
    }


def test_similar_lists_repeats_and_same_issue_cases_the_user_may_see(client, clerk, similar):
    client.force_login(clerk)

    response = client.get(f"{API}/cases/{similar['copy'].pk}/similar")

    assert response.status_code == 200
    found = {item["case"]["id"]: item for item in response.json()}
    first, other = found[similar["first"].pk], found[similar["other"].pk]
    assert first["kind"] == "repeat" and first["score"] > 0.99 and first["later"] is False
    assert first["case"]["case_no"] == similar["first"].case_no
    assert first["case"]["subject"] == "一厂拖欠8月加班费" and first["case"]["status"] == "registered"
    assert first["kind_label"] and first["case"]["status_label"]
    assert other["kind"] == "same_issue" and "加班费" in other["shared"]
    assert similar["b"].pk not in found  # company B is out of the clerk's scope
    assert similar["unrelated"].pk not in found and similar["copy"].pk not in found
    scores = [item["score"] for item in response.json()]
    assert scores == sorted(scores, reverse=True)


def test_similar_leaves_out_cases_set_aside(client, clerk, similar):
    similar_dismiss(case=similar["copy"], other=similar["first"], actor=clerk)
    client.force_login(clerk)
    found = {item["case"]["id"] for item in client.get(f"{API}/cases/{similar['copy'].pk}/similar").json()}
    assert similar["first"].pk not in found and similar["other"].pk in found


# Scope and permissions of every object endpoint ---------------------------------------------------------------------


def object_calls(case: Case, suggestion: Suggestion) -> list[tuple[str, str, dict | None]]:
    return [
        ("get", f"{API}/cases/{case.pk}/suggestions", None),
        ("get", f"{API}/cases/{case.pk}/similar", None),
        ("post", f"{API}/suggestions/{suggestion.pk}/confirm", {}),
        ("post", f"{API}/suggestions/{suggestion.pk}/correct", {"category": "housing"}),
        ("post", f"{API}/suggestions/{suggestion.pk}/dismiss", {}),
    ]


def call(client, method: str, url: str, body: dict | None):
    return client.get(url) if method == "get" else post(client, url, body)


@pytest.mark.parametrize("index", range(5))
def test_other_unit_gets_404_logged_and_nothing_changes(client, other_unit_clerk, case, index):
    method, url, body = object_calls(case, category_suggestion(case))[index]
    client.force_login(other_unit_clerk)  # company B's office: may decide suggestions, but not of A's cases
    before, audits = snapshot(), denials()

    response = call(client, method, url, body)

    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert denials() == audits + 1
    assert snapshot() == before


@pytest.mark.parametrize("index", range(5))
def test_missing_objects_are_the_same_404(client, office, case, index):
    method, url, body = object_calls(Case(pk=999999), Suggestion(pk=999999))[index]
    client.force_login(office)
    before = denials()
    response = call(client, method, url, body)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert denials() == before + 1


@pytest.mark.parametrize("action", ["confirm", "correct", "dismiss"])
def test_a_similar_case_record_is_not_decided_here(client, office, similar, action):
    record = similar_dismiss(case=similar["copy"], other=similar["first"], actor=office)
    client.force_login(office)
    before = snapshot()
    response = post(client, f"{API}/suggestions/{record.pk}/{action}", {})
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("index", range(5))
def test_no_permission_is_403_logged_and_nothing_changes(client, no_perm_user, case, index):
    method, url, body = object_calls(case, category_suggestion(case))[index]
    client.force_login(no_perm_user)
    before, audits = snapshot(), denials()
    response = call(client, method, url, body)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert denials() == audits + 1
    assert snapshot() == before


@pytest.mark.parametrize("action", ["confirm", "correct", "dismiss"])
def test_deciding_needs_the_permission_to_confirm_suggestions(client, executive, case, action):
    s = category_suggestion(case)
    client.force_login(executive)  # sees every case of the group, decides nothing
    assert client.get(f"{API}/cases/{case.pk}/suggestions").status_code == 200
    response = post(client, f"{API}/suggestions/{s.pk}/{action}", {"category": "housing"})
    assert response.status_code == 403
    assert category_suggestion(case).status == "open"


# Schema ------------------------------------------------------------------------------------------------------------


def test_the_openapi_schema_lists_the_triage_paths(client):
    paths = client.get(f"{API}/schema", {"format": "json"}).json()["paths"]
    expected = {
        "/api/v1/triage/classify": "post",
        "/api/v1/cases/{id}/suggestions": "get",
        "/api/v1/cases/{id}/similar": "get",
        "/api/v1/suggestions/{id}/confirm": "post",
        "/api/v1/suggestions/{id}/correct": "post",
        "/api/v1/suggestions/{id}/dismiss": "post",
    }
    for path, method in expected.items():
        operation = paths[path][method]
        assert "200" in operation["responses"] and "403" in operation["responses"], path
    classify = paths["/api/v1/triage/classify"]["post"]
    assert classify["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ClassifyInput")
    assert classify["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Classify")
    correct = paths["/api/v1/suggestions/{id}/correct"]["post"]
    assert {"400", "404", "422"} <= set(correct["responses"])


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    # --fail-on-warn raises on any warning (enum name collisions, untyped fields, unresolved paths).
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text(encoding="utf-8").count("/api/v1/suggestions/") == 3
