"""Member performance points (履职积分): each member's ledger ("明白账") and the yearly ranking.

Points are never stored: they are computed from the records and the committee's ``PointRule``s,
so a correction to a record or a rule shows at once, and every point has the record behind it.

- Took part in an approved activity dated in the year: the rule for its type, else the rule for
  any activity.
- Took part in a consultation meeting in the year: once per consultation.
- Outcome submitted in the year: the rule for its kind, else the rule for any outcome; every
  author gets the full points.
- Outcome adopted, problem solved (trail entries dated in the year): once per outcome and kind,
  to every author.
- Endorsement by a leader dated in the year: the rule for its level, to every author.

A member's points come from the rules of the member's own committee. The ranking takes a fixed
number of queries whatever the number of members and records.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from consultations.models import Activity, Consultation, ConsultationStep
from members.models import Member
from workstations.models import Committee

from .models import Endorsement, Outcome, OutcomeEvent, PointRule


@dataclass(frozen=True)
class Entry:
    """One line of a member's ledger: the record behind the points."""

    member_id: int
    date: datetime.date
    basis: str
    title: str
    points: Decimal
    record: object  # the Activity, Consultation, Outcome or Endorsement

    @property
    def basis_label(self) -> str:
        return PointRule.Basis(self.basis).label


@dataclass
class Standing:
    member: Member
    points: Decimal
    entries: int
    rank: int = 0


class _Rules:
    def __init__(self, committee_ids):
        self.by_committee: dict[int, dict] = defaultdict(dict)
        for rule in PointRule.objects.filter(committee_id__in=committee_ids):
            key = (rule.basis, rule.activity_type_id, rule.outcome_kind, rule.endorsement_level)
            self.by_committee[rule.committee_id][key] = rule.points

    def points(self, committee_id, basis, *, type_id=None, kind="", level="") -> Decimal | None:
        rules = self.by_committee.get(committee_id, {})
        for key in ((basis, type_id, kind, level), (basis, None, "", "")):
            if key in rules:
                return rules[key]
        return None


def _entries(members: dict[int, Member], year: int) -> list[Entry]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    ids = list(members)
    rules = _Rules({m.committee_id for m in members.values()})
    entries: list[Entry] = []

    def add(member_id, day, basis, title, record, **rule_key):
        points = rules.points(members[member_id].committee_id, basis, **rule_key)
        if points:
            entries.append(Entry(member_id, day, basis, title, points, record))

    through = Activity.participants.through
    for row in (
        through.objects.filter(
            member_id__in=ids, activity__in=Activity.objects.approved().in_period(start, end)
        )
        .select_related("activity")
        .order_by()
    ):
        a = row.activity
        add(row.member_id, a.date, PointRule.Basis.ACTIVITY, a.title, a, type_id=a.type_id)

    step_members = ConsultationStep.members.through
    first_meetings = (
        step_members.objects.filter(
            member_id__in=ids,
            consultationstep__in=ConsultationStep.objects.meetings().in_period(start, end),
        )
        .values("member_id", "consultationstep__consultation_id")
        .annotate(day=Min("consultationstep__date"))
        .order_by()
    )
    meetings = list(first_meetings)
    consultations = Consultation.objects.in_bulk(
        {m["consultationstep__consultation_id"] for m in meetings}
    )
    for m in meetings:
        c = consultations[m["consultationstep__consultation_id"]]
        add(m["member_id"], m["day"], PointRule.Basis.CONSULTATION, c.topic, c)

    authors = Outcome.authors.through
    authorships = list(
        authors.objects.filter(member_id__in=ids).values_list("outcome_id", "member_id").order_by()
    )
    outcome_authors: dict[int, list[int]] = defaultdict(list)
    for outcome_id, member_id in authorships:
        outcome_authors[outcome_id].append(member_id)
    outcomes = Outcome.objects.in_bulk(list(outcome_authors))
    for outcome in outcomes.values():
        if outcome.status == Outcome.Status.SUBMITTED and start <= outcome.submitted_on <= end:
            for member_id in outcome_authors[outcome.pk]:
                add(
                    member_id,
                    outcome.submitted_on,
                    PointRule.Basis.OUTCOME_SUBMITTED,
                    outcome.title,
                    outcome,
                    kind=outcome.kind,
                )
    first_events = (
        OutcomeEvent.objects.filter(
            outcome_id__in=list(outcome_authors),
            kind__in=[OutcomeEvent.Kind.ADOPTED, OutcomeEvent.Kind.SOLVED],
            date__range=(start, end),
        )
        .values("outcome_id", "kind")
        .annotate(day=Min("date"))
        .order_by()
    )
    basis_of = {
        OutcomeEvent.Kind.ADOPTED: PointRule.Basis.OUTCOME_ADOPTED,
        OutcomeEvent.Kind.SOLVED: PointRule.Basis.PROBLEM_SOLVED,
    }
    for event in first_events:
        outcome = outcomes[event["outcome_id"]]
        for member_id in outcome_authors[outcome.pk]:
            add(member_id, event["day"], basis_of[event["kind"]], outcome.title, outcome)
    for endorsement in Endorsement.objects.filter(
        outcome_id__in=list(outcome_authors), date__range=(start, end)
    ).order_by():
        outcome = outcomes[endorsement.outcome_id]
        title = _("%(outcome)s — endorsed by %(leader)s") % {
            "outcome": outcome.title,
            "leader": endorsement.leader_title,
        }
        for member_id in outcome_authors[outcome.pk]:
            add(
                member_id,
                endorsement.date,
                PointRule.Basis.ENDORSEMENT,
                title,
                endorsement,
                level=endorsement.level,
            )
    return entries


def member_ledger(member: Member, year: int) -> list[Entry]:
    """Every entry behind a member's points in ``year``, in date order."""
    return sorted(_entries({member.pk: member}, year), key=lambda e: (e.date, e.basis))


def member_points(member: Member, year: int) -> Decimal:
    return sum((e.points for e in member_ledger(member, year)), Decimal(0))


def ranking(committee: Committee, year: int) -> list[Standing]:
    """Serving members of ``committee`` (and the committees below) by points, highest first.

    Members with equal points share a rank; ties are listed by the pinyin of their names.
    """
    members = {
        m.pk: m
        for m in Member.objects.for_committee(committee)
        .current()
        .select_related("committee", "sector")
    }
    totals: dict[int, Decimal] = defaultdict(Decimal)
    counts: dict[int, int] = defaultdict(int)
    for entry in _entries(members, year):
        totals[entry.member_id] += entry.points
        counts[entry.member_id] += 1
    standings = [Standing(m, totals[pk], counts[pk]) for pk, m in members.items()]
    # Chinese names in ties are listed as a reader expects: by their pinyin.
    standings.sort(key=lambda s: (-s.points, lazy_pinyin(s.member.name), s.member.pk))
    previous, rank = None, 0
    for index, standing in enumerate(standings, start=1):
        if standing.points != previous:
            rank, previous = index, standing.points
        standing.rank = rank
    return standings
