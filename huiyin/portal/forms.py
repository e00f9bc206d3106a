"""Forms of the portal (petitioners) and of the portal's staff commands."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from huiyin.cases.forms import AttachmentsField
from huiyin.cases.models import MAX_REPRESENTATIVES
from huiyin.cases.states import CaseType, Rating
from huiyin.core.forms import CountedTextarea
from huiyin.core.validators import validate_has_words
from huiyin.portal.models import CheckinAnswer
from huiyin.portal.validation import IDEMPOTENCY_KEY, _bad_text

TEXTAREA = CountedTextarea(attrs={"rows": 5})
TYPE_HELP = {
    CaseType.SUGGESTION: _("Ideas and opinions on the enterprise's work."),
    CaseType.ACCUSATION: _("Report misconduct or violations by staff; handled by discipline inspection."),
    CaseType.CLAIM: _("Your own rights and interests: pay, insurance, contracts and the like."),
}


class PortalBoundField(BoundField):
    """An invalid field looks the same whatever its widget: Django's aria-invalid="true" plus the
    `p-invalid` class, which the stylesheet draws in red."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if attrs.get("aria-invalid"):
            attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), "p-invalid"]))
        return attrs


class PortalForm(forms.Form):
    """Base of the petitioner-facing forms."""

    bound_field_class = PortalBoundField


def new_form_key() -> str:
    """A fresh idempotency key for one submission form."""
    return uuid.uuid4().hex


def _clean_text(value: str, *, multiline: bool) -> str:
    problem = _bad_text(value, multiline=multiline)
    if problem:
        raise ValidationError(problem)
    return value.strip()


class SubmissionForm(PortalForm):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    type = forms.ChoiceField(label=_("What kind of matter is it?"), choices=CaseType.choices, widget=forms.RadioSelect)
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("One line, e.g. “Overtime pay for August not paid”."),
        validators=[validate_has_words],
    )
    content = forms.CharField(
        label=_("Your matter"),
        widget=CountedTextarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_("What happened, when, who is concerned, and what you ask for."),
        validators=[validate_has_words],
    )
    anonymous = forms.BooleanField(
        label=_("Submit anonymously"),
        required=False,
        help_text=_("We will not know who you are. Keep the receipt code: it is the only way to follow the matter."),
    )
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    employee_no = forms.CharField(label=_("Employee number"), max_length=30, required=False)
    contact = forms.CharField(label=_("Phone or other contact"), max_length=100, required=False)
    collective = forms.BooleanField(label=_("Several people raise this together"), required=False)
    headcount = forms.IntegerField(label=_("Number of people"), min_value=2, max_value=100000, required=False)
    representatives = forms.CharField(
        label=_("Representatives (at most 5, one per line: name and phone)"),
        widget=CountedTextarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )
    attachments = AttachmentsField(label=_("Attachments"), required=False)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", new_form_key())
        self.fields["attachments"].help_text = _("Up to {n} files: PDF, images, Word, Excel, audio or text.").format(
            n=settings.HUIYIN_ATTACHMENT_MAX_COUNT
        )

    def type_choices(self) -> list[tuple[str, str, str]]:
        return [(v, label, TYPE_HELP.get(v, "")) for v, label in CaseType.choices]

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not IDEMPOTENCY_KEY.match(key):
            raise ValidationError(_("Reload the page and try again."))
        return key

    def clean_subject(self) -> str:
        return _clean_text(self.cleaned_data["subject"], multiline=False)

    def clean_content(self) -> str:
        return _clean_text(self.cleaned_data["content"], multiline=True)

    def clean_name(self) -> str:
        return _clean_text(self.cleaned_data["name"], multiline=False)

    def clean_contact(self) -> str:
        return _clean_text(self.cleaned_data["contact"], multiline=False)

    def clean_employee_no(self) -> str:
        return _clean_text(self.cleaned_data["employee_no"], multiline=False)

    def clean_representatives(self) -> list[tuple[str, str]]:
        reps = []
        for line in self.cleaned_data["representatives"].splitlines():
            parts = _clean_text(line, multiline=False).split()
            if not parts:
                continue
            reps.append((parts[0], parts[1] if len(parts) > 1 else ""))
        if len(reps) > MAX_REPRESENTATIVES:
            raise ValidationError(_("At most {n} representatives.").format(n=MAX_REPRESENTATIVES))
        return reps

    def clean(self):
        data = super().clean()
        if data.get("anonymous"):
            # Identity fields are dropped, never stored, for an anonymous matter.
            for name in ("name", "employee_no", "contact", "representatives"):
                data[name] = [] if name == "representatives" else ""
        elif not self.signed_in and not (data.get("contact") or "").strip():
            self.add_error("contact", _("A named submission needs a way to contact you."))
        if data.get("collective"):
            # Asked only when no number came at all: a number out of range already has its own error.
            if not data.get("headcount") and "headcount" not in self.errors:
                self.add_error("headcount", _("How many people raise it?"))
        else:
            data["headcount"] = 1
            data["representatives"] = []
        return data


class TrackForm(PortalForm):
    receipt = forms.CharField(
        label=_("Receipt code"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("As printed or noted when you submitted, e.g. 2026-000123-7K3M-…"),
    )


class MessageForm(PortalForm):
    text = forms.CharField(label=_("Message"), widget=TEXTAREA, max_length=5000)

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_text(self) -> str:
        return _clean_text(self.cleaned_data["text"], multiline=True)


class RatingForm(PortalForm):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"), choices=Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), widget=CountedTextarea(attrs={"rows": 3}), max_length=2000, required=False
    )

    def clean_comment(self) -> str:
        return _clean_text(self.cleaned_data["comment"], multiline=True)


class ReviewForm(PortalForm):
    reason = forms.CharField(label=_("Why do you disagree with the reply?"), widget=TEXTAREA, max_length=2000)

    def clean_reason(self) -> str:
        return _clean_text(self.cleaned_data["reason"], multiline=True)


class CheckinForm(PortalForm):
    answer = forms.ChoiceField(
        label=_("Since the matter was closed, have you been treated unfairly or retaliated against because of it?"),
        choices=CheckinAnswer.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("If yes, what happened? (Only the petition office and discipline inspection will read this.)"),
        widget=CountedTextarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )

    def clean_comment(self) -> str:
        return _clean_text(self.cleaned_data["comment"], multiline=True)


class ReceiptIssueForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for re-issuing (the old code stops working)"), max_length=300, required=False
    )

    def __init__(self, *args, reissue: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.reissue = reissue
        if not reissue:
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        if self.reissue and len((data.get("reason") or "").strip()) < 4:
            self.add_error("reason", _("State why a new code is issued (at least 4 characters)."))
        return data


class FollowUpCloseForm(forms.Form):
    outcome = forms.CharField(label=_("What was found and done"), widget=TEXTAREA, max_length=5000)

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
