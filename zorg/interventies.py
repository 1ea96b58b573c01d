"""The school's catalogue of intervention kinds (Interventiesoort).

Every new school starts with the standard catalogue below (the interventions the seeds name:
verlengde instructie, RT, faalangstreductietraining, sova-training, counseling,
huiswerkbegeleiding…); the zorgcoördinator adds, renames and switches off kinds per school.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, ProtectedError, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

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
    """Create the standard kinds the school does not have yet (by name, any case). Idempotent;
    returns the number created."""
    bestaand = {n.lower() for n in Interventiesoort.objects.filter(school=school).values_list("naam", flat=True)}
    return len(Interventiesoort.objects.bulk_create([
        Interventiesoort(school=school, naam=naam, domein=domein, arrangement=arrangement, volgorde=i)
        for i, (naam, domein, arrangement) in enumerate(STANDAARD)
        if naam.lower() not in bestaand
    ]))


@receiver(post_save, sender=School, dispatch_uid="standaard_interventiecatalogus")
def _nieuwe_school(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        maak_standaardcatalogus(instance)


# --- Catalogue rules (issue 10, helper A) -------------------------------------------------------


class InterventieFout(Exception):
    def __init__(self, *meldingen):
        super().__init__(*meldingen)
        self.meldingen = list(meldingen)


def keuzes(school, huidig=None):
    """The kinds a user may choose at `school`: the active ones, plus the current value of the record
    being edited (a kind switched off later stays selectable there)."""
    huidig_id = getattr(huidig, "pk", huidig)
    filter_ = Q(actief=True)
    if huidig_id:
        filter_ |= Q(pk=huidig_id)
    return Interventiesoort.objects.filter(filter_, school=school).order_by("volgorde", "naam")


def controleer_school(interventie, school):
    """Refuse a kind of another school (a crafted post never gets stored)."""
    if interventie is not None and interventie.school_id != getattr(school, "pk", school):
        raise InterventieFout(_("Kies een soort interventie uit de lijst van de school."))
    return interventie


def voor_arrangement(school, arrangement):
    """The school's active kind for an afspraak's arrangement code (the default choice), or None."""
    if not arrangement:
        return None
    return (Interventiesoort.objects.filter(school=school, arrangement=arrangement, actief=True)
            .order_by("volgorde", "naam").first())


def naam_bestaat(school, naam, behalve=None):
    qs = Interventiesoort.objects.filter(school=school, naam__iexact=(naam or "").strip())
    if behalve is not None and behalve.pk:
        qs = qs.exclude(pk=behalve.pk)
    return qs.exists()


def _gebruikers():
    from besprekingen.models import Afspraak
    from leerlingen.models import Dossieritem
    from plannen.models import Doel, GroepsplanRij

    return {"groepsplanrijen": GroepsplanRij, "doelen": Doel, "afspraken": Afspraak, "dossieritems": Dossieritem}


def met_gebruik(qs):
    """Annotate each kind with how often it is used (per kind of record and `gebruik` in total), as
    correlated subqueries: one query whatever the number of kinds or records."""
    annotaties = {}
    for naam, model in _gebruikers().items():
        telling = (model.objects.filter(interventie=OuterRef("pk")).order_by().values("interventie")
                   .annotate(n=Count("pk")).values("n"))
        annotaties[f"aantal_{naam}"] = Coalesce(Subquery(telling, output_field=IntegerField()), 0)
    qs = qs.annotate(**annotaties)
    return qs.annotate(gebruik=sum((F(n) for n in annotaties), Value(0)))


def is_gebruikt(soort):
    return any(model.objects.filter(interventie=soort).exists() for model in _gebruikers().values())


def bewaar(school, soort, data):
    """Create (soort None) or change a kind of the school. Names are unique per school (any case)."""
    naam = (data.get("naam") or "").strip()
    if not naam:
        raise InterventieFout(_("Geef de soort interventie een naam."))
    if naam_bestaat(school, naam, behalve=soort):
        raise InterventieFout(_("De school heeft al een soort interventie met de naam “%(naam)s”. Kies een andere "
                                "naam.") % {"naam": naam})
    if soort is None:
        laatste = Interventiesoort.objects.filter(school=school).aggregate(m=Max("volgorde"))["m"]
        soort = Interventiesoort(school=school, volgorde=(laatste or 0) + 1)
    elif soort.school_id != school.pk:
        raise InterventieFout(_("Deze soort interventie hoort niet bij deze school."))
    soort.naam = naam
    for veld in ("domein", "arrangement", "omschrijving", "volgorde", "actief"):
        if veld in data and data[veld] is not None:
            setattr(soort, veld, data[veld])
    try:
        with transaction.atomic():
            soort.save()
    except IntegrityError:
        raise InterventieFout(_("De school heeft al een soort interventie met de naam “%(naam)s”. Kies een andere "
                                "naam.") % {"naam": naam}) from None
    return soort


def verwijder(soort):
    """Delete a kind that was never used; a used kind is switched off instead (its records keep it)."""
    if is_gebruikt(soort):
        raise InterventieFout(_("“%(naam)s” is al gebruikt bij plannen, afspraken of interventies en kan daarom niet "
                                "worden verwijderd. Zet de soort op niet actief: dan is hij niet meer te kiezen, "
                                "maar blijft hij bij de vastgelegde gegevens staan.") % {"naam": soort.naam})
    try:
        with transaction.atomic():
            soort.delete()
    except ProtectedError:
        raise InterventieFout(_("“%(naam)s” is intussen gebruikt en kan niet worden verwijderd. Zet de soort op niet "
                                "actief.") % {"naam": soort.naam}) from None
