"""Issue #5.3: the hot-issue job, the office's page ranked on the cases each user may see, the
drill-down, supervising a hot issue as a group and entering it into the dispute register."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from huiyin.cases.services import case_accept, case_assign
from huiyin.core.scheduling import JOBS
from huiyin.triage.models import DisputeEntry, HotIssue, HotIssueCase, HotIssueRun
from huiyin.triage.selectors import hot_issue_run_latest, hot_issues_for
from huiyin.triage.services import hot_issues_refresh
from huiyin.workflow.models import Supervision
from huiyin.workflow.services import supervision_open

WAGES = "一厂检修车间8月加班费拖欠未发放，请求尽快补发"
DORM = "三号宿舍楼热水器损坏无人维修，职工洗澡困难"
NOISE = [
    "食堂饭菜价格上涨分量减少",
    "班车时间调整后上班迟到",
    "安全帽劳保用品不足",
    "年休假申请被拒绝",
    "退休人员医保报销慢",
    "工伤认定材料被退回",
    "合同续签咨询",
    "厂区道路积水严重",
]


@pytest.fixture
def hot(org, make_case, b_case):
    now = timezone.now()
    ago = lambda days: now - timedelta(days=days, minutes=5)  # noqa: E731
    wages = [
        make_case(
            subject="检修车间加班费拖欠",
            content=WAGES + f"，第{i + 1}次反映",
            received_at=ago(i),
            target_unit=org["a_plant"],
        )
        for i in range(5)
    ]
    wages.append(b_case(subject="检修车间加班费拖欠", content=WAGES + "，第7次反映", received_at=ago(1)))
    dorm = [b_case(subject="宿舍热水器损坏", content=DORM, received_at=ago(10 + i)) for i in range(4)]
    for i, text in enumerate(NOISE):
        make_case(subject=text, content=text, received_at=ago(i))
    make_case(type="accusation", subject="举报车间主任克扣加班费", content=WAGES, received_at=ago(2))
    make_case(subject="检修车间加班费拖欠", content=WAGES, received_at=ago(200))  # too old
    return {"wages": wages, "dorm": dorm, "run": hot_issues_refresh()}


def issue_of(case):
    return HotIssueCase.objects.get(case=case).issue


def test_the_job_stores_ranked_clusters_and_replaces_the_last_run(hot):
    run = hot["run"]
    assert run.finished_at and run.n_cases == len(NOISE) + 10 and run.n_clusters == 2
    wages = issue_of(hot["wages"][0])
    assert wages.rank == 1 and wages.size == 6 and wages.recent == 6 and "加班费" in wages.top_terms
    assert wages.units == 2  # the plant (unit concerned) and company B's office
    assert issue_of(hot["dorm"][0]).size == 4
    # The accusation report and the old case are not clustered.
    assert HotIssueCase.objects.count() == 10
    second = hot_issues_refresh()
    assert HotIssue.objects.exclude(run=second).count() == 0 and HotIssue.objects.count() == 2
    assert hot_issue_run_latest() == second and HotIssueRun.objects.count() == 2


def test_the_job_is_registered_hourly():
    assert JOBS["hot_issues"].every_seconds == 3600


def test_each_user_sees_only_their_cases(hot, office, other_unit_clerk, executive):
    run = hot_issue_run_latest()
    mine = hot_issues_for(user=office, run=run)
    assert len(mine) == 1
    view = mine[0]
    assert view.size == 5 and not view.complete and view.terms == []  # B's case is left out, and the key words
    assert {c.pk for c in view.samples} <= {c.pk for c in hot["wages"][:5]} and len(view.samples) == 3
    theirs = hot_issues_for(user=other_unit_clerk, run=run)
    assert [v.size for v in theirs] == [4]  # B's single wage case does not make an issue for B
    everyone = hot_issues_for(user=executive, run=run)
    assert [v.size for v in everyone] == [6, 4] and everyone[0].complete and everyone[0].terms


@pytest.mark.parametrize(
    ("persona", "code"), [(None, 302), ("clerk", 403), ("handler", 403), ("office", 200), ("executive", 200)]
)
def test_hot_page_access(client, request, hot, persona, code):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("triage:hot"))
    assert response.status_code == code
    if code == 200:
        body = response.content.decode()
        assert (
            'id="hot-data"' in body
            and "triage/hot.js" in body
            and "<script>" not in body.split('id="hot-data"')[0][-200:]
        )


def test_hot_page_shows_nothing_out_of_scope(client, office, hot):
    client.force_login(office)
    body = client.get(reverse("triage:hot")).content.decode()
    assert hot["wages"][0].subject in body
    assert hot["dorm"][0].subject not in body


@pytest.mark.parametrize(("persona", "code"), [("office", 200), ("other_unit_clerk", 404), ("clerk", 403)])
def test_drill_down_access(client, request, hot, persona, code):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(issue_of(hot["wages"][0]).get_absolute_url())
    assert response.status_code == code
    if code == 200:
        body = response.content.decode()
        assert hot["wages"][0].case_no in body and hot["wages"][5].case_no not in body


def test_supervise_as_a_group(client, office, leader, handler, org, hot):
    first, second, third = hot["wages"][:3]
    for case in (first, second):
        case_accept(case=case, actor=office)
        case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    supervision_open(
        case=second,
        actor=office,
        level="normal",
        instructions="已督办",
        feedback_due=timezone.localdate() + timedelta(days=5),
    )
    client.force_login(office)
    url = reverse("triage:hot_supervise", args=[issue_of(first).pk])
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(url, {"level": "listed", "instructions": "集中督办加班费问题", "feedback_due": due})
    assert response.status_code == 302
    assert Supervision.objects.filter(case=first, level="listed").exists()
    assert Supervision.objects.filter(case=second).count() == 1  # already supervised: skipped
    assert not Supervision.objects.filter(case=third).exists()  # not in handling
    client.force_login(handler)
    assert client.post(url, {"level": "listed", "instructions": "x", "feedback_due": due}).status_code == 403


def test_enter_a_hot_issue_into_the_dispute_register(client, office, other_unit_clerk, hot):
    issue = issue_of(hot["wages"][0])
    client.force_login(other_unit_clerk)
    assert client.post(reverse("triage:hot_dispute", args=[issue.pk])).status_code == 404  # one B case only
    client.force_login(office)
    response = client.post(reverse("triage:hot_dispute", args=[issue.pk]))
    entry = DisputeEntry.objects.get()
    assert response.status_code == 302 and response.url == reverse("triage:dispute_edit", args=[entry.pk])
    assert set(entry.cases.all()) == set(hot["wages"][:5])  # never company B's case
    assert entry.source == "hot_issue" and entry.unit == office.unit and entry.headcount == 5
    assert "加班费" in entry.title and entry.created_by == office
