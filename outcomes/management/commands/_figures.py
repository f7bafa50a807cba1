"""What rebuild_figures and check_figures share: which committees, which year."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from workstations.models import Committee
from workstations.tenancy import subtree_ids


class FiguresCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--committee", help="a committee's web address (slug): it and those below it"
        )
        parser.add_argument("--year", type=int, help="only this year (default: every month)")

    def committee_ids(self, slug: str | None) -> list[int]:
        if slug is None:
            return list(Committee.objects.order_by("pk").values_list("pk", flat=True))
        committee = Committee.objects.filter(slug=slug).first()
        if committee is None:
            raise CommandError(_("No committee has the web address %(slug)s.") % {"slug": slug})
        return subtree_ids(committee)

    def check_year(self, year: int | None) -> None:
        if year is not None and not 2000 <= year <= timezone.localdate().year:
            raise CommandError(
                _("%(year)s is not a year with figures: give one from 2000 to this year.")
                % {"year": year}
            )

    def slugs(self, ids) -> dict[int, str]:
        return dict(Committee.objects.filter(pk__in=ids).values_list("pk", "slug"))
