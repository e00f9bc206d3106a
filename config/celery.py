"""Celery app: a worker at scale (HUIYIN_CELERY_BROKER_URL), eager in-process in the embedded mode."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
app = Celery("huiyin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
