"""Celery: background and periodic work (expiring requests, completing lessons, refreshing indexes).

Production runs a worker and beat against Redis (`celery -A config worker -B`). The embedded default
runs tasks in-process: `.delay()` executes at once and the beat schedule is driven by the ASGI
process itself (``apps.core.scheduler``).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("m4sh")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
