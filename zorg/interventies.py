"""The school's catalogue of intervention kinds (Interventiesoort).

Every new school starts with the standard catalogue below (the interventions the seeds name:
verlengde instructie, RT, faalangstreductietraining, sova-training, counseling,
huiswerkbegeleiding…); the zorgcoördinator adds, renames and switches off kinds per school.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Interventiesoort, School

# (naam, domein, arrangement code)
STANDAARD = [
    ("Verlengde instructie", "leren", ""),
    ("Pre-teaching", "leren", ""),
    ("Remedial teaching (RT)", "leren", "rt"),
    ("Dyslexiebegeleiding", "leren", "dyslexie"),
    ("Huiswerkbegeleiding", "werkhouding", "huiswerk"),
    ("Planning- en studievaardigheden", "werkhouding", ""),
    ("Faalangstreductietraining", "sociaal_emotioneel", "faalangst"),
    ("Sociale vaardigheidstraining (sova)", "sociaal_emotioneel", "sova"),
    ("Counseling", "sociaal_emotioneel", "counseling"),
    ("Mentorgesprekken", "sociaal_emotioneel", ""),
    ("Gedragsafspraken / gedragskaart", "gedrag", ""),
    ("Ambulante begeleiding", "gedrag", "ambulant"),
    ("Verzuimbegeleiding", "verzuim", ""),
    ("Verrijking / plusprogramma", "talent", ""),
    ("Anders", "", "anders"),
]


def maak_standaardcatalogus(school):
    """Create the standard kinds the school does not have yet (by name). Idempotent."""
    bestaand = set(Interventiesoort.objects.filter(school=school).values_list("naam", flat=True))
    Interventiesoort.objects.bulk_create([
        Interventiesoort(school=school, naam=naam, domein=domein, arrangement=arrangement, volgorde=i)
        for i, (naam, domein, arrangement) in enumerate(STANDAARD)
        if naam not in bestaand
    ])


@receiver(post_save, sender=School, dispatch_uid="standaard_interventiecatalogus")
def _nieuwe_school(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        maak_standaardcatalogus(instance)
