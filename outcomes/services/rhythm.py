"""Changing a rhythm requirement ("一月一活动、一季一议事、一年一报告") so that the periods
already closed keep their result."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from workstations import versions

from ..models import Requirement
from ..rhythm import period_containing

REQUIREMENT_RULE_FIELDS = (
    "period",
    "counts",
    "outcome_kinds",
    "minimum",
    "workstation_kinds",
)


@transaction.atomic
def requirement_change(
    *,
    requirement: Requirement,
    changes: dict,
    activity_types: Iterable | None = None,
    today: datetime.date | None = None,
) -> Requirement:
    """Change a requirement's rule so that the periods already closed keep their result.

    If a period under the requirement has already closed, the current version ends on the last
    closed period and a new version with the changes starts with the running period; otherwise
    the requirement is changed in place. Returns the version now in force. The committee's
    version is bumped: a rhythm board kept in the cache judges by the rule now in force.
    """
    versions.bump([requirement.committee_id])
    today = today or timezone.localdate()
    running = period_containing(changes.get("period", requirement.period), today)
    closed_any = requirement.effective_from < running.start
    rule_changed = any(
        changes.get(name, getattr(requirement, name)) != getattr(requirement, name)
        for name in REQUIREMENT_RULE_FIELDS
    ) or (
        activity_types is not None
        and {t.pk for t in activity_types}
        != set(requirement.activity_types.values_list("pk", flat=True))
    )
    if not closed_any or not rule_changed:
        for name, value in changes.items():
            setattr(requirement, name, value)
        requirement.full_clean()
        requirement.save()
        if activity_types is not None:
            requirement.activity_types.set(activity_types)
        return requirement
    old_types = list(requirement.activity_types.all())
    requirement.effective_until = running.start - datetime.timedelta(days=1)
    requirement.full_clean()
    requirement.save(update_fields=["effective_until"])
    successor = Requirement(
        committee=requirement.committee,
        name=requirement.name,
        period=requirement.period,
        counts=requirement.counts,
        outcome_kinds=requirement.outcome_kinds,
        minimum=requirement.minimum,
        workstation_kinds=requirement.workstation_kinds,
        reminder_day=requirement.reminder_day,
        order=requirement.order,
        effective_from=running.start,
    )
    for name, value in changes.items():
        setattr(successor, name, value)
    successor.effective_from = running.start
    successor.effective_until = None
    successor.full_clean()
    successor.save()
    successor.activity_types.set(activity_types if activity_types is not None else old_types)
    return successor
