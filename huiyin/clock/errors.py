"""Exceptions raised by the statutory clock engine.

Every error is a ``ValueError`` subclass carrying a human-readable message, so a management
command or an admin form can show ``str(exc)`` as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ClockError", "ExtensionError", "PauseError", "ProfileError", "ScheduleError"]


class ClockError(ValueError):
    """Base class of every error raised by :mod:`huiyin.clock`."""


class ScheduleError(ClockError):
    """A holiday schedule (loaded as data) is malformed or inconsistent.

    ``errors`` holds the individual problems when several were found at once (e.g. one per line
    of an uploaded file); ``str(exc)`` always gives a complete message.
    """

    def __init__(self, message: str, *, errors: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.errors: tuple[str, ...] = tuple(errors) or (message,)


class ProfileError(ClockError):
    """A rule profile is malformed, lengthens a parent's limit, or an unknown rule was asked for."""


class ExtensionError(ClockError):
    """An extension is negative or longer than the profile allows."""


class PauseError(ClockError):
    """A pause (hearing time, not counted) is malformed."""
