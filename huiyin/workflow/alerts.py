"""Alerts raised by the clocks and by supervision, and the registry through which other apps react.

`workflow` does not import `notify`: the notification app registers a handler here, and handlers
run inside the transaction that raised the alert, so a clock marked overdue and its notifications
(outbox rows) commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huiyin.cases.models import Case
    from huiyin.workflow.models import Deadline, Supervision


class AlertKind:
    DUE_SOON = "deadline.due_soon"
    OVERDUE = "deadline.overdue"
    SUPERVISION_OPENED = "supervision.opened"
    SUPERVISION_FEEDBACK = "supervision.feedback"
    SUPERVISION_ESCALATED = "supervision.escalated"


@dataclass(frozen=True)
class Alert:
    kind: str
    case: Case
    at: datetime
    deadline: Deadline | None = None
    supervision: Supervision | None = None
    actor: Any = None

    @property
    def key(self) -> str:
        """Stable identity of this alert: the same alert raised twice has the same key."""
        if self.supervision is not None:
            return f"{self.kind}:supervision:{self.supervision.pk}"
        if self.deadline is not None:
            return f"{self.kind}:deadline:{self.deadline.pk}:{self.deadline.due.isoformat()}"
        return f"{self.kind}:case:{self.case.pk}:{self.at.isoformat()}"


AlertHandler = Callable[[Alert], None]
_handlers: list[AlertHandler] = []


def register_alert_handler(handler: AlertHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def alert_publish(alert: Alert) -> None:
    """Run the registered handlers in the caller's transaction."""
    for handler in list(_handlers):
        handler(alert)
