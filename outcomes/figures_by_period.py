"""The figures over time, for staff: counts by month and rates by quarter for a committee and
the committees below it, and the same rolled up by each committee below (a city's counties).

Staff figures count every workstation on the register, published or not; the public figures
(``outcomes.figures``) count only what is published. Counts are by local (Beijing) dates:
- activities: approved activities by their date; residents served: the sum on those;
- consultations: distinct consultations with a meeting step in the month;
- outcomes: submitted outcomes by their submission date;
- endorsements: leaders' endorsements by their date;
- problems solved: "problem solved" trail entries by their date;
- messages: residents' messages by the day they arrived.
Rates by quarter are the brand page's rates (``outcomes.figures``: member participation,
outcome transformation, public recognition) computed for each quarter.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext_lazy as _

from consultations.models import Activity, Consultation, ConsultationStep, PublicMessage
from workstations.models import Committee

from . import figures
from .models import Endorsement, Outcome, OutcomeEvent, Requirement
from .rhythm import period_containing

SERIES = [
    ("activities", _("Activities held")),
    ("residents_served", _("Residents served")),
    ("consultations", _("Consultation meetings held")),
    ("outcomes", _("Outcomes submitted")),
    ("endorsements", _("Leaders' endorsements")),
    ("problems_solved", _("Problems solved")),
    ("messages", _("Residents' messages received")),
]
RATES = [
    ("participation", _("Member participation")),
    ("transformation", _("Outcome transformation")),
    ("recognition", _("Public recognition")),
]


def _grouped(queryset, date_field: str, group: str | None = None, value=None) -> dict:
    """{(group value or None, month): value} in one query."""
    keys = ["m"] + ([group] if group else [])
    rows = (
        queryset.annotate(m=ExtractMonth(date_field))
        .values(*keys)
        .annotate(v=value or Count("pk"))
        .order_by()
    )
    return {(row.get(group), row["m"]): row["v"] or 0 for row in rows}


def _series_querysets(committee: Committee, year: int) -> dict:
    """series key → (queryset, date field, the field naming its committee, aggregate)."""
    start, end = figures.year_bounds(year)
    activities = Activity.objects.for_committee(committee).filter(
        status=Activity.Status.APPROVED, date__range=(start, end)
    )
    return {
        "activities": (activities, "date", "workstation__committee_id", None),
        "residents_served": (
            activities,
            "date",
            "workstation__committee_id",
            Sum("residents_served"),
        ),
        "consultations": (
            ConsultationStep.objects.for_committee(committee).filter(
                step=Consultation.Step.MEETING, date__range=(start, end)
            ),
            "date",
            "consultation__workstation__committee_id",
            Count("consultation_id", distinct=True),
        ),
        "outcomes": (
            Outcome.objects.for_committee(committee).filter(
                status=Outcome.Status.SUBMITTED, submitted_on__range=(start, end)
            ),
            "submitted_on",
            "committee_id",
            None,
        ),
        "endorsements": (
            Endorsement.objects.for_committee(committee).filter(date__range=(start, end)),
            "date",
            "outcome__committee_id",
            None,
        ),
        "problems_solved": (
            OutcomeEvent.objects.for_committee(committee).filter(
                kind=OutcomeEvent.Kind.SOLVED, date__range=(start, end)
            ),
            "date",
            "outcome__committee_id",
            None,
        ),
        "messages": (
            PublicMessage.objects.for_committee(committee).filter(
                created_at__date__range=(start, end)
            ),
            "created_at",
            "workstation__committee_id",
            None,
        ),
    }


def monthly(committee: Committee, year: int) -> dict[str, list[int]]:
    """Each series of ``SERIES`` as twelve monthly values. One query a series."""
    result = {}
    for key, (queryset, date_field, _group, value) in _series_querysets(committee, year).items():
        grouped = _grouped(queryset, date_field, value=value)
        result[key] = [grouped.get((None, m), 0) for m in range(1, 13)]
    return result


def quarterly_rates(committee: Committee, year: int) -> dict[str, list[float | None]]:
    """Each rate of ``RATES`` for the four quarters, in percent (None where nothing to count).

    The rates are the brand page's own (``outcomes.figures``), over every workstation on the
    register and for each quarter instead of the year. Three queries a quarter.
    """
    rates: dict[str, list[float | None]] = defaultdict(list)
    for quarter in range(4):
        start = datetime.date(year, quarter * 3 + 1, 1)
        period = (start, period_containing(Requirement.Period.QUARTER, start).end)
        for key, rate in (
            ("participation", figures.member_participation),
            ("transformation", figures.outcome_transformation),
            ("recognition", figures.public_recognition),
        ):
            value = rate(committee, year, public=False, period=period)
            rates[key].append(_percent(value.numerator, value.denominator))
    return dict(rates)


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def by_committee(committee: Committee, year: int) -> list[tuple[Committee, dict[str, int]]]:
    """The year's totals of every series for each county-level committee in the subtree.

    One query a series, however many counties.
    """
    counties = list(
        Committee.objects.subtree(committee)
        .filter(level=Committee.Level.COUNTY)
        .select_related("parent")
        .order_by("parent__name", "name")
    )
    totals: dict[int, dict[str, int]] = {c.pk: dict.fromkeys(dict(SERIES), 0) for c in counties}
    for key, (queryset, date_field, group, value) in _series_querysets(committee, year).items():
        for (committee_id, _month), v in _grouped(queryset, date_field, group, value).items():
            if committee_id in totals:
                totals[committee_id][key] += v
    return [(county, totals[county.pk]) for county in counties]
