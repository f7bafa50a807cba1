"""Writes about outcomes, and the set-up of a committee across all apps.

This app sits at the top of the app list, so the committee set-up that touches every app lives
here rather than in the lower apps.
"""

from __future__ import annotations

from django.db import transaction

from consultations.services import committee_seed_activity_types
from workstations.models import Committee
from workstations.services import committee_seed_organisation_defaults


@transaction.atomic
def committee_seed_defaults(*, committee: Committee) -> None:
    """Seed a new committee with the usual sectors, standards and activity types.

    Idempotent: running it again adds only what is missing and changes nothing a committee edited.
    """
    committee_seed_organisation_defaults(committee=committee)
    committee_seed_activity_types(committee=committee)
