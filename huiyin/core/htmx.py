"""htmx helpers: decide partial vs full page in one place (NetBox's htmx_partial)."""

from django.http import HttpRequest


def htmx_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted
