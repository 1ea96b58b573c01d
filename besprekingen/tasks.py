"""Celery tasks of besprekingen. Tasks take ids and stay thin; the work is in uitnodiging.py."""

from celery import shared_task

from . import uitnodiging


@shared_task
def verstuur_uitnodigingen(bespreking_pk, deelnemer_ids):
    """E-mail the invitation (with .ics) to these participants of a bespreking."""
    return uitnodiging.verstuur(bespreking_pk, deelnemer_ids)
