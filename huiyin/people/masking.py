"""Masked forms of identity values, shown by default."""

from __future__ import annotations


def mask_name(value: str) -> str:
    if not value:
        return ""
    return value[0] + "*" * max(1, len(value) - 1)


def mask_digits(value: str, *, keep_start: int = 3, keep_end: int = 4) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_text(value: str) -> str:
    if not value:
        return ""
    return value[:2] + "****" if len(value) > 2 else "****"
