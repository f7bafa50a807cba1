"""The Content-Security-Policy and the Permissions-Policy: on every kind of page, the same for a
page served from the cache, with nothing in our templates that the policy would refuse; the
brand colours as a stylesheet; photos allowed from wherever the storage puts them.

What a real browser refuses, page by page, is in tests/test_csp_browser.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.contrib import admin
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from config import engines, headers
from config.portal import styles
from workstations.models import Committee

from .test_deploy import PRODUCTION_ENV, _manage

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def assert_strict(response) -> None:
    policy = policy_of(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert "nonce-" not in response["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"][:3] == ["'self'", "data:", "blob:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    features = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert features[feature] == "()", feature
    assert set(features.values()) == {"()"}  # nothing allowed, not even to ourselves


# --- Every kind of page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_public_page_carries_the_strict_policy(world):
    response = Client().get(f"/{world.c.slug}/")
    assert response.status_code == 200
    assert_strict(response)


@pytest.mark.django_db
def test_a_member_page_carries_the_strict_policy(world, login):
    response = login(world.member.user).get(reverse("me:desk"))
    assert response.status_code == 200
    assert_strict(response)


@pytest.mark.django_db
def test_an_admin_page_carries_the_strict_policy(world, login):
    client = login(world.hanshan.staff)
    for address in ("/admin/", "/admin/consultations/activity/", "/admin/members/member/import/"):
        response = client.get(address)
        assert response.status_code == 200, address
        assert_strict(response)


@pytest.mark.django_db
def test_the_error_pages_carry_the_strict_policy(client):
    assert_strict(client.get("/no-such-county/"))
    assert_strict(client.get("/accounts/login/"))


@pytest.mark.django_db
def test_a_page_served_from_the_cache_carries_the_same_policy(world):
    address = f"/{world.c.slug}/workstations/"
    fresh, cached = Client().get(address), Client().get(address)
    assert (fresh["X-Page-Cache"], cached["X-Page-Cache"]) == ("miss", "hit")
    assert_strict(cached)
    assert cached["Content-Security-Policy"] == fresh["Content-Security-Policy"]
    assert cached["Permissions-Policy"] == fresh["Permissions-Policy"]
    # The cached bytes need nothing a later response's header would have to match.
    assert b"nonce" not in cached.content


# --- Nothing in our templates that the policy refuses -----------------------------------------

TAG = re.compile(r"<[a-zA-Z][^<>]*>")
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.I)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)
# Data blocks are never run, so the policy leaves them alone.
DATA_BLOCK = re.compile(r"""type\s*=\s*["']application/(ld\+)?json["']""", re.I)


def inline_code(folder: Path) -> list[str]:
    """Each style attribute, ``<style>`` element, inline script, event attribute and
    ``javascript:`` address in the templates under ``folder``, as ``file:line: what``."""
    found = []
    for path in sorted(folder.rglob("*.html")):
        text = path.read_text(encoding="utf-8")

        def at(offset: int, what: str, text=text, path=path) -> None:
            line = text.count("\n", 0, offset) + 1
            found.append(f"{path.relative_to(folder)}:{line}: {what}")

        for tag in TAG.finditer(text):
            if STYLE_ATTRIBUTE.search(tag.group()):
                at(tag.start(), "a style attribute")
            if EVENT_ATTRIBUTE.search(tag.group()):
                at(tag.start(), "an event-handler attribute")
        for match in re.finditer(r"<style[\s>]", text, re.I):
            at(match.start(), "a <style> element")
        for script in SCRIPT_TAG.finditer(text):
            if "src=" not in script.group() and not DATA_BLOCK.search(script.group()):
                at(script.start(), "an inline <script>")
        for match in re.finditer(r"javascript:", text, re.I):
            at(match.start(), "a javascript: address")
    return found


def test_no_template_has_inline_style_or_script():
    assert inline_code(TEMPLATES) == []


def test_the_scan_sees_each_kind_of_inline_code(tmp_path):
    (tmp_path / "bad.html").write_text(
        '<p style="color: red">x</p>\n<style>p {}</style>\n<script>go()</script>\n'
        '<button onclick="go()">go</button>\n<a href="javascript:go()">go</a>\n'
        '<script src="/static/js/ok.js"></script>\n'
        '<script type="application/json" id="data">{}</script>\n',
        encoding="utf-8",
    )
    assert [line.split(": ", 1)[1] for line in inline_code(tmp_path)] == [
        "a style attribute",
        "an event-handler attribute",
        "a <style> element",
        "an inline <script>",
        "a javascript: address",
    ]


def test_no_admin_turns_off_both_action_bars():
    """Django's change list then writes a <style> element of its own (admin/change_list.html),
    which the policy refuses; keep one of the two bars."""
    both_off = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if not model_admin.actions_on_top and not model_admin.actions_on_bottom
    ]
    assert both_off == []


# --- Brand colours as a stylesheet ------------------------------------------------------------


def _sheet_address(page: str) -> str:
    return re.search(r'<link rel="stylesheet" href="(/brands\.css\?v=[^"]+)">', page).group(1)


@pytest.mark.django_db
def test_a_brand_page_takes_its_colour_from_the_brand_sheet(hanshan):
    county = hanshan.committee
    page = Client().get(f"/{county.slug}/").content.decode()
    assert f'class="public brand-{county.pk}"' in page
    sheet = Client().get(_sheet_address(page))
    assert sheet["Content-Type"] == "text/css; charset=utf-8"
    assert sheet["Cache-Control"] == "public, max-age=31536000, immutable"
    rule = f".brand-{county.pk}{{--brand:{county.brand_colour};--on-brand:#ffffff}}"
    assert rule in sheet.content.decode()


@pytest.mark.django_db
def test_a_changed_colour_changes_the_sheets_address(hanshan, login):
    county = hanshan.committee
    before = _sheet_address(Client().get(f"/{county.slug}/").content.decode())
    response = login(hanshan.staff).post(
        reverse("admin:workstations_committee_change", args=[county.pk]),
        {
            "brand_name": county.brand_name,
            "brand_colour": "#ffd54f",
            "slogan": "",
            "intro": "",
            "messages_close_after_days": county.messages_close_after_days,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = _sheet_address(Client().get(f"/{county.slug}/").content.decode())
    assert after != before
    # A light colour gets dark text.
    assert (
        f".brand-{county.pk}{{--brand:#ffd54f;--on-brand:#111111}}"
        in Client().get(after).content.decode()
    )


@pytest.mark.django_db
def test_an_old_or_made_up_address_gets_todays_sheet_briefly(hanshan):
    response = Client().get("/brands.css?v=made-up")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert f".brand-{hanshan.committee.pk}{{" in response.content.decode()


@pytest.mark.django_db
def test_only_a_colour_reaches_the_sheet(hanshan):
    Committee.objects.filter(pk=hanshan.committee.pk).update(brand_colour="red}*{x")
    sheet = Client().get("/brands.css").content.decode()
    assert f".brand-{hanshan.committee.pk}{{" not in sheet
    assert "red" not in sheet


@pytest.mark.django_db
def test_linking_the_sheet_costs_no_query(hanshan, django_assert_num_queries):
    with django_assert_num_queries(0):
        link = Template("{% load brand_styles %}{% brand_stylesheet %}").render(Context())
    assert link.startswith('<link rel="stylesheet" href="/brands.css?v=')


@pytest.mark.django_db
def test_a_flushed_cache_never_reuses_an_address(hanshan):
    from django.core.cache import cache

    first = styles.sheet_version()
    cache.clear()
    assert styles.sheet_version() != first  # the version starts at 1 again, the epoch does not


# --- Photos from wherever the storage puts them ------------------------------------------------

S3_SETUPS = {
    "a local MinIO, path-style": {"S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
    "virtual-hosted, a private bucket": {
        "S3_ENDPOINT_URL": "https://oss.example.org",
        "S3_ADDRESSING_STYLE": "virtual",
        "S3_PRIVATE_BUCKET": "shangliang-private",
    },
    "AWS in a region": {"S3_REGION": "cn-northwest-1"},
    "AWS without a region": {},
    "a public address in front": {
        "S3_PUBLIC_URL": "https://img.example.org/photos",
        "S3_ENDPOINT_URL": "http://10.0.0.5:9000",
    },
}


@pytest.mark.parametrize("variables", S3_SETUPS.values(), ids=S3_SETUPS.keys())
def test_img_src_allows_the_origin_of_every_address_the_storages_give(variables, monkeypatch):
    from storages.backends.s3 import S3Storage

    for name in [k for k in os.environ if k.startswith("S3_")]:
        monkeypatch.delenv(name)
    for name, value in {
        "S3_BUCKET": "shangliang",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        **variables,
    }.items():
        monkeypatch.setenv(name, value)
    found, _files = engines.storages(environ.Env(), ROOT)
    origins = headers.media_origins("/media/", found)
    for alias in ("default", "private"):
        address = S3Storage(**found[alias]["OPTIONS"]).url("activities/2025/photo.jpg")
        assert headers.origin(address) in origins, (alias, address, origins)


def test_img_src_allows_an_absolute_media_url_and_nothing_for_a_path():
    local = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    assert headers.media_origins("https://media.example.org/m/", local) == [
        "https://media.example.org"
    ]
    assert headers.media_origins("/media/", local) == []
    assert headers.media_origins(settings.MEDIA_URL, settings.STORAGES) == []


# --- Production settings (check --deploy: tests/test_deploy.py) -------------------------------

PRODUCTION_WITH_S3 = {
    **PRODUCTION_ENV,
    "S3_BUCKET": "shangliang",
    "S3_PRIVATE_BUCKET": "shangliang-private",
    "S3_ENDPOINT_URL": "https://s3.internal.example.org:9000",
    "S3_PUBLIC_URL": "https://img.example.org/photos",
    "S3_ACCESS_KEY_ID": "key",
    "S3_SECRET_ACCESS_KEY": "secret",
}


def test_production_img_src_names_the_public_address_and_the_private_bucket():
    # `check --deploy` with these settings is tests/test_deploy.py's (it needs the engines to
    # answer); here the settings load with photos in a bucket, and name its origins.
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings;"
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))",
        env=PRODUCTION_WITH_S3,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "'self'",
        "data:",
        "blob:",
        "https://img.example.org",
        "https://s3.internal.example.org:9000",
    ]
