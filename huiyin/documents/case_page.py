"""The documents panel on the case page: a reply letter per issued reply."""

from __future__ import annotations

from typing import Any

from huiyin.cases.models import Case
from huiyin.cases.panels import Panel, register_panel


def _documents_panel(case: Case, user: Any) -> dict | None:
    replies = list(case.replies.order_by("issued_at"))
    if not replies:
        return None
    return {"case": case, "replies": replies}


def register() -> None:
    register_panel(Panel("documents", "documents/_documents_panel.html", _documents_panel, position="side", order=40))
