"""Every admin × persona: a committee's staff see, open and pick only their committee's subtree."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from workstations.models import Committee

from .conftest import ADMIN_MODELS
from .helpers import changeform_data, relation_fields

pytestmark = pytest.mark.django_db

# Models a county's office may add to (the others are a superuser's, or come from the public).
ADDABLE = [
    m
    for m in ADMIN_MODELS
    if m not in ("workstations.committee", "members.staffrole", "consultations.publicmessage")
]


def url(label: str, view: str, *args) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def listed(client, label):
    response = client.get(url(label, "changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].queryset)


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_changelist_lists_own_rows_and_not_another_countys(label, counties, login):
    rows = listed(login(counties.hanshan.staff), label)
    assert counties.hanshan.objects[label] in rows
    assert counties.huimin.objects[label] not in rows


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_city_staff_see_the_county_below(label, counties, city_staff, login):
    rows = listed(login(city_staff), label)
    assert counties.hanshan.objects[label] in rows
    assert counties.huimin.objects[label] not in rows


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_superuser_sees_every_county(label, counties, superuser, login):
    rows = listed(login(superuser), label)
    assert {counties.hanshan.objects[label], counties.huimin.objects[label]} <= rows


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_own_object_opens(label, counties, login):
    own = counties.hanshan.objects[label]
    assert login(counties.hanshan.staff).get(url(label, "change", own.pk)).status_code == 200


@pytest.mark.parametrize("view", ["change", "delete", "history"])
@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_another_countys_object_by_direct_url_is_404(label, view, counties, login):
    other = counties.huimin.objects[label]
    assert login(counties.hanshan.staff).get(url(label, view, other.pk)).status_code == 404


def _owned_by_huimin(model, huimin):
    if model is Committee:
        return Committee.objects.filter(slug__in=["huimin", "binzhou", "shandong"])
    if model is get_user_model():
        return model.objects.filter(username__startswith="huimin")
    return model.objects.for_committee(huimin.committee)


@pytest.mark.parametrize("label", ADDABLE)
def test_add_form_offers_no_choice_from_another_county(label, counties, login):
    response = login(counties.hanshan.staff).get(url(label, "add"))
    assert response.status_code == 200
    fields = relation_fields(response)
    assert fields, "the add form picks nothing; the test checks nothing"
    for name, field in fields:
        foreign = _owned_by_huimin(field.queryset.model, counties.huimin)
        assert not field.queryset.filter(pk__in=foreign.values("pk")).exists(), name


def test_member_account_choices_are_accounts_of_the_county(counties, login):
    response = login(counties.hanshan.staff).get(url("members.member", "add"))
    users = response.context["adminform"].form.fields["user"].queryset
    assert counties.hanshan.member.user in users
    assert counties.huimin.member.user not in users


# (model, field, what to point it at in 惠民)
FOREIGN_POINTERS = [
    ("workstations.area", "committee", lambda h: h.committee),
    ("workstations.sector", "committee", lambda h: h.committee),
    ("workstations.standard", "committee", lambda h: h.committee),
    ("workstations.standardcheck", "workstation", lambda h: h.workstation),
    ("workstations.workstation", "committee", lambda h: h.committee),
    ("workstations.workstation", "area", lambda h: h.workstation.area),
    ("members.member", "committee", lambda h: h.committee),
    ("members.member", "sector", lambda h: h.objects["workstations.sector"]),
    ("members.membership", "workstation", lambda h: h.workstation),
    ("members.membership", "member", lambda h: h.member),
    ("consultations.activitytype", "committee", lambda h: h.committee),
    ("consultations.activity", "workstation", lambda h: h.workstation),
    ("consultations.activity", "participants", lambda h: [h.member]),
    ("consultations.consultation", "workstation", lambda h: h.workstation),
    ("outcomes.outcome", "committee", lambda h: h.committee),
    ("outcomes.outcome", "authors", lambda h: [h.member]),
    ("outcomes.endorsement", "outcome", lambda h: h.objects["outcomes.outcome"]),
]


@pytest.mark.parametrize(("label", "field", "target"), FOREIGN_POINTERS)
def test_saving_a_pointer_into_another_county_is_refused(label, field, target, counties, login):
    client = login(counties.hanshan.staff)
    own = counties.hanshan.objects[label]
    data = changeform_data(client.get(url(label, "change", own.pk)))
    value = target(counties.huimin)
    data[field] = [str(v.pk) for v in value] if isinstance(value, list) else str(value.pk)

    response = client.post(url(label, "change", own.pk), data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    before = set(getattr(own, field).all()) if isinstance(value, list) else getattr(own, field)
    own.refresh_from_db()
    after = set(getattr(own, field).all()) if isinstance(value, list) else getattr(own, field)
    assert after == before


def test_an_inline_membership_with_another_countys_member_is_refused(counties, login):
    client = login(counties.hanshan.staff)
    workstation = counties.hanshan.workstation
    change = url("workstations.workstation", "change", workstation.pk)
    data = changeform_data(client.get(change))
    data["memberships-0-member"] = str(counties.huimin.member.pk)

    response = client.post(change, data)

    assert response.status_code == 200
    assert not workstation.memberships.filter(member=counties.huimin.member).exists()


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_reader_cannot_change(label, counties, reader_staff, login):
    client = login(reader_staff)
    own = counties.hanshan.objects[label]
    data = changeform_data(login(counties.hanshan.staff).get(url(label, "change", own.pk)))

    response = client.post(url(label, "change", own.pk), data)

    assert response.status_code == 403


@pytest.mark.parametrize("label", ADDABLE)
def test_reader_cannot_add(label, counties, reader_staff, login):
    assert login(reader_staff).get(url(label, "add")).status_code == 403


def test_autocomplete_offers_only_the_countys_members(counties, login):
    response = login(counties.hanshan.staff).get(
        reverse("admin:autocomplete"),
        {"app_label": "consultations", "model_name": "activity", "field_name": "participants"},
    )
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert counties.hanshan.member.pk in ids
    assert counties.huimin.member.pk not in ids


def test_filter_sidebar_lists_only_the_countys_areas(counties, city_staff, login):
    response = login(counties.hanshan.staff).get(url("workstations.workstation", "changelist"))
    area_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == "area"
    )
    offered = {pk for pk, _label in area_filter.lookup_choices}
    assert counties.hanshan.workstation.area_id in offered
    assert counties.huimin.workstation.area_id not in offered
