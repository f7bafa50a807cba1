"""The engines beyond one machine, each chosen from the environment (README "Past one machine").

Every function here reads its variables and returns the settings for one engine; when the
variables are absent it returns the single-machine default, so `make run` needs nothing
installed. A wrong value raises ``SettingError``, whose message is one line that names the
variable: ``manage.py`` and ``config.wsgi`` print that line and stop, so a deployment fails at
start rather than at a resident's first request. Whether the engines *answer* is the job of
``config.readiness``.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured


class SettingError(ImproperlyConfigured):
    """A wrong setting; ``str()`` is one line that starts with the variable's name."""

    def __init__(self, variable: str, problem: str):
        self.variable = variable
        super().__init__(f"{variable}: {problem}")


def _scheme(env: environ.Env, variable: str, default: str) -> tuple[str, str]:
    url = env.str(variable, default="") or default
    return urlsplit(url).scheme.lower(), url


# --- Cache -------------------------------------------------------------------------------------

CACHE_SCHEMES = ("redis", "rediss", "rediscache", "locmemcache", "dummycache")


def cache(env: environ.Env, variable: str = "CACHE_URL") -> dict:
    """``CACHE_URL``: ``redis://host:6379/1`` (``rediss://`` over TLS) is shared by every app
    server; ``locmemcache://`` (the default) lives in one process."""
    scheme, url = _scheme(env, variable, "locmemcache://")
    if scheme not in CACHE_SCHEMES:
        raise SettingError(
            variable,
            f"unknown scheme {scheme or url!r}; use redis://host:6379/1 or locmemcache://",
        )
    if scheme == "locmemcache":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummycache":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    # rediscache:// is what earlier versions of .env.example offered; it means redis://.
    location = "redis" + url[len("rediscache") :] if scheme == "rediscache" else url
    if not urlsplit(location).hostname:
        raise SettingError(variable, f"no host in {url!r}; use redis://host:6379/1")
    return {
        "BACKEND": "config.redis_cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="shangliang"),
        "OPTIONS": {
            # A Redis that stops answering slows a page by at most this, then the page fails
            # over to counting afresh (the figures) or refuses politely (the message limit).
            "socket_connect_timeout": 2,
            "socket_timeout": 2,
        },
    }


def is_shared(cache_settings: dict) -> bool:
    """Whether every app server sees the same cache (so limits, previews and locks agree)."""
    return cache_settings["BACKEND"].endswith("RedisCache")


# --- Database: primary, replica, pool ----------------------------------------------------------

DATABASE_SCHEMES = ("postgres", "postgresql", "pgsql", "psql", "sqlite")


def _database(env: environ.Env, variable: str, default: str) -> dict:
    scheme, url = _scheme(env, variable, default)
    if scheme not in DATABASE_SCHEMES:
        raise SettingError(
            variable,
            f"unknown scheme {scheme or url!r}; use postgres://user:password@host:5432/name",
        )
    return env.db_url_config(url)


def is_postgres(database: dict) -> bool:
    return database["ENGINE"] == "django.db.backends.postgresql"


def databases(env: environ.Env, base_dir: Path) -> dict:
    """``DATABASE_URL`` (SQLite by default), ``DATABASE_REPLICA_URL`` (a streaming replica that
    serves the public pages, see ``config.replica``) and ``DATABASE_POOL`` (psycopg's pool)."""
    primary = _database(env, "DATABASE_URL", f"sqlite:///{base_dir / 'db.sqlite3'}")
    found = {"default": primary}
    if env.str("DATABASE_REPLICA_URL", default=""):
        replica = _database(env, "DATABASE_REPLICA_URL", "")
        if not (is_postgres(replica) and is_postgres(primary)):
            raise SettingError(
                "DATABASE_REPLICA_URL", "a replica needs PostgreSQL for DATABASE_URL and itself"
            )
        # The test suite reads the primary's test database through this alias.
        replica["TEST"] = {"MIRROR": "default"}
        found["replica"] = replica
    pooled = env.bool("DATABASE_POOL", default=False)
    if pooled and not is_postgres(primary):
        raise SettingError("DATABASE_POOL", "only PostgreSQL pools connections (DATABASE_URL)")
    for database in found.values():
        database["CONN_HEALTH_CHECKS"] = True
        if pooled:
            # Each process keeps its own pool; Django then must not keep connections itself.
            database["CONN_MAX_AGE"] = 0
            database.setdefault("OPTIONS", {})["pool"] = {
                "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
                "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=8),
                "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
            }
        else:
            database.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    return found


# --- Files: local folders or an S3-compatible bucket -------------------------------------------


def storages(env: environ.Env, base_dir: Path) -> tuple[dict, dict]:
    """``default`` holds what the public may see (published photos, logos); ``private`` holds
    what only a signed-in user with the right may fetch, through ``config.files`` (pending
    import sheets, draft and returned photos, attachments of unpublished records, exports).

    Local folders by default (``MEDIA_ROOT`` served at ``MEDIA_URL``; ``PRIVATE_ROOT`` served at
    no address); with ``S3_BUCKET`` both live in S3-compatible object storage, the private ones
    in ``S3_PRIVATE_BUCKET`` or, without it, under ``private/`` in the same bucket (which the
    bucket's policy must then keep unreadable). ``import_export`` is the private storage again,
    for django-import-export's pending sheets. Returns ``(STORAGES without staticfiles,
    facts)``, the facts being what the rest of the settings need to know.
    """
    bucket = env.str("S3_BUCKET", default="")
    if not bucket:
        media_root = Path(env.str("MEDIA_ROOT", default="") or base_dir / "media")
        private_root = Path(env.str("PRIVATE_ROOT", default="") or base_dir / "private")
        if private_root.resolve() == media_root.resolve() or private_root.resolve().is_relative_to(
            media_root.resolve()
        ):
            raise SettingError("PRIVATE_ROOT", "must lie outside MEDIA_ROOT, which is public")
        private = {
            # Its url() is a short-lived address of this site, signed, that streams the file.
            "BACKEND": "config.files.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(private_root), "base_url": None},
        }
        return (
            {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "private": private,
                # django-import-export's MediaStorage keeps a preview's sheet here (one dict
                # with "private", so a change of the one is a change of the other).
                "import_export": private,
            },
            {"media_root": media_root, "private_root": private_root, "s3": False},
        )
    endpoint = env.str("S3_ENDPOINT_URL", default="")
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise SettingError("S3_ENDPOINT_URL", f"not an http(s) address: {endpoint!r}")
    common = {
        "endpoint_url": endpoint or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "file_overwrite": False,
        # Path-style addresses work with every S3-compatible server (MinIO, Ceph, moto...).
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="path"),
        "signature_version": "s3v4",
    }
    private_bucket = env.str("S3_PRIVATE_BUCKET", default="")
    public_url = env.str("S3_PUBLIC_URL", default="").rstrip("/")
    public = {
        **common,
        "bucket_name": bucket,
        "querystring_auth": False,
        "default_acl": None,
    }
    if public_url:
        parts = urlsplit(public_url)
        public["custom_domain"] = parts.netloc + parts.path
        public["url_protocol"] = (parts.scheme or "https") + ":"
    private = {
        **common,
        "bucket_name": private_bucket or bucket,
        "location": "" if private_bucket else "private",
        "querystring_auth": True,
        "querystring_expire": env.int("S3_SIGNED_URL_SECONDS", default=300),
        "default_acl": None,
    }
    backend = "storages.backends.s3.S3Storage"
    return (
        {
            "default": {"BACKEND": backend, "OPTIONS": public},
            "private": {"BACKEND": backend, "OPTIONS": private},
            "import_export": {"BACKEND": backend, "OPTIONS": private},
        },
        {"media_root": base_dir / "media", "private_root": None, "s3": True},
    )


# --- Task queue --------------------------------------------------------------------------------

BROKER_SCHEMES = ("redis", "rediss")


def broker(env: environ.Env) -> str:
    """``CELERY_BROKER_URL``: ``redis://host:6379/2``. Empty (the default) runs each task in the
    process that asked for it, right after its transaction commits."""
    scheme, url = _scheme(env, "CELERY_BROKER_URL", "")
    if url and scheme not in BROKER_SCHEMES:
        raise SettingError(
            "CELERY_BROKER_URL", f"unknown scheme {scheme or url!r}; use redis://host:6379/2"
        )
    return url
