"""Whether each engine answers: the database (and its replica), the cache, the file storage and
the task broker.

``/healthz/ready`` asks them all for a load balancer; ``config.wsgi``, the Celery worker and
``manage.py check --deploy`` ask them at start, so that a Redis that does not answer or a bucket
that does not exist stops the server with one line naming the variable to fix.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connections


@dataclass(frozen=True)
class Answer:
    engine: str
    variable: str
    ok: bool
    detail: str
    seconds: float

    def line(self) -> str:
        return f"{self.variable}: the {self.engine} does not answer ({self.detail})"


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"ready:{uuid.uuid4().hex}"
    cache.set(key, 1, 10)
    if cache.get(key) != 1:
        raise RuntimeError("a value written was not read back")
    cache.delete(key)


def _storage(alias: str) -> None:
    storage = storages[alias]
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        # A missing bucket or wrong keys answer here; exists() would only say "no such file".
        storage.connection.meta.client.head_bucket(Bucket=bucket)
        return
    location = storage.location
    if not os.path.isdir(location):
        os.makedirs(location, exist_ok=True)
    if not os.access(location, os.W_OK):
        raise PermissionError(f"{location} is not writable")


def _public_storage() -> None:
    _storage("default")


def _private_storage() -> None:
    _storage("private")


def _broker() -> None:
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=3)


def _checks() -> list[tuple[str, str, callable]]:
    found = [("database", "DATABASE_URL", lambda: _database("default"))]
    if "replica" in settings.DATABASES:
        found.append(("replica", "DATABASE_REPLICA_URL", lambda: _database("replica")))
    found.append(("cache", "CACHE_URL", _cache))
    on_s3 = getattr(settings, "PRIVATE_ROOT", None) is None
    found.append(("file storage", "S3_BUCKET" if on_s3 else "MEDIA_ROOT", _public_storage))
    if "private" in settings.STORAGES:
        private = "S3_PRIVATE_BUCKET" if on_s3 else "PRIVATE_ROOT"
        found.append(("private file storage", private, _private_storage))
    if settings.CELERY_BROKER_URL:
        found.append(("task broker", "CELERY_BROKER_URL", _broker))
    return found


def answers() -> list[Answer]:
    """Ask every engine once, in order; each answer says how long it took."""
    found = []
    for engine, variable, check in _checks():
        started = time.monotonic()
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            found.append(Answer(engine, variable, False, _one_line(error), _since(started)))
        else:
            found.append(Answer(engine, variable, True, "", _since(started)))
    return found


def _since(started: float) -> float:
    return round(time.monotonic() - started, 4)


def first_failure() -> Answer | None:
    return next((answer for answer in answers() if not answer.ok), None)
