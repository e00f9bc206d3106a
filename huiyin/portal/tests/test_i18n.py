"""The portal speaks Chinese: API errors come out in Chinese whatever the client's language."""

from __future__ import annotations

import re

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_api_errors_are_in_chinese_for_an_english_client(client, org):
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
