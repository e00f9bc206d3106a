"""The Word reply letter: case number, the reply, the next right and its deadline, never the identity."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.cases.services import case_reply
from huiyin.workflow.services import holiday_schedule_load
from huiyin.workflow.tests.conftest import SCHEDULE_2027


def letter_url(case, stage="first"):
    return reverse("documents:reply_letter", args=[case.pk]) + f"?stage={stage}"


def text_of(response) -> str:
    document = Document(io.BytesIO(response.content))
    return "\n".join(p.text for p in document.paragraphs)


def t(message: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def test_letter_carries_case_number_reply_next_right_and_deadline(client, clerk, replied_case):
    client.force_login(clerk)
    response = client.get(letter_url(replied_case))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert f'filename="reply-{replied_case.case_no}-first.docx"' in response["Content-Disposition"]
    text = text_of(response)
    assert replied_case.case_no in text
    assert "经核实，8月加班费已于9月补发。" in text and "依据《工资支付暂行规定》第十三条。" in text
    assert "2026-12-24" in text  # 30 days to request a review
    assert "第三十五条" in text  # the article that sets the limit
    assert t(" (provisional)") not in text
    assert "测试集团" in text  # the letterhead: the group at the root of the case's unit
    how = t(
        "Send the request in writing to the petition office of {organisation}, or on the employee portal ({portal})."
    ).format(organisation="测试集团", portal=settings.HUIYIN_SITE_URL.rstrip("/") + reverse("portal:home"))
    assert how in text  # where and how to use the right, not only that it exists


def test_letter_does_not_unseal_the_identity(client, clerk, replied_case):
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert "刘某某" not in text and "13800001111" not in text
    assert "刘**" in text
    assert not AuditRecord.objects.filter(action=AuditAction.IDENTITY_VIEW).exists()


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
    assert "2027-01-11" in text and t(" (provisional)") in text
    holiday_schedule_load(year=2027, text=SCHEDULE_2027)
    text = text_of(client.get(letter_url(in_handling_case)))
    assert "2027-01-11" in text and t(" (provisional)") not in text


def test_organisation_setting_and_anonymous_addressee(client, settings, clerk, make_case, office, leader, handler, org):
    from huiyin.cases.services import case_accept, case_assign

    settings.HUIYIN_ORGANISATION_NAME = "某某能源集团有限公司"
    case = make_case(anonymous=True, petitioner=None)
    case_accept(case=case, actor=office)
    case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    case_reply(case=case, actor=handler, text="答复")
    client.force_login(clerk)
    text = text_of(client.get(letter_url(case)))
    assert "某某能源集团有限公司" in text and t("Petitioner") in text
    assert reverse("portal:home") in text and "某某能源集团有限公司" in text.split(t("Petitioner"))[-1]


def test_east_asian_font_is_set(client, clerk, replied_case):
    client.force_login(clerk)
    document = Document(io.BytesIO(client.get(letter_url(replied_case)).content))
    rfonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    font_table = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    assert "宋体".encode() in font_table.blob


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


def test_review_and_recheck_letters(client, clerk, replied_case, office, leader, handler, org):
    from huiyin.cases.services import case_assign, case_next_stage_request, next_right_text

    for stage_reply in ("复查意见：维持。", "复核意见：维持。"):
        case_next_stage_request(case=replied_case, actor=clerk, reason="不服")
        case_assign(case=replied_case, actor=office, handling_unit=org["a"], leader=leader, team=[handler], plan="复查")
        case_reply(case=replied_case, actor=handler, text=stage_reply)
    client.force_login(clerk)
    review = text_of(client.get(letter_url(replied_case, "review")))
    assert "复查意见：维持。" in review and "2026-12-24" in review and "第三十六条" in review
    recheck = text_of(client.get(letter_url(replied_case, "recheck")))
    with translation.override(settings.LANGUAGE_CODE):
        final = next_right_text(stage="recheck", due=None)
    assert "复核意见：维持。" in recheck and final in recheck
    assert reverse("portal:home") not in recheck  # the re-review opinion is final: nothing more to request


def test_a_reply_written_as_a_whole_letter_is_not_doubled(client, clerk, make_case, office, leader, handler, org):
    from huiyin.cases.services import case_accept, case_assign, next_right_text

    case = make_case()
    case_accept(case=case, actor=office)
    case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    with translation.override(settings.LANGUAGE_CODE):
        right = next_right_text(stage="first", due=None)
    case_reply(
        case=case,
        actor=handler,
        text=f"信访人：\n您反映的加班费问题，经调查核实，现答复如下：\n一、加班费已于9月补发。\n{right}",
    )
    client.force_login(clerk)
    text = text_of(client.get(letter_url(case)))
    assert "信访人：" not in text  # the letter's own salutation only
    assert text.count("答复如下") == 1 and text.count(right) == 1
    assert "一、加班费已于9月补发。" in text
    assert "2026-12-24" in text or t(" (provisional)") in text  # the dated deadline is still given


def test_a_reply_stating_the_right_in_its_own_words_is_not_doubled(client, clerk, replied_case):
    own = "如对本答复意见不服，可自收到本意见之日起30日内向信访办公室书面申请复查。"
    replied_case.replies.update(text="经核实，8月加班费已于9月补发。\n" + own)
    client.force_login(clerk)
    text = text_of(client.get(letter_url(replied_case)))
    assert own in text and "2026-12-24" in text
    portal = settings.HUIYIN_SITE_URL.rstrip("/") + reverse("portal:home")
    named = t(
        "Send the request in writing to the petition office of {organisation}, or on the employee portal ({portal})."
    ).format(organisation="测试集团", portal=portal)
    assert named not in text  # the reply named where to send it: no second, possibly other, body
    assert t("The request can also be made on the employee portal ({portal}).").format(portal=portal) in text
    with translation.override(settings.LANGUAGE_CODE):
        from huiyin.documents.letters import next_right_for

        assert next_right_for(replied_case.replies.get()).text not in text
