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
