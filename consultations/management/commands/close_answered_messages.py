"""python manage.py close_answered_messages

An answered message is closed by itself once its answer is older than the days its committee
sets (``Committee.messages_close_after_days``, 14 by default), so that the resident, who rates
only a closed message, can rate how it was handled. Run daily (the beat schedule does).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from consultations.services.messages import messages_close_answered


class Command(BaseCommand):
    help = "Close answered messages older than their committee's number of days."

    def handle(self, *args, **options):
        closed = messages_close_answered()
        self.stdout.write(f"{closed} answered message(s) closed.")
