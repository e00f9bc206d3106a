"""Field encryption and keyed matching hashes.

Encryption: Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`, wrapped in MultiFernet so keys
rotate: HUIYIN_FIELD_KEYS is a comma-separated list, the first key encrypts, all keys decrypt, and
`manage.py rotate_keys` (people) re-encrypts every value with the first key.

Matching: an HMAC-SHA256 of normalised identity fields (HUIYIN_MATCH_KEY) lets the platform find
the same petitioner across cases without decrypting anything. During a match-key rotation the old
keys stay in HUIYIN_MATCH_KEY_PREVIOUS, so lookups still find records hashed under them, until
`manage.py rehash` has recomputed every stored hash with the current key (docs/security/keys.md).
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys if k.strip()])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.HUIYIN_FIELD_KEYS))


def encrypt(value: str) -> str:
    if value == "":
        return ""
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if token == "":
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key must never silently show ciphertext as text
        raise ValueError("Cannot decrypt a protected field: check HUIYIN_FIELD_KEYS.") from exc


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode() if token else ""


def normalise(value: str) -> str:
    """NFKC, lower case, no white space: so '张 三' and '张三', full-width and half-width digits match."""
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(value.split()).lower()


def normalise_phone(value: str) -> str:
    """Digits only, without a leading +86 / 0086 / 86 country code: '+86 139-1234-5678' -> '13912345678'.

    A mobile number written with the country code but without '+' (86 and 11 digits starting with 1)
    loses it too. Used for the matching hash only; the stored phone keeps what was entered.
    """
    value = unicodedata.normalize("NFKC", value or "").strip()
    digits = "".join(ch for ch in value if ch.isascii() and ch.isdigit())
    if value.startswith("+86"):
        digits = digits[2:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    return digits


def match_keys() -> list[str]:
    """The current match key first, then the previous ones still accepted for lookups."""
    previous = getattr(settings, "HUIYIN_MATCH_KEY_PREVIOUS", []) or []
    if isinstance(previous, str):
        previous = [previous]
    keys = [settings.HUIYIN_MATCH_KEY, *[k.strip() for k in previous if k and k.strip()]]
    return list(dict.fromkeys(keys))


def match_hash(*parts: str, key: str | None = None) -> str:
    """Keyed hash of normalised identity parts; empty when every part is empty."""
    normalised = [normalise(p) for p in parts]
    if not any(normalised):
        return ""
    message = "\x1f".join(normalised).encode()
    secret = settings.HUIYIN_MATCH_KEY if key is None else key
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def is_current(token: str) -> bool:
    """True when `token` decrypts with the primary (first) field key, i.e. needs no rotation."""
    if not token:
        return True
    keys = [k for k in settings.HUIYIN_FIELD_KEYS if k.strip()]
    try:
        Fernet(keys[0].strip().encode()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True
