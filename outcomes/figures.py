"""The figures a committee reports, with what each is called and how it is counted.

Every figure is counted by ``outcomes.counts`` (the one counting layer); this module names
them. ``FIGURES`` gives each count its label and note twice: for the public (``public=True``:
published records of published workstations only, on the brand pages) and for staff (every
record on the register, on the office pages and in the workbooks). The two labels differ, so
that a clerk never sees one label with two numbers; where a page shows a figure under a label,
it is the number ``counts`` gives for that label, every time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from workstations.models import Committee, Workstation

from . import counts
from .counts import Rate, year_bounds

__all__ = ["FIGURES", "RATES", "Figure", "Figures", "Rate", "committee_figures", "year_bounds"]


@dataclass(frozen=True)
class Figure:
    """A count: its key (the office's series), the summary's key, and its names."""

    key: str
    tally: str
    public_label: object
    public_note: object
    staff_label: object
    staff_note: object


FIGURES = [
    Figure(
        "activities",
        "activities",
        _("Activities this year"),
        _("Published activities dated this year."),
        _("Activities held"),
        _("Approved activities, by their date, at every workstation on the register."),
    ),
    Figure(
        "residents_served",
        "residents",
        _("Residents served this year"),
        _("Residents served, as recorded on this year's published activities."),
        _("Residents served"),
        _("Residents served, as recorded on the approved activities."),
    ),
    Figure(
        "consultations",
        "consultations",
        _("Consultations held"),
        _("Published consultations whose meeting was held this year, each counted once."),
        _("Consultations held (all)"),
        _(
            "Consultations that have held their meeting, each counted once, in the month of "
            "its first meeting, published or not."
        ),
    ),
    Figure(
        "outcomes",
        "outcomes",
        _("Outcomes submitted"),
        _("Published outcomes submitted this year."),
        _("Outcomes submitted (all)"),
        _("Outcomes submitted, by the day they were, published or not."),
    ),
    Figure(
        "endorsements",
        "endorsements",
        _("Leaders' endorsements"),
        _("Leaders' written endorsements dated this year, on published outcomes."),
        _("Leaders' endorsements (all)"),
        _("Leaders' written endorsements, by their date, on any outcome."),
    ),
    Figure(
        "problems_solved",
        "solved",
        _("Problems solved"),
        _("'Problem solved' entries dated this year in the trails of published outcomes."),
        _("Problems solved (all)"),
        _("'Problem solved' entries, by their date, in the trail of any outcome."),
    ),
    Figure(
        "messages",
        "messages",
        "",
        "",
        _("Residents' messages received"),
        _("Residents' messages, by the day they arrived, hidden ones included."),
    ),
]
BY_KEY = {f.key: f for f in FIGURES}

# The rates: (key, public label, public note, staff label).
RATES = [
    (
        "participation",
        _("Member participation rate"),
        _(
            "Members who took part in at least one published activity this year, out of the "
            "members who sit in a workstation."
        ),
        _("Member participation"),
    ),
    (
        "transformation",
        _("Outcome transformation rate"),
        _(
            "Outcomes submitted this year with a 'put into effect' or 'problem solved' entry in "
            "their trail, out of all outcomes submitted this year. Being adopted alone does not "
            "count."
        ),
        _("Outcome transformation"),
    ),
    (
        "recognition",
        _("Public recognition rate"),
        _(
            "Closed messages rated this year by the residents who left them: the share rated 4 "
            "or 5 out of 5."
        ),
        _("Public recognition"),
    ),
]


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
    public: bool = True


@dataclass(frozen=True)
class FigureRow:
    """One figure ready to show: a label, a value (a count, or a rate with its parts), a note."""

    key: str
    label: str
    value: int | None
    note: str
    rate: Rate | None = None


WORKSTATIONS_NOTE = _("Published workstations and rooms, by kind.")
SITTING_NOTE = _("Serving members who sit today in at least one of these workstations.")


def workstations_by_kind(committee: Committee, *, public: bool = True) -> list[KindCount]:
    """Workstations of each kind (only kinds that have any), in the order of ``Kind``. 1 query."""
    qs = Workstation.objects.for_committee(committee)
    rows = dict(
        (qs.published() if public else qs)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return [
        KindCount(kind=value, label=label, count=rows[value])
        for value, label in Workstation.Kind.choices
        if rows.get(value)
    ]


def committee_figures(committee: Committee, year: int, *, public: bool = True) -> Figures:
    """Every figure of a committee's subtree for a year (a city's or a province's rolls up its
    counties from the summary). A few queries, however many counties; none while the figures
    are kept (``counts.kept``)."""
    return counts.kept(
        committee,
        f"all:{year}:{public}",
        lambda current: _committee_figures(committee, year, public=public, current=current),
    )


def _committee_figures(committee: Committee, year: int, *, public: bool, current) -> Figures:
    period = year_bounds(year)
    by_kind = workstations_by_kind(committee, public=public)
    totals = counts.sums(committee, period, public=public, current=current)
    participation = counts.participation(committee, period, public=public, current=current)
    return Figures(
        year=year,
        workstations_by_kind=by_kind,
        workstations=sum(k.count for k in by_kind),
        members_sitting=participation.denominator,
        activities=totals["activities"],
        residents_served=totals["residents"],
        consultations=totals["consultations"],
        outcomes_submitted=totals["outcomes"],
        endorsements=totals["endorsements"],
        problems_solved=totals["solved"],
        participation=participation,
        transformation=counts.transformation(totals),
        recognition=counts.recognition(totals),
        public=public,
    )


def figure_rows(figures: Figures) -> list[FigureRow]:
    """The public figures in the order a county reports them, each with its label and note."""
    values = {
        "activities": figures.activities,
        "residents_served": figures.residents_served,
        "consultations": figures.consultations,
        "outcomes": figures.outcomes_submitted,
        "endorsements": figures.endorsements,
        "problems_solved": figures.problems_solved,
    }
    rows = [
        FigureRow("workstations", _("Workstations and rooms"), figures.workstations,
                  WORKSTATIONS_NOTE),
        FigureRow("members_sitting", _("Members who sit in them"), figures.members_sitting,
                  SITTING_NOTE),
    ]  # fmt: skip
    rows += [
        FigureRow(f.key, f.public_label, values[f.key], f.public_note)
        for f in FIGURES
        if f.key in values
    ]
    rows += [
        FigureRow(key, label, getattr(figures, key).percent, note, rate=getattr(figures, key))
        for key, label, note, _staff in RATES
    ]
    return rows
