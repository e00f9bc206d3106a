"""Staff sign-in with a brute-force limit and a cool-off (SECURITY.md, ASVS 6.3.1)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record


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
        audit_record(actor=form.get_user(), action=AuditAction.LOGIN, object_type="org.user")
        return response

    def form_invalid(self, form):
        from huiyin.portal.throttle import throttle_hit

        throttle_hit(_limits(self.request.POST.get("username") or ""))
        audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="org.user")
        return super().form_invalid(form)
