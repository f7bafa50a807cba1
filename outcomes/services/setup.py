"""The set-up of a new committee across all apps: sectors and standards, activity types, and
for a county the rhythm, point rules and assessment criteria.

This app sits at the top of the app list, so the set-up that touches every app lives here.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from consultations.models import ActivityType
from consultations.services.setup import committee_seed_activity_types
from workstations.models import Committee
from workstations.services import committee_seed_organisation_defaults

from ..models import AssessmentCriterion, Endorsement, Outcome, PointRule, Requirement

# "一月一活动、一季一议事、一年一报告": (name, period, what counts, outcome kinds).
DEFAULT_REQUIREMENTS = [
    ("一月一活动", Requirement.Period.MONTH, Requirement.Counts.ACTIVITY, []),
    ("一季一议事", Requirement.Period.QUARTER, Requirement.Counts.CONSULTATION, []),
    (
        "一年一报告",
        Requirement.Period.YEAR,
        Requirement.Counts.OUTCOME,
        [Outcome.Kind.CONSULTATION_REPORT, Outcome.Kind.RESEARCH_REPORT],
    ),
]
DEFAULT_POINTS = [
    # (basis, endorsement level, points)
    (PointRule.Basis.ACTIVITY, "", 2),
    (PointRule.Basis.CONSULTATION, "", 3),
    (PointRule.Basis.OUTCOME_SUBMITTED, "", 3),
    (PointRule.Basis.OUTCOME_ADOPTED, "", 5),
    (PointRule.Basis.ENDORSEMENT, Endorsement.Level.COUNTY, 5),
    (PointRule.Basis.ENDORSEMENT, Endorsement.Level.CITY, 8),
    (PointRule.Basis.ENDORSEMENT, Endorsement.Level.PROVINCE, 10),
    (PointRule.Basis.ENDORSEMENT, Endorsement.Level.NATIONAL, 15),
    (PointRule.Basis.PROBLEM_SOLVED, "", 5),
]
DEFAULT_CRITERIA = {
    AssessmentCriterion.Metric.ACTIVITIES: 20,
    AssessmentCriterion.Metric.RHYTHM: 15,
    AssessmentCriterion.Metric.CONSULTATIONS: 15,
    AssessmentCriterion.Metric.OUTCOMES: 15,
    AssessmentCriterion.Metric.RESIDENTS_SERVED: 10,
    AssessmentCriterion.Metric.ENDORSEMENTS: 10,
    AssessmentCriterion.Metric.PROBLEMS_SOLVED: 10,
    AssessmentCriterion.Metric.RECOGNITION: 5,
}


@transaction.atomic
def committee_seed_defaults(*, committee: Committee) -> None:
    """Seed a new committee with the usual sectors, standards and activity types.

    Idempotent: running it again adds only what is missing and changes nothing a committee edited.
    """
    committee_seed_organisation_defaults(committee=committee)
    committee_seed_activity_types(committee=committee)
    if committee.level == Committee.Level.COUNTY:
        committee_seed_rhythm(committee=committee)


@transaction.atomic
def committee_seed_rhythm(
    *, committee: Committee, effective_from: datetime.date | None = None
) -> None:
    """Seed "一月一活动、一季一议事、一年一报告", point rules and assessment criteria.

    Only what a committee has none of is added, so a committee's own settings are never touched.
    The requirements are in force from the first of January of this year unless told otherwise.
    """
    effective_from = effective_from or datetime.date(timezone.localdate().year, 1, 1)
    if not committee.requirements.exists():
        for order, (name, period, counts, kinds) in enumerate(DEFAULT_REQUIREMENTS):
            Requirement.objects.create(
                committee=committee,
                name=name,
                period=period,
                counts=counts,
                outcome_kinds=list(kinds),
                effective_from=effective_from,
                reminder_day=20 if period == Requirement.Period.MONTH else None,
                order=order,
            )
    if not committee.point_rules.exists():
        PointRule.objects.bulk_create(
            PointRule(committee=committee, basis=basis, endorsement_level=level, points=points)
            for basis, level, points in DEFAULT_POINTS
        )
        # Receptions of the public weigh a little more than other activities.
        reception = ActivityType.objects.filter(committee=committee, code="reception").first()
        if reception:
            PointRule.objects.create(
                committee=committee,
                basis=PointRule.Basis.ACTIVITY,
                activity_type=reception,
                points=3,
            )
    if not committee.assessment_criteria.exists():
        AssessmentCriterion.objects.bulk_create(
            AssessmentCriterion(committee=committee, metric=metric, weight=weight)
            for metric, weight in DEFAULT_CRITERIA.items()
        )
