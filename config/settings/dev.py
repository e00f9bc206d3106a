"""The embedded mode: `make run` on a laptop or a single intranet box, SQLite, no services."""

from config.env import env, local_secrets, var
from config.settings.base import *  # noqa: F403

_local = local_secrets()
DEBUG = env.bool(var("DEBUG"), default=True)
# `make run` turns DEBUG off (HUIYIN_DEBUG=false) so that a demo shows the site's own Chinese error pages,
# not Django's technical ones; static files are then served by WhiteNoise straight from the apps.
WHITENOISE_USE_FINDERS = True
SECRET_KEY = env.str(var("SECRET_KEY"), default=_local["SECRET_KEY"])
HUIYIN_FIELD_KEYS = env.list(var("FIELD_KEYS"), default=[_local["FIELD_KEYS"]])
HUIYIN_MATCH_KEY = env.str(var("MATCH_KEY"), default=_local["MATCH_KEY"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
