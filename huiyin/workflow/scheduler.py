"""A small in-process scheduler for the periodic jobs of `huiyin.core.scheduling`.

Used in the embedded mode (no Celery broker): `make run` starts `runserver` with
HUIYIN_SCHEDULER=embedded and the serving process runs the jobs in a daemon thread. The same
loop runs in the foreground with `manage.py scheduler` (e.g. as a systemd service), and
`manage.py run_periodic` runs every job once (for cron). Every job is safe to run twice, so two
runners at once cost work, never correctness.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connections

from huiyin.core.scheduling import JOBS, PeriodicJob

logger = logging.getLogger(__name__)

FIRST_RUN_DELAY = 5.0


def run_job(job: PeriodicJob, *, own_connections: bool = True) -> object:
    """Run one job, logging (not raising) its failure.

    With `own_connections` (the scheduler's thread) the thread's database connections are
    released afterwards, so an idle scheduler holds none and a broken one is never reused.
    """
    if own_connections:
        close_old_connections()
    try:
        result = job.func()
    except Exception:
        logger.exception("periodic job %s failed", job.name)
        return None
    finally:
        if own_connections:
            connections.close_all()
    return result


class Scheduler:
    """Runs each registered job every `every_seconds`; reads the registry on every tick."""

    def __init__(
        self,
        *,
        jobs: dict[str, PeriodicJob] | None = None,
        clock: Callable[[], float] = time.monotonic,
        first_delay: float = FIRST_RUN_DELAY,
        own_connections: bool = True,
    ) -> None:
        self._jobs = jobs
        self._own_connections = own_connections
        self._clock = clock
        self._first_delay = first_delay
        self._next: dict[str, float] = {}
        self.stop_event = threading.Event()

    @property
    def jobs(self) -> dict[str, PeriodicJob]:
        return self._jobs if self._jobs is not None else JOBS

    def run_pending(self) -> list[str]:
        """Run the jobs that are due now; return their names."""
        now = self._clock()
        ran = []
        for name, job in list(self.jobs.items()):
            due = self._next.setdefault(name, now + self._first_delay)
            if now >= due:
                run_job(job, own_connections=self._own_connections)
                self._next[name] = self._clock() + job.every_seconds
                ran.append(name)
        return ran

    def seconds_to_next(self) -> float:
        if not self._next:
            return self._first_delay
        return max(0.5, min(self._next.values()) - self._clock())

    def run_forever(self) -> None:
        logger.info("periodic-job scheduler started")
        while not self.stop_event.is_set():
            self.run_pending()
            self.stop_event.wait(min(self.seconds_to_next(), 5.0))


_started: Scheduler | None = None


def should_start_embedded(argv: list[str] | None = None, environ: dict | None = None) -> bool:
    """Only in the serving process of `runserver` with HUIYIN_SCHEDULER=embedded: never in tests,
    migrations or other commands, and not in the autoreloader's watcher process."""
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if settings.HUIYIN_SCHEDULER != "embedded":
        return False
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    return environ.get("RUN_MAIN") == "true" or "--noreload" in argv


def start_embedded() -> Scheduler:
    """Start the scheduler in a daemon thread (once per process)."""
    global _started
    if _started is None:
        _started = Scheduler()
        thread = threading.Thread(target=_started.run_forever, name="huiyin-scheduler", daemon=True)
        thread.start()
    return _started
