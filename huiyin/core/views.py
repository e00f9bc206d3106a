"""Views of the site as a whole: the health check and the error pages."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views import defaults


def healthz_view(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _is_portal_page(request: HttpRequest) -> bool:
    """An employee-facing portal page (the portal's staff pages, /portal/staff/…, belong to the staff site)."""
    portal = reverse("portal:home")
    return request.path.startswith(portal) and not request.path.startswith(portal + "staff/")


def not_found_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 in the layout of the site the visitor is on: an employee on the portal stays on the portal."""
    template = "portal/404.html" if _is_portal_page(request) else "404.html"
    return defaults.page_not_found(request, exception, template_name=template)


def permission_denied_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    template = "portal/403.html" if _is_portal_page(request) else "403.html"
    return defaults.permission_denied(request, exception, template_name=template)
