"""One county's register and records, as rows for the bulk writer.

``CountyRecords.register`` writes a county's areas, workstations (with their standards checks),
members and their places, and returns the workstations as ``Seat``s: who sits there and the
days its records may fall on. ``CountyRecords.records`` then writes, for those workstations,
consultations step by step, activities with who took part and their review trail, residents'
messages and outcomes with their trail — each in a state the services allow: participants sit
in the activity's workstation, an approved activity has its approval time, a rated message is
closed, a submitted outcome has its date and its trail follows it, nothing is dated in the
future. Searchable rows get their pairs of characters (``workstations.search.grams``).
"""

from __future__ import annotations

import datetime
import functools
import random
import string
from bisect import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.conf import settings

from consultations.models import (
    Activity,
    ActivityReview,
    Consultation,
    ConsultationStep,
    MediaReport,
    PublicMessage,
)
from members.models import Member, Membership
from outcomes.models import Endorsement, Outcome, OutcomeEvent
from workstations.models import Area, StandardCheck, Workstation
from workstations.search import committee_chains, grams, scope_token

from ..people import FEMALE_CHARS, MALE_CHARS, MOBILE_PREFIXES, SURNAMES, id_check_digit
from . import words
from .plan import share
from .province import CountySetup
from .writer import BulkWriter

TZ = ZoneInfo(settings.TIME_ZONE)
Step = Consultation.Step

# The columns each table is written with, in the order of the rows below.
TABLES = {
    Area: ("id", "committee_id", "parent_id", "name", "kind", "order"),
    Workstation: (
        "id", "committee_id", "name", "slug", "kind", "category", "area_id", "sector_id",
        "theme", "address", "latitude", "longitude", "opening_hours", "reception_hours",
        "phone", "intro", "is_published", "established_on", "created_at", "updated_at",
        "search_grams",
    ),
    StandardCheck: ("id", "workstation_id", "item_id", "state", "evidence", "note", "checked_on"),
    Member: (
        "id", "committee_id", "name", "gender", "birth_year", "sector_id", "party",
        "is_standing_committee", "level", "workplace", "title", "expertise", "photo",
        "public_bio", "mobile", "id_number", "user_id", "is_active", "created_at", "updated_at",
        "search_grams",
    ),
    Membership: ("id", "member_id", "workstation_id", "role", "since", "until"),
    Consultation: (
        "id", "workstation_id", "topic", "topic_source", "source_message_id", "description",
        "opened_on", "stage", "problem_solved", "is_published", "opened_by_id", "created_at",
        "updated_at",
    ),
    ConsultationStep: (
        "id", "consultation_id", "step", "date", "summary", "departments", "stakeholders",
        "residents_count", "submitted_to", "attachment",
    ),
    ConsultationStep.members.through: ("id", "consultationstep_id", "member_id"),
    Activity: (
        "id", "workstation_id", "type_id", "title", "date", "place", "residents_served",
        "description", "status", "author_id", "review_comment", "submitted_at", "approved_at",
        "approved_by_id", "client_token", "created_at", "updated_at", "search_grams",
    ),
    Activity.participants.through: ("id", "activity_id", "member_id"),
    ActivityReview: ("id", "activity_id", "action", "at", "by_id", "comment"),
    MediaReport: ("id", "activity_id", "consultation_id", "outlet", "title", "url", "published_on"),
    PublicMessage: (
        "id", "workstation_id", "tracking_code", "name", "mobile", "category", "text",
        "reply_may_be_published", "status", "reply", "replied_at", "closed_at", "rating",
        "rated_at", "created_at",
    ),
    Outcome: (
        "id", "committee_id", "workstation_id", "consultation_id", "kind", "title", "summary",
        "body", "background", "participants_text", "process", "opinions", "effect", "status",
        "submitted_to", "submitted_on", "is_published", "client_token", "created_at",
        "updated_at", "search_grams",
    ),
    Outcome.authors.through: ("id", "outcome_id", "member_id"),
    OutcomeEvent: (
        "id", "outcome_id", "kind", "date", "adopted_by", "department", "measure", "money",
        "note",
    ),
    Endorsement: ("id", "outcome_id", "leader", "leader_title", "level", "date", "text"),
}  # fmt: skip

Participant = Activity.participants.through
StepMember = ConsultationStep.members.through
Author = Outcome.authors.through

TYPE_WEIGHTS = {
    "micro_lecture": 12, "micro_governance": 8, "micro_service": 12, "micro_consultation": 6,
    "micro_supervision": 6, "micro_suggestion": 4, "theory_study": 10, "reception": 13,
    "research": 6, "free_clinic": 3, "legal_aid": 3, "reading": 3, "training": 2,
}  # fmt: skip
TYPE_NAMES = {
    "micro_lecture": "微宣讲", "micro_governance": "微治理", "micro_service": "微服务",
    "micro_consultation": "微协商", "micro_supervision": "微监督", "micro_suggestion": "微建议",
    "theory_study": "理论学习", "reception": "接待群众", "research": "调研视察",
    "free_clinic": "义诊", "legal_aid": "普法", "reading": "读书", "training": "培训",
}  # fmt: skip
RESIDENTS = {
    "micro_lecture": (25, 120), "micro_governance": (3, 25), "micro_service": (20, 180),
    "micro_consultation": (6, 30), "micro_supervision": (0, 12), "micro_suggestion": (10, 60),
    "theory_study": (0, 0), "reception": (4, 28), "research": (0, 20), "free_clinic": (40, 160),
    "legal_aid": (30, 150), "reading": (0, 15), "training": (0, 0),
}  # fmt: skip
_OUTCOME_KINDS = {
    "public_opinion": 40, "consultation_report": 22, "proposal": 12, "bulletin": 10,
    "research_report": 10, "typical_case": 6,
}  # fmt: skip
ADOPTED = {
    "consultation_report": 0.65, "public_opinion": 0.5, "proposal": 0.75,
    "research_report": 0.5, "bulletin": 0.25, "typical_case": 0.0,
}  # fmt: skip
ENDORSED = {
    "consultation_report": 0.14, "public_opinion": 0.12, "proposal": 0.05,
    "research_report": 0.2, "bulletin": 0.3, "typical_case": 0.0,
}  # fmt: skip
_MESSAGE_CATEGORIES = {
    "livelihood": 25, "traffic": 20, "environment": 18, "health": 10, "education": 10,
    "economy": 9, "other": 8,
}  # fmt: skip
# How far a consultation means to go, and the days between one step and the next.
_TARGET_STAGES = {1: 1, 2: 2, 3: 3, 4: 3, 5: 5, 6: 5, 7: 5, 8: 7}
STEP_GAPS = {2: (5, 20), 3: (7, 25), 4: (2, 8), 5: (3, 12), 6: (15, 45), 7: (15, 60), 8: (20, 60)}
PARTIES = [("cpc", 40), ("nonparty", 14), ("masses", 10), ("rcck", 4), ("cdl", 6), ("cndca", 6),
           ("capd", 6), ("cpwdp", 5), ("zhigong", 3), ("jiusan", 5), ("tdsgl", 1)]  # fmt: skip
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# Activities held at the workstation itself; the others go out to a village or community.
AT_THE_WORKSTATION = frozenset({"theory_study", "reception", "reading", "training"})


class Weighted:
    """A weighted choice among the keys of ``weights``, drawn with one ``random()``."""

    def __init__(self, weights: dict):
        self.keys = list(weights)
        self.cumulative = list(accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def pick(self, random_: random.Random):
        return self.keys[bisect(self.cumulative, random_.random() * self.total)]


CHECK_STATES = Weighted({"met": 75, "partial": 15, "not_met": 10})
MEMBER_LEVELS = Weighted({"county": 90, "city": 7, "province": 3})
TOPIC_SOURCES = Weighted({"government": 30, "residents": 40, "members": 30})
# An activity's status by its age: older than 45 days, than 14 days, younger.
STATUS_OLD = Weighted({"approved": 96, "returned": 2, "draft": 2})
STATUS_MIDDLE = Weighted({"approved": 80, "submitted": 12, "returned": 4, "draft": 4})
STATUS_NEW = Weighted({"approved": 45, "submitted": 35, "draft": 15, "returned": 5})
MESSAGE_NEW = Weighted({"new": 50, "in_progress": 30, "answered": 20})
MESSAGE_OLD = Weighted({"closed": 50, "answered": 25, "in_progress": 12, "hidden": 6, "new": 7})
ENDORSEMENT_LEVELS = Weighted({"county": 75, "city": 20, "province": 5})
OUTCOME_KINDS = Weighted(_OUTCOME_KINDS)
MESSAGE_CATEGORIES = Weighted(_MESSAGE_CATEGORIES)
TARGET_STAGES = Weighted(_TARGET_STAGES)


@functools.lru_cache(maxsize=1 << 16)
def _pairs(piece: str) -> frozenset[str]:
    return frozenset(grams(piece).split())


class Template:
    """A template of ``words`` filled at once with its pairs of characters: the pairs of the
    filled text (as ``workstations.search.grams`` takes them) are those of its pieces — each
    piece's kept once it has been seen — and those where two pieces meet. The hot loop of the
    load fills three a row; ``grams`` itself would cost as much as everything else."""

    def __init__(self, template: str):
        parsed = string.Formatter().parse(template)
        self.parts = [(literal, name) for literal, name, _spec, _conv in parsed]

    def fill(self, **values) -> tuple[str, set[str]]:
        pieces = []
        for literal, name in self.parts:
            if literal:
                pieces.append(literal)
            if name is not None:
                value = values[name]
                pieces.append(value if isinstance(value, str) else str(value))
        found: set[str] = set()
        before = ""
        for piece in pieces:
            if not piece:
                continue
            found |= _pairs(piece)
            if before and before[-1].isalnum() and piece[0].isalnum():
                found.add((before[-1] + piece[0]).casefold())
            before = piece
        return "".join(pieces), found


def joined(*pairs: set[str]) -> str:
    """The ``search_grams`` of a row from the pairs of its searched fields."""
    return " ".join(sorted(set().union(*pairs)))


TITLES = [Template(t) for t in words.TITLES]
DESCRIPTIONS = [Template(t) for t in words.DESCRIPTIONS]
# What an activity that served no residents says (no "with 0 residents").
WITHOUT_RESIDENTS = [Template(t) for t in words.DESCRIPTIONS if "{r}" not in t]
PLACE = Template("{town}{village}{spot}")


class Calendar:
    """The days of the window, so that a day is an index and its age a subtraction."""

    def __init__(self, first: datetime.date, today: datetime.date, now: datetime.datetime):
        self.days = [first + datetime.timedelta(days=i) for i in range((today - first).days + 1)]
        self.last = len(self.days) - 1
        self.now = now

    def index(self, day: datetime.date) -> int:
        return max(0, min(self.last, (day - self.days[0]).days))

    def at(self, index: int, hour: int, minute: int = 0) -> datetime.datetime:
        """A moment on the day ``index`` in Beijing, never later than now."""
        day = self.days[min(index, self.last)]
        moment = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)
        return min(moment, self.now)


@dataclass
class Seat:
    """A workstation as its records see it."""

    pk: int
    name: str
    town: str
    villages: list[str]
    published: bool
    members: list[int]
    convener: int
    first: int  # the first and last day (indexes) its records may fall on
    last: int
    weight: float = 1.0
    departments: list[str] = field(default_factory=list)
    established: datetime.date | None = None
    consultations: list[tuple[int, int, int]] = field(default_factory=list)  # (id, day, stage)


class Numbers:
    """Mobile and ID numbers, never the same twice in one run (and unlike the demo's, whose
    mobiles are random: these count through a range the demo draws from only by chance)."""

    def __init__(self, taken_mobiles: set[str], taken_ids: set[str]):
        self.taken = taken_mobiles
        self.ids = taken_ids
        self.n = 0

    def mobile(self) -> str:
        while True:
            self.n += 1
            # 7919 is prime to 10**8: n ↦ 7919·n mod 10**8 never repeats within the range.
            prefix = MOBILE_PREFIXES[self.n % len(MOBILE_PREFIXES)]
            number = f"{prefix}{(self.n * 7919) % 10**8:08d}"
            if number not in self.taken:
                return number

    def id_number(self, area_code: str, birth_year: int, serial: int, male: bool) -> str:
        """A well-formed ID number; ``serial`` (the member's id) keeps it apart from others."""
        while True:
            month, day = serial % 12 + 1, serial // 12 % 28 + 1
            seq = serial // 336 % 100
            sex = (serial % 5) * 2 + (1 if male else 0)
            first17 = f"{area_code}{birth_year:04d}{month:02d}{day:02d}{seq:02d}{sex}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number
            serial += 7  # taken (by the demo): another date and sequence number


class CountyRecords:
    """Writes one county's rows (see the module)."""

    def __init__(
        self,
        writer: BulkWriter,
        setup: CountySetup,
        calendar: Calendar,
        *,
        rng: random.Random,
        numbers: Numbers,
        tracking_codes: set[str],
        reviewer_id: int | None,
        area_code: str,
    ):
        self.w = writer
        self.setup = setup
        self.cal = calendar
        self.rng = rng
        self.numbers = numbers
        self.codes = tracking_codes
        self.reviewer_id = reviewer_id
        self.area_code = area_code
        self.committee_id = setup.committee.pk
        # Every searchable row's committee tokens (``workstations.search``), after its pairs.
        chain = committee_chains([self.committee_id])[self.committee_id]
        self.tokens = "".join(f" {scope_token(i)}" for i in chain)
        self.now = calendar.now
        self.random = rng.random
        self.types = Weighted({c: w for c, w in TYPE_WEIGHTS.items() if c in setup.types})

    def _int(self, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high`` (cheaper than ``randint``)."""
        return low + int(self.random() * (high - low + 1))

    def _choice(self, items):
        return items[int(self.random() * len(items))]

    # --- the register --------------------------------------------------------------------------

    def _area(self, name: str, kind: str, parent: int | None, order: int) -> int:
        pk = self.w.new_id(Area)
        self.w.add(Area, (pk, self.committee_id, parent, name, kind, order))
        return pk

    def register(
        self,
        *,
        workstations: int,
        members: int,
        towns: list[tuple[int, str]] | None = None,
        taken: tuple[set[str], set[str], set[str]] = (set(), set(), set()),
        rooms_only: bool = False,
    ) -> list[Seat]:
        """Areas, ``workstations`` workstations and ``members`` members sitting in them.

        ``towns`` are the county's towns already there (id, name), else new ones are made;
        ``taken`` the area names, workstation names and slugs in use; ``rooms_only`` makes
        every new workstation a village or community consultation room (含山 grows so).
        """
        rng, short = self.rng, self.setup.short
        area_names, ws_names, slugs = taken
        if towns is None:
            count = max(3, min(14, round(workstations / 3)))
            towns = []
            for i in range(count):
                kind = "subdistrict" if i == 0 else "town"
                suffix = "街道" if i == 0 else "镇"
                name = _new_name(rng, area_names, suffix)
                towns.append((self._area(name, kind, None, i), name))
        # What the workstations are: a member workstation per town, sector rooms, featured
        # rooms and an activity centre, and village and community consultation rooms.
        plan: list[tuple[str, str, dict]] = []
        if not rooms_only:
            sectors = list(self.setup.sectors.items())
            n_sector = min(len(sectors), max(1, round(workstations * 0.25)))
            for town_id, town in towns:
                extra = {"category": "area", "area": town_id, "town": town}
                plan.append((f"{town}委员工作室", "workstation", extra))
            for name, sector_id in rng.sample(sectors, n_sector):
                extra = {"category": "sector", "sector": sector_id}
                plan.append((f"{name}委员活动室", "sector_room", extra))
            if workstations >= 15:
                for theme in rng.sample(words.THEMES, 2):
                    extra = {"category": "featured", "theme": theme}
                    plan.append((f"“{theme}”委员工作室", "workstation", extra))
            if workstations >= 10:
                plan.append((f"{short}政协委员活动中心", "activity_centre", {"category": "area"}))
            plan = plan[:workstations]
        for i in range(workstations - len(plan)):
            town_id, town = towns[i % len(towns)]
            village = _new_name(rng, area_names, rng.choice(["村", "村", "村", "社区"]))
            kind = "community" if village.endswith("社区") else "village"
            village_id = self._area(village, kind, town_id, i)
            extra = {"category": "area", "area": village_id, "town": town, "village": village}
            plan.append((f"{town}{village}协商议事室", "consultation_room", extra))
        lat0, lng0 = rng.uniform(29.5, 34.5), rng.uniform(115.0, 119.5)
        seats: list[Seat] = []
        for name, kind, extra in plan:
            base = name
            n = 1
            while name in ws_names:
                n += 1
                name = f"{base}（{n}）"
            ws_names.add(name)
            slug = f"{kind.replace('_', '-')}-{len(slugs) + 1}"
            while slug in slugs:
                slug += "x"
            slugs.add(slug)
            town = extra.get("town") or towns[0][1]
            village = extra.get("village") or ""
            established = datetime.date(rng.randint(2019, 2023), rng.randint(1, 12), 1)
            theme = extra.get("theme", "")
            subjects = "、".join(rng.sample(words.SUBJECTS, 2))
            address = f"{short}{town}{village or rng.choice(words.PLACES)}"
            intro = (
                f"{name}于{established.year}年建成，委员就近入室，每月开展活动，每季度协商议事，"
                f"围绕{subjects}等群众关心的事情履职尽责。"
            )
            published = rng.random() < 0.95
            pk = self.w.new_id(Workstation)
            self.w.add(
                Workstation,
                (
                    pk, self.committee_id, name, slug, kind, extra["category"],
                    extra.get("area"), extra.get("sector"), theme, address,
                    Decimal(f"{lat0 + rng.uniform(-0.2, 0.2):.6f}"),
                    Decimal(f"{lng0 + rng.uniform(-0.2, 0.2):.6f}"),
                    "周一至周五 8:30–12:00，14:30–17:30",
                    f"每月{rng.choice([5, 10, 15, 20, 25])}日上午", "", intro, published,
                    established, self.now, self.now,
                    grams(name, intro, address, theme) + self.tokens,
                ),
            )  # fmt: skip
            villages = [village] if village else [_village_word(rng) for _ in range(3)]
            seats.append(
                Seat(
                    pk=pk,
                    name=name,
                    town=town,
                    villages=villages,
                    published=published,
                    members=[],
                    convener=0,
                    first=0,
                    last=self.cal.last,
                    weight=0.6 if kind == "consultation_room" else 1.2,
                    departments=[d.format(town=town) for d in words.DEPARTMENTS],
                    established=established,
                )
            )
            self._standard_checks(pk)
        self._members(seats, members, [extra for _n, _k, extra in plan])
        return seats

    def _standard_checks(self, workstation_id: int) -> None:
        rng = self.rng
        for item in self.setup.standard_items:
            state = CHECK_STATES.pick(rng)
            self.w.add(
                StandardCheck,
                (
                    self.w.new_id(StandardCheck), workstation_id, item, state, "",
                    "" if state == "met" else "正在整改",
                    self.cal.days[self._int(0, self.cal.last)],
                ),
            )  # fmt: skip

    def _members(self, seats: list[Seat], count: int, extras: list[dict]) -> None:
        """``count`` members: each sits in a home workstation, members of a sector also in its
        room; every workstation has at least three members and a convener."""
        rng, short = self.rng, self.setup.short
        sector_ids = list(self.setup.sectors.values())
        pairs = list(zip(seats, extras, strict=True))
        rooms_of_sector = {e["sector"]: s for s, e in pairs if "sector" in e}
        homes = [s for s, e in pairs if "sector" not in e] or seats
        home_weights = [s.weight for s in homes]
        member_ids = []
        sitting: dict[int, list[int]] = {s.pk: [] for s in seats}
        for _ in range(count):
            pk = self.w.new_id(Member)
            male = rng.random() < 0.68
            given = rng.choice(MALE_CHARS if male else FEMALE_CHARS)
            if rng.random() < 0.78:
                given += rng.choice(MALE_CHARS if male else FEMALE_CHARS)
            name = rng.choice(SURNAMES) + given
            birth = rng.randint(1962, 1995)
            sector = rng.choice(sector_ids)
            party = rng.choices([p for p, _ in PARTIES], weights=[w for _, w in PARTIES])[0]
            level = MEMBER_LEVELS.pick(rng)
            home = rng.choices(homes, weights=home_weights)[0]
            workplace = rng.choice(words.WORKPLACES).format(
                town=home.town, county=short, village=home.villages[0]
            )
            title = rng.choice(words.MEMBER_TITLES)
            expertise = rng.choice(words.EXPERTISE)
            bio = f"{name}，{short}政协委员，现任{workplace}{title}，长于{expertise}。"
            self.w.add(
                Member,
                (
                    pk, self.committee_id, name, "male" if male else "female", birth, sector,
                    party, rng.random() < 0.12, level, workplace, title, expertise, "", bio,
                    self.numbers.mobile(),
                    self.numbers.id_number(self.area_code, birth, pk, male),
                    None, rng.random() < 0.97, self.now, self.now, grams(name) + self.tokens,
                ),
            )  # fmt: skip
            member_ids.append(pk)
            sitting[home.pk].append(pk)
            room = rooms_of_sector.get(sector)
            if room is not None and rng.random() < 0.7:
                sitting[room.pk].append(pk)
        for seat in seats:
            people = sitting[seat.pk]
            while len(people) < 3 and member_ids:
                extra = rng.choice(member_ids)
                if extra not in people:
                    people.append(extra)
            seat.members = people
            seat.convener = people[0] if people else 0
            since = seat.established or datetime.date(2023, 1, 1)
            for i, member in enumerate(people):
                role = "resident"
                if i == 0:
                    role = "convener"
                elif i == 1 and len(people) >= 8:
                    role = "deputy"
                self.w.add(
                    Membership, (self.w.new_id(Membership), member, seat.pk, role, since, None)
                )

    # --- the records ---------------------------------------------------------------------------

    def records(
        self,
        seats: list[Seat],
        *,
        activities: int,
        participations: int,
        consultations: int,
        messages: int,
        outcomes: int,
    ) -> None:
        """The county's records over ``seats``, shared out by their weight and their days."""
        seats = [s for s in seats if s.members and s.last >= s.first]
        if not seats:
            return
        weights = [s.weight * (s.last - s.first + 1) for s in seats]
        mean_people = participations / activities if activities else 0
        for seat, n in zip(seats, share(consultations, weights), strict=True):
            for _ in range(n):
                self._consultation(seat)
        for seat, n in zip(seats, share(activities, weights), strict=True):
            for _ in range(n):
                self._activity(seat, mean_people)
        for seat, n in zip(seats, share(messages, weights), strict=True):
            for _ in range(n):
                self._message(seat)
        committee_level = round(outcomes * 0.04)
        for seat, n in zip(seats, share(outcomes - committee_level, weights), strict=True):
            for _ in range(n):
                self._outcome(seat, seat)
        for _ in range(committee_level):
            self._outcome(None, self.rng.choice(seats))

    def _texts(self, seat: Seat, kind: str, **extra) -> dict:
        """The values the templates of ``words`` are filled with, for a record of ``seat``."""
        k = self._int(3, 15)
        return {
            "town": seat.town,
            "village": self._choice(seat.villages),
            "ws": seat.name,
            "subject": self._choice(words.SUBJECTS),
            "other": self._choice(words.SUBJECTS),
            "type": kind,
            "dept": self._choice(seat.departments),
            "stake": "、".join(self.rng.sample(words.STAKEHOLDERS, 2)),
            "measure": self._choice(words.MEASURES),
            "brand": self.setup.committee.brand_name or self.setup.short,
            "n": self._int(3, 12),
            "k": k,
            "j": self._int(2, k - 1),
            "r": self._int(8, 60),
            **extra,
        }

    def _consultation(self, seat: Seat) -> None:
        rng, cal = self.rng, self.cal
        latest = max(seat.first, min(seat.last, cal.last - 3))
        opened = rng.randint(seat.first, latest)
        target = TARGET_STAGES.pick(rng)
        dates = {1: opened}
        for step in range(2, target + 1):
            day = dates[step - 1] + rng.randint(*STEP_GAPS[step])
            if day > cal.last:
                break
            dates[step] = day
        stage = max(dates)
        pk = self.w.new_id(Consultation)
        values = self._texts(seat, "协商")
        values["topic"] = rng.choice(words.TOPICS).format(**values)
        source = TOPIC_SOURCES.pick(rng)
        opened_by = seat.convener if rng.random() < 0.7 else rng.choice(seat.members)
        created = cal.at(opened, 10)
        self.w.add(
            Consultation,
            (
                pk, seat.pk, values["topic"][:150], source, None,
                f"{values['topic']}，由{seat.name}牵头组织协商。", cal.days[opened], stage,
                stage >= Step.IMPLEMENTATION and rng.random() < 0.6,
                stage >= Step.MEETING and rng.random() < 0.95, opened_by, created,
                max(created, cal.at(dates[stage], 17)),
            ),
        )  # fmt: skip
        for step, day in dates.items():
            step_id = self.w.new_id(ConsultationStep)
            departments = stakeholders = submitted_to = ""
            residents = 0
            people: list[int] = []
            if step == Step.RESEARCH:
                people = rng.sample(seat.members, min(len(seat.members), rng.randint(2, 5)))
            elif step == Step.MEETING:
                people = rng.sample(seat.members, min(len(seat.members), rng.randint(3, 7)))
                departments, stakeholders, residents = values["dept"], values["stake"], values["r"]
            elif step == Step.SUBMISSION:
                submitted_to = values["dept"]
                people = [seat.convener]
            elif step == Step.RESPONSE:
                departments = values["dept"]
            elif step == Step.EVALUATION:
                people = [seat.convener]
            self.w.add(
                ConsultationStep,
                (
                    step_id, pk, step, cal.days[day], words.STEP_SUMMARIES[step].format(**values),
                    departments, stakeholders, residents, submitted_to, "",
                ),
            )  # fmt: skip
            for member in people:
                self.w.add(StepMember, (self.w.new_id(StepMember), step_id, member))
        seat.consultations.append((pk, opened, stage))

    def _status(self, age: int) -> str:
        table = STATUS_OLD if age > 45 else STATUS_MIDDLE if age > 14 else STATUS_NEW
        return table.pick(self.rng)

    def _activity(self, seat: Seat, people_on_average: float) -> None:
        # The hot loop of the load (a million times): plain draws of random(), no dict of
        # values beyond what the two templates use.
        rng, cal, w, r = self.rng, self.cal, self.w, self.random
        code = self.types.pick(rng)
        day = seat.first + int(r() * (seat.last - seat.first + 1))
        status = self._status(cal.last - day)
        # Between one and six members, about ``people_on_average``.
        k = round(rng.triangular(1, max(1.0, 2 * people_on_average - 1)))
        people = rng.sample(seat.members, max(1, min(len(seat.members), 6, k)))
        low, high = RESIDENTS[code]
        residents = low + int(r() * (high - low + 1))
        village = self._choice(seat.villages)
        subject, kind = self._choice(words.SUBJECTS), TYPE_NAMES[code]
        suggestions = 3 + int(r() * 13)
        title, title_pairs = self._choice(TITLES).fill(
            town=seat.town, subject=subject, type=kind, village=village, ws=seat.name
        )
        templates = DESCRIPTIONS if residents else WITHOUT_RESIDENTS
        description, description_pairs = self._choice(templates).fill(
            ws=seat.name,
            n=len(people),
            subject=subject,
            type=kind,
            k=suggestions,
            j=2 + int(r() * (suggestions - 2)),
            village=village,
            r=residents,
            dept=self._choice(seat.departments),
            other=self._choice(words.SUBJECTS),
        )
        if code in AT_THE_WORKSTATION:
            place, place_pairs = seat.name, _pairs(seat.name)
        else:
            place, place_pairs = PLACE.fill(
                town=seat.town, village=village, spot=self._choice(words.PLACES)
            )
        author = seat.convener if r() < 0.6 else self._choice(people)
        pk = w.new_id(Activity)
        submitted = approved = approved_by = None
        comment = ""
        created = cal.at(day, 12)
        reviews = []
        if status != "draft":
            submitted = min(cal.at(day, 15 + int(r() * 7)) + _days(int(r() * 4)), self.now)
            reviews.append(("submitted", submitted, None, ""))
            created = min(created, submitted)
            if status == "returned":
                comment = self._choice(words.RETURN_COMMENTS)
                returned = min(submitted + _days(1), self.now)
                reviews.append(("returned", returned, self.reviewer_id, comment))
            elif status == "approved":
                approved = min(submitted + _days(1 + int(r() * 5), hours=2), self.now)
                approved_by = self.reviewer_id
                reviews.append(("approved", approved, self.reviewer_id, ""))
        updated = reviews[-1][1] if reviews else created
        w.add(
            Activity,
            (
                pk, seat.pk, self.setup.types[code], title, cal.days[day], place, residents,
                description, status, author, comment, submitted, approved, approved_by, None,
                created, updated, joined(title_pairs, description_pairs, place_pairs) + self.tokens,
            ),
        )  # fmt: skip
        for member in people:
            w.add(Participant, (w.new_id(Participant), pk, member))
        for action, at, by, text in reviews:
            w.add(ActivityReview, (w.new_id(ActivityReview), pk, action, at, by, text))
        if status == "approved" and r() < 0.05:
            w.add(
                MediaReport,
                (
                    w.new_id(MediaReport), pk, None, f"{self.setup.short}融媒体中心",
                    f"{self.setup.short}：{title}"[:150], "",
                    cal.days[min(cal.last, day + 1 + int(r() * 5))],
                ),
            )  # fmt: skip

    def _tracking_code(self) -> str:
        while True:
            code = "".join(self.rng.choices(TRACKING_ALPHABET, k=10))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _message(self, seat: Seat) -> None:
        rng, cal = self.rng, self.cal
        day = rng.randint(seat.first, seat.last)
        age = cal.last - day
        created = cal.at(day, rng.randint(7, 22), rng.randint(0, 59))
        status = (MESSAGE_NEW if age < 10 else MESSAGE_OLD).pick(rng)
        category = MESSAGE_CATEGORIES.pick(rng)
        values = self._texts(seat, "")
        text = rng.choice(words.MESSAGE_TEMPLATES).format(
            problem=rng.choice(words.MESSAGE_PROBLEMS[category]), **values
        )
        reply, replied, closed, rating, rated = "", None, None, None, None
        if status in ("answered", "closed"):
            reply = rng.choice(words.REPLIES).format(**values)
            replied = min(created + _days(rng.randint(1, 8), hours=rng.randint(1, 6)), self.now)
        if status == "closed":
            closed = min(replied + _days(rng.randint(1, 12)), self.now)
            if rng.random() < 0.8:
                rating = rng.choices([5, 4, 3, 2, 1], weights=[60, 28, 8, 2, 2])[0]
                rated = min(closed + _days(rng.randint(0, 4)), self.now)
        caller = rng.choice(SURNAMES) + rng.choice(["先生", "女士", "大爷", "阿姨"])
        self.w.add(
            PublicMessage,
            (
                self.w.new_id(PublicMessage), seat.pk, self._tracking_code(),
                caller if rng.random() < 0.8 else "", self.numbers.mobile(), category, text,
                rng.random() < 0.6, status, reply, replied, closed, rating, rated, created,
            ),
        )  # fmt: skip

    def _outcome(self, seat: Seat | None, about: Seat) -> None:
        """An outcome of ``seat`` (None: of the committee itself, written about ``about``)."""
        rng, cal, w = self.rng, self.cal, self.w
        kind = OUTCOME_KINDS.pick(rng)
        day = rng.randint(about.first, about.last)
        draft = rng.random() < 0.06
        values = self._texts(about, "")
        title = rng.choice(words.OUTCOME_TITLES[kind]).format(**values)[:150]
        summary = rng.choice(words.OUTCOME_SUMMARIES).format(**values)
        consultation = None
        if kind in ("consultation_report", "typical_case") and seat is not None:
            done = [(c, d) for c, d, stage in seat.consultations if stage >= Step.OPINIONS]
            if done:
                consultation, opened = rng.choice(done)
                day = max(day, min(cal.last, opened + rng.randint(10, 40)))
        five = ("", "", "", "", "")
        if kind == "typical_case":
            five = (
                f"{values['village']}群众反映{values['subject']}方面的困难。",
                f"驻室委员、{values['dept']}和{values['stake']}。",
                "走访调研、协商议事、跟踪问效。",
                f"提出建议{values['k']}条。",
                f"{values['measure']}，群众满意。",
            )
        created = cal.at(day, 9)
        pk = w.new_id(Outcome)
        published = not draft and rng.random() < 0.88
        w.add(
            Outcome,
            (
                pk, self.committee_id, seat.pk if seat else None, consultation, kind, title,
                summary, "", *five, "draft" if draft else "submitted",
                "" if draft else rng.choice(words.SUBMITTED_TO).format(**values)[:200],
                None if draft else cal.days[day], published, None, created,
                min(created + _days(1), self.now), grams(title, summary) + self.tokens,
            ),
        )  # fmt: skip
        pool = about.members
        for member in rng.sample(pool, min(len(pool), rng.choice([1, 1, 1, 2, 2, 3]))):
            w.add(Author, (w.new_id(Author), pk, member))
        if draft:
            return
        if rng.random() < ADOPTED[kind]:
            adopted = min(cal.last, day + rng.randint(5, 40))
            w.add(
                OutcomeEvent,
                (w.new_id(OutcomeEvent), pk, "adopted", cal.days[adopted], values["dept"],
                 "", "", None, ""),
            )  # fmt: skip
            if rng.random() < 0.5:
                done = min(cal.last, adopted + rng.randint(10, 90))
                money = Decimal(rng.randrange(2, 200) * 10_000) if rng.random() < 0.3 else None
                w.add(
                    OutcomeEvent,
                    (w.new_id(OutcomeEvent), pk, "implemented", cal.days[done], "",
                     values["dept"], values["measure"], money, ""),
                )  # fmt: skip
                if rng.random() < 0.4:
                    w.add(
                        OutcomeEvent,
                        (w.new_id(OutcomeEvent), pk, "solved",
                         cal.days[min(cal.last, done + rng.randint(0, 30))], "", "", "", None,
                         "群众反映的问题已解决。"),
                    )  # fmt: skip
        if rng.random() < ENDORSED[kind]:
            level = ENDORSEMENT_LEVELS.pick(rng)
            w.add(
                Endorsement,
                (
                    w.new_id(Endorsement), pk, rng.choice(SURNAMES) + "某某",
                    rng.choice(words.LEADER_TITLES[level]), level,
                    cal.days[min(cal.last, day + rng.randint(3, 30))],
                    rng.choice(words.ENDORSEMENT_TEXTS).format(**values),
                ),
            )  # fmt: skip


def _days(days: int, hours: int = 0) -> datetime.timedelta:
    return datetime.timedelta(days=days, hours=hours)


def _village_word(rng: random.Random) -> str:
    return rng.choice(words.PLACE_FIRST) + rng.choice(words.PLACE_SECOND) + "村"


def _new_name(rng: random.Random, taken: set[str], suffix: str) -> str:
    for _attempt in range(1000):
        name = rng.choice(words.PLACE_FIRST) + rng.choice(words.PLACE_SECOND) + suffix
        if name not in taken:
            taken.add(name)
            return name
    # A county with more areas than two characters can name: a third character.
    while True:
        name = (
            rng.choice(words.PLACE_FIRST)
            + rng.choice(words.PLACE_SECOND)
            + rng.choice(words.PLACE_FIRST)
            + suffix
        )
        if name not in taken:
            taken.add(name)
            return name
