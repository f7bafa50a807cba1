"""The read replica against a real streaming standby (config/replica.py).

Not pytest-django's database: a real one, ``shangliang_replica_check`` (the name in
``REPLICA_TEST_URL``), dropped, created, migrated and filled with the demo on the primary each
run, which the standby receives by streaming replication; and real gunicorn servers started with
``DATABASE_URL`` (the primary) and ``DATABASE_REPLICA_URL`` (the standby). Replay on the standby
is paused (``pg_wal_replay_pause()``) to make the replica visibly behind: what an anonymous page
shows then tells which database it read. Every public address asked carries a fresh query
string, so the public page cache (keyed by address) never answers in the database's place.

Needs ``.ci/standby start`` and ``REPLICA_TEST_URL=postgres://postgres@127.0.0.1:5433/
shangliang_replica_check`` (CI sets both); the primary is the same address on port 5432
(``REPLICA_TEST_PRIMARY_URL``), and ``REPLICA_TEST_CONTROL`` (``.ci/standby``) stops and starts
the standby for the last test.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest

from bench.servers import (
    ROOT,
    Gunicorn,
    Visitor,
    leave_message,
    manage,
    query,
    recreate_database,
    redis_flush,
    site_env,
    temp_folder,
)
from tests.conftest import engine_missing

REPLICA_URL = os.environ.get("REPLICA_TEST_URL", "")
pytestmark = pytest.mark.skipif(
    not REPLICA_URL,
    reason="REPLICA_TEST_URL is not set: start a standby (.ci/standby start) and set "
    "REPLICA_TEST_URL=postgres://postgres@127.0.0.1:5433/shangliang_replica_check",
)


def _primary_url() -> str:
    given = os.environ.get("REPLICA_TEST_PRIMARY_URL")
    if given:
        return given
    parts = urlsplit(REPLICA_URL)
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.port}", ":5432")))


PRIMARY_URL = _primary_url() if REPLICA_URL else ""
# The standby's own questions (is it one, how far has it replayed) go to its "postgres"
# database, which exists before ours is made.
STANDBY_ADMIN_URL = urlunsplit(urlsplit(REPLICA_URL)._replace(path="/postgres"))
CONTROL = os.environ.get("REPLICA_TEST_CONTROL", str(ROOT / ".ci" / "standby"))
CACHE_URL = os.environ.get("REPLICA_TEST_CACHE_URL", "redis://127.0.0.1:6379/11")
SECRET_KEY = "replica-check-" + "r" * 50
STICKY_SECONDS = 20


def _standby(statement: str) -> list[tuple]:
    return query(STANDBY_ADMIN_URL, statement)


def _caught_up(timeout: float = 60) -> None:
    """Wait until the standby has replayed everything the primary has written."""
    (lsn,) = query(PRIMARY_URL, "SELECT pg_current_wal_lsn()::text")[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if _standby(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")[0][0]:
                return
        except Exception:  # noqa: BLE001 - the standby is starting again
            pass
        time.sleep(0.2)
    raise AssertionError(f"the standby did not replay up to {lsn} in {timeout:g} s")


class _Paused:
    """Replay paused on the standby for the block: it receives the primary's changes but does
    not apply them, so its reads show the data from before."""

    def __enter__(self):
        _caught_up()
        _standby("SELECT pg_wal_replay_pause()")
        for _ in range(100):
            if _standby("SELECT pg_get_wal_replay_pause_state()")[0][0] == "paused":
                return self
            time.sleep(0.05)
        raise AssertionError("replay did not pause")

    def __exit__(self, *exc):
        _standby("SELECT pg_wal_replay_resume()")
        _caught_up()


def _fresh(path: str) -> str:
    return f"{path}?fresh={uuid.uuid4().hex}"


def _eventually(predicate, timeout: float = 30, every: float = 0.3):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


@pytest.fixture(scope="module")
def site():
    """The demo on the primary and its standby, served by gunicorn: ``patient`` reads the
    replica however far behind it is; ``strict`` leaves it alone once it is a second behind."""
    try:
        _standby("SELECT 1")
    except Exception as error:  # noqa: BLE001
        engine_missing(f"the standby at {REPLICA_URL} ({' '.join(str(error).split())[:120]})")
    assert _standby("SELECT pg_is_in_recovery()")[0][0], f"{REPLICA_URL} is not a standby"
    try:
        redis_flush(CACHE_URL)
    except SystemExit:
        engine_missing(f"Redis at {CACHE_URL}")
    with temp_folder("shangliang-replica-") as folder:
        recreate_database(PRIMARY_URL)
        base = site_env(
            folder,
            SECRET_KEY=SECRET_KEY,
            DATABASE_URL=PRIMARY_URL,
            CACHE_URL=CACHE_URL,
            # The pool, as in production (REPLICA_TEST_POOL=false to compare without).
            DATABASE_POOL=os.environ.get("REPLICA_TEST_POOL", "true"),
            REPLICA_STICKY_SECONDS=str(STICKY_SECONDS),
        )
        manage(base, "migrate", "--noinput", "-v0")
        manage(base, "collectstatic", "--noinput", "-v0")
        manage(base, "load_demo", "--no-photos", "-v0")
        _caught_up()
        committee, slug, pk, name = query(
            PRIMARY_URL,
            "SELECT c.slug, w.slug, w.id, w.name FROM workstations_workstation w "
            "JOIN workstations_committee c ON c.id = w.committee_id "
            "WHERE c.slug = 'hanshan' AND w.is_published ORDER BY w.id LIMIT 1",
        )[0]
        replica = {**base, "DATABASE_REPLICA_URL": REPLICA_URL}
        patient = Gunicorn({**replica, "REPLICA_MAX_LAG": "3600"}, folder, "patient", 1, 4)
        strict = Gunicorn({**replica, "REPLICA_MAX_LAG": "1"}, folder, "strict", 1, 4)
        with patient, strict:
            yield {
                "patient": patient,
                "strict": strict,
                "page": f"/{committee}/workstations/{slug}/",
                "admin": f"/admin/workstations/workstation/{pk}/change/",
                "pk": pk,
                "name": name,
            }
    from bench.servers import drop_database

    drop_database(PRIMARY_URL)


@pytest.fixture(autouse=True)
def _fresh_versions(site):
    """Each test starts with an empty cache: a committee that changed in the last
    REPLICA_STICKY_SECONDS (the demo just loaded, a message just left) has its pages read from
    the primary on purpose, which would hide the replica from the next test."""
    redis_flush(CACHE_URL)


def _rename_on_primary(site, suffix: str) -> str:
    """Change published data straight on the primary (no version bump, no cookie)."""
    new_name = f"{site['name']} {suffix}"
    query(
        PRIMARY_URL,
        "UPDATE workstations_workstation SET name = %s WHERE id = %s",
        (new_name, site["pk"]),
    )
    return new_name


def test_anonymous_public_pages_read_the_replica_while_staff_read_the_primary(site):
    server = site["patient"]
    staff = Visitor(server.port)
    staff.sign_in("hanshan_office")
    marker = f"replica-{uuid.uuid4().hex[:8]}"

    with _Paused():
        new_name = _rename_on_primary(site, marker)
        public = Visitor(server.port).get(_fresh(site["page"]))
        admin = staff.get(site["admin"])
        assert public.status == 200 and admin.status == 200
        assert site["name"] in public.text
        assert marker not in public.text  # the replica has not replayed the change
        assert marker in admin.text  # staff read the primary

    # Replay resumed: the replica has it, and so does the next anonymous page.
    shown = _eventually(lambda: marker in Visitor(server.port).get(_fresh(site["page"])).text)
    assert shown, f"{new_name!r} never reached the anonymous page after replay resumed"


def test_a_resident_who_just_wrote_reads_the_primary(site):
    server = site["patient"]
    resident = Visitor(server.port, source="127.0.0.21")
    text = f"replica read-your-writes {uuid.uuid4().hex}"

    with _Paused():
        sent, _ = leave_message(resident, site["page"] + "message/", text, secret_key=SECRET_KEY)
        assert sent.status == 302, sent.text[:500]
        assert "wrote" in resident.cookies  # the write marks the browser
        token = parse_qs(urlsplit(sent.location).query)["t"][0]
        assert resident.get(sent.location).status == 200

        from django.core import signing

        code = signing.loads(
            token, key=SECRET_KEY, salt="consultations.message-sent", fallback_keys=[]
        )
        own = resident.get(f"/track/?code={code}")
        stranger = Visitor(server.port, source="127.0.0.22").get(f"/track/?code={code}")
        assert own.status == 200 and text in own.text  # read-your-writes: the primary
        assert stranger.status == 200 and text not in stranger.text  # the paused replica

    found = _eventually(
        lambda: text in Visitor(server.port, source="127.0.0.23").get(f"/track/?code={code}").text
    )
    assert found, "the message never reached the replica after replay resumed"


def test_a_replica_too_far_behind_is_left_alone_and_logged(site):
    server = site["strict"]  # REPLICA_MAX_LAG=1
    marker = f"lagging-{uuid.uuid4().hex[:8]}"

    with _Paused():
        _rename_on_primary(site, marker)
        # More than a second behind, and the next check (every 2 s) notices.
        time.sleep(3.5)
        pages = [Visitor(server.port).get(_fresh(site["page"])) for _ in range(3)]
        assert {p.status for p in pages} == {200}
        assert all(marker in p.text for p in pages)  # from the primary
        log = server.log_text()
        assert "behind (REPLICA_MAX_LAG is 1); public pages read the primary." in log, log[-2000:]

    _eventually(
        lambda: (
            Visitor(server.port).get(_fresh(site["page"])).status == 200
            and ("The replica is well again" in server.log_text())
        )
    )
    assert "The replica is well again; public pages read it." in server.log_text()


def test_a_stopped_replica_sends_public_pages_to_the_primary(site):
    server = site["patient"]
    if not Path(CONTROL).exists():
        pytest.skip(f"no control script at {CONTROL} (REPLICA_TEST_CONTROL) to stop the standby")
    marker = f"stopped-{uuid.uuid4().hex[:8]}"
    _caught_up()
    subprocess.run([CONTROL, "stop"], check=True, capture_output=True)
    try:
        new_name = _rename_on_primary(site, marker)
        timings = []
        for _ in range(5):
            page = Visitor(server.port).get(_fresh(site["page"]))
            timings.append(page.seconds)
            assert page.status == 200
            assert marker in page.text, f"{new_name!r} missing: not read from the primary"
            time.sleep(0.5)
        log = server.log_text()
        assert "public pages read the primary." in log and (
            "does not answer" in log or "failed a query" in log
        ), log[-2000:]
        print(f"pages with the standby stopped: {', '.join(f'{t * 1000:.0f}' for t in timings)} ms")
    finally:
        subprocess.run([CONTROL, "start"], check=True, capture_output=True)
    _caught_up()
    well = _eventually(
        lambda: (
            Visitor(server.port).get(_fresh(site["page"])).status == 200
            and server.log_text().count("The replica is well again") >= 1
        ),
        timeout=30,
    )
    assert well, server.log_text()[-2000:]
