"""An accusation registered in the general lane is transferred to discipline inspection (`case_to_discipline`).

Found in a walk-through: a letter accusing a company's wages-office head, registered as a claim, was accepted
with one click under the suggested category 违纪违法检举 and assigned to the accused's own company, whose
office, handler and leader could then read it. Accusations never reach the accused (Art. 30 ¶3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiyin.cases import services as s
from huiyin.cases.models import Case, CaseMember, Category, DraftStatus, EventKind, ReplyDraft
from huiyin.cases.states import CaseStage, CaseStatus, CaseType, Compartment
from huiyin.core.errors import DomainError
from huiyin.notify.models import NotifyChannel, OutboxMessage
from huiyin.notify.services import inbox_for
from huiyin.workflow.models import Deadline, DeadlineKind

ACCUSATION = "举报一厂劳资员虚报冒领职工奖金，打击报复反映问题的职工，请求纪委调查。"


def visible(user, case):
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def test_a_case_in_handling_moves_to_discipline_and_out_of_the_units_sight(
    in_handling_case, office, leader, handler, discipline
):
    case = in_handling_case
    ReplyDraft.objects.create(case=case, stage=CaseStage.FIRST, version=1, text="初稿", written_by=handler)
    assert visible(handler, case) and visible(leader, case)

    s.case_to_discipline(case=case, actor=office, reason="来信实为检举劳资员，属纪检监察机构职责")

    case.refresh_from_db()
    assert (case.type, case.compartment, case.status, case.stage) == (
        CaseType.ACCUSATION,
        Compartment.DISCIPLINE,
        CaseStatus.REGISTERED,
        CaseStage.FIRST,
    )
    assert case.handling_unit_id is None and case.responsible_leader_id is None and case.plan == ""
    assert not CaseMember.objects.filter(case=case).exists()
    # Nobody of the general lane keeps it: not the team, not the leader, not the office that moved it
    for user in (handler, leader, office):
        assert not visible(user, case), user.username
    assert visible(discipline, case)
    # The draft being written is returned, with the reason; nothing is deleted
    draft = ReplyDraft.objects.get(case=case)
    assert draft.status == DraftStatus.RETURNED and draft.text == "初稿"
    # The timeline says what happened and what the case was before
    event = case.events.get(kind=EventKind.TO_DISCIPLINE)
    assert event.text == "来信实为检举劳资员，属纪检监察机构职责"
    assert event.data["from_status"] == CaseStatus.IN_HANDLING and event.data["team"] == [handler.pk]


def test_the_general_clocks_stop_and_discipline_screens_on_its_own_clock(in_handling_case, office):
    case = in_handling_case
    assert Deadline.objects.filter(case=case, kind=DeadlineKind.HANDLE, cancelled_at__isnull=True).exists()

    s.case_to_discipline(case=case, actor=office, reason="检举控告")

    decide = Deadline.objects.get(case=case, kind=DeadlineKind.HANDLE, stage=CaseStage.FIRST)
    assert decide.cancelled_at is not None
    register = Deadline.objects.get(case=case, kind=DeadlineKind.REGISTER, stage=CaseStage.FIRST)
    assert register.cancelled_at is None and register.met_at is None
    assert register.profile == "discipline"


def test_discipline_is_told_and_the_units_inbox_forgets_the_case(in_handling_case, office, handler, discipline):
    case = in_handling_case
    assert case.pk in {item.case_id for item in inbox_for(handler)}  # told of the assignment

    s.case_to_discipline(case=case, actor=office, reason="检举控告")

    told = OutboxMessage.objects.filter(
        user=discipline, case=case, kind="case.to_discipline", channel=NotifyChannel.INBOX
    )
    assert told.count() == 1 and case.subject not in told.get().title
    assert case.pk not in {item.case_id for item in inbox_for(handler)}


@pytest.mark.parametrize("status", ["replied", "not_accepted"])
def test_only_an_open_first_handling_can_be_transferred(case, office, status):
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    before = case.events.count()
    with pytest.raises(DomainError):
        s.case_to_discipline(case=case, actor=office, reason="检举控告")
    case.refresh_from_db()
    assert case.compartment == Compartment.GENERAL and case.events.count() == before


def test_a_reason_is_required_and_nothing_changes_without_one(case, office):
    with pytest.raises(DomainError) as caught:
        s.case_to_discipline(case=case, actor=office, reason="   ")
    assert "reason" in caught.value.fields
    case.refresh_from_db()
    assert case.compartment == Compartment.GENERAL


def test_an_accusation_already_with_discipline_is_not_transferred_again(make_case, discipline):
    case = make_case(type="accusation", content=ACCUSATION)
    with pytest.raises(DomainError):
        s.case_to_discipline(case=case, actor=discipline, reason="再次转交")


def test_the_accusation_category_stays_usable_in_the_general_lane(case, office):
    """An appeal against a disciplinary sanction, or a suggestion on integrity, is filed under it and handled
    in the general lane (the demo has both): the category alone does not make a case an accusation."""
    lane = Category.objects.get(code=s.ACCUSATION_CATEGORY)
    s.case_accept(case=case, actor=office, category=lane)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and case.compartment == Compartment.GENERAL


# The case page -------------------------------------------------------------------------------------


def test_the_office_transfers_from_the_case_page_and_lands_on_its_list(client, make_case, office, discipline):
    case = make_case(subject="举报一厂劳资员虚报冒领奖金", content=ACCUSATION)
    client.force_login(office)
    page = client.get(case.get_absolute_url()).content.decode()
    url = reverse("cases:action", args=[case.pk, "to_discipline"])
    assert url in page  # offered on the case page
    assert "转纪检监察" in page
    # The suggestion panel warns and does not offer to accept it here with one click
    assert 'id="suggestion-accusation"' in page and 'data-action="accept-with-category"' not in page

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    case.refresh_from_db()
    assert case.compartment == Compartment.GENERAL

    done = client.post(url, {"reason": "来信检举劳资员，转纪检监察机构"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("cases:list")
    text = done.content.decode()
    assert f"信访事项 {case.case_no} 已不在您的查看范围内" in text
    assert client.get(case.get_absolute_url()).status_code == 404
    client.force_login(discipline)
    assert client.get(case.get_absolute_url()).status_code == 200


def test_the_handling_unit_is_not_offered_the_transfer(client, in_handling_case, handler):
    client.force_login(handler)
    page = client.get(in_handling_case.get_absolute_url()).content.decode()
    assert reverse("cases:action", args=[in_handling_case.pk, "to_discipline"]) not in page
    assert client.post(
        reverse("cases:action", args=[in_handling_case.pk, "to_discipline"]), {"reason": "x"}
    ).status_code in (403, 404)
    in_handling_case.refresh_from_db()
    assert in_handling_case.compartment == Compartment.GENERAL


def test_the_panel_warns_when_a_model_calls_an_accusation_something_else(client, make_case, office):
    """Found in a browser check: the demo's model, trained on the general lane (accusations are registered in
    their own compartment), suggested 工资薪酬 at 94 % for a letter accusing a wages-office head."""
    from huiyin.triage.models import Suggestion

    case = make_case(subject="举报一厂劳资员虚报冒领奖金", content=ACCUSATION)
    Suggestion.objects.filter(case=case, kind="category").update(
        source="model", category=Category.objects.get(code="wages"), value="wages"
    )
    client.force_login(office)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="suggestion-accusation"' in page and 'data-action="accept-with-category"' not in page
    warning = page.split('id="suggestion-accusation"')[1].split("</div>")[0]
    assert "举报" in warning and "纪委" in warning

    plain = make_case(subject="一厂拖欠8月加班费", content="8月加班费至今未发放，请予核实。")
    Suggestion.objects.filter(case=plain, kind="category").update(source="model")
    assert 'id="suggestion-accusation"' not in client.get(plain.get_absolute_url()).content.decode()


def test_the_transfer_form_says_what_the_transfer_does(client, make_case, office):
    """The action's help was defined but never shown (for this and other commands)."""
    case = make_case()
    client.force_login(office)
    page = client.get(reverse("cases:action", args=[case.pk, "to_discipline"])).content.decode()
    assert 'id="action-help"' in page and "此后您和他们都无法再打开该事项" in page
