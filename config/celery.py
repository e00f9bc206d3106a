"""Celery app: a worker at scale (HUIYIN_CELERY_BROKER_URL), eager in-process in the embedded mode."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
app = Celery("huiyin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_periodic_jobs(sender: Celery, **kwargs) -> None:
    """Celery beat runs the jobs of the same registry as the embedded scheduler (huiyin.core.scheduling)."""
    import django

    django.setup()
    from huiyin.core.scheduling import JOBS

    for job in JOBS.values():
        sender.add_periodic_task(
            float(job.every_seconds), sender.signature("huiyin.periodic_job", args=(job.name,)), name=job.name
        )
