"""Rhythm reminders: e-mail the conveners of workstations behind in the running period."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from members.models import Membership
from workstations.models import Workstation
from workstations.tasks import enqueue_on_commit

from . import rhythm
from .models import ReminderLog, Requirement
from .tasks import send_reminder


@dataclass
class Reminder:
    workstation: Workstation
    requirements: list[Requirement] = field(default_factory=list)
    cells: list[rhythm.Cell] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


def _due(requirement: Requirement, today: datetime.date) -> rhythm.Period | None:
    """The running period if reminders for it go out today: in its last month, from the day the
    requirement sets."""
    if not requirement.reminder_day:
        return None
    period = rhythm.period_containing(requirement.period, today)
    if today.month == period.end.month and today.day >= requirement.reminder_day:
        return period
    return None


def send_rhythm_reminders(
    *, committees, today: datetime.date, dry_run: bool = False
) -> list[Reminder]:
    """Send one e-mail per workstation behind on one or more requirements whose reminder is due.

    Each (requirement, workstation, period) is reminded once: a ``ReminderLog`` row, unique on
    those three, is written in the same transaction as the decision to send. Each mail is a
    task (``outcomes.tasks.send_reminder``) sent once that transaction has committed; if the
    mail server refuses it to the last try, its rows are deleted and the next run sends it.
    """
    reminders: dict[int, Reminder] = {}
    for committee in committees:
        requirements = [
            r
            for r in Requirement.objects.filter(committee=committee).in_force_for(today, today)
            if _due(r, today)
        ]
        if not requirements:
            continue
        board = rhythm.rhythm_board(committee, today.year, today=today)
        already = set(
            ReminderLog.objects.filter(
                requirement__in=requirements,
                period_start__in={_due(r, today).start for r in requirements},
            ).values_list("requirement_id", "workstation_id", "period_start")
        )
        for requirement in requirements:
            period = _due(requirement, today)
            for ws, cells in board.rows(requirement):
                cell = next((c for c in cells if c and c.period == period), None)
                if cell is None or cell.state != rhythm.NOT_DUE:
                    continue
                if (requirement.pk, ws.pk, period.start) in already:
                    continue
                reminder = reminders.setdefault(ws.pk, Reminder(ws))
                reminder.requirements.append(requirement)
                reminder.cells.append(cell)
    if not reminders:
        return []
    addresses: dict[int, list[str]] = defaultdict(list)
    for place in (
        Membership.objects.active(on=today)
        .conveners()
        .filter(workstation_id__in=list(reminders))
        .select_related("member__user")
    ):
        user = place.member.user
        if user and user.is_active and user.email:
            addresses[place.workstation_id].append(user.email)
    for ws_id, reminder in reminders.items():
        reminder.recipients = sorted(set(addresses[ws_id]))
    if dry_run:
        return list(reminders.values())
    with transaction.atomic():
        for reminder in reminders.values():
            try:
                with transaction.atomic():
                    logs = ReminderLog.objects.bulk_create(
                        ReminderLog(
                            requirement=cell.requirement,
                            workstation=reminder.workstation,
                            period_start=cell.period.start,
                            recipients=", ".join(reminder.recipients),
                        )
                        for cell in reminder.cells
                    )
            except IntegrityError:
                # A run at the same moment logged it first: that run sends it, not this one.
                reminder.recipients = []
                continue
            if reminder.recipients:
                _enqueue(reminder, [log.pk for log in logs])
    return list(reminders.values())


def _enqueue(reminder: Reminder, log_ids: list[int]) -> None:
    """Send the reminder's mail by a task once the logs have committed. A mail that cannot be
    sent after its tries (or that the broker refuses) is logged as sent no more, so the next
    daily run tries again (``reminders_unlog``)."""
    subject, body, sender, recipients = _message(reminder)
    enqueue_on_commit(
        send_reminder,
        kwargs={
            "subject": subject,
            "body": body,
            "from_email": sender,
            "recipients": recipients,
            "log_ids": log_ids,
        },
        on_error=partial(reminders_unlog, log_ids=log_ids),
    )


def reminders_unlog(*, log_ids: list[int]) -> None:
    """Forget that these reminders were sent (their mail failed): the next run sends them."""
    ReminderLog.objects.filter(pk__in=log_ids).delete()


def _message(reminder: Reminder) -> tuple[str, str, str, list[str]]:
    ws = reminder.workstation
    lines = [
        _("Dear convener of %(workstation)s,") % {"workstation": ws.name},
        "",
        _("The following is not yet in for the running period:"),
    ]
    for cell in reminder.cells:
        lines.append(
            _(
                "- %(requirement)s (%(period)s): %(count)d of at least %(minimum)d, "
                "period ends %(end)s"
            )
            % {
                "requirement": cell.requirement.name,
                "period": cell.period.label,
                "count": cell.count,
                "minimum": cell.requirement.minimum,
                "end": cell.period.end.isoformat(),
            }
        )
    lines += ["", _("Please log what your workstation has done. Thank you."), "", ws.committee.name]
    subject = _("[%(brand)s] Reminder: %(workstation)s") % {
        "brand": ws.committee.display_brand,
        "workstation": ws.name,
    }
    return subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, reminder.recipients
