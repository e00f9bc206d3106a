"""Read-only views for administrators. Rules, holds and reviews change only through the services
(on the retention pages and the case page), so every change is audited."""

from django.contrib import admin

from huiyin.core.admin import ReadOnlyAdmin
from huiyin.retention.models import ArchiveReview, DestroyedCase, LegalHold, PersonalDataErasure, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "archive_years", "personal_data_years", "archive_action", "updated_at")


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ("case", "set_at", "set_by", "lifted_at", "lifted_by")
    list_select_related = ("case", "set_by", "lifted_by")


@admin.register(ArchiveReview)
class ArchiveReviewAdmin(ReadOnlyAdmin):
    list_display = ("case", "due_on", "decision", "keep_until", "decided_at")
    list_select_related = ("case",)


@admin.register(PersonalDataErasure)
class PersonalDataErasureAdmin(ReadOnlyAdmin):
    list_display = ("case", "erased_at", "rule", "petitioner_erased")
    list_select_related = ("case",)


@admin.register(DestroyedCase)
class DestroyedCaseAdmin(ReadOnlyAdmin):
    list_display = ("case_no", "category", "closed_at", "destroyed_at", "destroyed_by", "rule")
    search_fields = ("case_no",)
