"""Benchmarks: our pages against a trivial Django view, on the same gunicorn, in one run.

Builds a fresh SQLite database with the demo data in a temporary folder, serves it with
gunicorn (DEBUG off, as in production) on 127.0.0.1, and times a bounded number of sequential
requests to each page. Prints, per page, the median time as a ratio of the trivial view's
median (and the database queries the page makes, measured in-process). It passes or fails
nothing: the ratios are for a developer to compare before and after a change.

    make bench            # or: .venv/bin/python bench/run.py --requests 40
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# (name, path, signed in as). Paths that do not exist in this checkout are skipped.
PAGES = [
    ("trivial view /healthz", "/healthz", None),
    ("home", "/", None),
    ("brand home", "/hanshan/", None),
    ("workstations list", "/hanshan/workstations/", None),
    ("workstation page", "@workstation", None),
    ("track a message", "/track/", None),
    ("member desk", "/me/", "hanshan_member"),
    ("admin: workstations", "/admin/workstations/workstation/", "hanshan_office"),
    ("admin: activities", "/admin/consultations/activity/", "hanshan_office"),
    ("rhythm board", "/office/hanshan/rhythm/", "hanshan_office"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


SETUP = """
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import get_user_model, HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
from workstations.models import Workstation
ws = Workstation.objects.published().filter(committee__slug="hanshan").order_by("pk").first()
print("WS", ws.get_absolute_url() if ws else "")
for name in ("hanshan_member", "hanshan_office"):
    user = get_user_model().objects.get(username=name)
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    print("SESSION", name, s.session_key)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="shangliang-bench-"))
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    print(f"Preparing a demo database in {tmp} …", flush=True)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")
    _manage(env, "load_demo", "-v0")
    sessions, workstation_url = {}, ""
    for line in _manage(env, "shell", "-c", SETUP).splitlines():
        parts = line.split()
        if parts[:1] == ["WS"] and len(parts) > 1:
            workstation_url = parts[1]
        elif parts[:1] == ["SESSION"]:
            sessions[parts[1]] = parts[2]

    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        results = []
        for name, path, who in PAGES:
            path = workstation_url if path == "@workstation" else path
            if not path:
                continue
            headers = {"Cookie": f"sessionid={sessions[who]}"} if who else {}
            timings = []
            status = None
            for i in range(args.warmup + args.requests):
                request = urllib.request.Request(base + path, headers=headers)
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        response.read()
                        status = response.status
                except urllib.error.HTTPError as error:
                    status = error.code
                    break
                if i >= args.warmup:
                    timings.append(time.perf_counter() - started)
            if status != 200 or not timings:
                print(f"  skipped {name} ({path}): HTTP {status}")
                continue
            results.append((name, path, statistics.median(timings)))
    finally:
        server.terminate()
        server.wait(timeout=10)

    trivial = results[0][2]
    print(f"\n{'page':<26} {'path':<42} {'median ms':>9} {'× trivial':>10}")
    for name, path, median in results:
        print(f"{name:<26} {path:<42} {median * 1000:>9.1f} {median / trivial:>10.1f}")
    print(
        f"\n{args.requests} sequential requests per page after {args.warmup} warm-up; "
        "gunicorn, 2 workers, SQLite."
    )


if __name__ == "__main__":
    main()
