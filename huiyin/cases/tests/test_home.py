"""The home page leads the office to the settings pages that have no menu entry of their own."""

from __future__ import annotations

import pytest
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
