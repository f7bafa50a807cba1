"""The province at scale, for benchmarks: ``manage.py generate_scale_data``.

On top of the demo (loaded first if it is not there), the province 安徽 gets its brand, twenty
cities and three hundred counties, 9,300 workstations, 61,000 members and, over this year and
the two before, a million activities (three million participations), 29,000 consultations
step by step, 100,000 residents' messages and 100,000 outcomes with their trail; 含山 grows to
ten times its demo size under its own address (see ``plan``). ``scale`` shrinks all of it (a
tiny province runs on SQLite, in the tests).

Rows are written in bulk (``writer``: COPY on PostgreSQL), in one transaction, and are valid:
the database judges every constraint and foreign key when the load ends. The tables the pages
read besides the records are filled too: each searchable row's pairs of characters, and the
figures' summary, counted by the apps' own ``tally_rows`` and ``tallies_replace`` for the whole
province at once. The history tables are skipped: the generated rows have no historical
records (their History page in the back office is empty). No photos are drawn.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from consultations import tallies as consultation_tallies
from consultations.models import Activity, Consultation, PublicMessage
from members.models import Member, Membership
from outcomes import tallies as outcome_tallies
from outcomes.models import Outcome
from workstations.models import Area, Committee, CountyTally, Tally, Workstation
from workstations.tallies import county_tallies_refresh
from workstations.tenancy import subtree_ids

from ..base import month_start
from ..builder import DEFAULT_SEED, load_demo
from ..counties import COUNTIES
from . import plan, words
from .province import (
    county_setup,
    create_cities_and_counties,
    province_brand,
    province_office,
    seed_counties,
)
from .records import TABLES, Calendar, CountyRecords, Numbers, Participant, Seat
from .writer import BulkWriter, analyze, build_search_indexes, set_load_settings

# Counted for the refusal and the report.
RECORDS = {
    "workstations": (Workstation, "committee_id"),
    "members": (Member, "committee_id"),
    "activities": (Activity, "workstation__committee_id"),
    "participations": (Participant, "activity__workstation__committee_id"),
    "consultations": (Consultation, "workstation__committee_id"),
    "messages": (PublicMessage, "workstation__committee_id"),
    "outcomes": (Outcome, "committee_id"),
}


class AlreadyLarge(Exception):
    """The province already holds generated data."""


@dataclass
class ScaleResult:
    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # table → rows written
    province: dict[str, int] = field(default_factory=dict)  # the province's totals after


def _counts(committee_ids: list[int]) -> dict[str, dict[int, int]]:
    """{what: {committee id: rows}} for the records of ``RECORDS``."""
    found = {}
    for name, (model, path) in RECORDS.items():
        rows = (
            model.objects.filter(**{f"{path}__in": committee_ids})
            .values(path)
            .annotate(n=Count("pk"))
            .order_by()
        )
        found[name] = {r[path]: r["n"] for r in rows}
    return found


def province_totals(province: Committee) -> dict[str, int]:
    ids = subtree_ids(province)
    return {name: sum(per.values()) for name, per in _counts(ids).items()}


def _hanshan_seats(hanshan: Committee, calendar: Calendar, last: int) -> list[Seat]:
    """含山's demo workstations with who sits there, to give them the two years before the
    demo's."""
    members: dict[int, list[int]] = {}
    conveners: dict[int, int] = {}
    for ws_id, member_id, role in (
        Membership.objects.filter(workstation__committee=hanshan, until__isnull=True)
        .order_by("workstation_id", "pk")
        .values_list("workstation_id", "member_id", "role")
    ):
        members.setdefault(ws_id, []).append(member_id)
        if role == Membership.Role.CONVENER:
            conveners[ws_id] = member_id
    seat_of_county = next(c.seat for c in COUNTIES if c.slug == hanshan.slug)
    seats = []
    for ws in Workstation.objects.filter(committee=hanshan).select_related("area__parent"):
        area = ws.area
        town = (area.parent or area).name if area else seat_of_county
        village = area.name if area and area.parent_id else ""
        people = members.get(ws.pk, [])
        seats.append(
            Seat(
                pk=ws.pk,
                name=ws.name,
                town=town,
                villages=[village] if village else [f"{town}中心村", f"{town}社区"],
                published=ws.is_published,
                members=people,
                convener=conveners.get(ws.pk, people[0] if people else 0),
                first=0,
                last=last,
                weight=0.6 if ws.kind == Workstation.Kind.CONSULTATION_ROOM else 1.2,
                departments=[d.format(town=town) for d in words.DEPARTMENTS],
            )
        )
    return seats


def summary_rebuild(committee_ids: list[int]) -> None:
    """Count the figures' summary again for these committees, all at once: what
    ``outcomes.counts.rebuild`` does one committee at a time (``tallies_refresh`` of each app:
    its ``tally_rows``, stored by ``tallies_replace``), with the rows stored by COPY — the
    ORM's bulk insert of a province's 900,000 rows takes minutes."""
    rows = [
        *consultation_tallies.tally_rows(committee_ids),
        *outcome_tallies.tally_rows(committee_ids),
    ]
    keys = [*consultation_tallies.KEYS, *outcome_tallies.KEYS]
    with transaction.atomic():
        Tally.objects.filter(committee_id__in=committee_ids, key__in=keys).delete()
        writer = BulkWriter()
        writer.table(Tally, TALLY_FIELDS)
        writer.set_aside([Tally])
        for r in rows:
            if r.value or r.published_value:  # as tallies_replace: no rows of zero
                row = (r.committee_id, r.workstation_id, r.month, r.key, r.value, r.published_value)
                writer.add(Tally, (writer.new_id(Tally), *row))
        writer.restore()
        county_tallies_refresh(committee_ids=committee_ids)


TALLY_FIELDS = ("id", "committee_id", "workstation_id", "month", "key", "value", "published_value")


def refuse_if_large(province: Committee) -> None:
    """Refuse a second load: the province holds more counties or workstations than the demo
    gives it."""
    hanshan = Committee.objects.get(slug=plan.HANSHAN)
    counties = Committee.objects.filter(pk__in=subtree_ids(province), level="county").count()
    hanshan_ws = Workstation.objects.filter(committee=hanshan).count()
    if counties > 2 or hanshan_ws > 40:
        total = Workstation.objects.filter(committee_id__in=subtree_ids(province)).count()
        raise AlreadyLarge(
            f"The province {province.slug} already holds {counties} counties and {total} "
            "workstations: the scale data is loaded. Nothing was changed; generate it on a "
            "fresh database."
        )


def generate_scale_data(
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    log: Callable[[str], None] = lambda _msg: None,
) -> ScaleResult:
    """Generate the province at ``scale`` (see the module). Raises ``AlreadyLarge`` when it is
    there already."""
    result = ScaleResult()
    clock = time.monotonic()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        result.seconds[name] = now - clock
        clock = now

    if not Committee.objects.filter(slug=plan.HANSHAN).exists():
        log("Loading the demo first …")
        load_demo(seed=seed, with_photos=False, log=log)
        lap("demo")
    province = Committee.objects.get(slug=plan.PROVINCE)
    refuse_if_large(province)
    totals = plan.scaled(scale)
    today, now = timezone.localdate(), timezone.now()
    calendar = Calendar(plan.window(today)[0], today, now)
    rng = random.Random(f"{seed}:{plan.PROVINCE}")
    with transaction.atomic():
        set_load_settings()
        province_brand(province)
        province_office(province)
        counties = create_cities_and_counties(
            province=province, cities=totals.cities, counties=totals.counties, rng=rng
        )
        seed_counties(counties)
        hanshan = Committee.objects.get(slug=plan.HANSHAN)
        setups = county_setup([hanshan, *counties])
        lap("committees")
        log(f"  {len(counties)} new counties; writing their records …")

        writer = BulkWriter(log)
        for model, fields in TABLES.items():
            writer.table(model, fields)
        writer.set_aside(TABLES)
        numbers = Numbers(
            set(Member.objects.exclude(mobile="").values_list("mobile", flat=True)),
            set(Member.objects.exclude(id_number="").values_list("id_number", flat=True)),
        )
        codes = set(PublicMessage.objects.values_list("tracking_code", flat=True))
        before = _counts(subtree_ids(province))
        mean_people = totals.participations / totals.activities

        # 含山: ten times its workstations and members; its demo workstations get the two years
        # before the demo's, the new ones the whole window, at the demo's yearly rates.
        times = plan.hanshan_times(scale)
        demo_ws = before["workstations"].get(hanshan.pk, 0)
        demo_members = before["members"].get(hanshan.pk, 0)
        demo_first = calendar.index(month_start(today.year, today.month, 11))
        demo_days = calendar.last - demo_first + 1
        user = get_user_model().objects.filter(username="hanshan_office").first()
        hanshan_records = CountyRecords(
            writer,
            setups[hanshan.pk],
            calendar,
            rng=random.Random(f"{seed}:{plan.HANSHAN}"),
            numbers=numbers,
            tracking_codes=codes,
            reviewer_id=user.pk if user else None,
            area_code="340522",
        )
        old = _hanshan_seats(hanshan, calendar, demo_first - 1)
        towns = list(
            Area.objects.filter(committee=hanshan, parent__isnull=True)
            .order_by("order", "pk")
            .values_list("pk", "name")
        )
        taken = (
            set(Area.objects.filter(committee=hanshan).values_list("name", flat=True)),
            {s.name for s in old},
            set(Workstation.objects.filter(committee=hanshan).values_list("slug", flat=True)),
        )
        new = hanshan_records.register(
            workstations=max(0, round(demo_ws * times) - demo_ws),
            members=max(0, round(demo_members * times) - demo_members),
            towns=towns,
            taken=taken,
            rooms_only=True,
        )
        seats = old + new
        ws_days = sum(s.last - s.first + 1 for s in seats if s.members)
        per_ws_day = ws_days / (max(1, demo_ws) * demo_days)
        hanshan_added = {
            name: round(before[name].get(hanshan.pk, 0) * per_ws_day)
            for name in ("activities", "consultations", "messages", "outcomes")
        }
        hanshan_added["participations"] = round(hanshan_added["activities"] * mean_people)
        hanshan_records.records(seats, **hanshan_added)
        writer.flush()
        lap("hanshan")

        # The new counties share what is left of each total, by their number of workstations.
        left = {}
        for name in RECORDS:
            there = sum(before[name].values()) + hanshan_added.get(name, 0)
            if name == "workstations":
                there += len(new)
            elif name == "members":
                there += max(0, round(demo_members * times) - demo_members)
            left[name] = max(0, getattr(totals, name) - there)
        sizes = plan.share(left["workstations"], [rng.uniform(0.7, 1.3) for _ in counties])
        sizes = [max(5, n) for n in sizes]
        shares = {name: plan.share(left[name], sizes) for name in left if name != "workstations"}
        for i, county in enumerate(counties):
            records = CountyRecords(
                writer,
                setups[county.pk],
                calendar,
                rng=random.Random(f"{seed}:{county.slug}"),
                numbers=numbers,
                tracking_codes=codes,
                reviewer_id=None,
                area_code=f"34{i // 100 % 100:02d}{i % 100:02d}",
            )
            county_seats = records.register(
                workstations=sizes[i], members=max(3 * sizes[i], shares["members"][i])
            )
            records.records(
                county_seats,
                activities=shares["activities"][i],
                participations=shares["participations"][i],
                consultations=shares["consultations"][i],
                messages=shares["messages"][i],
                outcomes=shares["outcomes"][i],
            )
            if (i + 1) % 50 == 0:
                log(f"  {i + 1} of {len(counties)} counties written")
        writer.flush()
        lap("records")
        log("  building the indexes and checking the constraints …")
        for kind, seconds in writer.restore().items():
            result.seconds[f"restore: {kind}"] = seconds
        lap("restore")
        # Statistics before anything reads the new rows: the summary's queries need them.
        analyze(TABLES, vacuum=False)
        lap("statistics")
    result.rows = {m._meta.db_table: n for m, n in writer.written.items()}

    # After the commit (unless a caller's transaction is still open) the search indexes are
    # built two at a time while the summary is counted.
    committed = not connection.in_atomic_block
    log(f"  building {len(writer.search_indexes)} search indexes and the figures' summary …")
    builders = build_search_indexes(writer.search_indexes, background=committed)
    province = Committee.objects.get(pk=province.pk)  # with its new counties
    summary_rebuild(subtree_ids(province))
    lap("figures")
    builders.join()
    lap("search indexes")
    analyze([*TABLES, Tally, CountyTally], vacuum=committed)
    lap("vacuum" if committed else "analyze")
    result.province = province_totals(province)
    return result


__all__ = ["AlreadyLarge", "ScaleResult", "generate_scale_data", "province_totals"]
