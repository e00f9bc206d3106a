"""The petition office's menu stays on one line on a 1280 px and a 1366 px screen, even with a long unit name
(found in a walk-through: at 1280 px 保存期限 wrapped onto a second line)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_office_menu_is_one_line(live_server, login, office, width):
    from huiyin.org.models import OrgUnit

    OrgUnit.objects.filter(pk=office.unit_id).update(name="衡兴能源集团有限公司")
    page = login("office", viewport={"width": width, "height": 900})

    links = page.locator("nav.mainnav a")
    assert links.count() >= 8
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1, tops
    # The unit is still there, in the name's tooltip.
    assert "衡兴能源集团有限公司" in page.locator(".usermenu .who").get_attribute("title")


def test_on_a_phone_the_menu_is_reached_and_opened_with_the_keyboard(live_server, login, office):
    """At 390 px the menu (and with it the inbox and signing out) sits behind ☰: a keyboard reaches it with
    Tab and opens it with Space; the skip link comes first (found in a walk-through: ☰ could not take focus)."""
    page = login("office", viewport={"width": 390, "height": 844})
    assert not page.is_visible("nav.mainnav") and not page.is_visible("text=退出")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.is_visible(".skip-link")
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "nav-toggle":
            break
    assert page.evaluate("document.activeElement.id") == "nav-toggle"
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("菜单")
    page.keyboard.press("Space")
    assert page.is_visible("nav.mainnav") and page.is_visible("text=退出")
    # Opened, the brand and the button stay on the first line; the menu runs below them.
    brand, burger = page.locator(".brand").bounding_box(), page.locator(".nav-burger").bounding_box()
    first = page.locator("nav.mainnav a").first.bounding_box()
    assert abs(brand["y"] - burger["y"]) < 20 and first["y"] > brand["y"] + brand["height"] - 1
    assert burger["width"] >= 44 and burger["height"] >= 44


def test_the_skip_link_moves_to_the_page_content(live_server, login, office):
    page = login("office")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
