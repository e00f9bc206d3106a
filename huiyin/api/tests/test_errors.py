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


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/",  # a trailing slash: the API's paths have none
        "/api/v1/cases/2/",
        "/api/v1/cases/1.0",
        "/api/v1/cases/abc",
        "/api/v1/hot-issues/abc",
        "/api/v1/nothing-here",
        "/api/v2/cases",
        "/api/",
        "/api",
    ],
)
@pytest.mark.parametrize("signed_in", [True, False])
def test_an_unknown_api_path_answers_the_json_404(client, office, case, path, signed_in):
    """Found in a walk-through: unknown paths under /api/ answered the site's HTML 404 page."""
    if signed_in:
        client.force_login(office)
    error = assert_error(client.get(path), 404, "not_found")
    assert error == {"code": "not_found", "message": "未找到。", "fields": {}}


def test_no_slash_variant_is_added(client, office, case):
    """Paths stay as they are: no redirect to or from a trailing slash."""
    client.force_login(office)
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 200
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert client.get("/api/v1/docs/").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_to_an_unknown_api_path_answers_the_json_404_too(office, case, method):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(office)
    response = getattr(client, method)("/api/v1/cases/", data={}, content_type="application/json")
    assert_error(response, 404, "not_found")


def test_pages_outside_the_api_keep_the_html_404(client, office):
    client.force_login(office)
    response = client.get("/cases/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


# CSRF -----------------------------------------------------------------------------------------------------

CLASSIFY = "/api/v1/triage/classify"
TOKEN = "t" * 32  # any 32-character token: Django compares the cookie with the header


@pytest.fixture
def strict_client():
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def classify(client, **headers):
    return client.post(
        CLASSIFY, {"title": "加班费", "body": "加班费未发放"}, content_type="application/json", **headers
    )


@pytest.mark.parametrize("token", [None, "wrong-" + "x" * 26])
def test_a_write_without_the_csrf_token_is_told_so(strict_client, clerk, token):
    """Found in a walk-through: a missing CSRF token answered `forbidden`, as if the user lacked the right."""
    strict_client.force_login(clerk)
    strict_client.cookies["csrftoken"] = TOKEN
    headers = {} if token is None else {"headers": {"X-CSRFToken": token}}
    error = assert_error(classify(strict_client, **headers), 403, "csrf_failed")
    assert "X-CSRFToken" in error["message"] and "csrftoken" in error["message"]


def test_a_write_with_the_csrf_token_passes_the_check(strict_client, clerk):
    strict_client.force_login(clerk)
    strict_client.cookies["csrftoken"] = TOKEN
    assert classify(strict_client, headers={"X-CSRFToken": TOKEN}).status_code == 200


def test_a_refusal_of_rights_stays_forbidden(strict_client, no_perm_user):
    strict_client.force_login(no_perm_user)
    strict_client.cookies["csrftoken"] = TOKEN
    assert_error(classify(strict_client, headers={"X-CSRFToken": TOKEN}), 403, "forbidden")


def test_not_signed_in_stays_a_403_unauthenticated(strict_client, case):
    """Session authentication sends no WWW-Authenticate challenge, so DRF answers 403, not 401."""
    error = assert_error(strict_client.get("/api/v1/cases"), 403, "unauthenticated")
    assert error["message"] == "请先登录。"
    assert_error(classify(strict_client), 403, "unauthenticated")


def test_a_signed_in_petitioner_without_the_csrf_token_is_told_so_on_the_portal(strict_client, org):
    from huiyin.org.services import user_create

    user = user_create(username="emp", password="pw-Huiyin-2026", unit=org["a_workshop"], roles=["petitioner"])
    strict_client.force_login(user)
    body = {"type": "claim", "subject": "食堂", "content": "食堂卫生差", "anonymous": False}
    response = strict_client.post(
        "/api/v1/portal/submissions", body, content_type="application/json", headers={"Idempotency-Key": "k" * 16}
    )
    assert_error(response, 403, "csrf_failed")
