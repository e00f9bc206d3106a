"""Found in a walk-through: the responsible leader could only read their own register entry (its edit page was
the office's, 403 for them), and 已采取措施 was one text overwritten with no dated history. The leader records
what was done and the status and checks it leads to; every change to the entry is kept as a dated step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiyin.triage.models import DisputeEntry, DisputeProgress
from huiyin.triage.services import dispute_entry_create, dispute_entry_progress, dispute_entry_update
from huiyin.triage.states import DisputeStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(office, leader):
    return dispute_entry_create(
        actor=office, unit=office.unit, title="维修班劳务派遣人员同工同酬", headcount=40, responsible_leader=leader
    )


def _post(client, entry, **data):
    base = {"note": "", "status": entry.status}
    return client.post(reverse("triage:dispute_progress", args=[entry.pk]), {**base, **data})


def test_the_responsible_leader_records_progress_and_ticks_checks(client, entry, leader):
    client.force_login(leader)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert 'id="progress-form"' in page

    response = _post(
        client, entry, note="召开专题会，明确人力资源部牵头测算差额。", status="resolving", responsibility_assigned="on"
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == DisputeStatus.RESOLVING and entry.responsibility_assigned and entry.updated_by == leader
    (step,) = DisputeProgress.objects.filter(entry=entry)
    assert step.by == leader and step.note.startswith("召开专题会")
    assert ["status", "open", "resolving"] in step.changes and ["responsibility_assigned", False, True] in step.changes
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "召开专题会" in page and "状态：未化解 → 化解中" in page


def test_resolving_needs_the_three_checks_and_changes_nothing(client, entry, leader):
    client.force_login(leader)
    response = _post(client, entry, note="已补发。", status="resolved", responsibility_assigned="on")
    assert response.status_code == 400
    assert "请先勾选此项" in response.content.decode() or "三项" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == DisputeStatus.OPEN and not entry.responsibility_assigned
    assert not DisputeProgress.objects.filter(entry=entry).exists()


def test_an_empty_step_is_refused(client, entry, leader):
    client.force_login(leader)
    response = _post(client, entry)
    assert response.status_code == 400
    assert response.content.decode().count("请填写已做的工作，或更改状态、勾选核查项。") == 1  # on the field, once
    assert not DisputeProgress.objects.exists()


def test_other_leaders_may_read_but_not_record(client, entry, group_leader):
    client.force_login(group_leader)
    page = client.get(entry.get_absolute_url())
    if page.status_code == 200:
        assert 'id="progress-form"' not in page.content.decode()
    assert _post(client, entry, note="x").status_code in (403, 404)
    assert not DisputeProgress.objects.exists()
    with pytest.raises(Exception):  # noqa: B017, PT011 - PermissionDenied from the service itself
        dispute_entry_progress(
            entry=entry,
            actor=group_leader,
            note="x",
            status="open",
            responsibility_assigned=False,
            problem_solved=False,
            hazard_removed=False,
        )


def test_the_offices_edits_are_kept_as_steps(entry, office, group_leader):
    dispute_entry_update(entry=entry, actor=office, level="major", responsible_leader=group_leader)
    dispute_entry_update(entry=entry, actor=office, plan="方案")  # no tracked field changed: no step
    (step,) = DisputeProgress.objects.filter(entry=entry)
    assert step.by == office and step.note == ""
    assert ["level", "general", "major"] in step.changes
    assert [name for name, *_ in step.changes] == ["level", "responsible_leader_id"]
    assert DisputeEntry.objects.get(pk=entry.pk).responsible_leader == group_leader


def test_the_leaders_home_lists_the_entries_they_own(client, entry, leader, office):
    other = dispute_entry_create(actor=office, unit=office.unit, title="食堂承包合同到期", level="critical")
    done = dispute_entry_create(
        actor=office,
        unit=office.unit,
        title="已化解的老问题",
        responsible_leader=leader,
        status="resolved",
        responsibility_assigned=True,
        problem_solved=True,
        hazard_removed=True,
    )
    client.force_login(leader)
    page = client.get("/").content.decode()
    assert 'id="my-disputes"' in page and entry.title in page and "已完成0项（共3项）" in page
    assert other.title not in page and done.title not in page  # not theirs; resolved
    client.force_login(office)
    assert 'id="my-disputes"' not in client.get("/").content.decode()


def test_an_entry_from_a_hot_issue_is_named_by_the_subject_that_holds_its_key_words():
    """Found in a walk-through: hot issue 尘肺未安排诊断 became an entry titled after its newest case, about noise."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from huiyin.cases.models import Case
    from huiyin.triage.services import representative_subjects

    t = timezone.make_aware(datetime(2026, 3, 1))
    subjects = ["汽修班职工疑似尘肺未安排诊断", "电焊工尘肺诊断问题", "车间噪声超标", "请求安排职业病诊断"]
    cases = [Case(subject=subject, received_at=t + timedelta(days=i)) for i, subject in enumerate(subjects)]
    cases.reverse()  # newest first, as the hot issue lists them

    assert representative_subjects(cases, ["尘肺", "诊断", "电焊工"], limit=2) == [
        "电焊工尘肺诊断问题",
        "汽修班职工疑似尘肺未安排诊断",
    ]
    # No key word in any subject: the most frequent, then the earliest.
    assert representative_subjects([*cases, cases[0]], ["无关"], limit=1) == ["请求安排职业病诊断"]
    assert representative_subjects(cases, ["无关"], limit=1) == ["汽修班职工疑似尘肺未安排诊断"]
