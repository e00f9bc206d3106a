from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from huiyin.cases.services import PetitionerData, RepresentativeData, case_register
from huiyin.core.errors import DomainError
from huiyin.core.forms import form_add_domain_error
from huiyin.intake.forms import RegisterForm

# The confirmation of a registration the clerk may not open (an accusation report, kept in discipline
# inspection's compartment) is a page of its own, reached by a redirect: reloading it shows the confirmation
# again and registers nothing. Its address carries the case number signed for the clerk who registered it.
REGISTERED_SALT = "huiyin.intake.registered"
REGISTERED_MAX_AGE = 7 * 24 * 3600


def _registered_url(case_no: str, user_id: int) -> str:
    token = signing.dumps({"case_no": case_no, "user": user_id}, salt=REGISTERED_SALT, compress=True)
    return reverse("intake:registered", args=[token])


@login_required
def case_register_view(request: HttpRequest) -> HttpResponse:
    """Register a matter received on any channel."""
    if not request.user.has_perm("cases.add_case"):
        raise PermissionDenied
    form = RegisterForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = case_register(
                actor=request.user,
                unit=d["unit"],
                channel=d["channel"],
                type=d["type"],
                subject=d["subject"],
                content=d["content"],
                received_at=d["received_at"],
                category=d["category"],
                target_unit=d["target_unit"],
                anonymous=d["anonymous"],
                petitioner=None
                if d["anonymous"]
                else PetitionerData(
                    name=d["name"],
                    id_number=d["id_number"],
                    employee_no=d["employee_no"],
                    phone=d["phone"],
                    address=d["address"],
                ),
                collective=d["collective"],
                headcount=d["headcount"],
                representatives=[RepresentativeData(name=n, phone=p) for n, p in d["representatives"]],
                source=d["source"],
                forwarded_authority=d["forwarded_authority"],
                forwarded_ref=d["forwarded_ref"],
                forwarded_deadline=d["forwarded_deadline"],
                uploads=d["attachments"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            # Post/Redirect/Get on every path: a reload (F5) of the answer must never register the matter again.
            if case.compartment == "discipline" and not request.user.has_perm("cases.view_discipline_case"):
                # The clerk cannot see accusation reports once registered; show the number only.
                return redirect(_registered_url(case.case_no, request.user.pk))
            messages.success(request, _("Registered as {case_no}.").format(case_no=case.case_no))
            return redirect(case)
    status = 400 if request.method == "POST" else 200
    return render(request, "intake/register.html", {"form": form}, status=status)


@login_required
@require_GET
def case_registered_view(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation of an accusation report just registered (see `REGISTERED_SALT`)."""
    if not request.user.has_perm("cases.add_case"):
        raise PermissionDenied
    try:
        data = signing.loads(token, salt=REGISTERED_SALT, max_age=REGISTERED_MAX_AGE)
    except signing.BadSignature:  # also an expired one
        raise Http404 from None
    if not isinstance(data, dict) or data.get("user") != request.user.pk or not data.get("case_no"):
        raise Http404
    return render(request, "intake/registered.html", {"case_no": data["case_no"]})
