"""python manage.py rhythm_report --committee <slug> --year <year> [--format table|csv|xlsx]"""

from __future__ import annotations

import csv

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes import rhythm
from outcomes.exports import STATE_MARKS, rhythm_rows, rhythm_workbook, safe_cell
from workstations.models import Committee


class Command(BaseCommand):
    help = (
        "The rhythm board of a committee (and the committees below it) for a year: every "
        "workstation x requirement x period, met / behind / not yet due, with the counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="the committee's web address (slug)")
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--format", choices=["table", "csv", "xlsx"], default="table")
        parser.add_argument("--output", help="file to write (required for xlsx; default stdout)")
        parser.add_argument(
            "--user",
            help="a staff account: refuse unless it may see this committee (for scripts that "
            "run the report on someone's behalf)",
        )

    def handle(self, *args, committee: str, year: int, format: str, output, user, **options):
        try:
            target = Committee.objects.get(slug=committee)
        except Committee.DoesNotExist as exc:
            raise CommandError(
                _("No committee has the web address %(slug)s.") % {"slug": committee}
            ) from exc
        if user is not None:
            account = get_user_model().objects.filter(username=user, is_active=True).first()
            if (
                account is None
                or not Committee.objects.visible_to(account).filter(pk=target.pk).exists()
            ):
                raise CommandError(
                    _("%(user)s may not see %(committee)s.")
                    % {"user": user, "committee": target.name}
                )
        if not 2000 <= year <= 2100:
            raise CommandError(_("Give a year between 2000 and 2100."))
        board = rhythm.rhythm_board(target, year)
        if format == "xlsx":
            if not output:
                raise CommandError(_("An xlsx report needs --output FILE.xlsx."))
            with open(output, "wb") as fh:
                fh.write(rhythm_workbook(board))
            self.stdout.write(_("Written to %(file)s.") % {"file": output})
            return
        headers, rows = rhythm_rows(board)
        text_rows = [[self._text(v) for v in row] for row in rows]
        if output:
            # utf-8-sig: Excel on Windows then opens the Chinese text correctly.
            with open(output, "w", newline="", encoding="utf-8-sig") as out:
                self._write(out, format, board, headers, text_rows)
        else:
            self._write(self.stdout, format, board, headers, text_rows)

    def _write(self, out, format, board, headers, rows) -> None:
        if format == "csv":
            writer = csv.writer(out)
            writer.writerow(headers)
            writer.writerows([[safe_cell(v) for v in row] for row in rows])
        else:
            self._table(out, board, headers, rows)

    @staticmethod
    def _text(value) -> str:
        if isinstance(value, rhythm.Cell):
            return f"{STATE_MARKS[value.state]}{value.count}"
        return "" if value is None else str(value)

    def _table(self, out, board, headers, rows) -> None:
        legend = "  ".join(f"{STATE_MARKS[s]} {rhythm.STATE_LABELS[s]}" for s in STATE_MARKS)
        out.write(f"{board.committee.name} · {board.year} · {legend}\n")
        if not rows:
            out.write(_("No requirement applies to any workstation in this year.") + "\n")
            return
        widths = [max(_width(h), *(_width(r[i]) for r in rows)) for i, h in enumerate(headers)]
        for row in [headers, *rows]:
            out.write(
                "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() + "\n"
            )
        behind = board.behind()
        out.write(_("Closed periods behind: %(n)d") % {"n": len(behind)} + "\n")


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
