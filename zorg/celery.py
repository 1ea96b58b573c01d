"""The Celery app: broker and result backend on Redis, tasks discovered per app."""

import os
import sys

from celery import Celery
from celery.signals import worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zorg.settings")

app = Celery("zorg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_shutdown.connect
def ruim_pdf_fonts_op(**kwargs):
    """A pool child that is recycled (zorg/settings.py, CELERY_WORKER_MAX_*_PER_CHILD) ends with
    os._exit: remove WeasyPrint's temporary font folders first, or /tmp collects one per child."""
    pdf = sys.modules.get("plannen.pdf")  # a child that rendered no PDF has nothing to clean
    if pdf is not None:
        pdf.ruim_fonts_op()
