"""A dispute-register entry made from a hot issue hears of the cases that join the issue afterwards: the
entry's page lists the issue's cases it does not hold (those the reader may see), the office adds them
with one submission (recorded in the entry's history), and the job tells the entry's leader and maker
once, by count, never naming the cases in the message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from huiyin.notify.models import NotifyChannel, OutboxMessage
from huiyin.triage.models import DisputeEntry, DisputeProgress, HotIssueCase
from huiyin.triage.services import dispute_entry_update, hot_issues_refresh

WAGES = "一厂检修车间8月加班费拖欠未发放，请求尽快补发"
NOISE = ["食堂饭菜价格上涨分量减少", "班车时间调整后上班迟到", "安全帽劳保用品不足", "年休假申请被拒绝"]


def joined_messages():
    return OutboxMessage.objects.filter(kind="dispute.hot_cases_joined", channel=NotifyChannel.INBOX)


@pytest.fixture
def entry(client, org, make_case, office, leader):
    now = timezone.now()

    def wage(i, days):
        return make_case(
            subject="检修车间加班费拖欠",
            content=WAGES + f"，第{i}次反映",
            received_at=now - timedelta(days=days, minutes=5),
            target_unit=org["a_plant"],
        )

    first = [wage(i, 5 - i) for i in range(4)]
    for text in NOISE:
        make_case(subject=text, content=text, received_at=now - timedelta(days=3))
    hot_issues_refresh()
    number = HotIssueCase.objects.get(case=first[0]).issue.number
    client.force_login(office)
    client.post(reverse("triage:hot_dispute", args=[number]))
    made = DisputeEntry.objects.get()
    dispute_entry_update(entry=made, actor=office, responsible_leader=leader)
    made.refresh_from_db()
    return {"entry": made, "first": first, "wage": wage, "number": number}


def test_cases_joining_later_are_listed_on_the_entry_and_told_once(client, entry, office, leader, b_case):
    made = entry["entry"]
    assert set(made.cases.all()) == set(entry["first"])
    assert "entry-hot-cases" not in client.get(made.get_absolute_url()).content.decode()
    later = [entry["wage"](10 + i, 0) for i in range(2)]
    b_case(
        subject="检修车间加班费拖欠", content=WAGES + "，乙公司也有", received_at=timezone.now() - timedelta(hours=2)
    )
    hot_issues_refresh()
    assert HotIssueCase.objects.get(case=later[0]).issue.number == entry["number"]
    body = client.get(made.get_absolute_url()).content.decode()
    section = body.split('id="entry-hot-cases"')[1].split("</section>")[0]
    assert all(c.case_no in section for c in later) and "乙公司也有" not in section  # only what office sees
    # Told once, by count of what each may see, without naming the cases.
    told = {m.user_id: m for m in joined_messages()}
    assert set(told) == {office.pk, leader.pk}
    assert "2" in told[office.pk].title.replace(str(entry["number"]), "")
    assert all(c.case_no not in m.title + m.body for m in told.values() for c in later)
    assert told[office.pk].url == made.get_absolute_url()
    hot_issues_refresh()
    assert joined_messages().count() == 2  # the next run has nothing new to tell


def test_the_office_adds_them_and_the_history_says_which(client, entry, office):
    made = entry["entry"]
    later = [entry["wage"](10 + i, 0) for i in range(2)]
    hot_issues_refresh()
    url = reverse("triage:dispute_add_hot_cases", args=[made.pk])
    response = client.post(url, {"cases": [str(c.pk) for c in later]})
    assert response.status_code == 302 and response.url == made.get_absolute_url()
    assert set(made.cases.all()) == set(entry["first"]) | set(later)
    note = DisputeProgress.objects.filter(entry=made).latest("created_at").note
    assert all(c.case_no in note for c in later) and str(entry["number"]) in note
    assert "entry-hot-cases" not in client.get(made.get_absolute_url()).content.decode()


@pytest.mark.parametrize("bad", [[], ["abc"], ["-1"], ["99999999999999999999"], ["noise"]])
def test_bad_choices_are_refused_and_change_nothing(client, entry, make_case, bad):
    made = entry["entry"]
    later = entry["wage"](10, 0)
    hot_issues_refresh()
    noise = make_case(subject="厂区道路积水严重", content="厂区道路积水严重")
    values = [str(noise.pk) if v == "noise" else v for v in bad]
    steps = DisputeProgress.objects.filter(entry=made).count()
    response = client.post(reverse("triage:dispute_add_hot_cases", args=[made.pk]), {"cases": values})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="hot-cases-error"' in body and later.case_no in body
    assert set(made.cases.all()) == set(entry["first"])
    assert DisputeProgress.objects.filter(entry=made).count() == steps


def test_a_case_of_another_company_cannot_be_added_by_who_may_not_see_it(client, entry, b_case):
    made = entry["entry"]
    theirs = b_case(subject="检修车间加班费拖欠", content=WAGES + "，乙公司也有", received_at=timezone.now())
    hot_issues_refresh()
    assert HotIssueCase.objects.filter(case=theirs).exists()
    response = client.post(reverse("triage:dispute_add_hot_cases", args=[made.pk]), {"cases": [str(theirs.pk)]})
    assert response.status_code == 400 and not made.cases.filter(pk=theirs.pk).exists()


def test_only_the_office_may_add(client, entry, leader, handler):
    made = entry["entry"]
    later = entry["wage"](10, 0)
    hot_issues_refresh()
    url = reverse("triage:dispute_add_hot_cases", args=[made.pk])
    for user in (leader, handler):
        client.force_login(user)
        assert client.post(url, {"cases": [str(later.pk)]}).status_code in (403, 404)
    assert not made.cases.filter(pk=later.pk).exists()
    client.force_login(leader)  # the responsible leader sees the list, without the form
    body = client.get(made.get_absolute_url()).content.decode()
    assert later.case_no in body and 'id="hot-cases-form"' not in body


def test_the_headcount_grows_to_the_people_concerned_and_never_shrinks(client, entry, org, make_case):
    made = entry["entry"]
    big = make_case(
        subject="检修车间加班费拖欠",
        content=WAGES + "，车间三十人联名",
        received_at=timezone.now(),
        target_unit=org["a_plant"],
        collective=True,
        headcount=30,
    )
    hot_issues_refresh()
    client.post(reverse("triage:dispute_add_hot_cases", args=[made.pk]), {"cases": [str(big.pk)]})
    made.refresh_from_db()
    assert made.headcount == 34
