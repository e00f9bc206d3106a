"""Staff pages of smart help: decisions on suggestions, similar cases, the reply check, routes,
hot issues and the dispute register. Thin: check the permission and the scope, validate, call one
service, respond (a partial for htmx, a redirect otherwise)."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.forms import units_for
from huiyin.cases.models import Case, Category
from huiyin.cases.selectors import case_get_for_user, case_links, case_timeline, category_list_editable_by
from huiyin.cases.services import case_accept
from huiyin.cases.states import CaseStatus
from huiyin.core.errors import DomainError
from huiyin.core.forms import form_add_domain_error
from huiyin.core.htmx import htmx_partial
from huiyin.org.models import OrgUnit
from huiyin.triage import services as s
from huiyin.triage.case_page import suggestions_context
from huiyin.triage.forms import (
    CategoryForm,
    CategoryRouteForm,
    DisputeEntryForm,
    DisputeFilterForm,
    DisputeProgressForm,
    ModelInUseForm,
    ModelTrainForm,
    ReplyCheckForm,
    SimilarLinkForm,
    SuggestionDecideForm,
    route_scope_is_global_for,
)
from huiyin.triage.models import CategoryRoute, TrainedModel, TrainingRun
from huiyin.triage.reply_check import reply_check
from huiyin.triage.selectors import (
    HotIssueView,
    cases_not_yet_in_handling,
    cases_to_supervise,
    category_rows,
    dispute_entries_for,
    dispute_entries_holding,
    dispute_entry_cases,
    dispute_entry_hot_cases,
    dispute_progress,
    hot_issue_cases,
    hot_issue_get_for_user,
    hot_issue_run_latest,
    hot_issues_for,
    model_class_figures,
    models_page,
    similar_cases,
    suggestion_decidable_get,
)
from huiyin.triage.states import SuggestionKind, TrainingStatus
from huiyin.triage.tasks import model_train_task
from huiyin.workflow.forms import SupervisionForm

PAGE_SIZE = 50

logger = logging.getLogger(__name__)


def _require(request: HttpRequest, *perms: str) -> None:
    if not all(request.user.has_perm(p) for p in perms):
        raise PermissionDenied


def _first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Check the form.")


# Suggestions -----------------------------------------------------------------------------------------


@login_required
@require_POST
def suggestion_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "triage.confirm_suggestion")
    suggestion = suggestion_decidable_get(user=request.user, pk=pk)
    if suggestion is None:
        raise Http404
    case = suggestion.case
    form = SuggestionDecideForm(request.POST, user=request.user)
    error = ""
    had_category = case.category_id is not None
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        # The page says which decision it showed; a form without it (an old page) is taken as before.
        seen = form.cleaned_data["seen"] if "seen" in request.POST else s.NOT_GIVEN
        try:
            if decision == "confirm":
                s.suggestion_confirm(suggestion=suggestion, actor=request.user, seen=seen)
            elif decision == "correct":
                s.suggestion_correct(
                    suggestion=suggestion,
                    actor=request.user,
                    category=form.cleaned_data["category"],
                    unit=form.cleaned_data["unit"],
                    seen=seen,
                )
            else:
                s.suggestion_dismiss(suggestion=suggestion, actor=request.user, seen=seen)
        except DomainError as exc:
            error = exc.message
    else:
        error = _first_error(form)
    category_set = not error and not had_category and case.category_id is not None
    if htmx_partial(request) and not category_set:
        # 200 with the error in the panel: htmx swaps no 4xx answer unless configured to.
        context = {"panel": suggestions_context(case, request.user), "error": error}
        return render(request, "triage/_suggestions_panel.html", context)
    if error:
        messages.error(request, error)
    elif category_set:
        messages.success(
            request,
            _("Your decision is recorded; the category of the case is now {category}.").format(category=case.category),
        )
    elif suggestion.kind == SuggestionKind.CATEGORY and case.category_id is None:
        messages.success(
            request, _("Your decision is recorded. The category of the case is set by the petition office.")
        )
    else:
        messages.success(request, _("Your decision is recorded."))
    if category_set and htmx_partial(request):
        # The category and the timeline of the page changed too: reload it.
        return HttpResponseClientRedirect(case.get_absolute_url())
    return redirect(case)


@login_required
@require_POST
def accept_with_category_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a registered case with the suggested (or decided) category: one click for the office."""
    case = case_get_for_user(user=request.user, pk=pk, perm="cases.screen_case")
    context = suggestions_context(case, request.user)
    category = context["accept_category"] if context else None
    if category is None:
        raise PermissionDenied(_("This action is not available for the case in its current state."))
    try:
        case_accept(case=case, actor=request.user, category=category)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Accepted, category {category}.").format(category=category))
    if request.htmx:
        return HttpResponseClientRedirect(case.get_absolute_url())
    return redirect(case)


# Similar cases ----------------------------------------------------------------------------------------


def _similar_response(request: HttpRequest, case: Case, error: str = "", dismissed: Case | None = None) -> HttpResponse:
    context = {
        "case": case,
        "similar": similar_cases(case=case, user=request.user),
        "can_link": request.user.has_perm("cases.link_case"),
        "can_dismiss": request.user.has_perm("triage.confirm_suggestion"),
        "error": error,
        "dismissed": dismissed,  # just marked 无关: said so, with a way back
    }
    template = "triage/_similar_list.html" if htmx_partial(request) else "triage/similar_page.html"
    return render(request, template, context)


@login_required
def similar_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    return _similar_response(request, case)


def _other_case(request: HttpRequest, other: int) -> Case:
    found = Case.objects.visible_to(request.user).filter(pk=other).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def similar_link_view(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk, perm="cases.link_case")
    other_case = _other_case(request, other)
    form = SimilarLinkForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            s.similar_link(case=case, other=other_case, kind=form.cleaned_data["kind"], actor=request.user)
        except DomainError as exc:
            error = exc.message
    else:
        error = _first_error(form)
    if htmx_partial(request):
        response = _similar_response(request, case, error)  # the error shows in the list (200: htmx swaps it)
        if not error and urlsplit(request.htmx.current_url_abs_path or "").path == case.get_absolute_url():
            # On the case page, its timeline and related cases show the link at once (out-of-band swaps).
            response.write(_linked_sections(request, case))
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Linked {case_no}.").format(case_no=other_case.case_no))
    return redirect(case)


def _linked_sections(request: HttpRequest, case: Case) -> str:
    """The case page's timeline and related cases, marked to replace those on the page (hx-swap-oob)."""
    links_out, links_in = case_links(case=case, user=request.user)
    context = {
        "events": case_timeline(case=case, user=request.user),
        "links": links_out,
        "links_in": links_in,
        "oob": True,
    }
    return render_to_string("cases/_timeline.html", context, request) + render_to_string(
        "cases/_links.html", context, request
    )


@login_required
@require_POST
def similar_dismiss_view(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk, perm="triage.confirm_suggestion")
    other_case = _other_case(request, other)
    s.similar_dismiss(case=case, other=other_case, actor=request.user)
    if htmx_partial(request):
        return _similar_response(request, case, dismissed=other_case)
    messages.success(request, _("{case_no} is no longer suggested.").format(case_no=other_case.case_no))
    return redirect(case)


@login_required
@require_POST
def similar_restore_view(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk, perm="triage.confirm_suggestion")
    other_case = _other_case(request, other)
    error = ""
    try:
        s.similar_restore(case=case, other=other_case, actor=request.user)
    except DomainError as exc:
        error = exc.message
    if htmx_partial(request):
        return _similar_response(request, case, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("{case_no} is suggested again.").format(case_no=other_case.case_no))
    return redirect(case)


# Reply check --------------------------------------------------------------------------------------------


@login_required
@require_POST
def reply_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Whoever drafts the reply (the handler) or issues it (the leader) checks it as they type.
    perm = "cases.reply_case" if request.user.has_perm("cases.reply_case") else "cases.draft_reply"
    case = case_get_for_user(user=request.user, pk=pk, perm=perm)
    form = ReplyCheckForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    elements = reply_check(case=case, text=text) if text.strip() else []
    return render(request, "triage/_reply_check.html", {"case": case, "elements": elements, "text": text})


# Category → unit routes -----------------------------------------------------------------------------------


def _routes_for(user) -> tuple[list[CategoryRoute], set[int]]:
    """Routes the user sees (global ones and those of their subtree) and the ids they may change."""
    units = set(units_for(user).values_list("pk", flat=True))
    routes = list(
        CategoryRoute.objects.select_related("category", "scope", "unit", "updated_by").order_by(
            "category__sort", "category__code", "scope__path"
        )
    )
    editable_all = route_scope_is_global_for(user)
    shown, editable = [], set()
    for r in routes:
        if r.scope_id is None or r.scope_id in units or editable_all:
            shown.append(r)
            if editable_all or r.scope_id in units:
                editable.add(r.pk)
    return shown, editable


def _route_saved(request: HttpRequest, form: CategoryRouteForm) -> HttpResponse | None:
    """Save a valid route form through the service (which audits it); the redirect, or None to show the form."""
    if not form.is_valid():
        return None
    try:
        route = s.route_save(route=form.save(commit=False), actor=request.user)
    except DomainError as exc:
        form_add_domain_error(form, exc)
        return None
    messages.success(request, _("Route saved: {route}.").format(route=route))
    return redirect("triage:routes")


@login_required
@require_http_methods(["GET", "POST"])
def routes_view(request: HttpRequest) -> HttpResponse:
    _require(request, "triage.change_categoryroute")
    form = CategoryRouteForm(request.POST or None, user=request.user)
    if request.method == "POST" and (saved := _route_saved(request, form)):
        return saved
    routes, editable = _routes_for(request.user)
    return render(
        request,
        "triage/routes.html",
        {
            "routes": routes,
            "editable": editable,
            "form": form,
            "can_edit_categories": category_list_editable_by(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


def _editable_route(request: HttpRequest, pk: int) -> CategoryRoute:
    _require(request, "triage.change_categoryroute")
    _routes, editable = _routes_for(request.user)
    if pk not in editable:
        raise Http404
    return CategoryRoute.objects.get(pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def route_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    route = _editable_route(request, pk)
    form = CategoryRouteForm(request.POST or None, instance=route, user=request.user)
    if request.method == "POST" and (saved := _route_saved(request, form)):
        return saved
    return render(
        request,
        "triage/route_edit.html",
        {"form": form, "route": route},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def route_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (GET), saying where the category's cases are suggested to go without the route; remove on POST."""
    route = _editable_route(request, pk)
    if request.method == "POST":
        s.route_remove(route=route, actor=request.user)
        messages.success(request, _("Route removed: {route}.").format(route=route))
        return redirect("triage:routes")
    return render(request, "triage/route_delete.html", {"route": route, "fallback": s.route_fallback(route=route)})


# The category list ----------------------------------------------------------------------------------------


def _require_category_list(request: HttpRequest, perm: str = "cases.change_category") -> None:
    if not category_list_editable_by(request.user, perm):
        raise PermissionDenied


def _category_values(form: CategoryForm) -> dict:
    data = form.cleaned_data
    return {
        "name_zh": data["name_zh"],
        "name_en": data["name_en"],
        "sort": data["sort"],
        "keywords": data["keywords"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def categories_view(request: HttpRequest) -> HttpResponse:
    """The category list, active and retired, and below it the form that adds a category."""
    _require_category_list(request)
    form = CategoryForm(request.POST or None)
    if request.method == "POST":
        _require_category_list(request, "cases.add_category")
        if form.is_valid():
            try:
                category = s.category_create(
                    actor=request.user, code=form.cleaned_data["code"], **_category_values(form)
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, _("Category added: {category}.").format(category=category))
                return redirect("triage:categories")
    return render(
        request,
        "triage/categories.html",
        {"rows": category_rows(), "form": form, "can_delete": request.user.has_perm("cases.delete_category")},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_category_list(request)
    category = get_object_or_404(Category, pk=pk)
    form = CategoryForm(request.POST or None, category=category)
    if request.method == "POST" and form.is_valid():
        try:
            category = s.category_update(
                category=category, actor=request.user, active=form.cleaned_data["active"], **_category_values(form)
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Category saved: {category}.").format(category=category))
            return redirect("triage:categories")
    return render(
        request,
        "triage/category_edit.html",
        {"form": form, "category": category},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (GET), delete on POST; a category in use is refused and can only be retired."""
    _require_category_list(request, "cases.delete_category")
    category = get_object_or_404(Category, pk=pk)
    if request.method == "POST":
        try:
            s.category_delete(category=category, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Category deleted: {category}.").format(category=category))
        return redirect("triage:categories")
    return render(
        request,
        "triage/category_delete.html",
        {"category": category, "uses": s.category_uses(category=category)},
    )


# Category models ------------------------------------------------------------------------------------------------
# The models suggest categories from the category list, for the whole organisation: kept by those who keep the list.


@login_required
@require_safe
def models_view(request: HttpRequest) -> HttpResponse:
    """The model in use (or the keyword rules), the trained models with their held-out figures, and training."""
    _require_category_list(request)
    # A run whose process was killed shows as given up (and training can be asked for again) within minutes,
    # without waiting for someone to press "train": its button is disabled while a run is pending.
    s.training_runs_expire()
    page = models_page()
    return render(
        request,
        "triage/models.html",
        {
            "page": page,
            "minimum": settings.HUIYIN_TRIAGE_MIN_EXAMPLES,
            "in_use": page.active.version if page.active else "",
        },
    )


@login_required
@require_safe
def model_detail_view(request: HttpRequest, version: int) -> HttpResponse:
    """One model's held-out figures per category."""
    _require_category_list(request)
    model = get_object_or_404(TrainedModel.objects.select_related("trained_by", "activated_by"), version=version)
    return render(
        request, "triage/model_detail.html", {"model": model, "figures": model_class_figures(trained_model=model)}
    )


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _training_outcome(request: HttpRequest, run: TrainingRun) -> None:
    model = run.trained_model
    if run.status != TrainingStatus.DONE or model is None:
        messages.error(request, run.error or _("The training did not finish."))
        return
    if model.macro_f1 is None:
        messages.success(
            request,
            _(
                "v{version} is trained on {n} cases. Too few cases per category to hold some out, so it has no "
                "held-out figures. Put it in use to have it suggest categories."
            ).format(version=model.version, n=model.n_examples),
        )
        return
    messages.success(
        request,
        _(
            "v{version} is trained on {n} cases. On {heldout} held-out cases its macro-F1 is {f1}; the keyword rules "
            "score {keywords} on the same cases. Put it in use to have it suggest categories."
        ).format(
            version=model.version,
            n=model.n_examples,
            heldout=model.n_heldout,
            f1=_figure(model.macro_f1),
            keywords=_figure(model.keywords_macro_f1),
        ),
    )


def _training_queue(run_id: int) -> None:
    """Hand the run to a worker; a queue that cannot be reached fails the run at once rather than leave it pending."""
    try:
        model_train_task.delay(run_id)
    except Exception:
        logger.exception("training run %s could not be queued", run_id)
        s.model_train_run_fail(
            run_id=run_id,
            error=_(
                "The training could not be handed to the task queue. Try again later, or tell the system administrator."
            ),
        )


@login_required
@require_POST
def model_train_view(request: HttpRequest) -> HttpResponse:
    """Train a model from the organisation's decided cases: in the background with a task queue, within the
    request in the embedded mode. The new model is not put in use until someone does so."""
    _require_category_list(request)
    form = ModelTrainForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("triage:models")
    try:
        run = s.model_train_request(actor=request.user, latest_seen=form.cleaned_data["latest"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("triage:models")
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: _training_queue(run.pk))
        run.refresh_from_db()
        if run.status == TrainingStatus.FAILED:
            messages.error(request, run.error)
        else:
            messages.info(
                request, _("Training has started in the background. This page shows its result when it is done.")
            )
        return redirect("triage:models")
    _training_outcome(request, s.model_train_run(run_id=run.pk))
    return redirect("triage:models")


def _in_use_form(request: HttpRequest) -> ModelInUseForm | None:
    form = ModelInUseForm(request.POST)
    if form.is_valid():
        return form
    messages.error(request, _first_error(form))
    return None


def _model_in_use_set(request: HttpRequest, model: TrainedModel | None) -> HttpResponse:
    """Put `model` in use, or stop using any (None): the two buttons of the models page, one rule."""
    _require_category_list(request)
    if (form := _in_use_form(request)) is not None:
        try:
            changed = s.model_activate(trained_model=model, actor=request.user, seen=form.cleaned_data["seen"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if model is not None and changed:
                done = _("v{version} is in use: it suggests the category of new cases.").format(version=model.version)
            elif model is not None:
                done = _("v{version} was already in use.").format(version=model.version)
            elif changed:
                done = _("No model is in use now: the keyword rules suggest categories.")
            else:
                done = _("No model was in use: the keyword rules already suggest categories.")
            (messages.success if changed else messages.info)(request, done)
    return redirect("triage:models")


@login_required
@require_POST
def model_activate_view(request: HttpRequest, version: int) -> HttpResponse:
    _require_category_list(request)
    return _model_in_use_set(request, get_object_or_404(TrainedModel, version=version))


@login_required
@require_POST
def model_stop_view(request: HttpRequest) -> HttpResponse:
    return _model_in_use_set(request, None)


# Hot issues -------------------------------------------------------------------------------------------------


# The chart stays readable with this many bars; the table below it lists all the issues (up to 50).
HOT_CHART_ISSUES = 20


@login_required
def hot_list_view(request: HttpRequest) -> HttpResponse:
    _require(request, "triage.view_hotissue")
    run = hot_issue_run_latest()
    issues = hot_issues_for(user=request.user, run=run)
    charted = issues[:HOT_CHART_ISSUES]
    chart = {
        "labels": [f"#{v.rank} " + Truncator(v.headline or " ".join(v.terms[:3])).chars(16) for v in charted],
        "names": [v.headline or " ".join(v.terms[:5]) for v in charted],
        "sizes": [v.size for v in charted],
        "recent": [v.recent for v in charted],
        "size_label": _("Cases"),
        "recent_label": _("In the last {days} days").format(days=run.window_days if run else 7),
    }
    # The job runs every HUIYIN_HOT_ISSUE_EVERY_SECONDS: when the cases registered since will be grouped.
    next_run = run.started_at + timedelta(seconds=settings.HUIYIN_HOT_ISSUE_EVERY_SECONDS) if run else None
    if next_run is not None and next_run <= timezone.now():
        next_run = None  # due already: the scheduler picks it up (a time in the past would read as broken)
    context = {"run": run, "issues": issues, "chart": chart, "charted": len(charted), "next_run": next_run}
    return render(request, "triage/hot_list.html", context)


def _hot_issue(request: HttpRequest, number: int) -> HotIssueView:
    """The hot issue numbered `number` as the user sees it; 403 without the right, 404 (audited) for a
    number that never existed or whose cases the user may not see (fewer than two in their scope)."""
    _require(request, "triage.view_hotissue")
    view = hot_issue_get_for_user(user=request.user, number=number, samples=3)
    if view is None:
        audit_record(
            actor=request.user,
            action=AuditAction.ACCESS_DENIED,
            object_type="triage.hotissue",
            object_id=str(number),
            detail={"perm": "triage.view_hotissue", "reason": "not_found_or_out_of_scope"},
        )
        raise Http404
    return view


@login_required
def hot_detail_view(request: HttpRequest, number: int) -> HttpResponse:
    return _hot_detail(request, _hot_issue(request, number))


def _hot_detail(
    request: HttpRequest, view: HotIssueView, supervise_form: SupervisionForm | None = None
) -> HttpResponse:
    """The hot issue's page; with a refused `supervise_form`, shown again with what was typed and its errors."""
    cases = hot_issue_cases(issue=view.issue, user=request.user)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    can_supervise = request.user.has_perm("workflow.supervise_case")
    register_entry = (
        s.dispute_entry_of_hot_issue(number=view.issue.number, actor=request.user)
        if request.user.has_perm("triage.view_disputeentry")
        else None
    )
    context = {
        "hot": view,
        "page": page,
        "run": view.issue.run,
        "can_supervise": can_supervise,
        "can_register": request.user.has_perm("triage.add_disputeentry"),
        "register_entry": register_entry,
        # Entries (of this issue in other registers, or made by hand) already holding some of its cases.
        "held_in": dispute_entries_holding(
            cases=cases, user=request.user, exclude=register_entry.pk if register_entry else None
        ),
        "supervise_form": supervise_form or (SupervisionForm() if can_supervise else None),
        # The cases group supervision would act on: in handling and not supervised yet.
        "open_in_handling": cases_to_supervise(cases).count() if can_supervise else 0,
        # Open cases it passes over for now: not yet in handling (the page says so and why).
        "not_yet_in_handling": cases_not_yet_in_handling(cases).count() if can_supervise else 0,
        # The people of the cases listed, each case counted (人次): more than the issue's people when a
        # petitioner wrote again, whose repeat petition counts once.
        "person_times": cases.aggregate(n=Sum("headcount"))["n"] or 0,
    }
    return render(request, "triage/hot_detail.html", context, status=400 if supervise_form is not None else 200)


@login_required
@require_POST
def hot_supervise_view(request: HttpRequest, number: int) -> HttpResponse:
    _require(request, "triage.view_hotissue", "workflow.supervise_case")
    view = _hot_issue(request, number)
    form = SupervisionForm(request.POST)
    if not form.is_valid():  # shown again with what was typed, each error at its field
        return _hot_detail(request, view, supervise_form=form)
    cases = list(hot_issue_cases(issue=view.issue, user=request.user).filter(status=CaseStatus.IN_HANDLING))
    try:
        result = s.hot_issue_supervise(cases=cases, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        if not exc.fields:  # about the issue, not the form (nothing left to supervise): said on the page
            messages.error(request, exc.message)
            return redirect(view.issue)
        form_add_domain_error(form, exc)
        return _hot_detail(request, view, supervise_form=form)
    messages.success(
        request,
        _("{opened} cases put under supervision; {skipped} skipped.").format(
            opened=len(result.opened), skipped=len(result.skipped)
        ),
    )
    for case, reason in result.skipped[:10]:
        messages.info(request, f"{case.case_no}：{reason}")
    return redirect(view.issue)


@login_required
@require_POST
def hot_dispute_view(request: HttpRequest, number: int) -> HttpResponse:
    _require(request, "triage.view_hotissue", "triage.add_disputeentry")
    view = _hot_issue(request, number)
    cases = list(hot_issue_cases(issue=view.issue, user=request.user))
    try:
        entry = s.dispute_entry_from_hot_issue(issue=view.issue, cases=cases, actor=request.user)
    except s.DisputeEntryExists as exc:
        # Back and click again, or a double submission: show the entry made the first time.
        messages.info(request, exc.message)
        if request.user.has_perm("triage.view_disputeentry") and (
            dispute_entries_for(user=request.user).filter(pk=exc.entry.pk).exists()
        ):
            return redirect(exc.entry)
        return redirect(view.issue)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(view.issue)
    messages.success(request, _("Entered into the dispute register. Complete the entry: leader, plan, measures."))
    return redirect("triage:dispute_edit", pk=entry.pk)


# The dispute register -------------------------------------------------------------------------------------------


@login_required
def dispute_list_view(request: HttpRequest) -> HttpResponse:
    _require(request, "triage.view_disputeentry")
    qs = dispute_entries_for(user=request.user).select_related("unit", "responsible_leader")
    form = DisputeFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["level"]:
            qs = qs.filter(level=data["level"])
        if data["q"]:
            qs = qs.filter(title__icontains=data["q"])
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "triage/dispute_list.html", {"page": page, "form": form, "query": query.urlencode()})


def _entry_for(request: HttpRequest, pk: int):
    entry = (
        dispute_entries_for(user=request.user)
        .select_related("unit", "responsible_leader", "created_by")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def _entry_values(form: DisputeEntryForm) -> dict:
    data = form.cleaned_data
    return {name: data[name] for name in s.ENTRY_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def dispute_new_view(request: HttpRequest) -> HttpResponse:
    _require(request, "triage.add_disputeentry")
    form = DisputeEntryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        unit = request.user.unit or OrgUnit.objects.filter(depth=0).order_by("path").first()
        try:
            entry = s.dispute_entry_create(
                actor=request.user,
                unit=unit,
                units=list(form.cleaned_data["units"]),
                cases=form.cleaned_data["add_cases"],
                **_entry_values(form),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Entered into the dispute register."))
            return redirect(entry)
    return render(
        request,
        "triage/dispute_form.html",
        {"form": form, "entry": None},
        status=400 if request.method == "POST" else 200,
    )


def _dispute_detail(
    request: HttpRequest,
    entry,
    progress_form: DisputeProgressForm | None = None,
    status: int = 200,
    hot_cases_error: str = "",
):
    may_progress = s.may_report_progress(user=request.user, entry=entry)
    context = {
        "entry": entry,
        "cases": dispute_entry_cases(entry=entry, user=request.user),
        "hot_cases": list(dispute_entry_hot_cases(entry=entry, user=request.user)[:200]),
        "hot_cases_error": hot_cases_error,
        "units": entry.units.order_by("path"),
        "can_change": request.user.has_perm("triage.change_disputeentry"),
        "progress": dispute_progress(entry=entry),
        "progress_form": (progress_form or DisputeProgressForm(entry=entry)) if may_progress else None,
    }
    return render(request, "triage/dispute_detail.html", context, status=status)


@login_required
def dispute_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "triage.view_disputeentry")
    return _dispute_detail(request, _entry_for(request, pk))


@login_required
@require_POST
def dispute_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The responsible leader (or the office) records what was done, and the status and checks it leads to."""
    _require(request, "triage.view_disputeentry")
    entry = _entry_for(request, pk)
    if not s.may_report_progress(user=request.user, entry=entry):
        raise PermissionDenied
    form = DisputeProgressForm(request.POST, entry=entry)
    if form.is_valid():
        try:
            s.dispute_entry_progress(entry=entry, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect(entry)
    return _dispute_detail(request, entry, form, status=400)


@login_required
@require_POST
def dispute_add_hot_cases_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Add to an entry made from a hot issue the cases of the issue it does not hold yet, as ticked."""
    _require(request, "triage.view_disputeentry", "triage.change_disputeentry")
    entry = _entry_for(request, pk)
    raw = request.POST.getlist("cases")
    if not all(v.isdigit() and len(v) <= 18 for v in raw):
        return _dispute_detail(request, entry, status=400, hot_cases_error=_("Choose the cases to add."))
    try:
        added = s.dispute_entry_add_hot_cases(entry=entry, actor=request.user, case_ids=[int(v) for v in raw])
    except DomainError as exc:
        return _dispute_detail(request, entry, status=400, hot_cases_error=exc.message)
    messages.success(request, _("{n} cases added to the register entry.").format(n=len(added)))
    return redirect(entry)


@login_required
@require_http_methods(["GET", "POST"])
def dispute_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "triage.view_disputeentry", "triage.change_disputeentry")
    entry = _entry_for(request, pk)
    visible = dispute_entry_cases(entry=entry, user=request.user)
    form = DisputeEntryForm(request.POST or None, instance=entry, user=request.user, visible_cases=visible)
    if request.method == "POST" and form.is_valid():
        choosable = set(form.fields["units"].queryset.values_list("pk", flat=True))
        kept = [u for u in entry.units.all() if u.pk not in choosable]  # set higher up: not the user's to drop
        try:
            s.dispute_entry_update(
                entry=entry,
                actor=request.user,
                units=[*form.cleaned_data["units"], *kept],
                add_cases=form.cleaned_data["add_cases"],
                remove_cases=list(form.cleaned_data["remove_cases"]),
                **_entry_values(form),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Register entry saved."))
            return redirect(entry)
    return render(
        request,
        "triage/dispute_form.html",
        {"form": form, "entry": entry},
        status=400 if request.method == "POST" else 200,
    )
