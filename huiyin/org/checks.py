"""System checks of the organisation settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register()
def otp_required_roles_check(app_configs, **kwargs) -> list[Error]:
    """Every code in HUIYIN_OTP_REQUIRED_ROLES is a role (or "admin"): a typo would silently require nothing."""
    from huiyin.org.roles import ROLE_PERMISSIONS
    from huiyin.org.selectors import ADMIN_ROLE

    unknown = sorted(set(settings.HUIYIN_OTP_REQUIRED_ROLES) - set(ROLE_PERMISSIONS) - {ADMIN_ROLE})
    if not unknown:
        return []
    return [
        Error(
            f"HUIYIN_OTP_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use {ADMIN_ROLE!r} or role codes of huiyin/org/roles.py: {', '.join(ROLE_PERMISSIONS)}.",
            id="org.E001",
        )
    ]
