"""The figures a committee reports, computed across the apps with aggregate queries.

Every function takes a committee and counts its whole subtree (a city's figures roll up its
counties), takes a year, and runs a fixed number of queries however much data there is.

``public=True`` (the default) counts only what the public may see: published workstations,
published activities and consultations, published outcomes of published (or no) workstations,
messages of published workstations. ``public=False`` counts everything on the register, as the
staff's quarterly rates (``figures_by_period``) do.

How each figure is counted is said once, in ``NOTES``, and shown beside it on the page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Activity, Consultation, PublicMessage
from members.models import Member, Membership
from workstations.models import Committee, Workstation

from .models import Endorsement, Outcome, OutcomeEvent
from .selectors import public_outcomes


@dataclass(frozen=True)
class Rate:
    """A share: ``numerator`` of ``denominator``; ``percent`` is None while there is no data."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> int | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator)


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class Figures:
    year: int
    workstations_by_kind: list[KindCount]
    workstations: int
    members_sitting: int
    activities: int
    residents_served: int
    consultations: int
    outcomes_submitted: int
    endorsements: int
    problems_solved: int
    participation: Rate
    transformation: Rate
    recognition: Rate


@dataclass(frozen=True)
class FigureRow:
    """One figure ready to show: a label, a value (a count, or a rate with its parts), a note."""

    key: str
    label: str
    value: int | None
    note: str
    rate: Rate | None = None


# How each figure is counted: shown under it on the public page, and reused by the dashboards.
NOTES = {
    "workstations": _("Published workstations and rooms, by kind."),
    "members_sitting": _("Serving members who sit today in at least one of these workstations."),
    "activities": _("Published activities dated this year."),
    "residents_served": _("Residents served, as recorded on this year's published activities."),
    "consultations": _(
        "Published consultations opened this year that have reached the consultation meeting."
    ),
    "outcomes_submitted": _("Published outcomes submitted this year."),
    "endorsements": _("Leaders' written endorsements dated this year, on published outcomes."),
    "problems_solved": _(
        "'Problem solved' entries dated this year in the trails of published outcomes."
    ),
    "participation": _(
        "Members who took part in at least one published activity this year, out of the "
        "members who sit in a workstation."
    ),
    "transformation": _(
        "Outcomes submitted this year with a 'put into effect' or 'problem solved' entry in "
        "their trail, out of all outcomes submitted this year. Being adopted alone does not count."
    ),
    "recognition": _(
        "Closed messages rated this year by the residents who left them: the share rated 4 or "
        "5 out of 5."
    ),
}


Period = tuple[datetime.date, datetime.date]


def year_bounds(year: int) -> Period:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _sitting_on(end: datetime.date) -> datetime.date:
    """The day on which "sits in a workstation" is judged: today, or the period's last day."""
    return min(timezone.localdate(), end)


def _workstations(committee: Committee, public: bool) -> QuerySet[Workstation]:
    qs = Workstation.objects.for_committee(committee)
    return qs.published() if public else qs


def _activities(committee: Committee, period: Period, public: bool) -> QuerySet[Activity]:
    qs = (
        Activity.objects.published()
        if public
        else Activity.objects.filter(status=Activity.Status.APPROVED)
    )
    return qs.for_committee(committee).in_period(*period)


def _outcomes(committee: Committee, public: bool) -> QuerySet[Outcome]:
    qs = public_outcomes() if public else Outcome.objects.all()
    return qs.for_committee(committee)


def workstations_by_kind(committee: Committee, *, public: bool = True) -> list[KindCount]:
    """Workstations of each kind (only kinds that have any), in the order of ``Kind``. 1 query."""
    counts = dict(
        _workstations(committee, public)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return [
        KindCount(kind=value, label=label, count=counts[value])
        for value, label in Workstation.Kind.choices
        if counts.get(value)
    ]


def member_participation(
    committee: Committee, year: int, *, public: bool = True, period: Period | None = None
) -> Rate:
    """Members sitting in a workstation (denominator), and those of them who took part in at
    least one activity of the year — or of ``period`` within it (numerator). 1 query."""
    period = period or year_bounds(year)
    sitting = Membership.objects.for_committee(committee).active(_sitting_on(period[1]))
    sitting = sitting.filter(member__is_active=True)
    if public:
        sitting = sitting.filter(workstation__is_published=True)
    took_part = Activity.participants.through.objects.filter(
        activity__in=_activities(committee, period, public)
    ).values("member_id")
    row = Member.objects.filter(pk__in=sitting.values("member_id")).aggregate(
        sitting=Count("pk"), took_part=Count("pk", filter=Q(pk__in=took_part))
    )
    return Rate(numerator=row["took_part"], denominator=row["sitting"])


def activity_totals(committee: Committee, year: int, *, public: bool = True) -> tuple[int, int]:
    """(activities held, residents served) in the year. 1 query."""
    row = _activities(committee, year_bounds(year), public).aggregate(
        n=Count("pk"), served=Sum("residents_served")
    )
    return row["n"], row["served"] or 0


def consultations_held(committee: Committee, year: int, *, public: bool = True) -> int:
    """Consultations opened in the year that reached the consultation meeting. 1 query."""
    qs = Consultation.objects.for_committee(committee)
    if public:
        qs = qs.published()
    start, end = year_bounds(year)
    return qs.filter(
        opened_on__gte=start, opened_on__lte=end, stage__gte=Consultation.Step.MEETING
    ).count()


def outcome_transformation(
    committee: Committee, year: int, *, public: bool = True, period: Period | None = None
) -> Rate:
    """Outcomes submitted in the year — or in ``period`` (denominator) — and those of them put
    into effect or that solved their problem, at any date (numerator). 1 query."""
    start, end = period or year_bounds(year)
    transformed = OutcomeEvent.objects.filter(
        outcome=OuterRef("pk"),
        kind__in=[OutcomeEvent.Kind.IMPLEMENTED, OutcomeEvent.Kind.SOLVED],
    )
    row = (
        _outcomes(committee, public)
        .filter(status=Outcome.Status.SUBMITTED, submitted_on__gte=start, submitted_on__lte=end)
        .aggregate(submitted=Count("pk"), transformed=Count("pk", filter=Q(Exists(transformed))))
    )
    return Rate(numerator=row["transformed"], denominator=row["submitted"])


def endorsements(committee: Committee, year: int, *, public: bool = True) -> int:
    """Leaders' endorsements dated in the year. 1 query."""
    start, end = year_bounds(year)
    return (
        Endorsement.objects.filter(outcome__in=_outcomes(committee, public))
        .filter(date__gte=start, date__lte=end)
        .count()
    )


def problems_solved(committee: Committee, year: int, *, public: bool = True) -> int:
    """ "Problem solved" trail entries dated in the year. 1 query."""
    start, end = year_bounds(year)
    return (
        OutcomeEvent.objects.filter(outcome__in=_outcomes(committee, public))
        .filter(kind=OutcomeEvent.Kind.SOLVED, date__gte=start, date__lte=end)
        .count()
    )


def public_recognition(
    committee: Committee, year: int, *, public: bool = True, period: Period | None = None
) -> Rate:
    """Closed messages rated in the year — or in ``period`` (denominator) — and those rated 4
    or 5 (numerator). Hidden messages never count. 1 query."""
    start, end = period or year_bounds(year)
    tz = timezone.get_current_timezone()
    qs = PublicMessage.objects.for_committee(committee).visible()
    if public:
        qs = qs.filter(workstation__is_published=True)
    row = qs.filter(
        status=PublicMessage.Status.CLOSED,
        rating__isnull=False,
        rated_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        rated_at__lt=datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        ),
    ).aggregate(rated=Count("pk"), good=Count("pk", filter=Q(rating__gte=4)))
    return Rate(numerator=row["good"], denominator=row["rated"])


def committee_figures(committee: Committee, year: int, *, public: bool = True) -> Figures:
    """All the figures of a committee's subtree for a year. 8 queries."""
    by_kind = workstations_by_kind(committee, public=public)
    participation = member_participation(committee, year, public=public)
    activities, served = activity_totals(committee, year, public=public)
    transformation = outcome_transformation(committee, year, public=public)
    return Figures(
        year=year,
        workstations_by_kind=by_kind,
        workstations=sum(k.count for k in by_kind),
        members_sitting=participation.denominator,
        activities=activities,
        residents_served=served,
        consultations=consultations_held(committee, year, public=public),
        outcomes_submitted=transformation.denominator,
        endorsements=endorsements(committee, year, public=public),
        problems_solved=problems_solved(committee, year, public=public),
        participation=participation,
        transformation=transformation,
        recognition=public_recognition(committee, year, public=public),
    )


def figure_rows(figures: Figures) -> list[FigureRow]:
    """The figures in the order a county reports them, each with its label and note."""
    counts = [
        ("workstations", _("Workstations and rooms"), figures.workstations),
        ("members_sitting", _("Members who sit in them"), figures.members_sitting),
        ("activities", _("Activities this year"), figures.activities),
        ("residents_served", _("Residents served this year"), figures.residents_served),
        ("consultations", _("Consultations held"), figures.consultations),
        ("outcomes_submitted", _("Outcomes submitted"), figures.outcomes_submitted),
        ("endorsements", _("Leaders' endorsements"), figures.endorsements),
        ("problems_solved", _("Problems solved"), figures.problems_solved),
    ]
    rates = [
        ("participation", _("Member participation rate"), figures.participation),
        ("transformation", _("Outcome transformation rate"), figures.transformation),
        ("recognition", _("Public recognition rate"), figures.recognition),
    ]
    rows = [FigureRow(key=k, label=label, value=v, note=NOTES[k]) for k, label, v in counts]
    rows += [
        FigureRow(key=k, label=label, value=rate.percent, note=NOTES[k], rate=rate)
        for k, label, rate in rates
    ]
    return rows
