"""The engines beyond one machine are chosen from the environment; a wrong setting stops the
site at start with one line naming the variable; /healthz/ready says which engine fails."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import environ
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import resolve

from config import engines, replica
from config.checks import replica_sticks_longer_than_it_lags, shared_cache, sticky_warnings
from config.portal.limits import RateLimit
from workstations import versions

ROOT = Path(__file__).resolve().parent.parent


def _env(**values: str) -> environ.Env:
    """An environment of just these values (the real one is left alone)."""
    env = environ.Env()
    env.ENVIRON = dict(values)
    return env


def _refused(call, variable: str) -> str:
    with pytest.raises(engines.SettingError) as raised:
        call()
    message = str(raised.value)
    assert message.startswith(f"{variable}: ")
    assert "\n" not in message
    return message


# --- reading the environment ------------------------------------------------------------------


def test_without_variables_the_cache_is_the_process_own():
    assert engines.cache(_env())["BACKEND"].endswith("LocMemCache")


def test_a_redis_address_gives_a_shared_redis_cache():
    found = engines.cache(_env(CACHE_URL="redis://10.0.0.5:6379/1"))
    assert found["BACKEND"] == "config.redis_cache.RedisCache"
    assert found["LOCATION"] == "redis://10.0.0.5:6379/1"
    assert engines.is_shared(found)


def test_the_rediscache_scheme_of_earlier_versions_still_works():
    found = engines.cache(_env(CACHE_URL="rediscache://10.0.0.5:6379/1"))
    assert found["LOCATION"] == "redis://10.0.0.5:6379/1"


def test_an_unknown_cache_scheme_is_refused_naming_the_variable():
    message = _refused(lambda: engines.cache(_env(CACHE_URL="memcache://x:11211")), "CACHE_URL")
    assert "memcache" in message


def test_the_pool_is_djangos_psycopg_pool_without_persistent_connections():
    found = engines.databases(
        _env(
            DATABASE_URL="postgres://u:p@db:5432/s",
            DATABASE_POOL="true",
            DATABASE_POOL_MAX_SIZE="6",
        ),  # fmt: skip
        ROOT,
    )["default"]
    assert found["OPTIONS"]["pool"]["max_size"] == 6
    assert found["CONN_MAX_AGE"] == 0


def test_sqlite_refuses_a_pool():
    _refused(lambda: engines.databases(_env(DATABASE_POOL="true"), ROOT), "DATABASE_POOL")


def test_a_replica_is_a_second_alias_that_mirrors_the_primary_in_tests():
    found = engines.databases(
        _env(
            DATABASE_URL="postgres://u:p@db:5432/s",
            DATABASE_REPLICA_URL="postgres://u:p@standby:5432/s",
        ),  # fmt: skip
        ROOT,
    )
    assert found["replica"]["HOST"] == "standby"
    assert found["replica"]["TEST"] == {"MIRROR": "default"}


def test_a_replica_needs_postgresql():
    _refused(
        lambda: engines.databases(_env(DATABASE_REPLICA_URL="mysql://u@h/s"), ROOT),
        "DATABASE_REPLICA_URL",
    )


def test_private_files_may_not_live_inside_the_public_folder(tmp_path):
    env = _env(MEDIA_ROOT=str(tmp_path), PRIVATE_ROOT=str(tmp_path / "private"))
    _refused(lambda: engines.storages(env, ROOT), "PRIVATE_ROOT")


def test_an_unknown_broker_scheme_is_refused():
    _refused(lambda: engines.broker(_env(CELERY_BROKER_URL="amqp://x")), "CELERY_BROKER_URL")


# --- at start ---------------------------------------------------------------------------------


def _run(code: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CACHE_", "DATABASE_", "CELERY_", "S3_"))
    }
    return subprocess.run(
        code,
        cwd=ROOT,
        env={**base, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_wrong_setting_stops_manage_py_with_one_line():
    result = _run([sys.executable, "manage.py", "check"], CACHE_URL="memcache://x")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Shangliang cannot start: CACHE_URL: unknown scheme 'memcache'; "
        "use redis://host:6379/1 or locmemcache://"
    ]


def test_a_wrong_setting_stops_the_task_worker_at_start_with_one_line():
    celery = str(Path(sys.executable).with_name("celery"))
    result = _run([celery, "-A", "config", "worker"], CACHE_URL="memcache://x")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Shangliang cannot start: CACHE_URL: unknown scheme 'memcache'; "
        "use redis://host:6379/1 or locmemcache://"
    ]


def test_an_unreachable_redis_stops_the_app_server_at_start_with_one_line():
    result = _run([sys.executable, "-c", "import config.wsgi"], CACHE_URL="redis://127.0.0.1:1/0")
    assert result.returncode == 3  # gunicorn then stops instead of restarting the worker
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Shangliang cannot start: CACHE_URL: the cache does not answer")


# --- readiness --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ready_when_every_engine_answers(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert {"database", "cache", "file storage", "private file storage"} <= set(body["engines"])


@pytest.mark.django_db
def test_not_ready_names_the_engine_that_does_not_answer(client):
    unreachable = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == "cache"
    assert body["engines"]["cache"]["variable"] == "CACHE_URL"
    assert body["engines"]["database"]["ok"] is True


@override_settings(
    DEBUG=False,
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
)
def test_a_per_process_cache_is_warned_about_without_debug():
    assert [w.id for w in shared_cache(None)] == ["shangliang.W001"]


@override_settings(
    DEBUG=False,
    CACHES={"default": engines.cache(_env(CACHE_URL="redis://127.0.0.1:6379/13"))},
)
def test_a_shared_cache_is_not_warned_about():
    assert shared_cache(None) == []


# --- Redis ------------------------------------------------------------------------------------


def test_the_message_limit_on_redis_lets_exactly_the_limit_through_at_once(redis_url):
    limit = RateLimit("test", limit=5)
    taken = []
    with override_settings(CACHES={"default": engines.cache(_env(CACHE_URL=redis_url))}):
        barrier = threading.Barrier(20)

        def send():
            barrier.wait()
            taken.append(limit.take("10.0.0.1"))

        threads = [threading.Thread(target=send) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert cache.get("ratelimit:test:10.0.0.1") == 5
    assert taken.count(True) == 5


# --- the replica's share of the reads ---------------------------------------------------------

WITH_REPLICA = {
    "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "s"},
    "replica": {"ENGINE": "django.db.backends.postgresql", "NAME": "s"},
}


def _marked(path: str, *, user=None, cookies=None, method="get") -> bool:
    """Whether ReplicaMiddleware marks this request's reads for the replica."""
    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies or {})
    request.user = user or AnonymousUser()
    request.resolver_match = resolve(path)
    seen = []
    middleware = replica.ReplicaMiddleware(lambda r: None)

    def view(request):
        middleware.process_view(request, None, (), {})
        seen.append(replica.reading_replica())
        from django.http import HttpResponse

        return HttpResponse()

    middleware.get_response = view
    with (
        pytest.warns(UserWarning, match="DATABASES"),
        override_settings(DATABASES=WITH_REPLICA),
    ):
        response = middleware(request)
    assert replica.reading_replica() is False  # nothing leaks to the next request
    return seen[0], response


def test_an_anonymous_public_page_reads_the_replica():
    assert _marked("/hanshan/")[0] is True


def test_a_signed_in_visitor_reads_the_primary():
    class Someone:
        is_authenticated = True

    assert _marked("/hanshan/", user=Someone())[0] is False


def test_the_back_office_reads_the_primary():
    assert _marked("/accounts/login/")[0] is False


def test_a_browser_that_just_wrote_reads_the_primary():
    assert _marked("/hanshan/", cookies={replica.STICKY_COOKIE: "1"})[0] is False


def test_a_write_marks_the_browser_for_the_primary():
    response = _marked("/hanshan/", method="post")[1]
    assert response.cookies[replica.STICKY_COOKIE]["max-age"] == 15


@pytest.mark.django_db
def test_a_committee_that_just_changed_is_known_as_such():
    assert not versions.changed_within([7], 15)
    versions.bump([7], with_ancestors=False)
    assert versions.changed_within([7], 15)


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_load_balancer_asks_the_health_over_plain_http_while_pages_go_to_https():
    client = Client()  # made inside the settings: its middleware reads them
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz/ready").status_code == 200
    assert client.get("/track/").status_code == 301


def test_a_replica_that_may_lag_longer_than_a_writer_sticks_is_warned_about():
    assert [w.id for w in sticky_warnings(True, 5, 10)] == ["shangliang.W002"]
    assert sticky_warnings(True, 15, 10) == []


def test_no_replica_no_warning_about_its_lag():
    assert replica_sticks_longer_than_it_lags(None) == []


def test_the_redis_cache_keeps_one_client_per_server(redis_url):
    """Django's Redis cache builds a client for every call; ours keeps one per server."""
    from config.redis_cache import RedisCache

    shared = RedisCache(redis_url, {"KEY_PREFIX": "client-test"})
    shared.set("answer", 42)
    assert shared.get("answer") == 42
    assert shared._cache.get_client() is shared._cache.get_client(write=True)
