"""A case page left open in a second tab: an action the case has moved past says why, instead of nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from huiyin.cases.services import case_not_accept

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_action_on_a_stale_page_shows_the_refusal(live_server, login, office, make_case):
    case = make_case()
    page = login("office")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.locator("#case-status")).to_have_text("已登记")
    # The page's panels load after it (htmx): let the live server finish them before this thread writes, or the
    # shared in-memory SQLite database can be found locked.
    page.wait_for_load_state("networkidle")
    case_not_accept(case=case, actor=office, reason="不属于信访事项")  # done meanwhile in another tab
    page.click("#case-actions [data-action=accept]")
    alert = page.locator("#action-panel [role=alert]")
    expect(alert).to_contain_text("不能执行此操作")
    expect(alert.locator("a")).to_have_text("刷新页面")
    with page.expect_navigation():
        alert.locator("a").click()
    expect(page.locator("#case-status")).to_have_text("不予受理")
