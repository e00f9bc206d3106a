"""In a browser, on a phone-sized screen: anonymous submission → receipt → the handler replies →
the petitioner reads the reply and rates it (issue #4)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]


@pytest.fixture
def browser_page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.set_default_timeout(15000)
        yield page, errors
        context.close()
        browser.close()


def test_anonymous_submission_reply_and_rating(
    transactional_db, live_server, browser_page, org, office, leader, handler
):
    from django.db import connections

    from huiyin.cases.models import Case, CaseRating
    from huiyin.cases.services import case_accept, case_assign, case_reply
    from huiyin.cases.states import CaseStatus
    from huiyin.portal.knowledge import knowledge_seed
    from huiyin.portal.services import message_to_petitioner

    knowledge_seed()
    page, console_errors = browser_page

    # The employee submits anonymously from a phone.
    page.goto(f"{live_server.url}/portal/")
    assert page.locator(".p-kb").get_by_text("回执码丢了怎么办？").is_visible()
    page.locator("input[name=type][value=claim]").check()
    page.fill("#id_subject", "二车间夜班补贴未发")
    page.fill("#id_content", "二车间10月夜班补贴至今未发放，涉及全班组。")
    page.locator("#id_anonymous").check()
    assert page.locator("#id_contact").is_hidden()  # identity fields hide for an anonymous matter
    shots = os.environ.get("HUIYIN_SCREENSHOTS")
    if shots:
        page.screenshot(path=shots + "/portal_home.png", full_page=True)
    page.locator("form.p-submit button[type=submit]").click()
    if shots:
        page.screenshot(path=shots + "/portal_receipt.png", full_page=True)
    receipt = page.locator("#receipt-code").inner_text().strip()
    case_no = page.locator("#case-no").inner_text().strip()
    assert receipt.startswith(case_no + "-")
    # "Copy" copies the code and says so on the button for a moment.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = page.locator("button[data-copy='#receipt-code']")
    copy.click()
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(copy).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == receipt
    expect(copy).to_have_text("复制", timeout=5000)

    # The handler answers, through the same services the staff pages use.
    case = Case.objects.get(case_no=case_no)
    assert case.anonymous and case.petitioner is None
    case_accept(case=case, actor=office)
    case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实排班")
    message_to_petitioner(case=case, actor=handler, text="已收到，正在核对排班记录。")
    case_reply(case=case, actor=handler, text="经核实，10月夜班补贴已随11月工资补发。")

    # The petitioner comes back with the receipt, reads the reply and rates it.
    page.goto(f"{live_server.url}/portal/track/")
    page.fill("#id_receipt", receipt)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/portal/case/")
    assert "经核实，10月夜班补贴已随11月工资补发。" in page.locator("#reply-first").inner_text()
    assert "正在核对排班记录" in page.locator("#messages").inner_text()
    page.locator("#rate input[name=rating][value=satisfied]").check()
    page.fill("#rate textarea[name=comment]", "问题解决了，谢谢。")
    page.locator("#rate button[type=submit]").click()
    page.wait_for_selector("#rating-first")
    if shots:
        page.screenshot(path=shots + "/portal_case.png", full_page=True)

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert CaseRating.objects.get(case=case).rating == "satisfied"
    assert not [e for e in console_errors if "Content Security Policy" in e or "Refused" in e], console_errors
    # While Playwright's loop runs, the ORM calls above may open their own connection: close it so
    # the test database can be dropped at the end of the run (PostgreSQL refuses while one is open).
    connections.close_all()


def test_a_refused_form_puts_the_focus_on_the_field_and_clears_its_error_when_changed(
    transactional_db, live_server, browser_page, org
):
    """Found in a walk-through: after a refused submit the focus stayed on the page, and an error stayed
    under a field the user had since filled in."""
    page, _errors = browser_page
    page.goto(f"{live_server.url}/portal/")
    page.check("input[name=type][value=claim]")
    page.fill("#id_content", "食堂午餐涨价没有通知。")
    page.evaluate("document.querySelector('form.p-submit').noValidate = true")  # let the server judge
    page.click("form.p-submit button[type=submit]")
    page.wait_for_selector("#id_subject_error")
    assert page.evaluate("document.activeElement.id") == "id_subject"
    assert page.get_attribute("#id_subject", "aria-describedby").split()[-1] == "id_subject_error"
    page.fill("#id_subject", "食堂涨价")
    assert page.locator("#id_subject_error").count() == 0
    assert page.get_attribute("#id_subject", "aria-invalid") is None
    assert "id_subject_error" not in (page.get_attribute("#id_subject", "aria-describedby") or "")
    # The type of matter, a choice of three: choosing one clears its error too.
    page.evaluate("document.querySelectorAll('input[name=type]').forEach((r) => { r.checked = false; })")
    page.click("form.p-submit button[type=submit]")
    page.wait_for_selector("#id_type_error")
    assert page.get_attribute("input[name=type][value=claim]", "aria-describedby") == "id_type_error"
    page.check("input[name=type][value=suggestion]")
    assert page.locator("#id_type_error").count() == 0 and page.locator("#field-type.has-error").count() == 0
