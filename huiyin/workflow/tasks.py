"""Celery tasks (at scale): thin wrappers around the services. Beat runs the jobs of the periodic
registry (`huiyin.core.scheduling`) through `periodic_job_task`; see config/celery.py."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(name="huiyin.periodic_job", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def periodic_job_task(name: str) -> object:
    """Run one registered periodic job by name (every job is safe to run twice)."""
    from huiyin.core.scheduling import JOBS

    return JOBS[name].func()


@shared_task(
    name="huiyin.workflow.deadlines_sweep", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def deadlines_sweep_task() -> dict:
    from huiyin.workflow.services import deadlines_sweep

    # Safe to run twice: the service only marks rows whose mark is still empty.
    return deadlines_sweep().as_dict()
