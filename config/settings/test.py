"""Test settings: fixed throwaway keys, fast hashing, in-memory e-mail."""

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
HUIYIN_FIELD_KEYS = ["uSiaWTY0vqGlvtd_1fSpUe9s-i8lx5QaHrUb4OBvDdk="]
HUIYIN_MATCH_KEY = "test-match-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
