"""Celery tasks of the core app. Tasks take ids and stay thin; logic lives in services."""

from celery import shared_task

from .models import School


@shared_task
def tel_leerlingen(school_id):
    """Count a school's pupils: the smallest round trip through broker, worker and database."""
    return School.objects.get(pk=school_id).leerlingen.count()


@shared_task
def scan_herinneringen():
    """The periodic reminder scan (beat, every 15 minutes): exactly once through the ledger."""
    from .herinneringen import scan

    return scan()
