"""A real worker on the real broker: ``celery -A config worker`` in a process of its own, on the
Redis database ``TEST_CELERY_BROKER_URL`` (database 12 on 127.0.0.1 unless told, emptied first)
and on a database that the site's other processes open as well — the suite's own test database
when the suite runs on PostgreSQL (a transactional test: emptied after it), else a migrated
SQLite file of the test's own.

The site's code, run by ``manage.py shell`` as a request would run it, records a resident's
message and leaves the mail to the conveners on the broker; the worker sends it (a file per
mail: ``EMAIL_URL=filemail://``) and records its success. A mail server that hangs up is tried
again, then the failure is recorded with its traceback and shown to a superuser among the
admin's task results. A worker whose broker or database does not answer stops at start with one
line naming the variable (config/celery.py).

The other task tests run the tasks in the test's own process (tests/tasks/conftest.py).
"""

from __future__ import annotations

import contextlib
import email
import json
import os
import socketserver
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from bench.servers import PY, ROOT, query, site_env
from tests.conftest import engine_missing
from tests.storage.test_two_servers import _migrated_database

pytestmark = pytest.mark.slow

# On PostgreSQL the worker opens the suite's own test database: the test is a transactional
# one, its rows committed for the worker to read and emptied after it. An in-memory SQLite
# database no other process can open: there the test migrates a file of its own.
ON_POSTGRES = connection.vendor == "postgresql"

BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/12")
NOTIFY = "consultations.tasks.notify_conveners"
# Every wait for a process or a record gives up after this many seconds.
WAIT = 25
# Two more tries after the first, about a second apart: TASK_MAX_RETRIES, ..._BACKOFF_SECONDS.
RETRIES = 2

# The site's code as a request runs it: a resident's message recorded in a transaction, the
# mail to the conveners left on the broker once it has committed.
MESSAGE = """
import json
from django.db import transaction
from consultations.services.messages import message_create
from tests.conftest import _county, _county_personas
from tests.factories import UserFactory
county = _county(
    "hanshan", "含山县政协", ("maanshan", "马鞍山市政协"), ("anhui", "安徽省政协"), "含您协商"
)
ns = _county_personas(county, "hanshan")
UserFactory(username="root", is_staff=True, is_superuser=True)
with transaction.atomic():
    message = message_create(
        workstation=ns.workstation,
        mobile="13800138000",
        category="traffic",
        text="小区门口的路灯坏了两个月。",
        site_url="https://example.org/",
    )
print(json.dumps({
    "message": message.pk, "convener": ns.convener.user.email, "workstation": ns.workstation.name
}))
"""

# The admin's task results, as a superuser reads them.
ADMIN = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_celery_results.models import TaskResult
client = Client(headers={"host": "127.0.0.1"})
client.force_login(get_user_model().objects.get(username="root"))
result = TaskResult.objects.get(task_name="consultations.tasks.notify_conveners")
listing = client.get(
    reverse("admin:django_celery_results_taskresult_changelist"), {"status": "FAILURE"}
)
detail = client.get(reverse("admin:django_celery_results_taskresult_change", args=[result.pk]))
print(json.dumps({
    "task_id": result.task_id,
    "listing": [listing.status_code, listing.content.decode()],
    "detail": [detail.status_code, detail.content.decode()],
}))
"""


@dataclass
class Site:
    """The environment of the site's processes, and the database they share."""

    env: dict[str, str]
    folder: Path
    sqlite: Path | None  # the SQLite file; None on PostgreSQL

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows read straight from the shared database (``%s`` placeholders)."""
        if self.sqlite is None:
            return query(self.env["DATABASE_URL"], sql, params)
        with contextlib.closing(sqlite3.connect(self.sqlite, timeout=5)) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()

    def task_results(self, name: str) -> list[dict]:
        columns = ("task_id", "status", "result", "traceback", "worker", "task_kwargs")
        found = self.rows(
            f"SELECT {', '.join(columns)} FROM django_celery_results_taskresult"
            " WHERE task_name = %s",
            (name,),
        )
        return [dict(zip(columns, row, strict=True)) for row in found]

    def shell(self, script: str) -> dict:
        """Run ``script`` with ``manage.py shell``; returns the JSON it printed last."""
        done = subprocess.run(
            [PY, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=WAIT * 2,
            check=False,
        )
        assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class Worker:
    """A running worker: its process, its log and its name (``<hostname>@<machine>``)."""

    process: subprocess.Popen
    log: Path
    hostname: str

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for(self, what: str, found: Callable[[], object]):
        """``found()``'s first true answer, within WAIT seconds while the worker runs."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            answer = found()
            if answer:
                return answer
            if self.process.poll() is not None:
                pytest.fail(f"the worker stopped ({self.process.returncode}):\n{self.log_text()}")
            time.sleep(0.2)
        pytest.fail(f"no {what} within {WAIT} s; the worker's log:\n{self.log_text()[-5000:]}")


@pytest.fixture
def broker() -> str:
    """The broker's Redis database, emptied."""
    import redis

    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError:
        engine_missing(f"Redis at {BROKER_URL} (TEST_CELERY_BROKER_URL)")
    return BROKER_URL


def _postgres_url(db: dict) -> str:
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


def on_a_shared_database(test):
    """The test's rows committed where the worker reads them (on PostgreSQL; see ON_POSTGRES)."""
    return pytest.mark.django_db(transaction=True)(test) if ON_POSTGRES else test


@pytest.fixture
def site(tmp_path, broker) -> Site:
    """A production-like site (DEBUG off) on the broker, with a quick retry policy."""
    env = site_env(
        tmp_path,
        CELERY_BROKER_URL=broker,
        TASK_MAX_RETRIES=str(RETRIES),
        TASK_RETRY_BACKOFF_SECONDS="1",
        EMAIL_TIMEOUT="5",
        STARTUP_CHECKS="true",
        # Pages name their static files without a manifest: no collectstatic needed here.
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    if ON_POSTGRES:
        env["DATABASE_URL"] = _postgres_url(connection.settings_dict)
        return Site(env, tmp_path, sqlite=None)
    database = _migrated_database(tmp_path, env)
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return Site(env, tmp_path, sqlite=database)


@contextlib.contextmanager
def worker(site: Site) -> Iterator[Worker]:
    """``celery -A config worker`` on the site, with one worker process (prefork, as in
    production), its output in a log; stopped when the block ends, whatever happened."""
    hostname = f"shangliang-test-{uuid.uuid4().hex[:8]}"
    log = site.folder / f"{hostname}.log"
    command = [PY, "-m", "celery", "-A", "config", "worker", "--pool", "prefork", "-c", "1"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["--loglevel", "INFO", "--hostname", f"{hostname}@%h"]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=site.env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield Worker(process, log, hostname)
    finally:
        process.terminate()  # a warm shutdown: the task under way finishes
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _queued(broker_url: str, queue: str = "celery") -> int:
    import redis

    return redis.Redis.from_url(broker_url, socket_connect_timeout=2).llen(queue)


def _mails(folder: Path) -> list[email.message.Message]:
    """The mails the file backend wrote (one file per connection, each mail followed by a line
    of dashes)."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk))
    return found


@on_a_shared_database
def test_a_message_is_mailed_by_the_worker_and_its_success_recorded(site, broker):
    outbox = site.folder / "outbox"
    outbox.mkdir()
    site.env["EMAIL_URL"] = f"filemail:///{outbox}"  # four slashes: an absolute path

    asked = site.shell(MESSAGE)
    # The site's process left the task on the broker and did not run it itself.
    assert _queued(broker) == 1
    assert site.task_results(NOTIFY) == []
    assert _mails(outbox) == []

    with worker(site) as running:
        [done] = running.wait_for(
            "successful run",
            lambda: [r for r in site.task_results(NOTIFY) if r["status"] == "SUCCESS"],
        )
        assert done["worker"].startswith(f"{running.hostname}@")
        assert json.loads(done["result"]) == 1  # one convener told
        assert f"'message_id': {asked['message']}" in done["task_kwargs"]
        [mail] = running.wait_for("mail", lambda: _mails(outbox))
    assert _queued(broker) == 0
    assert mail["To"] == asked["convener"]
    assert asked["workstation"] in str(make_header(decode_header(mail["Subject"])))
    body = mail.get_payload(decode=True).decode()
    assert f"https://example.org/admin/consultations/publicmessage/{asked['message']}/" in body


class _HangUp(socketserver.BaseRequestHandler):
    """A mail server that hangs up on every connection; ``server.calls`` counts them."""

    def handle(self) -> None:
        self.server.calls += 1


@pytest.fixture
def hanging_up_mail_server() -> Iterator[socketserver.TCPServer]:
    server = socketserver.TCPServer(("127.0.0.1", 0), _HangUp)
    server.calls = 0
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@on_a_shared_database
def test_a_mail_server_that_hangs_up_is_tried_again_then_shown_failed_to_superusers(
    site, hanging_up_mail_server
):
    site.env["EMAIL_URL"] = f"smtp://127.0.0.1:{hanging_up_mail_server.server_address[1]}"
    site.shell(MESSAGE)

    with worker(site) as running:
        [failed] = running.wait_for(
            "recorded failure",
            lambda: [r for r in site.task_results(NOTIFY) if r["status"] == "FAILURE"],
        )
        log = running.log_text()
    # The first try and RETRIES more, each one a connection to the mail server, then no more.
    assert hanging_up_mail_server.calls == 1 + RETRIES
    assert log.count("Retry in") == RETRIES, log
    assert failed["worker"].startswith(f"{running.hostname}@")
    assert "SMTPServerDisconnected" in failed["traceback"]

    seen = site.shell(ADMIN)
    status, listing = seen["listing"]
    assert status == 200
    assert seen["task_id"] in listing and NOTIFY in listing
    status, detail = seen["detail"]
    assert status == 200
    assert "FAILURE" in detail and "SMTPServerDisconnected" in detail
    assert "message_id" in detail  # what to send again is on the record


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        # Nobody listens on port 1: refused at once.
        ("CELERY_BROKER_URL", "redis://127.0.0.1:1/0"),
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:1/shangliang"),
    ],
)
def test_a_worker_whose_engine_does_not_answer_stops_at_start_naming_it(
    request, tmp_path, variable, value
):
    # Everything else answers: an empty SQLite file, and the real broker (when it is not the
    # one that must fail).
    answering = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    env = site_env(tmp_path, **{**answering, variable: value}, STARTUP_CHECKS="true")
    if variable != "CELERY_BROKER_URL":
        env["CELERY_BROKER_URL"] = request.getfixturevalue("broker")
    done = subprocess.run(
        [PY, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert done.returncode != 0
    assert done.stdout == ""  # stopped before the banner, let alone a task
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"Shangliang cannot start: {variable}: ")
