"""How big the province is: its totals at scale 1, and how they are shared out.

The province is 安徽 (``anhui``), as the demo makes it, with 马鞍山 and 含山 (and 铜陵 and 铜官)
among its cities and counties. 含山 grows to ``HANSHAN_TIMES`` its demo size — workstations and
members, and records at the demo's yearly rates over the whole window — and the demo's other
counties stay as they are; the counties generated share what is left of each total.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

PROVINCE = "anhui"
HANSHAN = "hanshan"
PROVINCE_OFFICE = "anhui_office"
HANSHAN_TIMES = 10
YEARS = 3  # this year and the two before


@dataclass(frozen=True)
class Totals:
    cities: int = 20
    counties: int = 300
    workstations: int = 9_300
    members: int = 61_000
    activities: int = 1_000_000
    participations: int = 3_000_000
    consultations: int = 29_000
    messages: int = 100_000
    outcomes: int = 100_000


PROVINCE_TOTALS = Totals()
# The least a scaled-down province keeps, so that a tiny one still has a city and counties to
# roll up.
MINIMUM = Totals(
    cities=3,
    counties=4,
    workstations=60,
    members=400,
    activities=2_000,
    participations=6_000,
    consultations=60,
    messages=200,
    outcomes=200,
)


def scaled(scale: float) -> Totals:
    """The province's totals at ``scale`` (1 is the whole province)."""
    values = {}
    for field in dataclasses.fields(Totals):
        full = getattr(PROVINCE_TOTALS, field.name)
        values[field.name] = max(getattr(MINIMUM, field.name), round(full * scale))
    return Totals(**values)


def hanshan_times(scale: float) -> float:
    """How many times its demo size 含山 grows: ``HANSHAN_TIMES`` for the whole province, in
    proportion below that (a tiny province adds a few workstations to it)."""
    return 1 + (HANSHAN_TIMES - 1) * min(1.0, scale)


def window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days records fall on: from the first of January two years ago up to today."""
    return datetime.date(today.year - YEARS + 1, 1, 1), today


def share(total: int, weights: list[float]) -> list[int]:
    """``total`` shared out in proportion to ``weights``, in whole numbers that add up to it
    (largest remainders first)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts
