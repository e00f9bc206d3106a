"""Exceptions raised by the statutory clock engine.

Every error is a ``ValueError`` subclass carrying a human-readable message, so a management
command or an admin form can show ``str(exc)`` as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ClockError", "ExtensionError", "PauseError", "Problem", "ProfileError", "ScheduleError", "gettext_noop"]


def gettext_noop(message: str) -> str:
    """Mark `message` as a message to translate (``makemessages`` finds it) without translating it.

    This package has no Django import: the user interface translates a :class:`Problem` itself.
    """
    return message


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem, kept translatable: an English message with ``{placeholders}`` and their values.

    ``str(problem)`` is the English text; a user interface shows ``gettext(problem.message)``
    formatted with ``problem.params``.
    """

    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message.format(**self.params)


class ClockError(ValueError):
    """Base class of every error raised by :mod:`huiyin.clock`.

    ``errors`` holds the individual problems when several were found at once (e.g. one per line
    of an uploaded file, or one per rule of a profile); ``str(exc)`` always gives a complete English
    message. ``problems`` holds the same problems in translatable form (:class:`Problem`), in the
    same order; plain text becomes a problem without a translatable message.
    """

    def __init__(self, message: str | Problem, *, errors: Sequence[str | Problem] = ()) -> None:
        super().__init__(str(message))
        items = tuple(errors) or (message,)
        self.problems: tuple[Problem, ...] = tuple(
            item if isinstance(item, Problem) else Problem("{message}", {"message": item}) for item in items
        )
        self.errors: tuple[str, ...] = tuple(str(item) for item in self.problems)


class ScheduleError(ClockError):
    """A holiday schedule (loaded as data) is malformed or inconsistent."""


class ProfileError(ClockError):
    """A rule profile is malformed, lengthens a parent's limit, or an unknown rule was asked for."""


class ExtensionError(ClockError):
    """An extension is negative or longer than the profile allows."""


class PauseError(ClockError):
    """A pause (hearing time, not counted) is malformed."""
