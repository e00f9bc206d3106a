"""Registry of periodic jobs. Apps register plain functions here in `ready()`; the runner
(an in-process scheduler in the embedded mode, Celery beat at scale, or `manage.py run_periodic`
from cron) calls them. Every job must be safe to run twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: Callable[[], object]
    every_seconds: int


JOBS: dict[str, PeriodicJob] = {}


def register_periodic(name: str, func: Callable[[], object], *, every_seconds: int) -> None:
    JOBS[name] = PeriodicJob(name=name, func=func, every_seconds=every_seconds)
