"""A registration answers with a redirect (Post/Redirect/Get): reloading the page after registering shows the
confirmation again and registers nothing.

Found in a walk-through: an accusation report registered by a clerk rendered its confirmation straight from the
POST, so F5 posted the form again and registered a second case (2026-000307, then 2026-000308)."""

import pytest
from django.core import signing
from django.urls import reverse

from huiyin.cases.models import Case
from huiyin.cases.states import Channel, Source
from huiyin.intake.tests.test_register import form_data
from huiyin.intake.views import REGISTERED_SALT


def _register(client, org, **overrides):
    return client.post(reverse("intake:register"), form_data(unit=org["a_office"].pk, **overrides))


def test_an_accusation_report_answers_with_a_redirect_and_a_reload_registers_nothing(client, clerk, org):
    client.force_login(clerk)

    response = _register(client, org, type="accusation", subject="检举某分厂违规招聘")

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.compartment == "discipline"
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert case.case_no in text and "纪检" in text
    assert reverse("portal:receipt_slip", args=[case.case_no]) in text
    # F5 on the confirmation is a GET of the same address: the same confirmation, no second case.
    again = client.get(response["Location"])
    assert again.status_code == 200 and case.case_no in again.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.parametrize("channel", Channel.values)
@pytest.mark.parametrize("source", [Source.OWN, Source.FORWARDED])
def test_every_channel_and_source_answers_with_a_redirect(client, clerk, org, channel, source):
    client.force_login(clerk)
    extra = {"forwarded_authority": "省国资委信访处"} if source == Source.FORWARDED else {}

    response = _register(client, org, channel=channel, source=source, **extra)

    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == case.get_absolute_url()
    page = client.get(response["Location"])
    assert case.case_no in page.content.decode()  # the "registered as" message
    assert Case.objects.count() == 1


def test_the_confirmation_is_only_for_the_clerk_who_registered(client, clerk, other_unit_clerk, org):
    client.force_login(clerk)
    url = _register(client, org, type="accusation")["Location"]

    client.force_login(other_unit_clerk)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("forgery", ["nonsense", "other_salt"])
def test_a_forged_confirmation_address_is_404(client, clerk, forgery):
    # Made in the test, not at collection: a signed value carries a timestamp, and pytest-xdist workers must
    # collect the same test ids.
    token = forgery
    if forgery == "other_salt":
        token = signing.dumps({"case_no": "2026-000001", "user": clerk.pk}, salt="other")
    client.force_login(clerk)
    assert client.get(reverse("intake:registered", args=[token])).status_code == 404


def test_a_confirmation_address_signed_for_another_user_is_404(client, clerk):
    client.force_login(clerk)
    token = signing.dumps({"case_no": "2026-000001", "user": clerk.pk + 1}, salt=REGISTERED_SALT)
    assert client.get(reverse("intake:registered", args=[token])).status_code == 404
