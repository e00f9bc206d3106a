"""Staff pages of the identity vault: accused persons unsealed on the case page, and the custodian's queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.selectors import case_get_for_user
from huiyin.core.errors import DomainError
from huiyin.people.forms import UnsealDecideForm, UnsealReasonForm, UnsealRevokeForm
from huiyin.people.models import AccusedPerson, UnsealRequest, UnsealStatus
from huiyin.people.selectors import unseal_context
from huiyin.people.services import accused_unseal, unseal_approval_revoke, unseal_request_decide


@login_required
@require_POST
def accused_unseal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the accused persons of a case in clear (reason, and on accusations a custodian's approval)."""
    case = case_get_for_user(user=request.user, pk=pk, perm="people.unseal_petitioner")
    people = list(AccusedPerson.objects.filter(case_id=case.pk).order_by("pk"))
    if not people:
        raise Http404
    form = UnsealReasonForm(request.POST)
    identities = None
    if form.is_valid():
        try:
            identities = accused_unseal(case=case, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error("reason", exc.message)
    response = render(
        request,
        "people/_accused_identity.html",
        {"panel": {"case": case, "people": people, "can_unseal": True, "form": form}, "identities": identities},
        status=200 if identities is not None else 400,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _requests_in_scope(user):
    qs = UnsealRequest.objects.select_related(
        "case", "case__unit", "requested_by", "requested_by__unit", "decided_by", "revoked_by"
    )
    if user.is_superuser:
        return qs
    if user.unit_id is None:
        return qs.none()
    path = user.unit.path
    return qs.filter(
        Q(case__unit__path__startswith=path)
        | Q(case__handling_unit__path__startswith=path)
        | Q(requested_by__unit__path__startswith=path)
    )


@login_required
def unseal_request_list_view(request: HttpRequest) -> HttpResponse:
    """The custodian's queue: pending requests to unseal identities on accusation reports, and recent decisions."""
    if not request.user.has_perm("people.approve_unseal"):
        audit_record(actor=request.user, action=AuditAction.ACCESS_DENIED, object_type="people.unsealrequest")
        raise PermissionDenied
    scope = _requests_in_scope(request.user)
    pending = list(
        scope.filter(status=UnsealStatus.REQUESTED)
        .select_related("case__handling_unit", "case__unit")
        .order_by("created_at")
    )
    context = unseal_context(pending)
    for r in pending:
        r.context = context[r.pk]
    now = timezone.now()
    decided = list(scope.exclude(status=UnsealStatus.REQUESTED).order_by("-decided_at", "-id")[:50])
    for r in decided:
        r.live = r.in_force(now)
    return render(
        request,
        "people/unseal_requests.html",
        {"pending": pending, "decided": decided, "form": UnsealDecideForm()},
    )


def _custodian_request(request: HttpRequest, pk: int) -> UnsealRequest:
    """The request `pk` for a custodian to act on: 403 (recorded) without the right, 404 outside their units."""
    if not request.user.has_perm("people.approve_unseal"):
        audit_record(
            actor=request.user, action=AuditAction.ACCESS_DENIED, object_type="people.unsealrequest", object_id=str(pk)
        )
        raise PermissionDenied
    try:
        return _requests_in_scope(request.user).get(pk=pk)
    except (UnsealRequest.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
@require_POST
def unseal_request_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    unseal = _custodian_request(request, pk)
    form = UnsealDecideForm(request.POST)
    if form.is_valid():
        try:
            unseal_request_decide(
                request=unseal,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Decision recorded for {case_no}.").format(case_no=unseal.case.case_no))
    else:
        messages.error(request, _("Choose approve or deny."))
    return redirect("portal:unseal_requests")


@login_required
@require_POST
def unseal_approval_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A custodian ends an approval in force before it expires, with a reason the requester is told."""
    unseal = _custodian_request(request, pk)
    form = UnsealRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("State why the approval is revoked."))
        return redirect("portal:unseal_requests")
    try:
        unseal_approval_revoke(request=unseal, actor=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The approval for {case_no} is revoked; {name} has been told.").format(
                case_no=unseal.case.case_no, name=unseal.requested_by.display_name
            ),
        )
    return redirect("portal:unseal_requests")
