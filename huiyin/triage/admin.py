from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from huiyin.triage.models import (
    CategoryKeywords,
    CategoryRoute,
    DisputeEntry,
    HotIssueRun,
    Suggestion,
    TrainedModel,
)
from huiyin.triage.services import model_activate


@admin.register(CategoryRoute)
class CategoryRouteAdmin(admin.ModelAdmin):
    list_display = ["category", "scope", "unit", "note", "updated_at"]
    list_filter = ["category"]
    autocomplete_fields: list[str] = []
    readonly_fields = ["updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CategoryKeywords)
class CategoryKeywordsAdmin(admin.ModelAdmin):
    list_display = ["category", "keywords"]


@admin.register(TrainedModel)
class TrainedModelAdmin(admin.ModelAdmin):
    list_display = ["version", "trained_at", "source", "n_examples", "macro_f1", "keywords_macro_f1", "active"]
    readonly_fields = [f.name for f in TrainedModel._meta.fields]
    actions = ["activate", "back_to_keywords"]

    def has_add_permission(self, request):
        return False  # models are trained by `manage.py triage train`, never uploaded

    @admin.action(description=_("Activate the selected model"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one model."), messages.ERROR)
            return
        model_activate(trained_model=queryset.get(), actor=request.user)

    @admin.action(description=_("Suggest with the keyword rules (no model)"))
    def back_to_keywords(self, request, queryset):
        model_activate(trained_model=None, actor=request.user)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "value", "confidence", "source", "status", "decided_by", "decided_at"]
    list_filter = ["kind", "status", "source"]
    readonly_fields = [f.name for f in Suggestion._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(HotIssueRun)
class HotIssueRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "n_cases", "n_clusters", "threshold", "seconds"]
    readonly_fields = [f.name for f in HotIssueRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(DisputeEntry)
class DisputeEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "level", "status", "responsible_leader", "created_at"]
    list_filter = ["level", "status"]
    raw_id_fields = ["cases", "responsible_leader", "created_by", "updated_by"]
    filter_horizontal = ["units"]
