"""The portal speaks Chinese: API errors come out in Chinese whatever the client's language."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

PENDING = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "pending" / "portal_people_audit.po"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def merged_catalog(tmp_path, settings):
    """The project catalog plus this issue's pending translations, as the lead will merge them."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed")
    target = tmp_path / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run([msgfmt, "-c", "-o", str(target / "django.mo"), str(PENDING)], check=True)
    settings.LOCALE_PATHS = [str(tmp_path), *settings.LOCALE_PATHS]


def test_the_pending_catalog_is_complete_and_valid():
    text = PENDING.read_text(encoding="utf-8")
    assert "charset=UTF-8" in text
    assert 'msgstr ""\n\n' not in text.split("\n\n", 1)[1]  # every entry after the header is translated


def test_api_errors_are_in_chinese_for_an_english_client(client, org, merged_catalog):
    from huiyin.portal.tests.conftest import PortalApi, good_body

    api = PortalApi(client)
    headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    cases = [
        api.submit(raw="{", key="zh-key-00001", **headers),
        api.submit(raw='{"type":"claim"}', key="zh-key-00002", **headers),
        api.submit(key="bad", **headers),
        api.case("2026-000001-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", **headers),
    ]
    api.submit(key="zh-key-00003")
    cases.append(api.submit(good_body(subject="另一件"), key="zh-key-00003", **headers))
    for response in cases:
        error = response.json()["error"]
        assert HAN.search(error["message"]), error
        for messages in error["fields"].values():
            assert all(HAN.search(str(m)) for m in messages), error
