"""The staff registration form, for every channel, named or anonymous."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyin.cases.forms import AttachmentsField, units_for
from huiyin.cases.models import MAX_REPRESENTATIVES, Category
from huiyin.cases.states import CaseType, Channel, Source
from huiyin.core.errors import DomainError
from huiyin.core.forms import CountedTextarea, form_add_domain_error
from huiyin.core.validators import validate_has_words
from huiyin.intake.services import intake_dates_check
from huiyin.org.forms import UnitChoiceField
from huiyin.org.models import OrgUnit


class RegisterForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.OWN)
    forwarded_authority = forms.CharField(
        label=_("Forwarding authority"),
        max_length=100,
        required=False,
        help_text=_("Required when the matter was forwarded by another authority."),
    )
    forwarded_ref = forms.CharField(label=_("Reference number"), max_length=60, required=False)
    forwarded_deadline = forms.DateField(
        label=_("Deadline set by the authority"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    type = forms.ChoiceField(label=_("Type"), choices=CaseType.choices, initial=CaseType.CLAIM)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(active=True),
        required=False,
        empty_label=_("Not set yet (the petition office sets it)"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[validate_has_words])
    content = forms.CharField(
        label=_("Content"),
        widget=CountedTextarea(attrs={"rows": 8}),
        max_length=20000,
        validators=[validate_has_words],
    )
    unit = UnitChoiceField(label=_("Registering unit"), queryset=OrgUnit.objects.none(), empty_label=_("Choose a unit"))
    target_unit = UnitChoiceField(
        label=_("Unit concerned"), queryset=OrgUnit.objects.all(), required=False, empty_label=_("Not named")
    )
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    employee_no = forms.CharField(label=_("Employee number"), max_length=30, required=False)
    id_number = forms.RegexField(
        label=_("ID number"),
        regex=r"^[0-9]{17}[0-9Xx]$",
        required=False,
        error_messages={"invalid": _("Enter an 18-character ID number.")},
    )
    phone = forms.RegexField(
        label=_("Phone number"),
        regex=r"^[0-9+\-() ]{5,20}$",
        required=False,
        error_messages={"invalid": _("Enter a valid phone number.")},
    )
    address = forms.CharField(label=_("Address or workplace"), max_length=200, required=False)
    collective = forms.BooleanField(label=_("Collective matter"), required=False)
    headcount = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=100000,
        initial=1,
        help_text=_("A collective matter involves at least two people: enter how many."),
        error_messages={
            "min_value": _("A matter involves at least one person."),
            "max_value": _("At most %(limit_value)s people."),
            "invalid": _("Enter the number of people as a whole number."),
        },
    )
    representatives = forms.CharField(
        label=_("Representatives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name, phone. At most 5 (Art. 20)."),
    )
    attachments = AttachmentsField(label=_("Attachments"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user)
        if user.unit_id:
            self.fields["unit"].initial = user.unit_id
        self.fields["received_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_representatives(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data["representatives"].splitlines():
            line = line.strip()
            if not line:
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",", 1)]
            rows.append((parts[0][:50], parts[1][:20] if len(parts) > 1 else ""))
        if len(rows) > MAX_REPRESENTATIVES:
            raise forms.ValidationError(_("At most 5 representatives (Art. 20)."))
        return rows

    def clean(self):
        data = super().clean()
        if data.get("received_at") is not None:
            try:
                intake_dates_check(
                    received_at=data["received_at"],
                    source=data.get("source", ""),
                    forwarded_deadline=data.get("forwarded_deadline"),
                )
            except DomainError as exc:
                form_add_domain_error(self, exc)
        if data.get("source") == Source.FORWARDED and not data.get("forwarded_authority"):
            self.add_error("forwarded_authority", _("Name the authority that forwarded the matter."))
        if data.get("collective"):
            # An invalid or missing headcount already has its own error; "at least two" would only add noise.
            if data.get("headcount") is not None and data["headcount"] < 2:
                self.add_error("headcount", _("A collective matter involves at least two people."))
        elif data.get("representatives"):
            self.add_error("representatives", _("Only a collective matter has representatives."))
        if not data.get("anonymous") and not any(data.get(k) for k in ("name", "employee_no", "id_number", "phone")):
            self.add_error("name", _("Give the petitioner's name or contact, or mark the matter anonymous."))
        return data
