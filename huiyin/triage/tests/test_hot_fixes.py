"""A hot issue is entered into the dispute register once; group supervision says when nothing is left to
supervise; the register's headcount stays within 1..100000 (form, service, database)."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from huiyin.cases.models import Case
from huiyin.cases.services import case_accept, case_assign
from huiyin.cases.states import CaseStatus
from huiyin.core.errors import DomainError
from huiyin.triage import services
from huiyin.triage.models import DisputeEntry
from huiyin.triage.selectors import hot_issue_cases
from huiyin.triage.tests.test_hot import hot, issue_of  # noqa: F401 - the fixture
from huiyin.workflow.models import Supervision

NOTHING_LEFT = "No case of this hot issue is left to put under supervision."
NOW_NONE = "No case of this hot issue can be put under supervision now."


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Entering a hot issue once ----------------------------------------------------------------------------------


def test_a_second_click_leads_to_the_entry_made_the_first_time(client, office, hot):  # noqa: F811
    issue = issue_of(hot["wages"][0])
    url = reverse("triage:hot_dispute", args=[issue.number])
    client.force_login(office)
    first = client.post(url)
    entry = DisputeEntry.objects.get()
    assert first.url == reverse("triage:dispute_edit", args=[entry.pk])

    again = client.post(url)
    assert again.status_code == 302 and again.url == entry.get_absolute_url()
    assert DisputeEntry.objects.count() == 1
    assert any(entry.title in m for m in _messages(again))

    page = html.unescape(client.get(issue.get_absolute_url()).content.decode())
    assert gettext("Already in the dispute register:") in page
    assert f'href="{entry.get_absolute_url()}"' in page and 'data-action="enter-register"' not in page


def test_the_service_refuses_a_second_entry(office, hot):  # noqa: F811
    issue = issue_of(hot["wages"][0])
    cases = list(hot_issue_cases(issue=issue, user=office))
    entry = services.dispute_entry_from_hot_issue(issue=issue, cases=cases, actor=office)
    with pytest.raises(services.DisputeEntryExists) as exc:
        services.dispute_entry_from_hot_issue(issue=issue, cases=cases, actor=office)
    assert exc.value.entry == entry and isinstance(exc.value, DomainError)
    assert DisputeEntry.objects.count() == 1


# Group supervision with nothing left ------------------------------------------------------------------------


def test_nothing_left_to_supervise_is_said_and_the_action_is_gone(client, office, leader, handler, org, hot):  # noqa: F811
    first, second = hot["wages"][:2]
    for case in (first, second):
        case_accept(case=case, actor=office)
        case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    issue = issue_of(first)
    client.force_login(office)
    page = html.unescape(client.get(issue.get_absolute_url()).content.decode())
    assert 'data-action="supervise-group"' in page and gettext(NOTHING_LEFT) not in page

    url = reverse("triage:hot_supervise", args=[issue.number])
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = {"level": "listed", "instructions": "集中督办", "feedback_due": due}
    client.post(url, data)
    assert Supervision.objects.filter(case__in=[first, second]).count() == 2

    page = html.unescape(client.get(issue.get_absolute_url()).content.decode())
    assert 'data-action="supervise-group"' not in page
    # The three other cases the office sees are registered, not yet in handling: the page says so, and why, rather
    # than that nothing is left to supervise (what a walk-through read while four cases were never supervised).
    assert gettext(NOTHING_LEFT) not in page
    note = page.split('id="hot-not-yet-in-handling">')[1].split("</p>")[0]
    assert gettext(NOW_NONE) in note and "3" in note

    again = client.post(url, data)
    assert again.status_code == 302 and again.url == issue.get_absolute_url()
    assert gettext(NOTHING_LEFT) in _messages(again)
    assert Supervision.objects.count() == 2

    # Once the others are done with, nothing is left indeed.
    Case.objects.filter(pk__in=[c.pk for c in hot["wages"][2:]]).update(status=CaseStatus.CLOSED)
    page = html.unescape(client.get(issue.get_absolute_url()).content.decode())
    assert gettext(NOTHING_LEFT) in page and 'id="hot-not-yet-in-handling"' not in page


def test_the_page_names_the_cases_not_yet_in_handling_beside_the_action(client, office, leader, handler, org, hot):  # noqa: F811
    first = hot["wages"][0]
    case_accept(case=first, actor=office)
    case_assign(case=first, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    case_accept(case=hot["wages"][1], actor=office)  # accepted, not yet assigned
    client.force_login(office)
    page = html.unescape(client.get(issue_of(first).get_absolute_url()).content.decode())
    assert 'data-action="supervise-group"' in page
    note = page.split('id="hot-not-yet-in-handling">')[1].split("</p>")[0]
    assert gettext(NOW_NONE) not in note and "4" in note  # 1 accepted + 3 registered


def test_the_service_refuses_when_every_case_is_skipped(office, case):
    with pytest.raises(DomainError) as exc:
        services.hot_issue_supervise(
            cases=[case], actor=office, level="normal", instructions="x", feedback_due=timezone.localdate()
        )
    assert exc.value.message == gettext(NOTHING_LEFT)


# The register's headcount -------------------------------------------------------------------------------------


@pytest.mark.parametrize("headcount", ["0", "-3", "100001", "99999999999"])
def test_the_form_refuses_a_headcount_out_of_range(client, office, headcount):
    client.force_login(office)
    response = client.post(
        reverse("triage:dispute_new"),
        {"title": "食堂涨价", "level": "general", "status": "open", "headcount": headcount},
    )
    assert response.status_code == 400
    assert "headcount" in response.context["form"].errors
    assert DisputeEntry.objects.count() == 0


@pytest.mark.parametrize("headcount", ["1", "100000"])
def test_the_form_accepts_the_bounds(client, office, headcount):
    client.force_login(office)
    response = client.post(
        reverse("triage:dispute_new"),
        {"title": "食堂涨价", "level": "general", "status": "open", "headcount": headcount},
    )
    assert response.status_code == 302
    assert DisputeEntry.objects.get().headcount == int(headcount)


@pytest.mark.parametrize("headcount", [0, 100_001, None])
def test_the_service_refuses_a_headcount_out_of_range(office, org, headcount):
    with pytest.raises(DomainError) as exc:
        services.dispute_entry_create(actor=office, unit=org["a"], title="食堂涨价", headcount=headcount)
    assert "headcount" in exc.value.fields
    assert DisputeEntry.objects.count() == 0


def test_the_database_refuses_a_headcount_out_of_range(office, org):
    entry = services.dispute_entry_create(actor=office, unit=org["a"], title="食堂涨价")
    assert entry.headcount == 1
    for bad in (0, 100_001):
        with pytest.raises(IntegrityError), transaction.atomic():
            DisputeEntry.objects.filter(pk=entry.pk).update(headcount=bad)


# The entry made from a hot issue --------------------------------------------------------------------------


def test_the_entry_counts_its_cases_in_all_and_leaves_out_meaningless_key_words(client, office, hot):  # noqa: F811
    issue = issue_of(hot["wages"][0])
    issue.top_terms = [
        "加班费",
        "也就是说",
        "以来",
        "大伙",
        "元涨",
        "拖欠",
    ]  # as an issue listed before the key words were chosen may hold
    issue.save(update_fields=["top_terms"])
    client.force_login(office)
    page = html.unescape(client.get(issue.get_absolute_url()).content.decode())
    help_text = page.split('id="hot-register-help">')[1].split("</small>")[0]
    assert "5" in help_text  # says what the button does before it is clicked
    client.post(reverse("triage:hot_dispute", args=[issue.number]))
    entry = DisputeEntry.objects.get()
    assert entry.title.endswith(gettext("{title} and similar cases, {n} in all").format(title="", n=5))
    assert "加班费 拖欠" in entry.description
    for word in ("也就是说", "以来", "大伙", "元涨"):
        assert word not in entry.description


def test_without_a_meaningful_key_word_the_entry_has_no_key_words_line(office, hot):  # noqa: F811
    issue = issue_of(hot["wages"][0])
    issue.top_terms = ["也就是说", "以来"]
    issue.save(update_fields=["top_terms"])
    cases = list(hot_issue_cases(issue=issue, user=office))
    entry = services.dispute_entry_from_hot_issue(issue=issue, cases=cases, actor=office)
    assert "也就是说" not in entry.description and "以来" not in entry.description
    assert gettext("Key words:") not in entry.description


# The list: the chart and the table ------------------------------------------------------------------------


def test_the_list_says_when_the_chart_shows_fewer_issues_than_the_table(client, executive, hot, monkeypatch):  # noqa: F811
    from huiyin.triage import views

    client.force_login(executive)
    body = client.get(reverse("triage:hot")).content.decode()
    assert body.count("<tr data-issue=") == 2 and 'id="hot-chart-note"' not in body  # all charted: no note
    monkeypatch.setattr(views, "HOT_CHART_ISSUES", 1)
    response = client.get(reverse("triage:hot"))
    assert len(response.context["chart"]["sizes"]) == 1
    body = response.content.decode()
    assert body.count("<tr data-issue=") == 2
    note = body.split('id="hot-chart-note">')[1].split("</p>")[0]
    assert "1" in note and "2" in note
