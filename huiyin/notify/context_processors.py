"""The unread count of the in-app inbox for the top bar, queried only if a template uses it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def inbox(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from huiyin.notify.services import inbox_unread_count

        return inbox_unread_count(user)

    return {"inbox_unread": SimpleLazyObject(count)}
