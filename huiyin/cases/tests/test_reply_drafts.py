"""The written reply is drafted by the handling unit and signed off by the responsible leader (领导审签):
services, the case page's actions, the home worklist, notifications, the API and the roles."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from huiyin.cases import services as s
from huiyin.cases.actions import actions_for
from huiyin.cases.models import CaseRecusal, CaseReply, DraftStatus, EventKind, ReplyDraft
from huiyin.cases.states import CaseStage, CaseStatus
from huiyin.core.errors import DomainError
from huiyin.notify.models import OutboxMessage
from huiyin.org.services import user_create

GOOD = (
    "经核实，一厂检修车间2026年8月加班费因考勤数据迟报未按时发放。根据公司《薪酬管理办法》第十二条，"
    "加班费已于11月20日补发至您的工资账户，请予核实。"
)
POOR = "已知悉，我们会研究处理。联系人：XXX"


def kinds(case):
    return list(case.events.values_list("kind", flat=True))


def action_names(case, user):
    case.refresh_from_db()
    return {a.name for a, _label in actions_for(case=case, user=user)}


def inbox(user, kind):
    return OutboxMessage.objects.filter(user=user, channel="inbox", kind=kind)


@pytest.fixture
def other_leader(org):
    """A leader of the same company who is not the case's responsible leader: sees the case, may not sign."""
    return user_create(
        username="leader2", password="pw-Huiyin-2026", unit=org["a"], roles=["leader"], full_name="孙副总"
    )


@pytest.fixture
def far_leader(org):
    """A leader of another company: does not see the case at all."""
    return user_create(
        username="leader_b", password="pw-Huiyin-2026", unit=org["b"], roles=["leader"], full_name="乙领导"
    )


@pytest.fixture
def submitted(in_handling_case, handler):
    return s.reply_draft_save(case=in_handling_case, actor=handler, text=GOOD, submit=True)


# Services ----------------------------------------------------------------------------------------------


def test_saving_keeps_one_open_version_until_it_is_submitted(in_handling_case, handler):
    first = s.reply_draft_save(case=in_handling_case, actor=handler, text="初稿")
    again = s.reply_draft_save(case=in_handling_case, actor=handler, text="初稿（修改）")
    assert again.pk == first.pk and again.version == 1 and again.status == DraftStatus.DRAFT
    assert ReplyDraft.objects.get().text == "初稿（修改）"
    # Saving is working on paper: nothing on the timeline, nobody told, the case unchanged.
    assert EventKind.DRAFT_SUBMITTED not in kinds(in_handling_case)
    assert not OutboxMessage.objects.filter(kind__startswith="draft.").exists()
    in_handling_case.refresh_from_db()
    assert in_handling_case.status == CaseStatus.IN_HANDLING


def test_submitting_records_the_event_and_what_the_check_found(in_handling_case, handler, leader):
    draft = s.reply_draft_save(case=in_handling_case, actor=handler, text=POOR, submit=True)
    assert draft.status == DraftStatus.SUBMITTED and draft.submitted_at is not None
    assert draft.check_missing and any("XXX" in item for item in draft.check_missing)
    event = in_handling_case.events.get(kind=EventKind.DRAFT_SUBMITTED)
    assert event.actor == handler and event.data["version"] == 1 and event.data["leader"] == leader.display_name


def test_a_submitted_draft_cannot_be_changed_until_returned(submitted, in_handling_case, handler):
    with pytest.raises(DomainError):
        s.reply_draft_save(case=in_handling_case, actor=handler, text="改一下")
    submitted.refresh_from_db()
    assert submitted.text == GOOD and submitted.status == DraftStatus.SUBMITTED


def test_empty_text_is_refused_and_nothing_saved(in_handling_case, handler):
    with pytest.raises(DomainError) as exc:
        s.reply_draft_save(case=in_handling_case, actor=handler, text="   ", submit=True)
    assert "text" in exc.value.fields and not ReplyDraft.objects.exists()


def test_drafting_is_only_for_a_case_in_handling(case, office, handler):
    s.case_accept(case=case, actor=office)
    with pytest.raises(DomainError):
        s.reply_draft_save(case=case, actor=office, text=GOOD)
    assert not ReplyDraft.objects.exists()


def test_the_responsible_leader_does_not_submit_to_themselves(in_handling_case, leader):
    with pytest.raises(DomainError):
        s.reply_draft_save(case=in_handling_case, actor=leader, text=GOOD, submit=True)
    assert not ReplyDraft.objects.exists()


def test_return_keeps_the_draft_and_the_next_save_is_a_new_version(submitted, in_handling_case, handler, leader):
    returned = s.reply_draft_return(draft=submitted, actor=leader, note="请补充补发金额的计算依据。")
    assert returned.status == DraftStatus.RETURNED and returned.decided_by == leader and returned.decided_at
    event = in_handling_case.events.get(kind=EventKind.DRAFT_RETURNED)
    assert event.text == "请补充补发金额的计算依据。" and event.data["drafted_by_id"] == handler.pk
    second = s.reply_draft_save(case=in_handling_case, actor=handler, text=GOOD + "补发金额按日工资的200%计算。")
    assert second.pk != submitted.pk and second.version == 2 and second.status == DraftStatus.DRAFT
    submitted.refresh_from_db()
    assert submitted.text == GOOD and submitted.status == DraftStatus.RETURNED  # nothing lost


def test_return_needs_a_note(submitted, leader):
    with pytest.raises(DomainError) as exc:
        s.reply_draft_return(draft=submitted, actor=leader, note="  ")
    assert "note" in exc.value.fields
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.SUBMITTED


def test_sign_off_issues_the_reply_and_closes_the_draft(submitted, in_handling_case, handler, leader):
    final = GOOD + "如有疑问，可向公司人力资源部咨询。"
    reply = s.reply_draft_sign_off(draft=submitted, actor=leader, text=final, note="同意，补充了咨询渠道。")
    in_handling_case.refresh_from_db()
    assert in_handling_case.status == CaseStatus.REPLIED
    assert reply.text == final and reply.issued_by == leader and reply.next_right
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.ISSUED and submitted.reply == reply
    assert submitted.decided_by == leader and submitted.note == "同意，补充了咨询渠道。"
    assert submitted.text == GOOD  # the draft keeps what was submitted; the reply has the leader's edit
    event = in_handling_case.events.get(kind=EventKind.REPLIED)
    assert event.actor == leader
    assert event.data["signed_off"] is True and event.data["drafted_by"] == handler.display_name
    assert event.data["edited"] is True and event.data["draft"] == submitted.pk


def test_another_leader_cannot_sign_off_or_return(submitted, in_handling_case, other_leader, far_leader, handler):
    for actor in (other_leader, far_leader, handler):
        with pytest.raises(DomainError):
            s.reply_draft_sign_off(draft=submitted, actor=actor, text=GOOD)
        with pytest.raises(DomainError):
            s.reply_draft_return(draft=submitted, actor=actor, note="退回")
    submitted.refresh_from_db()
    in_handling_case.refresh_from_db()
    assert submitted.status == DraftStatus.SUBMITTED and in_handling_case.status == CaseStatus.IN_HANDLING
    assert not CaseReply.objects.exists()


def test_a_leader_kept_off_the_case_cannot_sign_off(submitted, in_handling_case, leader, office):
    # The service refuses to recuse a responsible leader; a record made otherwise still keeps them off.
    CaseRecusal.objects.create(case=in_handling_case, user=leader, reason="利益冲突", created_by=office)
    with pytest.raises(DomainError):
        s.reply_draft_sign_off(draft=submitted, actor=leader, text=GOOD)
    assert not CaseReply.objects.exists()


def test_a_draft_is_signed_off_once(submitted, leader):
    s.reply_draft_sign_off(draft=submitted, actor=leader, text=GOOD)
    with pytest.raises(DomainError):
        s.reply_draft_return(draft=submitted, actor=leader, note="再改")
    assert CaseReply.objects.count() == 1


def test_the_leader_issuing_directly_signs_off_the_waiting_draft(submitted, in_handling_case, leader):
    s.case_reply(case=in_handling_case, actor=leader, text=GOOD)
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.ISSUED and submitted.reply is not None
    assert in_handling_case.events.get(kind=EventKind.REPLIED).data["signed_off"] is True


def test_a_reply_issued_by_someone_else_supersedes_open_drafts(in_handling_case, handler, discipline):
    draft = s.reply_draft_save(case=in_handling_case, actor=handler, text="未完成的草稿")
    s.case_reply(case=in_handling_case, actor=discipline, text=GOOD)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SUPERSEDED and draft.text == "未完成的草稿" and draft.reply is None
    assert "signed_off" not in in_handling_case.events.get(kind=EventKind.REPLIED).data


def test_review_and_re_review_have_their_own_drafts(
    in_handling_case, handler, leader, office, clerk, org, review_leader, review_handler, group_leader, group_handler
):
    case = in_handling_case
    # Each stage is handled by the body above the previous one, by people who took no part before (Arts. 35, 36).
    people = {
        CaseStage.FIRST: (leader, handler),
        CaseStage.REVIEW: (review_leader, review_handler),
        CaseStage.RECHECK: (group_leader, group_handler),
    }
    units = {CaseStage.REVIEW: org["a"], CaseStage.RECHECK: org["group"]}
    for stage in (CaseStage.FIRST, CaseStage.REVIEW, CaseStage.RECHECK):
        case.refresh_from_db()
        assert case.stage == stage and case.status == CaseStatus.IN_HANDLING
        stage_leader, stage_handler = people[stage]
        draft = s.reply_draft_save(case=case, actor=stage_handler, text=f"{stage}：{GOOD}", submit=True)
        assert draft.stage == stage and draft.version == 1
        s.reply_draft_sign_off(draft=draft, actor=stage_leader, text=draft.text)
        case.refresh_from_db()
        if stage == CaseStage.RECHECK:
            break
        s.case_rate(case=case, actor=clerk, rating="dissatisfied")
        s.case_next_stage_request(case=case, actor=clerk, reason="不服，申请下一级")
        case.refresh_from_db()
        next_leader, next_handler = people[case.stage]
        s.case_assign(
            case=case,
            actor=office,
            handling_unit=units[case.stage],
            leader=next_leader,
            team=[next_handler],
            plan="上一级审查",
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.FINAL
    assert list(ReplyDraft.objects.values_list("stage", "status")) == [
        (CaseStage.FIRST, DraftStatus.ISSUED),
        (CaseStage.REVIEW, DraftStatus.ISSUED),
        (CaseStage.RECHECK, DraftStatus.ISSUED),
    ]


# Notifications -----------------------------------------------------------------------------------------


def test_submitting_tells_the_responsible_leader_only(submitted, in_handling_case, leader, other_leader, handler):
    item = inbox(leader, "draft.submitted").get()
    assert item.url == in_handling_case.get_absolute_url() and in_handling_case.case_no in item.title
    assert in_handling_case.subject not in item.title  # titles go out by e-mail: no content
    assert not inbox(other_leader, "draft.submitted").exists() and not inbox(handler, "draft.submitted").exists()


def test_returning_tells_the_drafter_with_the_note(submitted, handler, leader):
    s.reply_draft_return(draft=submitted, actor=leader, note="依据条款写错了，请核对。")
    item = inbox(handler, "draft.returned").get()
    assert "依据条款写错了，请核对。" in item.body and not inbox(leader, "draft.returned").exists()


def test_signing_off_tells_the_drafter(submitted, handler, leader):
    s.reply_draft_sign_off(draft=submitted, actor=leader, text=GOOD)
    assert inbox(handler, "draft.issued").count() == 1


def _reassign(case, office, leader, handler, org, plan="核实考勤与工资发放记录"):
    s.case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan=plan)
    case.refresh_from_db()


def test_a_new_leader_is_told_once_of_the_draft_waiting_for_them(
    submitted, in_handling_case, leader, other_leader, handler, office, org
):
    # Given a draft awaiting the sign-off of the responsible leader
    assert inbox(leader, "draft.submitted").count() == 1
    # When the case is reassigned to another leader
    _reassign(in_handling_case, office, other_leader, handler, org)
    # Then the new leader is told that the draft waits for them, with the drafter and the version
    item = inbox(other_leader, "draft.submitted").get()
    assert in_handling_case.case_no in item.title and item.url == in_handling_case.get_absolute_url()
    assert handler.display_name in item.body and in_handling_case.subject not in item.title
    # ... and only once: a later change of plan, or a return to the first leader, tells nobody again.
    _reassign(in_handling_case, office, other_leader, handler, org, plan="补充调取考勤记录")
    _reassign(in_handling_case, office, leader, handler, org)
    assert inbox(other_leader, "draft.submitted").count() == 1
    assert inbox(leader, "draft.submitted").count() == 1
    assert not inbox(handler, "draft.submitted").exists() and not inbox(office, "draft.submitted").exists()


def test_a_reassignment_without_a_waiting_draft_tells_no_leader_of_a_draft(
    in_handling_case, handler, other_leader, office, org
):
    s.reply_draft_save(case=in_handling_case, actor=handler, text="未提交的草稿")  # saved, not submitted
    _reassign(in_handling_case, office, other_leader, handler, org)
    assert not OutboxMessage.objects.filter(kind="draft.submitted").exists()
    assert inbox(other_leader, "case.assigned").count() == 1


def test_after_reassignment_only_the_new_leader_signs_off(
    submitted, in_handling_case, leader, other_leader, handler, office, org
):
    _reassign(in_handling_case, office, other_leader, handler, org)
    # The former leader can no longer sign off or return the draft, and is not offered to.
    assert not {"sign_off", "return_draft"} & action_names(in_handling_case, leader)
    with pytest.raises(DomainError):
        s.reply_draft_sign_off(draft=submitted, actor=leader, text=GOOD)
    with pytest.raises(DomainError):
        s.reply_draft_return(draft=submitted, actor=leader, note="退回")
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.SUBMITTED and not CaseReply.objects.exists()
    # The new leader can, and finds the draft on their home page.
    assert {"sign_off", "return_draft"} <= action_names(in_handling_case, other_leader)
    s.reply_draft_sign_off(draft=submitted, actor=other_leader, text=GOOD)
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.ISSUED and submitted.decided_by == other_leader


def test_the_new_leader_finds_the_waiting_draft_at_home(
    client, submitted, in_handling_case, leader, other_leader, handler, office, org
):
    _reassign(in_handling_case, office, other_leader, handler, org)
    client.force_login(other_leader)
    body = client.get(reverse("home")).content.decode()
    assert 'id="sign-off"' in body and in_handling_case.get_absolute_url() in body
    client.force_login(leader)
    assert 'id="sign-off"' not in client.get(reverse("home")).content.decode()


# The case page ----------------------------------------------------------------------------------------


def test_actions_follow_the_roles_and_the_draft(in_handling_case, handler, leader, other_leader, clerk):
    case = in_handling_case
    assert "draft_reply" in action_names(case, handler) and "reply" not in action_names(case, handler)
    assert "reply" in action_names(case, leader) and "draft_reply" not in action_names(case, leader)
    assert not {"draft_reply", "sign_off", "return_draft", "reply"} & action_names(case, clerk)
    s.reply_draft_save(case=case, actor=handler, text=GOOD, submit=True)
    assert "draft_reply" not in action_names(case, handler)  # waiting for the leader
    assert {"sign_off", "return_draft"} <= action_names(case, leader)
    assert "reply" not in action_names(case, leader)  # signing off is issuing: one button, not two
    assert not {"sign_off", "return_draft"} & action_names(case, other_leader)


@pytest.mark.parametrize(
    ("persona", "code"),
    [("clerk", 403), ("handler", 403), ("other_leader", 403), ("far_leader", 404), ("leader", 200)],
)
@pytest.mark.parametrize("action", ["sign_off", "return_draft"])
def test_only_the_responsible_leader_opens_the_sign_off(
    client, request, submitted, in_handling_case, persona, code, action
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("cases:action", args=[in_handling_case.pk, action])
    assert client.get(url).status_code == code
    response = client.post(url, {"text": GOOD, "note": "退回"})
    assert response.status_code == (302 if code == 200 else code)
    if code != 200:
        submitted.refresh_from_db()
        assert submitted.status == DraftStatus.SUBMITTED and not CaseReply.objects.exists()


def test_draft_form_saves_and_submits_with_the_reply_check(client, handler, in_handling_case):
    client.force_login(handler)
    url = reverse("cases:action", args=[in_handling_case.pk, "draft_reply"])
    page = client.get(url).content.decode()
    assert 'data-intent="save"' in page and 'data-intent="submit"' in page and 'name="submit_anyway"' not in page
    # Saving needs no tick: a draft may be incomplete.
    assert client.post(url, {"text": POOR, "intent": "save"}).status_code == 302
    assert ReplyDraft.objects.get().status == DraftStatus.DRAFT
    assert POOR in client.get(url).content.decode()  # the form starts at the saved draft
    # Submitting runs the check; with something missing it needs the explicit tick and changes nothing.
    response = client.post(url, {"text": POOR, "intent": "submit"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'name="submit_anyway"' in body and "XXX" in body
    assert ReplyDraft.objects.get().status == DraftStatus.DRAFT
    assert client.post(url, {"text": POOR, "intent": "submit", "submit_anyway": "on"}).status_code == 302
    draft = ReplyDraft.objects.get()
    assert draft.status == DraftStatus.SUBMITTED and draft.check_missing


def test_a_complete_draft_is_submitted_at_once(client, handler, in_handling_case):
    client.force_login(handler)
    url = reverse("cases:action", args=[in_handling_case.pk, "draft_reply"])
    assert client.post(url, {"text": GOOD, "intent": "submit"}).status_code == 302
    assert ReplyDraft.objects.get().status == DraftStatus.SUBMITTED


def test_an_empty_draft_is_refused_with_a_message(client, handler, in_handling_case):
    client.force_login(handler)
    url = reverse("cases:action", args=[in_handling_case.pk, "draft_reply"])
    response = client.post(url, {"text": "", "intent": "submit"})
    assert response.status_code == 400 and _("This field is required.") in response.content.decode()
    assert not ReplyDraft.objects.exists()


def test_sign_off_form_shows_the_draft_and_issues_it(client, leader, handler, submitted, in_handling_case):
    client.force_login(leader)
    url = reverse("cases:action", args=[in_handling_case.pk, "sign_off"])
    page = client.get(url).content.decode()
    assert GOOD in page and handler.display_name in page and 'data-intent="issue"' in page
    assert client.post(url, {"text": GOOD + "特此答复。", "note": ""}).status_code == 302
    in_handling_case.refresh_from_db()
    assert in_handling_case.status == CaseStatus.REPLIED
    assert CaseReply.objects.get().text == GOOD + "特此答复。"
    detail = client.get(in_handling_case.get_absolute_url()).content.decode()
    assert 'class="signed-off"' in detail and 'data-draft-status="issued"' in detail


def test_sign_off_with_something_missing_needs_the_tick(client, leader, submitted, in_handling_case):
    client.force_login(leader)
    url = reverse("cases:action", args=[in_handling_case.pk, "sign_off"])
    response = client.post(url, {"text": POOR})
    assert response.status_code == 400 and 'name="issue_anyway"' in response.content.decode()
    assert not CaseReply.objects.exists()
    assert client.post(url, {"text": POOR, "issue_anyway": "on"}).status_code == 302


def test_returning_without_a_note_is_refused_and_changes_nothing(client, leader, submitted, in_handling_case):
    client.force_login(leader)
    url = reverse("cases:action", args=[in_handling_case.pk, "return_draft"])
    response = client.post(url, {"note": "  "})
    assert response.status_code == 400
    assert _("Say what the drafter should revise.") in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.SUBMITTED
    assert client.post(url, {"note": "请补充依据。"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.RETURNED and submitted.note == "请补充依据。"


def test_the_leader_issues_a_waiting_draft_through_the_sign_off_form_only(client, leader, submitted, in_handling_case):
    client.force_login(leader)
    assert GOOD in client.get(reverse("cases:action", args=[in_handling_case.pk, "sign_off"])).content.decode()
    assert client.get(reverse("cases:action", args=[in_handling_case.pk, "reply"])).status_code == 403


def test_after_a_return_the_draft_form_shows_the_note_and_the_text(
    client, handler, leader, submitted, in_handling_case
):
    s.reply_draft_return(draft=submitted, actor=leader, note="请写明补发日期。")
    client.force_login(handler)
    page = client.get(reverse("cases:action", args=[in_handling_case.pk, "draft_reply"])).content.decode()
    assert "请写明补发日期。" in page and GOOD in page


def test_drafts_are_shown_to_drafters_and_issuers_only(client, handler, leader, clerk, submitted, in_handling_case):
    url = in_handling_case.get_absolute_url()
    for user in (handler, leader):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert 'id="reply-drafts"' in body and 'data-draft-status="submitted"' in body
    client.force_login(clerk)
    body = client.get(url).content.decode()
    assert 'id="reply-drafts"' not in body and GOOD not in body
    # The timeline says a draft was submitted, without its text.
    assert 'class="ev ev-draft_submitted"' in body


def test_the_open_draft_shows_what_the_check_finds(client, handler, in_handling_case):
    s.reply_draft_save(case=in_handling_case, actor=handler, text=POOR)
    client.force_login(handler)
    body = client.get(in_handling_case.get_absolute_url()).content.decode()
    assert 'id="draft-check"' in body and "XXX" in body


# Home worklist -----------------------------------------------------------------------------------------


def test_the_leader_finds_replies_awaiting_sign_off_at_home(client, leader, other_leader, submitted, in_handling_case):
    client.force_login(leader)
    body = client.get(reverse("home")).content.decode()
    assert 'id="sign-off"' in body and in_handling_case.get_absolute_url() in body
    client.force_login(other_leader)
    body = client.get(reverse("home")).content.decode()
    assert 'id="stat-sign-off"' in body and 'id="sign-off"' not in body


def test_the_drafter_finds_returned_drafts_at_home(client, handler, leader, submitted, in_handling_case):
    s.reply_draft_return(draft=submitted, actor=leader, note="请补充依据。")
    client.force_login(handler)
    body = client.get(reverse("home")).content.decode()
    assert 'id="drafts-returned"' in body and "请补充依据。" in body
    s.reply_draft_save(case=in_handling_case, actor=handler, text=GOOD)  # revised: off the list
    assert 'id="drafts-returned"' not in client.get(reverse("home")).content.decode()


# API and roles -----------------------------------------------------------------------------------------


def test_api_detail_gives_the_draft_status_and_the_text_only_to_drafters(
    client, handler, office, submitted, in_handling_case
):
    url = f"/api/v1/cases/{in_handling_case.pk}"
    client.force_login(handler)
    data = client.get(url).json()["reply_draft"]
    assert data["status"] == "submitted" and data["version"] == 1 and data["text"] == GOOD
    client.force_login(office)
    data = client.get(url).json()["reply_draft"]
    assert data["status"] == "submitted" and data["text"] is None and data["note"] is None


def test_api_detail_without_a_draft(client, office, in_handling_case):
    client.force_login(office)
    assert client.get(f"/api/v1/cases/{in_handling_case.pk}").json()["reply_draft"] is None


def test_roles_draft_and_sign_off(handler, leader, discipline, office):
    assert handler.has_perm("cases.draft_reply") and not handler.has_perm("cases.reply_case")
    for user in (leader, discipline):
        assert user.has_perm("cases.draft_reply") and user.has_perm("cases.reply_case")
    assert not office.has_perm("cases.draft_reply") and not office.has_perm("cases.reply_case")


@pytest.mark.parametrize("decision", ["return", "sign_off"])
def test_a_decided_draft_no_longer_counts_as_waiting_in_the_leaders_inbox(
    in_handling_case, handler, leader, submitted, decision
):
    """Found in a walk-through: a leader's inbox kept 'awaiting your sign-off' unread for drafts long returned or
    signed. Deciding the draft marks those notices read; they stay in the inbox."""
    waiting = inbox(leader, "draft.submitted")
    assert waiting.count() == 1 and waiting.get().read_at is None

    if decision == "return":
        s.reply_draft_return(draft=submitted, actor=leader, note="请补充依据。")
    else:
        s.reply_draft_sign_off(draft=submitted, actor=leader, text=GOOD)

    notice = inbox(leader, "draft.submitted").get()
    assert notice.read_at is not None
    # The next submission is news again.
    if decision == "return":
        s.reply_draft_save(case=in_handling_case, actor=handler, text=GOOD + "补充。", submit=True)
        assert inbox(leader, "draft.submitted").filter(read_at__isnull=True).count() == 1


def test_what_the_check_found_reads_as_a_list_on_the_case_page(client, in_handling_case, handler, leader):
    """Found in a walk-through: the items ran together as "……（复查）。；引用……"."""
    s.reply_draft_save(case=in_handling_case, actor=handler, text=POOR, submit=True)
    client.force_login(leader)
    page = client.get(in_handling_case.get_absolute_url()).content.decode()
    found = page.split('class="muted check-missing"', 1)[1].split("</div>", 1)[0]
    assert found.count("<li>") >= 2 and "。；" not in found
