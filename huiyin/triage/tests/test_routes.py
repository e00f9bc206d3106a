"""Issue #5.1: the editable category → handling unit mapping (the office's routes page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.audit.presentation import detail_items
from huiyin.cases.models import Category
from huiyin.org.services import unit_create, user_create
from huiyin.triage.models import CategoryRoute


@pytest.fixture
def group_office(org):
    return user_create(username="g_office", password="pw-Huiyin-2026", unit=org["group"], roles=["office"])


@pytest.mark.parametrize(("persona", "code"), [(None, 302), ("clerk", 403), ("handler", 403), ("office", 200)])
def test_routes_page_access(client, request, persona, code):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("triage:routes")).status_code == code


def test_company_office_keeps_routes_of_its_own_subtree(client, office, org, group_office):
    wages = Category.objects.get(code="wages")
    client.force_login(office)
    url = reverse("triage:routes")
    # A company office may not set a route for the whole group, nor for another company.
    assert client.post(url, {"category": wages.pk, "unit": org["a_plant"].pk}).status_code == 400
    assert client.post(url, {"category": wages.pk, "scope": org["b"].pk, "unit": org["a_plant"].pk}).status_code == 400
    response = client.post(url, {"category": wages.pk, "scope": org["a"].pk, "unit": org["a_plant"].pk, "note": "人力"})
    assert response.status_code == 302
    route = CategoryRoute.objects.get()
    assert (route.scope, route.unit, route.updated_by) == (org["a"], org["a_plant"], office)
    # Same category and scope twice: refused.
    assert client.post(url, {"category": wages.pk, "scope": org["a"].pk, "unit": org["a"].pk}).status_code == 400
    global_route = CategoryRoute.objects.create(category=wages, unit=org["group"])
    b_route = CategoryRoute.objects.create(category=wages, scope=org["b"], unit=org["b"])
    page = client.get(url).content.decode()
    assert f'data-route="{global_route.pk}"' in page and f'data-route="{b_route.pk}"' not in page
    assert client.get(reverse("triage:route_edit", args=[global_route.pk])).status_code == 404  # read-only here
    assert client.post(reverse("triage:route_delete", args=[b_route.pk])).status_code == 404
    response = client.post(
        reverse("triage:route_edit", args=[route.pk]), {"category": wages.pk, "scope": org["a"].pk, "unit": org["a"].pk}
    )
    assert response.status_code == 302
    route.refresh_from_db()
    assert route.unit == org["a"]
    assert client.get(reverse("triage:route_delete", args=[route.pk])).status_code == 200  # asks first
    assert CategoryRoute.objects.filter(pk=route.pk).exists()
    assert client.post(reverse("triage:route_delete", args=[route.pk])).status_code == 302
    assert not CategoryRoute.objects.filter(pk=route.pk).exists()
    client.force_login(group_office)
    assert (
        client.post(url, {"category": Category.objects.get(code="housing").pk, "unit": org["a"].pk}).status_code == 302
    )
    assert CategoryRoute.objects.filter(category__code="housing", scope__isnull=True).exists()


def test_a_route_may_not_send_a_companys_cases_to_another_company(client, org, group_office):
    """Found in a walk-through: 安全生产 of one company was routed to a unit of another, without a word."""
    safety = Category.objects.get(code="safety")
    client.force_login(group_office)
    url = reverse("triage:routes")
    response = client.post(url, {"category": safety.pk, "scope": org["a"].pk, "unit": org["b"].pk})
    assert response.status_code == 400
    assert f"{org['b'].name}不在{org['a'].name}范围内" in response.content.decode()
    assert not CategoryRoute.objects.exists()
    # Within the scope, or above it (a group department handling a company's cases): accepted.
    assert client.post(url, {"category": safety.pk, "scope": org["a"].pk, "unit": org["a_plant"].pk}).status_code == 302
    housing = Category.objects.get(code="housing")
    assert client.post(url, {"category": housing.pk, "scope": org["a"].pk, "unit": org["group"].pk}).status_code == 302


def _route_records():
    return list(AuditRecord.objects.filter(action=AuditAction.ROUTE_CHANGE).order_by("seq"))


def test_every_route_change_is_audited_with_what_changed(client, org, group_office, auditor):
    """Routes decide where new cases are suggested to go: adding, changing and removing one is on the log."""
    wages = Category.objects.get(code="wages")
    client.force_login(group_office)
    url = reverse("triage:routes")
    assert client.post(url, {"category": wages.pk, "scope": org["a"].pk, "unit": org["a_plant"].pk}).status_code == 302
    route = CategoryRoute.objects.get()
    [added] = _route_records()
    assert (added.actor_id, added.object_id) == (group_office.pk, str(route.pk))
    assert added.detail == {
        "category": "wages",
        "scope": "甲公司",
        "before": None,
        "after": {"scope": "甲公司", "handling_unit": "甲公司 · 甲公司一厂", "note": ""},
    }
    edit = reverse("triage:route_edit", args=[route.pk])
    data = {"category": wages.pk, "scope": org["a"].pk, "unit": org["a_office"].pk, "note": "信访办统一受理"}
    assert client.post(edit, data).status_code == 302
    changed = _route_records()[-1]
    assert changed.detail["before"] == {"handling_unit": "甲公司 · 甲公司一厂", "note": ""}
    assert changed.detail["after"] == {"handling_unit": "甲公司 · 甲公司信访办", "note": "信访办统一受理"}
    # Saving again without a change writes nothing.
    assert client.post(edit, data).status_code == 302
    assert len(_route_records()) == 2
    assert client.post(reverse("triage:route_delete", args=[route.pk])).status_code == 302
    removed = _route_records()[-1]
    assert removed.detail["after"] is None and removed.detail["before"]["scope"] == "甲公司"
    # The log names the category and says "the whole organisation" for a route without scope.
    assert client.post(url, {"category": wages.pk, "unit": org["group"].pk}).status_code == 302
    items = {i.label: i.value for i in detail_items(_route_records()[-1])}
    assert items["问题类别"] == str(wages) and "全集团" in items["变更后"]
    # The log's object column names the route by its category and scope, whatever changed.
    client.force_login(auditor)
    page = client.get(reverse("audit:list"), {"action": "route.change"}).content.decode()
    assert f"分办规则：{wages} · 甲公司" in page and f"分办规则：{wages} · 全集团" in page


def test_refused_route_changes_nothing_and_writes_no_record(client, org, office):
    client.force_login(office)
    wages = Category.objects.get(code="wages")
    response = client.post(reverse("triage:routes"), {"category": wages.pk, "scope": org["b"].pk, "unit": org["b"].pk})
    assert response.status_code == 400
    assert not CategoryRoute.objects.exists() and not _route_records()


def test_removing_a_route_says_where_the_cases_then_go(client, org, group_office):
    wages = Category.objects.get(code="wages")
    wide = CategoryRoute.objects.create(category=wages, unit=org["group"])
    company = CategoryRoute.objects.create(category=wages, scope=org["a"], unit=org["a_office"])
    plant = CategoryRoute.objects.create(category=wages, scope=org["a_plant"], unit=org["a_plant"])
    client.force_login(group_office)

    def fallback_text(route):
        page = client.get(reverse("triage:route_delete", args=[route.pk])).content.decode()
        return page.split('id="route-fallback">', 1)[1].split("</p>", 1)[0]

    assert "甲公司 · 甲公司信访办" in fallback_text(plant) and "甲公司的分办规则" in fallback_text(plant)
    assert "测试集团" in fallback_text(company) and "全集团" in fallback_text(company)
    assert "不推荐承办单位" in fallback_text(wide)
    # A route of another category or of another company is never the fallback.
    CategoryRoute.objects.filter(pk=company.pk).delete()
    CategoryRoute.objects.create(category=wages, scope=org["b"], unit=org["b"])
    assert "全集团" in fallback_text(plant)


def test_units_of_the_same_name_are_told_apart(client, org, group_office):
    """Every company has a 人力资源部: a bare name does not say which one the route sends cases to."""
    hr_a = unit_create(name="人力资源部", code="A-HR", kind="department", parent=org["a"])
    unit_create(name="人力资源部", code="B-HR", kind="department", parent=org["b"])
    CategoryRoute.objects.create(category=Category.objects.get(code="wages"), scope=org["a"], unit=hr_a)
    client.force_login(group_office)
    page = client.get(reverse("triage:routes")).content.decode()
    assert (
        "甲公司 · 人力资源部" in page
        and "乙公司 · 人力资源部" not in page.split("routes-table")[1].split("</table>")[0]
    )
