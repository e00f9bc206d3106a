"""Portal pages (employees) and the portal's staff pages, with their permission matrices."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.cases.models import Case
from huiyin.cases.states import CaseStatus
from huiyin.portal.knowledge import knowledge_seed
from huiyin.portal.models import CaseMessage, KnowledgeArticle, Receipt

RECEIPT = re.compile(r"\d{4}-\d{6}(?:-[0-9A-Z]{4}){6}")


def form_body(**overrides):
    body = {
        "idempotency_key": "form-key-000001",
        "type": "claim",
        "subject": "食堂饭菜涨价",
        "content": "食堂午餐从12元涨到18元，没有通知。",
        "anonymous": "on",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def test_home_shows_the_form_and_the_knowledge_base(client, org):
    knowledge_seed()
    KnowledgeArticle.objects.create(slug="draft", title="草稿文章", body="x", published=False)
    response = client.get(reverse("portal:home"), follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="idempotency_key"' in html and 'type="file"' in html
    assert "回执码丢了怎么办？" in html and "草稿文章" not in html
    assert "<script>" not in html and "style=" not in html  # CSP: no inline scripts or styles


def test_knowledge_seed_is_idempotent(db):
    assert knowledge_seed() > 0
    assert knowledge_seed() == 0


def test_anonymous_submission_shows_the_receipt_once(client, org):
    response = client.post(reverse("portal:home"), form_body())

    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    receipt = RECEIPT.search(response.content.decode()).group(0)
    case = Case.objects.get()
    assert receipt.startswith(case.case_no) and case.anonymous and case.petitioner is None

    again = client.post(reverse("portal:home"), form_body())  # a double click or a reload
    assert again.status_code == 200
    assert RECEIPT.search(again.content.decode()) is None and Case.objects.count() == 1


def test_anonymous_submission_drops_identity_fields(client, org):
    client.post(reverse("portal:home"), form_body(name="张三", contact="13900000000"))
    assert Case.objects.get().petitioner is None


def test_named_submission_needs_contact_and_encrypts_it(client, org):
    missing = client.post(reverse("portal:home"), form_body(anonymous=None))
    assert missing.status_code == 400 and not Case.objects.exists()

    client.post(reverse("portal:home"), form_body(anonymous=None, name="张三", contact="13900000000"))
    case = Case.objects.get()
    assert not case.anonymous and case.petitioner.phone == "13900000000"


def test_collective_submission_with_attachment(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("名单.txt", "张三\n李四\n".encode(), content_type="text/plain")
    response = client.post(
        reverse("portal:home"),
        {
            **form_body(anonymous=None, name="张三", contact="139"),
            "collective": "on",
            "headcount": "12",
            "attachments": upload,
        },
    )

    assert response.status_code == 201, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.collective and case.headcount == 12 and case.attachments.count() == 1


def test_track_open_and_talk_with_the_receipt(client, org, handler):
    receipt = RECEIPT.search(client.post(reverse("portal:home"), form_body()).content.decode()).group(0)

    opened = client.post(reverse("portal:track"), {"receipt": receipt.lower()})
    assert opened.status_code == 302 and opened.url == reverse("portal:case")
    page = client.get(reverse("portal:case"))
    assert page.status_code == 200 and "食堂饭菜涨价" in page.content.decode()

    sent = client.post(reverse("portal:case_action", args=["message"]), {"text": "希望尽快答复"})
    assert sent.status_code == 302
    assert CaseMessage.objects.get().text == "希望尽快答复"

    client.post(reverse("portal:leave"))
    assert client.get(reverse("portal:case"))["Location"] == reverse("portal:track")


def test_track_with_a_wrong_receipt(client, org):
    response = client.post(reverse("portal:track"), {"receipt": "2026-000001-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"})
    assert response.status_code == 404
    assert client.get(reverse("portal:case"))["Location"] == reverse("portal:track")


def test_track_is_throttled(client, org, settings):
    settings.HUIYIN_RECEIPT_FAILURES_GLOBAL = 2
    for _ in range(2):
        client.post(reverse("portal:track"), {"receipt": "2026-000001-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"})
    response = client.post(reverse("portal:track"), {"receipt": "2026-000002-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"})
    assert response.status_code == 429 and response.headers["Retry-After"]


def test_a_reissued_receipt_ends_the_old_session(client, org, clerk):
    from huiyin.portal.services import receipt_issue

    receipt = RECEIPT.search(client.post(reverse("portal:home"), form_body()).content.decode()).group(0)
    client.post(reverse("portal:track"), {"receipt": receipt})
    receipt_issue(case=Case.objects.get(), actor=clerk, reason="补办")
    # The session ends; this browser proved the old code, so it is told why (test_receipt_replaced.py).
    response = client.get(reverse("portal:case"))
    assert response.status_code == 302 and response.url == reverse("portal:track")
    assert client.get(reverse("portal:case"))["Location"] == reverse("portal:track")


def test_rate_and_review_on_the_page(client, org, reply_case):
    receipt = RECEIPT.search(client.post(reverse("portal:home"), form_body()).content.decode()).group(0)
    case = Case.objects.get()
    reply_case(case)
    client.post(reverse("portal:track"), {"receipt": receipt})
    page = client.get(reverse("portal:case")).content.decode()
    assert "经核实" in page and 'name="rating"' in page

    assert (
        client.post(
            reverse("portal:case_action", args=["rate"]), {"rating": "satisfied", "comment": "谢谢"}
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    bad = client.post(reverse("portal:case_action", args=["rate"]), {"rating": "satisfied"})
    assert bad.status_code == 400


# Named petitioners -----------------------------------------------------------------------------


def test_named_petitioner_signs_in_and_sees_only_own_cases(client, org, employee, employee2, api):
    client.force_login(employee)
    mine = api.submit(
        {"type": "claim", "subject": "我的事项", "content": "内容", "anonymous": False}, key="named-key-0001"
    )
    assert mine.status_code == 201
    case = Case.objects.get(case_no=mine.json()["case_no"])
    assert case.petitioner.account == employee and case.petitioner.name == "陈职工"
    assert client.get(reverse("portal:mine")).content.decode().count(case.case_no) >= 1
    assert client.get(reverse("portal:mine_case", args=[case.case_no])).status_code == 200
    assert api.case(case_no=case.case_no).json()["case_no"] == case.case_no
    assert [c["case_no"] for c in client.get("/api/v1/portal/cases").json()] == [case.case_no]
    anonymous = api.submit(
        {"type": "claim", "subject": "匿名", "content": "内容", "anonymous": True}, key="named-key-0002"
    )
    assert Case.objects.get(case_no=anonymous.json()["case_no"]).petitioner is None  # never linked

    client.force_login(employee2)
    assert case.case_no not in client.get(reverse("portal:mine")).content.decode()
    assert client.get(reverse("portal:mine_case", args=[case.case_no])).status_code == 404
    assert api.case(case_no=case.case_no).status_code == 404
    assert api.post("case/messages", {"text": "x"}, query=f"?case_no={case.case_no}").status_code == 404
    assert client.get("/api/v1/portal/cases").json() == []


def test_named_petitioner_writes_from_their_case_page(client, org, employee, api):
    client.force_login(employee)
    case_no = api.submit(
        {"type": "suggestion", "subject": "建议", "content": "内容", "anonymous": False}, key="named-key-0003"
    ).json()["case_no"]
    response = client.post(reverse("portal:mine_case_action", args=[case_no, "message"]), {"text": "补充材料"})
    assert response.status_code == 302 and CaseMessage.objects.get().text == "补充材料"


def test_portal_sign_in_is_throttled_per_account(client, org, employee, settings):
    settings.HUIYIN_PORTAL_LOGIN_FAILURES = 2
    for _ in range(2):
        assert client.post(reverse("portal:login"), {"username": "emp1", "password": "wrong"}).status_code == 200
    blocked = client.post(reverse("portal:login"), {"username": "emp1", "password": "pw-Huiyin-2026"})
    assert blocked.status_code == 429 and "_auth_user_id" not in client.session
    ok = client.post(reverse("portal:login"), {"username": "emp2", "password": "wrong"})
    assert ok.status_code == 200  # another account is not affected
    assert AuditRecord.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 3


def test_portal_sign_in_works(client, org, employee):
    response = client.post(reverse("portal:login"), {"username": "emp1", "password": "pw-Huiyin-2026"})
    assert response.status_code == 302 and response.url == reverse("portal:mine")


def test_mine_needs_the_portal_role(client, org, handler):
    assert client.get(reverse("portal:mine")).status_code == 302
    client.force_login(handler)
    assert client.get(reverse("portal:mine")).status_code == 403


# Staff pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "code"),
    [("anon", 302), ("handler", 403), ("other_unit_clerk", 404), ("clerk", 200), ("office", 200)],
)
def test_receipt_slip_permission_matrix(client, request, case, persona, code):
    if persona != "anon":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("portal:receipt_slip", args=[case.case_no])).status_code == code


def test_clerk_prints_and_reissues_a_receipt_slip(client, case, clerk, api):
    client.force_login(clerk)
    detail = client.get(case.get_absolute_url()).content.decode()
    assert reverse("portal:receipt_slip", args=[case.case_no]) in detail  # the panel on the case page

    slip = client.post(reverse("portal:receipt_slip", args=[case.case_no]))
    assert slip.status_code == 200 and slip.headers["Cache-Control"] == "no-store"
    first = RECEIPT.search(slip.content.decode()).group(0)
    assert api.case(first).status_code == 200

    no_reason = client.post(reverse("portal:receipt_slip", args=[case.case_no]))
    assert no_reason.status_code == 400
    second = RECEIPT.search(
        client.post(reverse("portal:receipt_slip", args=[case.case_no]), {"reason": "信访人遗失回执"}).content.decode()
    ).group(0)
    assert api.case(first).status_code == 404 and api.case(second).status_code == 200
    assert Receipt.objects.filter(case=case, revoked_at__isnull=True).count() == 1
    assert AuditRecord.objects.filter(action=AuditAction.RECEIPT_ISSUE).count() == 2


def test_registering_clerk_prints_the_slip_of_an_accusation_they_cannot_see(client, make_case, clerk):
    report = make_case(type="accusation", subject="检举某科长收受好处", anonymous=True, petitioner=None)
    client.force_login(clerk)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.post(reverse("portal:receipt_slip", args=[report.case_no])).status_code == 200
    # Only the first slip: re-issuing needs someone who can see the case.
    assert client.get(reverse("portal:receipt_slip", args=[report.case_no])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "code"), [("anon", 302), ("handler", 403), ("clerk", 403), ("office", 200), ("discipline", 200)]
)
def test_retaliation_list_permission_matrix(client, request, org, persona, code):
    if persona != "anon":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("portal:retaliation")).status_code == code


def test_handler_messages_the_petitioner_from_the_case_page(client, org, api, in_handling_case, handler):
    from huiyin.portal.services import receipt_issue

    receipt = receipt_issue(case=in_handling_case, actor=handler)
    client.force_login(handler)
    page = client.get(in_handling_case.get_absolute_url()).content.decode()
    assert 'data-action="message_petitioner"' in page and 'id="portal-messages"' in page

    response = client.post(
        reverse("cases:action", args=[in_handling_case.pk, "message_petitioner"]), {"text": "请补充考勤记录"}
    )

    assert response.status_code == 302
    assert api.case(receipt).json()["messages"][0] == {
        "from": "staff",
        "text": "请补充考勤记录",
        "at": timezone.localtime(CaseMessage.objects.get().at).isoformat(timespec="seconds"),
    }


def test_message_action_needs_a_reachable_petitioner(client, in_handling_case, handler):
    client.force_login(handler)
    page = client.get(in_handling_case.get_absolute_url()).content.decode()
    assert 'data-action="message_petitioner"' not in page


def test_a_refused_form_opens_at_the_form_and_its_address_leads_back(client, org, reply_case):
    """The rating sent without a choice comes back scrolled to the rating form, not to the top of a long page,
    and opening the address the form was sent to leads to the matter's page instead of a bare 405."""
    receipt = RECEIPT.search(client.post(reverse("portal:home"), form_body()).content.decode()).group(0)
    reply_case(Case.objects.get())
    client.post(reverse("portal:track"), {"receipt": receipt})

    page = client.get(reverse("portal:case")).content.decode()
    for action, anchor in (("rate", "rate"), ("review", "review"), ("message", "messages")):
        if f"{action}/#" in page:
            assert f'action="{reverse("portal:case")}{action}/#{anchor}"' in page and f'id="{anchor}"' in page
    assert f'action="{reverse("portal:case")}rate/#rate"' in page

    refused = client.post(reverse("portal:case_action", args=["rate"]), {"comment": "没选"})
    assert refused.status_code == 400 and 'id="rate"' in refused.content.decode()

    opened = client.get(reverse("portal:case_action", args=["rate"]))
    assert opened.status_code == 302 and opened.url == reverse("portal:case")
    assert client.put(reverse("portal:case_action", args=["rate"])).status_code == 405


def test_the_portal_reports_a_refused_file_with_the_other_errors(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile("材料.exe", b"MZ\x90\x00\x03" + b"\x00" * 200)
    response = client.post(reverse("portal:home"), {**form_body(subject=""), "attachments": [exe]})

    html = response.content.decode()
    assert response.status_code == 400 and not Case.objects.exists()
    assert "“材料.exe”" in html and "不接受此类文件" in html
    assert "这个字段是必填项" in html or "此项为必填项" in html


def test_a_matter_page_after_the_session_ended_asks_for_the_code_again(client, org, settings):
    """A bookmark, or a page left open: the lookup page asks for the code (not a bare "not found"),
    and a message written meanwhile is said not to have been received."""
    receipt = RECEIPT.search(client.post(reverse("portal:home"), form_body()).content.decode()).group(0)
    client.post(reverse("portal:track"), {"receipt": receipt})
    settings.HUIYIN_PORTAL_SESSION_SECONDS = -1  # the session's matter has timed out
    page = client.get(reverse("portal:case"), follow=True)
    assert page.redirect_chain == [(reverse("portal:track"), 302)]
    assert "请输入该事项的回执码" in page.content.decode()
    sent = client.post(reverse("portal:case_action", args=["message"]), {"text": "希望尽快答复"}, follow=True)
    assert sent.redirect_chain == [(reverse("portal:track"), 302)]
    assert not CaseMessage.objects.exists()
    html = sent.content.decode()
    assert "刚才发送的内容没有收到" in html


@pytest.mark.parametrize(
    ("headcount", "error"),
    [("1", "确保该值大于或等于2"), ("999999", "确保该值小于或等于100000"), ("", "共有多少人反映？")],
)
def test_a_collective_headcount_gets_one_error_that_fits(client, org, headcount, error):
    response = client.post(reverse("portal:home"), form_body(collective="on", headcount=headcount))
    assert response.status_code == 400
    errors = re.search(r'<div id="id_headcount_error" role="alert">(.*?)</div>', response.content.decode()).group(1)
    assert error in errors and errors.count("<p") == 1, errors
    assert not Case.objects.exists()
