"""Environment access for settings: every setting comes from a HUIYIN_* variable.

The embedded mode (no variables at all) must work out of the box, so secrets that are
missing there are generated once and kept in the data directory, never in the repository.
Production settings instead fail fast when a required secret is missing.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
PREFIX = "HUIYIN_"


def var(name: str) -> str:
    return PREFIX + name


def data_dir() -> Path:
    path = Path(env.str(var("DATA_DIR"), default=str(BASE_DIR / "var")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def local_secrets() -> dict[str, str]:
    """Return secrets for the embedded mode, generating them on first use (file mode 0600)."""
    path = data_dir() / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_KEYS": Fernet.generate_key().decode(),
        "MATCH_KEY": secrets.token_urlsafe(32),
    }
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values


def mandatory(name: str) -> str:
    value = env.str(var(name), default="")
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {var(name)}.")
    return value
