"""The case list's filters as the API takes them.

The page's filter set (huiyin.cases.filtersets.CaseFilterSet) with the differences a client needs:
only the sorts a cursor can page. A value that cannot be used is a 400 naming the parameter, never
the unfiltered list.
"""

from __future__ import annotations

import django_filters
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from huiyin.api.pagination import NEWEST_FIRST
from huiyin.cases.filtersets import CaseFilterSet

# The sorts the API offers. Cursor paging keeps the position of the first column only (pagination.py),
# so each leads with a unique or nearly unique column that has an index: received_at (db_index, then the
# id as tie-breaker) and case_no (unique). The page's `status` and `subject` sorts lead with columns
# shared by hundreds of thousands of cases: a cursor cannot page them, so the API refuses them (filter by
# `status` instead).
SORTS = {
    "-received_at": NEWEST_FIRST,
    "received_at": ("received_at", "id"),
    "case_no": ("case_no",),
    "-case_no": ("-case_no",),
}
SORT_CHOICES = [
    ("-received_at", "newest first (the default)"),
    ("received_at", "oldest first"),
    ("case_no", "by case number, ascending"),
    ("-case_no", "by case number, descending"),
]


class CaseApiFilterSet(CaseFilterSet):
    sort = django_filters.ChoiceFilter(
        method="filter_sort",
        choices=SORT_CHOICES,
        empty_label=None,
        error_messages={"invalid_choice": format_lazy(_("Choose one of: {choices}."), choices=", ".join(SORTS))},
        help_text=(
            "The order of the list. Sorting by status is not offered, as a cursor cannot page it: filter by "
            "`status` instead."
        ),
    )

    def filter_sort(self, queryset, name, value):
        # The paginator orders the page (CaseViewSet.cursor_ordering); the queryset says the same.
        return queryset.order_by(*SORTS[value])


class CaseFilterBackend(DjangoFilterBackend):
    """django-filter's backend, with the caller, which limits the unit and leader choices to their scope."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}
