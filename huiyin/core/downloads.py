"""Responses of the export endpoints: files that are never cached, and plain-text refusals."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ExportTooLarge(ValueError):
    """An export would hold more rows than it may; `message` says so in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def download(response: HttpResponse, filename: str) -> HttpResponse:
    """`response` as a file download: saved under `filename` (ASCII), never cached, its type not sniffed."""
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def bad_request(message: str) -> HttpResponse:
    """A refused export: the reason as plain text, not cached."""
    response = HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response
