"""One error shape for the whole API: {"error": {"code", "message", "fields"}}, messages in Chinese.

403 has three codes: `unauthenticated` (not signed in; 403, not 401, because session authentication
has no WWW-Authenticate challenge to send), `csrf_failed` (a signed-in write without the right
X-CSRFToken header) and `forbidden` (signed in, without the right).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from huiyin.core.errors import DomainError

# Codes of ParseError raised by huiyin.portal.validation (body too large, bad encoding, too deep, not JSON).
PARSE_CODES = {"too_large", "bad_encoding", "too_deep", "malformed"}
# DRF's SessionAuthentication refuses a signed-in write that fails Django's CSRF check with a PermissionDenied
# whose text starts so (rest_framework.authentication.SessionAuthentication.enforce_csrf): every API view,
# the portal's included, uses that class.
CSRF_FAILED_PREFIX = "CSRF Failed:"
CSRF_HEADER = "X-CSRFToken"  # Django's default CSRF_HEADER_NAME (HTTP_X_CSRFTOKEN), as a client writes it


def _is_csrf_failure(exc: Exception) -> bool:
    return isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith(CSRF_FAILED_PREFIX)


def error_response(code: str, message: str, http_status: int, fields: dict | None = None, headers=None) -> Response:
    return Response(
        {"error": {"code": code, "message": message, "fields": fields or {}}}, status=http_status, headers=headers
    )


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        # A rule refusal without a code of its own answers "refused": "invalid" is the code of 400 field errors.
        code = "refused" if exc.code == DomainError.code else exc.code
        return error_response(code, exc.message, status.HTTP_422_UNPROCESSABLE_ENTITY, exc.fields)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return error_response("not_found", _("Not found."), status.HTTP_404_NOT_FOUND)
    if _is_csrf_failure(exc):
        # Not a refusal of rights: the client forgot the token, and can fix that.
        message = _(
            "The CSRF check failed: the CSRF token is missing or wrong, or the request came from another site. "
            "Send the value of the {cookie} cookie in the {header} header."
        ).format(cookie=settings.CSRF_COOKIE_NAME, header=CSRF_HEADER)
        return error_response("csrf_failed", message, status.HTTP_403_FORBIDDEN)
    if isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        return error_response("forbidden", _("You do not have permission to do this."), status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return error_response("invalid", _("The request has invalid fields."), status.HTTP_400_BAD_REQUEST, fields)
    if isinstance(exc, exceptions.ParseError):
        code = getattr(exc.detail, "code", "") or ""
        if code in PARSE_CODES:  # our strict parsers say what is wrong, in the active language
            return error_response(code, str(exc.detail), status.HTTP_400_BAD_REQUEST)
        return error_response("malformed", _("The request body could not be read."), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return error_response("malformed", _("Send the request body as JSON."), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return error_response("unauthenticated", _("Sign in first."), response.status_code)
    if isinstance(exc, exceptions.Throttled):
        headers = {"Retry-After": str(int(exc.wait or 1))}
        return error_response("throttled", _("Too many requests; try again later."), 429, headers=headers)
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    return error_response(getattr(exc, "default_code", "error"), str(detail), response.status_code)


@csrf_exempt  # it changes nothing; a POST to a mistyped path gets the 404, not the CSRF page
def api_not_found_view(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Every path under /api/ that no route matches (`/api/v1/cases/`, `/api/v1/cases/1.0`, …): the API's
    JSON 404, never the site's HTML page. Paths are not corrected either way (no slash is added or removed)."""
    body = {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}}
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
