"""Pages of the petition office: retention rules, what is due, and the archival review. Thin views:
check the right, fetch in scope, validate, call one service, respond."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huiyin.cases.models import Case
from huiyin.core.errors import DomainError
from huiyin.core.forms import form_add_domain_error
from huiyin.retention.forms import ArchiveDecisionForm, RetentionRuleForm
from huiyin.retention.models import ArchiveDecision, ArchiveReview, RetentionRule
from huiyin.retention.policies import BUILT_IN
from huiyin.retention.selectors import due_rows, pending_reviews_for, waiting_personal_data_for
from huiyin.retention.services import archive_review_decide, retention_rule_delete, retention_rule_save

PAGE_SIZE = 25


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _save_rule(request: HttpRequest, form: RetentionRuleForm) -> bool:
    if not form.is_valid():
        return False
    try:
        retention_rule_save(rule=form.instance, actor=request.user)
    except DomainError as exc:
        form_add_domain_error(form, exc)
        return False
    messages.success(request, _("Retention rule saved: {rule}.").format(rule=form.instance))
    if form.instance.shortening_note:
        messages.warning(request, form.instance.shortening_note)
    return True


@login_required
@require_http_methods(["GET", "POST"])
def rule_list_view(request: HttpRequest) -> HttpResponse:
    """The rules, the default first; the office adds a rule for a category below the list."""
    _require(request, "retention.view_retentionrule")
    can_change = request.user.has_perm("retention.change_retentionrule")
    form = RetentionRuleForm(request.POST or None) if can_change else None
    if request.method == "POST":
        _require(request, "retention.change_retentionrule")
        if _save_rule(request, form):
            return redirect("retention:rules")
    rules = list(RetentionRule.objects.select_related("category", "updated_by"))
    return render(
        request,
        "retention/rules.html",
        {
            "rules": rules,
            "has_default": any(r.is_default for r in rules),
            "built_in": BUILT_IN,
            "form": form,
            "can_change": can_change,
            "shortening_days": settings.HUIYIN_RETENTION_SHORTENING_DAYS,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "retention.change_retentionrule")
    try:
        rule = RetentionRule.objects.select_related("category").get(pk=pk)
    except RetentionRule.DoesNotExist:
        raise Http404 from None
    form = RetentionRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and _save_rule(request, form):
        return redirect("retention:rules")
    return render(
        request,
        "retention/rule_edit.html",
        {"form": form, "rule": rule},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def rule_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "retention.change_retentionrule")
    try:
        rule = RetentionRule.objects.get(pk=pk)
    except RetentionRule.DoesNotExist:
        raise Http404 from None
    try:
        retention_rule_delete(rule=rule, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Retention rule removed."))
    return redirect("retention:rules")


@login_required
def due_view(request: HttpRequest) -> HttpResponse:
    """What the retention rules have reached, in the user's scope: archives waiting for review, and
    personal data due for removal that something still holds back."""
    _require(request, "retention.view_retentionrule")
    today = timezone.localdate()
    reviews = Paginator(pending_reviews_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("reviews"))
    waiting = Paginator(waiting_personal_data_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("waiting"))
    return render(
        request,
        "retention/due.html",
        {
            "reviews": reviews,
            "review_rows": list(
                zip(
                    reviews.object_list,
                    due_rows(cases=[r.case for r in reviews.object_list], personal=False, today=today),
                    strict=True,
                )
            ),
            "waiting": waiting,
            "waiting_rows": due_rows(cases=waiting.object_list, personal=True, today=today),
            "can_review": request.user.has_perm("retention.review_archive"),
            "today": today,
        },
    )


def _review_for(request: HttpRequest, pk: int) -> ArchiveReview:
    """A pending review on a case the user may see; anything else is a 404."""
    _require(request, "retention.review_archive")
    visible = Case.objects.visible_to(request.user).filter(pk=OuterRef("case_id"))
    try:
        return ArchiveReview.objects.filter(Exists(visible), decided_at__isnull=True).select_related("case").get(pk=pk)
    except (ArchiveReview.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def review_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_for(request, pk)
    form = ArchiveDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            archive_review_decide(
                review=review,
                actor=request.user,
                decision=data["decision"],
                reason=data["reason"],
                keep_years=data["keep_years"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if data["decision"] == ArchiveDecision.DESTROY:
                messages.success(request, _("Case record {case} destroyed.").format(case=review.case.case_no))
            else:
                messages.success(request, _("Case record {case} kept.").format(case=review.case.case_no))
            return redirect("retention:due")
    row = due_rows(cases=[review.case], personal=False)[0]
    return render(
        request,
        "retention/review_decide.html",
        {"review": review, "row": row, "form": form},
        status=400 if request.method == "POST" else 200,
    )
