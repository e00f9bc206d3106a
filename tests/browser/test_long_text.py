"""A long unbroken string in a case's content or a message does not widen the staff case page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_unbroken_string_wraps_inside_the_case_page(live_server, login, office, make_case, width):
    case = make_case(subject="X" * 150, content="Y" * 5000)
    page = login("office", viewport={"width": width, "height": 900})
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width + 1, scroll_width
