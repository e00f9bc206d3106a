"""Forms of the triage pages and panels. Choices are limited to what the user may see."""

from __future__ import annotations

import re
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyin.cases.forms import TEXTAREA, UserChoiceField, staff_with, units_for
from huiyin.cases.models import Case, Category
from huiyin.core.forms import CountedTextarea, form_add_domain_error
from huiyin.org.forms import UnitChoiceField, UnitMultipleChoiceField
from huiyin.org.models import OrgUnit, User
from huiyin.org.tree import keeps_whole_organisation
from huiyin.triage.engine import category_keywords
from huiyin.triage.models import HEADCOUNT_MAX, HEADCOUNT_MIN, CategoryRoute, DisputeEntry
from huiyin.triage.services import (
    CATEGORY_CODE_MAX,
    CATEGORY_CODE_PATTERN,
    CATEGORY_CODE_RULE,
    CATEGORY_KEYWORDS_MAX,
    CATEGORY_NAME_MAX,
    CATEGORY_SORT_MAX,
    RESOLUTION_CHECKS,
    dispute_resolution_error,
)
from huiyin.triage.states import DisputeLevel, DisputeStatus, SimilarKind


class SuggestionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm")), ("correct", _("Correct")), ("dismiss", _("Dismiss"))],
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(active=True), required=False
    )
    unit = UnitChoiceField(label=_("Handling unit"), queryset=OrgUnit.objects.none(), required=False)
    # When the suggestion was last decided as the page showed it (empty: undecided); see `services._lock`.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user)

    def clean_seen(self):
        text = self.cleaned_data["seen"].strip()
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(_("The page is out of date: reload it.")) from None
        if timezone.is_naive(moment):
            raise forms.ValidationError(_("The page is out of date: reload it."))
        return moment


class SimilarLinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SimilarKind.choices)


class ReplyCheckForm(forms.Form):
    text = forms.CharField(required=False, max_length=20000)


class CategoryRouteForm(forms.ModelForm):
    scope = UnitChoiceField(
        label=_("Applies to cases of"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Empty: the whole organisation."),
    )
    unit = UnitChoiceField(label=_("Handling unit"), queryset=OrgUnit.objects.none())

    class Meta:
        model = CategoryRoute
        fields = ["category", "scope", "unit", "note"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = units_for(user)
        self.fields["scope"].queryset = units
        self.fields["unit"].queryset = units
        self.fields["category"].queryset = Category.objects.filter(active=True)
        if not route_scope_is_global_for(user):
            self.fields["scope"].required = True
            self.fields["scope"].help_text = ""

    def clean(self):
        data = super().clean()
        category, scope = data.get("category"), data.get("scope")
        if category is not None:
            clash = CategoryRoute.objects.filter(category=category, scope=scope)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("scope", _("This category already has a route for this part of the organisation."))
        unit = data.get("unit")
        if scope is not None and unit is not None and not (unit.is_within(scope) or scope.is_within(unit)):
            # Found in a walk-through: 安全生产 of 衡兴煤业 routed to a dispatch office of 衡兴物流.
            self.add_error(
                "unit",
                _("{unit} is outside {scope}: choose a unit within {scope} or above it.").format(
                    unit=unit.name, scope=scope.name
                ),
            )
        return data


def route_scope_is_global_for(user: User) -> bool:
    """Routes for the whole organisation are kept by the top of the tree (or a superuser)."""
    return keeps_whole_organisation(user)


_KEYWORDS_HELP = _(
    "Words that make the keyword rules suggest this category, separated by spaces, commas or new lines. "
    "Empty: the rules never suggest it."
)


class CategoryForm(forms.Form):
    """A category of the list: the code only when it is added (cases, rules and models know it by it)."""

    code = forms.CharField(
        label=_("Category code"),
        max_length=CATEGORY_CODE_MAX,
        required=False,
        help_text=_(
            "Lower-case letters, digits, underscores and hyphens, e.g. canteen_welfare. Cannot be changed. "
            "Leave it empty and one is made for you (category_13)."
        ),
    )
    name_zh = forms.CharField(
        label=_("Chinese name"),
        max_length=CATEGORY_NAME_MAX,
        error_messages={"required": _("Enter the Chinese name.")},
    )
    name_en = forms.CharField(label=_("English name"), max_length=CATEGORY_NAME_MAX, required=False)
    sort = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=CATEGORY_SORT_MAX,
        required=False,
        help_text=_("Smaller numbers come first. Empty: at the end."),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=CATEGORY_KEYWORDS_MAX,
        widget=CountedTextarea(attrs={"rows": 3}),
        help_text=_KEYWORDS_HELP,
    )
    active = forms.BooleanField(
        label=_("In use"),
        required=False,
        help_text=_("Uncheck to retire the category: it is no longer offered for new cases; cases keep it."),
    )

    def __init__(self, *args, category: Category | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        if category is None:
            del self.fields["active"]
            self.fields["keywords"].help_text = _(
                "Words that make the keyword rules suggest this category, separated by spaces, commas or new lines."
            )
        else:
            del self.fields["code"]
            self.fields["sort"].required = True
            self.fields["sort"].help_text = _("Smaller numbers come first.")
            if not self.is_bound:
                self.initial.update(
                    name_zh=category.name_zh,
                    name_en=category.name_en,
                    sort=category.sort,
                    active=category.active,
                    keywords=" ".join(category_keywords(category)),
                )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().lower()
        if code and not CATEGORY_CODE_PATTERN.fullmatch(code):  # empty: one is made (`category_create`)
            raise forms.ValidationError(CATEGORY_CODE_RULE)
        return code


_CASE_NO = re.compile(r"[\w-]+")


class ResolutionChecked:
    """A form with a status and the three checks: marking the matter resolved before the checks hold is refused
    on the form, before the model's check constraint could (its message would name the constraint)."""

    def clean(self):
        data = super().clean()
        error = dispute_resolution_error(
            status=data.get("status", ""), checks={name: data.get(name) for name in RESOLUTION_CHECKS}
        )
        if error is not None:
            form_add_domain_error(self, error)
        return data


class DisputeEntryForm(ResolutionChecked, forms.ModelForm):
    units = UnitMultipleChoiceField(
        label=_("Units concerned"),
        queryset=OrgUnit.objects.none(),
        required=False,
        # Tall enough to show the chosen units among their neighbours (a walk-through saw one of four).
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    responsible_leader = UserChoiceField(label=_("Responsible leader"), queryset=User.objects.none(), required=False)
    add_cases = forms.CharField(
        label=_("Add cases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Case numbers, separated by spaces or new lines."),
    )
    remove_cases = forms.ModelMultipleChoiceField(
        label=_("Remove cases"), queryset=Case.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    # The intake form's bounds; declared so the browser gets them too (the model validates the same).
    headcount = forms.IntegerField(
        label=_("Number of people affected"), min_value=HEADCOUNT_MIN, max_value=HEADCOUNT_MAX, initial=HEADCOUNT_MIN
    )

    class Meta:
        model = DisputeEntry
        fields = [
            "title",
            "description",
            "affected_group",
            "headcount",
            "units",
            "level",
            "responsible_leader",
            "plan",
            "measures",
            "status",
            "responsibility_assigned",
            "problem_solved",
            "hazard_removed",
        ]
        widgets = {"description": TEXTAREA, "plan": TEXTAREA, "measures": TEXTAREA}

    def __init__(self, *args, user: User, visible_cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["units"].queryset = units_for(user)
        leaders = staff_with("cases.approve_extension", user).filter(groups__name__in=["leader", "discipline"])
        current = self.instance.responsible_leader_id if self.instance.pk else None
        if current:
            leaders = User.objects.filter(pk__in=leaders.values("pk")) | User.objects.filter(pk=current)
        self.fields["responsible_leader"].queryset = leaders.distinct()
        self.fields["level"].choices = DisputeLevel.choices
        self.fields["status"].choices = DisputeStatus.choices
        if visible_cases is not None:
            self.fields["remove_cases"].queryset = visible_cases
        else:
            del self.fields["remove_cases"]
        if self.instance.pk:
            # Keep units the user cannot choose from (set by someone higher up) out of the form's reach.
            self.initial["units"] = [u.pk for u in self.instance.units.all() if u in self.fields["units"].queryset]

    def clean_add_cases(self) -> list[Case]:
        numbers = _CASE_NO.findall(self.cleaned_data.get("add_cases") or "")
        if not numbers:
            return []
        found = {c.case_no: c for c in Case.objects.visible_to(self.user).filter(case_no__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                _("No case with this number was found: {numbers}").format(numbers=", ".join(missing))
            )
        return list(found.values())


class DisputeProgressForm(ResolutionChecked, forms.Form):
    """A step in working a register entry: what was done, and the status and checks it leads to."""

    note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=4000,
        widget=CountedTextarea(attrs={"rows": 3}),
        help_text=_("Dated and kept in the entry's history, e.g. a meeting held or money paid."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=DisputeStatus.choices)
    responsibility_assigned = forms.BooleanField(label=_("Responsibility assigned"), required=False)
    problem_solved = forms.BooleanField(label=_("Problem solved"), required=False)
    hazard_removed = forms.BooleanField(label=_("Hazard removed"), required=False)

    def __init__(self, *args, entry: DisputeEntry, **kwargs):
        kwargs.setdefault(
            "initial", {"status": entry.status, **{name: getattr(entry, name) for name in RESOLUTION_CHECKS}}
        )
        super().__init__(*args, **kwargs)


class DisputeFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *DisputeStatus.choices], required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("All")), *DisputeLevel.choices], required=False)
    q = forms.CharField(label=_("Title contains"), required=False, max_length=100)


def _version_or_none(form: forms.Form, name: str) -> int | None:
    """A version the page showed (empty: none). A form without the field is from no page of ours: refused."""
    if name not in form.data:
        raise forms.ValidationError(_("The page is out of date: reload it."))
    text = (form.data.get(name) or "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise forms.ValidationError(_("The page is out of date: reload it."))
    return int(text)


class ModelInUseForm(forms.Form):
    """Put a model in use, or stop using it: `seen` carries the version in use as the page showed it."""

    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_seen(self) -> int | None:
        return _version_or_none(self, "seen")


class ModelTrainForm(forms.Form):
    """Train now: `latest` carries the newest version the page listed, so a stale page does not train twice."""

    latest = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_latest(self) -> int | None:
        return _version_or_none(self, "latest")
