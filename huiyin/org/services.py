"""Writes to the organisation tree and to staff accounts."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import unicodedata

import django_otp
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, key_validator
from django_otp.util import random_hex

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.core.errors import DomainError
from huiyin.org.models import OrgUnit, User
from huiyin.org.roles import ROLE_PERMISSIONS


@transaction.atomic
def unit_create(*, name: str, code: str, kind: str, parent: OrgUnit | None = None, **extra) -> OrgUnit:
    """Create a unit under `parent` and set its materialised path."""
    unit = OrgUnit(name=name, code=code, kind=kind, parent=parent, **extra)
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def unit_move(*, unit: OrgUnit, parent: OrgUnit) -> OrgUnit:
    """Move `unit` and its subtree under `parent`."""
    if parent.is_within(unit):
        raise ValueError("A unit cannot move below itself.")
    old_path = unit.path
    new_path = f"{parent.path}{unit.pk}/"
    delta = parent.depth + 1 - unit.depth
    for node in OrgUnit.objects.select_for_update().filter(path__startswith=old_path):
        node.path = new_path + node.path[len(old_path) :]
        node.depth += delta
        node.save(update_fields=["path", "depth", "updated_at"])
    OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
    unit.refresh_from_db()
    return unit


@transaction.atomic
def user_create(
    *, username: str, password: str | None, unit: OrgUnit | None, roles: list[str], full_name: str = "", title: str = ""
) -> User:
    """Create a staff account in `unit` with the given roles."""
    unknown = set(roles) - set(ROLE_PERMISSIONS)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    user = User(username=username, unit=unit, full_name=full_name, title=title)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


# Second factor (SECURITY.md, ASVS 6.3.3) ------------------------------------------------------------

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


class SecondFactorError(DomainError):
    code = "second_factor"


class SecondFactorThrottled(SecondFactorError):
    code = "throttled"

    def __init__(self, wait: int):
        super().__init__(_("Too many wrong codes. Try again in {n} minutes.").format(n=max(1, (wait + 59) // 60)))
        self.wait = wait


def _otp_limits(user: User) -> list:
    # The same database-backed fixed windows as the password step (org.views), counted per account.
    from huiyin.portal.throttle import Limit

    return [
        Limit(f"staff-otp:{user.pk}", settings.HUIYIN_STAFF_LOGIN_FAILURES, settings.HUIYIN_STAFF_LOGIN_WINDOW_SECONDS)
    ]


def _otp_check_throttle(user: User) -> None:
    from huiyin.portal.throttle import throttle_blocked

    wait = throttle_blocked(_otp_limits(user))
    if wait is not None:
        raise SecondFactorThrottled(wait)


def _otp_count_failure(user: User) -> None:
    from huiyin.portal.throttle import throttle_hit

    throttle_hit(_otp_limits(user))


def otp_code_normalise(code: str) -> str:
    """A code as typed, read the way it was meant: full-width digits and letters (a Chinese input method's
    １２３４５６) become ASCII (NFKC), and spaces of any kind (between the two groups of three) are dropped."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", code or ""))


def recovery_code_digest(code: str) -> str:
    """What is stored of a recovery code: a copy of the database yields no usable code (each has 80 random bits)."""
    normalised = re.sub(r"[\s-]", "", code).lower()
    return hashlib.sha256(normalised.encode()).hexdigest()[:16]


def otp_secret_new() -> str:
    """A fresh hex-encoded TOTP secret (160 bits) for an enrolment in progress."""
    return random_hex(20)


def _recovery_codes_issue(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()
        codes.append("-".join(raw[i : i + 4] for i in range(0, len(raw), 4)))
    StaticToken.objects.bulk_create([StaticToken(device=device, token=recovery_code_digest(c)) for c in codes])
    return codes


@transaction.atomic
def otp_device_enrol(*, user: User, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Turn two-step verification on with the authenticator app holding `key`, proven by a current `token`.

    Returns the confirmed device and the new recovery codes, which are stored only as digests and so can be
    shown this once. A wrong token changes nothing.
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise SecondFactorError(_("Two-step verification is already on. Turn it off first to set it up again."))
    try:
        key_validator(key)
    except ValidationError:
        raise SecondFactorError(_("The set-up has expired. Start again.")) from None
    token = otp_code_normalise(token)
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
    # verify_token records the code's time step, so this very code cannot be used again to sign in.
    if not device.verify_token(token):
        raise SecondFactorError(_("The code is wrong or has expired. Enter the code the app shows now."))
    codes = _recovery_codes_issue(user)
    audit_record(actor=user, action=AuditAction.OTP_ENROL, obj=user, detail={"recovery_codes": len(codes)})
    return device, codes


def otp_token_verify(*, user: User, token: str) -> Device:
    """Check a code from the authenticator app, or a recovery code, for `user`'s second step.

    Wrong codes count against the account's cool-off window; a code is accepted once only (django-otp keeps
    the last time step used, and deletes a recovery code when it is used). Returns the device that accepted it.
    """
    _otp_check_throttle(user)
    token = otp_code_normalise(token)
    device = None
    if re.fullmatch(r"[0-9]{6}", token):
        totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if totp is not None:
            device = django_otp.verify_token(user, totp.persistent_id, token)
    else:
        static = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if static is not None:
            device = django_otp.verify_token(user, static.persistent_id, recovery_code_digest(token))
    if device is None:
        _otp_count_failure(user)
        audit_record(actor=user, action=AuditAction.OTP_FAILED, obj=user)
        raise SecondFactorError(_("The code is wrong, has expired or was already used."))
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        audit_record(actor=user, action=AuditAction.OTP_RECOVERY_USED, obj=user, detail={"codes_left": left})
    else:
        audit_record(actor=user, action=AuditAction.OTP_VERIFIED, obj=user)
    return device


def otp_device_disable(*, user: User, password: str, token: str) -> None:
    """Turn two-step verification off, proven by the password and a current code (or a recovery code)."""
    _otp_check_throttle(user)
    if not user.check_password(password):
        _otp_count_failure(user)
        audit_record(actor=user, action=AuditAction.OTP_FAILED, obj=user, detail={"step": "password"})
        raise SecondFactorError(_("The password is wrong."))
    otp_token_verify(user=user, token=token)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(actor=user, action=AuditAction.OTP_DISABLE, obj=user)


@transaction.atomic
def otp_device_reset(*, user: User, actor: User) -> bool:
    """Remove `user`'s second factor for them (a lost phone and lost recovery codes); they set it up again."""
    deleted, _detail = TOTPDevice.objects.filter(user=user).delete()
    deleted_static, _detail = StaticDevice.objects.filter(user=user).delete()
    if not (deleted or deleted_static):
        return False
    audit_record(actor=actor, action=AuditAction.OTP_DISABLE, obj=user, detail={"reset_by_admin": True})
    return True
