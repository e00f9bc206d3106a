"""The admin pages of triage open, and trained models cannot be uploaded through them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiyin.org.models import User


@pytest.fixture
def admin_user(org):
    from huiyin.org.testing import otp_verified

    # The admin site requires a session verified by a second factor.
    return otp_verified(
        User.objects.create_superuser(username="root", password="pw-Huiyin-2026", email="root@example.com")
    )


@pytest.mark.parametrize(
    "model", ["categoryroute", "categorykeywords", "trainedmodel", "suggestion", "hotissuerun", "disputeentry"]
)
def test_admin_changelists_open(client, admin_user, case, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:triage_{model}_changelist")).status_code == 200


def test_models_are_never_uploaded_through_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:triage_trainedmodel_add")).status_code == 403
