"""python manage.py rebuild_figures [--committee SLUG] [--year YEAR]

Counts the figures' summary again from the records, one county at a time (each in its own
transaction: a rebuild interrupted half-way leaves the summary of the counties not yet done as
it was). The services keep the summary up to date as they write; a rebuild is for after a
change made behind them (a restore, a fix by hand in the database).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from outcomes import counts

from ._figures import FiguresCommand


class Command(FiguresCommand):
    help = "Count the figures' summary again from the records (every county, or those given)."

    def handle(self, *args, committee, year, **options):
        ids = self.committee_ids(committee)
        self.check_year(year)
        counts.rebuild(ids, year=year)
        self.stdout.write(_("Counted again: %(n)d committee(s).") % {"n": len(ids)})
