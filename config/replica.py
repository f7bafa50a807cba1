"""Reads of anonymous public pages on a streaming replica (``DATABASE_REPLICA_URL``).

The router sends every write, and every read that is not marked for the replica, to the
primary. ``ReplicaMiddleware`` marks the reads of one kind of request only: an anonymous GET of
a public page (the portal and the sitemap) from a browser that has not written anything in the
last ``REPLICA_STICKY_SECONDS`` (a resident who has just left a concern sees it on the next
page: read-your-writes). The public pages of a committee that changed in those seconds are
rendered from the primary too, so a page cached under the new version never shows the old data.

A replica that is more than ``REPLICA_MAX_LAG`` seconds behind, or does not answer, is left
alone (and that is logged once) until a later check finds it well again: its reads go to the
primary and no page fails. A query that fails on the replica mid-page is asked again of the
primary.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
# Set on the response of every write; while it lasts the browser reads the primary.
STICKY_COOKIE = "wrote"
# How often one process asks the replica how far behind it is.
CHECK_SECONDS = 2

_on_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("on_replica", default=False)

_LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def configured() -> bool:
    return REPLICA in settings.DATABASES


class _Health:
    """Whether this process may read the replica, checked at most every ``CHECK_SECONDS``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = 0.0
        self.usable = True
        self.reason = ""

    def lag(self) -> float:
        """Seconds the replica is behind the primary (0 when it has replayed all it received)."""
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_LAG_SQL)
            return float(cursor.fetchone()[0])

    def check(self) -> bool:
        now = time.monotonic()
        if now - self.checked_at < CHECK_SECONDS:
            return self.usable
        with self.lock:
            if now - self.checked_at < CHECK_SECONDS:
                return self.usable
            try:
                lag = self.lag()
                reason = (
                    f"{lag:.1f} s behind (REPLICA_MAX_LAG is {settings.REPLICA_MAX_LAG:g})"
                    if lag > settings.REPLICA_MAX_LAG
                    else ""
                )
            except DatabaseError as error:
                reason = f"does not answer ({' '.join(str(error).split())})"
                connections[REPLICA].close()
            self._record(not reason, reason)
            self.checked_at = time.monotonic()
            return self.usable

    def _record(self, usable: bool, reason: str) -> None:
        if usable and not self.usable:
            log.warning("The replica is well again; public pages read it.")
        elif not usable and (self.usable or reason.split()[0] != self.reason.split()[0]):
            log.warning("The replica %s; public pages read the primary.", reason)
        self.usable, self.reason = usable, reason

    def failed(self, error: Exception) -> None:
        with self.lock:
            self._record(False, f"failed a query ({' '.join(str(error).split())})")
            self.checked_at = time.monotonic()
        connections[REPLICA].close()


health = _Health()


def reading_replica() -> bool:
    """Whether the reads of the current request go to the replica."""
    return _on_replica.get()


@contextlib.contextmanager
def primary():
    """Read the primary within this block, whatever the request."""
    token = _on_replica.set(False)
    try:
        yield
    finally:
        _on_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_replica.get() and health.check():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


# The views whose anonymous reads the replica serves: the portal (namespace "public") and the
# sitemap, which is about the portal.
PUBLIC_NAMESPACES = {"public"}
PUBLIC_URL_NAMES = {"sitemap", "sitemap_section"}


class ReplicaMiddleware:
    """Marks the reads of anonymous public pages for the replica (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        token = _on_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            _on_replica.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not configured() or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        public = bool(PUBLIC_NAMESPACES & set(match.namespaces)) or (
            match.url_name in PUBLIC_URL_NAMES
        )
        if public and STICKY_COOKIE not in request.COOKIES and not request.user.is_authenticated:
            _on_replica.set(True)
        return None

    def process_exception(self, request, exception):
        """A query that failed on the replica: leave the replica alone and ask the primary."""
        if not (_on_replica.get() and isinstance(exception, (OperationalError, InterfaceError))):
            return None
        health.failed(exception)
        _on_replica.set(False)
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
