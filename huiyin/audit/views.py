from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huiyin.audit.models import AuditAction, AuditRecord


@login_required
def audit_list_view(request: HttpRequest) -> HttpResponse:
    """Auditors browse and filter the log; nobody can edit it here."""
    if not request.user.has_perm("audit.view_auditrecord"):
        raise PermissionDenied
    qs = AuditRecord.objects.all().order_by("-seq")
    action = request.GET.get("action", "")
    actor = request.GET.get("actor", "").strip()
    obj = request.GET.get("object", "").strip()
    if action in AuditAction.values:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    if obj:
        qs = qs.filter(object_id=obj)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "actions": AuditAction.choices,
            "action": action,
            "actor": actor,
            "object": obj,
            "query": query.urlencode(),
        },
    )
