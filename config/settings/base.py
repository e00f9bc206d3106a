"""Settings shared by every environment. Everything is read from HUIYIN_* variables."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, data_dir, env, var

DATA_DIR = data_dir()

DEBUG = env.bool(var("DEBUG"), default=False)
ALLOWED_HOSTS = env.list(var("ALLOWED_HOSTS"), default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list(var("CSRF_TRUSTED_ORIGINS"), default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huiyin.core",
    "huiyin.audit",
    "huiyin.org",
    "huiyin.people",
    "huiyin.cases",
    "huiyin.workflow",
    "huiyin.intake",
    "huiyin.notify",
    "huiyin.documents",
    "huiyin.portal",
    "huiyin.triage",
    "huiyin.search",
    "huiyin.retention",
    "huiyin.stats",
    "huiyin.ops",
    "huiyin.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "huiyin.core.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "huiyin.core.middleware.SessionIdleTimeoutMiddleware",
    "huiyin.org.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "huiyin.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "huiyin.notify.context_processors.inbox",
            ],
        },
    },
]


def _database() -> dict:
    url = env.str(var("DATABASE_URL"), default="")
    if url:
        db = env.db_url_config(url)
        if db["ENGINE"] == "django.db.backends.postgresql":
            db.setdefault("CONN_MAX_AGE", env.int(var("CONN_MAX_AGE"), default=60))
            db["CONN_HEALTH_CHECKS"] = True
            # JIT compilation costs hundreds of milliseconds on the short queries of a web page.
            db.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        return db
    # The embedded database: WAL so readers never block the writer, a busy timeout and
    # IMMEDIATE transactions so concurrent writers wait for the lock instead of failing.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "huiyin.sqlite3"),
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
# Local corrections of Django's formats (config/formats/zh_Hans: 9月5日, not 09月5日).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Attachments live outside the web root and are only ever served by a permission-checked view.
MEDIA_ROOT = env.path(var("MEDIA_ROOT"), default=str(DATA_DIR / "attachments"))
# Never routed: attachments are streamed only by the permission-checked download view.
MEDIA_URL = "/_unserved_media/"

# Sessions: idle timeout 30 minutes, absolute cap 12 hours (SECURITY.md).
SESSION_COOKIE_AGE = env.int(var("SESSION_ABSOLUTE_SECONDS"), default=12 * 3600)
SESSION_IDLE_SECONDS = env.int(var("SESSION_IDLE_SECONDS"), default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
HUIYIN_STAFF_LOGIN_FAILURES = env.int(var("STAFF_LOGIN_FAILURES"), default=5)
HUIYIN_STAFF_LOGIN_WINDOW_SECONDS = env.int(var("STAFF_LOGIN_WINDOW_SECONDS"), default=15 * 60)
HUIYIN_STAFF_LOGIN_FAILURES_GLOBAL = env.int(var("STAFF_LOGIN_FAILURES_GLOBAL"), default=300)
# Second factor for staff (SECURITY.md, ASVS 6.3.3). Role codes of huiyin.org.roles, plus "admin" for accounts
# that can open the Django admin (is_staff / is_superuser). Empty here, so the demo signs in with a password only;
# prod.py requires it of administrators and identity custodians. The admin site always requires a verified session.
HUIYIN_OTP_REQUIRED_ROLES = env.list(var("OTP_REQUIRED_ROLES"), default=[])
OTP_TOTP_ISSUER = "Huiyin"  # the name authenticator apps show next to the account
# Wrong codes are counted per account in the same fixed window as passwords (HUIYIN_STAFF_LOGIN_*). django-otp's
# own doubling delay is off: it would also refuse the right code typed a second after a typo.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# A filter left empty reads 全部 (all), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: DRF's browsable HTML view breaks the site's CSP with inline styles; people read the
    # Swagger docs page (/api/v1/docs). `?format=api` then answers the JSON 404.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "huiyin.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Huiyin API",
    "DESCRIPTION": "Petitions and grievances (信访) for enterprise groups.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API docs page (/api/v1/docs) serves Swagger UI from static files: intranets have no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # One enum per choice set, whichever field uses it.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "huiyin.cases.states.CaseStatus",
        "CaseStageEnum": "huiyin.cases.states.CaseStage",
        # Triage API: named here so fields called "kind", "status" and "source" keep distinct names
        # (and the earlier enums of those names keep theirs).
        "SourceEnum": "huiyin.cases.states.Source",
        "KindEnum": "huiyin.cases.models.EventKind",
        "SuggestionKindEnum": "huiyin.triage.states.SuggestionKind",
        "SuggestionStatusEnum": "huiyin.triage.states.SuggestionStatus",
        "SuggestionSourceEnum": "huiyin.triage.states.SuggestionSource",
        "SimilarKindEnum": "huiyin.triage.states.SimilarKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # django.server logs request lines; they are kept without client addresses by our formatter filter.
    "filters": {"no_client_data": {"()": "huiyin.core.logging.NoClientDataFilter"}},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "filters": ["no_client_data"], "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "filters": ["no_client_data"]},
        "huiyin": {"handlers": ["console"], "level": "INFO"},
    },
}

# Domain settings.
HUIYIN_ATTACHMENT_MAX_BYTES = env.int(var("ATTACHMENT_MAX_BYTES"), default=20 * 1024 * 1024)
HUIYIN_ATTACHMENT_MAX_COUNT = env.int(var("ATTACHMENT_MAX_COUNT"), default=10)
HUIYIN_RATING_WINDOW_DAYS = env.int(var("RATING_WINDOW_DAYS"), default=30)
HUIYIN_DUE_SOON_DAYS = env.int(var("DUE_SOON_DAYS"), default=5)
# A retention rule made shorter applies only after this notice period (the longer periods hold until then).
HUIYIN_RETENTION_SHORTENING_DAYS = env.int(var("RETENTION_SHORTENING_DAYS"), default=30)
HUIYIN_ORGANISATION_NAME = env.str(var("ORGANISATION_NAME"), default="")
# Statutory clocks, supervision and notifications (issue #3).
HUIYIN_SUPERVISION_ESCALATE_TO_LISTED = env.bool(var("SUPERVISION_ESCALATE_TO_LISTED"), default=True)
HUIYIN_SCHEDULER = env.str(var("SCHEDULER"), default="")  # "embedded": runserver runs the periodic jobs
HUIYIN_SITE_URL = env.str(var("SITE_URL"), default="http://127.0.0.1:8000")  # links in e-mails and reply letters
HUIYIN_NOTIFY_EMAIL = env.bool(var("NOTIFY_EMAIL"), default=True)
HUIYIN_NOTIFY_RETRY_SECONDS = env.int(var("NOTIFY_RETRY_SECONDS"), default=30)
HUIYIN_NOTIFY_RETRY_MAX_SECONDS = env.int(var("NOTIFY_RETRY_MAX_SECONDS"), default=3600)
# How long a sender's claim on an outbox row lasts before another run may take it (a killed sender's rows).
HUIYIN_NOTIFY_LEASE_SECONDS = env.int(var("NOTIFY_LEASE_SECONDS"), default=300)
# A mail server that accepts the connection and then says nothing must not hold the sender forever.
EMAIL_TIMEOUT = env.int(var("EMAIL_TIMEOUT"), default=30)
HUIYIN_SMS_BACKEND = env.str(var("SMS_BACKEND"), default="huiyin.notify.sms.ConsoleSmsBackend")
HUIYIN_LETTER_FONT = env.str(var("LETTER_FONT"), default="Noto Sans CJK SC")
DEFAULT_FROM_EMAIL = env.str(var("DEFAULT_FROM_EMAIL"), default="huiyin@localhost")

CELERY_BROKER_URL = env.str(var("CELERY_BROKER_URL"), default="")
# Without a broker (the embedded mode) tasks run in-process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE

# Identity vault (huiyin.people). Previous match keys stay accepted for lookups during a rotation.
HUIYIN_MATCH_KEY_PREVIOUS = env.list(var("MATCH_KEY_PREVIOUS"), default=[])
HUIYIN_UNSEAL_APPROVAL_HOURS = env.int(var("UNSEAL_APPROVAL_HOURS"), default=24)
# Roles whose holders in the accused's unit or above it lose sight of the case (Art. 30 ¶3).
HUIYIN_REPORTING_LINE_ROLES = env.list(var("REPORTING_LINE_ROLES"), default=["leader", "executive"])

# Employee portal (huiyin.portal).
HUIYIN_PORTAL_UNIT_CODE = env.str(var("PORTAL_UNIT_CODE"), default="")
# The largest JSON body the API reads (the portal's and the staff triage API's). It fits every body their fields
# allow however it is escaped: the largest, a submission of 20,000 + 200 + 100 characters sent as \ud83d\ude00
# pairs (12 bytes each), is about 238 KiB (validation.json_body_max_bytes); a system check refuses less.
HUIYIN_JSON_MAX_BYTES = env.int(var("JSON_MAX_BYTES"), default=256 * 1024)
HUIYIN_PORTAL_SESSION_SECONDS = env.int(var("PORTAL_SESSION_SECONDS"), default=30 * 60)
# Argon2id cost of receipt secrets (OWASP's minimum: 19 MiB, 2 passes, 1 lane).
HUIYIN_RECEIPT_ARGON2 = {
    "time_cost": env.int(var("RECEIPT_ARGON2_TIME"), default=2),
    "memory_cost": env.int(var("RECEIPT_ARGON2_MEMORY_KIB"), default=19456),
    "parallelism": 1,
}
# Guessing receipts: failures per case number and across the whole portal, not per IP address.
HUIYIN_RECEIPT_FAILURES_PER_CASE = env.int(var("RECEIPT_FAILURES_PER_CASE"), default=10)
HUIYIN_RECEIPT_CASE_WINDOW_SECONDS = env.int(var("RECEIPT_CASE_WINDOW_SECONDS"), default=15 * 60)
HUIYIN_RECEIPT_FAILURES_GLOBAL = env.int(var("RECEIPT_FAILURES_GLOBAL"), default=1000)
HUIYIN_RECEIPT_GLOBAL_WINDOW_SECONDS = env.int(var("RECEIPT_GLOBAL_WINDOW_SECONDS"), default=60)
HUIYIN_PORTAL_LOGIN_FAILURES = env.int(var("PORTAL_LOGIN_FAILURES"), default=5)
HUIYIN_PORTAL_LOGIN_WINDOW_SECONDS = env.int(var("PORTAL_LOGIN_WINDOW_SECONDS"), default=15 * 60)
HUIYIN_IDEMPOTENCY_KEEP_DAYS = env.int(var("IDEMPOTENCY_KEEP_DAYS"), default=30)
HUIYIN_RETALIATION_CHECKIN_DAYS = [30, 90]

# Full-text search (huiyin.search).
HUIYIN_SEARCH_MAX_QUERY_CHARS = env.int(var("SEARCH_MAX_QUERY_CHARS"), default=100)
HUIYIN_SEARCH_MAX_WORDS = env.int(var("SEARCH_MAX_WORDS"), default=8)
# PostgreSQL: a query expected (from the index statistics) to match more than SEARCH_EXACT_MAX cases
# is ranked among its newest SEARCH_WINDOW visible matches, looked for among the newest
# SEARCH_RECENT_ROWS indexed cases; other queries, or when those hold fewer, rank every match.
HUIYIN_SEARCH_EXACT_MAX = env.int(var("SEARCH_EXACT_MAX"), default=3000)
HUIYIN_SEARCH_WINDOW = env.int(var("SEARCH_WINDOW"), default=500)
HUIYIN_SEARCH_RECENT_ROWS = env.int(var("SEARCH_RECENT_ROWS"), default=300_000)
# `migrate` indexes existing cases missing from the index when there are at most this many.
HUIYIN_SEARCH_AUTO_INDEX_MAX = env.int(var("SEARCH_AUTO_INDEX_MAX"), default=20_000)

# Smart triage (huiyin.triage). A model is the enterprise's own: trained here from its own cases,
# kept in the data directory, never committed or shipped. Signed with HUIYIN_MODEL_KEY (default:
# derived from SECRET_KEY, so rotating SECRET_KEY means retraining; until then keywords suggest).
HUIYIN_MODEL_DIR = env.str(var("MODEL_DIR"), default=str(DATA_DIR / "models"))
HUIYIN_MODEL_KEY = env.str(var("MODEL_KEY"), default="")
HUIYIN_TRIAGE_MIN_EXAMPLES = env.int(var("TRIAGE_MIN_EXAMPLES"), default=100)
HUIYIN_HOT_ISSUE_DAYS = env.int(var("HOT_ISSUE_DAYS"), default=90)
HUIYIN_HOT_ISSUE_WINDOW_DAYS = env.int(var("HOT_ISSUE_WINDOW_DAYS"), default=7)
HUIYIN_HOT_ISSUE_MAX_CASES = env.int(var("HOT_ISSUE_MAX_CASES"), default=50000)
HUIYIN_HOT_ISSUE_EVERY_SECONDS = env.int(var("HOT_ISSUE_EVERY_SECONDS"), default=3600)
# How often the words of similar cases are recounted (in how many cases each occurs), to show the rarest first.
HUIYIN_WORD_FREQUENCY_EVERY_SECONDS = env.int(var("WORD_FREQUENCY_EVERY_SECONDS"), default=6 * 3600)
# PostgreSQL: the work_mem the statistics page groups a period's cases in (this transaction only; "" keeps
# the server's): a year of a large group sorts on disk at the default 4 MB.
HUIYIN_STATS_WORK_MEM = env.str(var("STATS_WORK_MEM"), default="64MB")
# Before a reply is issued: list what it lacks and ask for an explicit "issue anyway".
HUIYIN_REPLY_CHECK = env.bool(var("REPLY_CHECK"), default=True)
