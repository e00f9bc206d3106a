"""Checks of typed text shared by the staff forms, the portal and the services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NO_WORDS_MESSAGE = _("Enter words or numbers, not only punctuation or symbols.")


def has_words(text: str) -> bool:
    """Whether `text` holds a letter, a digit or a CJK character, not only punctuation, symbols and spaces.

    A subject "。。。！！！？？？" says nothing a handler could act on (found in a walk-through: it was registered)."""
    return any(ch.isalnum() for ch in text)


def validate_has_words(value: str) -> None:
    """A form field's validator for `has_words` (an empty value is the field's `required` business)."""
    if value and not has_words(value):
        raise ValidationError(NO_WORDS_MESSAGE, code="no_words")
