"""A signed-in petitioner's case page opened without signing in asks the visitor to sign in; a signed-in
account that does not own the case still gets 404, so nothing tells whether the case exists."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse


@pytest.fixture
def own_case_no(client, employee, api):
    client.force_login(employee)
    response = api.submit(
        {"type": "claim", "subject": "我的事项", "content": "内容", "anonymous": False}, key="sign-in-key-0001"
    )
    assert response.status_code == 201
    client.logout()
    return response.json()["case_no"]


def _next_of(response):
    target = urlsplit(response.url)
    assert target.path == reverse("portal:login")
    return parse_qs(target.query)["next"][0]


@pytest.mark.parametrize("exists", [True, False])
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, own_case_no, exists):
    case_no = own_case_no if exists else "X" + own_case_no[1:]
    page = reverse("portal:mine_case", args=[case_no])

    response = client.get(page)

    # The same answer whether or not the case exists: a redirect to the portal's sign-in page.
    assert response.status_code == 302
    assert _next_of(response) == page


def test_an_action_posted_without_signing_in_comes_back_to_the_case_page(client, own_case_no):
    response = client.post(reverse("portal:mine_case_action", args=[own_case_no, "message"]), {"text": "补充"})
    assert response.status_code == 302
    assert _next_of(response) == reverse("portal:mine_case", args=[own_case_no])


def test_signing_in_lands_on_the_case_page(client, own_case_no, employee):
    page = reverse("portal:mine_case", args=[own_case_no])
    login_url = client.get(page).url
    assert client.get(login_url).status_code == 200

    signed_in = client.post(login_url, {"username": "emp1", "password": "pw-Huiyin-2026", "next": page})

    assert signed_in.status_code == 302 and signed_in.url == page
    assert client.get(page).status_code == 200


def test_a_signed_in_account_that_does_not_own_the_case_still_gets_404(client, own_case_no, employee2, handler):
    page = reverse("portal:mine_case", args=[own_case_no])
    client.force_login(employee2)
    assert client.get(page).status_code == 404
    client.force_login(handler)  # a staff account: no portal matters of its own
    assert client.get(page).status_code == 404


def test_the_receipt_page_without_a_receipt_asks_for_the_code(client, own_case_no):
    # The receipt path has nothing to sign in to: without a receipt in the session it asks for the code.
    assert client.get(reverse("portal:case"))["Location"] == reverse("portal:track")
