"""The portal refuses a matter written in punctuation alone, on the page and through the API (found in a
walk-through of the staff intake form; the portal had the same hole)."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from huiyin.cases.models import Case
from huiyin.portal.tests.conftest import good_body
from huiyin.portal.tests.test_pages import form_body

NO_WORDS = "Enter words or numbers, not only punctuation or symbols."


@pytest.mark.parametrize("field", ["subject", "content"])
def test_the_submission_page_refuses_punctuation_alone_on_the_field(client, org, field):
    response = client.post(reverse("portal:home"), form_body(**{field: "。。。！！！？？？"}))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [gettext(NO_WORDS)]
    assert not Case.objects.exists()


@pytest.mark.parametrize("field", ["subject", "content"])
def test_the_api_refuses_punctuation_alone_on_the_field(api, field):
    response = api.submit(good_body(**{field: "……！！！？？？…"}))

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {field: [gettext(NO_WORDS)]}
    assert not Case.objects.exists()
