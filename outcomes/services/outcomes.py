"""Outcomes (履职成果) and what became of them: members draft and submit theirs, the office
files its own (information bulletins), and staff record the trail (adopted, endorsed by a
leader, put into effect, problem solved)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consultation
from members.models import Member
from workstations.history import bulk_create_with_history
from workstations.models import Committee, Workstation

from .. import tallies
from ..models import Endorsement, Outcome, OutcomeEvent

# What a committee's office writes itself, with no member among the authors.
OFFICE_KINDS = frozenset({Outcome.Kind.BULLETIN, Outcome.Kind.TYPICAL_CASE})
# The five parts a typical case (典型案例) is told in, which any outcome may carry.
CASE_PARTS = ("background", "participants_text", "process", "opinions", "effect")


def _check_same_committee(committee: Committee, members: Sequence[Member]) -> None:
    if any(m.committee_id != committee.pk for m in members):
        raise ValidationError({"co_authors": _("Co-authors must be members of your committee.")})


def _check_author(author_ids: set[int], by: Member) -> None:
    if by.pk not in author_ids:
        raise ValidationError(_("Only an author can submit this outcome."), code="not_author")


def _check_complete(outcome: Outcome) -> None:
    if not (outcome.summary or outcome.body):
        raise ValidationError(
            {"summary": _("Write a summary or the full text before you submit.")},
            code="incomplete",
        )


def _check_office_kind(kind: str) -> None:
    if kind not in OFFICE_KINDS:
        raise ValidationError(
            {
                "kind": _(
                    "Only an information bulletin or a typical case can be made without a "
                    "member as its author."
                )
            },
            code="office_kind",
        )


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
    case: dict[str, str] | None = None,
) -> tuple[Outcome, bool]:
    """Start an outcome (a draft) by a member, alone or with co-authors; returns (outcome,
    created). A form posted twice (same ``token``) returns the outcome it already made.
    ``case`` gives the parts of a typical case told in five parts (``CASE_PARTS``)."""
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
        **_case_parts(case),
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
    """Submit a draft outcome (today, unless ``on`` says an earlier day) to ``submitted_to``.

    Returns False when it is already submitted (a double tap). What becomes of it (adopted,
    endorsed, put into effect) staff record in the back office.
    """
    locked = Outcome.objects.select_for_update().get(pk=outcome.pk)
    if locked.status == Outcome.Status.SUBMITTED:
        return False
    _check_author(set(locked.authors.values_list("pk", flat=True)), by)
    _check_complete(locked)
    locked.status = Outcome.Status.SUBMITTED
    locked.submitted_on = on or timezone.localdate()
    if submitted_to.strip():
        locked.submitted_to = submitted_to.strip()
    locked.full_clean(validate_unique=False)
    locked.save(update_fields=["status", "submitted_on", "submitted_to", "updated_at"])
    tallies.refresh_for([locked])
    outcome.refresh_from_db()
    return True


def _case_parts(case: dict[str, str] | None) -> dict[str, str]:
    case = case or {}
    if unknown := set(case) - set(CASE_PARTS):
        raise TypeError(f"Not a part of a typical case: {', '.join(sorted(unknown))}")
    return {part: (case.get(part) or "").strip() for part in CASE_PARTS}


@transaction.atomic
def outcome_create_by_office(
    *,
    committee: Committee,
    by: AbstractBaseUser | None,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    workstation: Workstation | None = None,
    consultation: Consultation | None = None,
    submitted_to: str = "",
    on: datetime.date | None = None,
    case: dict[str, str] | None = None,
) -> Outcome:
    """File an outcome the committee's office writes itself (an information bulletin, 信息专报,
    that tells the leaders of a workstation's work), with no member among its authors.

    The office files it when it sends it, so it is submitted at once (today, unless ``on`` says
    an earlier day). Only the kinds in ``OFFICE_KINDS`` may have no member author, and like any
    submitted outcome it has a summary or a full text.
    """
    _check_office_kind(kind)
    outcome = Outcome(
        committee=committee,
        workstation=workstation,
        consultation=consultation,
        kind=kind,
        title=title.strip(),
        summary=summary.strip(),
        body=body.strip(),
        submitted_to=submitted_to.strip(),
        status=Outcome.Status.SUBMITTED,
        submitted_on=on or timezone.localdate(),
        **_case_parts(case),
    )
    _check_complete(outcome)
    outcome.full_clean(validate_unique=False)
    if by is not None:
        outcome._history_user = by
    outcome.save()
    tallies.refresh_for([outcome])
    return outcome


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


# --- The trail: what became of a submitted outcome ----------------------------------------------
# Its rules live in the models' clean() (OutcomeEvent, Endorsement), which the admin's inlines
# obey too: an entry follows a submitted outcome, dated on or after its submission, not later
# than today.


def _save_entry(entry: OutcomeEvent | Endorsement, by: AbstractBaseUser | None) -> None:
    entry.full_clean()
    if by is not None:
        entry._history_user = by
    entry.save()
    tallies.refresh_for([entry])


@transaction.atomic
def outcome_add_event(
    *,
    outcome: Outcome,
    kind: str,
    date: datetime.date,
    adopted_by: str = "",
    department: str = "",
    measure: str = "",
    money: Decimal | None = None,
    note: str = "",
    by: AbstractBaseUser | None = None,
) -> OutcomeEvent:
    """Add a dated entry to a submitted outcome's trail: adopted (by whom), put into effect (by
    which department, with what measure and money) or problem solved."""
    locked = Outcome.objects.select_for_update().get(pk=outcome.pk)
    event = OutcomeEvent(
        outcome=locked,
        kind=kind,
        date=date,
        adopted_by=adopted_by.strip(),
        department=department.strip(),
        measure=measure.strip(),
        money=money,
        note=note.strip(),
    )
    _save_entry(event, by)
    return event


@transaction.atomic
def outcome_endorse(
    *,
    outcome: Outcome,
    leader: str,
    leader_title: str,
    level: str,
    date: datetime.date,
    text: str = "",
    by: AbstractBaseUser | None = None,
) -> Endorsement:
    """Record a leader's written endorsement (批示) of a submitted outcome: who, in which
    office and at which level, when, and what the endorsement says."""
    locked = Outcome.objects.select_for_update().get(pk=outcome.pk)
    endorsement = Endorsement(
        outcome=locked,
        leader=leader.strip(),
        leader_title=leader_title.strip(),
        level=level,
        date=date,
        text=text.strip(),
    )
    _save_entry(endorsement, by)
    return endorsement


# --- Many at once: a year of the demo ------------------------------------------------------------


@dataclass
class OutcomeRecord:
    """An outcome as far as it went, for ``outcomes_record``: written by ``author`` (and
    ``co_authors``) or, with no author, by the office of ``committee``; a draft, or submitted on
    ``submitted_on`` by ``submitted_by`` (by default the author); published or not by staff."""

    kind: str
    title: str
    summary: str = ""
    body: str = ""
    author: Member | None = None
    co_authors: Sequence[Member] = ()
    committee: Committee | None = None
    workstation: Workstation | None = None
    consultation: Consultation | None = None
    submitted_to: str = ""
    submitted_on: datetime.date | None = None
    submitted_by: Member | None = None
    is_published: bool = False
    case: dict[str, str] = field(default_factory=dict)


def _collect(errors: dict[str, list[str]], check, *args) -> dict[str, list[str]]:
    """``errors`` with what ``check(*args)`` refuses added (by field)."""
    try:
        check(*args)
    except ValidationError as error:
        return error.update_error_dict(errors)
    return errors


def _outcome_from(record: OutcomeRecord) -> tuple[Outcome, list[Member], dict[str, list[str]]]:
    """The outcome a record describes, its authors, and what is wrong with it (by field; empty
    when nothing) under the rules of ``outcome_create`` and ``outcome_submit``, or of
    ``outcome_create_by_office`` for one with no author."""
    author = record.author
    authors = list(dict.fromkeys([author, *record.co_authors])) if author else []
    committee = author.committee if author else record.committee
    submitted = record.submitted_on is not None
    outcome = Outcome(
        committee=committee,
        workstation=record.workstation,
        consultation=record.consultation,
        kind=record.kind,
        title=record.title.strip(),
        summary=record.summary.strip(),
        body=record.body.strip(),
        submitted_to=record.submitted_to.strip(),
        status=Outcome.Status.SUBMITTED if submitted else Outcome.Status.DRAFT,
        submitted_on=record.submitted_on,
        is_published=record.is_published,
        **_case_parts(record.case),
    )
    errors: dict[str, list[str]] = {}
    if author is None:
        errors = _collect(errors, _check_office_kind, record.kind)
        if not submitted:
            errors.setdefault("submitted_on", []).append(
                _("The office's own outcome is submitted when it is made.")
            )
    else:
        errors = _collect(errors, _check_same_committee, committee, record.co_authors)
        if submitted:
            by = record.submitted_by or author
            errors = _collect(errors, _check_author, {m.pk for m in authors}, by)
    if submitted:
        errors = _collect(errors, _check_complete, outcome)
    # Related rows the caller holds need no query to check that they exist.
    exclude = [f for f in ("committee", "workstation", "consultation") if getattr(outcome, f)]
    # clean() says what the check constraint says (a submitted outcome has its date), without
    # a query per row; the database enforces it on saving.
    errors = _collect(
        errors,
        lambda: outcome.full_clean(
            exclude=exclude, validate_unique=False, validate_constraints=False
        ),
    )
    return outcome, authors, errors


@transaction.atomic
def outcomes_record(
    *,
    records: Sequence[OutcomeRecord],
    by: AbstractBaseUser | None = None,
    reason: str = "",
) -> list[Outcome]:
    """Write many outcomes at once, each a draft or submitted, with their authors and the
    history of every row, in a fixed number of queries (the demo's year).

    The rules are those of writing and submitting one outcome (co-authors of the author's
    committee; submitted by an author, with a summary or a full text, not in the future) and of
    the office's own outcomes (``outcome_create_by_office``). A record that breaks one refuses
    the whole batch (ValidationError keyed by the record's position).
    """
    built, problems = [], {}
    for i, record in enumerate(records):
        outcome, authors, errors = _outcome_from(record)
        if errors:
            problems[i] = errors
        built.append((outcome, authors))
    if problems:
        raise ValidationError(
            {f"record {i}": [ValidationError(e)] for i, e in problems.items()}, code="invalid"
        )
    outcomes = bulk_create_with_history(
        [outcome for outcome, _authors in built],
        Outcome,
        user=by,
        reason=reason,
        m2m={"authors": [authors for _outcome, authors in built]},
    )
    # New outcomes have no trail yet: the months of their submissions are all they change.
    tallies.refresh_months({(o.committee_id, o.submitted_on) for o in outcomes if o.submitted_on})
    return outcomes


@dataclass
class EventRecord:
    """An entry of an outcome's trail for ``outcome_trail_record`` (see ``outcome_add_event``)."""

    outcome: Outcome
    kind: str
    date: datetime.date
    adopted_by: str = ""
    department: str = ""
    measure: str = ""
    money: Decimal | None = None
    note: str = ""


@dataclass
class EndorsementRecord:
    """A leader's endorsement for ``outcome_trail_record`` (see ``outcome_endorse``)."""

    outcome: Outcome
    leader: str
    leader_title: str
    level: str
    date: datetime.date
    text: str = ""


@transaction.atomic
def outcome_trail_record(
    *,
    events: Sequence[EventRecord] = (),
    endorsements: Sequence[EndorsementRecord] = (),
    by: AbstractBaseUser | None = None,
    reason: str = "",
) -> tuple[list[OutcomeEvent], list[Endorsement]]:
    """Write many trail entries and endorsements at once, with their history, in a fixed
    number of queries (the demo's year), under the rules of ``outcome_add_event`` and
    ``outcome_endorse``. The outcomes are read again, so an entry is checked against the
    outcome as it is stored (submitted, and when). A record that breaks a rule refuses the
    whole batch (ValidationError keyed "event n" or "endorsement n")."""
    stored = Outcome.objects.in_bulk(
        {r.outcome.pk for r in events} | {r.outcome.pk for r in endorsements}
    )
    rows = [
        OutcomeEvent(
            outcome=stored.get(r.outcome.pk, r.outcome),
            kind=r.kind,
            date=r.date,
            adopted_by=r.adopted_by.strip(),
            department=r.department.strip(),
            measure=r.measure.strip(),
            money=r.money,
            note=r.note.strip(),
        )
        for r in events
    ]
    leaders = [
        Endorsement(
            outcome=stored.get(r.outcome.pk, r.outcome),
            leader=r.leader.strip(),
            leader_title=r.leader_title.strip(),
            level=r.level,
            date=r.date,
            text=r.text.strip(),
        )
        for r in endorsements
    ]
    problems = {}
    for label, entries in (("event", rows), ("endorsement", leaders)):
        for i, entry in enumerate(entries):
            try:
                entry.full_clean(exclude=["outcome"], validate_constraints=False)
            except ValidationError as error:
                problems[f"{label} {i}"] = [error]
    if problems:
        raise ValidationError(problems, code="invalid")
    history = {"user": by, "reason": reason}
    written = (
        bulk_create_with_history(rows, OutcomeEvent, **history),
        bulk_create_with_history(leaders, Endorsement, **history),
    )
    tallies.refresh_for([*rows, *leaders])
    return written
