"""Reminders (issue Herinneringen): the periodic scan and the exactly-once ledger.

The rules live in zorg/herinnering_regels.py: each is a function `regel(school, vandaag)` that
yields Te_sturen items for the due objects it finds with indexed date filters (its cost grows
with the due items, not with all rows). The scan writes each (rule, step, object, due date,
recipient) once into the Herinnering ledger — unique in the database — and only a newly written
row creates a Notificatie. So a duplicate beat tick, a retried task or a worker restarted mid-run
never sends twice, a scan after downtime sends each missed reminder once, and a changed due date
is a new key (the old one no longer matches anything).
"""

import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Herinnering, School
from .notificaties import notificeer

log = logging.getLogger(__name__)


@dataclass
class TeSturen:
    """One reminder a rule wants sent: to whom, about what, and its ledger key."""

    regel: str
    stap: str
    obj: object
    vervaldatum: object
    ontvangers: list
    tekst: str
    url: str = ""
    leerling: object = None
    object_soort: str = field(default="")

    def soort(self):
        return self.object_soort or type(self.obj).__name__.lower()


def vandaag_op(school):
    """Today in the school's timezone."""
    import zoneinfo

    return timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(school.tijdzone)).date()


def registreer(school, item):
    """Write the ledger rows of one item and notify each recipient whose row is new. Returns the
    Notificaties created (empty when everything was sent before)."""
    nieuw = []
    ontvangers = {o.pk: o for o in item.ontvangers if o is not None and o.is_active}
    if not ontvangers:
        return nieuw
    # One read skips the recipients already in the ledger (the usual case on every later tick);
    # the unique key below still decides when two scans race.
    al = set(Herinnering.objects.filter(
        regel=item.regel, stap=item.stap, object_soort=item.soort(), object_id=item.obj.pk,
        vervaldatum=item.vervaldatum, ontvanger_id__in=list(ontvangers),
    ).values_list("ontvanger_id", flat=True))
    for ontvanger in (o for pk, o in ontvangers.items() if pk not in al):
        # The ledger row and its notice commit together: a worker killed in between loses neither.
        with transaction.atomic():
            try:
                with transaction.atomic():
                    rij = Herinnering.objects.create(
                        regel=item.regel, stap=item.stap, object_soort=item.soort(), object_id=item.obj.pk,
                        vervaldatum=item.vervaldatum, ontvanger=ontvanger, school=school,
                    )
            except IntegrityError:
                continue  # sent before: the ledger key exists
            notificaties = notificeer([ontvanger], item.tekst, url=item.url, leerling=item.leerling)
            if notificaties:
                rij.notificatie = notificaties[0]
                rij.save(update_fields=["notificatie"])
                nieuw.extend(notificaties)
    return nieuw


def scan_school(school, vandaag=None, regels=None):
    """Run every rule for one school. Returns the number of new notifications."""
    from . import herinnering_regels

    vandaag = vandaag or vandaag_op(school)
    aantal = 0
    for regel in regels or herinnering_regels.REGELS:
        for item in regel(school, vandaag):
            aantal += len(registreer(school, item))
    return aantal


def scan(vandaag=None):
    """Run the scan for every school (Celery beat calls this every 15 minutes)."""
    totaal = 0
    for school in School.objects.all():
        try:
            totaal += scan_school(school, vandaag)
        except Exception:  # one school's bad data must not stop the others' reminders
            log.exception("herinneringen: scan of school %s failed", school.pk)
    return totaal
