"""Reads for the member workspace: the desk's rhythm lights, points and outcomes, and the
"五个一" checklist of a consultation.

The rhythm lights ask, for each workstation, whether the current month's, quarter's and year's
requirements are in. When the committee has set its requirements ("一月一活动、一季一议事、
一年一报告", ``outcomes.Requirement``) the lights are the cells of the rhythm board for the
periods running today, the same answer staff see on their board; a committee without
requirements gets the three plain questions below. Either way this is the one function to change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from consultations.models import Activity, Consultation, ConsultationStep
from members.models import Member
from outcomes.models import Outcome, OutcomeEvent, PointRule, Requirement
from outcomes.points import member_ledger
from outcomes.rhythm import MET, period_containing, rhythm_board


@dataclass(frozen=True)
class Light:
    label: str | Promise
    period: str
    done: bool
    # Logs submitted in the period and still waiting for the convener: not counted yet.
    waiting: int = 0


@dataclass
class WorkstationLights:
    workstation: object
    lights: list[Light]


def _waiting_activities(workstation_ids: list[int], today: datetime.date) -> dict[int, int]:
    month = period_containing(Requirement.Period.MONTH, today)
    rows = (
        Activity.objects.filter(
            workstation_id__in=workstation_ids,
            status=Activity.Status.SUBMITTED,
            date__range=(month.start, month.end),
        )
        .values("workstation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["workstation_id"]: r["n"] for r in rows}


def desk_rhythm(workstations, *, today: datetime.date | None = None) -> list[WorkstationLights]:
    """For each workstation: is this month's activity, this quarter's consultation and this
    year's report in? (See the module docstring for what "in" means.)"""
    today = today or timezone.localdate()
    workstations = list(workstations)
    if not workstations:
        return []
    waiting = _waiting_activities([w.pk for w in workstations], today)
    by_committee: dict[int, list] = {}
    for ws in workstations:
        by_committee.setdefault(ws.committee_id, []).append(ws)
    result = []
    for committee_id, group in by_committee.items():
        committee = group[0].committee
        has_rules = Requirement.objects.filter(committee_id=committee_id).exists()
        if has_rules:
            board = rhythm_board(
                committee,
                today.year,
                today=today,
                workstations=committee.workstations.filter(pk__in=[w.pk for w in group]),
            )
            current = board.current()
            for ws in group:
                cells = sorted(
                    (c for c in current if c.workstation.pk == ws.pk),
                    key=lambda c: (c.requirement.order, c.requirement.pk),
                )
                lights = [
                    Light(
                        c.requirement.name,
                        c.period.label,
                        c.state == MET,
                        waiting.get(ws.pk, 0)
                        if c.requirement.counts == Requirement.Counts.ACTIVITY
                        else 0,
                    )
                    for c in cells
                ]
                result.append(WorkstationLights(ws, lights))
        else:
            for ws in group:
                result.append(WorkstationLights(ws, _plain_lights(ws, today, waiting)))
    return result


def _plain_lights(ws, today: datetime.date, waiting: dict[int, int]) -> list[Light]:
    """The plain questions for a committee without requirements."""
    month = period_containing(Requirement.Period.MONTH, today)
    quarter = period_containing(Requirement.Period.QUARTER, today)
    year = period_containing(Requirement.Period.YEAR, today)
    activity_in = Activity.objects.filter(
        workstation=ws,
        status__in=[Activity.Status.SUBMITTED, Activity.Status.APPROVED],
        date__range=(month.start, month.end),
    ).exists()
    consultation_in = (
        Consultation.objects.filter(
            workstation=ws, opened_on__range=(quarter.start, quarter.end)
        ).exists()
        or ConsultationStep.objects.filter(
            consultation__workstation=ws,
            step=Consultation.Step.MEETING,
            date__range=(quarter.start, quarter.end),
        ).exists()
    )
    report_in = Outcome.objects.filter(
        workstation=ws,
        kind__in=[Outcome.Kind.CONSULTATION_REPORT, Outcome.Kind.RESEARCH_REPORT],
        status=Outcome.Status.SUBMITTED,
        submitted_on__range=(year.start, year.end),
    ).exists()
    return [
        Light(_("An activity this month"), month.label, activity_in),
        Light(_("A consultation this quarter"), quarter.label, consultation_in),
        Light(_("A report this year"), year.label, report_in),
    ]


@dataclass(frozen=True)
class Points:
    year: int
    total: Decimal
    recent: list
    # Without rules there are no points to show, rather than a misleading zero.
    has_rules: bool


def desk_points(member: Member, *, today: datetime.date | None = None) -> Points:
    """The member's performance points this year and the latest entries behind them."""
    year = (today or timezone.localdate()).year
    if not PointRule.objects.filter(committee_id=member.committee_id).exists():
        return Points(year, Decimal(0), [], has_rules=False)
    ledger = member_ledger(member, year)
    total = sum((e.points for e in ledger), Decimal(0))
    return Points(year, total, list(reversed(ledger))[:5], has_rules=True)


def my_outcomes(member: Member):
    """The member's outcomes, newest first, with how far each got: adopted, endorsed, in effect."""
    return (
        Outcome.objects.filter(authors=member)
        .select_related("workstation")
        .annotate(
            n_adopted=Count(
                "events", filter=Q(events__kind=OutcomeEvent.Kind.ADOPTED), distinct=True
            ),
            n_implemented=Count(
                "events", filter=Q(events__kind=OutcomeEvent.Kind.IMPLEMENTED), distinct=True
            ),
            n_solved=Count(
                "events", filter=Q(events__kind=OutcomeEvent.Kind.SOLVED), distinct=True
            ),
            n_endorsements=Count("endorsements", distinct=True),
        )
        .order_by("-updated_at", "-pk")
    )


# --- The "五个一" checklist of a consultation --------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: Promise
    done: bool
    hint: Promise


def five_ones(consultation: Consultation) -> list[ChecklistItem]:
    """The "五个一" loop: one topic, one consultation, one problem solved, one typical case,
    one media report; each with whether it is there and what to do if not."""
    steps = {s.step for s in consultation.steps.all()}
    return [
        ChecklistItem(
            "topic",
            _("One topic"),
            bool(consultation.topic),
            _("Give the consultation its topic."),
        ),
        ChecklistItem(
            "meeting",
            _("One consultation meeting"),
            Consultation.Step.MEETING in steps,
            _("Record the consultation meeting."),
        ),
        ChecklistItem(
            "solved",
            _("One problem solved"),
            consultation.problem_solved,
            _("When it is put into effect, record it and tick “the problem is solved”."),
        ),
        ChecklistItem(
            "case",
            _("One typical case"),
            consultation.outcomes.filter(kind=Outcome.Kind.TYPICAL_CASE).exists(),
            _("Write up the consultation as a typical case."),
        ),
        ChecklistItem(
            "media",
            _("One media report"),
            consultation.media_reports.exists(),
            _("Add the link to a media report on it."),
        ),
    ]
