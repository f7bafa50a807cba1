"""Every workspace address × every role × both counties: who may and who may not.

Rules (see consultations/workspace/access.py): anonymous → the sign-in page; an account without
a serving member (office staff) → 403; inside the workspace anything that is not yours to see
(another member's log, a workstation you do not sit in or do not convene, another county) → 404.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import Activity
from tests.factories import ConsultationFactory, OutcomeFactory

from .conftest import activity_post

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "member",  # the author of the log, resident member of the workstation
    "peer",  # another member of the same workstation
    "far",  # a member of another workstation of the same county
    "convener",  # convener of the workstation
    "other_convener",  # convener of another workstation of the same county
    "staff",  # office staff of the county
    "other_staff",  # office staff of another county
    "other_county_member",  # a member in another county
]

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
MEMBERS = ("member", "peer", "far", "convener", "other_convener", "other_county_member")


def everyone(code, *, staff=FORBIDDEN):
    """The same answer for every member; staff get ``staff``; anonymous is sent to sign in."""
    expected = dict.fromkeys(MEMBERS, code)
    expected.update(anonymous="login", staff=staff, other_staff=staff)
    return expected


def only(code, who, *, others=NOT_FOUND):
    expected = dict.fromkeys(MEMBERS, others)
    expected.update(dict.fromkeys(who, code))
    expected.update(anonymous="login", staff=FORBIDDEN, other_staff=FORBIDDEN)
    return expected


# (name, method, kwargs builder, data builder, expected per persona)
CASES = [
    ("me:desk", "get", None, None, everyone(OK)),
    ("me:activity_list", "get", None, None, everyone(OK)),
    ("me:activity_start", "get", None, None, everyone(REDIRECT)),
    (
        "me:activity_new",
        "get",
        lambda o: {"workstation": o.ws.workstation.pk},
        None,
        only(OK, ("member", "peer", "convener")),
    ),
    (
        "me:activity_new",
        "post",
        lambda o: {"workstation": o.ws.workstation.pk},
        lambda o: activity_post(o.ws),
        only(REDIRECT, ("member", "peer", "convener")),
    ),
    ("me:activity_detail", "get", lambda o: {"pk": o.draft.pk}, None, only(OK, ("member",))),
    ("me:activity_edit", "get", lambda o: {"pk": o.draft.pk}, None, only(OK, ("member",))),
    (
        "me:activity_edit",
        "post",
        lambda o: {"pk": o.draft.pk},
        lambda o: activity_post(o.ws),
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
        lambda o: {"workstation": o.ws.workstation.pk},
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
    ("me:outcome_detail", "get", lambda o: {"pk": o.outcome.pk}, None, only(OK, ("member",))),
    ("me:outcome_edit", "get", lambda o: {"pk": o.outcome.pk}, None, only(OK, ("member",))),
    (
        "me:outcome_submit",
        "post",
        lambda o: {"pk": o.outcome.pk},
        None,
        only(REDIRECT, ("member",)),
    ),
    ("accounts:password_change", "get", None, None, everyone(OK, staff=OK)),
]


def _params():
    for name, method, kwargs, data, expected in CASES:
        for persona in PERSONAS:
            yield pytest.param(
                name, method, kwargs, data, persona, expected[persona],
                id=f"{method}-{name}-{persona}",
            )  # fmt: skip


class World:
    def __init__(self, ws, huimin, make_activity):
        self.ws = ws
        self.huimin = huimin
        self.draft = make_activity(status=Activity.Status.DRAFT, description="草稿")
        self.submitted = make_activity(status=Activity.Status.SUBMITTED)
        self.consultation = ConsultationFactory(workstation=ws.workstation)
        self.outcome = OutcomeFactory(
            committee=ws.committee,
            workstation=ws.workstation,
            status="draft",
            submitted_on=None,
            authors=[ws.member],
        )

    def user(self, persona):
        return {
            "anonymous": None,
            "member": self.ws.member.user,
            "peer": self.ws.peer.user,
            "far": self.ws.far.user,
            "convener": self.ws.convener.user,
            "other_convener": self.ws.other_member.user,
            "staff": self.ws.staff,
            "other_staff": self.huimin.staff,
            "other_county_member": self.huimin.member.user,
        }[persona]


@pytest.mark.parametrize(
    ("name", "method", "kwargs", "data", "persona", "expected"), list(_params())
)
def test_workspace_permissions(
    ws, huimin, make_activity, name, method, kwargs, data, persona, expected
):
    world = World(ws, huimin, make_activity)
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    client = Client()
    user = world.user(persona)
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
