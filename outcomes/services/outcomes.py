"""Outcomes members write (履职成果) and what became of them: drafted, submitted, and the
trail staff record (adopted, endorsed by a leader, put into effect, problem solved)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consultation
from members.models import Member
from workstations.models import Committee, Workstation

from ..models import Outcome


def _check_same_committee(committee: Committee, members: Sequence[Member]) -> None:
    if any(m.committee_id != committee.pk for m in members):
        raise ValidationError({"co_authors": _("Co-authors must be members of your committee.")})


@transaction.atomic
def outcome_create(
    *,
    author: Member,
    token: uuid.UUID,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    workstation: Workstation | None = None,
    consultation: Consultation | None = None,
    co_authors: Sequence[Member] = (),
    submitted_to: str = "",
) -> tuple[Outcome, bool]:
    """Start an outcome (a draft) by a member, alone or with co-authors; returns (outcome,
    created). A form posted twice (same ``token``) returns the outcome it already made."""
    existing = Outcome.objects.filter(client_token=token).first()
    if existing is not None:
        return existing, False
    _check_same_committee(author.committee, co_authors)
    outcome = Outcome(
        committee=author.committee,
        workstation=workstation,
        consultation=consultation,
        kind=kind,
        title=title.strip(),
        summary=summary.strip(),
        body=body.strip(),
        submitted_to=submitted_to.strip(),
        status=Outcome.Status.DRAFT,
        client_token=token,
    )
    outcome.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            outcome.save()
    except IntegrityError:
        return Outcome.objects.get(client_token=token), False
    outcome.authors.set({author, *co_authors})
    return outcome, True


@transaction.atomic
def outcome_update(
    *,
    outcome: Outcome,
    author: Member,
    token: uuid.UUID,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    workstation: Workstation | None = None,
    consultation: Consultation | None = None,
    co_authors: Sequence[Member] = (),
    submitted_to: str = "",
) -> bool:
    """Change a draft outcome; returns False when this form was already applied. The member
    making the change stays among the authors."""
    locked = Outcome.objects.select_for_update().get(pk=outcome.pk)
    if locked.client_token == token:
        return False
    if locked.status != Outcome.Status.DRAFT:
        raise ValidationError(
            _("This outcome has been submitted and can no longer be changed."),
            code="not_editable",
        )
    _check_same_committee(locked.committee, co_authors)
    locked.client_token = token
    locked.kind = kind
    locked.title = title.strip()
    locked.summary = summary.strip()
    locked.body = body.strip()
    locked.workstation = workstation
    locked.consultation = consultation
    locked.submitted_to = submitted_to.strip()
    locked.full_clean(validate_unique=False)
    locked.save()
    locked.authors.set({author, *co_authors})
    outcome.refresh_from_db()
    return True


@transaction.atomic
def outcome_submit(
    *, outcome: Outcome, by: Member, submitted_to: str = "", on: datetime.date | None = None
) -> bool:
    """Submit a draft outcome (today, unless ``on`` says otherwise) to ``submitted_to``.

    Returns False when it is already submitted (a double tap). What becomes of it (adopted,
    endorsed, put into effect) staff record in the back office.
    """
    locked = Outcome.objects.select_for_update().get(pk=outcome.pk)
    if locked.status == Outcome.Status.SUBMITTED:
        return False
    if not locked.authors.filter(pk=by.pk).exists():
        raise ValidationError(_("Only an author can submit this outcome."), code="not_author")
    if not (locked.summary or locked.body):
        raise ValidationError(
            {"summary": _("Write a summary or the full text before you submit.")},
            code="incomplete",
        )
    locked.status = Outcome.Status.SUBMITTED
    locked.submitted_on = on or timezone.localdate()
    if submitted_to.strip():
        locked.submitted_to = submitted_to.strip()
    locked.full_clean(validate_unique=False)
    locked.save(update_fields=["status", "submitted_on", "submitted_to", "updated_at"])
    outcome.refresh_from_db()
    return True


def _steps_text(consultation: Consultation, step: int) -> str:
    return "\n\n".join(
        s.summary for s in consultation.steps.all() if s.step == step and s.summary.strip()
    )


@transaction.atomic
def consultation_draft_report(*, consultation: Consultation, by: Member) -> tuple[Outcome, bool]:
    """Draft a consultation report (协商报告) from what the consultation recorded; returns
    (outcome, created).

    The draft takes the background, the research, the meeting (who took part and how it went),
    the opinions formed and what was put into effect; its authors are the member drafting it and
    the members at the meeting. While a draft report of this consultation exists, it is returned
    instead of a second one.
    """
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    existing = Outcome.objects.filter(
        consultation=locked,
        kind=Outcome.Kind.CONSULTATION_REPORT,
        status=Outcome.Status.DRAFT,
    ).first()
    if existing is not None:
        return existing, False
    steps = list(locked.steps.prefetch_related("members").order_by("step", "date", "pk"))
    meetings = [s for s in steps if s.step == Consultation.Step.MEETING]
    attendees = {m for s in meetings for m in s.members.all()}
    participants = []
    if attendees:
        participants.append(", ".join(sorted(m.name for m in attendees)))
    for meeting in meetings:
        participants += [t for t in (meeting.departments, meeting.stakeholders) if t]
    opinions = _steps_text(locked, Consultation.Step.OPINIONS)
    sections = [
        (_("Background"), locked.description),
        (_("Research"), _steps_text(locked, Consultation.Step.RESEARCH)),
        (_("Consultation meeting"), _steps_text(locked, Consultation.Step.MEETING)),
        (_("Opinions"), opinions),
        (_("Put into effect"), _steps_text(locked, Consultation.Step.IMPLEMENTATION)),
    ]
    outcome = Outcome(
        committee=locked.workstation.committee,
        workstation=locked.workstation,
        consultation=locked,
        kind=Outcome.Kind.CONSULTATION_REPORT,
        title=(_("Consultation report: %(topic)s") % {"topic": locked.topic})[:150],
        summary=opinions[:1000],
        body="\n\n".join(f"{head}\n{text}" for head, text in sections if text.strip()),
        background=locked.description,
        participants_text="\n".join(participants),
        process=_steps_text(locked, Consultation.Step.MEETING),
        opinions=opinions,
        effect=_steps_text(locked, Consultation.Step.IMPLEMENTATION),
        status=Outcome.Status.DRAFT,
    )
    outcome.full_clean(validate_unique=False)
    outcome.save()
    outcome.authors.set({by, *attendees})
    return outcome, True
