"""`manage.py load_demo`: three county committees with a year of work, and the demo accounts."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from config.demo import builder as demo
from consultations.models import Activity, ActivityPhoto, Consultation, PublicMessage
from members.models import Member
from outcomes.models import Endorsement, Outcome, OutcomeEvent
from workstations.models import Committee, Workstation


class Command(BaseCommand):
    help = (
        "Load the demo data: 含山, 惠民 and 铜官 county committees with a year of activities, "
        "consultations, messages and outcomes, and the demo accounts. Safe to run again: what "
        "is already there is left as it is."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has any committee (used by `make run`).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=f"Seed of the random choices; the same seed gives the same demo "
            f"(default {demo.DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--no-photos", action="store_true", help="Draw no placeholder photos (faster)."
        )

    def handle(self, *args, if_empty: bool, seed: int, no_photos: bool, **options) -> None:
        if if_empty and Committee.objects.exists():
            self.stdout.write("The database already has committees; the demo was not loaded.")
            return
        started = time.monotonic()
        log = self.stdout.write if options["verbosity"] >= 1 else (lambda _msg: None)
        result = demo.load_demo(seed=seed, with_photos=not no_photos, log=log)
        if options["verbosity"] < 1:
            return
        self._figures(result)
        if result.created:
            self.stdout.write(f"Built in {time.monotonic() - started:.1f} s.")
        self._accounts(result)

    def _figures(self, result: demo.DemoResult) -> None:
        slugs = result.created + result.skipped
        self.stdout.write("")
        header = f"{'committee':<20}{'workst.':>8}{'members':>8}{'activ.':>8}{'photos':>8}"
        header += f"{'consult.':>9}{'messages':>9}{'outcomes':>9}{'events':>8}{'endors.':>8}"
        self.stdout.write(header)
        for committee in Committee.objects.filter(slug__in=slugs).order_by("pk"):
            row = [
                Workstation.objects.filter(committee=committee).count(),
                Member.objects.filter(committee=committee).count(),
                Activity.objects.filter(workstation__committee=committee).count(),
                ActivityPhoto.objects.filter(activity__workstation__committee=committee).count(),
                Consultation.objects.filter(workstation__committee=committee).count(),
                PublicMessage.objects.filter(workstation__committee=committee).count(),
                Outcome.objects.filter(committee=committee).count(),
                OutcomeEvent.objects.filter(outcome__committee=committee).count(),
                Endorsement.objects.filter(outcome__committee=committee).count(),
            ]
            widths = [8, 8, 8, 8, 9, 9, 9, 8, 8]
            cells = "".join(f"{value:>{w}}" for value, w in zip(row, widths, strict=True))
            # Chinese characters take two columns on a terminal.
            name = committee.name
            self.stdout.write(name + " " * max(1, 20 - 2 * len(name)) + cells)

    def _accounts(self, result: demo.DemoResult) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password: {demo.DEMO_PASSWORD}):")
        kept = False
        for account, created in result.accounts:
            mark = " " if created else "*"
            kept = kept or not created
            self.stdout.write(f" {mark}{account.username:<18} {account.description}")
        if kept:
            self.stdout.write("  * existed already; its password was left as it was.")
        self.stdout.write("")
        self.stdout.write("Site:        http://127.0.0.1:8000/")
        self.stdout.write("Back office: http://127.0.0.1:8000/admin/")
