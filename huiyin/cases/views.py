"""Staff pages: my work, the case list, the case page and its commands. Thin: fetch through the
access helper, validate with a form, call one service, respond."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from huiyin.cases.actions import ACTIONS, action_label, actions_for
from huiyin.cases.filtersets import CaseFilterSet
from huiyin.cases.forms import AttachmentOriginalForm, UnsealForm
from huiyin.cases.hooks import home_sections, reply_missing
from huiyin.cases.models import Attachment, Case
from huiyin.cases.panels import panels_for
from huiyin.cases.selectors import (
    case_deadlines,
    case_get_for_user,
    case_links,
    case_list_for_user,
    case_timeline,
    category_list_editable_by,
    my_work,
    reply_drafts_of_case,
)
from huiyin.cases.services import attachment_download_record, attachment_original_open
from huiyin.core.errors import DomainError
from huiyin.core.forms import form_add_domain_error
from huiyin.core.htmx import htmx_partial
from huiyin.core.paging import CappedPaginator
from huiyin.people.services import petitioner_unseal, unseal_gate

PAGE_SIZE = 25


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.view_case"):
        # Roles without cases land on their own work: custodians on unsealing requests, auditors on the log.
        if request.user.has_perm("people.approve_unseal"):
            return redirect("portal:unseal_requests")
        if request.user.has_perm("audit.view_auditrecord"):
            return redirect("audit:list")
        if request.user.has_perm("portal.use_portal"):
            return redirect("portal:mine")
        raise PermissionDenied
    today = timezone.localdate()
    work = my_work(user=request.user, today=today)
    context = {
        "work": work,
        "today": today,
        "sections": home_sections(request.user),
        "can_edit_categories": category_list_editable_by(request.user),
    }
    return render(request, "cases/home.html", context)


@login_required
def case_list_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.view_case"):
        raise PermissionDenied
    filterset = CaseFilterSet(request.GET or None, queryset=case_list_for_user(user=request.user), user=request.user)
    invalid = filterset.is_bound and not filterset.is_valid()
    # Filters that cannot be applied list nothing and say why, rather than listing every case as if filtered.
    queryset = filterset.queryset.none() if invalid else (filterset.qs if filterset.is_bound else filterset.queryset)
    if (
        not filterset.is_bound
        or "sort" not in filterset.form.cleaned_data
        or not filterset.form.cleaned_data.get("sort")
    ):
        queryset = queryset.order_by("-received_at", "-id")
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filter_errors = (
        [
            _("{label}: {error}").format(label=filterset.form.fields[name].label, error=error)
            if name in filterset.form.fields
            else str(error)
            for name, errors in filterset.form.errors.items()
            for error in errors
        ]
        if invalid
        else []
    )
    context = {
        "filter": filterset,
        "filter_errors": filter_errors,
        "page": page,
        "query": query.urlencode(),
        "today": timezone.localdate(),
    }
    template = "cases/_case_table.html" if htmx_partial(request) else "cases/case_list.html"
    return render(request, template, context)


@login_required
def case_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    deadlines = case_deadlines(case=case)
    may_unseal = request.user.has_perm("people.unseal_petitioner") and case.petitioner_id is not None
    unseal_gate_state = unseal_gate(case=case, user=request.user) if may_unseal else ""
    # Drafts are the handling unit's and the leader's working papers: shown to those who draft or issue replies.
    drafts, draft_missing = [], []
    if request.user.has_perm("cases.draft_reply") or request.user.has_perm("cases.reply_case"):
        drafts = list(reply_drafts_of_case(case=case))
        current = drafts[0] if drafts and drafts[0].stage == case.stage else None
        if current is not None and current.is_open:
            draft_missing = reply_missing(case, current.text)
    links_out, links_in = case_links(case=case, user=request.user)
    context = {
        "case": case,
        "drafts": drafts,
        "draft_missing": draft_missing,
        "events": case_timeline(case=case, user=request.user),
        "deadlines": deadlines,
        # The next-right date on a reply rests on a provisional schedule when its clock does.
        "provisional_stages": {d.stage for d in deadlines if d.provisional and d.kind.endswith("_request")},
        "actions": actions_for(case=case, user=request.user),
        "replies": case.replies.select_related("issued_by", "signed_draft__written_by"),
        "ratings": case.ratings.all(),
        "attachments": case.attachments.all(),
        "links": links_out,
        "links_in": links_in,
        "members": case.members.select_related("user"),
        "representatives": case.representatives.all(),
        "extensions": case.extensions.select_related("requested_by", "decided_by"),
        # On an accusation report without a custodian's approval the form could only fail: offer the request.
        "can_unseal": may_unseal and unseal_gate_state == "open",
        "unseal_gate": unseal_gate_state,
        "can_download_originals": request.user.has_perm("people.unseal_petitioner"),
        "unseal_form": UnsealForm(),
        "today": today,
        "due_soon_days": settings.HUIYIN_DUE_SOON_DAYS,
        "main_panels": panels_for(case=case, user=request.user, position="main"),
        "side_panels": panels_for(case=case, user=request.user, position="side"),
    }
    return render(request, "cases/case_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = case_get_for_user(user=request.user, pk=pk, perm=spec.perm)
    if not spec.available(case, request.user):
        raise DomainErrorPage(_("This action is not available for the case in its current state."))
    form = spec.make_form(case, request.user, request.POST if request.method == "POST" else None)
    context = {"case": case, "form": form, "action": spec, "label": action_label(spec, case)}
    if request.method == "POST" and form.is_valid():
        try:
            spec.perform(case, request.user, form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            done = getattr(form, "done_message", None)
            messages.success(request, done() if done else _("Done: {action}.").format(action=context["label"]))
            target = case.get_absolute_url()
            if not Case.objects.visible_to(request.user).filter(pk=case.pk).exists():
                # The step took the case out of this user's sight (a transfer to discipline inspection).
                messages.info(request, _("Case {case_no} is no longer in your scope.").format(case_no=case.case_no))
                target = reverse("cases:list")
            if request.htmx:
                return HttpResponseClientRedirect(target)
            return redirect(target)
    template = "cases/_action_form.html" if htmx_partial(request) else "cases/action_page.html"
    return render(request, template, context, status=400 if request.method == "POST" else 200)


class DomainErrorPage(PermissionDenied):
    """Raised when a command is not legal now; rendered as 403 with the reason."""


def _attachment_get(
    request: HttpRequest, pk: int, attachment_id: int, perm: str = "cases.view_attachment"
) -> Attachment:
    case = case_get_for_user(user=request.user, pk=pk, perm=perm)
    try:
        return case.attachments.select_related("case").get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError):
        raise Http404 from None


def _file_download(handle, name: str) -> FileResponse:
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/octet-stream")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


@login_required
def attachment_download_view(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """The normal download: the copy without metadata (the original only where nothing was removed)."""
    attachment = _attachment_get(request, pk, attachment_id)
    attachment_download_record(attachment=attachment, actor=request.user)
    return _file_download(attachment.handler_file.open("rb"), attachment.original_name)


@login_required
@require_POST
def attachment_original_view(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """The original as received, metadata and all: restricted like an identity, with a reason, audited."""
    attachment = _attachment_get(request, pk, attachment_id, perm="people.unseal_petitioner")
    form = AttachmentOriginalForm(request.POST)
    if form.is_valid():
        try:
            handle = attachment_original_open(
                attachment=attachment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return _file_download(handle, attachment.original_name)
    else:
        for error in form.errors.get("reason", []):
            messages.error(request, error)
    return redirect(f"{attachment.case.get_absolute_url()}#attachments")


@login_required
@require_POST
def identity_unseal_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk, perm="people.unseal_petitioner")
    if case.petitioner is None:
        raise Http404
    form = UnsealForm(request.POST)
    identity = None
    if form.is_valid():
        try:
            identity = petitioner_unseal(
                petitioner=case.petitioner, actor=request.user, reason=form.cleaned_data["reason"], case=case
            )
        except DomainError as exc:
            form.add_error("reason", exc.message)
    response = render(
        request,
        "cases/_identity.html",
        {"case": case, "identity": identity, "unseal_form": form, "can_unseal": True},
        status=200 if identity else 400,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
