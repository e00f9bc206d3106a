"""In a real browser: a letter pasted past a long text field's limit is kept whole, counted beside the field, and
refused by the server with the count, still as typed (found in a walk-through: 20,300 characters pasted into
the intake form's content were cut to 20,000 without a word)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from huiyin.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTER = "职工反映加班费问题。" * 2030  # 20,300 characters


def test_a_long_letter_is_counted_not_cut(live_server, login, clerk):
    page = login("clerk")
    page.goto(f"{live_server.url}/intake/new/")
    area = page.locator("#id_content")
    count = page.locator("#id_content_count")
    expect(count).to_contain_text("0 / 20000")
    expect(count).not_to_have_class("char-count is-over")
    assert "id_content_count" in (area.get_attribute("aria-describedby") or "").split()
    expect(page.locator("#id_content_count + [aria-live=polite]")).to_have_count(1)

    area.fill("欠薪")
    expect(count).to_contain_text("2 / 20000")
    area.fill(LETTER)

    assert page.evaluate("document.querySelector('#id_content').value.length") == 20300  # not cut
    expect(count).to_contain_text("20300 / 20000")
    expect(count).to_contain_text("300")
    expect(count).to_have_class("char-count is-over")
    # The count is read out once typing pauses, by the polite live region.
    expect(page.locator("#id_content_count + [aria-live=polite]")).to_contain_text("20300", timeout=5000)

    page.fill("#id_subject", "加班费未发放")
    page.fill("#id_name", "刘某")
    page.fill("#id_phone", "13800001111")
    page.click("form.register button[type=submit]")
    page.wait_for_load_state()

    expect(page.locator("#field-content [role=alert]")).to_contain_text("最多 20000 个字，现为 20300 个字。")
    assert page.evaluate("document.querySelector('#id_content').value.trim()") == LETTER  # kept as typed
    expect(page.locator("#id_content_count")).to_have_class("char-count is-over")
    assert not Case.objects.exists()


def test_the_counter_comes_with_a_form_htmx_brings_in(live_server, login, office, make_case):
    """The case page's action forms arrive by htmx; their text areas are counted too."""
    case = make_case()
    page = login("office")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.wait_for_load_state("networkidle")
    page.click("#case-actions [data-action=not_accept]")
    page.wait_for_selector("#action-form textarea[data-max-chars]")
    area = page.locator("#action-form textarea[data-max-chars]").first
    limit = area.get_attribute("data-max-chars")
    area.fill("不属于信访事项")
    expect(page.locator(f"#{area.get_attribute('id')}_count")).to_contain_text(f"7 / {limit}")
