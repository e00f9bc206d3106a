from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from huiyin.cases.services import PetitionerData, RepresentativeData, case_register
from huiyin.core.errors import DomainError
from huiyin.core.forms import form_add_domain_error
from huiyin.intake.forms import RegisterForm


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
            messages.success(request, _("Registered as {case_no}.").format(case_no=case.case_no))
            if case.compartment == "discipline" and not request.user.has_perm("cases.view_discipline_case"):
                # The clerk cannot see accusation reports once registered; show the number only.
                return render(request, "intake/registered.html", {"case_no": case.case_no})
            return redirect(case)
    status = 400 if request.method == "POST" else 200
    return render(request, "intake/register.html", {"form": form}, status=status)
