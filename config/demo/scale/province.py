"""The province's committees and accounts: 安徽 with its brand, the cities and counties to be
generated, each county with the set-up a new county gets (sectors, standards, activity types,
the rhythm, point rules, assessment criteria), and the province's office account.

The set-up is what ``committee_seed_defaults`` gives: it runs for the first new county, and the
others get copies of that county's rows (a few hundred queries per county through the service,
against a handful of bulk inserts for all of them).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from consultations.models import ActivityType
from outcomes.models import AssessmentCriterion, PointRule, Requirement
from outcomes.services.setup import committee_seed_defaults
from workstations.models import Committee, Sector, Standard, StandardItem

from ..builder import _ensure_staff
from . import words
from .plan import PROVINCE, PROVINCE_OFFICE

COLOURS = ["#b71c1c", "#0d47a1", "#1b5e20", "#e65100", "#4a148c", "#006064", "#3e2723"]


@dataclass
class CountySetup:
    """What the records of one county point at."""

    committee: Committee
    short: str  # 龙泉县
    sectors: dict[str, int] = field(default_factory=dict)  # name → id
    types: dict[str, int] = field(default_factory=dict)  # code → id
    standard_items: list[int] = field(default_factory=list)


def province_brand(province: Committee) -> None:
    """Give the province its brand, so that /anhui/ is a brand's page."""
    if not province.brand_name:
        province.brand_name = words.PROVINCE_BRAND
        province.slogan = words.PROVINCE_SLOGAN
        province.save(update_fields=["brand_name", "slogan"])


def province_office(province: Committee):
    """The province's office administrator (``anhui_office``), with the demo's password."""
    user, _created = _ensure_staff(province, PROVINCE_OFFICE)
    return user


def _unique_names(rng: random.Random, count: int, taken: set[str], suffix: str) -> list[str]:
    names = []
    while len(names) < count:
        name = rng.choice(words.PLACE_FIRST) + rng.choice(words.PLACE_SECOND) + suffix
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def create_cities_and_counties(
    *, province: Committee, cities: int, counties: int, rng: random.Random
) -> list[Committee]:
    """Cities up to ``cities`` (the demo's first) and new counties up to ``counties`` in the
    province, shared out over its cities; returns the new counties."""
    existing_cities = list(province.children.filter(level=Committee.Level.CITY).order_by("pk"))
    for city in existing_cities:
        if not city.brand_name:  # the demo's cities: their pages roll up their counties
            city.brand_name = f"{city.name.removesuffix('市政协')}协商"
            city.save(update_fields=["brand_name"])
    taken_slugs = set(Committee.objects.values_list("slug", flat=True))
    new_cities = []
    for slug, name in words.CITIES[: max(0, cities - len(existing_cities))]:
        if slug in taken_slugs:
            continue
        taken_slugs.add(slug)
        new_cities.append(
            Committee(
                name=f"{name}市政协",
                slug=slug,
                level=Committee.Level.CITY,
                parent=province,
                brand_name=f"{name}协商",
                brand_colour=rng.choice(COLOURS),
                intro=f"{name}市政协统筹全市委员工作室建设，推动协商议事向基层延伸。",
            )
        )
    for city in new_cities:
        city.full_clean()
    # New cities first: in a tiny province the one new city still gets a county.
    all_cities = [*Committee.objects.bulk_create(new_cities), *existing_cities]
    existing_counties = Committee.objects.filter(parent__in=all_cities).count()
    wanted = max(0, counties - existing_counties)
    taken_names = {n.removesuffix("政协") for n in Committee.objects.values_list("name", flat=True)}
    new_counties = []
    per_city: dict[int, int] = defaultdict(int)
    for i in range(wanted):
        city = all_cities[i % len(all_cities)]
        per_city[city.pk] += 1
        short = _unique_names(rng, 1, taken_names, rng.choice("县县县区"))[0]
        slug = f"{city.slug}-{per_city[city.pk]:02d}"
        while slug in taken_slugs:
            slug += "x"
        taken_slugs.add(slug)
        new_counties.append(
            Committee(
                name=f"{short}政协",
                slug=slug,
                level=Committee.Level.COUNTY,
                parent=city,
                brand_name=rng.choice(words.BRAND_PATTERNS).format(short=short[:2]),
                slogan="有事好商量，众人的事情由众人商量",
                brand_colour=rng.choice(COLOURS),
                intro=f"{short}政协推进委员工作室全覆盖，委员就近入室、常态履职。",
                address=f"{short}政协委员服务中心",
            )
        )
    for county in new_counties:
        county.clean_fields(exclude=["parent"])
    return Committee.objects.bulk_create(new_counties, batch_size=500)


# The models of a county's set-up, in the order they point at each other, with the path from
# each to its committee.
SETUP_MODELS = [
    (Sector, "committee"),
    (Standard, "committee"),
    (StandardItem, "standard__committee"),
    (ActivityType, "committee"),
    (Requirement, "committee"),
    (PointRule, "committee"),
    (AssessmentCriterion, "committee"),
]


def seed_counties(counties: list[Committee]) -> None:
    """The set-up of a new county for each of ``counties``: the service for the first, copies
    of its rows for the others."""
    if not counties:
        return
    template, others = counties[0], counties[1:]
    committee_seed_defaults(committee=template)
    if not others:
        return
    new_ids: dict[type, dict[tuple[int, int], int]] = {}  # model → (old id, county) → new id
    for model, path in SETUP_MODELS:
        rows = list(model.objects.filter(**{path: template}).order_by("pk"))
        copies, origin = [], []
        for county in others:
            for row in rows:
                values = {
                    f.attname: getattr(row, f.attname)
                    for f in model._meta.concrete_fields
                    if not f.primary_key
                }
                for f in model._meta.concrete_fields:
                    if not f.is_relation or values.get(f.attname) is None:
                        continue
                    if f.related_model is Committee:
                        values[f.attname] = county.pk
                    elif f.related_model in new_ids:
                        values[f.attname] = new_ids[f.related_model][values[f.attname], county.pk]
                copies.append(model(**values))
                origin.append((row.pk, county.pk))
        created = model.objects.bulk_create(copies, batch_size=2000)
        new_ids[model] = {key: obj.pk for key, obj in zip(origin, created, strict=True)}
    through = Requirement.activity_types.through
    links = list(through.objects.filter(requirement__committee=template))
    through.objects.bulk_create(
        [
            through(
                requirement_id=new_ids[Requirement][link.requirement_id, county.pk],
                activitytype_id=new_ids[ActivityType][link.activitytype_id, county.pk],
            )
            for county in others
            for link in links
        ]
    )


def county_setup(committees: list[Committee]) -> dict[int, CountySetup]:
    """Sectors, activity types and standard items of each of these counties, read at once."""
    setups = {c.pk: CountySetup(committee=c, short=c.name.removesuffix("政协")) for c in committees}
    ids = list(setups)
    for pk, committee_id, name in Sector.objects.filter(committee_id__in=ids).values_list(
        "pk", "committee_id", "name"
    ):
        setups[committee_id].sectors[name] = pk
    for pk, committee_id, code in ActivityType.objects.filter(
        committee_id__in=ids, is_active=True
    ).values_list("pk", "committee_id", "code"):
        setups[committee_id].types[code] = pk
    for pk, committee_id in (
        StandardItem.objects.filter(standard__committee_id__in=ids)
        .order_by("standard__order", "order", "pk")
        .values_list("pk", "standard__committee_id")
    ):
        setups[committee_id].standard_items.append(pk)
    return setups


def province_of_demo() -> Committee:
    return Committee.objects.get(slug=PROVINCE)
