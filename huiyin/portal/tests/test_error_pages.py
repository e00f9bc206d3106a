"""Error pages keep the visitor on the site they are using: an employee on the portal is not sent into the
staff site's layout (with its menu, inbox and "back to my work")."""

from __future__ import annotations

from django.urls import reverse


def test_someone_elses_matter_is_not_found_in_the_portals_layout(client, employee):
    client.force_login(employee)
    response = client.get(reverse("portal:mine_case", args=["2026-000296"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert '<body class="portal">' in html and 'class="topbar"' not in html
    assert reverse("portal:track") in html and reverse("portal:mine") in html
    assert "返回我的工作" not in html


def test_an_anonymous_visitor_gets_the_portal_404_without_my_matters(client, org):
    response = client.get("/portal/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<body class="portal">' in html and reverse("portal:mine") not in html


def test_staff_pages_keep_the_staff_layout(client, office):
    client.force_login(office)
    for url in ("/no-such-page/", "/portal/staff/receipt/2099-999999/"):
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert 'class="topbar"' in html and '<body class="portal">' not in html


def test_a_refusal_on_the_portal_stays_on_the_portal(rf, employee):
    from django.core.exceptions import PermissionDenied

    from huiyin.core.views import permission_denied_view

    request = rf.get(reverse("portal:mine"))
    request.user = employee
    html = permission_denied_view(request, PermissionDenied()).content.decode()
    assert '<body class="portal">' in html and "返回职工信访门户" in html
    staff = rf.get(reverse("cases:list"))
    staff.user = employee
    assert 'class="topbar"' in permission_denied_view(staff, PermissionDenied()).content.decode()
