"""A photo uploaded through one app server and shown through another: two real gunicorn
servers on one database (a SQLite file both open) and the S3-compatible server, no shared
cache. A member logs an activity with a photo on server A; on server B the member sees it
through the private-file view (a presigned address of the private bucket), the convener
approves it, and on server A the public page shows it at its public address, which anyone
fetches from the bucket."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from bench.servers import Gunicorn, Visitor, manage, site_env
from tests.factories import PASSWORD
from tests.me.conftest import jpeg_bytes
from tests.storage.conftest import PRIVATE_BUCKET, PUBLIC_BUCKET, fetch

pytestmark = pytest.mark.slow

SETUP = """
import json
from tests.conftest import _county, _county_personas
from tests.personas import add_workspace_personas
county = _county(
    "hanshan", "含山县政协", ("maanshan", "马鞍山市政协"), ("anhui", "安徽省政协"), "含您协商"
)
ns = add_workspace_personas(_county_personas(county, "hanshan"))
print(json.dumps({
    "workstation": ns.workstation.pk,
    "type": ns.activity_type.pk,
    "member": ns.member.pk,
    "convener": ns.convener.pk,
}))
"""


def _migrated_database(folder: Path, env: dict) -> Path:
    """A migrated SQLite file: a copy of one kept (under the temp folder) for this exact set of
    migrations, made on the first run. Migrating takes most of this test's time otherwise."""
    digest = hashlib.sha256()
    for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
        for path in sorted(Path(app.path).glob("migrations/*.py")):
            digest.update(path.read_bytes())
    template = (
        Path(tempfile.gettempdir()) / f"shangliang-migrated-{digest.hexdigest()[:16]}.sqlite3"
    )
    if not template.exists():
        building = folder / "template.sqlite3"
        manage({**env, "DATABASE_URL": f"sqlite:///{building}"}, "migrate", "--noinput", "-v0")
        shutil.move(building, template)
    database = folder / "site.sqlite3"
    shutil.copy(template, database)
    return database


def _photo_address(html: str, prefix: str, attribute: str = "src") -> str:
    found = re.search(rf'{attribute}="({re.escape(prefix)}[^"]+)"', html)
    assert found, f"no photo at {prefix} in the page"
    return found.group(1).replace("&amp;", "&")


def test_a_photo_uploaded_through_one_server_is_shown_through_another(moto_s3, tmp_path):
    env = site_env(
        tmp_path,
        **moto_s3.env,
        # Pages name their static files without a manifest: no collectstatic needed here.
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    database = _migrated_database(tmp_path, env)
    env["DATABASE_URL"] = f"sqlite:///{database}"
    people = json.loads(manage(env, "shell", "-c", SETUP).stdout.strip().splitlines()[-1])
    photo = jpeg_bytes((640, 480), colour=(30, 120, 60))

    with (
        Gunicorn(env, tmp_path, name="a", workers=1, threads=2) as a,
        Gunicorn(env, tmp_path, name="b", workers=1, threads=2) as b,
    ):
        # On A: the member logs an activity with a photo and submits it.
        member_a = Visitor(a.port)
        member_a.sign_in("hanshan_member", PASSWORD)
        path = reverse("me:activity_new", kwargs={"workstation": people["workstation"]})
        form = member_a.get(path).form_with("form_token").values()
        fields = {
            **form,
            "type": str(people["type"]),
            "date": timezone.localdate().isoformat(),
            "place": "社区议事厅",
            "participants": str(people["member"]),
            "residents_served": "12",
            "description": "委员向居民宣讲医保新政策。",
            "action": "submit",
        }
        saved = member_a.post(path, fields, files={"photos": ("IMG_0001.jpg", photo)})
        assert saved.status == 302, saved.text[:2000]
        pk = int(re.search(r"/me/activities/(\d+)/", saved.location).group(1))

        # On B, with the same session: the member sees the photo through the private view.
        member_b = Visitor(b.port)
        member_b.cookies = dict(member_a.cookies)
        detail = member_b.get(reverse("me:activity_detail", kwargs={"pk": pk}))
        assert detail.status == 200
        private = _photo_address(detail.text, "/files/activities/", "href")  # the photo itself
        redirect = member_b.get(private)
        assert redirect.status == 302
        assert redirect.location.startswith(f"{moto_s3.endpoint}/{PRIVATE_BUCKET}/")
        status, stored = fetch(redirect.location)
        assert status == 200 and stored[:2] == b"\xff\xd8"  # the re-encoded JPEG
        assert Visitor(b.port).get(private).status == 404  # the public: nothing there

        # On B: the convener approves it; its photos move to the public bucket.
        convener = Visitor(b.port)
        convener.sign_in("hanshan_convener", PASSWORD)
        review = convener.get(reverse("me:review", kwargs={"pk": pk}))
        assert review.status == 200
        approved = convener.post(
            reverse("me:approve", kwargs={"pk": pk}), review.form_with("comment").values()
        )
        assert approved.status == 302

        # On A, anonymously: the public page shows the photo at its public address.
        public_page = Visitor(a.port).get(
            reverse("public:activity", kwargs={"committee": "hanshan", "pk": pk})
        )
        assert public_page.status == 200
        shown = _photo_address(public_page.text, f"{moto_s3.endpoint}/{PUBLIC_BUCKET}/")
        assert "Signature" not in shown
        assert fetch(shown) == (200, stored)
        assert Visitor(a.port).get(private).status == 404  # no longer a private file
