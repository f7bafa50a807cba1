"""python manage.py send_rhythm_reminders [--committee <slug>] [--date YYYY-MM-DD] [--dry-run]

Schedule it daily (cron); it sends each reminder once per workstation, requirement and period.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes.reminders import send_rhythm_reminders
from workstations.models import Committee


class Command(BaseCommand):
    help = (
        "E-mail the conveners of workstations that have not yet met the running period's "
        "requirement, from the day each requirement sets. Run it daily; it never repeats itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("--committee", help="only this committee (slug) and those below it")
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="list, send nothing")

    def handle(self, *args, committee, date, dry_run, **options):
        committees = Committee.objects.filter(level=Committee.Level.COUNTY)
        if committee:
            root = Committee.objects.filter(slug=committee).first()
            if root is None:
                raise CommandError(
                    _("No committee has the web address %(slug)s.") % {"slug": committee}
                )
            committees = committees.filter(pk__in=Committee.objects.subtree(root))
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(_("Give the date as YYYY-MM-DD.")) from exc
        sent = send_rhythm_reminders(committees=committees, today=today, dry_run=dry_run)
        for reminder in sent:
            self.stdout.write(
                f"{reminder.workstation.committee.name} · {reminder.workstation.name} · "
                f"{', '.join(r.name for r in reminder.requirements)} → "
                f"{', '.join(reminder.recipients) or _('(no e-mail address on file)')}"
            )
        if dry_run:
            self.stdout.write(_("%(n)d reminders would be sent.") % {"n": len(sent)})
        else:
            self.stdout.write(_("%(n)d reminders sent.") % {"n": len(sent)})
