"""Real servers on loopback for the cluster bench, the restore drill and tests/engines: a
PostgreSQL database made afresh, gunicorn processes, nginx in front of them, and a visitor that
keeps its cookies like a browser.

Everything runs as a child of the caller, in a temp folder, and stops when its ``with`` block
ends. The site runs as in production (DEBUG off, gunicorn, a shared cache) but speaks plain
http on loopback, so the visitor sends back cookies marked ``Secure`` too.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DEMO_PASSWORD = "shangliang-demo"

# Every variable the settings read that would change what is measured. The caller's own values
# (and a developer's .env, which fills in only what the environment lacks) must not leak in, so
# each is set explicitly; an empty value means "the default" to config/engines.py.
SITE_DEFAULTS = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-" + "k" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CSRF_TRUSTED_ORIGINS": "",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "DATABASE_URL": "",
    "DATABASE_REPLICA_URL": "",
    "DATABASE_POOL": "false",
    "CACHE_URL": "locmemcache://",
    "CELERY_BROKER_URL": "",
    "S3_BUCKET": "",
    "S3_PRIVATE_BUCKET": "",
    "S3_ENDPOINT_URL": "",
    "S3_PUBLIC_URL": "",
    "EMAIL_URL": "consolemail://",
    "PUBLIC_MESSAGES_PER_HOUR": "5",
    "TRUSTED_PROXY_COUNT": "0",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def site_env(folder: Path, **values: str) -> dict[str, str]:
    """The environment of a site whose files live under ``folder``; ``values`` win."""
    env = {**os.environ, **SITE_DEFAULTS}
    env.update(
        MEDIA_ROOT=str(folder / "media"),
        PRIVATE_ROOT=str(folder / "private"),
        STATIC_ROOT=str(folder / "static"),
    )
    env.update(values)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if check and result.returncode:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


# --- PostgreSQL --------------------------------------------------------------------------------


def database_url(name: str, base: str = POSTGRES) -> str:
    return f"{base.rstrip('/')}/{name}"


def _maintenance(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def recreate_database(url: str) -> None:
    """Drop the database named in ``url`` (closing its connections) and create it empty."""
    import psycopg
    from psycopg import sql

    admin, name = _maintenance(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _maintenance(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def query(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def table_counts(url: str) -> dict[str, int]:
    """The exact number of rows of every table in the public schema."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def redis_flush(url: str) -> None:
    """Empty the Redis database in ``url``; a Redis that does not answer stops the caller."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        raise SystemExit(f"Redis at {url} does not answer: {error}") from None


# --- gunicorn and nginx ------------------------------------------------------------------------


def _wait_for(port: int, process: subprocess.Popen, log: Path, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped ({process.returncode}):\n{_tail(log)}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer on port {port} in {seconds:g} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Gunicorn:
    """One app server: ``gunicorn config.wsgi`` on a port of its own, its output in a log."""

    env: dict
    folder: Path
    name: str = "app"
    workers: int = 2
    threads: int = 4
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def log(self) -> Path:
        return self.folder / f"{self.name}.log"

    def start(self) -> Gunicorn:
        command = [
            PY,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--graceful-timeout",
            "5",
            # Longer than nginx keeps an idle upstream connection (60 s), as in the systemd
            # unit: nginx does not send a POST again on a connection gunicorn has just closed.
            "--keep-alive",
            "75",
        ]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        _wait_for(self.port, self.process, self.log, f"gunicorn {self.name}")
        return self

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


NGINX_CONF = """\
# Generated by bench/servers.py for one run; the real site: config/deploy/nginx/shangliang.conf
daemon off;
master_process on;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;
    client_max_body_size 150m;
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml;

    upstream shangliang {{
{servers}
        keepalive 16;
    }}
    # Requests go round the app servers; a check that needs "this one, then that one" names
    # the server in X-Bench-Server (a, b, ...), and every answer says which one served it.
    map $http_x_bench_server $shangliang_backend {{
        default shangliang;
{pins}
    }}
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{ alias {static}/; }}
        location /media/ {{ alias {media}/; }}
        location / {{
            proxy_pass http://$shangliang_backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""

NGINX_MISSING = "nginx is not installed (Debian: apt-get install nginx)"


@dataclass
class Nginx:
    """nginx in front of some app servers, in the foreground, with a configuration of its own."""

    folder: Path
    upstreams: list[int]
    static_root: Path
    media_root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @staticmethod
    def binary() -> str | None:
        return shutil.which("nginx") or next(
            (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
        )

    def server_names(self) -> dict[str, int]:
        return {chr(ord("a") + i): port for i, port in enumerate(self.upstreams)}

    def config(self) -> str:
        servers = "\n".join(f"        server 127.0.0.1:{port};" for port in self.upstreams)
        pins = "\n".join(
            f"        {name} 127.0.0.1:{port};" for name, port in self.server_names().items()
        )
        # As root, nginx's workers would switch to a user that cannot write the temp folder.
        user = "user root;" if os.geteuid() == 0 else ""
        return NGINX_CONF.format(
            folder=self.folder,
            user=user,
            servers=servers,
            pins=pins,
            port=self.port,
            static=self.static_root,
            media=self.media_root,
        )

    @property
    def log(self) -> Path:
        return self.folder / "nginx-error.log"

    def start(self) -> Nginx:
        binary = self.binary()
        if binary is None:
            raise RuntimeError(NGINX_MISSING)
        self.folder.mkdir(parents=True, exist_ok=True)
        conf = self.folder / "nginx.conf"
        conf.write_text(self.config())
        with (self.folder / "nginx-out.log").open("ab") as out:
            self.process = subprocess.Popen(
                [binary, "-p", str(self.folder), "-c", str(conf)], stdout=out, stderr=out
            )
        _wait_for(self.port, self.process, self.log, "nginx")
        return self

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process, signal.SIGQUIT)  # graceful: finish the requests under way

    def __enter__(self) -> Nginx:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- A visitor ---------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]]
    selects: dict[str, list[str]]

    def values(self) -> dict[str, str]:
        return dict(self.fields)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower(), [], {}))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "image", "file", "reset"):
                form.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "textarea" and self._textarea is not None:
            form.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            form.fields.extend((self._select, v) for v in chosen)
            form.selects[self._select] = [v for v, _ in self._options]
            self._select = None


@dataclass
class Page:
    status: int
    headers: Message
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def upstream(self) -> str:
        """The app server nginx passed the request to (empty when asked directly)."""
        return self.headers.get("X-Upstream", "")

    def forms(self) -> list[Form]:
        parser = _Forms()
        parser.feed(self.text)
        return parser.forms

    def form_with(self, field_name: str) -> Form:
        for form in self.forms():
            if field_name in form.values() or field_name in form.selects:
                return form
        raise LookupError(f"no form with a field {field_name!r} (HTTP {self.status})")


def _multipart(fields: list[tuple[str, str]], files: dict[str, tuple[str, bytes]]):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, (filename, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Visitor:
    """A browser without a screen: keeps its cookies, sends from a loopback address of its own
    (``source``, any of 127.0.0.0/8), and may pin its requests to one app server behind the
    bench's nginx (``pin``: "a", "b", ...)."""

    def __init__(self, port: int, *, source: str = "127.0.0.1", pin: str | None = None):
        self.port, self.source, self.pin = port, source, pin
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: dict | None = None,
        pin: str | None = None,
        timeout: float = 60,
    ) -> Page:
        sent = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "zh-CN", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if pin or self.pin:
            sent["X-Bench-Server"] = pin or self.pin
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=timeout, source_address=(self.source, 0)
        )
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body or None, headers=sent)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Page(response.status, response.headers, data, seconds)

    def get(self, path: str, **kwargs) -> Page:
        return self.request("GET", path, **kwargs)

    def post(
        self,
        path: str,
        fields: dict | list,
        *,
        files: dict[str, tuple[str, bytes]] | None = None,
        **kwargs,
    ) -> Page:
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if "csrftoken" in self.cookies:
            # This visitor's own token (a form may come from another visitor's page).
            items = [(k, v) for k, v in items if k != "csrfmiddlewaretoken"]
            items.append(("csrfmiddlewaretoken", self.cookies["csrftoken"]))
        if files:
            body, content_type = _multipart(items, files)
        else:
            body, content_type = urlencode(items).encode(), "application/x-www-form-urlencoded"
        headers = {"Content-Type": content_type, **kwargs.pop("headers", {})}
        return self.request("POST", path, body=body, headers=headers, **kwargs)

    def sign_in(self, username: str, password: str = DEMO_PASSWORD, **kwargs) -> Page:
        form = self.get("/accounts/login/", **kwargs).form_with("username")
        fields = {**form.values(), "username": username, "password": password}
        page = self.post("/accounts/login/", fields, **kwargs)
        if page.status != 302:
            raise RuntimeError(f"signing in as {username} answered {page.status}")
        return page


# --- Residents' messages -----------------------------------------------------------------------

MESSAGE_CHALLENGE_SALT = "consultations.message-challenge"


def answer_challenge(token: str, secret_key: str) -> int:
    """The sum the message form asks for, read from its signed question (the bench knows the
    site's key; a bot does not)."""
    from django.core import signing

    data = signing.loads(token, key=secret_key, salt=MESSAGE_CHALLENGE_SALT, fallback_keys=[])
    return data["a"] + data["b"]


def leave_message(
    visitor: Visitor,
    form_path: str,
    text: str,
    *,
    secret_key: str,
    mobile: str = "13900000000",
    form_pin: str | None = None,
    post_pin: str | None = None,
) -> tuple[Page, list[tuple[str, str]]]:
    """Open a workstation's message form, answer its question and send ``text``. Returns the
    answer (302 to the sent page when accepted) and the fields sent, for a double tap."""
    form = visitor.get(form_path, pin=form_pin).form_with("challenge")
    values = form.values()
    category = next(v for v in form.selects.get("category", []) if v)
    fields = {
        **values,
        "name": "",
        "mobile": mobile,
        "category": category,
        "text": text,
        "homepage": "",
        "answer": str(answer_challenge(values["challenge"], secret_key)),
    }
    items = list(fields.items())
    return visitor.post(form_path, items, pin=post_pin), items


@contextlib.contextmanager
def temp_folder(prefix: str, keep: bool = False) -> Iterator[Path]:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


# --- An S3-compatible server -------------------------------------------------------------------


@dataclass
class MotoServer:
    """moto's S3 server on loopback (``moto_server``, from the dev dependencies)."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @staticmethod
    def binary() -> str | None:
        beside = Path(PY).parent / "moto_server"
        return str(beside) if beside.exists() else shutil.which("moto_server")

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self, bucket: str, private_bucket: str) -> dict[str, str]:
        """The site's variables for a public and a private bucket on this server."""
        return {
            "S3_BUCKET": bucket,
            "S3_PRIVATE_BUCKET": private_bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "bench",
            "S3_SECRET_ACCESS_KEY": "bench-secret",
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench-secret",
        )

    def create_buckets(self, public: str, private: str) -> None:
        """A public bucket anyone may read (as the deployment's S3_BUCKET must be) and a
        private one nobody may read without a signed address."""
        client = self.client()
        client.create_bucket(Bucket=public)
        client.create_bucket(Bucket=private)
        statement = {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{public}/*",
        }
        policy = {"Version": "2012-10-17", "Statement": [statement]}
        client.put_bucket_policy(Bucket=public, Policy=json.dumps(policy))

    def start(self) -> MotoServer:
        binary = self.binary()
        if binary is None:
            raise RuntimeError("moto_server is missing (pip install 'moto[server]')")
        log = self.folder / "moto.log"
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [binary, "-H", "127.0.0.1", "-p", str(self.port)], stdout=out, stderr=out
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server stopped:\n{_tail(log)}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return self
            time.sleep(0.1)
        raise RuntimeError(f"moto_server did not answer:\n{_tail(log)}")

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
