"""The history of every change made in the back office: who, when, what it was before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Membership
from workstations.models import Area

from .conftest import ADMIN_MODELS
from .helpers import changeform_data
from .test_scoping import url

pytestmark = pytest.mark.django_db

# (model, a field a clerk edits, a new value) — staff roles are a superuser's to change.
EDITS = {
    "workstations.committee": ("slogan", "有事好商量"),
    "workstations.area": ("name", "新设镇"),
    "workstations.sector": ("name", "新设界别"),
    "workstations.standard": ("description", "场所面积不少于六十平方米"),
    "workstations.standardcheck": ("note", "制度已上墙"),
    "workstations.workstation": ("address", "环峰镇褒禅路八号"),
    "members.member": ("workplace", "县第二中学"),
    "members.membership": ("role", "deputy"),
    "consultations.activitytype": ("name", "新设活动类型"),
    "consultations.activity": ("place", "村民广场"),
    "consultations.consultation": ("description", "居民反映出行不便"),
    "consultations.publicmessage": ("reply", "已转交住建部门办理"),
    "outcomes.outcome": ("summary", "建议增设公交站点"),
    "outcomes.endorsement": ("text", "请交通局研究办理"),
}
assert set(EDITS) == set(ADMIN_MODELS) - {"members.staffrole"}


def _edit(client, label, obj):
    field, value = EDITS[label]
    data = changeform_data(client.get(url(label, "change", obj.pk)))
    data[field] = value
    response = client.post(url(label, "change", obj.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return value


@pytest.mark.parametrize("label", list(EDITS))
def test_history_shows_the_change_and_who_made_it(label, counties, login):
    client = login(counties.hanshan.staff)
    obj = counties.hanshan.objects[label]
    value = _edit(client, label, obj)

    page = client.get(url(label, "history", obj.pk)).content.decode()

    assert "hanshan_office" in page
    assert value in page


@pytest.mark.parametrize("label", list(EDITS))
def test_history_records_the_user_and_the_record_as_it_was(label, counties, login):
    obj = counties.hanshan.objects[label]
    field, _value = EDITS[label]
    before = getattr(obj, field)
    _edit(login(counties.hanshan.staff), label, obj)

    latest, previous = obj.history.all()[:2]

    assert latest.history_user == counties.hanshan.staff
    assert getattr(previous, field) == before


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_a_version_of_another_countys_object_is_404(label, counties, login):
    other = counties.huimin.objects[label]
    version = other.history.earliest()
    response = login(counties.hanshan.staff).get(
        url(label, "simple_history", other.pk, version.history_id)
    )
    assert response.status_code == 404


def test_a_version_of_an_own_object_opens(counties, login):
    own = counties.hanshan.workstation
    version = own.history.earliest()
    response = login(counties.hanshan.staff).get(
        url("workstations.workstation", "simple_history", own.pk, version.history_id)
    )
    assert response.status_code == 200


def test_reader_cannot_revert_to_an_earlier_version(counties, reader_staff, login):
    own = counties.hanshan.workstation
    version = own.history.earliest()
    version_url = url("workstations.workstation", "simple_history", own.pk, version.history_id)
    data = changeform_data(
        login(counties.hanshan.staff).get(url("workstations.workstation", "change", own.pk))
    )
    data["address"] = "被改写的地址"

    response = login(reader_staff).post(version_url, data)

    assert response.status_code == 403
    own.refresh_from_db()
    assert own.address != "被改写的地址"


def test_inline_change_is_recorded_and_shown_on_the_parents_history(counties, login):
    client = login(counties.hanshan.staff)
    workstation = counties.hanshan.workstation
    change = url("workstations.workstation", "change", workstation.pk)
    data = changeform_data(client.get(change))
    forms = int(data["memberships-INITIAL_FORMS"])
    row = next(
        i
        for i in range(forms)
        if data[f"memberships-{i}-member"] == str(counties.hanshan.member.pk)
    )
    data[f"memberships-{row}-role"] = Membership.Role.DEPUTY
    assert client.post(change, data).status_code == 302

    membership = Membership.objects.get(member=counties.hanshan.member, workstation=workstation)
    assert membership.history.latest().history_user == counties.hanshan.staff
    page = client.get(url("workstations.workstation", "history", workstation.pk))
    (section,) = [s for s in page.context["inline_histories"] if s["opts"].model is Membership]
    assert any(r.history_user == counties.hanshan.staff for r in section["records"])
    assert "hanshan_office" in page.content.decode()


def test_a_deleted_objects_history_stays_with_its_county(counties, login):
    area = counties.hanshan.objects["workstations.area"]
    client = login(counties.hanshan.staff)
    response = client.post(url("workstations.area", "delete", area.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Area.objects.filter(pk=area.pk).exists()

    history = url("workstations.area", "history", area.pk)
    assert client.get(history).status_code == 200
    assert login(counties.huimin.staff).get(history).status_code == 404


def test_history_link_of_an_unknown_id_is_404(counties, login):
    response = login(counties.hanshan.staff).get(
        reverse("admin:workstations_area_history", args=["not-a-number"])
    )
    assert response.status_code == 404
