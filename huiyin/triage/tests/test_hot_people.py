"""Hot issues count people, not petitions: a repeat petition (the same person raising the same matter again,
linked as a repeat) does not count its petitioner a second time - on the job's ranking, on each user's view
and in the dispute-register entry made from a hot issue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from huiyin.cases.models import CaseLink, LinkKind
from huiyin.cases.selectors import repeat_matters
from huiyin.cases.services import case_link_add
from huiyin.nlp.cluster import cluster
from huiyin.triage.models import DisputeEntry, HotIssueCase
from huiyin.triage.selectors import hot_issue_run_latest, hot_issues_for
from huiyin.triage.services import hot_issues_refresh, people_concerned

WAGES = "一厂检修车间8月加班费拖欠未发放，请求尽快补发"


@pytest.fixture
def wages(org, make_case, clerk):
    """Four petitions about one matter: a collective one of 30 people, its repeat (the same 30 again), a
    single petitioner and that petitioner's repeat. Six people in all, not 62."""
    now = timezone.now()
    ago = lambda days: now - timedelta(days=days, minutes=5)  # noqa: E731
    made = [
        make_case(
            subject="检修车间加班费拖欠",
            content=WAGES + f"，第{i + 1}次反映",
            received_at=ago(6 - i),
            target_unit=org["a_plant"],
            **({"collective": True, "headcount": 30} if i < 2 else {}),
        )
        for i in range(6)
    ]
    case_link_add(case=made[1], other=made[0], kind=LinkKind.REPEAT, actor=clerk)
    case_link_add(case=made[3], other=made[2], kind=LinkKind.REPEAT, actor=clerk)
    # A link of another kind joins no matters.
    case_link_add(case=made[4], other=made[2], kind=LinkKind.SAME_ISSUE, actor=clerk)
    return made


def test_repeat_links_make_one_matter_also_through_a_case_outside_the_set(wages, make_case, clerk):
    a, b, c, d, e, f = wages
    m = repeat_matters([x.pk for x in wages])
    assert m[a.pk] == m[b.pk] == a.pk and m[c.pk] == m[d.pk] == c.pk
    assert len({m[e.pk], m[f.pk], m[a.pk], m[c.pk]}) == 4
    # e and f are both repeats of an earlier case that is not in the set: still one matter.
    earlier = make_case(subject="检修车间加班费", content=WAGES)
    case_link_add(case=e, other=earlier, kind=LinkKind.REPEAT, actor=clerk)
    case_link_add(case=earlier, other=f, kind=LinkKind.REPEAT, actor=clerk)
    m = repeat_matters([e.pk, f.pk])
    assert m[e.pk] == m[f.pk]


def test_people_concerned_counts_a_matter_once_with_its_largest_headcount(wages):
    assert people_concerned(wages) == 30 + 1 + 1 + 1
    assert people_concerned(wages[1:]) == 30 + 3  # the repeat alone still stands for its 30 people


def test_the_job_and_every_view_count_people_once(wages, office, executive):
    hot_issues_refresh()
    issue = HotIssueCase.objects.get(case=wages[0]).issue
    assert issue.size == 6 and issue.headcount == 33
    run = hot_issue_run_latest()
    for user in (office, executive):
        [view] = hot_issues_for(user=user, run=run)
        assert view.size == 6 and view.headcount == 33
    # Narrowed to the period of the two repeats (with the single petition between them): the collective
    # repeat still stands for its 30 people, and the single petitioner counts once.
    start = min(c.received_at for c in (wages[1], wages[3]))
    end = max(c.received_at for c in (wages[1], wages[3])) + timedelta(seconds=1)
    [view] = hot_issues_for(user=executive, run=run, received=(start, end))
    assert view.size == 3 and view.headcount == 31


def test_the_dispute_entry_made_from_a_hot_issue_counts_people_once(client, wages, office):
    hot_issues_refresh()
    issue = HotIssueCase.objects.get(case=wages[0]).issue
    client.force_login(office)
    client.post(reverse("triage:hot_dispute", args=[issue.number]))
    assert DisputeEntry.objects.get().headcount == 33


def test_the_clustering_counts_a_matter_once():
    items = [
        {"id": i, "title": "检修车间加班费拖欠", "text": WAGES, "headcount": 30, "matter": "m1"} for i in range(3)
    ] + [{"id": 9, "title": "检修车间加班费拖欠", "text": WAGES, "headcount": 1}]
    [c] = cluster(items, threshold=0.3)
    assert c.size == 4 and c.headcount == 31
    before = cluster([{**x, "matter": None} for x in items], threshold=0.3)[0]
    assert before.headcount == 91 and before.score > c.score


def test_no_repeat_links_no_change(org, make_case):
    cases = [make_case(subject="检修车间加班费拖欠", content=WAGES, collective=True, headcount=4) for _ in range(3)]
    assert not CaseLink.objects.exists()
    assert people_concerned(cases) == 12


def test_the_issue_page_says_why_its_people_are_fewer_than_the_cases_count(client, wages, office):
    hot_issues_refresh()
    issue = HotIssueCase.objects.get(case=wages[0]).issue
    client.force_login(office)
    body = client.get(issue.get_absolute_url()).content.decode()
    note = body.split('id="hot-people-note"')[1].split("</p>")[0]
    assert "33" in note and "64" in note  # 33 people; 30 + 30 + 1 + 1 + 1 + 1 person-times
