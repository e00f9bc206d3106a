from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from huiyin.audit.export import audit_log_xlsx
from huiyin.audit.forms import AuditFilterForm
from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.audit.presentation import CODE_LABELS, detail_items, detail_raw, object_labels, page_names
from huiyin.audit.services import audit_check, audit_record, last_check
from huiyin.audit.tasks import verify_chain_task
from huiyin.core.downloads import XLSX, ExportTooLarge, download

PERMISSION = "audit.view_auditrecord"
CHECK_STARTED = gettext_lazy(
    "The check has started in the background. Its outcome will show above the log when it is done "
    "(about half a minute per million records); the auditors are told if the chain is broken."
)


def _require(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


@require_safe
@login_required
def audit_list_view(request: HttpRequest) -> HttpResponse:
    """Auditors browse and filter the log, check the chain and export; nobody can edit it here."""
    _require(request)
    form = AuditFilterForm(request.GET)
    page = rows = None
    if form.is_valid():
        # A filter that cannot be read shows its error and no list, never an unfiltered or empty one.
        qs = form.filter(AuditRecord.objects.all().order_by("-seq"))
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        records = list(page.object_list)
        labels = object_labels(records, request.user)
        names = page_names(records)
        rows = [
            {
                "record": r,
                "actor": names.actor(r),
                "object": labels[r.pk],
                "items": detail_items(r, names),
                "raw": detail_raw(r),
            }
            for r in records
        ]
    query = request.GET.copy()
    query.pop("page", None)
    check = last_check()
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "check": check,
        "check_actor": page_names([check]).actor(check) if check else "",
        "check_fault": str(CODE_LABELS["reason"].get(check.detail.get("reason"), "")) if check else "",
    }
    return render(request, "audit/list.html", context)


@require_POST
@login_required
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    """Verify the whole chain; the outcome is shown on the log page and itself recorded in the log.

    With a task queue (at scale) the check runs in the background: at 1,000,000 records it takes longer than a
    request may. Without one (the embedded mode) it runs now and its outcome is shown at once.
    """
    _require(request)
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        verify_chain_task.delay(request.user.pk)
        messages.info(request, CHECK_STARTED)
        return redirect("audit:list")
    result = audit_check(actor=request.user)
    if result.ok:
        messages.success(
            request, _("The audit chain is intact: %(count)s records checked.") % {"count": result.checked}
        )
    else:
        messages.error(
            request,
            _("The audit chain is broken at record #%(seq)s: %(fault)s. Tell the system administrator.")
            % {"seq": result.first_broken_seq, "fault": CODE_LABELS["reason"][result.code]},
        )
    return redirect("audit:list")


@require_safe
@login_required
def audit_export_view(request: HttpRequest) -> HttpResponse:
    """The records the log page's filter selects, as an Excel workbook; the export is itself recorded."""
    _require(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        # Only a hand-made URL gets here (the page offers no export while its filter is wrong): show the page,
        # which names the field and its error, and export nothing.
        return redirect(f"{reverse('audit:list')}?{request.GET.urlencode()}")
    qs = form.filter(AuditRecord.objects.all().order_by("-seq"))
    with translation.override(settings.LANGUAGE_CODE):  # a document for filing, in the site's language
        try:
            handle, rows = audit_log_xlsx(qs, user=request.user, filters=form.described())
        except ExportTooLarge as exc:
            messages.error(request, exc.message)
            return redirect(f"{reverse('audit:list')}?{request.GET.urlencode()}")
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="audit.log",
        detail={"document": "audit_log", "records": rows, "filter": form.used()},
    )
    return download(FileResponse(handle, content_type=XLSX), f"audit-log-{timezone.localdate().isoformat()}.xlsx")
