"""What every part of the county builder shares: helpers, and the builder's own state.

The builder of one county (``builder.CountyBuilder``) is split by subject over a few modules —
``organisation``, ``consulting``, ``activities``, ``results`` — each a mixin of this base that
reads what the earlier parts left on ``self`` (the county, its workstations, members, conveners,
consultations …), in the order ``CountyBuilder.build`` calls them.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from consultations.services.consultations import StepRecord
from members.models import Member
from workstations.models import Area, Workstation

from . import texts
from .counties import CountySpec
from .people import PeopleFactory

CONVENER_WORKSTATION = ("hanshan", "taochang")  # where hanshan_convener and hanshan_member sit
# Why the demo's rows are there, as their history says.
DEMO_REASON = "load_demo"


class _Blank(dict):
    """format_map() helper: a placeholder without a value stays as it is."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def nest_quotes(text: str) -> str:
    """Quotation marks inside quotation marks become single ones: “a‘b’c”."""
    out, depth = [], 0
    for ch in text:
        if ch == "“":
            out.append("“" if depth == 0 else "‘")
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
            out.append("”" if depth == 0 else "’")
        else:
            out.append(ch)
    return "".join(out)


def fill(template: str, **values) -> str:
    """The template with its placeholders filled; quotation marks nest properly."""
    return nest_quotes(template.format_map(_Blank(values)))


def q(text: str) -> str:
    """Text in Chinese quotation marks; quotation marks inside become single ones."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def _fk_names(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


def validate(objs: Iterable[models.Model]) -> None:
    """Field validation and clean() for unsaved objects of the register (areas, workstations,
    members …, which have no service beyond their models' rules), without a query per row.

    Foreign keys are left out of clean_fields() (they would each cost a query, and the objects
    they point to were just made by the builder); clean() still checks the cross-committee rules.
    """
    exclude_cache: dict[type, list[str]] = {}
    for obj in objs:
        model = type(obj)
        if model not in exclude_cache:
            exclude_cache[model] = _fk_names(model)
        obj.clean_fields(exclude=exclude_cache[model])
        obj.clean()


def aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def month_start(year: int, month: int, back: int) -> datetime.date:
    index = year * 12 + (month - 1) - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def store_file(name: str, data: bytes) -> str:
    """Save a file under exactly this name, replacing one left by an earlier load."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


class BuilderBase:
    """State and small helpers of one county's builder."""

    def __init__(
        self,
        spec: CountySpec,
        *,
        seed: int,
        today: datetime.date,
        with_photos: bool,
        taken_mobiles: set[str],
    ):
        self.spec = spec
        self.rng = random.Random(f"{seed}:{spec.slug}")
        self.people = PeopleFactory(self.rng, taken_mobiles=taken_mobiles, taken_ids=set())
        self.today = today
        self.now = timezone.now()
        self.with_photos = with_photos
        self.step_dates: dict[int, dict[int, datetime.date]] = {}
        self.c_values: dict[int, dict] = {}
        self.steps_of: dict[int, list[StepRecord]] = defaultdict(list)
        self.window_start = month_start(today.year, today.month, 11)

    # --- helpers ---------------------------------------------------------------------------

    def _ctx(self, **extra) -> dict:
        return {"gov": self.spec.gov, "county": self.spec.short, **extra}

    def _date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        end = min(end, self.today)
        if end <= start:
            return min(start, self.today)
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def _later(self, day: datetime.date, low: int, high: int) -> datetime.date | None:
        """A day low..high days after ``day``, or None if that is after today."""
        result = day + datetime.timedelta(days=self.rng.randint(low, high))
        return result if result <= self.today else None

    def _pick(self, weights: dict):
        keys = list(weights)
        return self.rng.choices(keys, weights=[max(0, weights[k]) for k in keys])[0]

    def _dept(self, ws: Workstation) -> str:
        flavour = texts.FLAVOURS[self.flavour[ws.pk]]
        town = ws.area.name if ws.area else self.spec.seat
        return fill(self.rng.choice(flavour["departments"]), **self._ctx(town=town))

    def _is_urban(self, ws: Workstation) -> bool:
        area = ws.area
        return self.flavour[ws.pk] == "community" or (
            area is not None and area.kind in (Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY)
        )

    def _stakeholders(self, ws: Workstation) -> str:
        flavour = self.flavour[ws.pk]
        if flavour in texts.BUSINESS_FLAVOURS:
            pool = texts.STAKEHOLDERS["business"]
        elif self._is_urban(ws):
            pool = texts.STAKEHOLDERS["urban"]
        else:
            pool = texts.STAKEHOLDERS["rural"]
        return "、".join(self.rng.sample(pool, 2))

    def _town_government(self, ws: Workstation) -> str:
        area = ws.area.parent if ws.area and ws.area.parent_id else ws.area
        if area is None:
            return f"{self.spec.gov}政府办公室"
        if area.kind == Area.Kind.SUBDISTRICT:
            return f"{area.name}办事处"
        if area.kind == Area.Kind.DEVELOPMENT_ZONE:
            return f"{area.name}管委会"
        return f"{area.name}人民政府"

    def _members_of(self, ws: Workstation) -> list[Member]:
        return self.ws_members[ws.pk]

    def _some_members(self, ws: Workstation, low: int, high: int) -> list[Member]:
        pool = self._members_of(ws)
        chosen = self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))
        convener = self.conveners[ws.pk]
        if convener not in chosen and self.rng.random() < 0.8:
            chosen = [convener, *chosen[:-1]] if chosen else [convener]
        return chosen
