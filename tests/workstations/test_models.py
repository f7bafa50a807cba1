import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from outcomes.services.setup import committee_seed_defaults
from tests.factories import AreaFactory, CommitteeFactory, SectorFactory, WorkstationFactory
from workstations.models import Committee, Sector, StandardItem, Workstation

pytestmark = pytest.mark.django_db


def test_workstation_slug_is_unique_within_a_committee(hanshan):
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkstationFactory(committee=hanshan.committee, slug=hanshan.workstation.slug)


def test_two_committees_may_use_the_same_workstation_slug(hanshan, huimin):
    WorkstationFactory(committee=huimin.committee, slug=hanshan.workstation.slug)
    assert Workstation.objects.filter(slug=hanshan.workstation.slug).count() == 2


def test_a_county_needs_a_parent_committee():
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.create(name="孤县政协", level="county", slug="lonely")


def test_a_parent_must_be_at_a_higher_level(hanshan):
    county = CommitteeFactory(slug="other", parent=hanshan.committee.parent)
    county.parent = hanshan.committee
    with pytest.raises(ValidationError) as excinfo:
        county.full_clean()
    assert "parent" in excinfo.value.message_dict


def test_a_workstation_cannot_use_another_committees_area(hanshan, huimin):
    ws = WorkstationFactory.build(
        committee=hanshan.committee, area=huimin.workstation.area, slug="x", name="x"
    )
    with pytest.raises(ValidationError) as excinfo:
        ws.full_clean()
    assert "area" in excinfo.value.message_dict


def test_a_sector_workstation_needs_its_sector(hanshan):
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkstationFactory(committee=hanshan.committee, category=Workstation.Category.SECTOR)


def test_sector_names_are_unique_within_a_committee(hanshan):
    SectorFactory(committee=hanshan.committee, name="医药卫生界")
    with pytest.raises(IntegrityError), transaction.atomic():
        Sector.objects.create(committee=hanshan.committee, name="医药卫生界")


def test_area_of_another_committee_cannot_be_a_parent(hanshan, huimin):
    town = AreaFactory(committee=huimin.committee)
    village = AreaFactory.build(committee=hanshan.committee, parent=town, kind="village")
    with pytest.raises(ValidationError):
        village.full_clean()


def test_seeding_defaults_gives_sectors_standards_and_activity_types(hanshan):
    committee_seed_defaults(committee=hanshan.committee)
    assert hanshan.committee.sectors.filter(name="医药卫生界").exists()
    assert (
        StandardItem.objects.filter(
            standard__committee=hanshan.committee, standard__name="六有"
        ).count()
        == 6
    )
    assert hanshan.committee.activity_types.filter(code="micro_lecture").exists()


def test_seeding_defaults_twice_adds_nothing(hanshan):
    committee_seed_defaults(committee=hanshan.committee)
    counts = (hanshan.committee.sectors.count(), hanshan.committee.activity_types.count())
    committee_seed_defaults(committee=hanshan.committee)
    assert (hanshan.committee.sectors.count(), hanshan.committee.activity_types.count()) == counts
