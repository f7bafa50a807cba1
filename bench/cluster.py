"""Several app servers: two gunicorn servers behind nginx, on one PostgreSQL and one Redis.

Builds a fresh PostgreSQL database with the demo (``shangliang_cluster_check``, dropped and
created again each run), starts two gunicorn servers on it with the connection pool on and the
cache in Redis (database 10 by default, emptied first), with shared MEDIA_ROOT and PRIVATE_ROOT
folders (or, when S3_BUCKET and its variables are set, the bucket, and a folder of each server's
own), and nginx in front of them as the deployment has it (TRUSTED_PROXY_COUNT=1). Then it
proves, through nginx:

* signed in on one server, still signed in on the other;
* an import previewed on one server is confirmed on the other (the pending file is in storage);
* a resident's messages count against one limit (PUBLIC_MESSAGES_PER_HOUR) on both servers;
* concurrent writers spread over both servers (residents' messages, each sent once more as a
  double tap) lose and duplicate nothing: the rows are counted afterwards;
* /healthz/ready answers 200 on each server.

It prints timings as ratios of a trivial view through the same nginx, as ``bench/run.py`` does;
no time passes or fails. It exits non-zero when a correctness check fails.

    make bench-cluster      # or: .venv/bin/python -m bench.cluster --writers 50
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

from bench.servers import (
    Gunicorn,
    Nginx,
    Visitor,
    database_url,
    leave_message,
    manage,
    query,
    recreate_database,
    redis_flush,
    site_env,
    temp_folder,
)

STAFF = "hanshan_office"
MEMBER = "hanshan_member"
RATE_LIMITED = "Too many messages were sent from your network"


class Checks:
    def __init__(self) -> None:
        self.results: list[tuple[str, bool, str]] = []

    def record(self, name: str, ok: bool, detail: str) -> bool:
        self.results.append((name, ok, detail))
        print(f"  {'ok    ' if ok else 'FAILED'} {name}: {detail}", flush=True)
        return ok

    @property
    def failed(self) -> list[str]:
        return [name for name, ok, _ in self.results if not ok]


def _server_of(page, names: dict[str, int]) -> str:
    """Which app server (a, b) nginx passed a request to."""
    port = page.upstream.rsplit(":", 1)[-1]
    return next((name for name, p in names.items() if str(p) == port), page.upstream or "?")


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000 if samples else float("nan")


def _p95_ms(samples: list[float]) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def check_sessions(port: int, names: dict[str, int], checks: Checks, timings: dict) -> None:
    staff = Visitor(port)
    staff.sign_in(STAFF, pin="a")
    other = staff.get("/admin/", pin="b")
    served = collections.Counter()
    statuses = []
    for _ in range(10):
        page = staff.get("/admin/")
        served[_server_of(page, names)] += 1
        statuses.append(page.status)
        timings.setdefault("admin index, signed in", []).append(page.seconds)
    member = Visitor(port)
    member.sign_in(MEMBER, pin="b")
    desk = member.get("/me/", pin="a")
    checks.record(
        "signed in on a, still signed in on b",
        other.status == 200
        and desk.status == 200
        and set(statuses) == {200}
        and set(served) == set(names),
        f"staff signed in on a: /admin/ on b {other.status}; member signed in on b: /me/ on a "
        f"{desk.status}; 10 more /admin/ through nginx: {dict(served)} all {set(statuses)}",
    )


def check_import(port: int, db: str, committee: str, workstation: str, checks: Checks) -> None:
    staff = Visitor(port)
    staff.sign_in(STAFF, pin="a")
    page = staff.get("/admin/members/member/import/", pin="a")
    form = page.form_with("resource")
    mobiles = [f"1395551{n:04d}" for n in (uuid.uuid4().int % 9000, uuid.uuid4().int % 9000 + 1)]
    rows = ["姓名,性别,界别,手机号,所在工作室,角色"]
    rows += [f"集群{i},女,医药卫生界,{m},{workstation},委员" for i, m in enumerate(mobiles)]
    sheet = ("\r\n".join(rows) + "\r\n").encode()
    started = time.perf_counter()
    preview = staff.post(
        "/admin/members/member/import/",
        form.fields,
        files={"import_file": ("cluster.csv", sheet)},
        pin="a",
    )
    preview_s = time.perf_counter() - started
    try:
        confirm = preview.form_with("import_file_name")
    except LookupError:
        checks.record("import previewed on a, confirmed on b", False, "no confirm form on a")
        return
    before = query(db, "SELECT count(*) FROM members_member WHERE mobile = ANY(%s)", (mobiles,))
    done = staff.post(confirm.action, confirm.fields, pin="b")
    after = query(db, "SELECT count(*) FROM members_member WHERE mobile = ANY(%s)", (mobiles,))
    checks.record(
        "import previewed on a, confirmed on b",
        preview.status == 200 and done.status == 302 and before[0][0] == 0 and after[0][0] == 2,
        f"preview on a {preview.status} in {preview_s * 1000:.0f} ms, confirm on b "
        f"{done.status} in {done.seconds * 1000:.0f} ms; rows {before[0][0]} before, "
        f"{after[0][0]} after (of 2) for committee {committee}",
    )


def check_limit(
    port: int, form_path: str, limit: int, secret: str, db: str, checks: Checks, timings: dict
) -> None:
    resident = Visitor(port, source="127.0.0.10")
    resident.cookies["django_language"] = "en"  # the refusal is read in English
    marker = f"bench-cluster limit {uuid.uuid4().hex[:8]}"
    accepted = collections.Counter()
    refused = collections.Counter()
    for i in range(limit + 2):
        form_on, post_on = ("a", "b") if i % 2 else ("b", "a")
        page, _ = leave_message(
            resident,
            form_path,
            f"{marker} #{i}",
            secret_key=secret,
            form_pin=form_on,
            post_pin=post_on,
        )
        if page.status == 302:
            accepted[post_on] += 1
            timings.setdefault("message sent, one resident", []).append(page.seconds)
        elif page.status == 200 and RATE_LIMITED in page.text:
            refused[post_on] += 1
    rows = query(
        db, "SELECT count(*) FROM consultations_publicmessage WHERE text LIKE %s", (marker + "%",)
    )
    checks.record(
        "one limit on messages across both servers",
        sum(accepted.values()) == limit
        and sum(refused.values()) == 2
        and len(accepted) == 2
        and rows[0][0] == limit,
        f"one address sent {limit + 2} alternately through a and b: accepted {dict(accepted)}, "
        f"refused by the limit {dict(refused)}; {rows[0][0]} rows (limit {limit})",
    )


def check_writers(
    port: int,
    names: dict[str, int],
    form_path: str,
    writers: int,
    each: int,
    secret: str,
    db: str,
    checks: Checks,
    timings: dict,
) -> None:
    marker = f"bench-cluster writer {uuid.uuid4().hex[:8]}"
    start = threading.Barrier(writers)
    lock = threading.Lock()
    outcomes: collections.Counter = collections.Counter()
    served: collections.Counter = collections.Counter()
    posts: list[float] = []

    def write(index: int) -> None:
        resident = Visitor(port, source=f"127.0.{1 + index // 250}.{1 + index % 250}")
        start.wait()
        for n in range(each):
            page, sent = leave_message(
                resident, form_path, f"{marker} {index} {n}", secret_key=secret
            )
            with lock:
                posts.append(page.seconds)
                served[_server_of(page, names)] += 1
                outcomes["accepted" if page.status == 302 else f"HTTP {page.status}"] += 1
        # The double tap: the last message sent once more, as a phone on a slow network does.
        again = resident.post(form_path, sent)
        with lock:
            outcomes["double tap refused" if again.status == 200 else "double tap accepted"] += 1

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    timings["message sent, under concurrent writers"] = posts
    rows = query(
        db,
        "SELECT count(*), count(DISTINCT text), count(DISTINCT tracking_code) "
        "FROM consultations_publicmessage WHERE text LIKE %s",
        (marker + "%",),
    )[0]
    expected = writers * each
    checks.record(
        f"{writers} concurrent writers lose and duplicate nothing",
        rows == (expected, expected, expected)
        and outcomes["accepted"] == expected
        and outcomes["double tap refused"] == writers
        and len(served) == len(names),
        f"{expected} messages from {writers} addresses at once, each last one sent twice: "
        f"{dict(outcomes)}; rows {rows[0]}, distinct texts {rows[1]}, distinct tracking codes "
        f"{rows[2]} (expected {expected}); posts served {dict(served)}; "
        f"{wall:.1f} s, {expected / wall:.1f} messages/s",
    )


def check_ready(port: int, names: dict[str, int], checks: Checks) -> None:
    answers = {name: Visitor(port).get("/healthz/ready", pin=name).status for name in names}
    checks.record("/healthz/ready on each server", set(answers.values()) == {200}, f"{answers}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--messages-per-writer", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--limit", type=int, default=4, help="PUBLIC_MESSAGES_PER_HOUR")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_CLUSTER_DATABASE_URL")
        or database_url("shangliang_cluster_check"),
        help="dropped and created again",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/10"),
        help="emptied first",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder and database")
    args = parser.parse_args()
    if args.messages_per_writer >= args.limit:
        parser.error("--messages-per-writer must stay below --limit")
    if Nginx.binary() is None:
        sys.exit("bench-cluster: nginx is not installed (Debian: apt-get install nginx)")

    checks = Checks()
    timings: dict[str, list[float]] = {}
    s3 = {k: v for k, v in os.environ.items() if k.startswith("S3_")}
    with temp_folder("shangliang-cluster-", keep=args.keep) as folder:
        print(f"Preparing {args.database_url.rsplit('/', 1)[-1]} with the demo in {folder} …")
        started = time.perf_counter()
        recreate_database(args.database_url)
        redis_flush(args.redis_url)
        env = site_env(
            folder,
            DATABASE_URL=args.database_url,
            DATABASE_POOL="true",
            CACHE_URL=args.redis_url,
            PUBLIC_MESSAGES_PER_HOUR=str(args.limit),
            TRUSTED_PROXY_COUNT="1",
            **s3,
        )
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "load_demo", "--no-photos", "-v0")
        prepared = time.perf_counter() - started
        committee, workstation_slug, workstation = query(
            args.database_url,
            "SELECT c.slug, w.slug, w.name FROM workstations_workstation w "
            "JOIN workstations_committee c ON c.id = w.committee_id "
            "WHERE c.slug = 'hanshan' AND w.is_published ORDER BY w.id LIMIT 1",
        )[0]
        form_path = f"/{committee}/workstations/{workstation_slug}/message/"

        # With S3 the bucket is what the servers share; each keeps a local folder of its own.
        servers = []
        for name in ("a", "b"):
            own = dict(env)
            if s3.get("S3_BUCKET"):
                own.update(MEDIA_ROOT=str(folder / f"media-{name}"))
                own.update(PRIVATE_ROOT=str(folder / f"private-{name}"))
            servers.append(Gunicorn(own, folder, name, args.workers, args.threads))
        try:
            for server in servers:
                server.start()
            nginx = Nginx(
                folder,
                [s.port for s in servers],
                static_root=Path(env["STATIC_ROOT"]),
                media_root=Path(env["MEDIA_ROOT"]),
            ).start()
            names = nginx.server_names()
            try:
                trivial = Visitor(nginx.port)
                for _ in range(5):
                    trivial.get("/healthz")
                timings["trivial view /healthz"] = [
                    trivial.get("/healthz").seconds for _ in range(40)
                ]
                timings["trivial view /healthz, no nginx"] = [
                    Visitor(servers[0].port).get("/healthz").seconds for _ in range(40)
                ]
                print("Checks (through nginx):", flush=True)
                check_sessions(nginx.port, names, checks, timings)
                check_import(nginx.port, args.database_url, committee, workstation, checks)
                check_limit(
                    nginx.port,
                    form_path,
                    args.limit,
                    env["SECRET_KEY"],
                    args.database_url,
                    checks,
                    timings,
                )
                check_writers(
                    nginx.port,
                    names,
                    form_path,
                    args.writers,
                    args.messages_per_writer,
                    env["SECRET_KEY"],
                    args.database_url,
                    checks,
                    timings,
                )
                check_ready(nginx.port, names, checks)
            finally:
                nginx.stop()
        finally:
            for server in servers:
                server.stop()
        errors = sum(s.log_text().count("Traceback") for s in servers)
        checks.record("no error in the servers' logs", errors == 0, f"{errors} tracebacks")
        if not args.keep:
            from bench.servers import drop_database

            drop_database(args.database_url)

    base = _median_ms(timings["trivial view /healthz"])
    print(f"\n{'request':<42} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'× trivial':>10}")
    for name, samples in timings.items():
        median = _median_ms(samples)
        print(
            f"{name:<42} {len(samples):>4} {median:>10.1f} {_p95_ms(samples):>8.1f} "
            f"{median / base:>10.1f}"
        )
    storage = f"bucket {s3['S3_BUCKET']}" if s3.get("S3_BUCKET") else "shared local folders"
    print(
        f"\n2 gunicorn servers × {args.workers} workers × {args.threads} threads behind nginx; "
        f"PostgreSQL with the pool; Redis cache; {storage}. Prepared in {prepared:.0f} s."
    )
    if checks.failed:
        print(f"bench-cluster: {len(checks.failed)} check(s) failed: {', '.join(checks.failed)}")
        return 1
    print(f"bench-cluster: all {len(checks.results)} checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
