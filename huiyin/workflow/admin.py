"""Administration: holiday schedules and rule profiles are edited here (through the services, so
saving recomputes deadlines and refreshes the calendar); clocks and supervision are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from huiyin.core.admin import ReadOnlyAdmin
from huiyin.core.errors import DomainError
from huiyin.workflow.forms import MAX_SCHEDULE_BYTES
from huiyin.workflow.models import CasePause, Deadline, HolidaySchedule, RuleProfile, Supervision
from huiyin.workflow.services import (
    holiday_schedule_check,
    holiday_schedule_load,
    holiday_schedule_remove,
    rule_profile_save,
    rule_profile_validate,
)


class HolidayScheduleAdminForm(forms.ModelForm):
    upload = forms.FileField(label=_("…or a file in that format"), required=False)

    class Meta:
        model = HolidaySchedule
        fields = ["year", "text", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            if upload.size > MAX_SCHEDULE_BYTES:
                raise ValidationError(_("The file is too large for a holiday schedule."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(_("The file must be UTF-8 text.")) from None
        if not (data.get("text") or "").strip():
            raise ValidationError(_("Paste the schedule or choose a file."))
        year = data.get("year") or self.instance.year
        if year:
            try:
                holiday_schedule_check(year=year, text=data["text"])
            except DomainError as exc:
                raise ValidationError({"text": exc.fields.get("text") or [exc.message]}) from exc
        return data


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(admin.ModelAdmin):
    form = HolidayScheduleAdminForm
    list_display = ["year", "source", "loaded_by", "updated_at"]
    readonly_fields = ["loaded_by", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # A loaded year is replaced, never renamed: change the text, or delete it and load another year.
        return [*self.readonly_fields, "year"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        result = holiday_schedule_load(
            year=form.cleaned_data.get("year") or obj.year,
            text=form.cleaned_data["text"],
            source=form.cleaned_data.get("source") or "",
            actor=request.user,
        )
        obj.pk = result.schedule.pk
        obj.refresh_from_db()
        for warning in result.warnings:
            messages.warning(request, warning)
        messages.info(
            request,
            _("{checked} open deadlines checked, {changed} recomputed.").format(
                checked=result.recompute.checked, changed=result.recompute.changed
            ),
        )

    def delete_model(self, request, obj) -> None:
        holiday_schedule_remove(year=obj.year, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            holiday_schedule_remove(year=obj.year, actor=request.user)


class RuleProfileAdminForm(forms.ModelForm):
    class Meta:
        model = RuleProfile
        fields = ["name", "label_zh", "label_en", "parent", "rules", "lane", "active"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        candidate = RuleProfile(
            name=data.get("name", ""),
            label_zh=data.get("label_zh", ""),
            label_en=data.get("label_en", ""),
            parent=data.get("parent", ""),
            rules=data.get("rules") or {},
        )
        try:
            rule_profile_validate(candidate)
        except DomainError as exc:
            raise ValidationError({"rules" if "rules" in exc.fields else "name": exc.message}) from exc
        return data


@admin.register(RuleProfile)
class RuleProfileAdmin(admin.ModelAdmin):
    form = RuleProfileAdminForm
    list_display = ["name", "parent", "lane", "active", "updated_at"]
    list_filter = ["lane", "active"]

    def save_model(self, request, obj, form, change) -> None:
        rule_profile_save(profile=obj, actor=request.user)


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "stage", "party", "due", "provisional", "told_due", "met_at", "breached_at"]
    list_filter = ["kind", "party", "provisional"]
    search_fields = ["case__case_no"]
    list_select_related = ["case"]


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ["case", "level", "feedback_due", "feedback_at", "escalated_at", "closed_at"]
    list_filter = ["level"]
    search_fields = ["case__case_no"]
    list_select_related = ["case"]


@admin.register(CasePause)
class CasePauseAdmin(ReadOnlyAdmin):
    list_display = ["case", "stage", "first", "last", "reason"]
    search_fields = ["case__case_no"]
    list_select_related = ["case"]
