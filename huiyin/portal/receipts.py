"""Receipt codes: `<case number>-<secret>`, the secret 120 random bits in Crockford base32.

Only an Argon2id hash of the secret is stored. A receipt is looked up by its case number and then
verified — never by scanning hashes — and an unknown case number is verified against a dummy hash,
so "unknown" and "wrong" take about the same time and give the same answer.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings

from huiyin.cases.numbers import NUMBER_PATTERN, case_no_of, fold

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
SECRET_BITS = 120
SECRET_CHARS = SECRET_BITS // 5  # 24
GROUP = 4
MAX_RECEIPT_LENGTH = 80
_CROCKFORD_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_RECEIPT = re.compile(rf"^{NUMBER_PATTERN}[\s\-]+(?P<secret>[0-9A-Za-z][0-9A-Za-z\s\-]*)$")
_CASE_NO = re.compile(rf"^{NUMBER_PATTERN}(?![0-9])")


@dataclass(frozen=True)
class ParsedReceipt:
    case_no: str
    secret: str


def new_secret() -> str:
    """24 Crockford base32 characters from the operating system's secure random source (120 bits)."""
    value = secrets.randbits(SECRET_BITS)
    chars = []
    for _ in range(SECRET_CHARS):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def format_receipt(case_no: str, secret: str) -> str:
    """Grouped for reading aloud and copying by hand: 2026-000123-7K3M-...-QX9Z."""
    groups = [secret[i : i + GROUP] for i in range(0, len(secret), GROUP)]
    return f"{case_no}-" + "-".join(groups)


def normalise_receipt(text: str | None) -> str | None:
    """The receipt as typed, made comparable: full-width characters folded (NFKC), every kind of dash made
    "-", surrounding spaces dropped; None if empty or too long."""
    if not text or len(text) > MAX_RECEIPT_LENGTH:
        return None
    text = fold(text)
    if not text or len(text) > MAX_RECEIPT_LENGTH:
        return None
    return text


def parse_receipt(text: str | None) -> ParsedReceipt | None:
    """Tolerate spaces or any dash between groups (also between year and number), full-width characters,
    lower case and the Crockford look-alikes (O→0, I/L→1); None if malformed."""
    text = normalise_receipt(text)
    if text is None:
        return None
    match = _RECEIPT.match(text)
    if match is None:
        return None
    secret = re.sub(r"[\s\-]", "", match["secret"]).upper().translate(_CROCKFORD_ALIASES)
    if len(secret) != SECRET_CHARS or any(ch not in ALPHABET for ch in secret):
        return None
    return ParsedReceipt(case_no=case_no_of(match["year"], match["number"]), secret=secret)


def case_no_hint(text: str | None) -> str | None:
    """The case number a (possibly malformed) receipt claims, for per-case throttling."""
    text = normalise_receipt(text)
    if text is None:
        return None
    match = _CASE_NO.match(text)
    return case_no_of(match["year"], match["number"]) if match else None


def _params() -> tuple[int, int, int]:
    p = settings.HUIYIN_RECEIPT_ARGON2
    return int(p["time_cost"]), int(p["memory_cost"]), int(p.get("parallelism", 1))


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID)


def hasher() -> PasswordHasher:
    return _hasher(*_params())


def hash_secret(secret: str) -> str:
    return hasher().hash(secret)


@lru_cache(maxsize=4)
def _dummy_hash(params: tuple[int, int, int]) -> str:
    return _hasher(*params).hash(new_secret())


def dummy_hash() -> str:
    return _dummy_hash(_params())


def verify_secret(secret_hash: str, secret: str) -> bool:
    try:
        return hasher().verify(secret_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
