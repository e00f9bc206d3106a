"""Issue #5.3: the hot-issue job, the office's page ranked on the cases each user may see, the
drill-down, supervising a hot issue as a group and entering it into the dispute register; and the
numbers that keep a hot issue's identity (and its page) from run to run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from huiyin.audit.models import AuditRecord
from huiyin.cases.services import case_accept, case_assign
from huiyin.core.scheduling import JOBS
from huiyin.nlp.cluster import Cluster
from huiyin.triage import services
from huiyin.triage.models import DisputeEntry, HotIssue, HotIssueCase, HotIssueNumber, HotIssueRun
from huiyin.triage.selectors import hot_issue_get_for_user, hot_issue_run_latest, hot_issues_for
from huiyin.triage.services import hot_issue_numbers_match, hot_issues_refresh
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
    """The issue of the latest run that lists `case`."""
    return HotIssueCase.objects.select_related("issue").get(case=case, issue__run=hot_issue_run_latest()).issue


def test_the_job_stores_ranked_clusters_and_replaces_the_last_run(hot):
    run = hot["run"]
    assert run.finished_at and run.n_cases == len(NOISE) + 10 and run.n_clusters == 2
    wages = issue_of(hot["wages"][0])
    assert wages.rank == 1 and wages.size == 6 and wages.recent == 6 and "加班费" in wages.top_terms
    assert wages.units == 2  # the plant (unit concerned) and company B's office
    assert issue_of(hot["dorm"][0]).size == 4
    # The accusation report and the old case are not clustered.
    assert HotIssueCase.objects.count() == 10
    numbers = set(run.issues.values_list("number", flat=True))
    second = hot_issues_refresh()
    assert HotIssue.objects.exclude(run=second).count() == 0 and HotIssue.objects.count() == 2
    assert hot_issue_run_latest() == second and HotIssueRun.objects.count() == 2
    # The same issues again: the same numbers, and none given anew.
    assert set(second.issues.values_list("number", flat=True)) == numbers
    assert HotIssueNumber.objects.count() == 2


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
    url = reverse("triage:hot_supervise", args=[issue_of(first).number])
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(url, {"level": "listed", "instructions": "集中督办加班费问题", "feedback_due": due})
    assert response.status_code == 302 and response.url == issue_of(first).get_absolute_url()
    assert Supervision.objects.filter(case=first, level="listed").exists()
    assert Supervision.objects.filter(case=second).count() == 1  # already supervised: skipped
    assert not Supervision.objects.filter(case=third).exists()  # not in handling
    client.force_login(handler)
    assert client.post(url, {"level": "listed", "instructions": "x", "feedback_due": due}).status_code == 403


def test_enter_a_hot_issue_into_the_dispute_register(client, office, other_unit_clerk, hot):
    issue = issue_of(hot["wages"][0])
    client.force_login(other_unit_clerk)
    assert client.post(reverse("triage:hot_dispute", args=[issue.number])).status_code == 404  # one B case only
    client.force_login(office)
    response = client.post(reverse("triage:hot_dispute", args=[issue.number]))
    entry = DisputeEntry.objects.get()
    assert response.status_code == 302 and response.url == reverse("triage:dispute_edit", args=[entry.pk])
    assert set(entry.cases.all()) == set(hot["wages"][:5])  # never company B's case
    assert entry.source == "hot_issue" and entry.unit == office.unit and entry.headcount == 5
    assert "加班费" in entry.title and entry.created_by == office
    # One subject stands for the group, and says how many cases in all (Chinese "A等N件": N in all, not N others).
    assert entry.title.endswith(gettext("{title} and similar cases, {n} in all").format(title="", n=5))
    assert entry.hot_issue_number == issue.number


# Numbers: a hot issue keeps its identity from run to run ------------------------------------------------


def test_numbers_are_kept_when_an_issue_grows(hot, make_case, org):
    """Given the wage issue, when two more wage cases arrive and the job runs again, the issue keeps
    its number and its page (now the new run's row), showing the new cases too."""
    before = issue_of(hot["wages"][0])
    dorm = issue_of(hot["dorm"][0]).number
    more = [
        make_case(subject="检修车间加班费拖欠", content=WAGES + f"，第{i}次反映", target_unit=org["a_plant"])
        for i in (8, 9)
    ]
    run = hot_issues_refresh()
    after = issue_of(more[0])
    assert after.number == before.number and after.pk != before.pk and after.run == run and after.size == 8
    assert issue_of(hot["dorm"][0]).number == dorm
    assert after.get_absolute_url() == before.get_absolute_url() == f"/triage/hot/{before.number}/"
    assert not HotIssue.objects.filter(pk=before.pk).exists()  # one row per number


def test_a_new_cluster_gets_a_new_number_never_given_before(hot, make_case):
    old = set(HotIssueNumber.objects.values_list("number", flat=True))
    bus = [
        make_case(subject="厂区班车取消", content=f"东区厂区班车7月起取消，职工上班无车可乘，第{i}次反映")
        for i in range(4)
    ]
    hot_issues_refresh()
    number = issue_of(bus[0]).number
    assert number not in old and number > max(old)
    assert {issue_of(hot["wages"][0]).number, issue_of(hot["dorm"][0]).number} == old


def test_match_rule_growth_split_merge_and_new():
    # Growth (and cases that aged out) keep the number: the overlap is measured on the smaller side.
    assert hot_issue_numbers_match({7: {1, 2, 3}}, [{1, 2, 3, 4, 5, 6, 7, 8}]) == {0: 7}
    # A split: the part holding more of the issue's cases keeps the number; the other part is new.
    assert hot_issue_numbers_match({7: set(range(1, 11))}, [{1, 2, 3, 4}, {5, 6, 7, 8, 9, 10}]) == {1: 7}
    # A merge: the issue bringing more cases gives its number; the other one ends.
    assert hot_issue_numbers_match({3: {1, 2, 3}, 4: {4, 5, 6, 7, 8}}, [set(range(1, 9))]) == {0: 4}
    # One-to-one: two clusters may not take the same number, nor one cluster two numbers.
    matched = hot_issue_numbers_match({3: {1, 2}, 4: {3, 4}}, [{1, 2, 3, 4}, {1, 2}])
    assert matched == {0: 4, 1: 3}
    # Less than half of the smaller side shared: not the same issue.
    assert hot_issue_numbers_match({7: {1, 2, 3, 4, 5}}, [{1, 2, 10, 11, 12}]) == {}
    assert hot_issue_numbers_match({7: {1, 2, 3, 4}}, [{1, 2, 10, 11}]) == {0: 7}  # exactly half
    # Ties go to the better-ranked cluster, then to the older number.
    assert hot_issue_numbers_match({7: {1, 2, 3, 4}}, [{1, 2}, {3, 4}]) == {0: 7}
    assert hot_issue_numbers_match({8: {1, 2}, 7: {1, 2}}, [{1, 2}]) == {0: 7}
    assert hot_issue_numbers_match({}, [{1, 2}]) == {} and hot_issue_numbers_match({7: set()}, [{1}]) == {}


def _clusters(*groups):
    """What the clusterer would return for these groups of cases, best ranked first."""
    return [
        Cluster(id=k, members=[c.pk for c in g], size=len(g), growth=1.0, units=1, headcount=len(g), score=10.0 - k)
        for k, g in enumerate(groups, 1)
    ]


def test_split_and_merge_through_the_job(hot, monkeypatch, client, other_unit_clerk):
    """The clusterer's grouping changes from run to run; the numbers follow the members."""
    wages, dorm = issue_of(hot["wages"][0]).number, issue_of(hot["dorm"][0]).number
    # A split: four wage cases in one cluster, two in another.
    monkeypatch.setattr(services, "cluster", lambda *a, **k: _clusters(hot["wages"][:2], hot["wages"][2:], hot["dorm"]))
    hot_issues_refresh()
    assert issue_of(hot["wages"][2]).number == wages and issue_of(hot["dorm"][0]).number == dorm
    split_off = issue_of(hot["wages"][0]).number
    assert split_off not in (wages, dorm) and split_off == max(HotIssueNumber.objects.values_list("number", flat=True))
    # A merge: the dormitory cases join the larger wage part, which brings more cases and keeps its number.
    monkeypatch.setattr(
        services, "cluster", lambda *a, **k: _clusters(hot["wages"][2:] + hot["dorm"], hot["wages"][:2])
    )
    hot_issues_refresh()
    assert issue_of(hot["dorm"][0]).number == wages and issue_of(hot["wages"][0]).number == split_off
    assert not hot_issue_run_latest().issues.filter(number=dorm).exists()
    client.force_login(other_unit_clerk)  # the dormitory issue ended: its page says so, with its cases
    body = client.get(reverse("triage:hot_detail", args=[dorm])).content.decode()
    assert 'id="hot-ended"' in body and hot["dorm"][0].case_no in body


def test_an_issue_no_longer_hot_says_so_with_its_last_cases(client, hot, office, other_unit_clerk, executive):
    dorm = issue_of(hot["dorm"][0])
    with override_settings(HUIYIN_HOT_ISSUE_DAYS=9):  # the dorm cases (10-13 days old) age out
        run = hot_issues_refresh()
    assert not run.issues.filter(number=dorm.number).exists()
    kept = HotIssue.objects.get(number=dorm.number)
    assert kept.pk == dorm.pk and kept.run != run  # its last listing is kept, with its members
    url = reverse("triage:hot_detail", args=[dorm.number])
    client.force_login(other_unit_clerk)  # company B: the dorm cases are theirs
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="hot-ended"' in body
    assert all(c.case_no in body for c in hot["dorm"])
    view = hot_issue_get_for_user(user=other_unit_clerk, number=dorm.number)
    assert not view.current and view.rank == 0 and view.size == 4
    client.force_login(executive)
    assert client.get(url).status_code == 200
    client.force_login(office)  # company A may see none of them: as if it never existed
    assert client.get(url).status_code == 404
    # The wage issue is still hot and says nothing of the kind.
    client.force_login(office)
    assert 'id="hot-ended"' not in client.get(issue_of(hot["wages"][0]).get_absolute_url()).content.decode()


def test_an_ended_issue_is_kept_with_its_run_for_a_year(hot, monkeypatch):
    monkeypatch.setattr(services, "KEEP_RUNS", 1)
    first = hot_issue_run_latest()
    dorm = issue_of(hot["dorm"][0]).number
    with override_settings(HUIYIN_HOT_ISSUE_DAYS=9):
        hot_issues_refresh()
    # Beyond KEEP_RUNS, but it holds the dormitory issue's last listing.
    assert HotIssueRun.objects.filter(pk=first.pk).exists() and HotIssue.objects.filter(number=dorm).exists()
    hot_issues_refresh(now=timezone.now() + timedelta(days=services.HOT_ISSUE_ENDED_KEEP_DAYS + 1))
    assert not HotIssue.objects.exists() and HotIssueRun.objects.count() == 1
    assert HotIssueNumber.objects.count() == 2  # numbers are never deleted, so never given twice


def test_a_number_that_never_existed_is_404_and_audited(client, hot, office):
    client.force_login(office)
    missing = HotIssueNumber.objects.order_by("-number").first().number + 1
    assert client.get(reverse("triage:hot_detail", args=[missing])).status_code == 404
    assert client.post(reverse("triage:hot_dispute", args=[missing])).status_code == 404
    assert AuditRecord.objects.filter(
        action="access.denied", object_type="triage.hotissue", object_id=str(missing)
    ).exists()


def test_supervision_and_register_entry_still_lead_to_the_issue_after_the_next_run(
    client, office, leader, handler, org, hot, make_case
):
    first = hot["wages"][0]
    case_accept(case=first, actor=office)
    case_assign(case=first, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    number = issue_of(first).number
    client.force_login(office)
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    supervised = client.post(
        reverse("triage:hot_supervise", args=[number]),
        {"level": "listed", "instructions": "集中督办", "feedback_due": due},
    )
    assert Supervision.objects.filter(case=first).exists()
    client.post(reverse("triage:hot_dispute", args=[number]))
    entry = DisputeEntry.objects.get()
    make_case(subject="检修车间加班费拖欠", content=WAGES + "，第10次反映", target_unit=org["a_plant"])
    hot_issues_refresh()  # the next run: new rows, the same number
    response = client.get(supervised.url)
    assert response.status_code == 200 and first.case_no in response.content.decode()
    detail = client.get(entry.get_absolute_url()).content.decode()
    assert f'href="{reverse("triage:hot_detail", args=[number])}"' in detail
    assert client.get(reverse("triage:hot_detail", args=[entry.hot_issue_number])).status_code == 200


def test_numbers_respect_scope_after_the_next_run(client, hot, office, other_unit_clerk):
    hot_issues_refresh()
    wages = issue_of(hot["wages"][0])
    client.force_login(other_unit_clerk)  # one wage case of company B: no issue for them
    assert client.get(wages.get_absolute_url()).status_code == 404
    assert hot_issue_get_for_user(user=other_unit_clerk, number=wages.number) is None
    client.force_login(office)
    body = client.get(wages.get_absolute_url()).content.decode()
    assert hot["wages"][0].case_no in body and hot["wages"][5].case_no not in body
    view = hot_issue_get_for_user(user=office, number=wages.number)
    assert view.current and view.rank == 1 and view.size == 5 and view.terms == []


def test_a_run_older_than_the_stored_one_leaves_it_in_place(hot):
    latest = hot_issue_run_latest()
    assert hot_issues_refresh(now=latest.started_at - timedelta(minutes=1)) == latest
    assert HotIssueRun.objects.count() == 1 and HotIssueNumber.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers at BEGIN IMMEDIATE")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_number_each_issue_once(org, make_case, b_case):
    """Two workers run the job at the same moment: the second to write matches the first one's issues
    instead of numbering them again."""
    import threading

    from django.db import connections

    now = timezone.now()
    for i in range(5):
        make_case(
            subject="检修车间加班费拖欠", content=WAGES + f"，第{i + 1}次反映", received_at=now - timedelta(days=i)
        )
    for i in range(4):
        b_case(subject="宿舍热水器损坏", content=DORM, received_at=now - timedelta(days=10 + i))
    for i, text in enumerate(NOISE):
        make_case(subject=text, content=text, received_at=now - timedelta(days=i))
    barrier, errors = threading.Barrier(2), []

    def work():
        try:
            barrier.wait()
            hot_issues_refresh()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    latest = hot_issue_run_latest()
    numbers = list(latest.issues.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 2
    assert HotIssueNumber.objects.count() == 2


def test_the_trend_is_the_plain_ratio_of_the_two_windows(client, hot, executive):
    wages, dorm = hot_issues_for(user=executive, run=hot_issue_run_latest())
    assert (wages.recent, wages.previous, wages.trend) == (6, 0, None)  # nothing the week before: new
    assert (dorm.recent, dorm.previous, dorm.trend) == (0, 4, 0.0)
    client.force_login(executive)
    rows = client.get(reverse("triage:hot")).content.decode().split('<tr data-issue="')[1:]
    assert 'class="tag warn"' in rows[0].split('class="trend"')[1] and "×" not in rows[0].split('class="trend"')[1]
    # Found in a walk-through: "×0.0" for an issue with no case in the last window; it says so in words.
    assert "近期无新增" in rows[1] and "×" not in rows[1] and 'class="tag warn"' not in rows[1]
    detail = client.get(wages.issue.get_absolute_url()).content.decode()
    assert 'class="trend"' in detail and "×1.0" not in detail


def test_an_issue_is_headed_by_a_petitioners_subject(client, hot, office, executive):
    wages = hot_issues_for(user=executive, run=hot_issue_run_latest())[0]
    assert wages.headline == "检修车间加班费拖欠" and wages.terms
    # Without the key words (a case of the issue is out of scope) the newest visible subject heads it.
    mine = hot_issues_for(user=office, run=hot_issue_run_latest())[0]
    assert mine.terms == [] and mine.headline == mine.samples[0].subject
    client.force_login(office)
    body = client.get(reverse("triage:hot")).content.decode()
    assert f'">{mine.headline}</a>' in body and "hot-terms" not in body
    client.force_login(executive)
    detail = client.get(wages.issue.get_absolute_url()).content.decode()
    assert "<h1>检修车间加班费拖欠" in detail and 'class="muted hot-terms"' in detail


def test_a_company_entry_does_not_block_the_group_register_and_is_shown_there(client, office, org, hot):
    """Found in a walk-through: once a company office entered a hot issue (its two cases), the group office's
    page for the issue (five cases across companies) only said "already in the register", with no way to
    register it. Each office keeps its own register; the others' entries holding the cases are listed."""
    from huiyin.org.services import user_create

    group_office = user_create(username="g_office", password="pw-Huiyin-2026", unit=org["group"], roles=["office"])
    issue = issue_of(hot["wages"][0])
    client.force_login(office)
    assert client.post(reverse("triage:hot_dispute", args=[issue.number])).status_code == 302
    company_entry = DisputeEntry.objects.get()
    assert 'data-action="enter-register"' not in client.get(issue.get_absolute_url()).content.decode()

    client.force_login(group_office)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert 'data-action="enter-register"' in page and 'id="hot-register-entry"' not in page
    held = page.split('id="hot-held-in"', 1)[1].split("</div>", 1)[0]
    assert company_entry.title in held and "本问题 5 件" in held and "甲公司" in held
    assert client.post(reverse("triage:hot_dispute", args=[issue.number])).status_code == 302
    group_entry = DisputeEntry.objects.exclude(pk=company_entry.pk).get()
    assert group_entry.unit == org["group"] and group_entry.cases.count() == 6  # company B's case too
    page = client.get(issue.get_absolute_url()).content.decode()
    assert 'id="hot-register-entry"' in page and group_entry.title in page.split('id="hot-register-entry"')[1]
    assert company_entry.get_absolute_url() in page.split('id="hot-held-in"', 1)[1]
    # A second click in the group office makes no second group entry.
    client.post(reverse("triage:hot_dispute", args=[issue.number]))
    assert DisputeEntry.objects.count() == 2


def test_a_refused_group_supervision_keeps_what_was_typed(client, office, leader, handler, org, hot):
    """Found in a walk-through: a past feedback date gave only a banner, and the typed requirement was gone."""
    first = hot["wages"][0]
    case_accept(case=first, actor=office)
    case_assign(case=first, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    client.force_login(office)
    url = reverse("triage:hot_supervise", args=[issue_of(first).number])
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        url, {"level": "listed", "instructions": "请于月底前反馈加班费核算结果", "feedback_due": past}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "请于月底前反馈加班费核算结果" in page
    form = page.split('id="hot-supervise-form"', 1)[1].split("</form>", 1)[0]
    assert "反馈截止日期须晚于今天" in form and past in form
    assert not Supervision.objects.exists()
    response = client.post(url, {"level": "listed", "instructions": "", "feedback_due": past})
    assert (
        response.status_code == 400 and "此项为必填项" in response.content.decode().split('id="hot-supervise-form"')[1]
    )


def test_the_pages_say_how_issues_rank_when_the_next_run_is_and_which_cases_are_supervised(
    client, office, leader, handler, org, hot
):
    """Found in a walk-through: nothing said why one issue ranks above another, cases registered after the
    run were missing without a word, and after group supervision the table did not show which cases it took."""
    client.force_login(office)
    page = client.get(reverse("triage:hot")).content.decode()
    assert 'id="hot-ranking"' in page and "排名" in page
    assert 'id="hot-next"' in page  # the run just happened: the next one is ahead

    first, second = hot["wages"][:2]
    case_accept(case=first, actor=office)
    case_assign(case=first, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    supervision_open(
        case=first, actor=office, level="normal", instructions="督办", feedback_due=timezone.localdate() + timedelta(5)
    )
    detail = client.get(issue_of(first).get_absolute_url()).content.decode()
    row = lambda case: detail.split(f'data-case="{case.pk}"')[1].split("</tr>")[0]  # noqa: E731
    assert "data-supervised" in row(first) and "data-supervised" not in row(second)

    HotIssueRun.objects.update(started_at=timezone.now() - timedelta(hours=3))  # the scheduler is late
    assert 'id="hot-next"' not in client.get(reverse("triage:hot")).content.decode()
