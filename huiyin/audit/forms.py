"""The audit log's filter form. The query parameters stay `action`, `actor`, `object`, `from`, `to`."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.cases.numbers import case_no_parse

CASE_TYPE = "cases.case"
DATE_FORMAT_ERROR = _("Enter the date as YYYY-MM-DD.")
ACTOR_MATCHES = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(
        label=_("Actor"),
        required=False,
        max_length=150,
        help_text=_("A username or a full name, or part of one."),
    )
    object = forms.CharField(
        label=_("Object id"),
        required=False,
        max_length=40,
        help_text=_("An internal id, or a case number such as 2026-000296."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "—"), *AuditAction.choices]
        # `from` is a Python keyword, so these two are added here rather than declared.
        for name, label in (("from", _("From date")), ("to", _("To date"))):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                input_formats=["%Y-%m-%d"],
                error_messages={"invalid": DATE_FORMAT_ERROR},
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error(None, _("The start date cannot be later than the end date."))
        return data

    def used(self) -> dict[str, str]:
        """The filters in use by query parameter, as entered (dates in ISO form). Call only on a valid form."""
        used = {}
        for name in ("action", "actor", "object", "from", "to"):
            value = self.cleaned_data.get(name)
            if value:
                used[name] = value.isoformat() if hasattr(value, "isoformat") else str(value).strip()
        return used

    def described(self) -> list[tuple[str, str]]:
        """The filters in use as (label, value) for people: the action by its name."""
        actions = dict(AuditAction.choices)
        return [
            (str(self.fields[name].label), str(actions.get(value, value)) if name == "action" else value)
            for name, value in self.used().items()
        ]

    def filter(self, qs: QuerySet[AuditRecord]) -> QuerySet[AuditRecord]:
        """Apply the cleaned filters. Call only on a valid form."""
        data = self.cleaned_data
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("actor"):
            qs = qs.filter(actor_filter(data["actor"].strip()))
        obj = (data.get("object") or "").strip()
        if obj:
            qs = qs.filter(object_filter(obj))
        if data.get("from"):
            qs = qs.filter(at__gte=_day_start(data["from"]))
        if data.get("to"):
            qs = qs.filter(at__lt=_day_start(data["to"] + timedelta(days=1)))
        return qs


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def actor_filter(value: str) -> Q:
    """Records by the users whose username or full name is `value` (full names can be shared: all of them), and by
    a username as it was recorded, which still finds a user since renamed or removed. When no user has that name
    exactly, part of a name finds them ("审计" finds 孙审计), up to `ACTOR_MATCHES` users.

    The users are looked up first, so the log is searched by its indexed `actor_id` and `actor_name` only.
    """
    users = get_user_model().objects.all()
    ids = list(users.filter(Q(username__iexact=value) | Q(full_name=value)).values_list("pk", flat=True))
    if not ids:
        partial = users.filter(Q(username__icontains=value) | Q(full_name__icontains=value)).order_by("pk")
        ids = list(partial.values_list("pk", flat=True)[:ACTOR_MATCHES])
    condition = Q(actor_name=value)
    if ids:
        condition |= Q(actor_id__in=ids)
    return condition


def object_filter(value: str) -> Q:
    """Records about object id `value`. A case number finds every record about the case: those whose object is
    the case (by id, or by number once destroyed) and those filed under it (`case_no`: its petitioner, accused
    persons, unsealing requests, files, ...). Every branch is an indexed lookup."""
    condition = Q(object_id=value)
    # Digits alone (2026000296) still match an internal id of those digits (kept above).
    case_no = case_no_parse(value)
    if case_no:
        from huiyin.cases.models import Case

        condition |= Q(object_id=case_no) | Q(case_no=case_no)
        case_id = Case.objects.filter(case_no=case_no).values_list("pk", flat=True).first()
        if case_id is not None:
            condition |= Q(object_type=CASE_TYPE, object_id=str(case_id))
    return condition
