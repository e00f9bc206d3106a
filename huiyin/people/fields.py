"""A text field stored encrypted at rest. It cannot be filtered or ordered on, by design."""

from __future__ import annotations

from django.db import models

from huiyin.people import crypto


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; the Python value is the plain text.

    Decryption happens on load, so only code paths that deliberately read the attribute see the
    value; templates show the masked forms from `people.masking` unless a view has unsealed it.
    """

    description = "Encrypted text"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return crypto.encrypt(str(value))

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull"}:
            raise TypeError("Encrypted fields cannot be searched; use the match hash.")
        return super().get_lookup(lookup_name)
