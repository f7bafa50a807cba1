"""Benchmarks at a province's scale: `make bench-scale`.

Creates a PostgreSQL database of its own (dropped at the end), migrates it, collects the
static files and loads the demo (the demo scale), measures; then generates the province
(``manage.py generate_scale_data``: 300 counties, a million activities) on the same database
(the province scale) and measures again. Each time it serves the site with gunicorn as in
production (DEBUG off, 2 workers × 4 threads, gthread; Redis as the cache, on a database
number of its own that is flushed first; ``CONN_MAX_AGE`` as the settings' default) and, for
every page of the issue's table, sends a fixed number of requests from a few client threads
after a warm-up, and prints requests per second, p50 and p99, p50 as a ratio of the p50 of
``/healthz`` measured on the same server just before (the page is measured in ``--rounds``
rounds of /healthz then the page, and the ratio is the median of the rounds': a machine whose
speed drifts over a minute, as a shared one does, moves both alike), and the page's query
count (measured in-process with the test client).
Public pages are measured twice: uncached (a query string of its own on every request, which
the page cache takes for another address) and from the cache (the same address again,
anonymous). The peak memory of one request to the sitemap index, a sitemap section and the
export is measured in a fresh process.

It prints; it never passes or fails on a time. The issue's targets are printed beside the
figures, for reference.

    make bench-scale              # or: .venv/bin/python bench/scale.py --requests 100
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
EXPORT_ROWS = 200_000
EXPORT_URL_NAME = "admin:consultations_activity_stream_export"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str  # "@workstation", "@section", "@export" are found in the database
    who: str | None = None  # the account whose session is sent; None: anonymous
    target: str = ""  # the target, printed for reference
    memory: bool = False  # also measure the peak memory of one request
    heavy: bool = False  # a download: a few sequential requests, no warm-up


PAGES = [
    Page("healthz", "trivial view /healthz", "/healthz"),
    Page("brand-province", "province brand page", "/anhui/", target="≤60× / ≤3× cached"),
    Page("brand-city", "city brand page", "/maanshan/", target="≤60× / ≤3× cached"),
    Page("brand-county", "county brand page", "/hanshan/", target="≤60× / ≤3× cached"),
    Page("workstation", "workstation page (含山)", "@workstation", target="≤40×"),
    Page("sitemap", "sitemap index", "/sitemap.xml", target="≤20×, <100 MB", memory=True),
    Page("section", "sitemap section", "@section", target="≤20×, <100 MB", memory=True),
    Page("rhythm", "rhythm board 含山", "/office/hanshan/rhythm/", "hanshan_office", "≤150×"),
    Page(
        "figures-county",
        "office figures 含山",
        "/office/hanshan/figures/",
        "hanshan_office",
        "≤100×",
    ),  # fmt: skip
    Page(
        "figures-province", "office figures 安徽", "/office/anhui/figures/", "anhui_office", "≤100×"
    ),  # fmt: skip
    Page("search-county", "search 含山 养老", "/hanshan/search/?q=养老", target="≤60×"),
    Page("search-county-3", "search 含山 老年人", "/hanshan/search/?q=老年人", target="≤60×"),
    Page("search-province", "search 安徽 养老", "/anhui/search/?q=养老", target="≤60×"),
    Page("search-province-3", "search 安徽 老年人", "/anhui/search/?q=老年人", target="≤60×"),
    Page(
        "admin-county",
        "admin activities, county staff",
        "/admin/consultations/activity/",
        "hanshan_office",
        "≤80×",
    ),  # fmt: skip
    Page(
        "admin-search-county",
        "admin search 养老, county staff",
        "/admin/consultations/activity/?q=养老",
        "hanshan_office",
        "≤80×",
    ),  # fmt: skip
    Page(
        "admin-province",
        "admin activities, province staff",
        "/admin/consultations/activity/",
        "anhui_office",
        "≤120×",
    ),  # fmt: skip
    Page(
        "admin-search-province",
        "admin search 养老, province staff",
        "/admin/consultations/activity/?q=养老",
        "anhui_office",
        "≤120×",
    ),  # fmt: skip
    Page(
        "export-csv",
        "export of activities, csv",
        "@export?format=csv",
        "anhui_office",
        "<300 MB",
        memory=True,
        heavy=True,
    ),  # fmt: skip
    Page(
        "export-xlsx",
        "export of activities, xlsx",
        "@export?format=xlsx",
        "anhui_office",
        "<300 MB",
        memory=True,
        heavy=True,
    ),  # fmt: skip
]

# --- in-process scripts (run with `manage.py shell -c`) -------------------------------------

SETUP = r"""
import importlib, json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse
from config.demo.scale import province
from consultations.models import Activity
from workstations.models import Committee, Workstation
# The province's office account, which the demo alone does not have.
province.province_office(Committee.objects.get(slug="anhui"))
found = {"sessions": {}}
store = importlib.import_module(settings.SESSION_ENGINE).SessionStore
for name in ("hanshan_office", "anhui_office"):
    user = get_user_model().objects.get(username=name)
    s = store()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    found["sessions"][name] = s.session_key
ws = Workstation.objects.published().filter(committee__slug="hanshan").order_by("pk").first()
found["workstation"] = ws.get_absolute_url() if ws else ""
client = Client(HTTP_HOST="127.0.0.1")
# A full page from the middle of the section (its pages are ranges of ids: the last one holds
# what is left, a demo's second page a dozen rows): page 1 of a demo's two, page 500 of a
# province's thousand.
from config.portal.sitemaps import ActivitySitemap
middle = max(1, ActivitySitemap().paginator.num_pages // 2)
found["section"] = f"/sitemap-activities.xml?p={middle}"
if client.get(found["section"]).status_code != 200:
    found["section"] = ""
try:
    url = reverse("__EXPORT__")
except NoReverseMatch:
    url = ""
if url:
    office = get_user_model().objects.get(username="anhui_office")
    visible = Activity.objects.visible_to(office)
    dates = visible.order_by("-date").values_list("date", flat=True)
    filters = ""
    if visible.count() > __ROWS__:
        filters = "&date__gte=" + dates[__ROWS__ - 1].isoformat()
        rows = visible.filter(date__gte=dates[__ROWS__ - 1]).count()
    else:
        rows = visible.count()
    found["export"] = {"url": url, "filters": filters, "rows": rows}
print("RESULT " + json.dumps(found))
""".replace("__EXPORT__", EXPORT_URL_NAME).replace("__ROWS__", str(EXPORT_ROWS))

QUERIES = r"""
import json, os
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
config = json.loads(os.environ["BENCH_PAGES"])
result = {}

def measure(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, len(queries), len(body)

for key, page in config.items():
    client = Client(HTTP_HOST="127.0.0.1")
    if page["session"]:
        client.cookies[settings.SESSION_COOKIE_NAME] = page["session"]
    if page["public"]:
        sep = "&" if "?" in page["path"] else "?"
        _response, first, _size = measure(client, page["path"] + sep + "nocache=q1")
        response, n, size = measure(client, page["path"] + sep + "nocache=q2")
        entry = {"status": response.status_code, "queries": n, "first": first, "bytes": size}
        measure(client, page["path"])
        again, n_cached, _size = measure(client, page["path"])
        entry["cached"] = again.get("X-Page-Cache") == "hit"
        entry["cached_queries"] = n_cached
    else:
        _response, first, _size = measure(client, page["path"])
        response, n, size = measure(client, page["path"])
        entry = {"status": response.status_code, "queries": n, "first": first, "bytes": size}
    result[key] = entry
print("RESULT " + json.dumps(result))
"""

MEMORY = r"""
import gc, json, os, resource, time
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0

client = Client(HTTP_HOST="127.0.0.1")
if os.environ.get("BENCH_SESSION"):
    client.cookies[settings.SESSION_COOKIE_NAME] = os.environ["BENCH_SESSION"]
client.get("/healthz")  # the handler and its middleware, loaded before the measure
gc.collect()
try:  # reset the peak (VmHWM) to the current size
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    how = "VmHWM"
except OSError:
    how = "ru_maxrss"
before = status_kb("VmRSS")
started = time.perf_counter()
size = lines = 0
with CaptureQueriesContext(connection) as queries:
    response = client.get(os.environ["BENCH_PATH"])
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
seconds = time.perf_counter() - started
peak = status_kb("VmHWM") if how == "VmHWM" else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("RESULT " + json.dumps({
    "status": response.status_code, "bytes": size, "lines": lines, "seconds": seconds,
    "queries": len(queries), "before_kb": before, "peak_kb": peak, "how": how,
}))
"""


# --- running things -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(env: dict, *args: str, echo: bool = False, extra_env: dict | None = None) -> str:
    command = [PY, "manage.py", *args]
    run_env = {**env, **(extra_env or {})}
    if echo:
        process = subprocess.Popen(
            command, cwd=ROOT, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        lines = []
        for line in process.stdout:
            lines.append(line)
            print("    " + line.rstrip(), flush=True)
        if process.wait():
            sys.exit(f"manage.py {args[0]} failed.")
        return "".join(lines)
    result = subprocess.run(command, cwd=ROOT, env=run_env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args[:2])} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _result(output: str) -> dict:
    for line in output.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    sys.exit(f"no result in:\n{output}")


def _shell(env: dict, script: str, **extra_env: str) -> dict:
    return _result(_run(env, "shell", "-c", script, extra_env=extra_env))


@dataclass
class Timing:
    n: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.n / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)]

    def merge(self, other: Timing) -> None:
        self.n += other.n
        self.seconds += other.seconds
        self.latencies += other.latencies
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        for cache, n in other.cache.items():
            self.cache[cache] = self.cache.get(cache, 0) + n

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else math.nan


def _load(port: int, paths, headers: dict, *, requests: int, concurrency: int, warmup: int,
          budget: float) -> Timing:  # fmt: skip
    """``requests`` GETs of ``paths(i)`` from ``concurrency`` threads after ``warmup`` ones,
    each thread on a kept-alive connection; stops taking new requests after ``budget``
    seconds (the row then says how many were sent)."""

    def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, str]:
        conn.request("GET", urllib.parse.quote(path, safe="/?=&%:"), headers=headers)
        response = conn.getresponse()
        while response.read(1 << 16):
            pass
        return response.status, response.getheader("X-Page-Cache") or ""

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    for i in range(warmup):
        get(conn, paths(i))
    conn.close()
    timing = Timing()
    lock = threading.Lock()
    sent = [0]
    deadline = time.monotonic() + budget

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        while True:
            with lock:
                if sent[0] >= requests or time.monotonic() > deadline:
                    break
                i = warmup + sent[0]
                sent[0] += 1
            started = time.perf_counter()
            try:
                status, cache = get(conn, paths(i))
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
                status, cache = -1, ""
            elapsed = time.perf_counter() - started
            with lock:
                timing.latencies.append(elapsed)
                timing.statuses[status] = timing.statuses.get(status, 0) + 1
                if cache:
                    timing.cache[cache] = timing.cache.get(cache, 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timing.seconds = time.perf_counter() - started
    timing.n = len(timing.latencies)
    return timing


# --- one scale ------------------------------------------------------------------------------


@dataclass
class Scale:
    name: str
    setup: dict = field(default_factory=dict)
    queries: dict = field(default_factory=dict)
    memory: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)  # (key, variant) → Timing
    # /healthz measured again just before each page: key → p50 (the machine's speed drifts
    # over a run; each page is compared with the trivial view at the same moment).
    healthz_near: dict = field(default_factory=dict)
    # (key, variant) → the page's p50 over the adjacent /healthz p50, round by round.
    ratios: dict = field(default_factory=dict)
    paths: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    load: tuple[str, str] = ("", "")


def _path(page: Page, setup: dict) -> str:
    if page.path == "@workstation":
        return setup.get("workstation", "")
    if page.path == "@section":
        return setup.get("section", "")
    if page.path.startswith("@export"):
        export = setup.get("export")
        if not export:
            return ""
        return export["url"] + page.path[len("@export") :] + export["filters"]
    return page.path


def _session_header(page: Page, setup: dict) -> dict:
    if not page.who:
        return {}
    return {"Cookie": f"sessionid={setup['sessions'][page.who]}"}


FLUSH = "from django.core.cache import cache; cache.clear()"

COUNTS = r"""
import json
from config.demo.scale import province_totals
from workstations.models import Committee
print("RESULT " + json.dumps(province_totals(Committee.objects.get(slug="anhui"))))
"""


def measure(scale: Scale, env: dict, args) -> None:
    print(f"\n== {scale.name} scale: setting up", flush=True)
    _run(env, "shell", "-c", FLUSH)
    scale.setup = setup = _shell(env, SETUP)
    scale.counts = _shell(env, COUNTS)
    pages = [p for p in PAGES if _path(p, setup)]
    scale.paths = {p.key: _path(p, setup) for p in pages}
    print(f"   in-process query counts of {len(pages)} pages …", flush=True)
    config = {
        p.key: {
            "path": scale.paths[p.key],
            "session": setup["sessions"][p.who] if p.who else "",
            "public": p.who is None and p.key != "healthz",
        }
        for p in pages
        if not p.heavy
    }
    scale.queries = _shell(env, QUERIES, BENCH_PAGES=json.dumps(config))
    for page in (p for p in pages if p.memory):
        print(f"   peak memory of one request: {page.label} …", flush=True)
        scale.memory[page.key] = _shell(
            env,
            MEMORY,
            BENCH_PATH=scale.paths[page.key],
            BENCH_SESSION=setup["sessions"][page.who] if page.who else "",
        )
    _run(env, "shell", "-c", FLUSH)

    port = _free_port()
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "--worker-class", "gthread",
         "--timeout", "900", "--keep-alive", "5"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)
        scale.load = (_loadavg(), "")
        for page in pages:
            path = scale.paths[page.key]
            headers = _session_header(page, setup)
            public = page.who is None and page.key != "healthz"
            variants = [("", lambda i, p=path: p)]
            if public:
                sep = "&" if "?" in path else "?"
                variants = [("uncached", lambda i, p=path, s=sep: f"{p}{s}nocache={i}")]
                if scale.queries.get(page.key, {}).get("cached"):
                    variants.append(("cached", lambda i, p=path: p))
            rounds = 1 if page.heavy or page.key == "healthz" else max(1, args.rounds)
            per_round = max(1, args.requests // rounds)
            stride = per_round + args.warmup  # a round's addresses never repeat another's
            for variant, _paths in variants:
                print(f"   {page.label} {variant} …", end="", flush=True)
                if page.heavy:
                    if page.key not in scale.healthz_near:
                        near = _load(port, lambda i: "/healthz", {}, requests=args.requests,
                                     concurrency=args.concurrency, warmup=args.warmup,
                                     budget=args.budget)  # fmt: skip
                        scale.healthz_near[page.key] = near.p50
                    timing = _load(port, _paths, headers, requests=args.export_requests,
                                   concurrency=1, warmup=0, budget=args.export_budget)  # fmt: skip
                    scale.timings[page.key, variant] = timing
                    print(f" {timing.n} requests, p50 {timing.p50 * 1000:.0f} ms", flush=True)
                    continue
                # Rounds of /healthz then the page, each round's ratio of the two p50s; the
                # row shows the median of those ratios (a shared machine's speed drifts
                # within a minute), and the page's requests of every round together.
                timing = Timing()
                ratios, nears = [], []
                for r in range(rounds):
                    if page.key != "healthz":
                        near = _load(port, lambda i: "/healthz", {}, requests=per_round,
                                     concurrency=args.concurrency, warmup=args.warmup,
                                     budget=args.budget / rounds)  # fmt: skip
                        nears.append(near.p50)
                    part = _load(port, lambda i, o=r * stride, p=_paths: p(o + i), headers,
                                 requests=per_round, concurrency=args.concurrency,
                                 warmup=args.warmup, budget=args.budget / rounds)  # fmt: skip
                    if page.key != "healthz" and near.p50:
                        ratios.append(part.p50 / near.p50)
                    timing.merge(part)
                if nears:
                    scale.healthz_near[page.key] = statistics.median(nears)
                if ratios:
                    scale.ratios[page.key, variant] = ratios
                scale.timings[page.key, variant] = timing
                spread = (
                    f", ×hz by round {' / '.join(f'{x:.0f}' for x in ratios)}" if ratios else ""
                )
                print(f" {timing.n} requests, p50 {timing.p50 * 1000:.0f} ms{spread}", flush=True)
        scale.load = (scale.load[0], _loadavg())
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


# --- the report -----------------------------------------------------------------------------


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _cell(timing: Timing | None, healthz: float, queries, ratios=None) -> str:
    if timing is None:
        return f"{'—':>44}"
    bad = {s: n for s, n in timing.statuses.items() if s != 200}
    ratio = timing.p50 / healthz if healthz else math.nan
    if ratios:
        ratio = statistics.median(ratios)
    text = (
        f"{timing.rps:7.1f} {timing.p50 * 1000:8.0f} {timing.percentile(0.99) * 1000:8.0f} "
        f"{ratio:7.1f}× {queries if queries is not None else '?':>7} {timing.n:>4}"
    )
    if bad:
        text += " HTTP " + ",".join(f"{s}×{n}" for s, n in sorted(bad.items()))
    return text


def report(scales: list[Scale], args, generation: float, started: float) -> None:
    print("\n" + "=" * 100)
    print("Requests per second, p50 and p99 in ms, p50 as a multiple of the p50 of /healthz")
    print(f"measured on the same server just before the page (the median of {args.rounds} rounds")
    print("of /healthz then the page; the /healthz row is the first measure of it alone),")
    print("queries of one request (in-process; a→b: the first request made a, the")
    print("next b), requests sent. Uncached: an address of its own per request (the page cache")
    print("misses, the data the page keeps in the cache itself may not); cached: the same address")
    print("again, anonymous. Targets for reference only.\n")
    head = f"{'req/s':>7} {'p50':>8} {'p99':>8} {'×hz':>8} {'queries':>7} {'n':>4}"
    print(f"{'page':<40} | {'demo scale':^44} | {'province scale':^44} | target")
    print(f"{'':<40} | {head} | {head} |")
    for page in PAGES:
        for variant in ("", "uncached", "cached"):
            cells = []
            for scale in scales:
                timing = scale.timings.get((page.key, variant))
                healthz = scale.timings.get(("healthz", ""))
                near = scale.healthz_near.get(page.key) or (healthz.p50 if healthz else 0)
                entry = scale.queries.get(page.key, {})
                queries = entry.get("cached_queries" if variant == "cached" else "queries")
                if variant != "cached" and entry.get("first", queries) != queries:
                    queries = f"{entry['first']}→{queries}"  # the first request, then the next
                if page.key in scale.memory:
                    queries = scale.memory[page.key].get("queries")
                cells.append(_cell(timing, near, queries, scale.ratios.get((page.key, variant))))
            if all(c.strip() == "—" for c in cells):
                continue
            label = page.label + (f" ({variant})" if variant else "")
            target = page.target
            if variant == "uncached" and "/" in target:
                target = target.split("/")[0].strip()
            elif variant == "cached" and "/" in target:
                target = target.split("/")[1].strip()
            cells += [f"{'—':>44}"] * (2 - len(cells))
            print(f"{label:<40} | {cells[0]} | {cells[1]} | {target}")
    print("\nPaths:")
    for page in PAGES:
        shown = {s.name: s.paths.get(page.key, "") for s in scales}
        if any(shown.values()):
            where = " | ".join(f"{k}: {v or '—'}" for k, v in shown.items())
            print(f"  {page.label:<38} {where}")
    missing = [s.name for s in scales if not s.setup.get("export")]
    if missing:
        print(
            f"\nThe export is not measured yet: {EXPORT_URL_NAME} does not resolve in this "
            "checkout."
        )
    print("\nPeak memory of one request, in a fresh process (peak RSS during the request less the")
    print("RSS before it: VmHWM, reset through /proc/self/clear_refs; ru_maxrss where that fails):")
    for page in (p for p in PAGES if p.memory):
        parts = []
        for scale in scales:
            m = scale.memory.get(page.key)
            if not m:
                parts.append(f"{scale.name}: —")
                continue
            growth = (m["peak_kb"] - m["before_kb"]) / 1024
            rows = f", {m['lines'] - 1:,} rows" if page.key == "export-csv" else ""
            parts.append(
                f"{scale.name}: +{growth:.0f} MB (peak {m['peak_kb'] / 1024:.0f} MB), "
                f"{m['bytes'] / 1e6:.1f} MB sent{rows}, {m['seconds']:.1f} s, "
                f"{m['queries']} queries, HTTP {m['status']}"
            )
        print(f"  {page.label:<28} {page.target:<16} " + "; ".join(parts))
    for scale in scales:
        export = scale.setup.get("export")
        if export:
            print(f"  export at {scale.name} scale: {export['rows']:,} activities "
                  f"(filter {export['filters'] or 'none'})")  # fmt: skip

    print("\nConditions:")
    cpu = "?"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    memory = "?"
    with contextlib.suppress(OSError, StopIteration):
        memory = next(
            f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    print(f"  machine      {cpu}, {os.cpu_count()} cores, {memory}, {platform.platform()}")
    print(f"  PostgreSQL   {scales[0].setup.get('postgres', '')}")
    print("  gunicorn     2 workers × 4 threads (gthread), DEBUG off, Redis cache "
          f"({args.redis_url}, flushed first), CONN_MAX_AGE default")  # fmt: skip
    print(f"  requests     {args.requests} per page from {args.concurrency} client threads after "
          f"{args.warmup} warm-up ones, at most {args.budget:.0f} s a page; downloads "
          f"{args.export_requests} sequential, at most {args.export_budget:.0f} s")  # fmt: skip
    for scale in scales:
        counts = ", ".join(f"{k} {v:,}" for k, v in scale.counts.items())
        print(f"  {scale.name:<12} 安徽 holds {counts}; load average {scale.load[0]} → "
              f"{scale.load[1]}")  # fmt: skip
    print(f"  generation   generate_scale_data took {generation:.0f} s")
    print(f"  this run     {(time.monotonic() - started) / 60:.0f} min")


# --- main -----------------------------------------------------------------------------------

POSTGRES = r"""
import json
from django.db import connection
with connection.cursor() as c:
    c.execute("SELECT version()")
    version = c.fetchone()[0].split(" on ")[0]
    settings = []
    for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_connections",
                 "random_page_cost", "jit"):
        c.execute(f"SHOW {name}")
        settings.append(f"{name}={c.fetchone()[0]}")
print("RESULT " + json.dumps(version + " (" + ", ".join(settings) + ")"))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to connect to, to create and drop the bench's own",
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument(
        "--rounds", type=int, default=3,
        help="rounds of /healthz then the page; the ratio shown is their median",
    )  # fmt: skip
    parser.add_argument("--budget", type=float, default=45, help="seconds at most per page")
    parser.add_argument("--export-requests", type=int, default=2)
    parser.add_argument("--export-budget", type=float, default=900)
    parser.add_argument("--scale", type=float, default=1.0, help="of generate_scale_data")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args()
    started = time.monotonic()

    import psycopg

    name = f"shangliang_bench_{os.getpid()}"
    admin_url = args.postgres
    parts = urllib.parse.urlsplit(admin_url)
    database_url = urllib.parse.urlunsplit(parts._replace(path="/" + name))
    try:
        admin = psycopg.connect(admin_url, autocommit=True)
    except psycopg.Error as error:
        sys.exit(f"PostgreSQL is needed at {admin_url}: {error}")
    tmp = Path(tempfile.mkdtemp(prefix="shangliang-bench-scale-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "CACHE_URL": args.redis_url,
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    for variable in ("CONN_MAX_AGE", "DATABASE_REPLICA_URL", "DATABASE_POOL", "CELERY_BROKER_URL"):
        env.pop(variable, None)
    admin.execute(f'CREATE DATABASE "{name}"')
    print(f"Database {name}; files in {tmp}", flush=True)
    scales: list[Scale] = []
    generation = 0.0
    try:
        steps = [
            ("migrate", ("migrate", "--noinput", "-v0")),
            ("collectstatic", ("collectstatic", "--noinput", "-v0")),
            ("load_demo", ("load_demo", "-v0")),
        ]
        for label, command in steps:
            print(f"   {label} …", flush=True)
            _run(env, *command)
        postgres = _shell(env, POSTGRES)
        demo = Scale("demo")
        measure(demo, env, args)
        demo.setup["postgres"] = postgres
        scales.append(demo)
        print("\n== generate_scale_data", flush=True)
        began = time.monotonic()
        _run(env, "generate_scale_data", "--scale", str(args.scale), echo=True)
        generation = time.monotonic() - began
        province = Scale("province")
        measure(province, env, args)
        scales.append(province)
    finally:
        if scales:
            report(scales, args, generation, started)
        with contextlib.suppress(SystemExit):
            _run(env, "shell", "-c", FLUSH)
        if args.keep:
            print(f"\nKept the database {name} ({database_url}).")
        else:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
