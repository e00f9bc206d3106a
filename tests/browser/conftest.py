"""Playwright driving Debian's chromium. `playwright install` cannot download here, so the tests use
/usr/bin/chromium and skip, saying why, where it is absent."""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest
from django.db import connections

CHROMIUM = os.environ.get("HUIYIN_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the live server's database work is ours.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}: browser tests skipped (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()
        # While Playwright's loop runs, Django keeps the connections later tests open in that loop's context.
        # Close them now: the test-database teardown runs after the loop is gone, would not see them, and
        # PostgreSQL would refuse to drop a database another session still uses.
        connections.close_all()


@pytest.fixture
def login(browser, live_server):
    """Open a fresh browser context signed in as `username` (all test personas share one password)."""
    from playwright.sync_api import Error as PlaywrightError

    contexts = []

    def sign_in(username: str, *, password: str = "pw-Huiyin-2026", viewport=None):
        context = browser.new_context(locale="zh-CN", viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield sign_in
    for context in contexts:
        # Let requests in flight (htmx panels loading after the page) finish first: closing the context does not
        # stop the live server working on them, and the test's database flush would then find a table locked.
        for page in context.pages:
            with contextlib.suppress(PlaywrightError):  # a page still polling: closing it is all there is to do
                page.wait_for_load_state("networkidle", timeout=5000)
        context.close()
