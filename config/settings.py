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
    "config.admin_site.SiteAdminConfig",  # django.contrib.admin, its app list kept
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
    # Each task's state, result and traceback, in the database (the admin's "Task results").
    "django_celery_results",
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
    # Content-Security-Policy and Permissions-Policy on every page ("Headers" at the end).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
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
                "config.context_processors.text_size",
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
# pending file of a preview in STORAGES["import_export"] (the private storage: the sheets hold ID
# numbers and mobiles) so any app server can finish the import.
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
# A load balancer asks each app server directly, over plain http: no redirect for the health.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/ready)?$"]
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
# Celery takes a producer even for a task it runs in-process: without a broker, an in-memory
# one (else kombu looks for an AMQP server on localhost, and says so in the log).
CELERY_BROKER_TRANSPORT = "redis" if CELERY_BROKER_URL else "memory"
# The eager runs are recorded like the others, so the downloads page and the admin's "Task
# results" work with nothing installed; a failing eager task is recorded, not raised into the
# request that asked for it (which has committed already).
CELERY_TASK_STORE_EAGER_RESULT = True
CELERY_TASK_EAGER_PROPAGATES = False
# Every outcome (state, result, traceback, the task's name and arguments) kept in the database
# for CELERY_RESULT_DAYS: superusers read them in the admin, staff their own on the downloads
# page. Beat deletes older ones every night (celery.backend_cleanup).
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = 60 * 60 * 24 * env.int("CELERY_RESULT_DAYS", default=30)
CELERY_TASK_TRACK_STARTED = True
# JSON only: a message on the broker is data, never code to unpickle.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged when it has finished, not when it is taken: a worker that stops in the
# middle leaves it on the broker for another. Each worker process takes one task at a time, so
# a long export does not hold short mails behind it. The tasks are written to be run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits for every task; the spreadsheet tasks set longer ones of their own. The soft
# limit raises inside the task (recorded as a failure), the hard one ends the process.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
# Redis hands an unacknowledged task to another worker after this many seconds; it must exceed
# the longest task plus the longest retry delay (workstations.tasks.RETRY: at most 10 minutes).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
    "socket_connect_timeout": 5,
    "socket_timeout": 10,
}
# A broker that does not answer fails the enqueue within seconds (the call site logs it)
# rather than holding a resident's request; a worker stops at start instead of waiting.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = False
CELERY_TIMEZONE = TIME_ZONE
# A task that meets a transient error (mail server, database, cache or bucket not answering)
# tries again after about this many seconds, then twice as long each time, at most this many
# times; then it is recorded as failed, with its traceback (workstations.tasks.RETRY).
TASK_RETRY_BACKOFF_SECONDS = env.int("TASK_RETRY_BACKOFF_SECONDS", default=30)
TASK_MAX_RETRIES = env.int("TASK_MAX_RETRIES", default=5)
# A mail server that accepts the connection and then says nothing is an error to retry, not a
# worker held until its time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# Above these sizes the admin's import (its confirmation) and its "download the list" run as a
# task: the staff member follows them on the downloads page (/office/<committee>/downloads/).
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2_000)
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=5_000)
# The office's rhythm board and yearly statistics workbooks of more workstations than this (a
# province's, not a county's) are written by a task as well.
EXPORT_BACKGROUND_WORKSTATIONS = env.int("EXPORT_BACKGROUND_WORKSTATIONS", default=1_000)
# Workbooks written in the background stay in the private storage (exports/) this long.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
from celery.schedules import crontab  # noqa: E402 - only this block needs it

# The README's nightly housekeeping as Celery beat's schedule (one `celery -A config beat` for
# the whole cluster). Cron running the same commands works as well; run one or the other.
CELERY_BEAT_SCHEDULE = {
    "send-rhythm-reminders": {
        "task": "outcomes.tasks.send_rhythm_reminders",
        "schedule": crontab(minute=30, hour=8),
    },
    "purge-import-files": {
        "task": "workstations.tasks.purge_import_files",
        "schedule": crontab(minute=15, hour=3),
    },
    "purge-pending-photos": {
        "task": "consultations.tasks.purge_pending_photos",
        "schedule": crontab(minute=20, hour=3),
    },
    "purge-spreadsheet-jobs": {
        "task": "workstations.tasks.purge_spreadsheet_jobs",
        "schedule": crontab(minute=30, hour=3),
    },
    "check-figures": {
        "task": "outcomes.tasks.check_figures",
        "schedule": crontab(minute=40, hour=3),
    },
    "close-answered-messages": {
        "task": "consultations.tasks.close_answered_messages",
        "schedule": crontab(minute=50, hour=3),
    },
}


# --- Headers (Content-Security-Policy, Permissions-Policy) ---
# Everything a page loads is our own: no inline script, no inline style, no style attribute (the
# brand colours are a stylesheet, /brands.css; the charts take their settings from a static
# file). No page needs a nonce, which matters: public pages are cached whole and served to
# every visitor with the same bytes, so a nonce written into one would not match the next
# response's header. tests/test_headers.py scans the templates and drives the pages in Chromium.
from csp.constants import NONE, SELF  # noqa: E402 - only this block needs them

from config import headers  # noqa: E402

# Photos and logos from a media host or a bucket, public or (redirected to) private.
MEDIA_ORIGINS = headers.media_origins(MEDIA_URL, STORAGES)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the SVG icons of the admin's stylesheets; blob: for the preview of a photo
        # chosen on the phone before it is sent (member.js).
        "img-src": [SELF, "data:", "blob:", *MEDIA_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Every powerful feature a page could ask for, refused: the portal uses none. (Only names that
# Chromium knows: it logs an error for each one it does not, "bluetooth" among them.) A photo is
# taken through a file input, which hands over to the phone's camera app and needs no camera
# permission; "near me" is a choice of town, not the device's position.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "clipboard-read",
        "display-capture",
        "encrypted-media",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}
