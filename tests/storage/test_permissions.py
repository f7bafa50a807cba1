"""The private-file view × every persona: who gets a file (302 to its signed address) and who
a 404, the same as for a file that does not exist. On local storage, as ``make run`` has it;
the same rules on S3 are in tests/storage/test_private_files.py.

Rules (config/files.py and the apps' ``files`` modules): an activity's photo before approval —
the office of its county or above, its author, and once submitted the workstation's convener;
a photo waiting for its form — its uploader; a consultation's attachment — the office and the
workstation's members; standards evidence — the office; a pending import sheet, a public file
or a name no rule covers — nobody. Superusers pass every rule that exists.
"""

from __future__ import annotations

import uuid

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from consultations.models import ActivityPhoto, ConsultationStep
from consultations.services.photos import photo_stage
from tests.factories import PASSWORD, StandardCheckFactory
from tests.me.conftest import upload
from tests.personas import PERSONAS
from workstations.files import PRIVATE_PREFIX

pytestmark = pytest.mark.django_db

OK, NOT_FOUND = 302, 404
OFFICE = ("staff", "reader", "city_staff", "superuser")


def only(*who: str) -> dict[str, int]:
    return {persona: OK if persona in who else NOT_FOUND for persona in PERSONAS}


def _photo(activity) -> str:
    photo = ActivityPhoto(activity=activity)
    photo.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(b"photo"), save=True)
    return photo.image.name.removeprefix(PRIVATE_PREFIX)


def _attachment(w) -> str:
    step = ConsultationStep(
        consultation=w.hidden_consultation,
        step=2,
        date=w.hidden_consultation.opened_on,
        summary="走访",
    )
    step.attachment.save(f"{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF"), save=True)
    return step.attachment.name.removeprefix(PRIVATE_PREFIX)


def _evidence(w) -> str:
    check = StandardCheckFactory(workstation=w.ws)
    check.evidence.save(f"{uuid.uuid4().hex}.jpg", ContentFile(b"evidence"), save=True)
    return check.evidence.name.removeprefix(PRIVATE_PREFIX)


def _pending(w) -> str:
    pending = photo_stage(user=w.member.user, token=uuid.uuid4(), upload=upload())
    return pending.image.name.removeprefix(PRIVATE_PREFIX)


def _import_sheet(w) -> str:
    from import_export.tmp_storages import MediaStorage

    sheet = MediaStorage()
    sheet.save(b"id_number\n340522199001011234\n")
    return sheet.get_full_path()


# (address name, kwargs from the world, expected per persona)
CASES = [
    ("private_file", lambda w: {"name": _photo(w.draft)}, only("member", *OFFICE)),
    ("private_file", lambda w: {"name": _photo(w.submitted)}, only("member", "convener", *OFFICE)),
    ("private_file", lambda w: {"name": _pending(w)}, only("member", "superuser")),
    (
        "private_file",
        lambda w: {"name": _attachment(w)},
        only("member", "peer", "convener", *OFFICE),
    ),
    ("private_file", lambda w: {"name": _evidence(w)}, only(*OFFICE)),
    # An approved activity's photo is public: the private view has nothing under its name.
    ("private_file", lambda w: {"name": _photo(w.activity)}, only()),
    ("private_file", lambda w: {"name": _import_sheet(w)}, only()),
    ("private_file", lambda w: {"name": "activities/2025/01/no-such.jpg"}, only()),
    ("private_file", lambda w: {"name": "nothing-covers/this.txt"}, only()),
    ("private_file", lambda w: {"name": "activities/../../settings.py"}, only()),
    ("private_file_signed", lambda w: {"token": "forged:1:abc"}, only()),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    [pytest.param(*case, id=f"{i}-{case[0]}") for i, case in enumerate(CASES)],
)
def test_private_files(world, name, kwargs, expected):
    url = reverse(name, kwargs=kwargs(world))
    answers = {}
    for persona, user in world.users.items():
        client = Client()
        if user is not None:
            assert client.login(username=user.username, password=PASSWORD)
        answers[persona] = client.get(url).status_code
    assert answers == expected, url
