"""python manage.py place_files

Moves the files of existing records to the storage the rules put them in now (see
``workstations.files``): the photos of activities not yet approved, photos waiting for their
form, consultation attachments, standards evidence and pending import sheets into the private
storage; the photos of approved activities into the public one. For a site upgraded from the
time every upload lay under MEDIA_ROOT, and after restoring files from a backup.

Each file is copied, its row updated and the old copy deleted, a row at a time; a file that is
missing is counted and its row left as it is. Running it again moves nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from consultations.services.consultations import step_attachments_place
from consultations.services.photos import misplaced_photos_place
from workstations.files import Placed, import_sheets_place
from workstations.services import evidence_place


class Command(BaseCommand):
    help = (
        "Move the files of existing records to where they belong now: private until a record "
        "is public, public after. Safe to run again."
    )

    def handle(self, *args, **options):
        activity_photos, waiting = misplaced_photos_place()
        found = [
            (_("Activity photos"), activity_photos),
            (_("Photos waiting for their form"), waiting),
            (_("Consultation attachments"), step_attachments_place()),
            (_("Standards evidence photos"), evidence_place()),
            (_("Pending import sheets"), import_sheets_place()),
        ]
        total = Placed()
        for what, placed in found:
            total += placed
            self.stdout.write(self._line(what, placed))
        self.stdout.write(
            _("%(moved)d files moved in all, %(missing)d missing.")
            % {"moved": total.moved, "missing": total.missing}
        )

    @staticmethod
    def _line(what: str, placed: Placed) -> str:
        return _(
            "%(what)s: %(public)d moved to public storage, %(private)d to private storage, "
            "%(missing)d missing."
        ) % {
            "what": what,
            "public": placed.to_public,
            "private": placed.to_private,
            "missing": placed.missing,
        }
