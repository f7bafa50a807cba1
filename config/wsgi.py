"""WSGI entry point, used by gunicorn: `gunicorn config.wsgi`.

A wrong setting, or an engine that does not answer, stops the server here with one line that
names the variable (gunicorn stops all its workers on exit status 3), rather than failing a
resident's first request.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

# gunicorn's exit status for "the worker cannot boot": the arbiter then stops instead of
# starting the worker again and again.
WORKER_BOOT_ERROR = 3

try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    sys.stderr.write(f"Shangliang cannot start: {error}\n")
    sys.exit(WORKER_BOOT_ERROR)

if os.environ.get("STARTUP_CHECKS", "true").lower() not in ("0", "false", "no", "off"):
    from config.readiness import first_failure  # noqa: E402

    failure = first_failure()
    if failure is not None:
        sys.stderr.write(f"Shangliang cannot start: {failure.line()}\n")
        sys.exit(WORKER_BOOT_ERROR)
