"""Domain errors. Services raise these; views turn them into form errors, the API into 4xx answers."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain forbids the operation. `message` is translated and shown to the user."""

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}
