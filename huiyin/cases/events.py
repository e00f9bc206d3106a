"""The case timeline and the registry through which other apps react to it.

`cases` does not import `workflow`: the deadline engine registers a handler here instead, and
handlers run inside the same transaction as the event, so a step and its clocks commit together.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone

from huiyin.cases.models import Case, CaseEvent

EventHandler = Callable[[CaseEvent], None]
_handlers: list[EventHandler] = []


def register_event_handler(handler: EventHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def case_event_record(
    *,
    case: Case,
    kind: str,
    actor: Any = None,
    text: str = "",
    data: dict | None = None,
    from_status: str = "",
    to_status: str = "",
    at: datetime | None = None,
) -> CaseEvent:
    """Append an event to the case's timeline and let registered handlers react to it."""
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        stage=case.stage,
        from_status=from_status,
        to_status=to_status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=at or timezone.now(),
        text=text,
        data=data or {},
    )
    for handler in list(_handlers):
        handler(event)
    return event
