"""The home page leads the office to the settings pages that have no menu entry of their own."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_office_finds_routes_holidays_and_retention_rules_on_its_home_page(client, office):
    client.force_login(office)
    html = client.get(reverse("home")).content.decode()
    for name in ("triage:routes", "workflow:holidays", "retention:rules"):
        assert f'href="{reverse(name)}"' in html, name


def test_a_handler_sees_no_settings(client, handler):
    client.force_login(handler)
    html = client.get(reverse("home")).content.decode()
    assert 'id="settings"' not in html and reverse("triage:routes") not in html


def test_on_a_phone_my_work_lists_each_case_in_few_lines(client, handler, in_handling_case):
    """Found in a walk-through: at 390 px every case of My work took ten labelled lines, so the page ran to
    10,000 px. The type, channel, category and date received are left to the case page there."""
    client.force_login(handler)
    html = client.get(reverse("home")).content.decode()
    assert html.count('<table class="table compact">') == 3
    row = re.search(r'<tr>\s*<td data-label="编号">.*?</tr>', html, re.S).group(0)
    assert re.findall(r'<td data-label="([^"]+)" class="opt"', row) == ["类型", "渠道", "问题类别", "收到日期"]
    css = (settings.BASE_DIR / "huiyin/core/static/css/huiyin.css").read_text()
    assert ".table.compact td.opt { display: none; }" in css
