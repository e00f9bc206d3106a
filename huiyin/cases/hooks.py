"""Hooks the cases app consults without importing the apps that fill them (registered in `ready()`).

`reply_checkers`: before a reply is issued, each checker receives the case and the draft text and
returns what the reply still lacks, as human-readable (translated) items; an empty list means
nothing is missing. The reply form shows the items and issues the reply only once the user has
ticked "issue anyway".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from huiyin.cases.models import Case

ReplyChecker = Callable[["Case", str], list[str]]
reply_checkers: list[ReplyChecker] = []


def register_reply_checker(checker: ReplyChecker) -> None:
    if checker not in reply_checkers:
        reply_checkers.append(checker)


def reply_missing(case: Case, text: str) -> list[str]:
    """Everything the registered checkers find missing in the draft reply `text`."""
    missing: list[str] = []
    for checker in list(reply_checkers):
        missing.extend(checker(case, text))
    return missing
