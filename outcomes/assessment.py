"""The yearly assessment of workstations ("年评比"): scores from the records, then staff adjust.

Each criterion (``AssessmentCriterion``) has a weight out of 100. For a count (activities,
residents served, consultation meetings, outcomes, endorsements, problems solved) a workstation
scores ``weight × its count ÷ the highest count among the workstations assessed``; for a share
(rhythm periods met, residents' satisfaction) it scores ``weight × the share``. A share with
nothing to be a share of yet (no rating of the workstation's messages, no closed rhythm period)
is *not applicable*: it is not a 0%, it is left out, and the workstation's other criteria share
its weight (each scaled by ``all the weights ÷ the weights that apply``), so that a room nobody
has rated yet is neither punished nor rewarded. Staff may add or take off points with a written
reason (``AssessmentAdjustment``); the ranking shows both.
Workstations are judged by their own committee's criteria. A fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from workstations.models import Committee, Workstation

from . import counts, rhythm
from .models import AssessmentAdjustment, AssessmentCriterion

Metric = AssessmentCriterion.Metric
SHARES = {Metric.RHYTHM, Metric.RECOGNITION}
TWO_PLACES = Decimal("0.01")


@dataclass
class Score:
    workstation: Workstation
    values: dict[str, Decimal]  # metric → raw value (a count, or a share between 0 and 1)
    parts: dict[str, Decimal]  # metric → weighted score (renormalised), for those that apply
    adjustments: list[AssessmentAdjustment] = field(default_factory=list)
    rank: int = 0
    # The criteria without data for this workstation: neither a value nor a part.
    not_applicable: set[str] = field(default_factory=set)

    @property
    def computed(self) -> Decimal:
        return sum(self.parts.values(), Decimal(0)).quantize(TWO_PLACES, ROUND_HALF_UP)

    @property
    def adjustment(self) -> Decimal:
        return sum((a.points for a in self.adjustments), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.computed + self.adjustment


def _share(numerator: int, denominator: int) -> Decimal:
    return Decimal(numerator) / Decimal(denominator) if denominator else Decimal(0)


def _weighted(fractions: dict[AssessmentCriterion, Decimal], all_weights: int) -> dict:
    """metric → part, the weights of the criteria that apply scaled up to ``all_weights``."""
    applicable = sum(c.weight for c in fractions)
    scale = Decimal(all_weights) / Decimal(applicable) if applicable else Decimal(0)
    return {
        c.metric: (fraction * c.weight * scale).quantize(TWO_PLACES)
        for c, fraction in fractions.items()
    }


def _values(workstations: list[Workstation], committee: Committee, year: int, today) -> dict:
    """metric → {workstation id → raw value}, from the counting layer (the summary per
    workstation, and the consultations that met) and the rhythm board."""
    ids = [w.pk for w in workstations]
    period = counts.year_bounds(year)
    totals = counts.workstation_totals(ids, period)
    values: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for metric, key in (
        (Metric.ACTIVITIES, "activities"),
        (Metric.RESIDENTS_SERVED, "residents"),
        (Metric.OUTCOMES, "outcomes"),
        (Metric.ENDORSEMENTS, "endorsements"),
        (Metric.PROBLEMS_SOLVED, "solved"),
    ):
        for ws_id, n in totals.get(key, {}).items():
            values[metric][ws_id] = Decimal(n)
    met: dict[int, set] = defaultdict(set)
    for (ws_id, _month), consultations in counts.consultations_met_by_workstation(
        ids, period
    ).items():
        met[ws_id] |= consultations
    for ws_id, consultations in met.items():
        values[Metric.CONSULTATIONS][ws_id] = Decimal(len(consultations))
    for ws_id, rated in totals.get("rated", {}).items():
        values[Metric.RECOGNITION][ws_id] = _share(totals["rated_good"].get(ws_id, 0), rated)
    board = rhythm.rhythm_board(
        committee, year, today=today, workstations=Workstation.objects.filter(pk__in=ids)
    )
    met_cells: dict[int, int] = defaultdict(int)
    judged: dict[int, int] = defaultdict(int)
    for cell in board.cells.values():
        if cell.state in (rhythm.MET, rhythm.BEHIND) and cell.period.is_closed(today):
            judged[cell.workstation.pk] += 1
            met_cells[cell.workstation.pk] += cell.state == rhythm.MET
    for ws_id, n in judged.items():
        values[Metric.RHYTHM][ws_id] = _share(met_cells[ws_id], n)
    return values


def assessment(
    committee: Committee,
    year: int,
    *,
    today: datetime.date | None = None,
    workstations=None,
) -> list[Score]:
    """The ranked scores of the year for the workstations of ``committee`` and those below."""
    today = today or timezone.localdate()
    if workstations is None:
        workstations = Workstation.objects.for_committee(committee)
    ws_list = list(workstations.select_related("committee", "area", "sector"))
    criteria: dict[int, list[AssessmentCriterion]] = defaultdict(list)
    for criterion in AssessmentCriterion.objects.filter(
        committee_id__in={w.committee_id for w in ws_list}
    ):
        criteria[criterion.committee_id].append(criterion)
    values = _values(ws_list, committee, year, today)
    # The highest count, per committee, scales the counts of that committee's workstations.
    highest: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for ws in ws_list:
        for metric, by_ws in values.items():
            key = (ws.committee_id, metric)
            highest[key] = max(highest[key], by_ws.get(ws.pk, Decimal(0)))
    adjustments: dict[int, list[AssessmentAdjustment]] = defaultdict(list)
    for adj in AssessmentAdjustment.objects.filter(
        workstation_id__in=[w.pk for w in ws_list], year=year
    ).select_related("made_by__member"):
        adjustments[adj.workstation_id].append(adj)
    scores = []
    for ws in ws_list:
        raw, fractions, not_applicable = {}, {}, set()
        for criterion in criteria[ws.committee_id]:
            value = values.get(criterion.metric, {}).get(ws.pk)
            if value is None and criterion.metric in SHARES:
                not_applicable.add(criterion.metric)
                continue
            value = value or Decimal(0)
            raw[criterion.metric] = value
            if criterion.metric in SHARES:
                fractions[criterion] = value
            else:
                top = highest[ws.committee_id, criterion.metric]
                fractions[criterion] = value / top if top else Decimal(0)
        parts = _weighted(fractions, sum(c.weight for c in criteria[ws.committee_id]))
        scores.append(Score(ws, raw, parts, adjustments[ws.pk], not_applicable=not_applicable))
    scores.sort(key=lambda s: (-s.total, s.workstation.name))
    previous, rank = None, 0
    for index, score in enumerate(scores, start=1):
        if score.total != previous:
            rank, previous = index, score.total
        score.rank = rank
    return scores
