"""A field's help and errors are tied to it: every id named in aria-describedby is on the page, and the
errors are announced (found in a walk-through: inputs pointed at ids that did not exist)."""

from __future__ import annotations

import re

from django.urls import reverse


def described_ids(html: str) -> set[str]:
    return {name for value in re.findall(r'aria-describedby="([^"]+)"', html) for name in value.split()}


def assert_every_description_exists(html: str) -> None:
    missing = {name for name in described_ids(html) if f'id="{name}"' not in html}
    assert not missing, missing


def test_the_register_form_ties_errors_and_help_to_their_fields(client, clerk, org):
    from huiyin.intake.tests.test_register import form_data

    client.force_login(clerk)
    html = client.post(reverse("intake:register"), form_data(subject="", unit=org["a_office"].pk)).content.decode()
    assert "id_subject_error" in described_ids(html)
    assert_every_description_exists(html)
    assert re.search(r'<div id="id_subject_error" role="alert"><p class="error">', html)


def test_the_portal_form_ties_errors_and_help_to_their_fields(client, org):
    html = client.post(reverse("portal:home"), {"idempotency_key": "form-key-000001"}).content.decode()
    assert "id_subject_error" in described_ids(html)
    assert_every_description_exists(html)


def test_the_case_list_filters_tie_their_errors_to_the_field(client, office):
    client.force_login(office)
    html = client.get(reverse("cases:list"), {"received_from": "2026-13-45"}).content.decode()
    assert_every_description_exists(html)
