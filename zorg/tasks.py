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


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def verstuur_notificatie(self, notificatie_id):
    """E-mail one notice now (users who chose "direct"): exactly once, however often it runs."""
    from .email import verstuur_melding

    try:
        return verstuur_melding(notificatie_id)
    except OSError as fout:  # the mail server is unreachable: try again later, still only once
        raise self.retry(exc=fout) from fout


@shared_task
def verstuur_overzichten():
    """Hourly (beat): the daily digest for the users of each school whose digest hour it now is."""
    from .email import verstuur_overzichten as verstuur

    return verstuur()


@shared_task
def bewaartermijnen():
    """Nightly (beat): remove what is past each school's retention terms, or only report it (dry run)."""
    from .bewaartermijnen import nachtelijke_ronde

    return nachtelijke_ronde()


@shared_task
def controleer_toegang():
    """Every 15 minutes (beat): raise an alarm for unusual access (many refusals, many dossiers)."""
    from .alarmen import controleer

    return controleer()
