"""Fixtures for the member workspace: the 含山 personas plus a second member of the same
workstation and a plain member of the other one, activity types, and real image files."""

from __future__ import annotations

import io
import uuid

import pillow_heif
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from consultations.models import Activity
from tests.personas import add_workspace_personas


@pytest.fixture
def ws(hanshan):
    """含山 with: ``peer`` (a second resident member of the same workstation), ``far`` (a
    resident member of the other workstation, convened by ``other_member``) and the usual
    activity types (see ``tests.personas``)."""
    return add_workspace_personas(hanshan)


def jpeg_bytes(
    size=(64, 48), colour=(200, 30, 30), *, gps: bool = False, orientation: int | None = None
) -> bytes:
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (31.0, 42.0, 30.0), 3: "E", 4: (118.0, 6.0, 15.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def heic_bytes(*, gps: bool = False, orientation: int | None = None) -> bytes:
    """An iPhone-like HEIC, 64×48 stored, red on its left half and blue on its right, with the
    camera's EXIF (maker, model, and where asked the orientation and the location)."""
    image = Image.new("RGB", (64, 48), (220, 20, 20))
    image.paste((20, 20, 220), (32, 0, 64, 48))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (31.0, 42.0, 30.0), 3: "E", 4: (118.0, 6.0, 15.0)}
    out = io.BytesIO()
    pillow_heif.from_pillow(image).save(out, format="HEIF", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def upload(name: str = "IMG_0001.jpg", data: bytes | None = None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), content_type)


def activity_post(ws, **overrides) -> dict:
    """A complete, valid POST of the activity form for ``ws.member``."""
    from django.utils import timezone

    data = {
        "form_token": str(uuid.uuid4()),
        "type": ws.activity_type.pk,
        "date": timezone.localdate().isoformat(),
        "place": "社区议事厅",
        "participants": [ws.member.pk, ws.convener.pk],
        "residents_served": "35",
        "description": "委员向居民宣讲医保新政策。",
        "title": "",
        "media-TOTAL_FORMS": "1",
        "media-INITIAL_FORMS": "0",
        "media-MIN_NUM_FORMS": "0",
        "media-MAX_NUM_FORMS": "5",
        "media-0-url": "",
        "media-0-title": "",
        "action": "draft",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_activity(ws):
    """make_activity(status=…, author=…) → an Activity at ws.workstation."""
    from tests.factories import ActivityFactory

    def _make(status=Activity.Status.DRAFT, author=None, **kwargs):
        return ActivityFactory(
            workstation=kwargs.pop("workstation", ws.workstation),
            type=ws.activity_type,
            author=author or ws.member,
            status=status,
            **kwargs,
        )

    return _make
