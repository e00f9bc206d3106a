"""In a real browser: linking a similar case from the case page's panel shows the link in the timeline (办理过程)
and the related cases (关联事项) at once, without a reload (found in a walk-through)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "我是一厂检修车间职工，2026年8月加班费至今未发放，车间多次反映无果，请求尽快补发加班费。"


def test_linking_a_similar_case_updates_the_timeline_and_related_cases(live_server, login, clerk, make_case):
    first = make_case(subject="一厂拖欠8月加班费", content=TEXT)
    copy = make_case(subject="一厂拖欠8月加班费", content=TEXT, anonymous=True, petitioner=None)
    page = login("clerk")
    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    button = page.locator(f'#similar-list button[data-link="{copy.pk}"]')
    expect(button).to_be_visible()
    expect(page.locator("#case-links")).to_be_hidden()
    expect(page.locator("#timeline")).not_to_contain_text(copy.case_no)
    page.evaluate("window.notReloaded = true")

    button.click()

    expect(page.locator(f'#similar-list tr[data-similar="{copy.pk}"]')).to_contain_text("已关联")
    expect(page.locator("#timeline")).to_contain_text(copy.case_no)
    expect(page.locator("#case-links")).to_be_visible()
    expect(page.locator("#case-links")).to_contain_text(copy.case_no)
    assert page.evaluate("window.notReloaded === true")  # the same page, updated in place
    assert page.locator("#timeline").count() == 1 and page.locator("#case-links").count() == 1
