"""Celery task (at scale): deliver the outbox. Thin; the service does the work."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(name="huiyin.notify.outbox_deliver", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def outbox_deliver_task() -> dict:
    from huiyin.notify.services import outbox_deliver

    return outbox_deliver().as_dict()
