"""Pages are in Chinese unless the user chose English: the browser's own language does not switch them."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_chinese_pages(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="zh-hans"' in page and "登录" in page
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_switch_chooses_english_and_back(client):
    login = reverse("login")
    switched = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert switched.status_code == 302 and switched["Location"] == login
    page = client.get(login, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en"' in page and "Sign in" in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": login})
    assert "登录" in client.get(login, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("cookie", ["fr", "", "../../etc", "en" * 200])
def test_an_unknown_choice_falls_back_to_chinese(client, settings, cookie):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"


def test_a_regional_english_choice_reads_as_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    assert client.get(reverse("login"))["Content-Language"] == "en"
