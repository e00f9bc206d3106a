"""Forms of the retention pages and of the legal-hold commands on the case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from huiyin.cases.models import Case, Category
from huiyin.core.forms import CountedTextarea
from huiyin.retention.models import MAX_YEARS, ArchiveDecision, LegalHold, RetentionRule

TEXTAREA = CountedTextarea(attrs={"rows": 3})


class RetentionRuleForm(forms.ModelForm):
    """A category's rule (new or changed) or the default rule. The category of a saved rule is fixed."""

    class Meta:
        model = RetentionRule
        fields = ["category", "archive_years", "personal_data_years", "archive_action", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Positive-integer model fields make form fields that say "at least 0" and then refuse 0: say 1.
        for name in ("archive_years", "personal_data_years"):
            years = self.fields[name]
            years.min_value, years.max_value = 1, MAX_YEARS
            years.validators = [MinValueValidator(1), MaxValueValidator(MAX_YEARS)]
            years.widget.attrs.update(min=1, max=MAX_YEARS)
        category = self.fields["category"]
        if self.instance.pk:
            category.disabled = True
            category.required = False
            if self.instance.is_default:
                del self.fields["category"]
        else:
            taken = RetentionRule.objects.filter(category__isnull=False).values("category_id")
            category.queryset = Category.objects.exclude(pk__in=taken)
            category.required = True
            category.help_text = ""

    def clean(self):
        data = super().clean()
        archive, personal = data.get("archive_years"), data.get("personal_data_years")
        if archive is not None and personal is not None and personal > archive:
            self.add_error("personal_data_years", _("Personal data cannot be kept longer than the archive."))
        if archive is None and data.get("archive_action") == "destroy":
            self.add_error("archive_action", _("A permanent archive is never destroyed."))
        # A field with an error here is left out of the model's constraint checks, so the message is not doubled.
        return data


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the hold"),
        widget=TEXTAREA,
        max_length=2000,
        help_text=_("E.g. the court case, the inspection or the investigation the record is needed for."),
    )


class LegalHoldLiftForm(forms.Form):
    hold = forms.ModelChoiceField(label=_("Hold"), queryset=LegalHold.objects.none(), empty_label=None)
    lift_reason = forms.CharField(label=_("Reason for lifting"), widget=TEXTAREA, max_length=2000)

    def __init__(self, data=None, *, case: Case, user: Any):
        super().__init__(data)
        self.fields["hold"].queryset = LegalHold.objects.filter(case=case, lifted_at__isnull=True).order_by("set_at")
        self.fields["hold"].label_from_instance = lambda h: f"{h.set_at:%Y-%m-%d} · {h.reason[:60]}"


class ArchiveDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Appraisal"), choices=ArchiveDecision.choices, widget=forms.RadioSelect)
    keep_years = forms.IntegerField(
        label=_("Keep for (more years)"), min_value=1, max_value=MAX_YEARS, required=False, initial=5
    )
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("decision") == ArchiveDecision.KEEP and not data.get("keep_years"):
            self.add_error("keep_years", _("How many more years is the record kept?"))
        return data
