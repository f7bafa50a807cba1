"""Object storage for the storage tests: a real S3-compatible server (moto's server mode) on
loopback for the whole session, with a public and a private bucket, and the site's STORAGES
built from an environment by ``config.engines.storages`` — on that server, or on local folders.

``files`` (parametrized "local" and "s3") switches the storages for one test and answers the
questions every test asks in the same words on both: is a file in the public or the private
storage, what does an anonymous visitor get at a public address, what does a redirect of the
private-file view lead to.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import environ
import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.test import Client, override_settings

from config import engines
from tests.conftest import engine_missing
from tests.personas import add_workspace_personas

PUBLIC_BUCKET = "shangliang-public"
PRIVATE_BUCKET = "shangliang-private"
ONE_BUCKET = "shangliang-one"
# The folders the site keeps public files in (a one-bucket layout's policy names them).
PUBLIC_FOLDERS = ("activities", "committees", "members", "workstations")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)
    except urllib.error.HTTPError:
        return True  # it answers, if only to refuse
    except OSError:
        return False
    return True


def public_read_policy(bucket: str, folders: tuple[str, ...] | None = None) -> str:
    """Anyone may read the bucket's files (or only those in ``folders``); nobody may list."""
    resources = (
        [f"arn:aws:s3:::{bucket}/{f}/*" for f in folders]
        if folders
        else [f"arn:aws:s3:::{bucket}/*"]
    )
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": resources,
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture(scope="session")
def moto_s3():
    """``moto_server`` on a free loopback port, until the session ends: the public bucket
    readable by anyone (its policy), the private one by no one without a signature, and a
    third bucket for the one-bucket layout (``private/`` unreadable)."""
    binary = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which(
        "moto_server"
    )
    if binary is None:
        engine_missing("moto_server (pip install 'moto[server]')")
    import boto3

    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [binary, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not _answers(endpoint):
            if process.poll() is not None or time.monotonic() > deadline:
                engine_missing(f"moto_server on {endpoint}")
            time.sleep(0.1)
        keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
        for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET, ONE_BUCKET):
            client.create_bucket(Bucket=bucket)
        client.put_bucket_policy(Bucket=PUBLIC_BUCKET, Policy=public_read_policy(PUBLIC_BUCKET))
        client.put_bucket_policy(
            Bucket=ONE_BUCKET, Policy=public_read_policy(ONE_BUCKET, PUBLIC_FOLDERS)
        )
        env = {
            "S3_BUCKET": PUBLIC_BUCKET,
            "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "testing",
            "S3_SECRET_ACCESS_KEY": "testing",
            "S3_SIGNED_URL_SECONDS": "60",
        }
        yield SimpleNamespace(endpoint=endpoint, client=client, env=env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def built_storages(values: dict[str, str]) -> dict:
    """STORAGES as the settings build them from an environment of just ``values``."""
    env = environ.Env()
    env.ENVIRON = dict(values)
    found, _facts = engines.storages(env, Path(settings.BASE_DIR))
    return {**found, "staticfiles": settings.STORAGES["staticfiles"]}


def fetch(url: str) -> tuple[int, bytes]:
    """What anyone gets at ``url`` (no cookie, no key): its status and body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


class Files:
    """The storages of one test, and the questions asked of them alike on both engines."""

    def __init__(self, kind: str, **paths):
        self.kind = kind
        self.__dict__.update(paths)

    @property
    def public(self):
        return storages["default"]

    @property
    def private(self):
        return storages["private"]

    def public_has(self, name: str) -> bool:
        return self.public.exists(name)

    def private_has(self, name: str) -> bool:
        return self.private.exists(name)

    def anonymous_get(self, name: str) -> tuple[int, bytes]:
        """What an anonymous visitor gets at the public address of ``name``."""
        if self.kind == "s3":
            return fetch(self.public.url(name))
        # Local: MEDIA_URL serves MEDIA_ROOT as it is (the proxy, or DEBUG's static view).
        assert self.public.url(name) == settings.MEDIA_URL + name
        path = Path(settings.MEDIA_ROOT) / name
        return (200, path.read_bytes()) if path.is_file() else (404, b"")

    def follow(self, client: Client, response) -> tuple[int, bytes]:
        """Where a 302 of the private-file view leads, fetched as a browser would."""
        assert response.status_code == 302, response.status_code
        location = response["Location"]
        if self.kind == "s3":
            assert location.startswith(f"{self.endpoint}/{self.private_bucket}/")
            assert "Signature=" in location or "X-Amz-Signature=" in location
            return fetch(location)
        assert location.startswith("/files/signed/")
        answer = client.get(location)
        self.last_signed = answer
        body = b"".join(answer.streaming_content) if answer.status_code == 200 else b""
        return answer.status_code, body


def _empty(client, bucket: str) -> None:
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    if listed:
        client.delete_objects(
            Bucket=bucket, Delete={"Objects": [{"Key": o["Key"]} for o in listed]}
        )


@pytest.fixture
def local_files(tmp_path):
    media, private = tmp_path / "media", tmp_path / "private"
    found = built_storages({"MEDIA_ROOT": str(media), "PRIVATE_ROOT": str(private)})
    with override_settings(STORAGES=found, MEDIA_ROOT=str(media)):
        yield Files("local", media_root=media, private_root=private)


@pytest.fixture(scope="session")
def _s3_instances(moto_s3) -> tuple[dict, dict]:
    """The S3 storages, made once: each makes a boto3 session of its own (most of a second),
    and every test asks for the same ones."""
    from django.core.files.storage import StorageHandler

    found = built_storages(moto_s3.env)
    handler = StorageHandler(found)
    return found, {alias: handler[alias] for alias in ("default", "private", "import_export")}


@pytest.fixture
def s3_files(moto_s3, _s3_instances):
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        _empty(moto_s3.client, bucket)
    found, instances = _s3_instances
    with override_settings(STORAGES=found):
        storages._storages.update(instances)
        yield Files(
            "s3",
            endpoint=moto_s3.endpoint,
            client=moto_s3.client,
            public_bucket=PUBLIC_BUCKET,
            private_bucket=PRIVATE_BUCKET,
        )


@pytest.fixture(params=["local", "s3"])
def files(request):
    """The same test on local folders and on the S3-compatible server."""
    return request.getfixturevalue(f"{request.param}_files")


@pytest.fixture
def ws(hanshan):
    return add_workspace_personas(hanshan)
