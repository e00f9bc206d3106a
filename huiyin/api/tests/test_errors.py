"""The API's one error shape, for every way a request can go wrong (huiyin.api.errors).

Found in an API walk-through; each test fails on the code before its fix.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    return error


@pytest.mark.parametrize("query", [{"format": "api"}, {"format": "html"}])
def test_the_browsable_html_view_is_gone(client, office, case, query):
    """DRF's HTML view broke the site's CSP with inline styles: the API answers JSON only."""
    client.force_login(office)
    error = assert_error(client.get("/api/v1/cases", query), 404, "not_found")
    assert error["message"] == "未找到。"


def test_a_browser_asking_for_html_only_gets_a_json_406(client, office, case):
    client.force_login(office)
    response = client.get("/api/v1/cases", headers={"Accept": "text/html"})
    assert_error(response, 406, "not_acceptable")


def test_a_browser_accepting_anything_gets_json(client, office, case):
    client.force_login(office)
    response = client.get("/api/v1/cases", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["results"][0]["id"] == case.pk
