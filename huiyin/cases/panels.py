"""Extension point for the case page: other apps add a panel (a template and its context)
without the cases app importing them. Panels are registered in the app's `ready()`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from huiyin.cases.models import Case


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[Case, Any], dict | None]  # return None to hide the panel
    position: str = "side"  # "main" or "side"
    order: int = 100


PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    PANELS[panel.name] = panel


def panels_for(*, case: Case, user: Any, position: str) -> list[dict]:
    """Rendered-context list of the panels visible for this case and user at `position`."""
    result = []
    for panel in sorted(PANELS.values(), key=lambda p: p.order):
        if panel.position != position:
            continue
        context = panel.context(case, user)
        if context is not None:
            result.append({"template": panel.template, "context": context, "name": panel.name})
    return result
