"""Who may see what, across the whole site: every public address × persona × county, and a
guard that every named address of the site is covered by a permission matrix.

The restricted parts have their own matrices, over the same personas and records (the
``world`` fixture of tests/conftest.py):
- the member workspace and sign-in pages: tests/me/test_permissions.py (CASES);
- the staff dashboards: tests/office/test_permissions.py (CASES);
- the back office, model by model: tests/admin/test_scoping.py;
- the private files: tests/storage/test_permissions.py (CASES).

Public pages answer the same to everyone, signed in or not, staff of any county included: what
is published is shown, anything else is a 404, and an object is found only under its own
committee's address (another county's object under this county's address is a 404).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.personas import PERSONAS

TESTS = Path(__file__).resolve().parent
# Public pages answer the same whoever asks: every persona of the shared set.
MATRIX_PERSONAS = [
    "anonymous",
    "member",
    "convener",
    "staff",
    "other_county_staff",
    "city_staff",
    "superuser",
]
assert set(MATRIX_PERSONAS) <= set(PERSONAS)


def ws_kwargs(committee, ws):
    return {"committee": committee.slug, "workstation": ws.slug}


# (address name, kwargs from the world, expected status for every persona)
CASES = [
    ("public:home", lambda w: {}, 200),
    ("public:brand_styles", lambda w: {}, 200),
    ("public:brand_home", lambda w: {"committee": w.c.slug}, 200),
    ("public:brand_home", lambda w: {"committee": "no-such-county"}, 404),
    ("public:search", lambda w: {"committee": w.c.slug}, 200),
    ("public:feed", lambda w: {"committee": w.c.slug}, 200),
    ("public:workstation_list", lambda w: {"committee": w.c.slug}, 200),
    ("public:workstation", lambda w: ws_kwargs(w.c, w.ws), 200),
    ("public:workstation", lambda w: ws_kwargs(w.c, w.hidden_ws), 404),
    ("public:workstation", lambda w: ws_kwargs(w.other, w.ws), 404),
    ("public:workstation_poster", lambda w: ws_kwargs(w.c, w.ws), 200),
    ("public:workstation_poster", lambda w: ws_kwargs(w.c, w.hidden_ws), 404),
    ("public:message_form", lambda w: ws_kwargs(w.c, w.ws), 200),
    ("public:message_form", lambda w: ws_kwargs(w.c, w.hidden_ws), 404),
    # Without its signed code the "sent" page sends the visitor back to the workstation.
    ("public:message_sent", lambda w: ws_kwargs(w.c, w.ws), 302),
    ("public:message_sent", lambda w: ws_kwargs(w.c, w.hidden_ws), 404),
    ("public:activity_list", lambda w: {"committee": w.c.slug}, 200),
    ("public:activity", lambda w: {"committee": w.c.slug, "pk": w.activity.pk}, 200),
    ("public:activity", lambda w: {"committee": w.c.slug, "pk": w.draft.pk}, 404),
    ("public:activity", lambda w: {"committee": w.c.slug, "pk": w.submitted.pk}, 404),
    ("public:activity", lambda w: {"committee": w.c.slug, "pk": w.in_hidden.pk}, 404),
    ("public:activity", lambda w: {"committee": w.other.slug, "pk": w.activity.pk}, 404),
    ("public:consultation", lambda w: {"committee": w.c.slug, "pk": w.consultation.pk}, 200),
    (
        "public:consultation",
        lambda w: {"committee": w.c.slug, "pk": w.hidden_consultation.pk},
        404,
    ),
    ("public:consultation", lambda w: {"committee": w.other.slug, "pk": w.consultation.pk}, 404),
    ("public:outcome_list", lambda w: {"committee": w.c.slug}, 200),
    ("public:outcome", lambda w: {"committee": w.c.slug, "pk": w.outcome.pk}, 200),
    ("public:outcome", lambda w: {"committee": w.c.slug, "pk": w.draft_outcome.pk}, 404),
    ("public:outcome", lambda w: {"committee": w.other.slug, "pk": w.outcome.pk}, 404),
    ("public:member", lambda w: {"committee": w.c.slug, "member": w.member.pk}, 200),
    ("public:member", lambda w: {"committee": w.c.slug, "member": w.hidden_member.pk}, 404),
    ("public:member", lambda w: {"committee": w.other.slug, "member": w.member.pk}, 404),
    ("public:member_card", lambda w: {"committee": w.c.slug, "member": w.member.pk}, 200),
    ("public:member_card", lambda w: {"committee": w.c.slug, "member": w.hidden_member.pk}, 404),
    ("public:track", lambda w: {}, 200),
    # A visitor already signed in is sent on (members to their desk).
    ("accounts:login", lambda w: {}, {"anonymous": 200, "*": 302}),
    ("accounts:password_reset", lambda w: {}, 200),
    ("accounts:password_change_done", lambda w: {}, {"anonymous": 302, "*": 200}),
    ("accounts:password_reset_done", lambda w: {}, 200),
    ("accounts:password_reset_complete", lambda w: {}, 200),
    ("sitemap", lambda w: {}, 200),
    ("healthz", lambda w: {}, 200),
    ("healthz_ready", lambda w: {}, 200),
    ("switch_language", lambda w: {}, 302),
    ("switch_text_size", lambda w: {}, 302),
]


def _params() -> list:
    params = []
    for index, (name, kwargs, expected) in enumerate(CASES):
        for persona in MATRIX_PERSONAS:
            code = expected.get(persona, expected["*"]) if isinstance(expected, dict) else expected
            params.append(pytest.param(name, kwargs, persona, code, id=f"{index}-{name}-{persona}"))
    return params


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "persona", "expected"), _params())
def test_public_pages(world, name, kwargs, persona, expected):
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs(world)))
    assert response.status_code == expected


@pytest.mark.django_db
def test_nothing_unpublished_is_named_on_the_brand_home(world):
    page = Client().get(reverse("public:brand_home", kwargs={"committee": world.c.slug}))
    text = page.content.decode()
    for hidden in (world.hidden_ws.name, world.draft.title, world.submitted.title,
                   world.in_hidden.title, world.draft_outcome.title,
                   world.hidden_member.name):  # fmt: skip
        assert hidden not in text


# --- every address is in some matrix -------------------------------------------------------

# Addresses whose permission is tested elsewhere, or that need no matrix, and why.
NOT_IN_A_MATRIX = {
    "public:message_rate": "POST only; tests/portal/test_messages.py (rating rules)",
    "sitemap_section": "the sections of the sitemap index; tests/portal/test_pages.py",
    "set_language": "Django's own view",
    "office:index": "a redirect to the user's committee; its own persona tests in "
    "tests/office/test_permissions.py",
    "accounts:logout": "POST only; signs the caller out, nothing to protect",
    "accounts:password_reset_confirm": "token in the address; tests/me/test_accounts.py",
}


def _site_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace != "admin":  # the back office: tests/admin/, model by model
                    walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns)
    return names


def _names_in(path: Path) -> set[str]:
    """The address names listed in a module's CASES (the first item of each tuple)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "CASES" for t in node.targets
        ):
            return {
                case.elts[0].value
                for case in node.value.elts
                if isinstance(case, ast.Tuple) and isinstance(case.elts[0], ast.Constant)
            }
    return set()


def test_every_address_of_the_site_is_in_a_permission_matrix():
    covered = {name for name, *_rest in CASES} | set(NOT_IN_A_MATRIX)
    for matrix in (
        TESTS / "me" / "test_permissions.py",
        TESTS / "office" / "test_permissions.py",
        TESTS / "storage" / "test_permissions.py",
    ):
        covered |= _names_in(matrix)
    missing = sorted(_site_names() - covered)
    assert not missing, f"addresses without a permission case: {missing}"
