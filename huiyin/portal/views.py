"""Portal pages for employees (mobile first, Chinese by default) and the portal's staff pages.

A petitioner reaches their case either with the receipt code — verified once, then remembered in
the session for HUIYIN_PORTAL_SESSION_SECONDS — or, for a named petitioner, by signing in.
Nothing here logs an address, a user agent or a petitioner's text.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.models import Case
from huiyin.cases.services import next_stage_request_window
from huiyin.core.errors import DomainError
from huiyin.core.forms import form_add_domain_error
from huiyin.portal.forms import (
    CheckinForm,
    MessageForm,
    RatingForm,
    ReceiptIssueForm,
    ReviewForm,
    SubmissionForm,
    TrackForm,
    new_form_key,
)
from huiyin.portal.models import FollowUpStatus, KnowledgeArticle, KnowledgeKind, Receipt, RetaliationFollowUp
from huiyin.portal.notices import acceptance_notice
from huiyin.portal.receipts import case_no_hint
from huiyin.portal.selectors import (
    clock_may_move,
    clock_overdue,
    portal_attachment_names,
    portal_case_by_id,
    portal_case_of,
    portal_cases_of,
    portal_clocks,
    portal_decision,
    portal_extensions,
    portal_messages,
    portal_reply,
    portal_stages,
    receipt_slip_case_for,
)
from huiyin.portal.services import (
    IdempotencyConflict,
    ReceiptInvalid,
    ReceiptReplaced,
    ReceiptThrottled,
    Submission,
    checkin_pending,
    message_from_petitioner,
    portal_rate,
    portal_request_review,
    portal_submit,
    rating_due,
    receipt_is_live,
    receipt_issue,
    receipt_lookup,
    receipt_was_replaced,
    retaliation_answer,
)
from huiyin.portal.throttle import Limit, throttle_blocked, throttle_hit
from huiyin.portal.validation import IDEMPOTENCY_KEY

SESSION_KEY = "portal_case"
REPLACED_MESSAGE = gettext_lazy(
    "This receipt code has been replaced by a new one. Use the new code, or contact the petition office."
)


class _ReceiptReplacedInSession(Exception):
    """The receipt this browser opened the case with was replaced since: say so on the lookup page."""


class _SignInRequired(Exception):
    """A signed-in petitioner's case page opened by a visitor who is not signed in: send them to sign in."""

    def __init__(self, case_no: str) -> None:
        super().__init__(case_no)
        self.case_no = case_no


class _CodeRequired(Exception):
    """The matter page opened without a matter in this browser's session (it ended, or was never opened):
    ask for the query code again on the lookup page."""


def _no_store(response: HttpResponse) -> HttpResponse:
    response.headers["Cache-Control"] = "no-store"
    return response


def _signed_in_petitioner(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.has_perm("portal.use_portal")


def _knowledge() -> dict[str, list[KnowledgeArticle]]:
    published = list(KnowledgeArticle.objects.filter(published=True).order_by("sort", "id")[:30])
    return {
        "articles": [a for a in published if a.kind == KnowledgeKind.ARTICLE],
        "faqs": [a for a in published if a.kind == KnowledgeKind.FAQ],
    }


# Submitting -------------------------------------------------------------------------------------


FORM_KEY_PARAM = "form"


def _fresh_form_url() -> str:
    return "{url}?{param}={key}".format(url=reverse("portal:home"), param=FORM_KEY_PARAM, key=new_form_key())


@require_http_methods(["GET", "POST"])
def portal_home_view(request: HttpRequest) -> HttpResponse:
    """Submit a matter, with the knowledge base beside the form.

    The form's idempotency key is part of the page's address (`?form=<key>`): `/portal/` redirects to
    a fresh one. Going Back to the form after submitting it — the browser fetches the page again, as
    it is never stored — therefore renders the key already used, and submitting again lands on the
    same answer as a reload: "already submitted", never a second case. A new matter starts from
    `/portal/` ("Submit another matter"), which gets a new key.
    """
    signed_in = _signed_in_petitioner(request)
    if request.method == "GET":
        key = request.GET.get(FORM_KEY_PARAM, "")
        if not IDEMPOTENCY_KEY.match(key):
            return _no_store(redirect(_fresh_form_url()))
        form = SubmissionForm(signed_in=signed_in, initial={"idempotency_key": key})
        return _no_store(render(request, "portal/home.html", {"form": form, "signed_in": signed_in, **_knowledge()}))
    form = SubmissionForm(request.POST, request.FILES or None, signed_in=signed_in)
    if form.is_valid():
        d = form.cleaned_data
        submission = Submission(
            type=d["type"],
            subject=d["subject"],
            content=d["content"],
            anonymous=d["anonymous"],
            contact=d["contact"],
            name=d["name"],
            employee_no=d["employee_no"],
            collective=d["collective"],
            headcount=d["headcount"] or 1,
            representatives=tuple(d["representatives"]),
        )
        try:
            result = portal_submit(
                key=d["idempotency_key"],
                submission=submission,
                account=request.user if signed_in else None,
                uploads=d["attachments"],
                files_may_be_missing=True,  # Back does not restore file inputs
            )
        except IdempotencyConflict:
            # This page's form was already sent, with other content. Keep what was typed, give the form a
            # new key and let the petitioner decide: one more press sends it as a new matter.
            form = _with_new_key(form)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            context = {
                "case": result.case,
                "receipt": result.receipt,
                "replayed": result.replayed,
                "acceptance_notice": acceptance_notice(result.case),
                # A named matter sent while signed in is also listed under 我的事项.
                "in_my_matters": signed_in and not result.case.anonymous,
            }
            return _no_store(render(request, "portal/submitted.html", context, status=201 if result.receipt else 200))
    context = {"form": form, "signed_in": signed_in, **_knowledge()}
    return _no_store(render(request, "portal/home.html", context, status=400))


def _with_new_key(form: SubmissionForm) -> SubmissionForm:
    """The form as typed, with a new idempotency key and a word on why it is shown again."""
    data = form.data.copy()
    data["idempotency_key"] = new_form_key()
    renewed = SubmissionForm(data, signed_in=form.signed_in)
    renewed.is_valid()
    renewed.add_error(
        None,
        _(
            "This form was already submitted once, with different content. If this is a new matter, check it "
            "and press Submit again. To follow the matter you already submitted, use its receipt code."
        ),
    )
    if form.cleaned_data.get("attachments"):
        renewed.add_error("attachments", _("Choose the files again: a browser cannot keep them."))
    return renewed


# Following a matter -----------------------------------------------------------------------------


def _session_case(request: HttpRequest) -> Case | None:
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - float(data.get("at", 0)) > settings.HUIYIN_PORTAL_SESSION_SECONDS:
        request.session.pop(SESSION_KEY, None)
        return None
    if not receipt_is_live(data.get("receipt"), data.get("case")):
        request.session.pop(SESSION_KEY, None)
        if receipt_was_replaced(data.get("receipt"), data.get("case")):
            # This browser proved the old code when it opened the case; it may know that it was replaced.
            raise _ReceiptReplacedInSession
        return None
    data["at"] = time.time()
    request.session[SESSION_KEY] = data
    return portal_case_by_id(data["case"])


def _resolve(request: HttpRequest, case_no: str | None) -> tuple[Case, str]:
    """The case this visitor may see and the URL of its page, or 404 (a named petitioner's page asks a visitor
    who is not signed in to sign in first)."""
    if case_no is not None:
        if not request.user.is_authenticated:
            # Whether or not the case exists, a visitor who is not signed in is asked to sign in (a link
            # from a notice or a bookmark, after the session ended); nothing tells them whether it exists.
            raise _SignInRequired(case_no)
        if not _signed_in_petitioner(request):
            raise Http404
        case = portal_case_of(request.user, case_no)
        if case is None:
            raise Http404
        return case, reverse("portal:mine_case", args=[case.case_no])
    case = _session_case(request)
    if case is None:
        raise _CodeRequired
    return case, reverse("portal:case")


@require_http_methods(["GET", "POST"])
def portal_track_view(request: HttpRequest) -> HttpResponse:
    """Enter the receipt code to follow a matter.

    The submission page posts the receipt here from a form (never in a URL). A link may carry the case
    number alone (`?case_no=`), which only fills in the start of the code.
    """
    initial = {}
    case_no = case_no_hint(request.GET.get("case_no"))
    if request.method == "GET" and case_no:
        initial["receipt"] = f"{case_no}-"
    form = TrackForm(request.POST or None, initial=initial)
    status = 200
    retry_after = 0
    if request.method == "POST" and form.is_valid():
        try:
            receipt = receipt_lookup(text=form.cleaned_data["receipt"])
        except ReceiptThrottled as exc:
            retry_after = exc.retry_after
            minutes = max(1, (retry_after + 59) // 60)
            form.add_error("receipt", _("Too many attempts. Try again in {n} minutes.").format(n=minutes))
            status = 429
        except ReceiptReplaced:
            # Only the holder of the old code gets here (its secret verified against the old hash).
            form.add_error("receipt", REPLACED_MESSAGE)
            status = 410
        except ReceiptInvalid:
            form.add_error("receipt", _("No matter was found for this receipt code. Check it and try again."))
            status = 404
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = {"case": receipt.case_id, "receipt": receipt.pk, "at": time.time()}
            return redirect("portal:case")
    elif request.method == "POST":
        status = 400
    response = render(request, "portal/track.html", {"form": form}, status=status)
    if status == 429:
        response.headers["Retry-After"] = str(retry_after)
    return _no_store(response)


def _case_context(case: Case, base_url: str) -> dict[str, Any]:
    checkin = checkin_pending(case)
    today = timezone.localdate()
    request_due = next_stage_request_window(case=case)
    request_open = request_due is not None and today <= request_due
    return {
        "case": case,
        "base_url": base_url,
        "attachment_names": portal_attachment_names(case),
        "clocks": [(d, clock_overdue(d, today), clock_may_move(d)) for d in portal_clocks(case)],
        "extensions": portal_extensions(case),
        "reply": portal_reply(case),
        "decision": portal_decision(case),
        "stages": portal_stages(case),
        "messages_thread": portal_messages(case),
        "rating_due": rating_due(case),
        "can_request_review": request_open,
        "review_lapsed_on": request_due if request_due is not None and not request_open else None,
        "checkin": checkin,
        "message_form": MessageForm(),
        "rating_form": RatingForm(),
        "review_form": ReviewForm(),
        "checkin_form": CheckinForm() if checkin else None,
        "today": today,
    }


def _replaced_in_session(request: HttpRequest) -> HttpResponse:
    messages.warning(request, REPLACED_MESSAGE)
    return redirect("portal:track")


def _code_again(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        text = _(
            "For your protection, the matter had closed after a while without activity, so what you just "
            "sent was not received. Enter the receipt code again, then send it once more."
        )
        messages.warning(request, text)
    else:
        text = _(
            "To see a matter, enter its receipt code. For your protection, the matter closes after a while "
            "without activity; what you sent before is kept."
        )
        messages.info(request, text)
    return _no_store(redirect("portal:track"))


def _sign_in(case_no: str) -> HttpResponse:
    """The portal's sign-in page, coming back to the case page (never to an action, which only takes POST)."""
    page = reverse("portal:mine_case", args=[case_no])
    return _no_store(auth_views.redirect_to_login(page, login_url=reverse("portal:login")))


def portal_case_view(request: HttpRequest, case_no: str | None = None) -> HttpResponse:
    try:
        case, base_url = _resolve(request, case_no)
    except _ReceiptReplacedInSession:
        return _replaced_in_session(request)
    except _SignInRequired as exc:
        return _sign_in(exc.case_no)
    except _CodeRequired:
        return _code_again(request)
    return _no_store(render(request, "portal/case.html", _case_context(case, base_url)))


ACTIONS = {
    "message": (MessageForm, "message_form", lambda case, d: message_from_petitioner(case=case, text=d["text"])),
    "rate": (
        RatingForm,
        "rating_form",
        lambda case, d: portal_rate(case=case, rating=d["rating"], comment=d["comment"]),
    ),
    "review": (ReviewForm, "review_form", lambda case, d: portal_request_review(case=case, reason=d["reason"])),
}
DONE = {
    "message": gettext_lazy("Your message has been sent."),
    "rate": gettext_lazy("Thank you for your rating."),
    "review": gettext_lazy("Your request has been registered."),
    "checkin": gettext_lazy("Thank you for your answer."),
}


@require_http_methods(["GET", "POST"])
def portal_case_action_view(request: HttpRequest, action: str, case_no: str | None = None) -> HttpResponse:
    if request.method == "GET":
        # The address a form was sent to, reloaded or bookmarked: back to the matter's page, not a bare 405.
        return redirect("portal:mine_case", case_no) if case_no else redirect("portal:case")
    try:
        case, base_url = _resolve(request, case_no)
    except _ReceiptReplacedInSession:
        return _replaced_in_session(request)
    except _SignInRequired as exc:
        return _sign_in(exc.case_no)
    except _CodeRequired:
        return _code_again(request)
    context = _case_context(case, base_url)
    if action == "checkin":
        checkin = context["checkin"]
        if checkin is None:
            raise Http404
        form = CheckinForm(request.POST)
        context["checkin_form"] = form
        perform = lambda d: retaliation_answer(checkin=checkin, answer=d["answer"], comment=d["comment"])  # noqa: E731
    elif action in ACTIONS:
        form_class, name, run = ACTIONS[action]
        form = form_class(request.POST)
        context[name] = form
        perform = lambda d: run(case, d)  # noqa: E731
    else:
        raise Http404
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, DONE[action])
            return redirect(base_url)
    return _no_store(render(request, "portal/case.html", context, status=400))


@require_POST
def portal_leave_view(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return redirect("portal:home")


# Named petitioners ------------------------------------------------------------------------------


class PortalLoginView(auth_views.LoginView):
    """Employees sign in with their account; the authentication backends decide how (password now,
    the enterprise directory later). Failures are counted per account, not per address."""

    template_name = "portal/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = self.get_redirect_url()
        mine = reverse("portal:mine")
        if _signed_in_petitioner(self.request):
            return url or mine
        # A staff account has no matters of its own here: its work is on the staff site.
        return url if url and not url.startswith(mine) else reverse("home")

    def _limit(self) -> Limit:
        username = (self.request.POST.get("username") or "").strip().lower()
        digest = hashlib.sha256(username.encode()).hexdigest()[:32]
        return Limit(
            f"portal-login:{digest}", settings.HUIYIN_PORTAL_LOGIN_FAILURES, settings.HUIYIN_PORTAL_LOGIN_WINDOW_SECONDS
        )

    def post(self, request, *args, **kwargs):
        wait = throttle_blocked([self._limit()])
        if wait is not None:
            # Do not even check the password while the account is cooling off.
            context = self.get_context_data(
                form=self.form_class(request),
                throttled=_("Too many failed attempts. Try again in {n} minutes.").format(n=max(1, (wait + 59) // 60)),
            )
            response = self.render_to_response(context, status=429)
            response.headers["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle_hit([self._limit()])
        audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="portal.login")
        return super().form_invalid(form)


@login_required(login_url="portal:login")
def portal_mine_view(request: HttpRequest) -> HttpResponse:
    if not _signed_in_petitioner(request):
        # A staff account signed in here: say where its work is rather than a bare "forbidden".
        return _no_store(render(request, "portal/staff_account.html", status=403))
    return _no_store(render(request, "portal/mine.html", {"cases": portal_cases_of(request.user)[:200]}))


# Knowledge base ---------------------------------------------------------------------------------


def knowledge_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/knowledge_list.html", _knowledge())


def knowledge_view(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(KnowledgeArticle, slug=slug, published=True)
    return render(request, "portal/knowledge.html", {"article": article})


# Staff: receipt slips and retaliation follow-ups ------------------------------------------------


def _slip_case(request: HttpRequest, case_no: str) -> Case:
    user = request.user
    if not user.has_perm("portal.issue_receipt"):
        audit_record(actor=user, action=AuditAction.ACCESS_DENIED, object_type="cases.case", object_id=case_no[:40])
        raise PermissionDenied
    case = receipt_slip_case_for(user=user, case_no=case_no)
    if case is None:
        audit_record(
            actor=user,
            action=AuditAction.ACCESS_DENIED,
            object_type="cases.case",
            object_id=case_no[:40],
            detail={"perm": "portal.issue_receipt", "reason": "not_found_or_out_of_scope"},
        )
        raise Http404
    return case


@login_required
@require_http_methods(["GET", "POST"])
def receipt_slip_view(request: HttpRequest, case_no: str) -> HttpResponse:
    """Issue (or re-issue, revoking the old code) a receipt and show it once on a printable slip."""
    case = _slip_case(request, case_no)
    reissue = Receipt.objects.filter(case=case, revoked_at__isnull=True).exists()
    form = ReceiptIssueForm(request.POST if request.method == "POST" else None, reissue=reissue)
    back_url = _slip_back_url(request.user, case)
    if request.method == "POST" and form.is_valid():
        receipt = receipt_issue(case=case, actor=request.user, reason=form.cleaned_data.get("reason", ""))
        context = {
            "case": case,
            "receipt": receipt,
            "portal_url": request.build_absolute_uri(reverse("portal:track")),
            "acceptance_notice": acceptance_notice(case),
            "back_url": back_url,
        }
        return _no_store(render(request, "portal/receipt_slip.html", context))
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "reissue": reissue, "back_url": back_url}
    return _no_store(render(request, "portal/receipt_issue.html", context, status=status))


def _slip_back_url(user: Any, case: Case) -> str:
    """The staff case page, or the staff home for a clerk who may print the slip but not see the case."""
    if Case.objects.visible_to(user).filter(pk=case.pk).exists():
        return case.get_absolute_url()
    return reverse("home")


@login_required
def retaliation_list_view(request: HttpRequest) -> HttpResponse:
    """Open retaliation follow-ups in the user's scope (petition office and discipline inspection only)."""
    if not request.user.has_perm("portal.view_retaliationfollowup"):
        audit_record(actor=request.user, action=AuditAction.ACCESS_DENIED, object_type="portal.retaliationfollowup")
        raise PermissionDenied
    visible = Case.objects.visible_to(request.user).values("pk")
    state = request.GET.get("status", FollowUpStatus.OPEN)
    qs = RetaliationFollowUp.objects.filter(case__in=visible).select_related("case", "checkin", "closed_by")
    if state in FollowUpStatus.values:
        qs = qs.filter(status=state)
    return render(
        request,
        "portal/retaliation_list.html",
        {"followups": qs.order_by("-created_at")[:200], "status": state, "statuses": FollowUpStatus.choices},
    )
