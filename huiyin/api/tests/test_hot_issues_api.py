"""The hot-issue API of issue #5: the ranked list, one issue by its lasting number, its cases (cursor-
paged), each counted on the caller's scope; the permission of the hot-issue pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from huiyin.audit.models import AuditRecord
from huiyin.triage.models import HotIssueCase, HotIssueNumber
from huiyin.triage.selectors import hot_issue_run_latest
from huiyin.triage.services import hot_issues_refresh

WAGES = "一厂检修车间8月加班费拖欠未发放，请求尽快补发"
DORM = "三号宿舍楼热水器损坏无人维修，职工洗澡困难"
NOISE = ["食堂饭菜价格上涨分量减少", "班车时间调整后上班迟到", "安全帽劳保用品不足", "年休假申请被拒绝", "合同续签咨询"]
LIST = "/api/v1/hot-issues"


@pytest.fixture
def hot(org, make_case, other_unit_clerk):
    """Five wage cases of company A and one of company B (one issue); four dormitory cases of B."""
    now = timezone.now()
    ago = lambda days: now - timedelta(days=days, minutes=5)  # noqa: E731
    in_b = {"actor": other_unit_clerk, "unit": org["b_office"]}
    wages = [
        make_case(subject="检修车间加班费拖欠", content=WAGES + f"，第{i + 1}次反映", received_at=ago(i))
        for i in range(5)
    ]
    wages.append(make_case(subject="检修车间加班费拖欠", content=WAGES + "，第7次反映", received_at=ago(1), **in_b))
    dorm = [make_case(subject="宿舍热水器损坏", content=DORM, received_at=ago(10 + i), **in_b) for i in range(4)]
    for i, text in enumerate(NOISE):
        make_case(subject=text, content=text, received_at=ago(i))
    hot_issues_refresh()
    return {"wages": wages, "dorm": dorm}


def number_of(case) -> int:
    return HotIssueCase.objects.get(case=case, issue__run=hot_issue_run_latest()).issue.number


def get(client, user, url, **params):
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def test_the_list_is_ranked_on_the_callers_cases(client, hot, executive, office):
    data = get(client, executive, LIST).json()
    assert data["run"]["window_days"] == 7 and data["run"]["started_at"]
    results = data["results"]
    assert [(r["rank"], r["number"], r["size"]) for r in results] == [
        (1, number_of(hot["wages"][0]), 6),
        (2, number_of(hot["dorm"][0]), 4),
    ]
    wages = results[0]
    assert wages["current"] and wages["recent"] == 6 and wages["units"] == 2 and "加班费" in wages["terms"]
    assert wages["growth"] == 7.0 and wages["score"] > results[1]["score"]
    assert len(wages["sample_case_nos"]) == 3 and wages["first_at"] <= wages["last_at"]
    # Company A's office sees five of the wage cases: no key words, and nothing of company B.
    (mine,) = get(client, office, LIST).json()["results"]
    assert mine["number"] == wages["number"] and mine["size"] == 5 and mine["terms"] == []
    assert set(mine["sample_case_nos"]) <= {c.case_no for c in hot["wages"][:5]}


def test_the_list_before_the_first_run_is_empty(client, db, executive):
    assert get(client, executive, LIST).json() == {"run": None, "results": []}


def test_the_limit_is_validated(client, hot, executive):
    assert [r["rank"] for r in get(client, executive, LIST, limit=1).json()["results"]] == [1]
    response = get(client, executive, LIST, limit=0)
    assert response.status_code == 400 and "limit" in response.json()["error"]["fields"]
    assert get(client, executive, LIST, limit="x").status_code == 400


def test_one_issue_by_its_number(client, hot, executive, office):
    number = number_of(hot["wages"][0])
    data = get(client, executive, f"{LIST}/{number}").json()
    assert data["number"] == number and data["rank"] == 1 and data["current"] and data["size"] == 6
    assert data["run"]["started_at"] == data["last_listed_at"] and data["first_listed_at"]
    assert len(data["sample_case_nos"]) == 3
    dorm = get(client, executive, f"{LIST}/{number_of(hot['dorm'][0])}").json()
    assert dorm["rank"] == 2
    mine = get(client, office, f"{LIST}/{number}").json()
    assert mine["size"] == 5 and mine["terms"] == [] and mine["rank"] == 1


def test_the_number_outlives_the_run(client, hot, executive, make_case):
    number = number_of(hot["wages"][0])
    make_case(subject="检修车间加班费拖欠", content=WAGES + "，第9次反映")
    hot_issues_refresh()
    data = get(client, executive, f"{LIST}/{number}").json()
    assert data["current"] and data["size"] == 7


def test_an_issue_no_longer_hot_answers_with_its_last_listing(client, hot, other_unit_clerk):
    number = number_of(hot["dorm"][0])
    with override_settings(HUIYIN_HOT_ISSUE_DAYS=9):  # the dormitory cases age out
        hot_issues_refresh()
    data = get(client, other_unit_clerk, f"{LIST}/{number}").json()
    assert not data["current"] and data["rank"] == 0 and data["size"] == 4
    cases = get(client, other_unit_clerk, f"{LIST}/{number}/cases").json()["results"]
    assert {c["case_no"] for c in cases} == {c.case_no for c in hot["dorm"]}
    assert number not in [r["number"] for r in get(client, other_unit_clerk, LIST).json()["results"]]


def test_cases_are_cursor_paged_newest_first(client, hot, office):
    url = f"{LIST}/{number_of(hot['wages'][0])}/cases"
    first = get(client, office, url, page_size=2).json()
    assert len(first["results"]) == 2 and first["next"] and first["previous"] is None
    seen = [c["case_no"] for c in first["results"]]
    following = first["next"]
    while following:
        page = client.get(following).json()
        seen += [c["case_no"] for c in page["results"]]
        following = page["next"]
    assert seen == [c.case_no for c in sorted(hot["wages"][:5], key=lambda c: (c.received_at, c.pk), reverse=True)]
    assert hot["wages"][5].case_no not in seen  # company B's case
    assert set(first["results"][0]) >= {"id", "case_no", "subject", "status", "received_at"}
    # An invalid cursor is a 400 naming the parameter (it was a 404, as if the issue did not exist).
    response = get(client, office, url, cursor="not-a-cursor")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["cursor"]


def test_scope_another_units_user_sees_only_their_cases(client, hot, other_unit_clerk):
    results = get(client, other_unit_clerk, LIST).json()["results"]
    assert [(r["number"], r["size"]) for r in results] == [(number_of(hot["dorm"][0]), 4)]
    wages = number_of(hot["wages"][0])  # one case of theirs: not an issue for them
    for url in (f"{LIST}/{wages}", f"{LIST}/{wages}/cases"):
        response = get(client, other_unit_clerk, url)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert AuditRecord.objects.filter(
        action="access.denied", object_type="triage.hotissue", object_id=str(wages), actor_name="other_clerk"
    ).exists()


@pytest.mark.parametrize("number", [lambda: HotIssueNumber.objects.order_by("-number")[0].number + 1, lambda: 10**30])
def test_a_number_that_never_existed_is_404(client, hot, executive, number):
    n = number()
    assert get(client, executive, f"{LIST}/{n}").status_code == 404
    assert get(client, executive, f"{LIST}/{n}/cases").status_code == 404


@pytest.mark.parametrize("persona", [None, "clerk", "handler", "no_perm_user"])
def test_without_the_permission_403(client, request, hot, persona):
    user = request.getfixturevalue(persona) if persona else None
    number = number_of(hot["wages"][0])
    for url in (LIST, f"{LIST}/{number}", f"{LIST}/{number}/cases"):
        response = get(client, user, url)
        assert response.status_code == 403, url
        assert "number" not in response.content.decode()
    if user is not None:
        assert AuditRecord.objects.filter(action="access.denied", object_type="triage.hotissue", actor_id=user.pk)


def test_the_schema_documents_the_endpoints(client, db):
    paths = client.get("/api/v1/schema", {"format": "json"}).json()["paths"]
    assert {"/api/v1/hot-issues", "/api/v1/hot-issues/{number}", "/api/v1/hot-issues/{number}/cases"} <= set(paths)
    listed = paths["/api/v1/hot-issues"]["get"]["responses"]
    assert {"200", "400", "403"} <= set(listed)
    assert "PaginatedCaseList" in str(paths["/api/v1/hot-issues/{number}/cases"]["get"]["responses"]["200"])
