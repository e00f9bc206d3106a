"""Each stage's answer under its own name on the staff pages (答复, 复查意见, 复核意见; drafts 答复稿, 复查意见稿,
复核意见稿), from the one function the portal uses too; and the reasons of a forwarding or a refusal, which
the petitioner is told, are asked for as such."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from huiyin.cases import services as s
from huiyin.cases import states
from huiyin.cases.actions import actions_for
from huiyin.cases.states import CaseStage
from huiyin.notify.models import OutboxMessage

GOOD = (
    "经核实，一厂检修车间2026年8月加班费因考勤数据迟报未按时发放。根据公司《薪酬管理办法》第十二条，"
    "加班费已于11月20日补发至您的工资账户，请予核实。"
)
ANSWER = {CaseStage.FIRST: "reply", CaseStage.REVIEW: "review opinion", CaseStage.RECHECK: "re-review opinion"}


@pytest.fixture
def staged(
    in_handling_case, handler, leader, office, clerk, org, review_leader, review_handler, group_leader, group_handler
):
    """Bring the in-handling case to a stage, in handling again: each earlier answer issued, rated, contested,
    and each later stage assigned to the body above and to people who took no part before (Arts. 35, 36).
    Returns the case with that stage's leader and handler."""
    people = {
        CaseStage.FIRST: (org["a_plant"], leader, handler),
        CaseStage.REVIEW: (org["a"], review_leader, review_handler),
        CaseStage.RECHECK: (org["group"], group_leader, group_handler),
    }

    def run(stage):
        case = in_handling_case
        while case.stage != stage:
            s.case_reply(case=case, actor=people[case.stage][1], text=GOOD)
            s.case_rate(case=case, actor=clerk, rating="dissatisfied")
            s.case_next_stage_request(case=case, actor=clerk, reason="不服，申请下一级")
            case.refresh_from_db()
            unit, stage_leader, stage_handler = people[case.stage]
            s.case_assign(
                case=case,
                actor=office,
                handling_unit=unit,
                leader=stage_leader,
                team=[stage_handler],
                plan="上一级审查",
            )
            case.refresh_from_db()
        _, stage_leader, stage_handler = people[stage]
        return case, stage_leader, stage_handler

    return run


def _labels(case, user):
    case.refresh_from_db()
    return {a.name: str(label) for a, label in actions_for(case=case, user=user)}


def test_the_portal_names_the_answers_with_the_same_function():
    from huiyin.portal import selectors

    assert selectors.reply_label is states.reply_label
    with translation.override("en"):
        assert [states.reply_label(stage) for stage in ANSWER] == ["Reply", "Review opinion", "Re-review opinion"]
        assert [states.draft_label(stage) for stage in ANSWER] == [
            "Draft reply",
            "Draft review opinion",
            "Draft re-review opinion",
        ]


@pytest.mark.parametrize("stage", list(ANSWER))
def test_draft_and_sign_off_actions_name_the_stage_answer(staged, stage):
    case, leader, handler = staged(stage)
    answer = ANSWER[stage]
    with translation.override("en"):
        assert _labels(case, handler)["draft_reply"] == f"Draft the {answer}"
        assert _labels(case, leader)["reply"] == f"Issue the {answer}"
        s.reply_draft_save(case=case, actor=handler, text=GOOD, submit=True)
        assert _labels(case, leader)["sign_off"] == f"Sign off and issue the {answer}"


@pytest.mark.parametrize("stage", [CaseStage.REVIEW, CaseStage.RECHECK])
def test_in_chinese_a_review_stage_never_says_reply(staged, stage):
    case, leader, handler = staged(stage)
    with translation.override("zh-hans"):
        name = states.reply_label(stage)  # 复查意见, 复核意见
        labels = [states.draft_label(stage), _labels(case, handler)["draft_reply"], _labels(case, leader)["reply"]]
        s.reply_draft_save(case=case, actor=handler, text=GOOD, submit=True)
        labels += [_labels(case, leader)["sign_off"]]
        assert name in ("复查意见", "复核意见")
        assert all(name in label and "答复" not in label for label in labels), labels


def test_the_forms_name_the_review_opinion(client, staged, english):
    case, leader, handler = staged(CaseStage.REVIEW)
    client.force_login(leader)
    issuing = client.get(reverse("cases:action", args=[case.pk, "reply"])).content.decode()
    assert "Written review opinion" in issuing and "Written reply" not in issuing
    client.force_login(handler)
    draft_form = client.get(reverse("cases:action", args=[case.pk, "draft_reply"])).content.decode()
    assert "Draft review opinion" in draft_form and "Draft reply" not in draft_form
    s.reply_draft_save(case=case, actor=handler, text=GOOD, submit=True)
    client.force_login(leader)
    sign_off = client.get(reverse("cases:action", args=[case.pk, "sign_off"])).content.decode()
    assert "Review opinion to issue" in sign_off and "Sign off and issue the review opinion" in sign_off
    assert "Reply to issue" not in sign_off
    returning = client.get(reverse("cases:action", args=[case.pk, "return_draft"])).content.decode()
    assert "Draft review opinion" in returning and "Draft reply" not in returning


def test_the_case_page_and_home_name_each_draft_after_its_stage(client, staged, english):
    case, leader, handler = staged(CaseStage.REVIEW)
    s.reply_draft_save(case=case, actor=handler, text=GOOD, submit=True)
    client.force_login(leader)
    page = client.get(case.get_absolute_url()).content.decode()
    # The first stage's reply under its own name, the review's draft under the review opinion's.
    assert '<section class="card reply"><h2>Reply</h2>' in page
    assert "Draft review opinion" in page and "Draft review opinion submitted for sign-off" in page
    assert "Reply draft submitted for sign-off" not in page
    home = client.get(reverse("home")).content.decode()
    assert "Drafts awaiting my sign-off" in home and f"{case.case_no} {case.subject}</a> — Draft review opinion" in home


def test_the_leader_is_told_which_answer_awaits_sign_off(settings, staged):
    settings.LANGUAGE_CODE = "en"  # notices are written in the site's language
    case, leader, handler = staged(CaseStage.REVIEW)
    draft = s.reply_draft_save(case=case, actor=handler, text=GOOD, submit=True)
    title = OutboxMessage.objects.get(user=leader, channel="inbox", kind="draft.submitted").title
    assert title == f"Review opinion for case {case.case_no} awaiting your sign-off"
    s.reply_draft_return(draft=draft, actor=leader, note="请写明依据。")
    returned = OutboxMessage.objects.get(user=handler, channel="inbox", kind="draft.returned").title
    assert returned == f"Draft review opinion for case {case.case_no} returned for revision"


# The reason told to the petitioner ----------------------------------------------------------------------


@pytest.mark.parametrize("action", ["forward", "not_accept", "redirect"])
def test_the_reason_of_a_decision_is_asked_for_as_told_to_the_petitioner(
    client, case, office, action, english, settings
):
    client.force_login(office)
    url = reverse("cases:action", args=[case.pk, action])
    page = client.get(url).content.decode()
    assert "Reason told to the petitioner" in page
    assert "The petitioner is told this reason: it is shown on the portal and in the notice sent to them." in page
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert "告知信访人的理由" in client.get(url).content.decode()


def test_the_reason_of_a_review_request_is_not_called_one_told_to_the_petitioner(client, staged, clerk, english):
    case, leader, handler = staged(CaseStage.FIRST)
    s.case_reply(case=case, actor=leader, text=GOOD)
    client.force_login(clerk)
    page = client.get(reverse("cases:action", args=[case.pk, "next_stage"])).content.decode()
    assert 'name="reason"' in page and "Reason told to the petitioner" not in page
