"""The photo pipeline for uploads from members' phones (Pillow).

Every upload is decoded, never trusted by its name or content type: a file that Pillow cannot
read as one of the formats below is refused. HEIC and HEIF (what iPhones take) are read through
pillow-heif, which turns the picture as the phone held it while decoding. Decompression bombs are
refused too; Pillow only *warns* between its pixel limit and twice that, and this module treats
the warning as a refusal.
What is kept is a re-encoded JPEG, turned the way the camera held it, at most ``MAX_SIDE`` pixels
on its longer side, with no metadata at all (no location, camera, date or colour profile), and a
``THUMB_SIDE`` thumbnail; both under names the server makes. The thumbnail is made with the photo
or, for the members' uploads, later by a task from the stored photo (``thumbnail_of``): pages
show the photo itself until it is there.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_SIDE = 1600
THUMB_SIDE = 400
JPEG_QUALITY = 85
THUMB_QUALITY = 80
# MPO is what some phones call a JPEG with a second, depth image inside; HEIF covers HEIC.
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP", "HEIF"}
# The extensions too: a desktop or Android file picker that knows no image type for .heic
# hides iPhone photos behind "image/*".
ACCEPT = "image/*,.heic,.heif"

# Once, for the whole process (Django's ImageField in the admin reads through it too). Only the
# main picture is kept, so the embedded thumbnails, depth maps and auxiliary images are not read.
register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)


class PhotoError(ValidationError):
    """An upload that is not a photo we keep; the message says why, in the user's language."""


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile
    #: None when asked for without (``process_photo(..., thumbnail=False)``).
    thumbnail: ContentFile | None
    width: int
    height: int


def new_photo_name() -> str:
    """A name made by the server; the uploaded file's own name is never used."""
    return f"{uuid.uuid4().hex}.jpg"


def _refuse_not_an_image(name: str) -> PhotoError:
    return PhotoError(
        _("“%(name)s” is not a photo we can read. Please choose a JPEG, PNG or HEIC picture.")
        % {"name": name},
        code="not_an_image",
    )


def _refuse_too_many_pixels(name: str) -> PhotoError:
    return PhotoError(
        _("“%(name)s” has too many pixels to be a photo. Please choose another picture.")
        % {"name": name},
        code="too_many_pixels",
    )


def check_size(upload) -> None:
    """Refuse a file over ``MAX_UPLOAD_BYTES`` before reading any of it."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise PhotoError(
            _("“%(name)s” is %(size)s; a photo may be at most %(limit)s.")
            % {
                "name": _display_name(upload),
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_UPLOAD_BYTES),
            },
            code="too_big",
        )


def _display_name(upload) -> str:
    # Only ever shown back to the person who uploaded it, escaped by the template.
    return (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:80] or "?"


def _open_checked(data: bytes, name: str) -> Image.Image:
    """Open, verify, reopen and decode; a bomb or a non-image raises PhotoError.

    Called with DecompressionBombWarning turned into an error (see ``process_photo``).
    """
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise _refuse_not_an_image(name)
            _check_pixels(probe, name)
            probe.verify()
        image = Image.open(io.BytesIO(data))  # verify() leaves the image unusable
        _check_pixels(image, name)
        if image.format in {"JPEG", "MPO"}:
            # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 as it reads: far less memory.
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        image.load()
        return image
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse_too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _refuse_not_an_image(name) from None


def _check_pixels(image: Image.Image, name: str) -> None:
    # Pillow warns above MAX_IMAGE_PIXELS; the warnings filter makes that an error, but filters
    # are process-wide and not thread-safe, so the same limit is also checked here.
    width, height = image.size
    if Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
        raise _refuse_too_many_pixels(name)


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB on white for anything with transparency; RGB for the rest."""
    if image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode != "RGB":
        return image.convert("RGB")
    return image


def _clean_copy(image: Image.Image) -> Image.Image:
    """A new image with the same pixels and nothing else: no EXIF, GPS, XMP, ICC or comments."""
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def _encode(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def process_photo(upload, *, thumbnail: bool = True) -> ProcessedPhoto:
    """Check and convert one uploaded file; raise ``PhotoError`` with a clear message if it is
    too big, not an image, or a decompression bomb. ``thumbnail=False`` leaves the thumbnail
    to be made later from the stored photo (``thumbnail_of``), out of the request."""
    check_size(upload)
    name = _display_name(upload)
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError(
            _("“%(name)s” is over %(limit)s.")
            % {"name": name, "limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="too_big",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open_checked(data, name)
        try:
            image = ImageOps.exif_transpose(image)
            image = _clean_copy(_to_rgb(image))
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            thumb = image.copy() if thumbnail else None
            if thumb is not None:
                thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        except (OSError, ValueError, SyntaxError):
            raise _refuse_not_an_image(name) from None
    base = new_photo_name()
    return ProcessedPhoto(
        image=ContentFile(_encode(image, JPEG_QUALITY), name=base),
        thumbnail=ContentFile(_encode(thumb, THUMB_QUALITY), name=base) if thumb else None,
        width=image.width,
        height=image.height,
    )


def thumbnail_of(data: bytes, name: str = "") -> ContentFile:
    """The ``THUMB_SIDE`` thumbnail of a photo already kept (what ``process_photo`` stored),
    decoded with the same care as an upload; ``PhotoError`` if it is not one."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open_checked(data, name or "?")
        try:
            thumb = _clean_copy(_to_rgb(image))
            thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        except (OSError, ValueError, SyntaxError):
            raise _refuse_not_an_image(name or "?") from None
    return ContentFile(_encode(thumb, THUMB_QUALITY), name=name.rsplit("/", 1)[-1] or None)
