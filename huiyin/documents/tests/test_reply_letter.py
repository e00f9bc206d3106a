"""The Word reply letter: case number, the reply, the next right and its deadline, never the identity."""

import io
import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.cases.services import case_reply
from huiyin.documents.letters import chinese_dates, letter_date, unit_formal_name
from huiyin.workflow.services import holiday_schedule_load
from huiyin.workflow.tests.conftest import SCHEDULE_2027

REPLY = "经核实，8月加班费已于9月补发。\n依据《工资支付暂行规定》第十三条。"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(autouse=True)
def _site_url(settings):
    """A real site address: the portal's URL is printed (a loopback one is not, see below)."""
    settings.HUIYIN_SITE_URL = "https://xinfang.example.com"


def letter_url(case, stage="first"):
    return reverse("documents:reply_letter", args=[case.pk]) + f"?stage={stage}"


def document_of(response):
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


def text_of(response) -> str:
    return "\n".join(p.text for p in document_of(response).paragraphs)


def t(message: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def review_sentence(what: str, body: str, due: str, basis: str = "《信访工作条例》第三十五条") -> str:
    """The letter's own statement of the next right, as the site's language writes it."""
    return t(
        "If you disagree with this opinion, you may request {what} in writing from {body} within {period} of "
        "receiving it; the period ends on {due}{mark}{basis}."
    ).format(
        what=t(what),
        body=body,
        period=t("{days} days").format(days=30),
        due=due,
        mark="",
        basis=t(" (under {article})").format(article=basis),
    )


def portal_sentence() -> str:
    return t("The request can also be made on the employee portal ({portal}).").format(
        portal=settings.HUIYIN_SITE_URL.rstrip("/") + reverse("portal:home")
    )


def with_receipt(case):
    """Given: the petitioner was given a receipt code (a clerk's slip), so they can follow the case on the portal."""
    from huiyin.portal.services import receipt_issue

    receipt_issue(case=case, actor=None, reason="回执")
    return case


def reply_as(case, text):
    """Given: the issued reply of the first stage reads `text` (as a handler may have written it)."""
    case.replies.update(text=text)


def assigned_case(make_case, office, leader, handler, unit, **overrides):
    from huiyin.cases.services import case_accept, case_assign

    case = make_case(**overrides)
    case_accept(case=case, actor=office)
    case_assign(case=case, actor=office, handling_unit=unit, leader=leader, team=[handler], plan="核实")
    return case


# What the letter carries ----------------------------------------------------------------------------------


def test_letter_carries_case_number_reply_next_right_and_deadline(client, clerk, replied_case):
    client.force_login(clerk)
    response = client.get(letter_url(replied_case))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert f'filename="reply-{replied_case.case_no}-first.docx"' in response["Content-Disposition"]
    text = text_of(response)
    assert replied_case.case_no in text
    assert "经核实，8月加班费已于9月补发。" in text and "依据《工资支付暂行规定》第十三条。" in text
    # 30 days to request a review, under the article that sets the limit, from the handling unit's superior
    # (甲公司, through its petition office), in writing: where and how, not only that the right exists. The
    # petition came by letter and no receipt code was given: the portal, which they cannot use, is not mentioned.
    assert review_sentence("a review", "甲公司信访办", "2026年12月24日") in text.splitlines()
    assert reverse("portal:home") not in text
    assert t(" (provisional)") not in text


def test_a_petitioner_with_a_receipt_code_is_told_of_the_portal(client, clerk, replied_case):
    with_receipt(replied_case)
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert review_sentence("a review", "甲公司信访办", "2026年12月24日") + portal_sentence() in text.splitlines()


def test_the_portal_is_mentioned_only_to_a_petitioner_who_can_use_it(
    client, clerk, make_case, office, leader, handler, org
):
    from huiyin.org.services import user_create
    from huiyin.people.models import Petitioner

    # Registered as a web petition by a clerk, without a receipt code: nothing to open the portal with.
    case = assigned_case(make_case, office, leader, handler, org["a_plant"], channel="web")
    case_reply(case=case, actor=handler, text=REPLY)
    client.force_login(clerk)
    assert reverse("portal:home") not in text_of(client.get(letter_url(case)))
    # Linked to the petitioner's portal account: they follow it there when signed in.
    account = user_create(username="worker", password="pw-Huiyin-2026", unit=org["a_plant"], roles=["petitioner"])
    Petitioner.objects.filter(pk=case.petitioner_id).update(account=account)
    assert portal_sentence() in text_of(client.get(letter_url(case)))


def test_a_user_not_entitled_to_the_identity_gets_a_letter_without_a_name(client, clerk, replied_case):
    # Regression (QA walk-through): the salutation was the masked name, "刘**同志：", on a letter that is sent.
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert "刘某某" not in text and "13800001111" not in text
    assert "*" not in text  # never a mask on a letter
    assert text.splitlines()[3] == t("{name}:").format(name=t("Petitioner"))
    assert not AuditRecord.objects.filter(action=AuditAction.IDENTITY_VIEW).exists()


def test_a_user_entitled_to_the_identity_gets_the_name_and_the_view_is_logged(client, office, replied_case):
    client.force_login(office)  # the petition office may unseal a petitioner's identity
    text = text_of(client.get(letter_url(replied_case)))
    assert text.splitlines()[3] == t("{name}:").format(name=t("Comrade {name}").format(name="刘某某"))
    assert "13800001111" not in text and "*" not in text
    view = AuditRecord.objects.filter(action=AuditAction.IDENTITY_VIEW).get()
    assert view.actor_id == office.pk and view.object_id == str(replied_case.petitioner_id)
    assert view.detail == {"reason": "reply_letter", "case": replied_case.case_no, "fields": ["name"]}


def test_an_accusation_names_the_reporter_only_with_a_custodian_approval(
    client, make_case, office, discipline, custodian, org
):
    from huiyin.people.services import unseal_request_create, unseal_request_decide

    case = assigned_case(make_case, office, discipline, discipline, org["a"], type="accusation")
    case_reply(case=case, actor=discipline, text=REPLY)
    client.force_login(discipline)
    salutation = text_of(client.get(letter_url(case))).splitlines()[3]
    assert salutation == t("{name}:").format(name=t("Petitioner"))
    # Not being entitled is not a refused attempt: nothing is logged as denied or viewed.
    assert not AuditRecord.objects.filter(action__in=[AuditAction.IDENTITY_VIEW, AuditAction.ACCESS_DENIED]).exists()
    request = unseal_request_create(case=case, actor=discipline, reason="寄送答复意见书")
    unseal_request_decide(request=request, actor=custodian, approve=True)
    salutation = text_of(client.get(letter_url(case))).splitlines()[3]
    assert salutation == t("{name}:").format(name=t("Comrade {name}").format(name="刘某某"))
    assert AuditRecord.objects.filter(action=AuditAction.IDENTITY_VIEW, actor_id=discipline.pk).count() == 1


def test_download_is_recorded_as_an_export(client, clerk, replied_case):
    client.force_login(clerk)
    client.get(letter_url(replied_case))
    record = AuditRecord.objects.filter(action=AuditAction.EXPORT).get()
    assert record.actor_id == clerk.pk and record.object_id == str(replied_case.pk)
    assert record.detail == {"document": "reply_letter", "stage": "first", "case_no": replied_case.case_no}


def test_deadline_in_an_unpublished_year_is_marked_provisional_until_loaded(
    client, clerk, in_handling_case, handler, traveller
):
    traveller.move_to("2026-12-10T10:00:00+08:00")
    case_reply(case=in_handling_case, actor=handler, text="答复如下。")
    client.force_login(clerk)
    text = text_of(client.get(letter_url(in_handling_case)))
    # 30 days end on Saturday 2027-01-09: Monday the 11th, provisional.
    assert "2027年1月11日" + t(" (provisional)") in text
    holiday_schedule_load(year=2027, text=SCHEDULE_2027)
    text = text_of(client.get(letter_url(in_handling_case)))
    assert "2027年1月11日" in text and t(" (provisional)") not in text


def test_anonymous_petitioner_is_addressed_as_the_petitioner(client, office, make_case, leader, handler, org):
    case = assigned_case(make_case, office, leader, handler, org["a_plant"], anonymous=True, petitioner=None)
    case_reply(case=case, actor=handler, text="答复")
    with_receipt(case)
    client.force_login(office)  # even a user who may unseal identities: there is none
    text = text_of(client.get(letter_url(case)))
    assert t("{name}:").format(name=t("Petitioner")) in text.splitlines()
    assert (
        t(
            "The request can also be made on the employee portal ({portal}) with the receipt code you were given; "
            "you stay anonymous."
        ).format(portal=settings.HUIYIN_SITE_URL.rstrip("/") + reverse("portal:home"))
        in text
    )


def test_named_and_collective_salutations(client, clerk, make_case, office, leader, handler, org):
    single = assigned_case(make_case, office, leader, handler, org["a_plant"])
    group = assigned_case(make_case, office, leader, handler, org["a_plant"], collective=True, headcount=12)
    for case, name in (
        (single, t("Comrade {name}").format(name="刘某某")),
        (group, t("{name} and others ({count} people)").format(name="刘某某", count=12)),
    ):
        case_reply(case=case, actor=handler, text="答复")
        client.force_login(office)
        assert t("{name}:").format(name=name) in text_of(client.get(letter_url(case))).splitlines()
        client.force_login(clerk)
        lines = text_of(client.get(letter_url(case))).splitlines()
        assert t("{name}:").format(name=t("Petitioner")) in lines and not any("刘" in line for line in lines)


def test_unknown_stage_or_missing_reply_is_not_found(client, clerk, replied_case):
    client.force_login(clerk)
    assert client.get(letter_url(replied_case, "review")).status_code == 404
    assert client.get(letter_url(replied_case, "nonsense")).status_code == 404


@pytest.mark.parametrize(("persona", "code"), [("no_perm_user", 403), ("other_unit_clerk", 404), ("handler", 200)])
def test_letter_access(client, request, persona, code, replied_case):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(letter_url(replied_case)).status_code == code


def test_letter_needs_login(client, replied_case):
    response = client.get(letter_url(replied_case))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_case_page_links_the_letter(client, clerk, replied_case):
    client.force_login(clerk)
    page = client.get(replied_case.get_absolute_url()).content.decode()
    assert 'id="documents"' in page and letter_url(replied_case).replace("&", "&amp;") in page
    # Under the letter's own title, the one printed on it.
    assert ">信访事项处理意见书（Word）</a>" in page


# Who signs -------------------------------------------------------------------------------------------------


def test_letter_is_headed_and_signed_by_the_handling_unit_not_the_group(client, clerk, replied_case):
    client.force_login(clerk)
    lines = text_of(client.get(letter_url(replied_case))).splitlines()
    assert lines[0] == "甲公司一厂"  # the branch that handled the matter heads the letter …
    assert lines[-2:] == ["甲公司一厂", "2026年11月24日"]  # … and signs it
    assert not any("测试集团" in line for line in lines)  # the group decided nothing here


@pytest.mark.parametrize(("unit", "signatory"), [("a_workshop", "甲公司一厂"), ("a_office", "甲公司")])
def test_a_department_signs_as_its_company_or_branch(
    client, clerk, make_case, office, leader, handler, org, unit, signatory
):
    case = assigned_case(make_case, office, leader, handler, org[unit])
    case_reply(case=case, actor=handler, text=REPLY)
    client.force_login(clerk)
    lines = text_of(client.get(letter_url(case))).splitlines()
    assert lines[0] == signatory and lines[-2] == signatory
    assert org[unit].name not in (lines[0], lines[-2])


def test_a_group_handled_letter_carries_the_configured_organisation_name(
    client, settings, clerk, make_case, office, leader, handler, org
):
    settings.HUIYIN_ORGANISATION_NAME = "某某能源集团有限公司"
    case = assigned_case(make_case, office, leader, handler, org["group"])
    case_reply(case=case, actor=handler, text="答复")
    client.force_login(clerk)
    lines = text_of(client.get(letter_url(case))).splitlines()
    assert lines[0] == lines[-2] == "某某能源集团有限公司"
    # Nothing above the group in the tree: the letter names the superior as the regulation does.
    assert t("the authority one level above the unit that handled the matter") in "\n".join(lines)


def test_formal_names(org):
    from huiyin.org.services import unit_create

    port = unit_create(name="港口储运分公司", code="A-PORT", kind="branch", parent=org["a"])
    assert unit_formal_name(port) == "甲公司港口储运分公司"  # a 分公司 carries its company's name
    assert unit_formal_name(org["a_plant"]) == "甲公司一厂"
    mine = unit_create(name="黑石岭煤矿", code="A-MINE", kind="branch", parent=org["a"])
    assert unit_formal_name(mine) == "甲公司黑石岭煤矿"


def test_a_discipline_matter_is_signed_by_the_discipline_office(client, clerk, make_case, office, discipline, org):
    from huiyin.org.services import unit_create

    office_a = unit_create(name="纪委办公室", code="A-DISC", kind="department", parent=org["a"])
    unit_create(name="纪委办公室", code="G-DISC", kind="department", parent=org["group"])
    case = assigned_case(make_case, office, discipline, discipline, office_a, type="accusation")
    case_reply(case=case, actor=discipline, text="举报人：\n现将核查处理情况反馈如下：\n反映问题属实，已作处理。")
    client.force_login(discipline)
    text = text_of(client.get(letter_url(case)))
    lines = text.splitlines()
    assert lines[0] == lines[-2] == "甲公司纪委办公室"  # the discipline body answers, not the company
    assert "举报人：" not in lines and "答复如下" not in text  # the reply's own opening, no salutation twice
    assert "测试集团纪委办公室" in text  # reviewed by the discipline body one level up


# Said once ----------------------------------------------------------------------------------------------


def test_a_reply_signed_by_the_handler_gets_one_signature(client, clerk, replied_case):
    reply_as(replied_case, REPLY + "\n甲公司一厂\n2026年11月23日")
    client.force_login(clerk)
    paragraphs = text_of(client.get(letter_url(replied_case))).splitlines()
    assert paragraphs.count("甲公司一厂") == 2  # the letterhead and the one signature
    assert paragraphs[-2:] == ["甲公司一厂", "2026年11月24日"]  # the date the reply was issued
    assert "2026年11月23日" not in paragraphs


def test_a_handler_signature_naming_another_unit_is_not_a_second_signature(client, clerk, replied_case):
    reply_as(replied_case, REPLY + "\n测试集团\n（盖章）\n2026-11-24")
    client.force_login(clerk)
    paragraphs = text_of(client.get(letter_url(replied_case))).splitlines()
    assert not any("测试集团" in p or "盖章" in p for p in paragraphs)
    assert paragraphs.count("2026年11月24日") == 1 and paragraphs[-2] == "甲公司一厂"  # one signature


def test_a_reply_stating_the_right_with_its_body_is_not_doubled(client, clerk, replied_case):
    # Regression (QA walk-through, reply-8.docx): the reply states the right to its own body and signs.
    own = "如对本答复意见不服，可自收到本意见之日起30日内向甲公司信访办公室书面申请复查。"
    reply_as(replied_case, "经核实，8月加班费已于9月补发。\n" + own + "\n甲公司一厂")
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert own in text and text.count("复查") == 1  # one statement of the right …
    assert "甲公司信访办" not in text.replace("甲公司信访办公室", "")  # … to one body, the reply's own
    assert text.count("2026年12月24日") == 1  # the dated deadline, given once
    assert (
        t("Deadline for your next step: {due}{mark}. Time limit under {article}.").format(
            due="2026年12月24日", mark="", article="《信访工作条例》第三十五条"
        )
        in text
    )
    assert reverse("portal:home") not in text
    assert text.splitlines().count("甲公司一厂") == 2


def test_a_reply_stating_a_period_not_in_force_gets_the_right_stated_in_full(client, clerk, replied_case):
    """Found by a helper: a reply saying "15日内" for a review (the rule gives 30 days) was taken as stating the
    right, and the letter added only "期限截止日期为" the day 30 days on: the letter contradicted itself and never
    said the period in force. The right is now stated in full, as on the case page and in the portal."""
    wrong = "如对本答复意见不服，可自收到本意见之日起15日内向甲公司信访办公室书面申请复查。"
    reply_as(replied_case, "经核实，8月加班费已于9月补发。\n" + wrong)
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert wrong in text  # the reply as written …
    assert "30日" in text and "2026年12月24日" in text  # … and the right in force, with its day
    assert (
        t("Deadline for your next step: {due}{mark}. Time limit under {article}.").format(
            due="2026年12月24日", mark="", article="《信访工作条例》第三十五条"
        )
        not in text
    )


def test_a_reply_written_as_a_whole_letter_is_not_doubled(client, clerk, make_case, office, leader, handler, org):
    from huiyin.cases.services import next_right_text

    case = assigned_case(make_case, office, leader, handler, org["a_plant"])
    with translation.override(settings.LANGUAGE_CODE):
        right = next_right_text(stage="first", due=None)
    case_reply(
        case=case,
        actor=handler,
        text=f"信访人：\n您反映的加班费问题，经调查核实，现答复如下：\n一、加班费已于9月补发。\n{right}",
    )
    client.force_login(clerk)
    text = text_of(client.get(letter_url(case)))
    assert text.splitlines().count("信访人：") == 1  # the letter's own salutation only
    assert text.count("答复如下") == 1 and text.count(right) == 1
    assert "一、加班费已于9月补发。" in text
    assert text.count("2026年12月24日") == 1  # the dated deadline is still given, once
    if "复查" in right:  # the platform's sentence names no body: the letter says where, once
        assert t("Send the request in writing to {body}.").format(body="甲公司信访办") in text


def test_the_platform_sentence_pasted_with_its_date_is_not_repeated(client, clerk, replied_case):
    # Regression (QA walk-through, reply-361.docx): "可于 2026-12-24 前…申请复查。上述期限截止日期为2026-12-24".
    from huiyin.cases.services import next_right_text

    with translation.override(settings.LANGUAGE_CODE):
        pasted = next_right_text(stage="first", due=date(2026, 12, 24))
    reply_as(replied_case, REPLY + "\n" + pasted)
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert not ISO_DATE.search(text)  # the pasted ISO date is written the Chinese way …
    if "复查" in pasted:
        assert text.count("2026年12月24日") == 1  # … and not stated a second time
        assert text.count("复查") == 1


def test_the_letter_states_the_deadline_once(client, clerk, replied_case):
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert text.count("2026年12月24日") == 1
    assert replied_case.replies.get().next_right not in text  # not the platform's sentence as well


def test_the_word_review_alone_does_not_hide_the_right(client, clerk, replied_case):
    reply_as(replied_case, "经复查考勤记录，8月加班费已于9月补发。")
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert review_sentence("a review", "甲公司信访办", "2026年12月24日") in text


def test_a_heading_is_not_taken_for_a_salutation(client, clerk, replied_case):
    reply_as(replied_case, "一、调查核实情况：\n8月加班费已于9月补发。")
    client.force_login(clerk)
    assert "一、调查核实情况：" in text_of(client.get(letter_url(replied_case))).splitlines()


# Dates, address, portal -------------------------------------------------------------------------------


def test_dates_are_written_the_chinese_way():
    assert letter_date(date(2026, 1, 5)) == "2026年1月5日"
    assert letter_date(date(2026, 12, 24)) == "2026年12月24日"
    assert chinese_dates("可于 2026-01-05 前申请") == "可于2026年1月5日前申请"
    assert chinese_dates("编号2026-000001，2026-13-40") == "编号2026-000001，2026-13-40"


def test_no_iso_date_anywhere_in_the_letter(client, clerk, replied_case):
    reply_as(replied_case, REPLY + "\n补发日期：2026-09-15。")
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert not ISO_DATE.search(text)
    assert "2026年9月15日" in text and "2026年11月24日" in text  # the reply's date and the petition's


def test_the_letter_itself_addresses_the_petitioner_one_way(client, clerk, replied_case):
    client.force_login(clerk)
    paragraphs = text_of(client.get(letter_url(replied_case))).splitlines()
    own = [p for p in paragraphs if p not in REPLY.splitlines()]
    assert not any("你" in p for p in own)  # 您 throughout what the letter writes


@pytest.mark.parametrize("site", ["http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]:8000"])
def test_a_loopback_site_url_is_not_printed(client, settings, clerk, replied_case, site):
    settings.HUIYIN_SITE_URL = site
    with_receipt(replied_case)
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert "127.0.0.1" not in text and "localhost" not in text and "::1" not in text
    assert reverse("portal:home") not in text
    assert t("The request can also be made on the employee portal.") in text


def test_a_real_site_url_is_printed(client, settings, clerk, replied_case):
    settings.HUIYIN_SITE_URL = "https://xinfang.example.com"
    with_receipt(replied_case)
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert "https://xinfang.example.com" + reverse("portal:home") in text


# Stages ------------------------------------------------------------------------------------------------


def test_review_and_recheck_letters(
    client,
    clerk,
    replied_case,
    office,
    group_office,
    review_leader,
    review_handler,
    group_leader,
    group_handler,
    org,
):
    """Regression (QA walk-through): the review opinion went out under the unit whose decision was reviewed and
    sent the petitioner for 复核 to the body the first letter had named for 复查."""
    from huiyin.cases.services import case_assign, case_next_stage_request, next_right_text

    with_receipt(replied_case)
    stages = (
        (office, org["a"], review_leader, review_handler, "复查意见：维持。"),  # 一厂's superior reviews
        (group_office, org["group"], group_leader, group_handler, "复核意见：维持。"),  # 甲公司's superior re-reviews
    )
    for actor, unit, leader, handler, stage_reply in stages:
        case_next_stage_request(case=replied_case, actor=clerk, reason="不服")
        case_assign(case=replied_case, actor=actor, handling_unit=unit, leader=leader, team=[handler], plan="复查")
        case_reply(case=replied_case, actor=handler, text=stage_reply)
    client.force_login(clerk)
    first = text_of(client.get(letter_url(replied_case))).splitlines()
    review = text_of(client.get(letter_url(replied_case, "review"))).splitlines()
    assert first[0] == first[-2] == "甲公司一厂"  # printed again now, the first letter is still the first handler's
    assert review_sentence("a review", "甲公司信访办", "2026年12月24日") + portal_sentence() in first
    assert review[:2] == ["甲公司", t("Review opinion on a petition")]  # the reviewer, 甲公司, issues it …
    assert "复查意见：维持。" in review and review[-2] == "甲公司"  # … and signs it
    assert not any("甲公司一厂" in line for line in review)
    assert (
        t(
            "We received your request of {date} for a review of the handling opinion on the petition “{subject}”. "
            "Having reviewed the matter, we give our review opinion as follows:"
        ).format(date="2026年11月24日", subject=replied_case.subject)
        in review
    )
    # A re-review goes to the reviewer's superior, not to 甲公司信访办 again: the group, which has no petition office
    # unit here.
    body = t("the petition office of {organisation}").format(organisation="测试集团")
    assert (
        review_sentence("a re-review", body, "2026年12月24日", "《信访工作条例》第三十六条") + portal_sentence()
        in review
    )
    assert not any("甲公司信访办" in line for line in review)
    recheck = text_of(client.get(letter_url(replied_case, "recheck")))
    with translation.override(settings.LANGUAGE_CODE):
        final = next_right_text(stage="recheck", due=None)
    assert recheck.splitlines()[0] == recheck.splitlines()[-2] == "测试集团"  # the group re-reviewed
    assert "复核意见：维持。" in recheck and recheck.count(final) == 1
    assert (
        t(
            "We received your request of {date} for a re-review of the review opinion on the petition “{subject}”. "
            "Having re-reviewed the matter, we give our re-review opinion as follows:"
        ).format(date="2026年11月24日", subject=replied_case.subject)
        in recheck
    )
    assert reverse("portal:home") not in recheck  # the re-review opinion is final: nothing more to request


def test_the_body_named_for_the_review_is_the_one_the_review_is_assigned_to(
    client, clerk, make_case, office, leader, handler, org
):
    """A department handles for its branch or company, which signs: the letter sends the petitioner to the body
    above that one, and the review's assign form proposes the same body."""
    from huiyin.cases.actions import ACTIONS
    from huiyin.cases.services import case_next_stage_request, case_rate

    case = assigned_case(make_case, office, leader, handler, org["a_workshop"])
    case_reply(case=case, actor=handler, text=REPLY)
    client.force_login(clerk)
    text = text_of(client.get(letter_url(case)))
    assert text.splitlines()[0] == "甲公司一厂"
    assert review_sentence("a review", "甲公司信访办", "2026年12月24日") in text
    case_rate(case=case, actor=clerk, rating="dissatisfied")
    case_next_stage_request(case=case, actor=clerk, reason="不服")
    case.refresh_from_db()
    assert ACTIONS["assign"].make_form(case, office)["handling_unit"].value() == org["a"].pk


def test_a_subject_written_as_a_matter_is_not_wrapped_twice(
    client, clerk, make_case, office, leader, handler, review_leader, review_handler, org
):
    """Regression (QA walk-through): "关于“关于一厂加班费的反映”问题的复查请求"."""
    from huiyin.cases.services import case_assign, case_next_stage_request, case_rate

    subject = "关于一厂拖欠8月加班费的反映。"
    case = assigned_case(make_case, office, leader, handler, org["a_plant"], subject=subject)
    case_reply(case=case, actor=handler, text=REPLY)
    case_rate(case=case, actor=clerk, rating="dissatisfied")
    case_next_stage_request(case=case, actor=clerk, reason="不服")
    case_assign(
        case=case, actor=office, handling_unit=org["a"], leader=review_leader, team=[review_handler], plan="复查"
    )
    case_reply(case=case, actor=review_handler, text="复查意见：维持。")
    client.force_login(clerk)
    openings = {
        "first": t(
            "We received the petition “{subject}” you made on {date}. Having investigated, we reply as follows:"
        ),
        "review": t(
            "We received your request of {date} for a review of the handling opinion on the petition “{subject}”. "
            "Having reviewed the matter, we give our review opinion as follows:"
        ),
    }
    for stage, opening in openings.items():
        # The subject is quoted as the matter's name, without its full stop; the sentence adds no 关于 of its own.
        assert "关于" not in opening
        lines = text_of(client.get(letter_url(case, stage))).splitlines()
        assert lines[4] == opening.format(date="2026年11月24日", subject="关于一厂拖欠8月加班费的反映")
        assert not any("关于“关于" in line or "反映。”" in line for line in lines)


# Paper ----------------------------------------------------------------------------------------------------


def test_page_is_a4_with_official_margins(client, clerk, replied_case):
    client.force_login(clerk)
    section = document_of(client.get(letter_url(replied_case))).sections[0]
    tolerance = Mm(0.5)
    assert abs(section.page_width - Mm(210)) < tolerance and abs(section.page_height - Mm(297)) < tolerance
    for margin, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(getattr(section, f"{margin}_margin") - Mm(mm)) < tolerance, margin


def test_fonts_sizes_and_line_pitch(client, clerk, replied_case):
    client.force_login(clerk)
    document = document_of(client.get(letter_url(replied_case)))
    normal = document.styles["Normal"]
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
    assert normal.font.size == Pt(16)
    title = document.paragraphs[1]
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    for paragraph in document.paragraphs[2:]:
        run = paragraph.runs[0]
        assert run.font.size == Pt(16) and run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
        assert paragraph.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert Pt(28) <= paragraph.paragraph_format.line_spacing <= Pt(29)
    font_table = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    assert "仿宋".encode() in font_table.blob and "宋体".encode() in font_table.blob


def test_no_blank_paragraphs(client, clerk, replied_case):
    client.force_login(clerk)
    document = document_of(client.get(letter_url(replied_case)))
    assert all(p.text.strip() for p in document.paragraphs)


def test_a_shortened_period_is_the_one_the_letter_and_the_reply_state(
    client, clerk, make_case, office, leader, handler, org
):
    """Found while building the reply check: the platform's sentences said 30 days whatever the profile, while
    a profile that shortens the period counts the deadline by its own (the letter would contradict itself)."""
    from huiyin.workflow.models import RuleProfile
    from huiyin.workflow.services import rule_profile_save

    rule_profile_save(profile=RuleProfile(name="acme-2026", rules={"review_request": 15}, lane="general", active=True))
    case = assigned_case(make_case, office, leader, handler, org["a_plant"])
    reply = case_reply(case=case, actor=leader, text="经核实，加班费已补发。依据《工资支付暂行规定》第七条。")
    assert "15日" in reply.next_right and "30日" not in reply.next_right
    client.force_login(clerk)
    text = text_of(client.get(letter_url(case)))
    assert "自收到本意见之日起15日内" in text and "30日" not in text
