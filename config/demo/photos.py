"""Placeholder photos for the demo, drawn with Pillow.

Each picture is a simple scene (a meeting room, an outdoor service stall, a lecture, a street
visit, a workstation's front door) in flat colours, with the activity's title as a caption, so
that it reads at once as a stand-in photo rather than as noise. A CJK font is used when the
system has one; without it the scene is drawn with no Chinese text (dates only).
"""

from __future__ import annotations

import functools
import io
import random
import re
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 800, 600
THUMB_SIZE = (320, 240)

# Where the usual CJK fonts live on Debian, Ubuntu, Fedora, Alpine and macOS.
CJK_FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
]

SKIN = ["#f1c27d", "#e0ac69", "#ffdbac", "#c68642", "#eac086"]
HAIR = ["#2b1d14", "#1b1b1b", "#3b2a20", "#4a4a4a", "#6d6d6d"]
CLOTHES = [
    "#1f3a5f",
    "#2d2d2d",
    "#4a6fa5",
    "#7a1f1f",
    "#3f6e4a",
    "#6b4f8a",
    "#f0f0f0",
    "#b34a3c",
    "#2f4f4f",
    "#8c6d46",
]
BANNER_RED = "#c8161d"
GOLD = "#ffd54f"


@functools.cache
def cjk_font_path() -> str | None:
    """The path of a font that can draw Chinese, or None if the system has none."""
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(
                ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        paths = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
        # Prefer a sans-serif regular face when several are installed.
        paths.sort(key=lambda p: (("Sans" not in p and "hei" not in p.lower()), "Bold" in p, p))
        if paths:
            return paths[0]
    for candidate in CJK_FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return None


@functools.cache
def _font(size: int, cjk: bool = True) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = cjk_font_path() if cjk else None
    if path:
        return ImageFont.truetype(path, size)
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: a small bitmap font.
        return ImageFont.load_default()


def has_cjk_font() -> bool:
    return cjk_font_path() is not None


def _fit(draw: ImageDraw.ImageDraw, text: str, font, max_width: int) -> str:
    """The text, shortened with an ellipsis so that it fits max_width pixels."""
    if draw.textlength(text, font=font) <= max_width:
        return text
    while text and draw.textlength(text + "…", font=font) > max_width:
        text = text[:-1]
    return text + "…"


def _lerp(c1: tuple[int, int, int], c2: tuple[int, int, int], t: float) -> tuple[int, ...]:
    return tuple(round(a + (b - a) * t) for a, b in zip(c1, c2, strict=True))


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _gradient(img: Image.Image, top: str, bottom: str, y0: int, y1: int) -> None:
    """A vertical gradient: one column drawn, then stretched (fast)."""
    c1, c2 = _hex(top), _hex(bottom)
    span = max(1, y1 - y0)
    column = Image.new("RGB", (1, span))
    column.putdata([_lerp(c1, c2, y / span) for y in range(span)])
    img.paste(column.resize((img.width, span), Image.Resampling.NEAREST), (0, y0))


def _person(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    x: int,
    y: int,
    scale: float,
    *,
    from_behind: bool = False,
) -> None:
    """A seated or standing figure whose head centre is at (x, y)."""
    r = int(16 * scale)
    body_w, body_h = int(46 * scale), int(70 * scale)
    clothes = rng.choice(CLOTHES)
    draw.rounded_rectangle(
        [x - body_w // 2, y + r - 2, x + body_w // 2, y + r + body_h],
        radius=int(14 * scale),
        fill=clothes,
    )
    if not from_behind and clothes != "#f0f0f0" and rng.random() < 0.6:
        # A shirt collar under a jacket.
        draw.polygon(
            [(x - 7 * scale, y + r), (x + 7 * scale, y + r), (x, y + r + 16 * scale)],
            fill="#f5f5f5",
        )
    hair = rng.choice(HAIR)
    if from_behind:
        draw.ellipse([x - r, y - r, x + r, y + r], fill=hair)
    else:
        draw.ellipse([x - r, y - r, x + r, y + r], fill=rng.choice(SKIN))
        draw.chord([x - r, y - r - 2, x + r, y + r // 2], 180, 360, fill=hair)


def _banner(
    img: Image.Image,
    draw: ImageDraw.ImageDraw,
    text: str,
    box: tuple[int, int, int, int],
    size: int = 26,
) -> None:
    draw.rectangle(box, fill=BANNER_RED)
    x0, y0, x1, y1 = box
    if has_cjk_font() and text:
        font = _font(size)
        text = _fit(draw, text, font, x1 - x0 - 30)
        w = draw.textlength(text, font=font)
        draw.text(((x0 + x1 - w) / 2, (y0 + y1) / 2), text, font=font, fill=GOLD, anchor="lm")
    else:
        # No font for Chinese: a row of gold marks stands for the lettering.
        mid = (y0 + y1) // 2
        for cx in range(x0 + 40, x1 - 30, 34):
            draw.rectangle([cx, mid - 8, cx + 20, mid + 8], fill=GOLD)


def _scene_meeting(img, draw, rng, title):
    wall = rng.choice(["#e8e2d0", "#dfe6ec", "#ece4da", "#e3e9df"])
    _gradient(img, wall, "#c9c2b0", 0, 420)
    draw.rectangle([0, 420, WIDTH, HEIGHT], fill="#8d6e63")
    _banner(img, draw, title, (60, 40, 740, 100))
    # Windows on the side walls.
    for x in (20, 700):
        draw.rectangle([x, 140, x + 80, 300], fill="#bcd7ea", outline="#ffffff", width=6)
    # Two rows of people, the back row smaller, around a long table.
    for i, x in enumerate(range(150, 700, 90)):
        _person(draw, rng, x + rng.randint(-8, 8), 220 + (i % 2) * 4, 0.9)
    draw.rectangle([90, 300, 710, 350], fill="#6d4c41")
    draw.rectangle([90, 350, 710, 362], fill="#4e342e")
    for x in range(140, 700, 90):
        draw.rectangle([x, 310, x + 40, 330], fill="#ffffff")  # name cards
        draw.rectangle([x + 50, 306, x + 62, 330], fill="#e0f2f1")  # cups
    for x in range(120, 720, 120):
        _person(draw, rng, x + rng.randint(-10, 10), 400, 1.25, from_behind=True)


def _scene_outdoor(img, draw, rng, title):
    _gradient(img, "#7fb8e6", "#d8ecf7", 0, 330)
    draw.rectangle([0, 330, WIDTH, HEIGHT], fill=rng.choice(["#8bbf6a", "#9aa59b", "#a9c98a"]))
    for x in range(0, WIDTH, rng.randint(90, 130)):  # trees on the horizon
        h = rng.randint(60, 110)
        draw.rectangle([x + 18, 330 - h // 2, x + 26, 330], fill="#5d4037")
        draw.ellipse([x, 330 - h, x + 44, 330 - h // 2 + 10], fill="#4f8a3c")
    # A canopy tent with a banner and a table of leaflets.
    tent = rng.choice(["#1e63b5", "#c62828", "#2e7d32"])
    draw.polygon([(180, 150), (620, 150), (660, 200), (140, 200)], fill=tent)
    draw.rectangle([150, 200, 158, 420], fill="#9e9e9e")
    draw.rectangle([642, 200, 650, 420], fill="#9e9e9e")
    _banner(img, draw, title, (170, 205, 630, 250), size=22)
    for x in range(220, 600, 80):
        _person(draw, rng, x + rng.randint(-6, 6), 290, 0.85)
    draw.rectangle([190, 340, 610, 370], fill="#eeeeee")
    draw.rectangle([200, 370, 600, 420], fill="#d6d6d6")
    for x in range(220, 600, 60):
        draw.rectangle([x, 346, x + 30, 360], fill=rng.choice(["#fff59d", "#bbdefb", "#ffccbc"]))
    for x in range(60, 760, 70):  # residents queueing in front
        _person(
            draw, rng, x + rng.randint(-12, 12), 440 + rng.randint(-6, 10), 1.15, from_behind=True
        )


def _scene_lecture(img, draw, rng, title):
    _gradient(img, "#f3efe6", "#d7d0c0", 0, 400)
    draw.rectangle([0, 400, WIDTH, HEIGHT], fill="#a1887f")
    # A screen with the title, a speaker beside it at a lectern.
    draw.rectangle([170, 50, 630, 260], fill="#fafafa", outline="#424242", width=6)
    draw.rectangle([170, 50, 630, 95], fill=BANNER_RED)
    if has_cjk_font():
        font = _font(28)
        lines = _wrap(draw, title, font, 400)
        for i, line in enumerate(lines[:3]):
            draw.text((190, 120 + i * 42), line, font=font, fill="#263238")
    else:
        for i in range(3):
            draw.rectangle(
                [190, 125 + i * 40, 190 + rng.randint(200, 400), 140 + i * 40], fill="#90a4ae"
            )
    _person(draw, rng, 690, 230, 1.0)
    draw.polygon([(650, 300), (730, 300), (720, 400), (660, 400)], fill="#5d4037")
    for row, y in enumerate((360, 440, 520)):
        for x in range(60 + (row % 2) * 40, 640, 95):
            _person(draw, rng, x + rng.randint(-8, 8), y, 1.0 + row * 0.2, from_behind=True)


def _scene_street(img, draw, rng, title):
    _gradient(img, "#9ccbeb", "#e3f1fa", 0, 300)
    x = 0
    while x < WIDTH:  # a row of houses and blocks
        w = rng.randint(110, 180)
        h = rng.randint(150, 260)
        colour = rng.choice(["#eceff1", "#f5e6d3", "#e0e0e0", "#d7ccc8", "#f1f8e9"])
        draw.rectangle([x, 340 - h, x + w - 6, 340], fill=colour, outline="#9e9e9e")
        for wy in range(340 - h + 20, 320, 44):
            for wx in range(x + 14, x + w - 30, 36):
                draw.rectangle([wx, wy, wx + 20, wy + 24], fill="#90caf9")
        x += w
    draw.rectangle([0, 340, WIDTH, HEIGHT], fill="#9e9e9e")
    draw.rectangle([0, 340, WIDTH, 380], fill="#bdbdbd")
    for x in range(0, WIDTH, 80):
        draw.rectangle([x, 470, x + 40, 478], fill="#fafafa")
    _banner(img, draw, title, (120, 20, 680, 66), size=24)
    for i in range(rng.randint(4, 7)):
        _person(draw, rng, 120 + i * 95 + rng.randint(-15, 15), 330 + rng.randint(-10, 10), 1.1)


def _scene_village(img, draw, rng, title):
    """Countryside: hills, white-walled houses under dark roofs, fields, people on the path."""
    _gradient(img, "#8fc3ea", "#e4f2fb", 0, 300)
    for x0 in range(-100, WIDTH, 260):  # far hills
        h = rng.randint(60, 120)
        draw.polygon([(x0, 300), (x0 + 170, 300 - h), (x0 + 360, 300)], fill="#9bb88f")
    draw.rectangle([0, 300, WIDTH, HEIGHT], fill="#a7c97a")
    for y in range(330, HEIGHT, 36):  # rows of crops
        draw.line([(0, y), (WIDTH, y + 20)], fill="#8db35f", width=6)
    x = rng.randint(-30, 20)
    while x < WIDTH:  # houses with stepped gables
        w, h = rng.randint(120, 170), rng.randint(90, 130)
        top = 300 - h
        draw.rectangle([x, top, x + w, 300], fill="#f4f1ea", outline="#c9c3b5")
        draw.polygon(
            [(x - 8, top + 6), (x + w // 2, top - 34), (x + w + 8, top + 6)], fill="#3d3d3d"
        )
        for gx in (x - 6, x + w - 10):
            draw.rectangle([gx, top - 18, gx + 16, top + 4], fill="#3d3d3d")
        draw.rectangle([x + w // 2 - 14, 300 - 50, x + w // 2 + 14, 300], fill="#6d4c41")
        for wx in (x + 16, x + w - 40):
            draw.rectangle([wx, top + 26, wx + 24, top + 50], fill="#5d6d7e")
        x += w + rng.randint(30, 70)
    draw.polygon([(300, HEIGHT), (380, 300), (420, 300), (520, HEIGHT)], fill="#d8c8a8")
    _banner(img, draw, title, (120, 20, 680, 66), size=24)
    for i in range(rng.randint(4, 6)):
        _person(draw, rng, 150 + i * 100 + rng.randint(-15, 15), 380 + rng.randint(-10, 20), 1.1)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    if line:
        lines.append(line)
    return lines


SCENES = {
    "meeting": _scene_meeting,
    "outdoor": _scene_outdoor,
    "lecture": _scene_lecture,
    "street": _scene_street,
    "village": _scene_village,
}


def _caption(img: Image.Image, title: str, subtitle: str) -> None:
    band = Image.new("RGBA", (WIDTH, 76), (0, 0, 0, 150))
    img.paste(band, (0, HEIGHT - 76), band)
    draw = ImageDraw.Draw(img)
    if has_cjk_font():
        font = _font(26)
        draw.text((20, HEIGHT - 68), _fit(draw, title, font, WIDTH - 40), font=font, fill="#ffffff")
        draw.text(
            (20, HEIGHT - 32),
            _fit(draw, subtitle, _font(18), WIDTH - 40),
            font=_font(18),
            fill="#e0e0e0",
        )
    else:
        # Only digits and Latin letters are safe without a CJK font: keep the date.
        match = re.search(r"\d{4}-\d{2}(-\d{2})?", subtitle)
        draw.text(
            (20, HEIGHT - 56),
            match.group(0) if match else "Shangliang demo",
            font=_font(28, cjk=False),
            fill="#ffffff",
        )


def draw_activity_photo(*, title: str, subtitle: str, scene: str, seed: int) -> Image.Image:
    """A placeholder photo of an activity: a scene of the given kind with a caption."""
    rng = random.Random(seed)
    img = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(img)
    SCENES.get(scene, _scene_meeting)(img, draw, rng, title)
    _caption(img, title, subtitle)
    return img


def draw_workstation_photo(
    *, name: str, plaque: str, subtitle: str, colour: str, seed: int
) -> Image.Image:
    """A placeholder photo of a workstation's front: a building with its name plaques."""
    rng = random.Random(seed)
    img = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    _gradient(img, "#8ec5ec", "#e6f3fb", 0, 420)
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 420, WIDTH, HEIGHT], fill="#b0a89c")
    facade = rng.choice(["#f2ede4", "#e8e8e8", "#efe6d8"])
    draw.rectangle([90, 110, 710, 460], fill=facade, outline="#9e9e9e", width=3)
    draw.rectangle([70, 90, 730, 120], fill="#8d8d8d")
    for wx in (130, 230, 530, 630):
        draw.rectangle([wx, 160, wx + 60, 240], fill="#90caf9", outline="#ffffff", width=4)
    # The door and, beside it, the vertical name plaque in the brand colour.
    draw.rectangle([330, 280, 470, 460], fill="#5d4037")
    draw.rectangle([398, 280, 402, 460], fill="#3e2723")
    draw.rectangle([250, 250, 300, 450], fill="#ffffff", outline=colour, width=6)
    draw.rectangle([500, 250, 550, 450], fill=colour)
    if has_cjk_font():
        font = _font(22)
        for i, ch in enumerate(name[:8]):
            draw.text((525, 268 + i * 22), ch, font=font, fill="#ffffff", anchor="mt")
        for i, ch in enumerate(plaque[:8]):
            draw.text((275, 268 + i * 22), ch, font=font, fill=colour, anchor="mt")
        _banner(img, draw, name, (150, 30, 650, 78), size=24)
    else:
        for i in range(7):
            draw.rectangle([515, 265 + i * 25, 535, 282 + i * 25], fill="#ffffff")
        _banner(img, draw, "", (150, 30, 650, 78))
    for x in (120, 640):
        _person(draw, rng, x, 380, 1.0)
    _caption(img, name, subtitle)
    return img


def draw_logo(*, colour: str) -> Image.Image:
    """A committee's placeholder logo: two speech bubbles, for talking things over (商量)."""
    size = 256
    img = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle([28, 52, 150, 140], radius=30, fill="#ffffff")
    draw.polygon([(60, 136), (90, 136), (52, 172)], fill="#ffffff")
    draw.rounded_rectangle([106, 112, 228, 200], radius=30, fill=GOLD)
    draw.polygon([(190, 196), (160, 196), (200, 230)], fill=GOLD)
    for x in (70, 90, 110):
        draw.ellipse([x - 6, 90, x + 6, 102], fill=colour)
    return img


def jpeg_bytes(img: Image.Image, *, quality: int = 78) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def thumbnail_bytes(img: Image.Image) -> bytes:
    thumb = img.resize(THUMB_SIZE, Image.Resampling.BILINEAR, reducing_gap=2.0)
    return jpeg_bytes(thumb, quality=75)
