"""督办: opening, written feedback, escalation when the date is missed, and the office's list."""

from datetime import date

import pytest
from django.urls import reverse

from huiyin.cases.models import EventKind
from huiyin.cases.services import case_reply
from huiyin.core.errors import DomainError
from huiyin.notify.models import OutboxMessage
from huiyin.workflow.models import Deadline, Supervision, SupervisionLevel
from huiyin.workflow.services import deadlines_sweep, supervision_feedback, supervision_open


def open_supervision(case, office, level="normal", due=date(2026, 12, 4)):
    return supervision_open(
        case=case, actor=office, level=level, instructions="请于期限内书面反馈核查进展", feedback_due=due
    )


def test_office_opens_supervision_from_the_case_page(client, office, leader, handler, in_handling_case):
    client.force_login(office)
    url = reverse("cases:action", args=[in_handling_case.pk, "supervise"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"level": "listed", "instructions": "挂牌督办，限期反馈", "feedback_due": "2026-12-04"})
    assert response.status_code == 302
    supervision = Supervision.objects.get(case=in_handling_case)
    assert (supervision.level, supervision.feedback_due, supervision.opened_by) == ("listed", date(2026, 12, 4), office)
    clock = supervision.deadline
    assert (clock.kind, clock.due, clock.party) == ("supervision", date(2026, 12, 4), "unit")
    for user in (leader, handler):
        assert OutboxMessage.objects.filter(user=user, kind="supervision.opened").count() == 1
    assert not OutboxMessage.objects.filter(user=office).exists()  # the actor is not told about their own step
    page = client.get(in_handling_case.get_absolute_url()).content.decode()
    assert 'id="supervision"' in page and "挂牌督办，限期反馈" in page and "10 " in page
    # Once open, the command is no longer offered and cannot be repeated.
    assert 'data-action="supervise"' not in page
    assert client.post(url, {"level": "normal", "instructions": "x", "feedback_due": "2026-12-05"}).status_code == 403


def test_supervision_rules(in_handling_case, make_case, office):
    with pytest.raises(DomainError):
        open_supervision(make_case(), office)  # not yet in handling
    with pytest.raises(DomainError):
        open_supervision(in_handling_case, office, due=date(2026, 11, 24))  # not after today
    open_supervision(in_handling_case, office)
    with pytest.raises(DomainError):
        open_supervision(in_handling_case, office)


@pytest.mark.parametrize(
    ("persona", "code"), [("handler", 403), ("leader", 403), ("clerk", 403), ("other_unit_clerk", 404)]
)
def test_only_the_office_in_scope_may_supervise(client, request, persona, code, in_handling_case):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("cases:action", args=[in_handling_case.pk, "supervise"])).status_code == code


def test_handling_unit_submits_feedback_and_the_clock_is_met(client, office, handler, in_handling_case):
    supervision = open_supervision(in_handling_case, office)
    client.force_login(handler)
    url = reverse("cases:action", args=[in_handling_case.pk, "supervision_feedback"])
    response = client.post(url, {"text": "已调取考勤记录，正在核算补发金额。"})
    assert response.status_code == 302
    supervision.refresh_from_db()
    assert supervision.feedback_by == handler and supervision.feedback_at is not None
    assert Deadline.objects.get(pk=supervision.deadline_id).met_at is not None
    assert OutboxMessage.objects.filter(user=office, kind="supervision.feedback").count() == 1
    assert in_handling_case.events.filter(kind=EventKind.NOTE, data__what="supervision_feedback").exists()
    with pytest.raises(DomainError):
        supervision_feedback(case=in_handling_case, actor=handler, text="again")


def test_missed_feedback_escalates_once(office, leader, handler, in_handling_case, traveller):
    supervision = open_supervision(in_handling_case, office)
    traveller.move_to("2026-11-29T09:00:00+08:00")
    assert deadlines_sweep().due_soon == 1  # the feedback clock is due soon
    traveller.move_to("2026-12-05T08:00:00+08:00")
    result = deadlines_sweep()
    assert (result.overdue, result.escalated) == (1, 1)
    supervision.refresh_from_db()
    assert supervision.escalated_at is not None
    assert (supervision.level, supervision.escalated_from) == (SupervisionLevel.LISTED, SupervisionLevel.NORMAL)
    note = in_handling_case.events.get(kind=EventKind.NOTE, data__what="supervision_escalated")
    assert note.actor is None and "2026年12月4日" in note.text
    for user in (leader, office, handler):
        assert OutboxMessage.objects.filter(user=user, kind="supervision.escalated").count() == 1
    assert deadlines_sweep().escalated == 0
    assert OutboxMessage.objects.filter(kind="supervision.escalated").count() == 3
    assert not OutboxMessage.objects.filter(kind="deadline.overdue").exists()  # reported once, as the escalation
    # Late feedback is still accepted and recorded.
    supervision_feedback(case=in_handling_case, actor=handler, text="迟报：已补发。")


def test_escalation_can_keep_the_level(settings, office, in_handling_case, traveller):
    settings.HUIYIN_SUPERVISION_ESCALATE_TO_LISTED = False
    supervision = open_supervision(in_handling_case, office)
    traveller.move_to("2026-12-05T08:00:00+08:00")
    deadlines_sweep()
    supervision.refresh_from_db()
    assert supervision.level == SupervisionLevel.NORMAL and supervision.escalated_at is not None


def test_a_replied_case_keeps_its_supervision_until_feedback(office, handler, in_handling_case):
    supervision = open_supervision(in_handling_case, office)
    case_reply(case=in_handling_case, actor=handler, text="答复")
    supervision.refresh_from_db()
    assert supervision.is_open


# The office's list ------------------------------------------------------------------------------


def test_supervision_list_needs_login(client, org):
    response = client.get(reverse("workflow:supervision"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("persona", "code"), [("no_perm_user", 403), ("handler", 403), ("office", 200)])
def test_supervision_list_access(client, request, persona, code, org):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("workflow:supervision")).status_code == code


def test_supervision_list_is_scoped_and_filtered(client, office, other_unit_clerk, in_handling_case, traveller):
    supervision = open_supervision(in_handling_case, office)
    row = f'data-supervision="{supervision.pk}"'
    client.force_login(other_unit_clerk)
    assert row not in client.get(reverse("workflow:supervision")).content.decode()
    client.force_login(office)
    url = reverse("workflow:supervision")
    assert row in client.get(url).content.decode()
    assert row not in client.get(url, {"level": "listed"}).content.decode()
    assert row not in client.get(url, {"state": "overdue"}).content.decode()
    traveller.move_to("2026-12-05T08:00:00+08:00")
    deadlines_sweep()
    client.force_login(office)  # the session has idled out meanwhile
    assert row in client.get(url, {"overdue": "1"}).content.decode()
    assert row in client.get(url, {"level": "listed", "state": "overdue"}).content.decode()
    assert row not in client.get(url, {"state": "answered"}).content.decode()
