"""After closing, the portal asks at 30 and 90 days about retaliation (Art. 18 ¶4); a yes opens a
follow-up only the petition office and discipline inspection see."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.core.scheduling import JOBS
from huiyin.portal.models import FollowUpStatus, RetaliationCheckin, RetaliationFollowUp
from huiyin.portal.services import retaliation_checkins_open


@pytest.fixture
def closed(api, submitted, reply_case):
    """A matter submitted, answered and rated: closed now."""
    case, receipt = submitted
    reply_case(case)
    assert api.post("case/rating", {"rating": "satisfied", "comment": ""}, receipt).status_code == 201
    case.refresh_from_db()
    return case, receipt


def test_the_job_is_registered():
    assert JOBS["portal.retaliation_checkins"].func is retaliation_checkins_open


def test_checkins_open_at_30_and_90_days_once(closed):
    case, _receipt = closed
    start = case.closed_at
    with time_machine.travel(start + timedelta(days=29)):
        assert retaliation_checkins_open() == 0
    with time_machine.travel(start + timedelta(days=30, hours=1)):
        assert retaliation_checkins_open() == 1
        assert retaliation_checkins_open() == 0  # safe to run twice
    with time_machine.travel(start + timedelta(days=90, hours=1)):
        assert retaliation_checkins_open() == 1
    assert sorted(RetaliationCheckin.objects.values_list("day", flat=True)) == [30, 90]


def test_open_cases_and_unreachable_petitioners_are_not_asked(submitted, make_case):
    _case, _receipt = submitted  # open
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        assert retaliation_checkins_open() == 0


def test_a_no_answer_closes_the_question(api, closed):
    case, receipt = closed
    with time_machine.travel(case.closed_at + timedelta(days=31)):
        retaliation_checkins_open()
        assert api.case(receipt).json()["retaliation_checkin"] == {"day": 30}
        assert api.post("case/retaliation", {"answer": "no"}, receipt).status_code == 201
        assert api.case(receipt).json()["retaliation_checkin"] is None
    assert not RetaliationFollowUp.objects.exists()


def test_a_yes_opens_a_protected_follow_up(client, api, closed, office, handler, clerk, leader):
    case, receipt = closed
    with time_machine.travel(case.closed_at + timedelta(days=31)):
        retaliation_checkins_open()
        response = api.post(
            "case/retaliation", {"answer": "yes", "comment": "反映问题后被调到偏远岗位，奖金被扣。"}, receipt
        )
    assert response.status_code == 201
    followup = RetaliationFollowUp.objects.get()
    assert followup.status == FollowUpStatus.OPEN and "偏远岗位" in followup.account
    assert AuditRecord.objects.filter(action=AuditAction.RETALIATION_REPORTED).exists()
    assert not AuditRecord.objects.filter(detail__icontains="偏远岗位").exists()

    client.force_login(office)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "偏远岗位" in page and 'data-action="close_retaliation"' in page
    assert "偏远岗位" in client.get(reverse("portal:retaliation")).content.decode()
    for staff in (handler, clerk, leader):
        client.force_login(staff)
        response = client.get(case.get_absolute_url())
        assert response.status_code in (200, 404)
        assert "偏远岗位" not in response.content.decode()

    client.force_login(office)
    closed_response = client.post(
        reverse("cases:action", args=[case.pk, "close_retaliation"]), {"outcome": "已约谈车间主任，恢复原岗位。"}
    )
    assert closed_response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.CLOSED and followup.closed_by == office


def test_a_check_in_on_the_page(client, closed):
    case, receipt = closed
    with time_machine.travel(case.closed_at + timedelta(days=31)):
        retaliation_checkins_open()
        client.post(reverse("portal:track"), {"receipt": receipt})
        page = client.get(reverse("portal:case")).content.decode()
        assert 'name="answer"' in page
        response = client.post(reverse("portal:case_action", args=["checkin"]), {"answer": "yes", "comment": "被威胁"})
    assert response.status_code == 302
    assert RetaliationFollowUp.objects.get().account == "被威胁"


def test_an_accusation_follow_up_is_for_discipline_inspection(client, api, reply_case, discipline, office):
    from huiyin.cases.models import Case
    from huiyin.cases.services import case_accept, case_assign, case_reply

    data = api.submit(
        {"type": "accusation", "subject": "检举", "content": "某科长吃拿卡要", "anonymous": True}, key="acc-key-0001"
    ).json()
    case = Case.objects.get(case_no=data["case_no"])
    case_accept(case=case, actor=discipline)
    case_assign(case=case, actor=discipline, handling_unit=case.unit, leader=discipline, team=[], plan="核查")
    case_reply(case=case, actor=discipline, text="已核查处理。")
    api.post("case/rating", {"rating": "satisfied"}, data["receipt"])
    case.refresh_from_db()
    with time_machine.travel(case.closed_at + timedelta(days=31)):
        retaliation_checkins_open()
        api.post("case/retaliation", {"answer": "yes", "comment": "被报复"}, data["receipt"])

    client.force_login(discipline)
    assert "被报复" in client.get(case.get_absolute_url()).content.decode()
    client.force_login(office)
    assert client.get(case.get_absolute_url()).status_code == 404  # the discipline compartment
    assert "被报复" not in client.get(reverse("portal:retaliation")).content.decode()
