from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_safe

from huiyin.audit.models import AuditAction, AuditRecord


def _day_start(value: str):
    day = parse_date(value) if value else None
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


@require_safe
@login_required
def audit_list_view(request: HttpRequest) -> HttpResponse:
    """Auditors browse and filter the log; nobody can edit it here."""
    if not request.user.has_perm("audit.view_auditrecord"):
        raise PermissionDenied
    qs = AuditRecord.objects.all().order_by("-seq")
    action = request.GET.get("action", "")
    actor = request.GET.get("actor", "").strip()
    obj = request.GET.get("object", "").strip()
    date_from = request.GET.get("from", "").strip()
    date_to = request.GET.get("to", "").strip()
    if action in AuditAction.values:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    if obj:
        qs = qs.filter(object_id=obj)
    try:
        start = _day_start(date_from)
        end = _day_start(date_to)
    except ValueError:  # a well-formed but impossible date, e.g. 2026-02-30
        start = end = None
    if start is not None:
        qs = qs.filter(at__gte=start)
    if end is not None:
        qs = qs.filter(at__lt=end + timedelta(days=1))
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
            "date_from": date_from if start else "",
            "date_to": date_to if end else "",
            "query": query.urlencode(),
        },
    )
