"""Forms of the identity vault: unsealing, custodian decisions, accused persons."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyin.core.forms import CountedTextarea
from huiyin.org.forms import UnitChoiceField
from huiyin.org.models import OrgUnit, User
from huiyin.people.models import AccusedPerson

TEXTAREA = CountedTextarea(attrs={"rows": 3})


class UnsealReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need to see the identity?"), max_length=500, min_length=4)


class UnsealRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see the identities on this report?"),
        widget=TEXTAREA,
        max_length=1000,
        min_length=4,
    )


class UnsealDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("deny", _("Deny"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False, max_length=1000)


class UnsealRevokeForm(forms.Form):
    note = forms.CharField(label=_("Reason for revoking"), max_length=1000)


class AccusedForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    position = forms.CharField(label=_("Position or workplace"), max_length=200, required=False)
    description = forms.CharField(label=_("What they are accused of"), widget=TEXTAREA, required=False, max_length=2000)
    username = forms.CharField(
        label=_("Staff account (user name)"),
        max_length=150,
        required=False,
        help_text=_("If the person has an account here, they and their reporting line lose sight of this case."),
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.all(), required=False)

    def __init__(self, *args: Any, case: Any = None, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)

    def clean_username(self) -> User | None:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        found = User.objects.filter(username=username).select_related("unit").first()
        if found is None:
            raise forms.ValidationError(_("No account with this user name."))
        return found


class AccusedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AccusedPerson) -> str:
        return obj.masked_label


class AccusedRemoveForm(forms.Form):
    accused = AccusedChoiceField(label=_("Person recorded by mistake"), queryset=AccusedPerson.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        widget=TEXTAREA,
        max_length=500,
        help_text=_("Kept in the audit log. If an account was linked, it and its reporting line see the case again."),
    )

    def __init__(self, *args: Any, case: Any = None, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["accused"].queryset = AccusedPerson.objects.filter(case_id=case.pk).order_by("pk")
