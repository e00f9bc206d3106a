"""A collective matter with an out-of-range headcount shows the range error only, not "at least two" too."""

import pytest
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils.translation import gettext

from huiyin.cases.models import Case
from huiyin.intake.tests.test_register import form_data

AT_LEAST_TWO = "A collective matter involves at least two people."


def _errors(client, org, **overrides):
    response = client.post(reverse("intake:register"), form_data(unit=org["a_office"].pk, **overrides))
    assert response.status_code == 400
    assert Case.objects.count() == 0
    return [str(e) for e in response.context["form"].errors["headcount"]]


@pytest.mark.parametrize(
    ("headcount", "expected"),
    [
        ("9999999", MaxValueValidator(100000).message % {"limit_value": 100000}),
        ("0", MinValueValidator(1).message % {"limit_value": 1}),
        ("abc", forms.IntegerField.default_error_messages["invalid"]),  # Django's own message
    ],
)
def test_an_invalid_headcount_gets_its_own_error_only(client, clerk, org, headcount, expected):
    client.force_login(clerk)
    errors = _errors(client, org, collective="on", headcount=headcount)
    assert errors == [str(expected)]
    assert gettext(AT_LEAST_TWO) not in errors


def test_an_empty_headcount_is_only_required(client, clerk, org):
    client.force_login(clerk)
    assert _errors(client, org, collective="on", headcount="") == [gettext("This field is required.")]


def test_a_valid_headcount_of_one_still_gets_at_least_two(client, clerk, org):
    client.force_login(clerk)
    assert _errors(client, org, collective="on", headcount="1") == [gettext(AT_LEAST_TWO)]
