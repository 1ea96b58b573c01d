"""The groepsbespreking (seed 002 Bijlage 15 agenda, Bijlage 16 verslag, Bijlage 17 checklist):
proposals from the periode calendar, planning per klas, the notes per agenda item with a version
check, the links to groepsplan and aanmelding, and fixing the verslag.

Views call these functions; a broken rule raises services.BesprekingFout with Dutch messages.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plannen import plannen as plan_svc
from plannen.models import Groepsoverzicht, Groepsplan
from plannen.models import Soort as OverzichtSoort
from zorg import toegang
from zorg.models import Functie, Gebruiker, Klas, Lesopdracht, Periode
from zorg.notificaties import notificeer

from . import services
from .aanmelding import meld_aan
from .models import Afspraak, Agendapunt, Bespreking
from .services import GROEPSBESPREKING_PUNTEN, BesprekingFout

Soort = Bespreking.Soort

# School days before the end of the periode when the periode calendar names no date.
SCHOOLDAGEN_VOOR_EINDE = 3
# Default start time of a proposed groepsbespreking (after the last lesson hour).
STANDAARD_TIJD = datetime.time(15, 30)
STANDAARD_DUUR = 60

# Bijlage 17: the mentor's preparation checklist (shown before the meeting as an aid).
CHECKLIST = [
    (gettext_lazy("Evalueren van het vorig groepsplan"),
     gettext_lazy("Zijn de geplande activiteiten uitgevoerd, en zo niet, waarom niet? Zijn de doelen bereikt, en zo "
                  "niet, waarom niet? Hebben de leerlingen geprofiteerd van de extra begeleiding of aanpak? "
                  "Doorgaan of bijstellen?")),
    (gettext_lazy("Aandachtspunten voor de hele groep"),
     gettext_lazy("Wat zijn de aandachtspunten voor de komende periode? Breng ze in.")),
    (gettext_lazy("Signaleren van leerlingen die de komende periode extra aandacht nodig hebben"),
     gettext_lazy("Vink ze aan in het groepsoverzicht. Over welke leerlingen twijfelt u? Breng ze in.")),
    (gettext_lazy("Aanscherpen van onderwijsbehoeften leerling"),
     gettext_lazy("Van welke leerlingen moeten de onderwijsbehoeften verder worden ingevuld of aangescherpt?")),
    (gettext_lazy("Clusteren van leerlingen"),
     gettext_lazy("Bereid een voorstel voor een haalbare clustering voor, vanuit het groepsoverzicht.")),
    (gettext_lazy("Opstellen van nieuw groepsplan"),
     gettext_lazy("Wat zijn de aandachtspunten van het nieuwe groepsplan, en welke afspraken met docenten zijn "
                  "nodig?")),
    (gettext_lazy("Aanmelding bij intern zorgteam van school"),
     gettext_lazy("Welke leerlingen komen in aanmerking? Leg ze voor aan de groepsbespreking. De mentor kan ook "
                  "een eigen begeleidingsvraag aan het zorgteam stellen.")),
]

# Agenda items with a particular link (Bijlage 15).
PUNT_EVALUATIE, PUNT_SIGNALEREN, PUNT_GROEPSPLAN, PUNT_EIGEN_VAK, PUNT_AANMELDEN = 2, 4, 7, 8, 9
VERSLAGKOPPEN = {nummer: verslag for nummer, _titel, verslag in GROEPSBESPREKING_PUNTEN}


def is_groepsbespreking(bespreking):
    return bespreking.soort == Soort.GROEPSBESPREKING


# --- The periode calendar -------------------------------------------------------------------


def voorgestelde_datum(periode):
    """The periode calendar's date, else a few school days (Mon-Fri) before the end of the periode."""
    if periode.groepsbespreking_op:
        return periode.groepsbespreking_op
    dag, over = periode.einde, SCHOOLDAGEN_VOOR_EINDE
    while over:
        dag -= datetime.timedelta(days=1)
        if dag.weekday() < 5:
            over -= 1
    return max(dag, periode.begin)


def voorgesteld_begin(periode):
    return timezone.make_aware(datetime.datetime.combine(voorgestelde_datum(periode), STANDAARD_TIJD))


def voorstelperioden(school, op=None):
    """The current and the next periode of the running schooljaar."""
    op = op or timezone.localdate()
    schooljaar = school.huidig_schooljaar(op)
    if schooljaar is None:
        return []
    perioden = list(schooljaar.perioden.order_by("begin"))
    huidige = schooljaar.periode_op(op)
    if huidige is None:
        return []
    index = perioden.index(huidige)
    return perioden[index:index + 2]


def volgende_periode(periode):
    return (
        Periode.objects.filter(schooljaar_id=periode.schooljaar_id, begin__gt=periode.begin).order_by("begin").first()
    )


def planbare_klassen(user, school, schooljaar):
    """Klassen of the schooljaar the user may plan a groepsbespreking for, with their mentors."""
    klassen = Klas.objects.filter(schooljaar=schooljaar, afdeling__school=school).select_related("afdeling")
    return [
        klas for klas in klassen.prefetch_related("mentoren").order_by("afdeling__naam", "leerjaar", "naam")
        if toegang.mag_bespreking_plannen(user, school, Soort.GROEPSBESPREKING, klas)
    ]


def mag_plannen_voor_iets(user, school):
    schooljaar = school.huidig_schooljaar()
    return schooljaar is not None and bool(planbare_klassen(user, school, schooljaar))


@dataclass
class Voorstel:
    klas: Klas
    periode: Periode
    datum: datetime.date
    mentoren: list
    bespreking: Bespreking | None = None

    @property
    def gepland(self):
        return self.bespreking is not None

    @property
    def planbaar(self):
        return self.bespreking is None and bool(self.mentoren)


@dataclass
class Periodevoorstel:
    periode: Periode
    datum: datetime.date
    voorstellen: list = field(default_factory=list)

    @property
    def open_aantal(self):
        return sum(1 for v in self.voorstellen if v.planbaar)


def voorstellen(user, school, op=None, klas=None):
    """[Periodevoorstel] for the current and next periode: every klas the user may plan for,
    its proposed date and its groepsbespreking if one is planned or held already."""
    perioden = voorstelperioden(school, op)
    if not perioden:
        return []
    klassen = planbare_klassen(user, school, perioden[0].schooljaar)
    if klas is not None:
        klassen = [k for k in klassen if k.pk == klas.pk]
    bestaand = {
        (b.klas_id, b.periode_id): b
        for b in Bespreking.objects.filter(
            school=school, soort=Soort.GROEPSBESPREKING, klas__in=klassen, periode__in=perioden
        ).exclude(status=Bespreking.Status.GEANNULEERD)
    }
    uitkomst = []
    for periode in perioden:
        datum = voorgestelde_datum(periode)
        blok = Periodevoorstel(periode=periode, datum=datum)
        for k in klassen:
            blok.voorstellen.append(Voorstel(
                klas=k, periode=periode, datum=datum, mentoren=sorted(k.mentoren.all(), key=lambda g: g.naam),
                bespreking=bestaand.get((k.pk, periode.pk)),
            ))
        uitkomst.append(blok)
    return uitkomst


def deelnemers_voor(klas):
    """Who takes part: the klas's mentoren, its docenten (lesopdrachten) and the afdeling's teamleider(s)."""
    return list(
        Gebruiker.objects.filter(is_active=True).filter(
            Q(mentorklassen=klas)
            | Q(id__in=Lesopdracht.objects.filter(klas=klas).values("docent_id"))
            | Q(id__in=Functie.objects.filter(
                schooljaar_id=klas.schooljaar_id, soort=Functie.Soort.TEAMLEIDER, afdeling_id=klas.afdeling_id
            ).values("gebruiker_id"))
        ).distinct().order_by("last_name", "first_name")
    )


def plan_groepsbespreking(user, school, klas, periode, begin=None):
    """Plan the groepsbespreking of one klas and periode: the mentor chairs, the klas's teachers
    and teamleider(s) are invited."""
    mentoren = sorted(klas.mentoren.all(), key=lambda g: g.naam)
    if not mentoren:
        raise BesprekingFout(_(
            "Klas %(klas)s heeft nog geen mentor: de mentor leidt de groepsbespreking. Laat de applicatiebeheerder "
            "eerst een mentor aan de klas koppelen."
        ) % {"klas": klas.naam})
    if periode.schooljaar_id != klas.schooljaar_id:
        raise BesprekingFout(_("Deze periode hoort niet bij het schooljaar van de klas."))
    return services.plan_bespreking(
        user, school, Soort.GROEPSBESPREKING, begin or voorgesteld_begin(periode), mentoren[0],
        deelnemers=deelnemers_voor(klas), klas=klas, periode=periode, duur=STANDAARD_DUUR,
    )


def plan_alle(user, school, op=None):
    """Plan every open proposal. Returns (gepland [Bespreking], fouten [message])."""
    gepland, fouten = [], []
    for blok in voorstellen(user, school, op):
        for voorstel in blok.voorstellen:
            if voorstel.gepland:
                continue
            try:
                gepland.append(plan_groepsbespreking(user, school, voorstel.klas, voorstel.periode))
            except BesprekingFout as fout:
                fouten.extend(fout.meldingen)
    return gepland, fouten


def bespreking_van_klas(user, school, klas, op=None):
    """The readable groepsbespreking of the klas in the current periode, or None."""
    schooljaar = klas.schooljaar
    periode = schooljaar.periode_op(op)
    if periode is None:
        return None
    return toegang.besprekingen_voor(user, school).filter(
        soort=Soort.GROEPSBESPREKING, klas=klas, periode=periode
    ).exclude(status=Bespreking.Status.GEANNULEERD).first()


# --- The screen -----------------------------------------------------------------------------


def agenda(user, school, bespreking):
    """The nine items in order, each with its Bijlage 16 heading (`verslagkop`, None for item 8)."""
    punten = list(toegang.agendapunten_voor(user, school, bespreking).filter(nummer__isnull=False)
                  .select_related("gewijzigd_door").order_by("volgorde", "pk"))
    for punt in punten:
        punt.verslagkop = VERSLAGKOPPEN.get(punt.nummer)
    return punten


def groepsoverzicht_van(bespreking):
    """The current vakoverstijgend groepsoverzicht of the klas and periode, without creating one."""
    if not bespreking.klas_id or not bespreking.periode_id:
        return None
    return Groepsoverzicht.objects.filter(
        klas_id=bespreking.klas_id, periode_id=bespreking.periode_id, soort=OverzichtSoort.VAKOVERSTIJGEND
    ).select_related("sjabloon", "klas__afdeling").first()


def vorige_groepsplannen(bespreking):
    """The groepsplan(s) this meeting evaluates: those of the periode it closes, else of the latest
    earlier periode that has plans (rows prefetched)."""
    if not bespreking.klas_id or not bespreking.periode_id:
        return []
    plannen = Groepsplan.objects.filter(
        klas_id=bespreking.klas_id, periode__begin__lte=bespreking.periode.begin
    ).select_related("periode", "vak")
    laatste = plannen.order_by("-periode__begin").values_list("periode_id", flat=True).first()
    if laatste is None:
        return []
    return list(plannen.filter(periode_id=laatste).prefetch_related("rijen__leerlingen").order_by("vak__naam", "-deel"))


def gesignaleerde_leerlingen(bespreking, overzicht=None, leerlingen=None):
    """The klas's pupils flagged (S) in the groepsoverzicht; `leerlingen`: the klas list if the
    caller has it already (leerlingen_van)."""
    overzicht = overzicht if overzicht is not None else groepsoverzicht_van(bespreking)
    ids = plan_svc.gesignaleerd(overzicht)
    if not ids:
        return []
    leerlingen = leerlingen if leerlingen is not None else bespreking.klas.leerlingen_op_naam()
    return [lln for lln in leerlingen if lln.pk in ids]


def nieuwe_groepsplannen(bespreking):
    """The vakoverstijgend groepsplan(s) of the next periode, if they exist."""
    volgende = volgende_periode(bespreking.periode) if bespreking.periode_id else None
    if volgende is None:
        return volgende, []
    return volgende, list(Groepsplan.objects.filter(
        klas_id=bespreking.klas_id, periode=volgende, soort=OverzichtSoort.VAKOVERSTIJGEND
    ).order_by("-deel"))


# --- Notes with a version check -------------------------------------------------------------


@dataclass
class Conflict:
    """Someone saved the text after the user loaded it; nothing was written."""

    zijne: str
    mijne: str
    door: str
    op: datetime.datetime
    versie: str

    @property
    def samen(self):
        from plannen.groepsoverzicht import samengevoegd

        return samengevoegd(self.zijne, self.mijne)


def _controleer_schrijven(user, school, bespreking):
    if not toegang.mag_bespreking_leiden(user, school, bespreking):
        raise BesprekingFout(_("Alleen de mentor, de voorzitter, de teamleider of de zorgcoördinator schrijft in "
                               "deze bespreking."))
    if bespreking.status != Bespreking.Status.GEPLAND:
        raise BesprekingFout(_("Het verslag is vastgesteld: de bespreking kan niet meer worden gewijzigd."))


def _tekst(waarde):
    tekst = (waarde or "").replace("\r\n", "\n")
    if "\x00" in tekst:
        # PostgreSQL cannot store it (a server error before); a form field refuses it the same way.
        raise BesprekingFout(_("De tekst bevat een ongeldig teken (een nul-teken). Verwijder het en bewaar opnieuw."))
    return tekst


@transaction.atomic
def bewaar_notities(user, school, punt, tekst, gezien):
    """Save the notes of an agenda item if `gezien` (the gewijzigd_op the user loaded) is current;
    otherwise return a Conflict that keeps both texts."""
    _controleer_schrijven(user, school, punt.bespreking)
    punt = Agendapunt.objects.select_for_update(of=("self",)).select_related("gewijzigd_door").get(pk=punt.pk)
    tekst = _tekst(tekst)
    if not services.is_actueel(punt, gezien):
        if punt.notities == tekst:
            return punt
        return Conflict(zijne=punt.notities, mijne=tekst, door=_naam(punt.gewijzigd_door), op=punt.gewijzigd_op,
                        versie=services.versie_van(punt))
    if punt.notities != tekst:
        punt.notities = tekst
        punt.gewijzigd_door = user
        punt.save(update_fields=["notities", "gewijzigd_door", "gewijzigd_op"])
    return punt


@transaction.atomic
def bewaar_samenvatting(user, school, bespreking, tekst, gezien):
    """The summary of the main agreements and decisions (Bijlage 16, last section), version-checked."""
    _controleer_schrijven(user, school, bespreking)
    bespreking = Bespreking.objects.select_for_update(of=("self",)).get(pk=bespreking.pk)
    tekst = _tekst(tekst)
    if not services.is_actueel(bespreking, gezien):
        if bespreking.samenvatting == tekst:
            return bespreking
        laatste = bespreking.history.order_by("-history_date").select_related("history_user").first()
        door = _naam(laatste.history_user) if laatste else ""
        return Conflict(zijne=bespreking.samenvatting, mijne=tekst, door=door, op=bespreking.gewijzigd_op,
                        versie=services.versie_van(bespreking))
    if bespreking.samenvatting != tekst:
        bespreking.samenvatting = tekst
        bespreking.save(update_fields=["samenvatting", "gewijzigd_op"])
    return bespreking


def _naam(gebruiker):
    return gebruiker.naam if gebruiker else str(_("een collega"))


# --- Item 7: the new groepsplan and the afspraken ------------------------------------------


def eigenaren(bespreking):
    """Who can own an afspraak of this meeting: the klas's teachers and the participants."""
    mensen = {g.pk: g for g in deelnemers_voor(bespreking.klas)} if bespreking.klas_id else {}
    for d in bespreking.deelnemers.select_related("gebruiker"):
        if d.gebruiker_id:
            mensen.setdefault(d.gebruiker_id, d.gebruiker)
    mensen.setdefault(bespreking.voorzitter_id, bespreking.voorzitter)
    return sorted(mensen.values(), key=lambda g: (g.last_name.lower(), g.first_name.lower()))


def punt_van(bespreking, nummer):
    return Agendapunt.objects.filter(bespreking=bespreking, nummer=nummer).first()


def maak_punt_afspraak(user, school, bespreking, punt, wat, eigenaar, uiterlijk, interventie=None):
    """A free afspraak on an agenda item: wat, an owner among the klas's teachers, a date."""
    _controleer_schrijven(user, school, bespreking)
    if punt is None or punt.bespreking_id != bespreking.pk:
        raise BesprekingFout(_("Kies het agendapunt waar de afspraak bij hoort."))
    if eigenaar is not None and eigenaar.pk not in {g.pk for g in eigenaren(bespreking)}:
        raise BesprekingFout(_("De eigenaar moet een docent, mentor of teamleider van deze klas zijn."))
    return services.maak_afspraak(user, school, wat, eigenaar, uiterlijk, bespreking=bespreking, agendapunt=punt,
                                  interventie=interventie)


@transaction.atomic
def stel_groepsplan_op(user, school, bespreking):
    """Item 7: the vakoverstijgend groepsplan of the next periode (created through
    plannen.maak_groepsplan, or the existing one), and an afspraak for the mentor to work it out
    and distribute it to the teachers. Returns (plannen, nieuw)."""
    _controleer_schrijven(user, school, bespreking)
    volgende, plannen = nieuwe_groepsplannen(bespreking)
    if volgende is None:
        raise BesprekingFout(_(
            "%(periode)s is de laatste periode van het schooljaar: het groepsplan voor de nieuwe klas wordt in het "
            "nieuwe schooljaar opgesteld."
        ) % {"periode": bespreking.periode})
    nieuw = not plannen
    if nieuw:
        try:
            plannen = plan_svc.maak_groepsplan(user, bespreking.klas, volgende, OverzichtSoort.VAKOVERSTIJGEND)
        except plan_svc.PlanFout as fout:
            raise BesprekingFout(*fout.meldingen) from None
    if not Afspraak.objects.filter(bespreking=bespreking, soort=Afspraak.Soort.GROEPSPLAN).exists():
        mentoren = sorted(bespreking.klas.mentoren.all(), key=lambda g: g.naam)
        mentor = mentoren[0] if mentoren else bespreking.voorzitter
        vandaag = timezone.localdate()
        uiterlijk = volgende.begin if volgende.begin > vandaag else vandaag + datetime.timedelta(weeks=1)
        services.maak_afspraak(
            user, school,
            _("Nieuw groepsplan %(klas)s (%(periode)s) uitwerken en verspreiden onder de docenten") % {
                "klas": bespreking.klas.naam, "periode": volgende},
            mentor, uiterlijk, bespreking=bespreking, agendapunt=punt_van(bespreking, PUNT_GROEPSPLAN),
            soort=Afspraak.Soort.GROEPSPLAN, groepsplan=plannen[0],
        )
    return plannen, nieuw


# --- Item 9: aanmelden bij het intern zorgteam ----------------------------------------------


def leerlingen_van(bespreking):
    return bespreking.klas.leerlingen_op_naam() if bespreking.klas_id else []


@transaction.atomic
def meld_aan_vanuit(user, school, bespreking, leerling, hulpvraag, begeleidingsvraag, ouders_geinformeerd=False,
                    ouders_niet_informeren_reden=""):
    """Item 9: register a pupil of the klas for the IZO through aanmelding.meld_aan; the aanmelding
    remembers this meeting as its bron."""
    _controleer_schrijven(user, school, bespreking)
    if leerling is None or leerling.pk not in {lln.pk for lln in leerlingen_van(bespreking)}:
        raise BesprekingFout(_("Kies een leerling uit klas %(klas)s.") % {"klas": bespreking.klas.naam})
    return meld_aan(
        user, school, leerling, Soort.IZO, hulpvraag, begeleidingsvraag, ouders_geinformeerd=ouders_geinformeerd,
        ouders_niet_informeren_reden=ouders_niet_informeren_reden, bron=bespreking,
    )


def aanmeldingen_van(user, school, bespreking):
    """The aanmeldingen made from this meeting that the user may read."""
    return list(
        toegang.aanmeldingen_voor(user, school).filter(bron=bespreking).select_related("leerling", "aangemeld_door")
    )


# --- The verslag ----------------------------------------------------------------------------


def mag_vaststellen(user, school, bespreking):
    return bespreking.status == Bespreking.Status.GEPLAND and toegang.mag_bespreking_leiden(user, school, bespreking)


@transaction.atomic
def stel_verslag_vast(user, school, bespreking):
    """Status gehouden, verslag fixed by the user; the participants get a notice."""
    bespreking = Bespreking.objects.select_for_update(of=("self",)).select_related("klas").get(pk=bespreking.pk)
    if bespreking.status == Bespreking.Status.GEHOUDEN:
        raise BesprekingFout(_("Het verslag is al vastgesteld."))
    if bespreking.status != Bespreking.Status.GEPLAND:
        raise BesprekingFout(_("Een geannuleerde bespreking heeft geen verslag."))
    if not toegang.mag_bespreking_leiden(user, school, bespreking):
        raise BesprekingFout(_("Alleen de mentor, de voorzitter, de teamleider of de zorgcoördinator stelt het "
                               "verslag vast."))
    bespreking.status = Bespreking.Status.GEHOUDEN
    bespreking.verslag_vastgesteld_op = timezone.now()
    bespreking.verslag_vastgesteld_door = user
    bespreking.save(update_fields=["status", "verslag_vastgesteld_op", "verslag_vastgesteld_door", "gewijzigd_op"])
    deelnemers = [d.gebruiker for d in bespreking.deelnemers.select_related("gebruiker") if d.gebruiker_id]
    notificeer(
        deelnemers,
        _("Verslag vastgesteld: %(naam)s van %(datum)s") % {
            "naam": bespreking.naam, "datum": services.datum_tekst(timezone.localtime(bespreking.begin).date())},
        url=reverse("groepsbespreking_verslag", args=[bespreking.pk]), behalve=user,
    )
    return bespreking


def afspraken_van(user, school, bespreking):
    """The meeting's afspraken: those about the klas (no pupil) for every reader of the meeting,
    those about one pupil as toegang.afspraken_voor decides."""
    leesbaar = toegang.afspraken_voor(user, school).filter(bespreking=bespreking).values("pk")
    return (
        Afspraak.objects.filter(bespreking=bespreking)
        .filter(Q(leerling__isnull=True) | Q(pk__in=leesbaar))
        .select_related("eigenaar", "agendapunt", "groepsplan__periode")
        .order_by("agendapunt__volgorde", "uiterlijk", "pk")
    )


def verslag(user, school, bespreking):
    """Everything the verslag shows (page and PDF), in the Bijlage 16 order."""
    punten = agenda(user, school, bespreking)
    afspraken = list(afspraken_van(user, school, bespreking)) if punten else []
    per_punt = {}
    for afspraak in afspraken:
        per_punt.setdefault(afspraak.agendapunt_id, []).append(afspraak)
    aanmeldingen = aanmeldingen_van(user, school, bespreking) if punten else []
    secties = []
    for punt in punten:
        if punt.verslagkop is None:
            continue
        secties.append({
            "nummer": punt.nummer, "kop": punt.verslagkop, "punt": punt,
            "afspraken": per_punt.get(punt.pk, []),
            "aanmeldingen": aanmeldingen if punt.nummer == PUNT_AANMELDEN else [],
        })
    mentoren = sorted(bespreking.klas.mentoren.all(), key=lambda g: g.naam) if bespreking.klas_id else []
    return {
        "secties": secties,
        "afspraken": afspraken,
        "aanmeldingen": aanmeldingen,
        "mentoren": mentoren,
        "datum": timezone.localtime(bespreking.begin),
    }
