"""Filters of the case list, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyin.cases.models import Case, Category
from huiyin.cases.numbers import case_no_parse
from huiyin.cases.states import CaseStage, CaseStatus, CaseType, Channel
from huiyin.org.forms import UnitChoiceField
from huiyin.org.models import OrgUnit, User


class UnitFilter(django_filters.ModelChoiceFilter):
    """Units named along their path, in the tree's order: each company has its own 人力资源部."""

    field_class = UnitChoiceField


class CaseFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("received_from"), cleaned.get("received_to")
        if first and last and first > last:
            self.add_error("received_to", _("The last day is before the first day."))
        return cleaned


SORTS = {
    "-received_at": ("-received_at", "-id"),
    "received_at": ("received_at", "id"),
    "case_no": ("case_no",),
    "-case_no": ("-case_no",),
    "status": ("status", "-received_at"),
    "subject": ("subject", "-id"),
}


class CaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number or words"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[("open", _("Open (not yet replied)")), *CaseStatus.choices], method="filter_status"
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=CaseStage.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    type = django_filters.ChoiceFilter(label=_("Type"), choices=CaseType.choices)
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=Category.objects.all())
    unit = UnitFilter(label=_("Unit"), queryset=OrgUnit.objects.all(), method="filter_unit")
    leader = django_filters.ModelChoiceFilter(
        label=_("Responsible leader"), field_name="responsible_leader", queryset=User.objects.none()
    )
    received_from = django_filters.DateFilter(
        label=_("Received from"),
        field_name="received_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"),
        field_name="received_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput)
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        method="filter_sort",
        empty_label=None,
        choices=[
            ("-received_at", _("Newest first")),
            ("received_at", _("Oldest first")),
            ("case_no", _("Case number")),
            ("status", _("Status")),
        ],
    )

    class Meta:
        model = Case
        fields: list[str] = []
        form = CaseFilterForm

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.unit_id is not None and not user.is_superuser:
            self.filters["unit"].queryset = OrgUnit.objects.subtree_of(user.unit)
            leaders = User.objects.filter(groups__name="leader", unit__path__startswith=user.unit.path)
        else:
            leaders = User.objects.filter(groups__name="leader")
        self.filters["leader"].queryset = leaders.order_by("username")

    def filter_q(self, queryset, name, value):
        from huiyin.search.selectors import case_ids_matching

        value = value.strip()
        if not value:
            return queryset
        # A case number finds its case; anything else is words, looked up in the full-text index as a
        # subquery (not OR-ed with the number: PostgreSQL would then hash every match of a common word).
        by_number = queryset.filter(case_no=case_no_parse(value) or value)
        if by_number.exists():
            return by_number
        matching = case_ids_matching(value)
        if matching is None:
            return by_number
        return queryset.filter(pk__in=matching)

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        return queryset.filter(status=value)

    def filter_unit(self, queryset, name, value):
        units = OrgUnit.objects.subtree_of(value).values("pk")
        return queryset.filter(Q(handling_unit__in=units) | Q(unit__in=units))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.with_open_deadline(overdue_on=timezone.localdate())

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["-received_at"]))
