"""Residents' messages (群众留言): received, answered, closed, rated, hidden, taken up as a topic.

A message moves: received → being handled → answered → closed (then the resident may rate it
once); moderation hides it at any step before it is rated. ``MESSAGE_STEPS`` says which moves
are allowed; the back office, the workspace and the demo move messages only through here.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Member, Membership
from workstations.models import Workstation

from ..models import Consultation, PublicMessage


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
    committed, tell the workstation's conveners by e-mail.

    ``site_url`` (e.g. ``https://example.org/``) makes the link to the back office absolute.
    ``notify=False`` and ``at`` are for messages recorded after the fact (the demo's year):
    nobody is e-mailed, and the message is dated when it arrived.
    """
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
    if notify:
        transaction.on_commit(lambda: message_notify_conveners(message=message, site_url=site_url))
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
    try:
        admin_path = reverse("admin:consultations_publicmessage_change", args=[message.pk])
    except NoReverseMatch:  # the back office does not list messages (yet)
        admin_path = ""
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
    message_check_change(message=locked, status=status, reply=reply)
    when = at or timezone.now()
    locked.reply = reply
    if reply and locked.replied_at is None:
        locked.replied_at = when
    if status == Status.CLOSED and locked.status != Status.CLOSED:
        locked.closed_at = when
    elif status != Status.CLOSED:
        locked.closed_at = None
    locked.status = status
    if by is not None:
        locked._history_user = by
    locked.full_clean()
    locked.save(update_fields=["status", "reply", "replied_at", "closed_at"])
    message.refresh_from_db()
    return True


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
    requests racing cannot both rate. Returns whether the rating was recorded.
    """
    if not 1 <= int(rating) <= 5:
        raise ValueError("A rating is from 1 to 5.")
    now = at or timezone.now()
    updated = PublicMessage.objects.filter(
        pk=message.pk, status=PublicMessage.Status.CLOSED, rating__isnull=True
    ).update(rating=int(rating), rated_at=now)
    if updated:
        message.rating, message.rated_at = int(rating), now
    return bool(updated)


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
