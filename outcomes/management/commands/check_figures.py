"""python manage.py check_figures [--committee SLUG] [--year YEAR]

Counts every figure afresh from the records and compares it with the summary the pages read;
prints each difference and exits with status 1 if there is any (a cron job can mail it).
"""

from __future__ import annotations

import sys

from django.utils.translation import gettext as _

from outcomes import counts

from ._figures import FiguresCommand


class Command(FiguresCommand):
    help = "Compare the figures' summary with a count from the records; non-zero if they differ."

    def handle(self, *args, committee, year, **options):
        ids = self.committee_ids(committee)
        self.check_year(year)
        found = counts.differences(ids, year=year)
        slugs = self.slugs(ids)
        for committee_id, month, key, stored, fresh in found:
            self.stdout.write(
                _(
                    "%(committee)s %(month)s %(key)s: summary %(stored)s (public "
                    "%(stored_public)s), counted %(fresh)s (public %(fresh_public)s)"
                )
                % {
                    "committee": slugs[committee_id],
                    "month": f"{month:%Y-%m}",
                    "key": key,
                    "stored": stored[0],
                    "stored_public": stored[1],
                    "fresh": fresh[0],
                    "fresh_public": fresh[1],
                }
            )
        if found:
            self.stderr.write(
                _("%(n)d difference(s). Run: python manage.py rebuild_figures") % {"n": len(found)}
            )
            sys.exit(1)
        self.stdout.write(
            _("The summary matches the records: %(n)d committee(s).") % {"n": len(ids)}
        )
