"""Reads about staff accounts: the state of their second factor."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from huiyin.org.models import User

# Not a group: stands for the accounts that can open the Django admin in HUIYIN_OTP_REQUIRED_ROLES.
ADMIN_ROLE = "admin"


def otp_device_for_user(user: User) -> TOTPDevice | None:
    """Return the user's confirmed authenticator device, if they have turned two-step verification on."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def otp_device_exists(user: User) -> bool:
    """Whether the user must pass a second step before their session counts as verified."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def otp_recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the user still has."""
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def otp_required_for(user: User) -> bool:
    """Whether one of the user's roles (HUIYIN_OTP_REQUIRED_ROLES) obliges them to use a second factor."""
    required = set(settings.HUIYIN_OTP_REQUIRED_ROLES)
    if not required:
        return False
    if ADMIN_ROLE in required and (user.is_staff or user.is_superuser):
        return True
    return user.groups.filter(name__in=required - {ADMIN_ROLE}).exists()
