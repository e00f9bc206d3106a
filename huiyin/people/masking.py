"""Masked forms of identity values, shown by default."""

from __future__ import annotations


def mask_name(value: str) -> str:
    """The first character and two stars whatever the length ("赵**" for 赵六 and for 欧阳明月), as the
    case page writes representatives' names: the mask does not tell how long the name is."""
    if not value:
        return ""
    return value[0] + "**"


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
