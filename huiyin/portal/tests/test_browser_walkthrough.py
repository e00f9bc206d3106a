"""The QA walk-through, in Chromium on a phone-sized screen: what only a browser shows.

Back after submitting (the browser fetches the never-stored form again and restores what was typed),
the colour of invalid fields, and the receipt slip on paper.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from huiyin.portal.tests.test_browser_portal import CHROMIUM, browser_page  # noqa: F401  (fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]


def _fill(page):
    page.locator("input[name=type][value=claim]").check()
    page.fill("#id_subject", "二车间夜班补贴未发")
    page.fill("#id_content", "二车间10月夜班补贴至今未发放。")
    page.locator("#id_anonymous").check()


def test_back_then_submit_again_makes_no_second_case(transactional_db, live_server, browser_page, org):  # noqa: F811
    from django.db import connections

    from huiyin.cases.models import Case

    page, _errors = browser_page
    page.goto(f"{live_server.url}/portal/")
    _fill(page)
    page.locator("form.p-submit button[type=submit]").click()
    case_no = page.locator("#case-no").inner_text().strip()

    page.go_back()
    page.wait_for_selector("form.p-submit")
    assert page.locator("#id_subject").input_value() == "二车间夜班补贴未发"  # restored by the browser
    page.locator("form.p-submit button[type=submit]").click()
    page.wait_for_selector(".p-receipt-card")

    assert page.locator("#receipt-code").count() == 0  # the "already submitted" answer, as for a reload
    assert case_no in page.locator(".p-receipt-card").inner_text()
    assert list(Case.objects.values_list("case_no", flat=True)) == [case_no]

    # A genuinely new matter still goes through, from "Submit another matter".
    page.locator("#submit-another").click()
    page.wait_for_selector("form.p-submit")
    _fill(page)
    page.fill("#id_subject", "澡堂热水不足")
    page.locator("form.p-submit button[type=submit]").click()
    page.wait_for_selector("#receipt-code")
    assert Case.objects.count() == 2
    connections.close_all()


def test_invalid_subject_and_content_are_drawn_alike(transactional_db, live_server, browser_page, org):  # noqa: F811
    from django.db import connections

    page, _errors = browser_page
    page.goto(f"{live_server.url}/portal/")
    page.locator("form.p-submit button[type=submit]").click()
    page.wait_for_selector(".p-error")

    def border(selector):
        return page.locator(selector).evaluate("el => getComputedStyle(el).borderTopColor")

    assert border("#id_subject") == border("#id_content") == "rgb(207, 34, 46)"
    assert border("#id_contact") == border("#id_subject")  # a named matter needs a contact: invalid too
    assert border("#id_name") != border("#id_subject")  # optional and valid: not red
    connections.close_all()


def test_the_receipt_slip_prints_without_chrome_or_links(
    transactional_db,
    live_server,
    browser_page,  # noqa: F811
    case,
    clerk,
):
    from django.db import connections

    page, _errors = browser_page
    page.goto(f"{live_server.url}/portal/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw-Huiyin-2026")
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/portal/staff/receipt/{case.case_no}/")
    page.locator("button[type=submit]").click()
    page.wait_for_selector("#receipt-code")
    assert page.locator("#back-to-case").is_visible()
    assert page.locator("#back-to-case").get_attribute("href") == case.get_absolute_url()

    page.emulate_media(media="print")
    assert page.locator(".p-top").is_hidden() and page.locator("#back-to-case").is_hidden()
    assert page.locator("#slip-subject").is_visible() and page.locator("#slip-acceptance").is_visible()
    connections.close_all()
