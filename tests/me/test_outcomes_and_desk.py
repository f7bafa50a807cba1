"""Outcomes members submit and follow; the desk."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Activity
from outcomes.models import Outcome
from tests.factories import EndorsementFactory, OutcomeEventFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def _outcome_post(**overrides):
    data = {
        "form_token": str(uuid.uuid4()),
        "kind": Outcome.Kind.PUBLIC_OPINION,
        "title": "关于农村客运班线的建议",
        "summary": "部分行政村没有公交，群众出行难。",
        "body": "",
        "workstation": "",
        "consultation": "",
        "submitted_to": "县政协办公室",
        "action": "submit",
    }
    data.update(overrides)
    return data


def test_member_submits_public_opinion_information_with_a_co_author(ws, login):
    client = login(ws.member.user)
    data = _outcome_post(co_authors=[ws.peer.pk], workstation=ws.workstation.pk)
    response = client.post(reverse("me:outcome_new"), data)
    outcome = Outcome.objects.get()
    assert response["Location"] == reverse("me:outcome_detail", kwargs={"pk": outcome.pk})
    assert outcome.status == Outcome.Status.SUBMITTED
    assert outcome.submitted_on == timezone.localdate()
    assert set(outcome.authors.all()) == {ws.member, ws.peer}
    client.post(reverse("me:outcome_new"), data)  # a double tap
    assert Outcome.objects.count() == 1
    # The co-author sees it among their outcomes.
    page = login(ws.peer.user).get(reverse("me:outcome_list"))
    assert outcome in page.context["outcomes"]


def test_co_authors_come_from_the_members_own_committee(ws, huimin, login):
    response = login(ws.member.user).post(
        reverse("me:outcome_new"), _outcome_post(co_authors=[huimin.member.pk])
    )
    assert response.status_code == 200
    assert "co_authors" in response.context["form"].errors


def test_the_trail_shows_what_became_of_it(ws, login):
    outcome = OutcomeFactory(committee=ws.committee, authors=[ws.member])
    OutcomeEventFactory(outcome=outcome, adopted_by="县委办")
    EndorsementFactory(outcome=outcome, leader="张某某", text="请认真研究落实。")
    html = (
        login(ws.member.user)
        .get(reverse("me:outcome_detail", kwargs={"pk": outcome.pk}))
        .content.decode()
    )
    assert "县委办" in html and "请认真研究落实。" in html


def test_a_submitted_outcome_cannot_be_edited(ws, login):
    outcome = OutcomeFactory(committee=ws.committee, authors=[ws.member], title="原标题")
    client = login(ws.member.user)
    url = reverse("me:outcome_edit", kwargs={"pk": outcome.pk})
    assert client.get(url)["Location"] == reverse("me:outcome_detail", kwargs={"pk": outcome.pk})
    client.post(url, _outcome_post(title="改"))
    outcome.refresh_from_db()
    assert outcome.title == "原标题"


def test_the_desk_shows_rhythm_logs_outcomes_and_points(ws, login, make_activity):
    make_activity(status=Activity.Status.SUBMITTED, date=timezone.localdate())
    OutcomeFactory(committee=ws.committee, authors=[ws.member], title="我的社情民意")
    response = login(ws.member.user).get(reverse("me:desk"))
    assert response.status_code == 200
    rhythm = response.context["rhythm"]
    assert [r.workstation for r in rhythm] == [ws.workstation]
    lights = rhythm[0].lights
    assert len(lights) == 3
    assert lights[0].done is True  # a submitted activity dated this month
    assert lights[1].done is False and lights[2].done is False
    html = response.content.decode()
    assert "我的社情民意" in html
    assert response.context["points"].year == timezone.localdate().year


def test_the_desk_uses_the_committees_rhythm_rules_when_it_has_them(ws, login, make_activity):
    from outcomes.services.setup import committee_seed_rhythm

    committee_seed_rhythm(committee=ws.committee)
    make_activity(status=Activity.Status.APPROVED, date=timezone.localdate())
    response = login(ws.member.user).get(reverse("me:desk"))
    lights = response.context["rhythm"][0].lights
    assert lights and lights[0].done is True


def test_a_convener_sees_how_many_logs_wait_for_them(ws, login, make_activity):
    make_activity(status=Activity.Status.SUBMITTED)
    response = login(ws.convener.user).get(reverse("me:desk"))
    assert response.context["waiting_count"] == 1
    assert reverse("me:queue") in response.content.decode()


def test_staff_without_a_member_record_get_a_way_to_the_back_office(ws, login):
    response = login(ws.staff).get(reverse("me:desk"))
    assert response.status_code == 403
    assert reverse("admin:index") in response.content.decode()


def test_points_show_once_the_committee_has_rules(ws, login, make_activity):
    from outcomes.services.setup import committee_seed_rhythm

    client = login(ws.member.user)
    assert client.get(reverse("me:desk")).context["points"].has_rules is False
    committee_seed_rhythm(committee=ws.committee)
    make_activity(status=Activity.Status.APPROVED, participants=[ws.member])
    points = client.get(reverse("me:desk")).context["points"]
    assert points.has_rules is True
    assert points.total > 0
    assert points.recent
