"""What the petitioner sees of their own case: extensions, only their own clocks, overdue in words,
what they sent; receipts typed loosely; staff who sign in on the portal."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.cases.models import Case
from huiyin.cases.services import (
    case_accept,
    case_assign,
    case_attachment_add,
    case_extension_decide,
    case_extension_request,
)
from huiyin.core.dates import date_text
from huiyin.portal import receipts
from huiyin.portal.tests.test_pages import RECEIPT, form_body
from huiyin.workflow.models import Deadline
from huiyin.workflow.services import supervision_open

EXTENSION_REASON = "需调取三年工资台账，核对考勤记录"
DECISION_NOTE = "内部意见：承办人拖延，批评教育"


def _in_handling(case, office, leader, handler, org):
    case_accept(case=case, actor=office)
    case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    case.refresh_from_db()
    return case


def _extend(case, handler, leader, days=20):
    ext = case_extension_request(case=case, actor=handler, days=days, reason=EXTENSION_REASON)
    case_extension_decide(extension=ext, actor=leader, approve=True, note=DECISION_NOTE)
    return Deadline.objects.get(case=case, kind="handle", stage="first")


def _open_with_receipt(client, receipt):
    opened = client.post(reverse("portal:track"), {"receipt": receipt})
    assert opened.status_code == 302 and opened.url == reverse("portal:case")
    return client.get(reverse("portal:case"))


# 1. Extensions ---------------------------------------------------------------------------------


def test_an_approved_extension_is_shown_with_days_due_and_reason(client, api, submitted, office, leader, handler, org):
    case, receipt = submitted
    _in_handling(case, office, leader, handler, org)
    clock = _extend(case, handler, leader)
    assert clock.extension_days == 20

    page = _open_with_receipt(client, receipt).content.decode()
    assert 'id="extensions"' in page
    assert gettext("The handling period was extended") in page
    assert ngettext("%(days)s day", "%(days)s days", 20) % {"days": 20} in page
    assert EXTENSION_REASON in page and date_text(clock.due) in page
    assert DECISION_NOTE not in page and "赵领导" not in page and "张承办" not in page

    data = api.case(receipt).json()
    assert data["extensions"] == [
        {
            "stage": "first",
            "days": 20,
            "reason": EXTENSION_REASON,
            "approved_on": timezone.localdate().isoformat(),
            "due": clock.due.isoformat(),
        }
    ]
    assert DECISION_NOTE not in str(data)


def test_the_named_petitioner_sees_the_extension_too(client, api, employee, office, leader, handler, org):
    client.force_login(employee)
    case_no = api.submit({**form_api_body(), "anonymous": False}, key="named-ext-0001").json()["case_no"]
    case = _in_handling(Case.objects.get(case_no=case_no), office, leader, handler, org)
    clock = _extend(case, handler, leader, days=10)

    page = client.get(reverse("portal:mine_case", args=[case_no])).content.decode()
    assert EXTENSION_REASON in page and date_text(clock.due) in page
    assert api.case(case_no=case_no).json()["extensions"][0]["days"] == 10


def test_a_rejected_or_pending_extension_is_not_shown(client, api, submitted, office, leader, handler, org):
    case, receipt = submitted
    _in_handling(case, office, leader, handler, org)
    case_extension_request(case=case, actor=handler, days=5, reason=EXTENSION_REASON)

    page = _open_with_receipt(client, receipt).content.decode()
    assert 'id="extensions"' not in page and EXTENSION_REASON not in page
    assert api.case(receipt).json()["extensions"] == []


def form_api_body():
    return {"type": "claim", "subject": "我的事项", "content": "内容", "anonymous": True}


# 2. Internal clocks ----------------------------------------------------------------------------


def test_internal_clocks_are_not_shown(client, api, submitted, office, leader, handler, org):
    case, receipt = submitted
    _in_handling(case, office, leader, handler, org)
    today = timezone.localdate()
    supervision_open(
        case=case, actor=office, level="normal", instructions="请书面反馈", feedback_due=today + timedelta(days=9)
    )
    Deadline.objects.create(case=case, kind="forwarded", stage="first", start=today, due=today + timedelta(days=11))
    assert set(case.deadlines.values_list("kind", flat=True)) >= {"supervision", "forwarded", "handle"}

    page = _open_with_receipt(client, receipt).content.decode()
    clocks = page[page.index('id="clocks"') :]
    assert gettext("Handle and reply") in clocks
    assert gettext("Written feedback on supervision") not in page
    assert gettext("Report to the forwarding authority") not in page
    assert date_text(today + timedelta(days=9)) not in page
    assert "请书面反馈" not in page

    rules = {c["rule"] for c in api.case(receipt).json()["clocks"]}
    assert "handle" in rules and not rules & {"supervision", "forwarded"}


# 3. Staff signing in on the portal -------------------------------------------------------------


def test_staff_signing_in_on_the_portal_go_to_the_staff_home(client, handler):
    response = client.post(reverse("portal:login"), {"username": "handler", "password": "pw-Huiyin-2026"})
    assert response.status_code == 302 and response.url == reverse("home")
    # Even when the portal's "My matters" asked for the sign-in.
    client.logout()
    response = client.post(
        f"{reverse('portal:login')}?next={reverse('portal:mine')}",
        {"username": "handler", "password": "pw-Huiyin-2026", "next": reverse("portal:mine")},
    )
    assert response.status_code == 302 and response.url == reverse("home")
    # Already signed in: the portal's sign-in page sends them on too.
    assert client.get(reverse("portal:login")).url == reverse("home")


def test_my_matters_explains_a_staff_account_with_a_link(client, handler):
    client.force_login(handler)
    response = client.get(reverse("portal:mine"))
    html = response.content.decode()
    assert response.status_code == 403 and 'id="staff-account"' in html
    assert gettext("This is a staff account") in html and f'href="{reverse("home")}"' in html
    home = client.get(reverse("portal:home"), follow=True).content.decode()
    assert gettext("Staff site") in home and f'href="{reverse("portal:mine")}"' not in home


def test_petitioners_still_go_to_my_matters(client, employee):
    response = client.post(reverse("portal:login"), {"username": "emp1", "password": "pw-Huiyin-2026"})
    assert response.status_code == 302 and response.url == reverse("portal:mine")
    assert f'href="{reverse("portal:mine")}"' in client.get(reverse("portal:home"), follow=True).content.decode()


# 4. What the petitioner sent -------------------------------------------------------------------


def test_the_case_page_shows_the_petitioners_content_and_files(client, org, handler):
    upload = SimpleUploadedFile("工资条.txt", "8月工资条\n".encode(), content_type="text/plain")
    body = {**form_body(content="食堂午餐从12元涨到18元，没有通知。\n请公开定价依据。"), "attachments": upload}
    receipt = RECEIPT.search(client.post(reverse("portal:home"), body).content.decode()).group(0)
    case = Case.objects.get()
    staff_file = SimpleUploadedFile("内部核查记录.txt", "核查".encode(), content_type="text/plain")
    case_attachment_add(case=case, upload=staff_file, actor=handler)

    page = _open_with_receipt(client, receipt).content.decode()
    assert gettext("What you submitted") in page
    assert "食堂午餐从12元涨到18元，没有通知。" in page and "请公开定价依据。" in page
    assert "工资条.txt" in page
    assert "内部核查记录.txt" not in page  # files added by staff are theirs

    data = client.get("/api/v1/portal/case", HTTP_X_RECEIPT=receipt).json()
    assert data["content"].startswith("食堂午餐") and data["attachments"] == [{"name": "工资条.txt"}]


def test_files_handed_in_with_a_paper_petition_are_the_petitioners_too(make_case, handler):
    from huiyin.portal.selectors import portal_attachment_names

    letter = SimpleUploadedFile("来信扫描件.txt", "来信".encode(), content_type="text/plain")
    case = make_case(uploads=[letter])  # registered by a clerk, with the letter the petitioner handed in
    later = SimpleUploadedFile("内部核查记录.txt", "核查".encode(), content_type="text/plain")
    case_attachment_add(case=case, upload=later, actor=handler, now=timezone.now() + timedelta(minutes=5))

    assert portal_attachment_names(case) == ["来信扫描件.txt"]


def test_rating_and_review_reason_stay_visible_after_a_review_request(client, api, submitted, reply_case):
    case, receipt = submitted
    reply_case(case)
    assert api.post("case/rating", {"rating": "dissatisfied", "comment": "没有补发"}, receipt).status_code == 201
    assert api.post("case/review-request", {"reason": "工资卡上没有看到补发记录。"}, receipt).status_code == 201
    case.refresh_from_db()
    assert case.stage == "review"

    page = _open_with_receipt(client, receipt).content.decode()
    assert 'id="rating-first"' in page and "没有补发" in page
    assert 'id="request-review"' in page and "工资卡上没有看到补发记录。" in page
    assert 'name="rating"' not in page  # read-only: nothing to rate in the review stage yet

    data = api.case(receipt).json()
    assert data["ratings"] == [
        {"stage": "first", "answer_label": gettext("Reply"), "rating": "dissatisfied", "comment": "没有补发"}
    ]
    assert [r["reason"] for r in data["review_requests"]] == ["工资卡上没有看到补发记录。"]
    assert data["review_requests"][0]["kind"] == "review_requested"


def test_the_content_needs_the_same_access_as_before(client, api, submitted, employee2):
    case, receipt = submitted
    wrong = receipt[:-4] + ("AAAA" if not receipt.endswith("AAAA") else "BBBB")
    assert client.post(reverse("portal:track"), {"receipt": wrong}).status_code == 404
    assert client.get(reverse("portal:case"))["Location"] == reverse("portal:track")
    client.force_login(employee2)
    assert client.get(reverse("portal:mine_case", args=[case.case_no])).status_code == 404
    assert api.case(case_no=case.case_no).status_code == 404


# 5. Receipts typed loosely ---------------------------------------------------------------------


def test_receipts_with_spaces_full_width_dashes_and_lower_case_are_accepted():
    secret = "0123456789ABCDEFGHJKMNPQ"
    text = receipts.format_receipt("2026-000042", secret)
    for typed in (
        text.replace("-", " "),
        text.replace("-", "－"),
        text.replace("-", "—"),
        "  " + text.lower() + "  ",
        "２０２６－０００042　" + secret.lower(),
        "2026000042 " + secret,
    ):
        parsed = receipts.parse_receipt(typed)
        assert parsed == receipts.ParsedReceipt(case_no="2026-000042", secret=secret), typed
        assert receipts.case_no_hint(typed) == "2026-000042"
    assert receipts.parse_receipt("2026 000042") is None
    assert receipts.parse_receipt("2026-0000420123456789ABCDEFGHJKMNPQ") is None


def test_tracking_with_a_spaced_receipt_opens_the_case(client, api, submitted):
    case, receipt = submitted
    page = _open_with_receipt(client, "  " + receipt.replace("-", " ").lower() + " ")
    assert page.status_code == 200 and case.case_no in page.content.decode()
    assert api.case(receipt.replace("-", "－")).json()["case_no"] == case.case_no


def test_a_spaced_wrong_receipt_counts_against_its_case_number(api, submitted, settings):
    settings.HUIYIN_RECEIPT_FAILURES_PER_CASE = 2
    case, receipt = submitted
    wrong = (receipt[:-4] + ("AAAA" if not receipt.endswith("AAAA") else "BBBB")).replace("-", " ")
    for _ in range(2):
        assert api.case(wrong).status_code == 404
    assert api.case(receipt).status_code == 429
    denied = AuditRecord.objects.filter(action=AuditAction.ACCESS_DENIED, object_type="portal.receipt")
    assert set(denied.values_list("object_id", flat=True)) == {case.case_no}


def test_follow_this_matter_posts_the_receipt_and_never_puts_it_in_a_url(client, org):
    html = client.post(reverse("portal:home"), form_body()).content.decode()
    receipt = RECEIPT.search(html).group(0)
    secret_part = receipt.split("-", 2)[2]
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html, re.S)
    assert form.group(1) == reverse("portal:track")
    assert f'name="receipt" value="{receipt}"' in form.group(2)
    assert not re.search(r'href="[^"]*' + re.escape(secret_part[:4]), html)

    opened = client.post(reverse("portal:track"), {"receipt": receipt})
    assert opened.status_code == 302 and opened.url == reverse("portal:case")


def test_the_lookup_form_may_be_prefilled_with_the_case_number_only(client, org):
    response = client.get(reverse("portal:track"), {"case_no": "2026-000123"})
    assert 'value="2026-000123-"' in response.content.decode()
    junk = client.get(reverse("portal:track"), {"case_no": '"><script>x</script>'})
    assert junk.status_code == 200 and "<script>x" not in junk.content.decode()


def test_a_replayed_submission_links_to_the_lookup_with_the_case_number(client, org):
    client.post(reverse("portal:home"), form_body())
    again = client.post(reverse("portal:home"), form_body()).content.decode()
    case = Case.objects.get()
    assert f"{reverse('portal:track')}?case_no={case.case_no}" in again


# 6. Overdue in words ---------------------------------------------------------------------------


def test_overdue_is_said_in_words_not_only_in_colour(client, api, submitted):
    case, receipt = submitted
    register = Deadline.objects.get(case=case, kind="register")
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        page = _open_with_receipt(client, receipt).content.decode()
        clock = api.case(receipt).json()["clocks"][0]
    item = re.search(r'<li class="p-late">(.*?)</li>', page, re.S).group(1)
    assert gettext("Overdue") in item and date_text(register.due) in item
    assert clock["rule"] == "register" and clock["overdue"] is True


def test_a_clock_not_yet_due_is_not_overdue(client, api, submitted):
    _case, receipt = submitted
    page = _open_with_receipt(client, receipt).content.decode()
    assert 'class="p-late"' not in page and "p-late-label" not in page
    assert api.case(receipt).json()["clocks"][0]["overdue"] is False
