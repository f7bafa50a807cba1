"""The photo pipeline: real images only, no metadata kept, bombs and oversize files refused."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from workstations.photos import MAX_SIDE, MAX_UPLOAD_BYTES, THUMB_SIDE, PhotoError, process_photo

from .conftest import heic_bytes, jpeg_bytes, upload


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def one_bit_png(width: int, height: int) -> bytes:
    """A valid black 1-bit PNG of any size, a few kilobytes on disk, built row by row so that
    the test never holds the pixels in memory."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter type 0, then the packed pixels
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _reopen(content) -> Image.Image:
    content.seek(0)
    return Image.open(io.BytesIO(content.read()))


def test_location_and_camera_details_are_removed():
    original = Image.open(io.BytesIO(jpeg_bytes(gps=True)))
    assert original.getexif().get_ifd(0x8825)  # the test image really carries GPS
    assert original.getexif()[0x010F] == "PhoneMaker"

    result = process_photo(upload(data=jpeg_bytes(gps=True)))

    for content in (result.image, result.thumbnail):
        kept = _reopen(content)
        assert kept.format == "JPEG"
        assert len(kept.getexif()) == 0
        assert "exif" not in kept.info
        assert "icc_profile" not in kept.info
        content.seek(0)
        raw = content.read()
        assert b"PhoneMaker" not in raw and b"GPS" not in raw


def test_the_photo_is_turned_the_way_the_camera_was_held():
    # 64×48 pixels stored, EXIF orientation 6: the camera was held upright.
    result = process_photo(upload(data=jpeg_bytes((64, 48), orientation=6)))
    assert _reopen(result.image).size == (48, 64)


def test_a_large_photo_is_scaled_down_and_a_thumbnail_made():
    result = process_photo(upload(data=jpeg_bytes((3200, 2400))))
    assert max(_reopen(result.image).size) == MAX_SIDE
    assert max(_reopen(result.thumbnail).size) == THUMB_SIDE


def test_names_are_made_by_the_server_never_the_uploads():
    result = process_photo(upload(name="../../etc/家里 照片.jpg"))
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", result.image.name)
    assert result.thumbnail.name == result.image.name


def test_a_png_with_transparency_becomes_a_jpeg_on_white():
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    result = process_photo(upload("shot.png", out.getvalue(), "image/png"))
    kept = _reopen(result.image).convert("RGB")
    assert kept.getpixel((10, 10)) == (255, 255, 255)


def test_an_iphone_heic_becomes_a_jpeg_without_location_or_camera():
    original = Image.open(io.BytesIO(heic_bytes(gps=True)))
    assert original.format == "HEIF"
    assert original.getexif().get_ifd(0x8825)  # the test image really carries GPS

    result = process_photo(upload("IMG_0001.HEIC", heic_bytes(gps=True), "image/heic"))

    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", result.image.name)
    for content in (result.image, result.thumbnail):
        kept = _reopen(content)
        assert kept.format == "JPEG"
        assert len(kept.getexif()) == 0
        assert "exif" not in kept.info
        content.seek(0)
        raw = content.read()
        assert b"PhoneMaker" not in raw and b"GPS" not in raw


def test_a_heic_is_turned_the_way_the_phone_was_held():
    # Stored 64×48, red left and blue right, rotated by its container (as an iPhone does).
    data = heic_bytes(orientation=6)
    assert b"irot" in data

    kept = _reopen(process_photo(upload("IMG_0002.HEIC", data, "image/heic")).image)

    assert kept.size == (48, 64)
    red, _green, blue = kept.getpixel((24, 4))  # turned a quarter clockwise: red on top
    assert red > 150 and blue < 80


def test_a_text_file_named_heic_is_refused_in_chinese():
    with translation.override("zh-hans"), pytest.raises(PhotoError) as excinfo:
        process_photo(upload("IMG_0003.HEIC", b"this is not a picture at all\n" * 20))
    assert excinfo.value.code == "not_an_image"
    assert "“IMG_0003.HEIC”不是可识别的照片" in excinfo.value.messages[0]


def test_a_truncated_heic_is_refused():
    data = heic_bytes()
    with pytest.raises(PhotoError) as excinfo:
        process_photo(upload("IMG_0004.HEIC", data[: len(data) // 2], "image/heic"))
    assert excinfo.value.code == "not_an_image"


def test_a_text_file_named_jpg_is_refused():
    with pytest.raises(PhotoError) as excinfo:
        process_photo(upload("photo.jpg", b"this is not a picture at all\n" * 20))
    assert excinfo.value.code == "not_an_image"
    assert "photo.jpg" in excinfo.value.messages[0]


def test_a_truncated_jpeg_is_refused():
    data = jpeg_bytes((400, 300))
    with pytest.raises(PhotoError) as excinfo:
        process_photo(upload(data=data[: len(data) // 2]))
    assert excinfo.value.code == "not_an_image"


def test_a_decompression_bomb_just_over_the_limit_is_refused():
    # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse.
    width = 10_000
    height = Image.MAX_IMAGE_PIXELS // width + 1
    assert Image.MAX_IMAGE_PIXELS < width * height < 2 * Image.MAX_IMAGE_PIXELS
    data = one_bit_png(width, height)
    assert len(data) < 100_000  # small on disk
    with pytest.raises(PhotoError) as excinfo:
        process_photo(upload("bomb.png", data, "image/png"))
    assert excinfo.value.code == "too_many_pixels"


def test_a_decompression_bomb_over_twice_the_limit_is_refused():
    width = 20_000
    height = 2 * Image.MAX_IMAGE_PIXELS // width + 1
    with pytest.raises(PhotoError) as excinfo:
        process_photo(upload("bomb.png", one_bit_png(width, height), "image/png"))
    assert excinfo.value.code == "too_many_pixels"


def test_the_warning_itself_is_a_refusal(monkeypatch):
    """Without our own pixel check, Pillow's warning alone still refuses the file."""
    monkeypatch.setattr("workstations.photos._check_pixels", lambda image, name: None)
    width = 10_000
    height = Image.MAX_IMAGE_PIXELS // width + 1
    with pytest.raises(PhotoError) as excinfo:
        process_photo(upload("bomb.png", one_bit_png(width, height), "image/png"))
    assert excinfo.value.code == "too_many_pixels"


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message():
    big = SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"\0" * MAX_UPLOAD_BYTES, "image/jpeg")
    with pytest.raises(PhotoError) as excinfo:
        process_photo(big)
    assert excinfo.value.code == "too_big"
    assert "huge.jpg" in excinfo.value.messages[0]
