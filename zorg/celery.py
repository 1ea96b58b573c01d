"""The Celery app: broker and result backend on Redis, tasks discovered per app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zorg.settings")

app = Celery("zorg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
