"""Deny by default until the second step is done (SECURITY.md, ASVS 6.3.3).

A signed-in user who has turned two-step verification on reaches nothing but the second step (and signing
out) until their session is verified; a user whose role requires it, and an admin-site user opening the Django
admin, is sent to set it up first. Views need no decorator, so a new view cannot forget the check.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from huiyin.org.selectors import otp_device_exists, otp_required_for

# Views open to a signed-in but unverified session: leaving, the language switch and health checks.
ALWAYS_OPEN = frozenset(
    {"login", "logout", "set_language", "javascript-catalog", "healthz", "admin:logout", "portal:logout"}
)
VERIFY = "org:second_factor_verify"
SETUP_OPEN = frozenset({"org:second_factor", "org:second_factor_setup"})


class SecondFactorMiddleware:
    """Install after django_otp's OTPMiddleware, which provides `request.user.is_verified()`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return None
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if name in ALWAYS_OPEN:
            return None
        if otp_device_exists(user):
            return None if name == VERIFY else self._deny(request, VERIFY)
        if name in SETUP_OPEN or name == VERIFY:
            return None
        admin_site = match is not None and "admin" in match.namespaces
        # Only someone the Django admin lets in is asked to secure it: anyone else is told by the admin
        # itself that the account may not use it, not sent to set up a step that would not open it.
        if (admin_site and (user.is_staff or user.is_superuser)) or otp_required_for(user):
            return self._deny(request, "org:second_factor_setup")
        return None

    @staticmethod
    def _deny(request: HttpRequest, target: str) -> HttpResponse:
        match = request.resolver_match
        if (match is not None and "api" in match.namespaces) or request.path_info.startswith("/api/"):
            message = _("Complete two-step verification first.")
            body = {"error": {"code": "second_factor_required", "message": message, "fields": {}}}
            return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
        url = reverse(target)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
