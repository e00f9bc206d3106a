"""The SMS adapter: an interface, a console backend for development and a memory backend for tests.

A real gateway (the enterprise's SMS platform) is a class with the same `send` method, named by
the HUIYIN_SMS_BACKEND setting. `send` raises on failure; the outbox retries with back-off and
passes the same `message_id` each time, so a gateway that supports it can drop a repeat.
A phone number is personal data: backends must not log it (the console backend masks it).
"""

from __future__ import annotations

import logging
import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from huiyin.people.masking import mask_digits

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str, message_id: str) -> None:
        """Send `text` to the phone number `to`; raise on failure."""


class ConsoleSmsBackend:
    """Writes messages to standard output with the number masked (development, the embedded mode)."""

    def send(self, *, to: str, text: str, message_id: str) -> None:
        sys.stdout.write(f"[sms {message_id}] to {mask_digits(to)}: {text}\n")
        sys.stdout.flush()


class MemorySmsBackend:
    """Keeps sent messages in `MemorySmsBackend.outbox` (tests)."""

    outbox: list[dict[str, str]] = []

    def send(self, *, to: str, text: str, message_id: str) -> None:
        MemorySmsBackend.outbox.append({"to": to, "text": text, "message_id": message_id})


def get_sms_backend() -> SmsBackend:
    return import_string(settings.HUIYIN_SMS_BACKEND)()
