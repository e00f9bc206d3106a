"""Forms of the clock, supervision and holiday pages."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyin.core.forms import CountedTextarea
from huiyin.workflow.models import SupervisionLevel
from huiyin.workflow.services import MAX_PAUSE_DAYS, MAX_SUPERVISION_DAYS

TEXTAREA = CountedTextarea(attrs={"rows": 4})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_SCHEDULE_BYTES = 64 * 1024


def _in_ten_days():
    return timezone.localdate() + timedelta(days=10)


class SupervisionForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=SupervisionLevel.choices, initial=SupervisionLevel.NORMAL)
    instructions = forms.CharField(label=_("What the unit must do and report"), widget=TEXTAREA, max_length=4000)
    feedback_due = forms.DateField(label=_("Written feedback due by"), widget=DATE, initial=_in_ten_days)

    def clean_feedback_due(self):
        due = self.cleaned_data["feedback_due"]
        today = timezone.localdate()
        if due <= today:
            raise forms.ValidationError(_("The feedback date must be after today."))
        if (due - today).days > MAX_SUPERVISION_DAYS:
            raise forms.ValidationError(
                _("The feedback date can be at most {n} days from today.").format(n=MAX_SUPERVISION_DAYS)
            )
        return due


class FeedbackForm(forms.Form):
    text = forms.CharField(label=_("Written feedback"), widget=CountedTextarea(attrs={"rows": 6}), max_length=8000)


class PauseForm(forms.Form):
    first = forms.DateField(label=_("First day not counted"), widget=DATE)
    last = forms.DateField(label=_("Last day not counted"), widget=DATE)
    reason = forms.CharField(label=_("Reason (e.g. hearing)"), max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last"):
            if data["last"] < data["first"]:
                self.add_error("last", _("The last day cannot be before the first day."))
            elif (data["last"] - data["first"]).days + 1 > MAX_PAUSE_DAYS:
                self.add_error("last", _("A pause cannot be longer than one year."))
        return data


class HolidayScheduleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    text = forms.CharField(
        label=_("Schedule"),
        widget=CountedTextarea(attrs={"rows": 14, "class": "mono"}),
        required=False,
        max_length=MAX_SCHEDULE_BYTES,
        help_text=_("One date per line: YYYY-MM-DD,holiday|workday[,name]. Lines starting with # are ignored."),
    )
    file = forms.FileField(label=_("…or a file in that format"), required=False)
    source = forms.CharField(label=_("Source (notice number)"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_SCHEDULE_BYTES:
                raise forms.ValidationError(_("The file is too large for a holiday schedule."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file must be UTF-8 text.")) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste the schedule or choose a file."))
        if "\x00" in data["text"]:
            raise forms.ValidationError(_("The file must be UTF-8 text."))
        return data


class SupervisionFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *SupervisionLevel.choices], required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("open", _("Waiting for feedback")),
            ("overdue", _("Feedback overdue")),
            ("answered", _("Feedback received")),
            ("all", _("All")),
        ],
        initial="open",
    )
