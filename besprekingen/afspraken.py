"""Queries for Mijn afspraken, the school's open afspraken and the mentor's "Vandaag voor u".

Every list here costs a fixed number of queries whatever its length: the afspraken come with
their bespreking, agenda item and pupil in one query, and the klas of anonymous items (shown
instead of a name) in one more. Closing an afspraak is services.handel_af.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerlingen.models import Klasplaatsing
from zorg import toegang

from .models import Afspraak

BINNENKORT_DAGEN = 7
RECENT_AFGEHANDELD_DAGEN = 30

GROEPEN = [
    ("te_laat", gettext_lazy("Te laat")),
    ("binnenkort", gettext_lazy("Binnenkort (binnen 7 dagen)")),
    ("later", gettext_lazy("Later")),
    ("afgehandeld", gettext_lazy("Onlangs afgehandeld (30 dagen)")),
]


def _met_details(afspraken):
    return afspraken.select_related(
        "bespreking__klas", "agendapunt", "leerling", "eigenaar", "afgehandeld_door", "interventie"
    )


def is_anoniem(afspraak):
    """An afspraak of an anonymous agenda item never shows the pupil's name."""
    return afspraak.agendapunt_id is not None and afspraak.agendapunt.anoniem


def vul_aan(afspraken, school, op=None):
    """Add the display facts to fetched afspraken (one extra query, only when an item is anonymous):
    `leerling_tekst` (the name, or "(anoniem) klas" like services.punt_naam), `dagen_te_laat` and
    `groep` (te_laat, binnenkort, later, afgehandeld)."""
    op = op or timezone.localdate()
    afspraken = list(afspraken)
    anoniem = {a.leerling_id or a.agendapunt.leerling_id for a in afspraken if is_anoniem(a)} - {None}
    klassen = {}
    if anoniem:
        schooljaar = school.huidig_schooljaar()
        for leerling_id, klas in (
            Klasplaatsing.objects.filter(leerling_id__in=anoniem, klas__schooljaar=schooljaar)
            .order_by("pk").values_list("leerling_id", "klas__naam")
        ):
            klassen[leerling_id] = klas
    for a in afspraken:
        if is_anoniem(a):
            leerling_id = a.leerling_id or a.agendapunt.leerling_id
            a.leerling_tekst = _("(anoniem) %(klas)s") % {"klas": klassen.get(leerling_id, "")}
            a.leerling_link = None
        elif a.leerling_id:
            a.leerling_tekst = a.leerling.naam
            a.leerling_link = a.leerling_id
        else:
            a.leerling_tekst, a.leerling_link = "", None
        a.dagen_te_laat = (op - a.uiterlijk).days if a.is_te_laat(op) else 0
        if a.status != Afspraak.Status.OPEN:
            a.groep = "afgehandeld"
        elif a.uiterlijk < op:
            a.groep = "te_laat"
        elif a.uiterlijk <= op + datetime.timedelta(days=BINNENKORT_DAGEN):
            a.groep = "binnenkort"
        else:
            a.groep = "later"
    return afspraken


def van_gebruiker(user, school, op=None):
    """The user's own afspraken: all open ones and those closed in the last 30 days."""
    op = op or timezone.localdate()
    sinds = timezone.now() - datetime.timedelta(days=RECENT_AFGEHANDELD_DAGEN)
    afspraken = _met_details(
        Afspraak.objects.filter(school=school, eigenaar=user)
        .filter(Q(status=Afspraak.Status.OPEN) | Q(afgehandeld_op__gte=sinds))
        .order_by("uiterlijk", "pk")
    )
    return vul_aan(afspraken, school, op)


def gegroepeerd(afspraken):
    """[(key, label, [afspraken])] in the order of GROEPEN; the closed ones newest first."""
    per_groep = {key: [] for key, _label in GROEPEN}
    for a in afspraken:
        per_groep[a.groep].append(a)
    per_groep["afgehandeld"].sort(key=lambda a: a.afgehandeld_op or timezone.now(), reverse=True)
    return [(key, label, per_groep[key]) for key, label in GROEPEN]


def open_van_school(user, school, op=None):
    """All open afspraken of the school the user may read, grouped by owner:
    [(eigenaar, [afspraken], number overdue)], owners with the most overdue first."""
    afspraken = vul_aan(
        _met_details(
            toegang.afspraken_voor(user, school).filter(status=Afspraak.Status.OPEN)
            .order_by("eigenaar__last_name", "eigenaar__first_name", "eigenaar_id", "uiterlijk", "pk")
        ),
        school, op,
    )
    per_eigenaar = {}
    for a in afspraken:
        per_eigenaar.setdefault(a.eigenaar_id, (a.eigenaar, []))[1].append(a)
    rijen = [(eigenaar, lijst, sum(1 for a in lijst if a.groep == "te_laat"))
             for eigenaar, lijst in per_eigenaar.values()]
    return sorted(rijen, key=lambda rij: -rij[2])


def afspraak_voor_afhandelen(user, school, pk):
    """One afspraak the user may read (else 404), with its details for re-rendering its row."""
    from django.core.exceptions import ObjectDoesNotExist
    from django.http import Http404

    try:
        afspraak = _met_details(toegang.afspraken_voor(user, school)).get(pk=pk)
    except (ValueError, TypeError, ObjectDoesNotExist):
        raise Http404 from None
    return vul_aan([afspraak], school)[0]


def vandaag_voor(user, school, op=None):
    """The user's open afspraken that are overdue or due within 7 days (for "Vandaag voor u")."""
    op = op or timezone.localdate()
    afspraken = _met_details(
        Afspraak.objects.filter(
            school=school, eigenaar=user, status=Afspraak.Status.OPEN,
            uiterlijk__lte=op + datetime.timedelta(days=BINNENKORT_DAGEN),
        ).order_by("uiterlijk", "pk")
    )
    return vul_aan(afspraken, school, op)
