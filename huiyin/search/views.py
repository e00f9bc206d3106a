"""The search page: ranked, highlighted matches among the cases the user may see."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huiyin.core.htmx import htmx_partial
from huiyin.search.forms import SearchForm
from huiyin.search.selectors import SearchQueryError, case_search

PAGE_SIZE = 20


def _pages(total: int) -> int:
    """Pages of results: as far as the ranked window reaches."""
    return (min(total, settings.HUIYIN_SEARCH_WINDOW) + PAGE_SIZE - 1) // PAGE_SIZE


@login_required
@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.view_case"):
        raise PermissionDenied
    form = SearchForm(request.GET)
    results = error = None
    page = 1
    if form.is_valid():
        q = form.cleaned_data["q"]
        # Pages reach as far as the ranked window, no further.
        page = min(form.cleaned_data["page"] or 1, max(1, settings.HUIYIN_SEARCH_WINDOW // PAGE_SIZE))
        if q:
            try:
                results = case_search(user=request.user, q=q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
                last = _pages(results.total)
                if last and page > last:  # a page past the end (an old link, a typed URL): the last page
                    page = last
                    results = case_search(user=request.user, q=q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
            except SearchQueryError as exc:
                error = exc.message
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    pages = _pages(results.total) if results is not None else 0
    context = {
        "form": form,
        "q": form.cleaned_data.get("q", "") if form.is_valid() else "",
        "results": results,
        "error": error,
        "page": page,
        "pages": pages,
        "first": (page - 1) * PAGE_SIZE + 1,
        "max_chars": settings.HUIYIN_SEARCH_MAX_QUERY_CHARS,
    }
    template = "search/_results.html" if htmx_partial(request) else "search/search.html"
    return render(request, template, context)
