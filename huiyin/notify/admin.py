"""The outbox, read-only, with an action to retry delivery now."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from huiyin.core.admin import ReadOnlyAdmin
from huiyin.notify.models import OutboxMessage
from huiyin.notify.services import outbox_retry_now


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "kind", "user", "case", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["message_id", "case__case_no", "user__username"]
    list_select_related = ["user", "case"]
    exclude = ["petitioner"]
    actions = ["retry_now"]

    @admin.action(description=_("Retry delivery now"), permissions=["view"])
    def retry_now(self, request, queryset) -> None:
        count = outbox_retry_now(ids=queryset.values_list("pk", flat=True))
        messages.info(request, _("{n} notifications will be delivered on the next run.").format(n=count))
