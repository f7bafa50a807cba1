"""`manage.py generate_scale_data`: the province 安徽 at the scale of a real province platform."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from config.demo import scale as scale_data
from config.demo.builder import DEFAULT_SEED

# SQLite takes a tiny province (the tests); the whole one is for PostgreSQL.
SQLITE_LARGEST_SCALE = 0.05


class Command(BaseCommand):
    help = (
        "Generate the province 安徽 at scale, for benchmarks: 20 cities, 300 counties, 9,300 "
        "workstations, 61,000 members, 1,000,000 activities (3,000,000 participations), "
        "29,000 consultations, 100,000 residents' messages and 100,000 outcomes over this "
        "year and the two before, with 含山 at ten times its demo size, the account "
        "anhui_office (password shangliang-demo) and the figures' summary. Loads the demo "
        "first if it is not there. Written in bulk: the generated rows have no history "
        "(their History page is empty) and no photos. Refuses a province already generated. "
        "The whole province needs PostgreSQL; use it on a database of its own."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Share of the whole province to generate (default 1; 0.01 is a tiny one). "
            f"SQLite takes at most {SQLITE_LARGEST_SCALE}.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Seed of the random choices (default {DEFAULT_SEED}).",
        )

    def handle(self, *args, scale: float, seed: int, **options) -> None:
        if not 0 < scale <= 1:
            raise CommandError("--scale must be more than 0 and at most 1.")
        if connection.vendor != "postgresql" and scale > SQLITE_LARGEST_SCALE:
            raise CommandError(
                f"The province at scale {scale:g} needs PostgreSQL (DATABASE_URL=postgres://…); "
                f"{connection.vendor} takes --scale {SQLITE_LARGEST_SCALE} or less."
            )
        verbose = options["verbosity"] >= 1
        log = self.stdout.write if verbose else (lambda _msg: None)
        started = time.monotonic()
        try:
            result = scale_data.generate_scale_data(scale=scale, seed=seed, log=log)
        except scale_data.AlreadyLarge as refusal:
            raise CommandError(str(refusal)) from None
        if not verbose:
            return
        self.stdout.write("")
        self.stdout.write(f"Generated in {time.monotonic() - started:.1f} s:")
        for step, seconds in result.seconds.items():
            self.stdout.write(f"  {step:<28}{seconds:>8.1f} s")
        self.stdout.write("")
        self.stdout.write("Rows written:")
        for table, rows in sorted(result.rows.items()):
            self.stdout.write(f"  {table:<44}{rows:>10,}")
        self.stdout.write("")
        self.stdout.write("The province now holds:")
        for name, rows in result.province.items():
            self.stdout.write(f"  {name:<20}{rows:>10,}")
