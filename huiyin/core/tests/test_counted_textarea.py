"""Nothing typed into a long text field is cut without a word.

Found in a walk-through: the intake form's content had maxlength="20000", so a pasted letter of 20,300
characters was silently cut to 20,000 by the browser and the case saved truncated. Text areas with a limit
now carry it as data-max-chars (js/char-count.js counts beside the field); the server refuses too long a
text with its own message and shows the text again as typed."""

from __future__ import annotations

import importlib
import inspect
import re
from html import unescape

import pytest
from django import forms
from django.urls import reverse

from huiyin.cases.models import Case
from huiyin.core.forms import CountedTextarea
from huiyin.intake.tests.test_register import form_data

FORM_MODULES = [
    "huiyin.cases.forms",
    "huiyin.intake.forms",
    "huiyin.people.forms",
    "huiyin.portal.forms",
    "huiyin.retention.forms",
    "huiyin.triage.forms",
    "huiyin.workflow.forms",
]


def _textarea(html: str, name: str) -> tuple[str, str]:
    """The opening tag and the text of the text area named `name`."""
    match = re.search(rf'(<textarea[^>]*name="{name}"[^>]*>)(.*?)</textarea>', html, re.S)
    assert match, f"no text area {name}"
    return match.group(1), unescape(match.group(2))


def test_a_letter_over_the_limit_is_refused_with_its_count_and_kept_as_typed(client, clerk, org):
    client.force_login(clerk)
    letter = "职工反映加班费问题。" * 2030  # 20,300 characters

    response = client.post(reverse("intake:register"), form_data(unit=org["a_office"].pk, content=letter))

    assert response.status_code == 400
    assert not Case.objects.exists()
    assert response.context["form"].errors["content"] == ["最多 20000 个字，现为 20300 个字。"]
    tag, text = _textarea(response.content.decode(), "content")
    assert text.strip() == letter  # all of it, for the clerk to shorten
    assert "maxlength" not in tag  # the browser would cut a paste without a word
    assert 'data-max-chars="20000"' in tag


def test_the_limit_is_offered_to_the_counter_in_the_users_language(client, clerk):
    client.force_login(clerk)
    tag, _text = _textarea(client.get(reverse("intake:register")).content.decode(), "content")
    assert 'data-max-chars="20000"' in tag
    assert "{count}" in tag and "{limit}" in tag and "{over}" in tag


def test_a_line_break_counts_as_one_character_as_the_browser_shows_it(client, clerk, org):
    """A browser sends each line break as CR LF: 20,000 characters shown could reach the server as 20,001."""
    client.force_login(clerk)
    letter = "甲" * 10000 + "\r\n" + "乙" * 9999  # 20,000 characters on the screen

    response = client.post(reverse("intake:register"), form_data(unit=org["a_office"].pk, content=letter))

    assert response.status_code == 302
    assert Case.objects.get().content == "甲" * 10000 + "\n" + "乙" * 9999


def test_the_portal_keeps_a_letter_over_the_limit_too(client, org):
    letter = "职工反映加班费问题。" * 2030
    data = {
        "idempotency_key": "form-key-000002",
        "type": "claim",
        "subject": "加班费",
        "content": letter,
        "anonymous": "on",
    }
    response = client.post(reverse("portal:home"), data)
    assert response.status_code == 400
    tag, text = _textarea(response.content.decode(), "content")
    assert text.strip() == letter
    assert "maxlength" not in tag and 'data-max-chars="20000"' in tag


def _form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == name:
                yield obj


@pytest.mark.parametrize("form_class", list(_form_classes()), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_no_text_area_with_a_limit_cuts_what_is_typed(form_class):
    """Every text area with a length limit, on the staff pages and the portal, is counted, not cut."""
    for name, field in form_class.base_fields.items():
        if isinstance(field.widget, forms.Textarea) and getattr(field, "max_length", None):
            assert isinstance(field.widget, CountedTextarea), f"{form_class.__name__}.{name}"
            rendered = field.widget.render(name, "", attrs=field.widget_attrs(field.widget))
            assert "maxlength" not in rendered and f'data-max-chars="{field.max_length}"' in rendered
