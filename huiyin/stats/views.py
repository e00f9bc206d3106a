"""The statistics page and its two exports: the ledger (Excel) and the analysis report (Word).

Thin: check the permission, read the period, call the selectors, respond. Deny by default: without
`stats.view_statistics` a signed-in user gets 403 (and the denial is logged); the figures only ever
cover the cases the user may see. Every export is an audit record.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.core.downloads import DOCX, XLSX, ExportTooLarge, bad_request, download
from huiyin.stats import charts
from huiyin.stats.ledger import ledger_xlsx
from huiyin.stats.periods import Period, PeriodError, period_from_query, quick_periods
from huiyin.stats.report import report_docx
from huiyin.stats.selectors import hot_issues_in, statistics_for

PERMISSION = "stats.view_statistics"


def _require(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        audit_record(
            actor=request.user,
            action=AuditAction.ACCESS_DENIED,
            object_type="stats.statistics",
            object_id=request.path[:40],
            detail={"perm": PERMISSION},
        )
        raise PermissionDenied


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _site_language():
    """Exports are documents for filing: written in the site's language, as the reply letters are."""
    return translation.override(settings.LANGUAGE_CODE)


def _audit_export(request: HttpRequest, *, document: str, period: Period, rows: int) -> None:
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="stats.statistics",
        object_id=f"{period.first.isoformat()}/{period.last.isoformat()}",
        detail={"document": document, "from": period.first.isoformat(), "to": period.last.isoformat(), "n": rows},
    )


@login_required
@require_GET
def statistics_view(request: HttpRequest) -> HttpResponse:
    """Figures for a period over the cases the user may see; a bad period is explained and nothing is shown."""
    _require(request)
    today = timezone.localdate()
    context: dict = {"quick": quick_periods(today), "today": today}
    try:
        period = period_from_query(request.GET, today=today)
    except PeriodError as error:
        context.update(
            error=error.message, raw_from=request.GET.get("from", "")[:20], raw_to=request.GET.get("to", "")[:20]
        )
        return render(request, "stats/overview.html", context)
    stats = statistics_for(user=request.user, period=period, today=today, language_en=_english())
    context.update(
        period=period,
        stats=stats,
        raw_from=period.first.isoformat(),
        raw_to=period.last.isoformat(),
        chart=charts.chart_data(stats),
    )
    return render(request, "stats/overview.html", context)


@login_required
@require_GET
def ledger_view(request: HttpRequest) -> HttpResponse:
    """The ledger (信访事项台账) of the period as an Excel workbook; 400 with a message for a bad period."""
    _require(request)
    try:
        period = period_from_query(request.GET)
    except PeriodError as error:
        return bad_request(error.message)
    try:
        with _site_language():
            stats = statistics_for(user=request.user, period=period, language_en=_english())
            handle, rows = ledger_xlsx(user=request.user, period=period, stats=stats)
    except ExportTooLarge as error:
        return bad_request(error.message)
    _audit_export(request, document="stats_ledger", period=period, rows=rows)
    response = FileResponse(handle, content_type=XLSX)
    return download(response, f"ledger-{period.first.isoformat()}-{period.last.isoformat()}.xlsx")


@login_required
@require_GET
def report_view(request: HttpRequest) -> HttpResponse:
    """The analysis report (季度信访分析报告) of the period as a Word document; 400 for a bad period."""
    _require(request)
    try:
        period = period_from_query(request.GET)
    except PeriodError as error:
        return bad_request(error.message)
    with _site_language():
        stats = statistics_for(user=request.user, period=period, language_en=_english(), compare=True)
        stats.hot_issues = hot_issues_in(user=request.user, period=period)
        content = report_docx(stats=stats)
    _audit_export(request, document="stats_report", period=period, rows=stats.totals.received)
    response = HttpResponse(content, content_type=DOCX)
    return download(response, f"report-{period.first.isoformat()}-{period.last.isoformat()}.docx")
