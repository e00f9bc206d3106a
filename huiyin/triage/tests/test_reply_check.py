"""Issue #5.4: before a reply is issued, show what it lacks; issue only with an explicit "issue anyway"."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from huiyin.cases.models import CaseReply
from huiyin.triage.reply_check import reply_check, triage_reply_checker

GOOD = (
    "经核实，一厂检修车间2026年8月加班费因考勤数据迟报未按时发放。根据公司《薪酬管理办法》第十二条，"
    "加班费已于11月20日补发至您的工资账户，请予核实。"
)
POOR = "已知悉，我们会研究处理。联系人：XXX"


def in_review(case, leader, clerk, office, review_leader, org):
    """Given: the first reply was issued, the petitioner was dissatisfied and asked for a review, assigned."""
    from huiyin.cases.services import case_assign, case_next_stage_request, case_rate, case_reply

    case_reply(case=case, actor=leader, text=GOOD)
    case_rate(case=case, actor=clerk, rating="dissatisfied")
    case_next_stage_request(case=case, actor=clerk, reason="加班费补发了，但误工费没有补偿，要求补偿误工费。")
    case.refresh_from_db()
    case_assign(case=case, actor=office, handling_unit=org["a"], leader=review_leader, team=[], plan="复查")
    case.refresh_from_db()
    return case


def test_a_good_reply_lacks_nothing(in_handling_case):
    assert triage_reply_checker(in_handling_case, GOOD) == []
    elements = {e.name: e for e in reply_check(case=in_handling_case, text=GOOD)}
    assert set(elements) == {"points", "basis", "next_step", "blanks"} and all(e.ok for e in elements.values())
    assert elements["next_step"].by_platform  # the platform appends the next right and its deadline


def test_a_poor_reply_lists_what_is_missing(in_handling_case):
    missing = triage_reply_checker(in_handling_case, POOR)
    assert len(missing) == 3  # the points, a basis, a template blank
    assert any("XXX" in m for m in missing)


def test_the_setting_turns_the_check_off(in_handling_case, settings):
    settings.HUIYIN_REPLY_CHECK = False
    assert triage_reply_checker(in_handling_case, POOR) == []


def test_reply_form_requires_issue_anyway(client, leader, in_handling_case):
    client.force_login(leader)  # the handler drafts; issuing is the leader's (cases/tests/test_reply_drafts.py)
    url = reverse("cases:action", args=[in_handling_case.pk, "reply"])
    page = client.get(url).content.decode()
    assert 'name="issue_anyway"' not in page  # nothing to tick before a check found something
    response = client.post(url, {"text": POOR})
    assert response.status_code == 400 and not CaseReply.objects.exists()
    body = response.content.decode()
    assert 'name="issue_anyway"' in body and "XXX" in body
    response = client.post(url, {"text": POOR, "issue_anyway": "on"})
    assert response.status_code == 302
    assert CaseReply.objects.get(case=in_handling_case).text == POOR


def test_a_complete_reply_is_issued_at_once(client, leader, in_handling_case):
    client.force_login(leader)
    response = client.post(reverse("cases:action", args=[in_handling_case.pk, "reply"]), {"text": GOOD})
    assert response.status_code == 302 and CaseReply.objects.filter(case=in_handling_case).exists()


def test_case_page_carries_the_live_check(client, handler, clerk, in_handling_case):
    client.force_login(handler)
    body = client.get(in_handling_case.get_absolute_url()).content.decode()
    assert 'id="triage-reply-check"' in body and "triage/reply_check.js" in body
    client.force_login(clerk)  # cannot reply: no panel
    assert 'id="triage-reply-check"' not in client.get(in_handling_case.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("persona", "code"), [(None, 302), ("clerk", 403), ("other_unit_handler", 404), ("handler", 200)]
)
def test_live_check_access(client, request, in_handling_case, persona, code):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("triage:reply_check", args=[in_handling_case.pk]), {"text": POOR})
    assert response.status_code == code
    if code == 200:
        body = response.content.decode()
        assert 'data-element="basis"' in body and 'class="missing"' in body and "XXX" in body


def test_a_review_opinion_must_answer_the_grounds_of_the_review_request(
    in_handling_case, leader, clerk, office, review_leader, org
):
    from huiyin.triage.reply_check import points_source

    case = in_review(in_handling_case, leader, clerk, office, review_leader, org)
    assert points_source(case).startswith("加班费补发了")
    # The first reply answered the overtime pay; the review opinion must answer the lost-work pay.
    points = {e.name: e for e in reply_check(case=case, text="复查意见：" + GOOD)}["points"]
    assert not points.ok and "误工费" in points.detail
    answered = (
        "复查意见：经复查，加班费已补发；依据公司《薪酬管理办法》第十二条，误工费不予补偿，当月已按出勤计发工资。"
    )
    assert {e.name: e for e in reply_check(case=case, text=answered)}["points"].ok


@pytest.mark.parametrize(
    ("stage", "text", "named"),
    [
        ("first", GOOD + "如不服本答复意见，可自收到之日起30日内申请复核。", "复核"),  # skips the review
        ("first", GOOD + "如对答复不服，可在30日内向上一级单位请求复查。", ""),  # the right one
        ("review", "经复查，" + GOOD + "如不服本复查意见，可在30日内申请复查。", "复查"),
        ("review", "经复查，" + GOOD + "你于10月3日申请复查。如不服本复查意见，可申请复核。", ""),
        ("recheck", "经复核，" + GOOD + "如不服，可申请复核。", "复核"),  # a re-review is final
        ("review", "你于10月3日申请复查，经复查，" + GOOD, ""),  # tells what happened, names no right
    ],
)
def test_a_reply_naming_the_wrong_remedy_is_caught(stage, text, named):
    """Found in a walk-through: a review opinion ending "……申请复查" passed, and the issued letter would have
    carried it beside the platform's sentence on the re-review: two contradicting rights in one letter."""
    from huiyin.triage.reply_check import wrong_remedy

    assert wrong_remedy(stage=stage, text=text) == named


def test_the_wrong_remedy_is_shown_in_the_check(in_handling_case):
    text = GOOD + "如不服本答复意见，可自收到之日起30日内申请复核。"
    step = {e.name: e for e in reply_check(case=in_handling_case, text=text)}["next_step"]
    assert not step.ok and not step.by_platform and "复核" in step.detail and "复查" in step.detail
    assert any("复核" in line for line in triage_reply_checker(in_handling_case, text))


def test_a_missing_element_names_itself_once(in_handling_case):
    """Found in a walk-through: "引用政策或制度依据：未引用政策或制度依据：请写明……"."""
    from huiyin.triage.reply_check import ELEMENT_LABELS

    missing = triage_reply_checker(in_handling_case, "经核实，加班费已于11月20日补发至您的工资账户。")
    label = str(ELEMENT_LABELS["basis"])
    line = next(m for m in missing if m.startswith(label))
    assert label not in line[len(label) :]


FIFTEEN_DAYS = GOOD + "如对本答复不服，可在收到之日起15日内向本单位申请复查。"


def test_a_wrong_time_limit_for_the_next_right_fails_the_check(in_handling_case):
    """Found in a walk-through: a draft telling 15 days to request a review passed as ✓ "已告知救济途径（向本单位申请）
    及期限（之日起15日）", and the issued letter added the platform's 30 days: two deadlines in one letter."""
    step = {e.name: e for e in reply_check(case=in_handling_case, text=FIFTEEN_DAYS)}["next_step"]
    assert not step.ok and not step.by_platform
    assert "15日" in step.detail and "30" in step.detail and "复查" in step.detail
    assert any("15日" in line for line in triage_reply_checker(in_handling_case, FIFTEEN_DAYS))
    # The limit in force, in Chinese numerals or counted from receipt, passes; so does stating none.
    for right in ("如不服，可在三十日内申请复查。", "如对本答复不服，可自收到之日起30日内向上一级单位申请复查。", ""):
        assert {e.name: e for e in reply_check(case=in_handling_case, text=GOOD + right)}["next_step"].ok, right
    # Working days are not calendar days.
    text = GOOD + "如不服，可在30个工作日内申请复查。"
    assert not {e.name: e for e in reply_check(case=in_handling_case, text=text)}["next_step"].ok


def test_a_wrong_time_limit_is_issued_only_with_issue_anyway(client, leader, in_handling_case):
    client.force_login(leader)
    url = reverse("cases:action", args=[in_handling_case.pk, "reply"])
    response = client.post(url, {"text": FIFTEEN_DAYS})
    assert response.status_code == 400 and not CaseReply.objects.exists()
    assert "15日" in response.content.decode()
    assert client.post(url, {"text": FIFTEEN_DAYS, "issue_anyway": "on"}).status_code == 302


def test_the_time_limit_is_the_one_of_the_case_profile(in_handling_case):
    """The limit is the one the platform counts the deadline by (the profile in force), not a fixed 30 days."""
    from huiyin.workflow.models import RuleProfile
    from huiyin.workflow.services import rule_profile_save

    rule_profile_save(profile=RuleProfile(name="acme-2026", rules={"review_request": 15}, lane="general", active=True))
    assert {e.name: e for e in reply_check(case=in_handling_case, text=FIFTEEN_DAYS)}["next_step"].ok
    text = GOOD + "如不服，可在收到之日起30日内申请复查。"
    step = {e.name: e for e in reply_check(case=in_handling_case, text=text)}["next_step"]
    assert not step.ok and "30日" in step.detail and "15" in step.detail


def test_a_wrong_time_limit_for_a_re_review_fails_the_check(
    in_handling_case, leader, clerk, office, review_leader, org
):

    case = in_review(in_handling_case, leader, clerk, office, review_leader, org)
    text = "经复查，" + GOOD + "如不服本复查意见，可在收到之日起十五日内申请复核。"
    step = {e.name: e for e in reply_check(case=case, text=text)}["next_step"]
    assert not step.ok and "15日" in step.detail and "复核" in step.detail
    text = "经复查，" + GOOD + "如不服本复查意见，可在收到之日起30日内申请复核。"
    assert {e.name: e for e in reply_check(case=case, text=text)}["next_step"].ok


def test_a_salutation_typed_into_the_reply_is_flagged(in_handling_case, monkeypatch):
    """Found in a walk-through: a reply begun "王建军同志：" showed the full name in the case timeline while the
    petitioner card showed "王**". The letter adds the salutation from the petitioner's record (and drops the
    reply's own), so the name has no business in the text. The check reads the text only: it neither
    decrypts nor compares the petitioner's identity."""
    import huiyin.people.services as people_services
    from huiyin.triage.reply_check import typed_salutation

    def no_identity(**kwargs):
        raise AssertionError("the check must not read the petitioner's identity")

    monkeypatch.setattr(people_services, "petitioner_name_for_letter", no_identity)
    for text in (
        "王建军同志：\n" + GOOD,
        "王建军同志：" + GOOD,
        "尊敬的李红女士:\n" + GOOD,
        "答复\n 欧阳明远先生：\n" + GOOD,
    ):
        elements = {e.name: e for e in reply_check(case=in_handling_case, text=text)}
        salutation = elements["salutation"]
        assert not salutation.ok and typed_salutation(text) in salutation.detail, text
        assert any(typed_salutation(text) in line for line in triage_reply_checker(in_handling_case, text))
    # No name, a masked one or a heading: nothing to say, and no element shown.
    for text in (GOOD, "信访人：\n" + GOOD, "王**同志：\n" + GOOD, "各位同志：\n" + GOOD, "处理意见：" + GOOD):
        assert "salutation" not in {e.name for e in reply_check(case=in_handling_case, text=text)}, text
    assert typed_salutation("王建军同志：\n" + GOOD) == "王建军同志"


OWN_RIGHT = GOOD + "如对本答复意见不服，可自收到本答复意见之日起30日内向甲公司信访办请求复查。"


def test_a_draft_stating_the_next_right_is_not_told_the_platform_adds_it(client, handler, in_handling_case):
    """Found in a walk-through (case 2026-000164): a draft with its own 30-day 复查 sentence was shown
    "✓（此句由平台自动添加）", and the issued reply carried the right twice (the draft's and the platform's). The
    platform adds its sentence only to a draft that does not state the right and its period."""
    step = {e.name: e for e in reply_check(case=in_handling_case, text=OWN_RIGHT)}["next_step"]
    assert step.ok and step.in_draft and not step.by_platform
    assert "复查" in step.detail and "30日" in step.detail
    step = {e.name: e for e in reply_check(case=in_handling_case, text=GOOD)}["next_step"]
    assert step.ok and step.by_platform and not step.in_draft
    # A wrong period is still the handler's to correct; the platform adds the right one.
    step = {e.name: e for e in reply_check(case=in_handling_case, text=FIFTEEN_DAYS)}["next_step"]
    assert not step.ok and not step.in_draft

    client.force_login(handler)
    url = reverse("triage:reply_check", args=[in_handling_case.pk])
    body = client.post(url, {"text": OWN_RIGHT}).content.decode()
    assert 'data-element="next_step"' in body
    assert gettext("(stated in the draft; the platform adds only the day the period ends)") in body
    assert gettext("(the platform adds this sentence)") not in body
    body = client.post(url, {"text": GOOD}).content.decode()
    assert gettext("(the platform adds this sentence)") in body


def test_an_issued_reply_stating_the_next_right_does_not_carry_it_twice(leader, in_handling_case):
    from huiyin.cases.services import case_reply, next_request_period, next_right_text
    from huiyin.core.dates import date_text

    reply = case_reply(case=in_handling_case, actor=leader, text=OWN_RIGHT)
    assert reply.next_right_due is not None
    period = next_request_period(case=in_handling_case, stage="first")
    assert reply.next_right != next_right_text(stage="first", due=reply.next_right_due, period=period)
    assert date_text(reply.next_right_due) in reply.next_right  # the day the period ends, which the draft cannot say
    assert "30" not in reply.next_right  # the period is the draft's own sentence, once


def test_an_issued_reply_with_a_wrong_period_keeps_the_platform_sentence(leader, in_handling_case):
    from huiyin.cases.services import case_reply, next_request_period, next_right_text

    reply = case_reply(case=in_handling_case, actor=leader, text=FIFTEEN_DAYS)
    period = next_request_period(case=in_handling_case, stage="first")
    assert reply.next_right == next_right_text(stage="first", due=reply.next_right_due, period=period)
