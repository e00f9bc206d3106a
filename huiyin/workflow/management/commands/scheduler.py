"""Run the periodic jobs in the foreground, each at its interval, until interrupted.

For a single server without Celery and without `runserver` (e.g. gunicorn behind systemd): run
this as its own service. Jobs are safe to run twice, so a second scheduler does no harm.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from huiyin.workflow.scheduler import Scheduler


class Command(BaseCommand):
    help = "Run the registered periodic jobs at their intervals (Ctrl-C stops)."

    def handle(self, *args, **options) -> None:
        scheduler = Scheduler(first_delay=0)
        self.stdout.write("scheduler running; Ctrl-C stops it")
        try:
            scheduler.run_forever()
        except KeyboardInterrupt:
            self.stdout.write("scheduler stopped")
