"""Celery tasks (at scale). Without a broker (the embedded mode) they run in-process, inline."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(name="huiyin.audit.verify_chain", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def verify_chain_task(actor_id: int | None) -> dict:
    """The log page's check, in the background: at 1,000,000 records it takes longer than a request may."""
    from django.contrib.auth import get_user_model

    from huiyin.audit.services import audit_check_and_alert

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return audit_check_and_alert(actor=actor)
