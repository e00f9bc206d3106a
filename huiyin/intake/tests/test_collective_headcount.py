"""A collective matter with an out-of-range headcount shows the range error only, not "at least two" too."""

import pytest
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
        # Found in a walk-through: 0 read Django's generic 确保该值大于或等于1; the field now says what it counts.
        ("9999999", "涉及人数不能超过 100000 人。"),
        ("0", "涉及人数至少为 1 人。"),
        ("abc", "请以整数填写涉及人数。"),
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
