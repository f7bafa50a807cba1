"""The staff's figures over time: counts by month and rates by quarter for a committee and the
committees below it, and the year's totals of each county below (a city's counties).

They count everything on the register (``public=False``), from the summary (``counts``); what
each series is called and how it is counted is ``figures.FIGURES`` (the staff's labels).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import NamedTuple

from workstations import versions
from workstations.models import Committee
from workstations.tenancy import subtree_ids

from . import counts
from .figures import FIGURES, RATES

SERIES = [(f.key, f.staff_label) for f in FIGURES]
RATE_SERIES = [(key, staff) for key, _label, _note, staff in RATES]


def year_of(committee: Committee, year: int) -> tuple[dict, dict, list]:
    """The office's figures of a year: ``monthly``, ``quarterly_rates`` and, for a city or a
    province, ``by_committee``; kept in the cache until anything they count changes
    (``counts.kept``)."""

    def compute(current) -> tuple[dict, dict, list]:
        several = committee.level != Committee.Level.COUNTY
        rows = by_committee(committee, year) if several else []
        return (
            monthly(committee, year),
            quarterly_rates(committee, year, current=current),
            [(Named.of(county), totals) for county, totals in rows],
        )

    return counts.kept(committee, f"year:{year}", compute)


class Named(NamedTuple):
    """What the roll-up shows of a committee, kept in the cache as a plain tuple: a province's
    three hundred counties as model instances took 10 ms to unpickle, a third of the page."""

    pk: int
    name: str
    slug: str
    parent_id: int | None
    parent: Named | None

    @classmethod
    def of(cls, committee: Committee) -> Named:
        """A county and its parent (read with it: ``select_related``), without the parent's."""
        parent = committee.parent if committee.parent_id else None
        if parent is not None:
            parent = cls(parent.pk, parent.name, parent.slug, parent.parent_id, None)
        return cls(committee.pk, committee.name, committee.slug, committee.parent_id, parent)


def monthly(committee: Committee, year: int) -> dict[str, list[int]]:
    """Each series of ``SERIES`` as twelve monthly values. 1 query."""
    values = counts.monthly(committee, year, public=False)
    return {f.key: values[f.tally] for f in FIGURES}


def quarter_bounds(year: int, quarter: int) -> counts.Period:
    start = datetime.date(year, quarter * 3 + 1, 1)
    end = (datetime.date(year, quarter * 3 + 3, 28) + datetime.timedelta(days=4)).replace(day=1)
    return start, end - datetime.timedelta(days=1)


def quarterly_rates(
    committee: Committee, year: int, *, current=None
) -> dict[str, list[float | None]]:
    """Each rate for the four quarters, in percent with one decimal (None where there is
    nothing to count): the brand page's rates, over every record on the register."""
    rates: dict[str, list[float | None]] = defaultdict(list)
    # The quarters' totals from the year's months (one query), the versions read once.
    current = current or versions.versions(subtree_ids(committee))
    months = counts.monthly(committee, year, public=False, current=current)
    for quarter in range(4):
        period = quarter_bounds(year, quarter)
        totals = {key: sum(values[quarter * 3 : quarter * 3 + 3]) for key, values in months.items()}
        rates["participation"].append(
            counts.participation(committee, period, public=False, current=current).exact_percent
        )
        rates["transformation"].append(counts.transformation(totals).exact_percent)
        rates["recognition"].append(counts.recognition(totals).exact_percent)
    return dict(rates)


def by_committee(committee: Committee, year: int) -> list[tuple[Committee, dict[str, int]]]:
    """The year's totals of every series for each county-level committee in the subtree.

    One query for the counties and one for their totals, however many counties.
    """
    counties = list(
        Committee.objects.subtree(committee)
        .filter(level=Committee.Level.COUNTY)
        .select_related("parent")
        .order_by("parent__name", "name")
    )
    totals = counts.by_committee([c.pk for c in counties], counts.year_bounds(year), public=False)
    return [(c, {f.key: totals[c.pk][f.tally] for f in FIGURES}) for c in counties]
