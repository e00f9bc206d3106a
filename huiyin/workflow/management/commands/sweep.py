"""Mark due-soon and overdue clocks, escalate missed supervision feedback, close lapsed ratings.

Safe to run twice (e.g. from cron every few minutes): nothing is marked or notified twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from huiyin.workflow.services import deadlines_sweep


class Command(BaseCommand):
    help = "Run the deadline sweep once."

    def handle(self, *args, **options) -> None:
        result = deadlines_sweep()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.as_dict().items()))
