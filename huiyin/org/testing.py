"""Test support for the second factor. Imported by tests only."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from huiyin.org.models import User


def otp_verified(user: User) -> User:
    """Give `user` a confirmed authenticator device and carry it on the object, so that a later
    `client.force_login(user)` opens a verified session. For tests of pages behind the second factor,
    such as the Django admin."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    user.otp_device = device
    return user


@receiver(user_logged_in, dispatch_uid="huiyin.org.testing.otp_verified")
def _otp_verified_login(sender, request, user, **kwargs) -> None:
    # django-otp persists `user.otp_device` at login only when the request carries the user, which the test
    # client's force_login does not provide.
    device = getattr(user, "otp_device", None)
    if device is not None and device.user_id == user.pk:
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
