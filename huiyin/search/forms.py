"""The search box."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    # The length limit is the selector's, with its own message; this only bounds what is read at all.
    q = forms.CharField(
        label=_("Search"),
        max_length=2000,
        required=False,
        strip=True,
        # Django's own words for a NUL character (U+0000) read "不允许是用空字符串" in Chinese, which says nothing.
        error_messages={"null_characters_not_allowed": _("The search text contains invalid characters.")},
    )
    page = forms.IntegerField(min_value=1, max_value=1000, required=False)
