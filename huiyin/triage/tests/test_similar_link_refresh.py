"""Linking a similar case from the case page's panel updates the page's timeline and related cases at once.

Found in a walk-through: after 关联 in the similar-cases panel, 办理过程 and 关联事项 changed only on a reload."""

from __future__ import annotations

import re

from django.urls import reverse

TEXT = "我是一厂检修车间职工，2026年8月加班费至今未发放，车间多次反映无果，请求尽快补发加班费。"


def _link(client, first, copy, current_url):
    return client.post(
        reverse("triage:similar_link", args=[first.pk, copy.pk]),
        {"kind": "repeat"},
        headers={"HX-Request": "true", "HX-Current-URL": current_url},
    ).content.decode()


def _oob(body: str, element_id: str) -> str:
    match = re.search(rf'<(ol|section)[^>]*id="{element_id}"[^>]*hx-swap-oob="true"[^>]*>.*?</\1>', body, re.S)
    assert match, f"no out-of-band {element_id}"
    return match.group(0)


def test_the_link_answer_carries_the_case_pages_timeline_and_related_cases(client, clerk, make_case):
    first = make_case(subject="一厂拖欠8月加班费", content=TEXT)
    copy = make_case(subject="一厂拖欠8月加班费", content=TEXT, anonymous=True, petitioner=None)
    client.force_login(clerk)

    body = _link(client, first, copy, f"http://testserver{first.get_absolute_url()}")

    assert f'data-similar="{copy.pk}"' in body  # the panel's list, as before
    assert copy.case_no in _oob(body, "timeline")
    related = _oob(body, "case-links")
    assert copy.case_no in related and " hidden" not in related.split(">", 1)[0]


def test_the_case_page_always_has_the_sections_to_replace(client, clerk, make_case):
    """Without any link yet, the related cases section is on the page, hidden, for the swap to find."""
    case = make_case()
    client.force_login(clerk)
    page = client.get(case.get_absolute_url()).content.decode()
    assert re.search(r'<section class="card" id="case-links" hidden>', page)
    assert 'id="timeline"' in page and "hx-swap-oob" not in page


def test_elsewhere_the_answer_is_the_list_alone(client, clerk, make_case):
    """From the similar-cases page there is no timeline to replace."""
    first = make_case(subject="一厂拖欠8月加班费", content=TEXT)
    copy = make_case(subject="一厂拖欠8月加班费", content=TEXT, anonymous=True, petitioner=None)
    client.force_login(clerk)

    body = _link(client, first, copy, f"http://testserver{reverse('triage:similar', args=[first.pk])}")

    assert f'data-similar="{copy.pk}"' in body and "hx-swap-oob" not in body
