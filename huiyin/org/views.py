"""Staff sign-in with a brute-force limit and a cool-off (ASVS 6.3.1), and its second step (6.3.3)."""

from __future__ import annotations

import base64
import hashlib
import xml.etree.ElementTree as ET  # builds our own SVG, parses nothing
from urllib.parse import urlencode

import django_otp
import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.org.forms import SecondFactorCodeForm, SecondFactorDisableForm, SecondFactorSetupForm
from huiyin.org.selectors import otp_device_exists, otp_device_for_user, otp_recovery_codes_left, otp_required_for
from huiyin.org.services import (
    SecondFactorError,
    SecondFactorThrottled,
    otp_device_disable,
    otp_device_enrol,
    otp_secret_new,
    otp_token_verify,
)


def _limits(username: str) -> list:
    # The database-backed fixed-window counters are shared with the portal's sign-in and receipts.
    from huiyin.portal.throttle import Limit

    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [
        Limit(
            f"staff-login:{digest}", settings.HUIYIN_STAFF_LOGIN_FAILURES, settings.HUIYIN_STAFF_LOGIN_WINDOW_SECONDS
        ),
        Limit("staff-login:all", settings.HUIYIN_STAFF_LOGIN_FAILURES_GLOBAL, 60),
    ]


class StaffLoginView(auth_views.LoginView):
    """Failures are counted per account and globally, never per address (plants share one NAT address)."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        from huiyin.portal.throttle import throttle_blocked

        wait = throttle_blocked(_limits(request.POST.get("username") or ""))
        if wait is not None:
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None, _("Too many failed attempts. Try again in {n} minutes.").format(n=max(1, (wait + 59) // 60))
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response.headers["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        audit_record(actor=user, action=AuditAction.LOGIN, object_type="org.user")
        if otp_device_exists(user):
            # The password alone does not open any staff page (huiyin.org.middleware): ask for the code now.
            return redirect(f"{reverse('org:second_factor_verify')}?{urlencode({'next': self.get_success_url()})}")
        return response

    def form_invalid(self, form):
        from huiyin.portal.throttle import throttle_hit

        throttle_hit(_limits(self.request.POST.get("username") or ""))
        audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="org.user")
        return super().form_invalid(form)


# Second factor (SECURITY.md, ASVS 6.3.3) ------------------------------------------------------------

PENDING_KEY = "_otp_pending_key"  # the secret of an enrolment in progress, kept out of the database until confirmed


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_svg(data: str) -> str:
    """The QR code of `data` as an inline SVG element, drawn here: no script, no image request."""
    image = qrcode.make(data, image_factory=SvgPathFillImage, box_size=10, border=4)
    svg = image.get_image()
    svg.set("width", "220")
    svg.set("height", "220")
    svg.set("role", "img")
    svg.set("aria-label", _("QR code of the key"))
    return ET.tostring(svg, encoding="unicode")


def _pending(request: HttpRequest) -> bool:
    """Whether the middleware holds this session back from other pages (the menu is then hidden)."""
    user = request.user
    return not user.is_verified() and (otp_device_exists(user) or otp_required_for(user))


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


@never_cache
@login_required
def second_factor_view(request: HttpRequest) -> HttpResponse:
    """Whether two-step verification is on, and the form that turns it off."""
    return _second_factor_page(request, SecondFactorDisableForm())


def _second_factor_page(request: HttpRequest, form: SecondFactorDisableForm, status: int = 200) -> HttpResponse:
    device = otp_device_for_user(request.user)
    context = {
        "device": device,
        "codes_left": otp_recovery_codes_left(request.user) if device else 0,
        "required": otp_required_for(request.user),
        "form": form,
        "second_factor_pending": _pending(request),
    }
    return render(request, "org/second_factor.html", context, status=status)


@never_cache
@login_required
def second_factor_setup_view(request: HttpRequest) -> HttpResponse:
    """Show a new key as a QR code and as text; turn two-step verification on when a current code confirms it."""
    if otp_device_exists(request.user):
        messages.info(request, _("Two-step verification is already on."))
        return redirect("org:second_factor")
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = otp_secret_new()
    form = SecondFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = otp_device_enrol(user=request.user, key=key, token=form.cleaned_data["code"])
        except SecondFactorError as exc:
            form.add_error("code", exc.message)
        else:
            del request.session[PENDING_KEY]
            django_otp.login(request, device)
            # Shown once, in the answer to this POST: only their digests are kept.
            return render(request, "org/second_factor_codes.html", {"codes": codes, "next": _next_url(request)})
    pending = TOTPDevice(user=request.user, key=key)
    context = {
        "form": form,
        "qr_svg": mark_safe(_qr_svg(pending.config_url)),  # noqa: S308 - our own SVG; ElementTree escapes every value
        "secret": _grouped(base64.b32encode(pending.bin_key).decode()),
        "next": _next_url(request),
        "required": otp_required_for(request.user),
        # Sent here on the way to the Django admin (`SecondFactorMiddleware`): say why.
        "for_admin": _next_url(request).startswith(reverse("admin:index")),
        "second_factor_pending": _pending(request),
    }
    return render(request, "org/second_factor_setup.html", context, status=400 if request.method == "POST" else 200)


@never_cache
@login_required
def second_factor_verify_view(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    next_url = _next_url(request)
    if request.user.is_verified() or not otp_device_exists(request.user):
        return redirect(next_url)
    form = SecondFactorCodeForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    wait = None
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_token_verify(user=request.user, token=form.cleaned_data["code"])
        except SecondFactorThrottled as exc:
            form.add_error(None, exc.message)
            status, wait = 429, exc.wait
        except SecondFactorError as exc:
            form.add_error("code", exc.message)
        else:
            # The session gains rights here: give it a new id, as at the password step.
            request.session.cycle_key()
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = otp_recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; {n} codes are left. If your phone is lost, "
                        "turn two-step verification off and set it up again."
                    ).format(n=left),
                )
            return redirect(next_url)
    response = render(
        request,
        "org/second_factor_verify.html",
        {"form": form, "next": next_url, "second_factor_pending": True},
        status=status,
    )
    if wait is not None:
        response.headers["Retry-After"] = str(wait)
    return response


@never_cache
@require_POST
@login_required
def second_factor_disable_view(request: HttpRequest) -> HttpResponse:
    """Turn two-step verification off with the password and a current code (to set it up again on a new phone)."""
    form = SecondFactorDisableForm(request.POST)
    if not form.is_valid():
        return _second_factor_page(request, form, status=400)
    try:
        otp_device_disable(user=request.user, password=form.cleaned_data["password"], token=form.cleaned_data["code"])
    except SecondFactorThrottled as exc:
        form.add_error(None, exc.message)
        response = _second_factor_page(request, form, status=429)
        response.headers["Retry-After"] = str(exc.wait)
        return response
    except SecondFactorError as exc:
        form.add_error(None, exc.message)
        return _second_factor_page(request, form, status=400)
    messages.success(request, _("Two-step verification is off."))
    if otp_required_for(request.user):
        return redirect("org:second_factor_setup")
    return redirect("org:second_factor")
