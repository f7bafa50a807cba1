"""Every workspace address × every role × both counties: who may and who may not.

Rules (see config/me/access.py): anonymous → the sign-in page; an account without
a serving member (office staff) → 403; inside the workspace anything that is not yours to see
(another member's log, a workstation you do not sit in or do not convene, another county) → 404.
"""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import PERSONAS

from .conftest import activity_post, upload

pytestmark = pytest.mark.django_db

# Of the shared personas (tests/personas.py): the author of the records (``member``), the
# others of the same workstation, of the other workstation and of another county, and staff.
MATRIX_PERSONAS = [
    "anonymous",
    "member",
    "peer",
    "far",
    "convener",
    "other_convener",
    "staff",
    "other_county_staff",
    "other_county_member",
]
assert set(MATRIX_PERSONAS) <= set(PERSONAS)

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
MEMBERS = ("member", "peer", "far", "convener", "other_convener", "other_county_member")


def everyone(code, *, staff=FORBIDDEN):
    """The same answer for every member; staff get ``staff``; anonymous is sent to sign in."""
    expected = dict.fromkeys(MEMBERS, code)
    expected.update(anonymous="login", staff=staff, other_county_staff=staff)
    return expected


def only(code, who, *, others=NOT_FOUND):
    expected = dict.fromkeys(MEMBERS, others)
    expected.update(dict.fromkeys(who, code))
    expected.update(anonymous="login", staff=FORBIDDEN, other_county_staff=FORBIDDEN)
    return expected


# (name, method, kwargs builder, data builder, expected per persona)
CASES = [
    ("me:desk", "get", None, None, everyone(OK)),
    ("me:activity_list", "get", None, None, everyone(OK)),
    ("me:activity_start", "get", None, None, everyone(REDIRECT)),
    (
        "me:activity_new",
        "get",
        lambda o: {"workstation": o.ws.pk},
        None,
        only(OK, ("member", "peer", "convener")),
    ),
    (
        "me:activity_new",
        "post",
        lambda o: {"workstation": o.ws.pk},
        lambda o: activity_post(o.hanshan),
        only(REDIRECT, ("member", "peer", "convener")),
    ),
    ("me:activity_detail", "get", lambda o: {"pk": o.draft.pk}, None, only(OK, ("member",))),
    ("me:activity_edit", "get", lambda o: {"pk": o.draft.pk}, None, only(OK, ("member",))),
    (
        "me:activity_edit",
        "post",
        lambda o: {"pk": o.draft.pk},
        lambda o: activity_post(o.hanshan),
        only(REDIRECT, ("member",)),
    ),
    (
        "me:activity_submit",
        "post",
        lambda o: {"pk": o.draft.pk},
        None,
        only(REDIRECT, ("member",)),
    ),
    ("me:queue", "get", None, None, everyone(OK)),
    ("me:review", "get", lambda o: {"pk": o.submitted.pk}, None, only(OK, ("convener",))),
    ("me:review", "get", lambda o: {"pk": o.draft.pk}, None, only(OK, ())),
    (
        "me:approve",
        "post",
        lambda o: {"pk": o.submitted.pk},
        None,
        only(REDIRECT, ("convener",)),
    ),
    (
        "me:return",
        "post",
        lambda o: {"pk": o.submitted.pk},
        lambda o: {"comment": "请补充照片"},
        only(REDIRECT, ("convener",)),
    ),
    ("me:consultation_list", "get", None, None, everyone(OK)),
    (
        "me:consultation_open",
        "get",
        lambda o: {"workstation": o.ws.pk},
        None,
        only(OK, ("convener",)),
    ),
    (
        "me:consultation_detail",
        "get",
        lambda o: {"pk": o.consultation.pk},
        None,
        only(OK, ("member", "peer", "convener")),
    ),
    (
        "me:consultation_step",
        "get",
        lambda o: {"pk": o.consultation.pk, "step": 3},
        None,
        only(OK, ("convener",)),
    ),
    (
        "me:consultation_media",
        "post",
        lambda o: {"pk": o.consultation.pk},
        lambda o: {"url": "https://example.org/news/2", "title": "报道"},
        only(REDIRECT, ("convener",)),
    ),
    (
        "me:consultation_report",
        "post",
        lambda o: {"pk": o.consultation.pk},
        None,
        only(REDIRECT, ("convener",)),
    ),
    ("me:outcome_list", "get", None, None, everyone(OK)),
    ("me:outcome_new", "get", None, None, everyone(OK)),
    ("me:outcome_detail", "get", lambda o: {"pk": o.draft_outcome.pk}, None, only(OK, ("member",))),
    ("me:outcome_edit", "get", lambda o: {"pk": o.draft_outcome.pk}, None, only(OK, ("member",))),
    (
        "me:outcome_submit",
        "post",
        lambda o: {"pk": o.draft_outcome.pk},
        None,
        only(REDIRECT, ("member",)),
    ),
    (
        "me:activity_photo_upload",
        "post",
        None,
        lambda o: {"form_token": str(uuid.uuid4()), "photo": upload()},
        everyone(OK),
    ),
    # The manifest and the service worker: fetched by the browser, signed in or not.
    ("me:manifest", "get", None, None, dict.fromkeys(MATRIX_PERSONAS, OK)),
    ("me:service_worker", "get", None, None, dict.fromkeys(MATRIX_PERSONAS, OK)),
    ("accounts:password_change", "get", None, None, everyone(OK, staff=OK)),
]


def _params():
    for name, method, kwargs, data, expected in CASES:
        for persona in MATRIX_PERSONAS:
            yield pytest.param(
                name, method, kwargs, data, persona, expected[persona],
                id=f"{method}-{name}-{persona}",
            )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "method", "kwargs", "data", "persona", "expected"), list(_params())
)
def test_workspace_permissions(world, name, method, kwargs, data, persona, expected):
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    client = Client()
    user = world.users[persona]
    if user is not None:
        # StaffRoleBackend, first in the list, inherits BaseBackend.get_user (which finds nobody),
        # so force_login must be told which backend signs the user in.
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = getattr(client, method)(url, data(world) if data else {})
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    else:
        assert response.status_code == expected, response.content[:300]
