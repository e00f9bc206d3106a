"""The API docs page renders the operations in a real browser, with no CSP violation."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_swagger_ui_lists_the_api_without_csp_errors(browser, live_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/cases" in p for p in paths)
    assert any("/api/v1/portal/" in p for p in paths)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    assert all(u.startswith(live_server.url) or u.startswith("data:") for u in requests), requests
    context.close()
