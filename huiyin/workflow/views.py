"""Staff pages: the supervision list of the petition office and the holiday schedules."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huiyin.cases.models import Case
from huiyin.clock import official_years
from huiyin.core.errors import DomainError
from huiyin.workflow import clocks
from huiyin.workflow.forms import HolidayScheduleForm, SupervisionFilterForm
from huiyin.workflow.models import Deadline, HolidaySchedule, Supervision
from huiyin.workflow.services import holiday_schedule_load

PAGE_SIZE = 50


@login_required
def supervision_list_view(request: HttpRequest) -> HttpResponse:
    """Supervised cases in the user's scope, filtered by level and state (waiting, overdue, answered)."""
    if not request.user.has_perm("workflow.supervise_case"):
        raise PermissionDenied
    today = timezone.localdate()
    visible = Case.objects.visible_to(request.user).filter(pk=OuterRef("case_id"))
    qs = Supervision.objects.filter(Exists(visible)).select_related(
        "case", "case__handling_unit", "case__responsible_leader", "opened_by", "deadline"
    )
    data = request.GET.copy()
    if data.get("overdue") in ("1", "on", "true") and not data.get("state"):
        data["state"] = "overdue"
    form = SupervisionFilterForm(data or None)
    level, state = "", "open"
    if form.is_bound and form.is_valid():
        level = form.cleaned_data["level"]
        state = form.cleaned_data["state"] or "open"
    if level:
        qs = qs.filter(level=level)
    waiting = Q(feedback_at__isnull=True, closed_at__isnull=True)
    if state == "open":
        qs = qs.filter(waiting)
    elif state == "overdue":
        qs = qs.filter(waiting, feedback_due__lt=today)
    elif state == "answered":
        qs = qs.filter(feedback_at__isnull=False)
    qs = qs.order_by("feedback_due", "id") if state in ("open", "overdue") else qs.order_by("-opened_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workflow/supervision_list.html",
        {"form": form, "page": page, "today": today, "query": query.urlencode(), "state": state},
    )


def _year_rows(today: date) -> list[dict]:
    """The years around today with where their schedule comes from and the open clocks resting on them."""
    calendar = clocks.calendar_provider()
    loaded = {row.year: row for row in HolidaySchedule.objects.select_related("loaded_by")}
    years = sorted({today.year - 1, today.year, today.year + 1, today.year + 2, *loaded})
    provisional = dict(
        Deadline.objects.filter(met_at__isnull=True, cancelled_at__isnull=True, provisional=True)
        .values("due__year")
        .annotate(n=Count("id"))
        .values_list("due__year", "n")
    )
    rows = []
    for year in years:
        schedule = calendar.schedule_for(year)
        rows.append(
            {
                "year": year,
                "source": calendar.source(year),
                "holidays": len(schedule.holidays),
                "workdays": len(schedule.workdays),
                "loaded": loaded.get(year),
                "provisional_deadlines": provisional.get(year, 0),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def holiday_list_view(request: HttpRequest) -> HttpResponse:
    """Which years are official, loaded or provisional; load the official schedule of a year."""
    if not request.user.has_perm("workflow.view_holidayschedule"):
        raise PermissionDenied
    can_load = request.user.has_perm("workflow.add_holidayschedule") and request.user.has_perm(
        "workflow.change_holidayschedule"
    )
    today = timezone.localdate()
    form = HolidayScheduleForm(initial={"year": today.year + 1})
    status = 200
    if request.method == "POST":
        if not can_load:
            raise PermissionDenied
        form = HolidayScheduleForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = holiday_schedule_load(
                    year=form.cleaned_data["year"],
                    text=form.cleaned_data["text"],
                    actor=request.user,
                    source=form.cleaned_data["source"],
                )
            except DomainError as exc:
                # One error per problem (each names its line), on the schedule itself.
                for error in exc.fields.get("text") or [exc.message]:
                    form.add_error("text", error)
            else:
                messages.success(
                    request,
                    _(
                        "The schedule of {year} is loaded; {changed} of {checked} open deadlines were recomputed."
                    ).format(
                        year=result.schedule.year, changed=result.recompute.changed, checked=result.recompute.checked
                    ),
                )
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect("workflow:holidays")
        status = 400
    return render(
        request,
        "workflow/holiday_list.html",
        {
            "rows": _year_rows(today),
            "form": form,
            "can_load": can_load,
            "official": official_years(),
            "today": today,
        },
        status=status,
    )
