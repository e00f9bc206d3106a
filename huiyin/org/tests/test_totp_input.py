"""Codes typed with a Chinese input method (full-width digits) or with spaces are read as the digits they are."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from huiyin.org.forms import SecondFactorCodeForm, SecondFactorSetupForm
from huiyin.org.services import otp_code_normalise
from huiyin.org.tests.test_totp import PENDING_KEY, clock, code, enrolled, sign_in, verify  # noqa: F401 - fixtures

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def full_width(digits: str) -> str:
    return digits.translate(FULL_WIDTH)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("１２３４５６", "123456"),
        ("１２３ ４５６", "123456"),
        ("123 456", "123456"),
        (" 1 2 3 4 5 6 ", "123456"),
        ("１２３\u3000４５６", "123456"),  # the full-width (ideographic) space
        ("ＡＢＣＤ-ｅｆｇｈ", "ABCD-efgh"),
    ],
)
def test_codes_are_normalised(typed, read):
    assert otp_code_normalise(typed) == read


def test_the_forms_accept_full_width_digits():
    setup = SecondFactorSetupForm({"code": "１２３ ４５６"})
    assert setup.is_valid() and setup.cleaned_data["code"] == "123456"
    assert SecondFactorCodeForm({"code": "１２３４５６"}).is_valid()
    assert not SecondFactorSetupForm({"code": "１２３４５"}).is_valid()


@pytest.mark.django_db
def test_setup_accepts_a_full_width_code_with_a_space(client, clerk, clock):  # noqa: F811
    client.force_login(clerk)
    client.get(reverse("org:second_factor_setup"))
    key = client.session[PENDING_KEY]
    digits = code(key)
    typed = f"{full_width(digits[:3])} {full_width(digits[3:])}"
    response = client.post(reverse("org:second_factor_setup"), {"code": typed})
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=clerk).confirmed


@pytest.mark.django_db
def test_the_verify_step_accepts_a_full_width_code(client, enrolled):  # noqa: F811
    sign_in(client)
    response = verify(client, full_width(code(enrolled["key"])), next_url="/cases/")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get(reverse("cases:list")).status_code == 200
