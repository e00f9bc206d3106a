from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from huiyin.audit.forms import AuditFilterForm
from huiyin.audit.models import AuditRecord
from huiyin.audit.presentation import detail_items, detail_raw, object_labels, page_names


@require_safe
@login_required
def audit_list_view(request: HttpRequest) -> HttpResponse:
    """Auditors browse and filter the log; nobody can edit it here."""
    if not request.user.has_perm("audit.view_auditrecord"):
        raise PermissionDenied
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
    return render(request, "audit/list.html", {"form": form, "page": page, "rows": rows, "query": query.urlencode()})
