"""Production: PostgreSQL, secrets from the environment, HTTPS only. Fails fast when a secret is missing."""

from config.env import env, mandatory, var
from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = mandatory("SECRET_KEY")
HUIYIN_FIELD_KEYS = mandatory("FIELD_KEYS").split(",")
HUIYIN_MATCH_KEY = mandatory("MATCH_KEY")
# Administrators and identity custodians must always sign in with a second factor (ASVS 6.3.3).
HUIYIN_OTP_REQUIRED_ROLES = env.list(var("OTP_REQUIRED_ROLES"), default=["admin", "custodian"])

SECURE_SSL_REDIRECT = env.bool(var("SSL_REDIRECT"), default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int(var("HSTS_SECONDS"), default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool(var("BEHIND_PROXY"), default=False) else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_CONFIG = env.email_url(var("EMAIL_URL"), default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
