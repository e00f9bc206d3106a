"""Form fields of the organisation (units as a tree) and the forms of the staff second factor."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from huiyin.org.models import OrgUnit
from huiyin.org.services import otp_code_normalise


def unit_tree_label(unit: OrgUnit) -> str:
    """A unit indented by its depth, for a list ordered by path: the tree tells apart the many 人力资源部."""
    return "　" * unit.depth + unit.name


class UnitChoiceField(forms.ModelChoiceField):
    """One unit, listed as a tree (order the queryset by `path`)."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_tree_label(obj)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several units, listed as a tree (order the queryset by `path`)."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_tree_label(obj)


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
