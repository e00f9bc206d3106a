"""Forms of the staff second factor."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

SIX_DIGITS = RegexValidator(r"^\s*[0-9]{3}\s?[0-9]{3}\s*$", _("Enter the six digits the app shows."))


class SecondFactorSetupForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        validators=[SIX_DIGITS],
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class SecondFactorDisableForm(forms.Form):
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
