"""Settings for Shangliang, read from the environment (and a local `.env`, if present).

Every value a deployment changes comes from an environment variable; `.env.example` lists them.
SQLite is the default so that a newcomer can run the demo with nothing else installed.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from config import engines

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A secret key is required in production; the development default is refused when DEBUG is off.
_DEV_SECRET_KEY = "django-insecure-shangliang-development-only"
# An empty value counts as unset, like a missing one.
SECRET_KEY = env.str("SECRET_KEY", default="") or (_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "axes",
    # The domain, in the order models may point: each only to the ones above it.
    "workstations",
    "members",
    "consultations",
    "outcomes",
    # The site on top: the admin classes that compose the apps, the public portal, the member
    # workspace, the staff dashboards and the demo.
    "config",
    "config.portal",
    "config.me",
    "config.office",
    "config.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sends the reads of anonymous public pages to the replica, if there is one.
    "config.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a locked-out sign-in into the lock-out page; axes wants it last.
    "axes.middleware.AxesMiddleware",
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
            ],
        },
    },
]

# The primary, an optional read replica and an optional connection pool (config/engines.py).
DATABASES = engines.databases(env, BASE_DIR)
DATABASE_ROUTERS = ["config.replica.ReplicaRouter"] if "replica" in DATABASES else []
# A replica more than this many seconds behind the primary is left alone until it catches up.
REPLICA_MAX_LAG = env.float("REPLICA_MAX_LAG", default=10)
# After a write, the same browser reads the primary for this long (read-your-writes).
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=15)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": engines.cache(env)}
if engines.is_shared(CACHES["default"]):
    # Sessions read from Redis and written through to the database: valid on every server,
    # and not lost if Redis is flushed.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account before any password is checked (django-axes); first.
    "axes.backends.AxesStandaloneBackend",
    # Staff permissions come from the staff role (members.StaffRole), not per-user grants.
    "members.backends.StaffRoleBackend",
    # Members sign in with their username or their mobile number.
    "members.backends.UsernameOrMobileBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default="") or BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
# Public files (published photos, logos) in "default"; private ones in "private", fetched only
# through config.files. Local folders unless S3_BUCKET is set (config/engines.py).
_STORAGES, _FILES = engines.storages(env, BASE_DIR)
MEDIA_ROOT = _FILES["media_root"]
PRIVATE_ROOT = _FILES["private_root"]
STORAGES = {
    **_STORAGES,
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Uploads: whole requests and single files held in memory are bounded; the import form checks
# its own limit (IMPORT_MAX_UPLOAD_MB) and says so in the user's language.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=10)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="shangliang@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "me:desk"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failed sign-ins (django-axes): five failures lock the account for an
# hour. Counted per account, not per address: members share office and mobile-carrier addresses,
# so an address lock would shut out a whole office, while per-account counting stops guessing from
# any number of addresses. A mobile number and the username it belongs to count as one account.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "members.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# axes.W006 asks for the address among the lock-out parameters; we count per account on purpose.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# django-import-export: imports are all-or-nothing, go through the bulk path, and keep the
# pending file of a preview in the media storage so any app server can finish the import.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# The resources neutralise every formula-like cell themselves (TenantResource.export_field); the
# library's switch only strips "=" and turns every cell into text, so it stays off.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# Largest number of rows one import accepts.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)

# Production hardening: on whenever DEBUG is off; `manage.py check --deploy` stays silent.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    # HSTS preload is a choice for the site's owner, not something to switch on for them.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# --- Public portal ----------------------------------------------------------------------------
# Residents' messages: how many one client address may send in an hour (counted in CACHES, so
# shared by all app servers once CACHE_URL points at Redis). Many phones share an address behind
# a carrier's NAT or a workstation's Wi-Fi: raise it if genuine residents are held back.
PUBLIC_MESSAGES_PER_HOUR = env.int("PUBLIC_MESSAGES_PER_HOUR", default=5)
# Behind reverse proxies, how many of them append the client address to X-Forwarded-For; the
# client is then that many entries from the right. 0 (the default) uses REMOTE_ADDR and ignores
# the header, which a client can forge.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Task queue (Celery, config/celery.py) ----------------------------------------------------
# With CELERY_BROKER_URL (redis://host:6379/2) tasks go to the workers; without it each task
# runs in the process that asked for it, once the transaction that asked has committed.
CELERY_BROKER_URL = engines.broker(env)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
