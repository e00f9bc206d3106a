"""The in-app inbox: a user sees and marks only their own notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from huiyin.notify.models import OutboxMessage
from huiyin.notify.services import inbox_for, inbox_mark_read

PAGE_SIZE = 30


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    qs = inbox_for(request.user).select_related("case").order_by("-created_at", "-id")
    unread_only = request.GET.get("unread") in ("1", "on")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page, "unread_only": unread_only})


def _own(request: HttpRequest, pk: int) -> OutboxMessage:
    try:
        return inbox_for(request.user).get(pk=pk)
    except OutboxMessage.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def inbox_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one item read and go to what it is about."""
    item = _own(request, pk)
    inbox_mark_read(user=request.user, pk=item.pk)
    if item.url and url_has_allowed_host_and_scheme(item.url, allowed_hosts=None):
        return redirect(item.url)
    return redirect("notify:inbox")


@login_required
@require_POST
def inbox_read_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own(request, pk)
    inbox_mark_read(user=request.user, pk=item.pk)
    return redirect("notify:inbox")


@login_required
@require_POST
def inbox_read_all_view(request: HttpRequest) -> HttpResponse:
    inbox_mark_read(user=request.user)
    return redirect("notify:inbox")
