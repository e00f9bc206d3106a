"""On a phone every control can be tapped: at least 32 px in its smaller direction where it is narrow
(found in a walk-through: the portal's menu links were 24 px tall, 标为已读 24, a case number 8 px wide)."""

from __future__ import annotations

import pytest

from tests.browser.phone import PHONE, SMALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_portal_can_be_tapped(live_server, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    for path in ("/portal/", "/portal/no-such-page/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(SMALL) == [], path
    context.close()


def test_the_case_list_and_inbox_can_be_tapped(live_server, login, office, make_case):
    from huiyin.notify.services import notify_staff

    make_case()
    notify_staff(
        users=[office], kind="test", key="touch", title="信访事项 2026-000001 即将到期", body="请尽快办理", email=False
    )
    page = login("office", viewport=PHONE)
    for path in ("/cases/", "/notify/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(SMALL) == [], path
