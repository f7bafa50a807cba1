"""Settings for the test suite: fast hashing, mail kept in memory, media in a temp folder."""

import os
import tempfile

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="shangliang-test-media-")
# An existing (empty) folder, so WhiteNoise does not warn that STATIC_ROOT is missing.
STATIC_ROOT = tempfile.mkdtemp(prefix="shangliang-test-static-")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Each test starts with an empty cache (tests/conftest.py clears it), so the suite never uses
# CACHE_URL, which may point at a Redis that matters; TEST_CACHE_URL (CI: a Redis database of
# its own) runs it on a shared cache.
CACHES = {"default": engines.cache(env, "TEST_CACHE_URL")}  # noqa: F405
# Tasks run in the test's own process, after the test's commit (django_capture_on_commit_
# callbacks), unless a test starts a real worker on TEST_CELERY_BROKER_URL (tests/tasks/).
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True

# django-axes refuses authenticate() calls without a request, and the test client's login()
# makes exactly such calls. Tests therefore sign in without the axes backend; lock-out counting
# (the signal handler and the middleware) stays on, and tests/me/test_accounts.py puts
# the production backends back to prove that a locked-out account cannot sign in.
_PRODUCTION_BACKENDS = AUTHENTICATION_BACKENDS  # noqa: F405
AUTHENTICATION_BACKENDS = [
    b for b in _PRODUCTION_BACKENDS if b != "axes.backends.AxesStandaloneBackend"
]
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "axes.W003"]  # noqa: F405

# Close connections after each request, so that the live server's threads (browser tests) leave
# none open when the test database is dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Private files in a temp folder beside the media one (on local storage; on S3 "location" is
# the private prefix and stays). The import sheets' storage is the private one.
if PRIVATE_ROOT is not None:  # noqa: F405
    PRIVATE_ROOT = tempfile.mkdtemp(prefix="shangliang-test-private-")
    for _alias in ("private", "import_export"):
        STORAGES[_alias]["OPTIONS"]["location"] = PRIVATE_ROOT  # noqa: F405
