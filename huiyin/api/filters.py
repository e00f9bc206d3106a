"""The case list's filters as the API takes them.

The page's filter set (huiyin.cases.filtersets.CaseFilterSet) with the differences a client needs:
the category and the unit by the code an answer gives (a number is still read as an id), `overdue`
strictly true or false, searchable `q` text checked before it is searched, and only the sorts a
cursor can page. A value that cannot be used is a 400 naming the parameter, never the unfiltered list.
"""

from __future__ import annotations

import re
from copy import deepcopy

import django_filters
from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from huiyin.api.pagination import NEWEST_FIRST
from huiyin.cases.filtersets import CaseFilterSet
from huiyin.cases.models import Category
from huiyin.cases.numbers import case_no_parse
from huiyin.org.models import OrgUnit

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
DIGITS = re.compile(r"[0-9]+")
# What a category's code (a slug) or a unit's code may hold; anything else is refused before any query
# (PostgreSQL refuses a NUL byte in a text parameter with an error, not an empty result).
CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")


class CodeOrIdChoiceField(forms.ModelChoiceField):
    """One object by its code, as answers give it, or by its id (digits only), as the API took it first.

    A code made of digits only is read as an id: codes of categories and units are letters in practice.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value)
        key = "pk" if DIGITS.fullmatch(value) else "code"
        try:
            if not CODE.fullmatch(value):
                raise ValueError(value)
            return self.queryset.get(**{key: value})
        except (ValueError, TypeError, self.queryset.model.DoesNotExist):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


@extend_schema_field(OpenApiTypes.STR)
class CodeOrIdFilter(django_filters.ModelChoiceFilter):
    field_class = CodeOrIdChoiceField


class TrueFalseField(forms.Field):
    """`true` or `false` (also `1`/`0`, in any case); anything else is an error, not "true"."""

    default_error_messages = {"invalid": _("Must be true or false.")}
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field(OpenApiTypes.BOOL)
class TrueFalseFilter(django_filters.Filter):
    field_class = TrueFalseField


class SearchTextField(forms.CharField):
    """The search box's text: a case number, or words the full-text search can look up. Text it cannot
    search (too long, too many words, only single characters) is an error, not an empty list."""

    def clean(self, value):
        from huiyin.search.selectors import SearchQueryError, query_parse

        value = super().clean(value)
        if value and not case_no_parse(value):
            try:
                query_parse(value)
            except SearchQueryError as exc:
                raise forms.ValidationError(str(exc), code="invalid") from None
        return value


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField


def described(name: str, help_text: str) -> django_filters.Filter:
    """The page's filter `name`, with an English description for the API's schema (its type and choices are
    read from it). A copy: the page's own filter is left as it is."""
    copy = deepcopy(CaseFilterSet.base_filters[name])
    copy.extra["help_text"] = help_text
    return copy


class CaseApiFilterSet(CaseFilterSet):
    # Filters whose schema is given whole (type, limits and description): the schema generator cannot read
    # it from the filter.
    q = extend_schema_field(
        {
            "type": "string",
            "maxLength": settings.HUIYIN_SEARCH_MAX_QUERY_CHARS,
            "description": (
                "A case number (2026-000123), or words of the subject and content: each word at least two "
                f"characters, at most {settings.HUIYIN_SEARCH_MAX_WORDS} words. Text that cannot be searched "
                "is refused (400)."
            ),
        }
    )(SearchTextFilter(method="filter_q", max_length=settings.HUIYIN_SEARCH_MAX_QUERY_CHARS))
    category = extend_schema_field(
        {
            "type": "string",
            "maxLength": 40,
            "description": (
                "A category's code, as answers give it in `category` (e.g. `wages`). Digits only are read as "
                "the category's id."
            ),
        }
    )(CodeOrIdFilter(queryset=Category.objects.all()))
    unit = extend_schema_field(
        {
            "type": "string",
            "maxLength": 20,
            "description": (
                "A unit's code, as answers give it in `handling_unit_code` (e.g. `A-P1`); digits only are read "
                "as the unit's id. Cases handled or registered by the unit or any unit under it. A unit "
                "outside your scope is refused (400)."
            ),
        }
    )(CodeOrIdFilter(queryset=OrgUnit.objects.all(), method="filter_unit"))
    overdue = extend_schema_field(
        {
            "type": "boolean",
            "description": "`true`: only cases with an open deadline that has passed; `false` or absent: all.",
        }
    )(TrueFalseFilter(method="filter_overdue"))
    # The page's filters, described.
    status = described("status", "A status; `open`: every status before the reply.")
    stage = described("stage", "The stage: first handling, review or re-review.")
    channel = described("channel", "How the case came in.")
    type = described("type", "The type of the case.")
    leader = described(
        "leader",
        "The responsible leader's id, as answers give it in `responsible_leader_id`. A leader outside your "
        "scope is refused (400).",
    )
    received_from = described("received_from", "Received on or after this day (Asia/Shanghai).")
    received_to = described("received_to", "Received on or before this day (Asia/Shanghai).")
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
