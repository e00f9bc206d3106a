"""Take the screenshots in this folder from a running demo (`make run`), as a new user sees it.

    python docs/screenshots/take.py [http://127.0.0.1:8000]

Drives Debian's chromium through Playwright; the demo's password is printed by `make run`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent
PASSWORD = "huiyin-demo-2026"  # noqa: S105 - the demo's published password
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def sign_in(browser, username: str, viewport: dict):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{BASE}/")
    return page


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = sign_in(browser, "office", {"width": 1360, "height": 900})
        page.screenshot(path=OUT / "my-work.png")
        page.goto(f"{BASE}/cases/?status=open")
        page.screenshot(path=OUT / "case-list.png")
        page.goto(f"{BASE}/cases/?stage=review")
        page.goto(BASE + page.locator("table.cases tbody tr a").first.get_attribute("href"))
        page.screenshot(path=OUT / "case-page.png", full_page=True)
        page.goto(f"{BASE}/triage/hot/")
        page.screenshot(path=OUT / "hot-issues.png")
        page.goto(f"{BASE}/stats/?from=2026-01-01&to=2026-12-31")
        page.wait_for_timeout(1000)  # the charts' entry animation
        page.screenshot(path=OUT / "statistics.png")
        page.goto(f"{BASE}/accounts/2fa/setup/")
        page.screenshot(path=OUT / "two-step-setup.png")
        phone = sign_in(browser, "office", {"width": 390, "height": 844})
        phone.goto(f"{BASE}/cases/")
        phone.screenshot(path=OUT / "case-list-phone.png")
        portal = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
        portal.goto(f"{BASE}/portal/")
        portal.screenshot(path=OUT / "portal.png")
        browser.close()


if __name__ == "__main__":
    main()
