"""The documents panel on the case page: a letter per issued answer, under the letter's own title."""

from __future__ import annotations

from typing import Any

from huiyin.cases.models import Case
from huiyin.cases.panels import Panel, register_panel
from huiyin.documents.letters import letter_title


def _documents_panel(case: Case, user: Any) -> dict | None:
    replies = list(case.replies.order_by("issued_at"))
    if not replies:
        return None
    return {"case": case, "letters": [(reply, letter_title(reply.stage)) for reply in replies]}


def register() -> None:
    register_panel(Panel("documents", "documents/_documents_panel.html", _documents_panel, position="side", order=40))
