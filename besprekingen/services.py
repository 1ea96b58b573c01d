"""The core rules of meetings, shared by the planning, aanmelding, meeting-screen, groepsbespreking
and afspraken modules: planning a bespreking, putting an aanmelding on its agenda (with the ZAT
consent gate), and creating and closing afspraken. Views call these; they hold no rules.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerlingen import route
from zorg import interventies, toegang
from zorg.models import Doelresultaat
from zorg.notificaties import notificeer

from .models import Aanmelding, Afspraak, Agendapunt, Bespreking, Deelnemer

Soort = Bespreking.Soort

# Bijlage 15 (agenda) and Bijlage 16 (verslag) of seed 002: the nine fixed items of a
# groepsbespreking. `verslag` is the heading of the item's section in the verslag; item 8 has
# none there (derived note of 002 §3.14), and the verslag ends with the summary.
GROEPSBESPREKING_PUNTEN = [
    (1, gettext_lazy("Inventariseren vragen docenten"), gettext_lazy("Vragen van docenten")),
    (2, gettext_lazy("Evalueren van het vorig groepsplan"), gettext_lazy("Evalueren van het vorig groepsplan")),
    (3, gettext_lazy("Aandachtspunten voor de hele groep"), gettext_lazy("Aandachtspunten voor de hele groep")),
    (4, gettext_lazy("Signaleren van leerlingen die extra aandacht nodig hebben"),
     gettext_lazy("Leerlingen die extra aandacht nodig hebben")),
    (5, gettext_lazy("Verhelderen/aanscherpen van onderwijsbehoeften"),
     gettext_lazy("Verhelderen en aanscherpen van onderwijsbehoeften")),
    (6, gettext_lazy("Clusteren van leerlingen"), gettext_lazy("Clusteren van leerlingen")),
    (7, gettext_lazy("Opstellen van nieuw groepsplan en maken van afspraken"),
     gettext_lazy("Afspraken voor nieuw groepsplan")),
    (8, gettext_lazy("Wat betekent dit voor mijn eigen vak?"), None),
    (9, gettext_lazy("Aanmelden bij intern zorgteam van school"),
     gettext_lazy("Aanmelden bij intern zorgteam van school")),
]


class BesprekingFout(Exception):
    """A rule of meetings was broken; the messages are Dutch sentences for the user."""

    def __init__(self, *meldingen):
        super().__init__(" ".join(str(m) for m in meldingen))
        self.meldingen = [str(m) for m in meldingen]


def datum_tekst(d):
    return date_format(d, "j F Y")


def bespreking_url(bespreking):
    return reverse("bespreking", args=[bespreking.pk])


def standaard_vervolgdatum(school, vanaf=None):
    """Evaluate the agreements after the school's term (default 6 weeks, seed 004)."""
    return (vanaf or timezone.localdate()) + datetime.timedelta(weeks=school.evaluatie_weken)


# --- Version tokens: an autosaved text is written only over the version the user loaded -----------


def versie_van(obj):
    """The version token of an Agendapunt or Bespreking: its gewijzigd_op."""
    return obj.gewijzigd_op.isoformat() if obj.gewijzigd_op else ""


def is_actueel(obj, gezien):
    """Is `gezien` (a token from versie_van) the object's current version?"""
    try:
        gezien_op = datetime.datetime.fromisoformat(gezien or "")
    except ValueError:
        return False
    return obj.gewijzigd_op == gezien_op


# --- Planning -----------------------------------------------------------------------------------


@transaction.atomic
def plan_bespreking(user, school, soort, begin, voorzitter, deelnemers=(), contactpersonen=(), klas=None,
                    periode=None, titel="", locatie="", duur=60, uitnodigen=True):
    """Plan a bespreking; a groepsbespreking gets the nine fixed agenda items. With `uitnodigen`,
    the participants get an in-app notice and an e-mail with an .ics attachment (after commit)."""
    if not toegang.mag_bespreking_plannen(user, school, soort, klas):
        raise BesprekingFout(_("U mag dit soort bespreking niet plannen."))
    meldingen = []
    if soort == Soort.GROEPSBESPREKING:
        if klas is None:
            meldingen.append(_("Kies de klas van de groepsbespreking."))
        if periode is None:
            meldingen.append(_("Kies de periode die deze groepsbespreking afsluit."))
        elif klas is not None and Bespreking.objects.filter(
            soort=Soort.GROEPSBESPREKING, klas=klas, periode=periode
        ).exclude(status=Bespreking.Status.GEANNULEERD).exists():
            meldingen.append(_("Voor %(klas)s is in %(periode)s al een groepsbespreking gepland.") % {
                "klas": klas.naam, "periode": periode})
    if contactpersonen and soort != Soort.ZAT:
        meldingen.append(_("Externe contactpersonen nemen alleen deel aan een ZAT."))
    if meldingen:
        raise BesprekingFout(*meldingen)
    bespreking = Bespreking.objects.create(
        school=school, soort=soort, begin=begin, voorzitter=voorzitter, klas=klas, periode=periode,
        titel=titel or "", locatie=locatie or "", duur=duur or 60, aangemaakt_door=user,
    )
    gebruikers = {voorzitter.pk: voorzitter}
    gebruikers.update({g.pk: g for g in deelnemers})
    Deelnemer.objects.bulk_create(
        [Deelnemer(bespreking=bespreking, gebruiker=g) for g in gebruikers.values()]
        + [Deelnemer(bespreking=bespreking, contactpersoon=c) for c in {c.pk: c for c in contactpersonen}.values()]
    )
    if soort == Soort.GROEPSBESPREKING:
        Agendapunt.objects.bulk_create(
            Agendapunt(bespreking=bespreking, volgorde=nummer, nummer=nummer, titel=str(titel_punt))
            for nummer, titel_punt, _verslag in GROEPSBESPREKING_PUNTEN
        )
    if uitnodigen:
        nodig_uit(bespreking, afzender=user)
    return bespreking


def nodig_uit(bespreking, afzender=None, alleen=None):
    """Invite the participants (or `alleen` those Deelnemers): an in-app notice now, and the
    e-mail with an .ics attachment from the worker after commit."""
    from . import uitnodiging

    deelnemers = list(alleen) if alleen is not None else list(
        bespreking.deelnemers.select_related("gebruiker", "contactpersoon")
    )
    tekst = _("Uitnodiging: %(naam)s op %(datum)s") % {
        "naam": bespreking.naam,
        "datum": date_format(timezone.localtime(bespreking.begin), "j F Y H:i"),
    }
    notificeer([d.gebruiker for d in deelnemers if d.gebruiker_id], tekst, url=bespreking_url(bespreking),
               behalve=afzender)
    nu = timezone.now()
    Deelnemer.objects.filter(pk__in=[d.pk for d in deelnemers]).update(uitgenodigd_op=nu)
    Bespreking.objects.filter(pk=bespreking.pk).update(uitgenodigd_op=nu)
    ids = [d.pk for d in deelnemers]
    transaction.on_commit(lambda: uitnodiging.verstuur_later(bespreking.pk, ids))


# --- The agenda ------------------------------------------------------------------------------------


def zat_toestemming(leerling, op=None):
    """Valid consent of an ouder with gezag to discuss this pupil by name in the ZAT, or None."""
    return route.geldige_toestemming(leerling, op)


def controleer_zat_toestemming(aanmelding_of_punt, op=None):
    """The consent gate: a named ZAT item needs valid consent; an anonymous one does not."""
    if aanmelding_of_punt.anoniem:
        return None
    toestemming = zat_toestemming(aanmelding_of_punt.leerling, op)
    if toestemming is None:
        raise BesprekingFout(_(
            "%(leerling)s kan niet op naam in het ZAT worden besproken: er is geen geldige toestemming van "
            "een ouder met gezag. Leg de toestemming eerst vast, of bespreek de leerling anoniem."
        ) % {"leerling": aanmelding_of_punt.leerling.naam})
    return toestemming


@transaction.atomic
def zet_op_agenda(user, school, aanmelding, bespreking):
    """Put a waiting aanmelding on the agenda of a planned bespreking. Returns the Agendapunt."""
    aanmelding = Aanmelding.objects.select_for_update(of=("self",)).select_related("leerling").get(pk=aanmelding.pk)
    if not toegang.mag_bespreking_leiden(user, school, bespreking):
        raise BesprekingFout(_("Alleen de voorzitter of de zorgcoördinator zet leerlingen op de agenda."))
    if aanmelding.status not in (Aanmelding.Status.AANGEMELD, Aanmelding.Status.TERUGGESTUURD):
        raise BesprekingFout(_("Deze aanmelding is al %(status)s.") % {"status": aanmelding.get_status_display()})
    if bespreking.status != Bespreking.Status.GEPLAND:
        raise BesprekingFout(_("Deze bespreking is al %(status)s.") % {"status": bespreking.get_status_display()})
    if not bespreking.per_leerling:
        raise BesprekingFout(_("Op een groepsbespreking staan geen aangemelde leerlingen."))
    if bespreking.soort == Soort.ZAT:
        toestemming = controleer_zat_toestemming(aanmelding, timezone.localtime(bespreking.begin).date())
        if toestemming is not None:
            aanmelding.toestemming = toestemming
    volgorde = (bespreking.agendapunten.order_by("-volgorde").values_list("volgorde", flat=True).first() or 0) + 1
    punt = Agendapunt.objects.create(
        bespreking=bespreking, volgorde=volgorde, leerling=aanmelding.leerling, aanmelding=aanmelding,
        anoniem=aanmelding.anoniem, gewijzigd_door=user,
    )
    aanmelding.status = Aanmelding.Status.INGEPLAND
    aanmelding.save(update_fields=["status", "toestemming"])
    notificeer(
        [aanmelding.aangemeld_door],
        _("%(leerling)s staat op de agenda van %(naam)s op %(datum)s") % {
            "leerling": aanmelding.leerling.naam, "naam": bespreking.naam,
            "datum": date_format(timezone.localtime(bespreking.begin), "j F H:i"),
        },
        url=bespreking_url(bespreking), leerling=aanmelding.leerling, behalve=user,
    )
    return punt


@transaction.atomic
def voeg_leerling_toe(user, school, bespreking, leerling):
    """Put one pupil directly on the agenda of a gesprek or leerlingbespreking the user planned or
    leads (a gesprek met ouders/leerling is planned from the dossier; no aanmelding needed)."""
    if bespreking.aangemaakt_door_id != user.pk and not toegang.mag_bespreking_leiden(user, school, bespreking):
        raise BesprekingFout(_("Alleen de voorzitter of de zorgcoördinator zet leerlingen op de agenda."))
    if bespreking.soort not in (Soort.GESPREK, Soort.LEERLINGBESPREKING):
        raise BesprekingFout(_("Voor een IZO of ZAT meldt u de leerling aan; de zorgcoördinator zet de "
                               "aanmelding op de agenda."))
    if not toegang.mag_aanmelden(user, school, leerling):
        raise BesprekingFout(_("U kunt alleen een leerling bespreken bij wie u mentor, teamleider, case-manager of "
                               "zorgteamlid bent."))
    if bespreking.agendapunten.filter(leerling=leerling).exists():
        raise BesprekingFout(_("%(leerling)s staat al op de agenda.") % {"leerling": leerling.naam})
    volgorde = (bespreking.agendapunten.order_by("-volgorde").values_list("volgorde", flat=True).first() or 0) + 1
    return Agendapunt.objects.create(bespreking=bespreking, volgorde=volgorde, leerling=leerling, gewijzigd_door=user)


def anonieme_naam(punt):
    """How an anonymous item is shown everywhere: no name, only klas (and leerjaar)."""
    klas = punt.leerling.huidige_klas() if punt.leerling_id else None
    return _("(anoniem) %(klas)s") % {"klas": klas.naam if klas else ""}


def punt_naam(punt):
    if punt.nummer:
        return punt.titel
    if punt.anoniem:
        return anonieme_naam(punt)
    return punt.leerling.naam if punt.leerling_id else punt.titel


# --- Afspraken ------------------------------------------------------------------------------------


def maak_afspraak(user, school, wat, eigenaar, uiterlijk, bespreking=None, agendapunt=None, leerling=None,
                  soort=Afspraak.Soort.AFSPRAAK, **extra):
    """Record one decision to carry out; the owner gets a notice."""
    meldingen = []
    if not (wat or "").strip():
        meldingen.append(_("Beschrijf wat er moet gebeuren."))
    if eigenaar is None:
        meldingen.append(_("Kies wie de afspraak uitvoert (eigenaar)."))
    elif not school.medewerkers().filter(pk=eigenaar.pk).exists():
        meldingen.append(_("De eigenaar moet een medewerker van deze school zijn."))
    if uiterlijk is None:
        meldingen.append(_("Geef een datum waarop de afspraak uiterlijk is uitgevoerd."))
    interventie = extra.pop("interventie", None)
    if interventie is not None and interventie.school_id != school.pk:
        meldingen.append(_("Kies een soort interventie uit de lijst van de school."))
    if meldingen:
        raise BesprekingFout(*meldingen)
    if interventie is None:
        # An arrangement gets the school's kind for that arrangement (the default choice).
        interventie = interventies.voor_arrangement(school, extra.get("arrangement", ""))
    extra["interventie"] = interventie
    if agendapunt is not None:
        bespreking = bespreking or agendapunt.bespreking
        leerling = leerling or agendapunt.leerling
    afspraak = Afspraak.objects.create(
        school=school, bespreking=bespreking, agendapunt=agendapunt, leerling=leerling, soort=soort,
        wat=wat.strip(), eigenaar=eigenaar, uiterlijk=uiterlijk, aangemaakt_door=user, **extra,
    )
    onderwerp = _("Nieuwe afspraak voor u: %(wat)s (uiterlijk %(datum)s)") % {
        "wat": afspraak.wat[:120], "datum": datum_tekst(uiterlijk)}
    notificeer([eigenaar], onderwerp, url=reverse("mijn_afspraken"), leerling=leerling, behalve=user)
    return afspraak


@transaction.atomic
def handel_af(user, school, afspraak_pk, status, notitie="", evaluatie=None):
    """Mark an afspraak gedaan or vervallen (with a note), or reopen it.

    `evaluatie` (only with gedaan): {"resultaat", "zorguren", "interventie"} — whether the goal was
    reached, the care hours spent and the kind of intervention. `geevalueerd_op` is the day the
    result was first recorded (cleared with the result). Closing an afspraak that is already gedaan
    again only updates the note and the evaluation; its closing date stays."""
    afspraak = Afspraak.objects.select_for_update(of=("self",)).select_related("bespreking").get(pk=afspraak_pk)
    if not toegang.mag_afspraak_afhandelen(user, school, afspraak):
        raise BesprekingFout(_("Alleen de eigenaar, de voorzitter of de zorgcoördinator handelt deze afspraak af."))
    if status not in Afspraak.Status.values:
        raise BesprekingFout(_("Onbekende status."))
    if status == Afspraak.Status.VERVALLEN and not (notitie or "").strip():
        raise BesprekingFout(_("Geef aan waarom de afspraak vervalt."))
    if evaluatie and status == Afspraak.Status.GEDAAN:
        _evalueer_afspraak(afspraak, school, **evaluatie)
    al_gedaan = afspraak.status == status == Afspraak.Status.GEDAAN and afspraak.afgehandeld_op is not None
    afspraak.status = status
    afspraak.notitie = (notitie or "").strip()
    if status == Afspraak.Status.OPEN:
        afspraak.afgehandeld_op = afspraak.afgehandeld_door = None
    elif not al_gedaan:
        afspraak.afgehandeld_op, afspraak.afgehandeld_door = timezone.now(), user
    afspraak.save()
    return afspraak


_NIET_GEGEVEN = object()


def _evalueer_afspraak(afspraak, school, resultaat="", zorguren=None, interventie=_NIET_GEGEVEN):
    meldingen = []
    if resultaat not in Doelresultaat.values:
        meldingen.append(_("Kies of het doel behaald, deels behaald of niet behaald is."))
    if zorguren is not None and zorguren < 0:
        meldingen.append(_("Vul bij zorguren een aantal uren van 0 of meer in (bijvoorbeeld 12,5)."))
    if interventie not in (None, _NIET_GEGEVEN) and interventie.school_id != school.pk:
        meldingen.append(_("Kies een soort interventie uit de lijst van de school."))
    if meldingen:
        raise BesprekingFout(*meldingen)
    if not resultaat:
        afspraak.geevalueerd_op = None
    elif afspraak.geevalueerd_op is None:
        afspraak.geevalueerd_op = timezone.localdate()
    afspraak.resultaat = resultaat
    afspraak.zorguren = zorguren
    if interventie is not _NIET_GEGEVEN:
        afspraak.interventie = interventie
