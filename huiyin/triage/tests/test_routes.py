"""Issue #5.1: the editable category → handling unit mapping (the office's routes page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiyin.cases.models import Category
from huiyin.org.services import user_create
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
