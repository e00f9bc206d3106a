"""Strict input for the portal API: exact JSON types, bounded sizes and depths, no control characters.

Everything here raises before anything is stored; the API turns the errors into 400 answers.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import BaseParser

MAX_DEPTH = 8
# The most bytes one character of a JSON string can take: outside the BMP, escaped as a surrogate pair
# ("\ud83d\ude00", 12 bytes), as Python's json.dumps (ensure_ascii) and requests' json= send it.
MAX_ESCAPED_CHAR_BYTES = 12
# Bidirectional embeddings, overrides and isolates: they make text display as something else.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")


def _depth_ok(text: str, limit: int) -> bool:
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("duplicate key")
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"invalid constant {name}")


class StrictJSONParser(BaseParser):
    """JSON only, UTF-8 only, at most HUIYIN_JSON_MAX_BYTES (which fits every body the fields of the portal and
    of the staff triage API allow, however escaped), nested at most MAX_DEPTH, no duplicate keys."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.HUIYIN_JSON_MAX_BYTES
        request = (parser_context or {}).get("request")
        meta = getattr(request, "META", {}) if request is not None else {}
        try:
            declared = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise ParseError(_("The request body is too large."), code="too_large")
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(_("The request body is too large."), code="too_large")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(_("The request body is not valid UTF-8."), code="bad_encoding") from None
        if not _depth_ok(text, MAX_DEPTH):
            raise ParseError(_("The request body is nested too deeply."), code="too_deep")
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
        except (ValueError, RecursionError):
            raise ParseError(_("The request body is not valid JSON."), code="malformed") from None


@dataclass(frozen=True)
class Field:
    kind: type
    required: bool = True
    max_length: int = 0
    multiline: bool = False
    choices: tuple[str, ...] = ()
    nullable: bool = False
    check: Callable[[Any], str | None] | None = None


def _bad_text(value: str, *, multiline: bool) -> str | None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("Contains characters that are not allowed.")
    for ch in value:
        if ch in "\n\r\t" and multiline:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs"):
            return _("Contains control characters.")
    if _BIDI.search(value):
        return _("Contains direction-changing characters.")
    return None


def clean(data: Any, spec: dict[str, Field]) -> dict[str, Any]:
    """Validate a parsed JSON body against `spec`; return the cleaned values or raise ValidationError (400)."""
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": [_("The body must be a JSON object.")]})
    errors: dict[str, list[str]] = {}
    for name in data:
        if name not in spec:
            errors[str(name)[:40]] = [_("Unexpected field.")]
    cleaned: dict[str, Any] = {}
    for name, f in spec.items():
        if name not in data or (data[name] is None and f.nullable):
            if f.required:
                errors[name] = [_("This field is required.")]
            continue
        value = data[name]
        # bool is an int in Python; JSON true must not pass as a number, nor 1 as a boolean.
        if f.kind is bool and not isinstance(value, bool):
            errors[name] = [_("Must be true or false.")]
            continue
        if f.kind is int and (not isinstance(value, int) or isinstance(value, bool)):
            errors[name] = [_("Must be a whole number.")]
            continue
        if f.kind is str:
            if not isinstance(value, str):
                errors[name] = [_("Must be text.")]
                continue
            problem = _bad_text(value, multiline=f.multiline)
            if problem:
                errors[name] = [problem]
                continue
            value = value.strip()
            if f.required and not value:
                errors[name] = [_("This field is required.")]
                continue
            if f.max_length and len(value) > f.max_length:
                errors[name] = [_("At most {n} characters.").format(n=f.max_length)]
                continue
            if f.choices and value not in f.choices:
                errors[name] = [_("Choose one of: {choices}.").format(choices=", ".join(f.choices))]
                continue
        if f.check is not None:
            problem = f.check(value)
            if problem:
                errors[name] = [problem]
                continue
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def json_body_max_bytes(spec: dict[str, Field]) -> int:
    """The size of the largest body `spec` accepts, every character escaped as long as JSON allows and laid out
    as json.dumps does by default (", " and ": "). Whitespace beyond that is the client's own affair."""
    sizes = []
    for name, f in spec.items():
        if f.kind is str and f.choices:
            value = max(len(json.dumps(c)) for c in f.choices)
        elif f.kind is str:
            value = 2 + f.max_length * MAX_ESCAPED_CHAR_BYTES
        elif f.kind is bool:
            value = len("false")
        else:
            value = len(str(-(2**63)))
        if f.nullable:
            value = max(value, len("null"))
        sizes.append(len(json.dumps(name)) + len(": ") + value)
    return len("{}") + sum(sizes) + len(", ") * max(len(sizes) - 1, 0)
