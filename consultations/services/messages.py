"""Residents' messages (群众留言): received, answered, closed, rated, hidden, taken up as a topic.

A message moves: received → being handled → answered → closed (then the resident may rate it
once); an answered message is closed by itself after the days its committee sets
(``messages_close_answered``); moderation hides it at any step before it is rated.
``MESSAGE_STEPS`` says which moves are allowed; the back office, the workspace and the demo move
messages only through here.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Member, Membership
from workstations.history import bulk_create_with_history
from workstations.models import Workstation
from workstations.tasks import enqueue_on_commit

from .. import tallies
from ..models import Consultation, PublicMessage
from ..tasks import notify_conveners


def message_create(
    *,
    workstation: Workstation,
    mobile: str,
    category: str,
    text: str,
    name: str = "",
    reply_may_be_published: bool = False,
    site_url: str = "",
    notify: bool = True,
    at: datetime.datetime | None = None,
) -> PublicMessage:
    """Record a resident's message for a published workstation and, once the transaction has
    committed, tell the workstation's conveners by e-mail (a task: ``notify_conveners``, tried
    again while the mail server does not answer, and recorded as failed if it never does).

    ``site_url`` (e.g. ``https://example.org/``) makes the link to the back office absolute.
    ``notify=False`` and ``at`` are for messages recorded after the fact (the demo's year):
    nobody is e-mailed, and the message is dated when it arrived (never later than now).
    """
    if at is not None:
        _check_not_future(at)
    message = PublicMessage(
        workstation=workstation,
        name=name,
        mobile=mobile,
        category=category,
        text=text,
        reply_may_be_published=reply_may_be_published,
    )
    message.full_clean()
    message.save()
    if at is not None:
        PublicMessage.objects.filter(pk=message.pk).update(created_at=at)
        message.created_at = at
    tallies.refresh_for([message])
    if notify:
        enqueue_on_commit(notify_conveners, kwargs={"message_id": message.pk, "site_url": site_url})
    return message


def message_notify_conveners(*, message: PublicMessage, site_url: str = "") -> int:
    """E-mail the workstation's conveners in force that a message came in; returns how many.

    The e-mail carries neither the resident's mobile nor the tracking code: a mailbox is not a
    safe place for the one, and whoever holds the other may rate how the message was handled.
    Both stay in the back office.
    """
    recipients = sorted(
        set(
            Membership.objects.active()
            .conveners()
            .filter(
                workstation=message.workstation,
                member__is_active=True,
                member__user__is_active=True,
            )
            .exclude(member__user__email="")
            .values_list("member__user__email", flat=True)
        )
    )
    if not recipients:
        return 0
    admin_path = reverse("admin:consultations_publicmessage_change", args=[message.pk])
    context = {
        "message": message,
        "workstation": message.workstation,
        "admin_url": (site_url.rstrip("/") + admin_path) if admin_path else "",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("email/message_new_subject.txt", context)
        body = render_to_string("email/message_new.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)
    return len(recipients)


# --- Answering, closing, moderating --------------------------------------------------------------

Status = PublicMessage.Status
# Where a message may go from each state. A closed message goes back to "answered" only while
# the resident has not rated it; a hidden one comes back as received or being handled.
MESSAGE_STEPS = {
    Status.NEW: {Status.IN_PROGRESS, Status.ANSWERED, Status.HIDDEN},
    Status.IN_PROGRESS: {Status.NEW, Status.ANSWERED, Status.HIDDEN},
    Status.ANSWERED: {Status.IN_PROGRESS, Status.CLOSED, Status.HIDDEN},
    Status.CLOSED: {Status.ANSWERED},
    Status.HIDDEN: {Status.NEW, Status.IN_PROGRESS},
}
NEEDS_REPLY = {Status.ANSWERED, Status.CLOSED}


def _check_not_future(when: datetime.datetime) -> None:
    if when > timezone.now():
        raise ValidationError(_("This cannot be dated in the future."), code="future")


def _last_step_at(message: PublicMessage) -> datetime.datetime | None:
    """When the latest thing that happened to the message happened (received, answered, …)."""
    steps = (message.created_at, message.replied_at, message.closed_at, message.rated_at)
    return max((t for t in steps if t), default=None)


def message_check_when(*, message: PublicMessage, when: datetime.datetime) -> None:
    """Refuse (ValidationError) a step of a message dated in the future, or before the step
    that came before it: the dates a resident reads (received, answered, closed, rated) follow
    one another."""
    _check_not_future(when)
    last = _last_step_at(message)
    if last is not None and when < last:
        raise ValidationError(
            _("This cannot be dated before the message's last step."), code="order"
        )


def message_check_change(*, message: PublicMessage, status: str, reply: str) -> None:
    """Refuse (ValidationError, by field, every problem at once) a change of status or reply
    that the rules do not allow."""
    reply = (reply or "").strip()
    errors: dict[str, list[str]] = {}
    if message.rating is not None and status != Status.CLOSED:
        errors.setdefault("status", []).append(
            _("The resident has rated how this message was handled; it stays closed.")
        )
    elif status != message.status and status not in MESSAGE_STEPS.get(message.status, ()):
        errors.setdefault("status", []).append(
            _("A message that is “%(now)s” cannot become “%(then)s”.")
            % {"now": message.get_status_display(), "then": Status(status).label}
        )
    if status in NEEDS_REPLY and not reply:
        errors.setdefault("reply", []).append(
            _("Write the answer the resident will read before the message is answered.")
        )
    if message.status == Status.CLOSED and status == Status.CLOSED and reply != message.reply:
        errors.setdefault("reply", []).append(
            _("This message is closed: its answer can no longer be changed.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def message_update(
    *,
    message: PublicMessage,
    status: str,
    reply: str,
    by: AbstractBaseUser | None = None,
    at: datetime.datetime | None = None,
) -> bool:
    """Move a message to ``status`` with ``reply`` (see ``MESSAGE_STEPS``); returns False when
    nothing changes (a second tap).

    The first answer is dated (``replied_at``), and so is the closing (``closed_at``), which
    lets the resident rate it; ``at`` dates them otherwise than now (the demo's year).
    """
    locked = PublicMessage.objects.select_for_update().get(pk=message.pk)
    reply = (reply or "").strip()
    if locked.status == status and locked.reply == reply:
        return False
    _message_move(locked, status=status, reply=reply, when=at or timezone.now())
    if by is not None:
        locked._history_user = by
    locked.full_clean()
    locked.save(update_fields=["status", "reply", "replied_at", "closed_at"])
    tallies.refresh_for([locked])  # hiding or closing changes what the figures count
    message.refresh_from_db()
    return True


def _message_move(
    message: PublicMessage, *, status: str, reply: str, when: datetime.datetime
) -> None:
    """Move a message (in memory) to ``status`` with ``reply`` at ``when``, under the rules of
    ``message_check_change`` and ``message_check_when``: one move of ``message_update``, and of
    each message ``messages_record`` writes."""
    message_check_change(message=message, status=status, reply=reply)
    message_check_when(message=message, when=when)
    message.reply = reply
    if reply and message.replied_at is None:
        message.replied_at = when
    if status == Status.CLOSED and message.status != Status.CLOSED:
        message.closed_at = when
    elif status != Status.CLOSED:
        message.closed_at = None
    message.status = status


def message_answer(
    *,
    message: PublicMessage,
    reply: str,
    by: AbstractBaseUser | None = None,
    at: datetime.datetime | None = None,
) -> bool:
    """Answer a resident's message; the resident reads the answer with their tracking code.
    A closed message is not answered again."""
    if message.status == Status.CLOSED:
        raise ValidationError(
            _("This message is closed: its answer can no longer be changed."), code="closed"
        )
    return message_update(message=message, status=Status.ANSWERED, reply=reply, by=by, at=at)


def message_close(
    *,
    message: PublicMessage,
    by: AbstractBaseUser | None = None,
    at: datetime.datetime | None = None,
) -> bool:
    """Close an answered message: the resident may now rate how it was handled."""
    return message_update(message=message, status=Status.CLOSED, reply=message.reply, by=by, at=at)


def message_hide(*, message: PublicMessage, by: AbstractBaseUser | None = None) -> bool:
    """Hide a message (moderation: spam, abuse); it is no longer found by its code."""
    return message_update(message=message, status=Status.HIDDEN, reply=message.reply, by=by)


def message_rate(
    *, message: PublicMessage, rating: int, at: datetime.datetime | None = None
) -> bool:
    """Record the resident's rating (1–5) of how a closed message was handled.

    Only a closed message can be rated, and only once: the update is conditional, so two
    requests racing cannot both rate. Returns whether the rating was recorded. ``at`` dates a
    rating given earlier (the demo's year): not in the future, nor before the message's last step.
    """
    if not 1 <= int(rating) <= 5:
        raise ValueError("A rating is from 1 to 5.")
    now = at or timezone.now()
    if at is not None:
        message_check_when(message=message, when=at)
    updated = PublicMessage.objects.filter(
        pk=message.pk, status=PublicMessage.Status.CLOSED, rating__isnull=True
    ).update(rating=int(rating), rated_at=now)
    if updated:
        message.rating, message.rated_at = int(rating), now
        tallies.refresh_for([message])
    return bool(updated)


def messages_close_answered(*, now: datetime.datetime | None = None) -> int:
    """Close every answered message whose answer is older than its committee's
    ``messages_close_after_days``, so that its resident can rate how it was handled; returns
    how many were closed. ``manage.py close_answered_messages``, daily (a beat task).

    Each goes through ``message_close`` (its history, the figures), as if staff had closed it
    that day; one that was moved meanwhile (the update locks and checks it again) is left alone.
    The age is counted from the first answer (``replied_at``).
    """
    now = now or timezone.now()
    answered = PublicMessage.objects.filter(status=Status.ANSWERED, replied_at__isnull=False)
    # The committees' settings are few distinct numbers of days: one condition for each.
    days_set = set(
        answered.values_list("workstation__committee__messages_close_after_days", flat=True)
    )
    if not days_set:
        return 0
    due = Q()
    for days in days_set:
        due |= Q(
            workstation__committee__messages_close_after_days=days,
            replied_at__lte=now - datetime.timedelta(days=days),
        )
    closed = 0
    for message in answered.filter(due).order_by("replied_at", "pk"):
        try:
            closed += message_close(message=message)
        except ValidationError:  # moved (or dated) meanwhile so that it may not be closed
            continue
    return closed


@transaction.atomic
def message_to_consultation(
    *,
    message: PublicMessage,
    topic: str = "",
    opened_on: datetime.date | None = None,
    opened_by: Member | None = None,
) -> Consultation:
    """Turn a resident's message into a consultation topic (群众出题).

    The consultation starts at the topic step, unpublished, at the message's workstation; the
    message moves on from "received" to "being handled". Only the topic (by default the message's
    first line) is taken over: the resident's words, name and mobile stay with the message, and
    staff read the topic before they publish the consultation.
    """
    consultation = Consultation(
        workstation=message.workstation,
        topic=(topic or message.text.strip().splitlines()[0])[:150],
        topic_source=Consultation.TopicSource.RESIDENTS,
        source_message=message,
        opened_on=opened_on or timezone.localdate(),
        opened_by=opened_by,
        is_published=False,
    )
    consultation.full_clean()
    consultation.save()
    if message.status == PublicMessage.Status.NEW:
        message.status = PublicMessage.Status.IN_PROGRESS
        message.save(update_fields=["status"])
    return consultation


# --- Many at once: a year of the demo ------------------------------------------------------------


@dataclass(frozen=True)
class MessageMove:
    """One move of a message (see ``MESSAGE_STEPS``): to ``status``, with ``reply``, at ``at``."""

    status: str
    at: datetime.datetime
    reply: str = ""


@dataclass
class MessageRecord:
    """A resident's message as it was received and handled, for ``messages_record``: what the
    resident wrote and when, each move it made after (in order), and the resident's rating."""

    workstation: Workstation
    mobile: str
    category: str
    text: str
    at: datetime.datetime
    name: str = ""
    reply_may_be_published: bool = False
    moves: Sequence[MessageMove] = ()
    rating: int | None = None
    rated_at: datetime.datetime | None = None


def _message_from(record: MessageRecord) -> tuple[PublicMessage, dict[str, list[str]]]:
    """The message a record describes, moved as far as its moves go, and what is wrong with it
    (by field; empty when nothing) under the rules of receiving, moving and rating one message."""
    message = PublicMessage(
        workstation=record.workstation,
        name=record.name,
        mobile=record.mobile,
        category=record.category,
        text=record.text,
        reply_may_be_published=record.reply_may_be_published,
        created_at=record.at,
    )
    errors: dict[str, list[str]] = {}
    try:
        _check_not_future(record.at)
        for move in record.moves:
            _message_move(
                message, status=move.status, reply=(move.reply or "").strip(), when=move.at
            )
        if record.rating is not None:
            if message.status != Status.CLOSED:
                raise ValidationError({"rating": _("Only a closed message can be rated.")})
            rated_at = record.rated_at or timezone.now()
            message_check_when(message=message, when=rated_at)
            message.rating, message.rated_at = record.rating, rated_at
        # The check constraints (a rating from 1 to 5, of a closed message) are the field's
        # validators and clean(), checked without a query per row; the database enforces them.
        message.full_clean(
            exclude=["workstation"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    return message, errors


@transaction.atomic
def messages_record(
    *,
    records: Sequence[MessageRecord],
    by: AbstractBaseUser | None = None,
    reason: str = "",
) -> list[PublicMessage]:
    """Write many residents' messages at once, each as far as it was handled, with its history,
    in a fixed number of queries (the demo's year). Nobody is e-mailed: the messages arrived in
    the past.

    Each record obeys the rules of ``message_create``, ``message_update`` (its moves, in order,
    as ``MESSAGE_STEPS`` allows them, each dated after the one before and not in the future) and
    ``message_rate``; one that breaks a rule refuses the whole batch (ValidationError keyed by
    the record's position), so nothing is half-written. The tracking codes are the server's.
    """
    messages, problems = [], {}
    for i, record in enumerate(records):
        message, errors = _message_from(record)
        if errors:
            problems[i] = errors
        messages.append(message)
    if problems:
        raise ValidationError(
            {f"record {i}": [ValidationError(e)] for i, e in problems.items()}, code="invalid"
        )
    received = [m.created_at for m in messages]
    for message in messages:
        # The history record keeps the message as it stands after its last step.
        message._history_date = _last_step_at(message)
    bulk_create_with_history(messages, PublicMessage, user=by, reason=reason)
    # The creation stamped them now; they arrived when the records say. (The date of their
    # first history record is theirs alone: a later change is dated when it happens.)
    for message, at in zip(messages, received, strict=True):
        message.created_at = at
        del message._history_date
    PublicMessage.objects.bulk_update(messages, ["created_at"], batch_size=500)
    tallies.refresh_for(messages)
    return messages
