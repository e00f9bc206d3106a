"""Run the registered periodic jobs once (for cron): `manage.py run_periodic [--job NAME ...]`.

Every job is safe to run twice, so overlapping cron runs are harmless.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiyin.core.scheduling import JOBS
from huiyin.workflow.scheduler import run_job


class Command(BaseCommand):
    help = "Run every registered periodic job once (or only those named with --job)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--job", action="append", default=[], help="job name; may be repeated")
        parser.add_argument("--list", action="store_true", help="list the jobs and their intervals")

    def handle(self, *args, **options) -> None:
        if options["list"]:
            for job in JOBS.values():
                self.stdout.write(f"{job.name} every {job.every_seconds}s")
            return
        names = options["job"] or list(JOBS)
        unknown = [n for n in names if n not in JOBS]
        if unknown:
            raise CommandError(f"unknown job(s): {', '.join(unknown)}; known: {', '.join(JOBS)}")
        for name in names:
            result = run_job(JOBS[name], own_connections=False)
            self.stdout.write(f"{name}: {result}")
