"""A matter written in punctuation alone is refused on its field, on every channel.

Found in a walk-through: subject "。。。！！！？？？" with content "……！！！？？？…" was registered."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from huiyin.cases.models import Case
from huiyin.core.errors import DomainError
from huiyin.core.validators import has_words
from huiyin.intake.tests.test_register import form_data

NO_WORDS = "Enter words or numbers, not only punctuation or symbols."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("。。。！！！？？？", False),
        ("……！！！？？？…", False),
        ("—— ★ ®© 😀 \u3000", False),
        ("欠薪", True),
        ("？？工资？？", True),
        ("123", True),
        ("１２３", True),  # full-width digits
        ("abc!", True),
    ],
)
def test_has_words(text, expected):
    assert has_words(text) is expected


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": "。。。！！！？？？", "content": "……！！！？？？…"}, "subject"),
        ({"subject": "。。。！！！？？？", "content": "……！！！？？？…"}, "content"),
        ({"subject": "——？！"}, "subject"),
        ({"content": "！！！\r\n？？？"}, "content"),
    ],
)
def test_the_intake_form_refuses_punctuation_alone_on_the_field(client, clerk, org, overrides, field):
    client.force_login(clerk)

    response = client.post(reverse("intake:register"), form_data(unit=org["a_office"].pk, **overrides))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [gettext(NO_WORDS)]
    assert not Case.objects.exists()


def test_a_subject_with_a_word_among_the_punctuation_is_registered(client, clerk, org):
    client.force_login(clerk)
    response = client.post(reverse("intake:register"), form_data(unit=org["a_office"].pk, subject="欠薪！！！"))
    assert response.status_code == 302


@pytest.mark.parametrize("field", ["subject", "content"])
def test_the_service_refuses_punctuation_alone_on_every_channel(make_case, field):
    """`case_register`, through which every channel registers (the staff form, the portal, its API)."""
    with pytest.raises(DomainError) as refused:
        make_case(**{field: "。。。！！！？？？"})
    assert refused.value.fields == {field: [gettext(NO_WORDS)]}
    assert not Case.objects.exists()
