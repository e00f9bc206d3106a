"""The page and the exports: who may see them, bad periods, and what the page shows."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.stats.periods import this_quarter

PAGES = ["stats:overview", "stats:ledger", "stats:report"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_user_is_sent_to_sign_in(client, name, org):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["no_perm_user", "clerk", "handler", "auditor"])
def test_users_without_the_permission_are_refused_and_logged(client, request, name, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert AuditRecord.objects.filter(
        action=AuditAction.ACCESS_DENIED, actor_id=user.pk, detail__perm="stats.view_statistics"
    ).exists()
    assert not AuditRecord.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("persona", ["office", "leader", "executive", "discipline"])
def test_roles_with_the_permission_see_the_page(client, request, persona):
    user = request.getfixturevalue(persona)
    assert user.has_perm("stats.view_statistics")
    client.force_login(user)
    response = client.get(reverse("stats:overview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="totals"' in page
    assert "vendor/echarts/echarts.min.js" in page and 'id="stats-data"' in page
    assert "<script>" not in page  # data through json_script only (CSP script-src 'self')


def test_default_period_is_the_current_quarter_with_quick_links(client, office):
    client.force_login(office)
    response = client.get(reverse("stats:overview"))
    current = this_quarter(response.context["today"])
    assert response.context["period"] == current
    page = response.content.decode()
    assert f"?{current.query}" in page.replace("&amp;", "&")
    assert len(response.context["quick"]) == 4


def test_menu_entry_only_with_the_permission(client, office, clerk):
    client.force_login(office)
    assert reverse("stats:overview") in client.get(reverse("home")).content.decode()
    client.force_login(clerk)
    assert reverse("stats:overview") not in client.get(reverse("home")).content.decode()


def test_page_shows_the_figures(client, office, scenario, org):
    client.force_login(office)
    period = scenario.period
    response = client.get(reverse("stats:overview"), {"from": period.first, "to": period.last})
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.totals.received == 5
    page = response.content.decode()
    assert org["a_plant"].name in page
    assert "66.7%" in page  # on-time rate and satisfaction rate of the plant
    assert 'id="unit-table"' in page and 'id="trend-table"' in page and 'id="category-table"' in page


def test_on_a_phone_each_unit_figure_names_its_column(client, office, scenario):
    """The unit assessment is stacked into one block per unit on a phone; a figure without its column's name
    read as a bare number (found at 390 px). The two- and three-column tables stay tables."""
    client.force_login(office)
    period = scenario.period
    page = client.get(reverse("stats:overview"), {"from": period.first, "to": period.last}).content.decode()
    table = page[page.index('id="unit-table"') :].split("</table>", 1)[0]
    headers = re.findall(r'<th scope="col" class="num">([^<]+)</th>', table)
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S):
        labels = re.findall(r'<td class="num" data-label="([^"]+)"', row)
        assert labels == headers
    for small in ("trend-table", "channel-table", "type-table", "category-table"):
        assert f'<table class="table compact keep" id="{small}">' in page


BAD = [
    ({"from": "2026-13-01", "to": "2026-12-31"}, "There is no day 2026-13-01 in the calendar."),
    ({"from": "yesterday", "to": "2026-12-31"}, "YYYY-MM-DD"),
    ({"from": "2026-06-01", "to": "2026-05-01"}, "after the last day"),
    ({"from": "2010-01-01", "to": "2025-01-01"}, "at most 10 years"),
    ({"from": "2026-01-01"}, "both"),
    ({"from": "0001-01-01", "to": "0001-12-31"}, "between"),
]


@pytest.mark.parametrize(("params", "text"), BAD)
def test_bad_period_is_explained_on_the_page(client, office, params, text, settings, english):
    settings.LANGUAGE_CODE = "en"
    client.force_login(office)
    response = client.get(reverse("stats:overview"), params)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="period-error"' in page and text in page
    assert "stats" not in response.context or response.context.get("stats") is None
    assert 'id="totals"' not in page


@pytest.mark.parametrize(("params", "text"), BAD)
@pytest.mark.parametrize("name", ["stats:ledger", "stats:report"])
def test_bad_period_export_is_400_and_writes_nothing(client, office, params, text, name, settings, english):
    settings.LANGUAGE_CODE = "en"
    client.force_login(office)
    response = client.get(reverse(name), params)
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not AuditRecord.objects.filter(action=AuditAction.EXPORT).exists()


def test_bad_period_message_is_translated(client, office):
    """The message goes through gettext: in Chinese it is not the English msgid when a translation exists."""
    from django.utils import translation

    from huiyin.stats.periods import PeriodError, period_from_query

    with translation.override("zh-hans"):
        with pytest.raises(PeriodError) as error:
            period_from_query({"from": "2026-06-01", "to": "2026-05-01"})
        expected = translation.gettext("The first day ({first}) is after the last day ({last}).")
    # Dates as people read them, not ISO (found in a walk-through).
    assert error.value.message == expected.format(first="2026年6月1日", last="2026年5月1日")
    assert error.value.message == "起始日期（2026年6月1日）晚于截止日期（2026年5月1日）。"


def test_the_charts_tell_what_the_tables_tell(client, office, scenario):
    """Found in a walk-through: the category chart left out what the table listed past the tenth, and the unit
    chart's 超期答复 (replied late) had no column in the table."""
    client.force_login(office)
    period = scenario.period
    response = client.get(reverse("stats:overview"), {"from": period.first, "to": period.last})
    stats = response.context["stats"]
    page = response.content.decode()
    data = json.loads(re.search(r'<script id="stats-data" type="application/json">(.*?)</script>', page).group(1))
    assert data["category"]["labels"] == [s.label for s in stats.by_category if s.n]
    assert sum(data["category"]["values"]) == stats.totals.received
    table = page[page.index('id="unit-table"') :]
    assert f">{data['unit']['late_label']}</th>" in table
    plant = next(u for u in stats.units if u.cases)
    assert plant.late == 1  # the late reply of the scenario
