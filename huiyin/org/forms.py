"""Form fields of the organisation (units as a tree) and the forms of the staff second factor."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from huiyin.org.models import OrgUnit
from huiyin.org.services import otp_code_normalise
from huiyin.org.tree import in_reading_order, unit_label, unit_names


class UnitLabelsMixin:
    """Name units along their path ("衡兴煤业有限责任公司 · 人力资源部", `org.tree.unit_label`), for the fields
    that list units or people of units.

    Every company has a 人力资源部: the bare name, or the name indented by its depth in the tree, cannot tell
    them apart, least of all in a closed drop-down that shows the chosen one alone. The names of all units are
    read once per field (one query), not once per option.
    """

    _unit_names: dict[int, tuple[str, str]] | None = None

    def names(self) -> dict[int, tuple[str, str]]:
        if self._unit_names is None:
            self._unit_names = unit_names()
        return self._unit_names

    def unit_label(self, unit: OrgUnit | None) -> str:
        if unit is None:
            return ""
        return unit_label(unit, self.names())

    def __deepcopy__(self, memo):
        # Each form gets its copy of the field: names read for one page are not kept for the next.
        result = super().__deepcopy__(memo)
        result._unit_names = None
        return result


class _ReadingOrderIterator(ModelChoiceIterator):
    """The field's units in the tree's reading order (`org.tree.reading_order`): each unit's own departments
    before the companies or branches below it."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in in_reading_order(self.queryset, self.field.names()):
            yield self.choice(obj)


class UnitChoiceField(UnitLabelsMixin, forms.ModelChoiceField):
    """One unit, named along its path and listed in the tree's reading order."""

    iterator = _ReadingOrderIterator

    def label_from_instance(self, obj: OrgUnit) -> str:
        return self.unit_label(obj)


class UnitMultipleChoiceField(UnitLabelsMixin, forms.ModelMultipleChoiceField):
    """Several units, named along their path and listed in the tree's reading order."""

    iterator = _ReadingOrderIterator

    def label_from_instance(self, obj: OrgUnit) -> str:
        return self.unit_label(obj)


SIX_DIGITS = RegexValidator(r"^[0-9]{6}$", _("Enter the six digits the app shows."))


class OtpCodeField(forms.CharField):
    """A code field that reads full-width digits as digits and ignores spaces, before any check."""

    def to_python(self, value):
        return otp_code_normalise(super().to_python(value))


class SecondFactorSetupForm(forms.Form):
    code = OtpCodeField(
        label=_("Code from the app"),
        max_length=12,
        validators=[SIX_DIGITS],
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class SecondFactorCodeForm(forms.Form):
    code = OtpCodeField(
        label=_("Code"),
        max_length=40,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class SecondFactorDisableForm(forms.Form):
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = OtpCodeField(
        label=_("Code"),
        max_length=40,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
