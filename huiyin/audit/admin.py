from django.contrib import admin

from huiyin.audit.models import AuditRecord
from huiyin.core.admin import ReadOnlyAdmin


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """Read-only: the log is append-only."""

    list_display = ("seq", "at", "actor_name", "action", "object_type", "object_id", "case_no")
    list_filter = ("action",)
    search_fields = ("actor_name", "object_id", "case_no")
