"""The restore drill: back up a site holding the demo, restore it somewhere fresh, serve it, and
check that nothing was lost.

Builds the demo with its photos in a PostgreSQL database of its own (``shangliang_drill_source``)
and local folders, then, for each kind of storage:

* local: ``config/deploy/backup`` of that site; ``config/deploy/restore`` into a fresh database
  and fresh MEDIA_ROOT and PRIVATE_ROOT folders;
* s3 (when ``moto_server`` is installed): the same files put into buckets on a moto server on
  loopback, backed up from there, and restored into a fresh database and fresh buckets.

Each restored site is checked before anyone touches it (the rows of every table counted in
both databases; every file of both storages compared by SHA-256 with the backup's manifest)
and then served by gunicorn behind nginx: the home page answers, a demo account signs in, and
a public photo and a private one (through /files/, as the committee's staff) come back with
the bytes of the original. Exits non-zero when a check fails; prints how long each step took.

    make restore-drill      # or: .venv/bin/python -m bench.restore --storage local
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.servers import (
    ROOT,
    Gunicorn,
    MotoServer,
    Nginx,
    Visitor,
    database_url,
    drop_database,
    manage,
    query,
    recreate_database,
    site_env,
    table_counts,
    temp_folder,
)

SOURCE_DB = "shangliang_drill_source"
STAFF = "hanshan_office"


class Drill:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.timings: list[tuple[str, float]] = []

    def check(self, name: str, ok: bool, detail: str) -> None:
        print(f"  {'ok    ' if ok else 'FAILED'} {name}: {detail}", flush=True)
        if not ok:
            self.failures.append(name)

    def timed(self, name: str, started: float) -> None:
        self.timings.append((name, time.perf_counter() - started))


def _script(name: str, env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(ROOT / "config" / "deploy" / name), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"config/deploy/{name} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())["storages"]


def _photos(db: str) -> tuple[tuple, tuple]:
    """A public photo of an approved activity and a private one of an activity not yet approved,
    both of 含山."""
    common = (
        "SELECT p.image, p.thumbnail, a.id FROM consultations_activityphoto p "
        "JOIN consultations_activity a ON a.id = p.activity_id "
        "JOIN workstations_workstation w ON w.id = a.workstation_id "
        "JOIN workstations_committee c ON c.id = w.committee_id WHERE c.slug = 'hanshan' AND "
    )
    public = query(db, common + "a.status = 'approved' AND p.image NOT LIKE 'private/%%' LIMIT 1")
    private = query(db, common + "p.image LIKE 'private/%%' ORDER BY p.id LIMIT 1")
    return (public[0] if public else None), (private[0] if private else None)


def _fetch(url: str, nginx: Nginx, visitor: Visitor, hops: int = 3) -> bytes | None:
    """The bytes behind a photo's address, redirects followed: the site's own addresses through
    nginx (as ``visitor``), a bucket's from the bucket."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    who = Visitor(parts.port) if parts.netloc and parts.port != nginx.port else visitor
    page = who.get(path)
    if page.status in (301, 302) and page.location and hops:
        return _fetch(page.location, nginx, visitor, hops - 1)
    return page.body if page.status == 200 else None


def _original(kind: str, name: str, source_env: dict, moto: MotoServer | None) -> bytes:
    """The bytes of a file of the source site, read from where that site keeps it."""
    private = name.startswith("private/")
    bare = name.removeprefix("private/")
    if kind == "s3":
        bucket = source_env["S3_PRIVATE_BUCKET" if private else "S3_BUCKET"]
        return moto.client().get_object(Bucket=bucket, Key=bare)["Body"].read()
    root = source_env["PRIVATE_ROOT" if private else "MEDIA_ROOT"]
    return (Path(root) / bare).read_bytes()


def restore_and_check(
    drill: Drill,
    kind: str,
    folder: Path,
    backup: Path,
    source_env: dict,
    target_env: dict,
    moto: MotoServer | None,
) -> None:
    source_db, target_db = source_env["DATABASE_URL"], target_env["DATABASE_URL"]
    recreate_database(target_db)
    started = time.perf_counter()
    _script("restore", target_env, str(backup))
    drill.timed(f"{kind}: restore (config/deploy/restore)", started)

    before, after = table_counts(source_db), table_counts(target_db)
    differ = {
        t: (before.get(t), after.get(t))
        for t in before.keys() | after.keys()
        if before.get(t) != after.get(t)
    }
    drill.check(
        f"{kind}: rows of every table",
        not differ and len(before) > 0,
        f"{len(before)} tables, {sum(before.values())} rows in the source, "
        f"{sum(after.values())} restored" + (f"; differ: {differ}" if differ else ""),
    )

    again = folder / f"check-{kind}"
    manage(target_env, "backup_files", str(again))
    original, restored = _manifest(backup / "files"), _manifest(again)
    files = sum(len(f) for f in original.values())
    drill.check(
        f"{kind}: every file (SHA-256)",
        original == restored and files > 0,
        ", ".join(f"{alias} {len(found)}" for alias, found in original.items())
        + (
            " files, identical"
            if original == restored
            else " files in the backup; restored "
            + ", ".join(f"{a} {len(f)}" for a, f in restored.items())
        ),
    )

    public, private = _photos(target_db)
    with (
        Gunicorn(target_env, folder, f"restored-{kind}", 2, 2) as server,
        Nginx(
            folder / f"nginx-{kind}",
            [server.port],
            static_root=Path(target_env["STATIC_ROOT"]),
            media_root=Path(target_env["MEDIA_ROOT"]),
        ) as nginx,
    ):
        home = Visitor(nginx.port).get("/")
        staff = Visitor(nginx.port)
        try:
            staff.sign_in(STAFF)
            signed_in = True
        except RuntimeError:
            signed_in = False
        drill.check(
            f"{kind}: the restored site serves",
            home.status == 200 and signed_in,
            f"home {home.status}; {STAFF} signs in: {signed_in}",
        )
        if public is None:
            drill.check(f"{kind}: a public photo", False, "no approved activity with a photo")
        else:
            image, thumbnail, activity = public
            page = Visitor(nginx.port).get(f"/hanshan/activities/{activity}/")
            shown = next(
                (
                    url
                    for url in re.findall(r'(?:src|href)="([^"]+)"', page.text)
                    if url.split("?")[0].endswith((image, thumbnail))
                ),
                None,
            )
            name = image if shown and shown.split("?")[0].endswith(image) else thumbnail
            served = _fetch(shown, nginx, Visitor(nginx.port)) if shown else None
            original_bytes = _original(kind, name, source_env, moto)
            drill.check(
                f"{kind}: a public photo's bytes",
                served == original_bytes,
                f"activity {activity} page {page.status} shows {shown or 'no photo'}; "
                f"{len(served or b'')} bytes served, {len(original_bytes)} in the original",
            )
        if private is None:
            drill.check(f"{kind}: a private photo", False, "no photo in the private storage")
        else:
            image = private[0]
            served = _fetch(f"/files/{image.removeprefix('private/')}", nginx, staff)
            original_bytes = _original(kind, image, source_env, moto)
            anonymous = Visitor(nginx.port).get(f"/files/{image.removeprefix('private/')}")
            drill.check(
                f"{kind}: a private photo's bytes, for staff only",
                served == original_bytes and anonymous.status == 404,
                f"{image}: {len(served or b'')} bytes served to {STAFF}, "
                f"{len(original_bytes)} in the original; anonymous {anonymous.status}",
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--storage",
        choices=["local", "s3", "both"],
        default="both" if MotoServer.binary() else "local",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder and databases")
    args = parser.parse_args()
    if Nginx.binary() is None:
        sys.exit("restore-drill: nginx is not installed (Debian: apt-get install nginx)")
    kinds = ["local", "s3"] if args.storage == "both" else [args.storage]
    drill = Drill()
    databases = [database_url(SOURCE_DB)]

    with temp_folder("shangliang-drill-", keep=args.keep) as folder:
        static = folder / "static"
        source_env = site_env(folder / "source", DATABASE_URL=databases[0], STATIC_ROOT=str(static))
        print(f"Preparing {SOURCE_DB} with the demo and its photos in {folder} …", flush=True)
        started = time.perf_counter()
        recreate_database(databases[0])
        manage(source_env, "migrate", "--noinput", "-v0")
        manage(source_env, "load_demo", "-v0")
        manage(source_env, "collectstatic", "--noinput", "-v0")
        drill.timed("source: migrate, load_demo with photos", started)

        started = time.perf_counter()
        local_backup = folder / "backups" / "local"
        _script("backup", source_env, str(local_backup))
        drill.timed("local: backup (config/deploy/backup)", started)
        size = sum(p.stat().st_size for p in local_backup.rglob("*") if p.is_file())
        print(f"Backup of the local site: {size / 1e6:.1f} MB in {local_backup}")

        if "local" in kinds:
            print("Local folders:", flush=True)
            databases.append(database_url("shangliang_drill_restored_local"))
            target = site_env(
                folder / "restored-local", DATABASE_URL=databases[-1], STATIC_ROOT=str(static)
            )
            restore_and_check(drill, "local", folder, local_backup, source_env, target, None)

        if "s3" in kinds:
            print("Buckets on a moto server:", flush=True)
            with MotoServer(folder) as moto:
                moto.create_buckets("drill-source", "drill-source-private")
                moto.create_buckets("drill-restored", "drill-restored-private")
                s3_source = site_env(
                    folder / "source-s3",
                    DATABASE_URL=databases[0],
                    STATIC_ROOT=str(static),
                    **moto.env("drill-source", "drill-source-private"),
                )
                # The same site with its files in buckets: the backup's files put there.
                manage(s3_source, "restore_files", str(local_backup / "files"))
                started = time.perf_counter()
                s3_backup = folder / "backups" / "s3"
                _script("backup", s3_source, str(s3_backup))
                drill.timed("s3: backup (config/deploy/backup)", started)
                databases.append(database_url("shangliang_drill_restored_s3"))
                target = site_env(
                    folder / "restored-s3",
                    DATABASE_URL=databases[-1],
                    STATIC_ROOT=str(static),
                    **moto.env("drill-restored", "drill-restored-private"),
                )
                restore_and_check(drill, "s3", folder, s3_backup, s3_source, target, moto)

        if not args.keep:
            for url in databases:
                drop_database(url)

    print(f"\n{'step':<46} {'seconds':>8}")
    for name, seconds in drill.timings:
        print(f"{name:<46} {seconds:>8.1f}")
    if drill.failures:
        print(f"restore-drill: {len(drill.failures)} check(s) failed: {', '.join(drill.failures)}")
        return 1
    print(f"restore-drill: all checks passed ({', '.join(kinds)}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
