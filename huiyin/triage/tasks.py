"""Celery task (at scale): train a category model for a requested run. Thin; the service does the work.

Without a broker (the embedded mode) the page trains within the request instead."""

from __future__ import annotations

from celery import shared_task


# No automatic retry: a training is long, and the run it was asked for records its own failure (the page
# shows why, and the office may ask again). A second delivery finds the run taken and does nothing: also the
# one that follows a worker killed mid-training (acks_late), whose run, without heartbeat, is given up within
# minutes (services.TRAINING_RUN_SILENT).
@shared_task(name="huiyin.triage.model_train", acks_late=True)
def model_train_task(run_id: int) -> dict:
    from huiyin.triage.services import model_train_run

    run = model_train_run(run_id=run_id)
    return {
        "run": run.pk,
        "status": run.status,
        "version": run.trained_model.version if run.trained_model_id else None,
    }
