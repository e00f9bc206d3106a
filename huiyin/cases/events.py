"""The case timeline and the registry through which other apps react to it.

`cases` does not import `workflow`: the deadline engine registers a handler here instead, and
handlers run inside the same transaction as the event, so a step and its clocks commit together.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from huiyin.cases.models import Case, CaseEvent

EventHandler = Callable[[CaseEvent], None]
_handlers: list[EventHandler] = []


def register_event_handler(handler: EventHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def actor_is_petitioner(actor: Any) -> bool:
    """Whether `actor` is the petitioner acting through the portal (`huiyin.portal.services.PORTAL_ACTOR`).

    Staff are authenticated users; system jobs pass None (or Django's anonymous user). Any other
    unauthenticated actor is the petitioner.
    """
    if actor is None or getattr(actor, "is_authenticated", False):
        return False
    explicit = getattr(actor, "is_petitioner", None)
    if explicit is not None:
        return bool(explicit)
    return not isinstance(actor, AnonymousUser)


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
    """Append an event to the case's timeline and let registered handlers react to it.

    A step the petitioner took through the portal (an unauthenticated actor other than "nobody")
    records no actor but is marked `data["by"] = "petitioner"`: the timeline then says "Petitioner",
    never their name, and never "System".
    """
    data = dict(data or {})
    if actor_is_petitioner(actor):
        data.setdefault("by", "petitioner")
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        stage=case.stage,
        from_status=from_status,
        to_status=to_status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=at or timezone.now(),
        text=text,
        data=data,
    )
    for handler in list(_handlers):
        handler(event)
    return event
