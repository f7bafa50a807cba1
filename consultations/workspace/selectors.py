"""Reads for the workspace's consultation screens."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation

# The kind of outcome that counts as "one typical case"; the outcomes app, above this one,
# owns the list of kinds (``outcomes.models.Outcome.Kind.TYPICAL_CASE``).
TYPICAL_CASE = "typical_case"


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
            consultation.outcomes.filter(kind=TYPICAL_CASE).exists(),
            _("Write up the consultation as a typical case."),
        ),
        ChecklistItem(
            "media",
            _("One media report"),
            consultation.media_reports.exists(),
            _("Add the link to a media report on it."),
        ),
    ]
