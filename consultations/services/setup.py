"""The set-up of a committee's activity types."""

from __future__ import annotations

from django.db import transaction

from workstations.models import Committee

from ..models import ActivityType

# (code, name, one of the "五微"): the types a county counts unless it changes them.
DEFAULT_ACTIVITY_TYPES = [
    ("micro_lecture", "微宣讲", True),
    ("micro_governance", "微治理", True),
    ("micro_service", "微服务", True),
    ("micro_consultation", "微协商", True),
    ("micro_supervision", "微监督", True),
    ("micro_suggestion", "微建议", False),
    ("theory_study", "理论学习", False),
    ("reception", "接待群众", False),
    ("research", "调研视察", False),
    ("free_clinic", "义诊", False),
    ("legal_aid", "普法", False),
    ("reading", "读书", False),
    ("training", "培训", False),
]


@transaction.atomic
def committee_seed_activity_types(*, committee: Committee) -> None:
    """Give a committee the usual activity types; keeps anything already there."""
    for order, (code, name, five_micro) in enumerate(DEFAULT_ACTIVITY_TYPES):
        ActivityType.objects.get_or_create(
            committee=committee,
            code=code,
            defaults={"name": name, "is_five_micro": five_micro, "order": order},
        )
