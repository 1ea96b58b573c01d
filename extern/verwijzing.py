"""Verwijzingen on the school side (domain.md, External; seed 003, the follow-up form): creating a
referral with its consent gate, the status flow with dates, terugkoppeling recorded by the school,
closure with nazorg and a check-back date, and the contactpersoon's time-limited access grants.

The rules live here; the views (extern/verwijzing_views.py) only call these functions. Every
refusal raises VerwijzingFout with complete Dutch sentences.

- A verwijzing needs a consent that counts for doel verwijzing or gegevens delen naming the
  instelling (zorg.toegang.EXTERN_DOELEN); the section "vertrouwelijk" additionally needs consent
  for overdracht to that instelling. The consent used is stored on the verwijzing.
- Status flow: aangemeld → wachtlijst → bevestigd → gestart → afgesloten; afgewezen from
  aangemeld, wachtlijst or bevestigd. Each step sets its date (not in the future, not before
  aangemeld_op). Closing asks nazorg and a check-back date and ends the running grants.
"""

import calendar
import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leerlingen.dossier import zorgcoordinatoren_van
from zorg import toegang
from zorg.notificaties import notificeer

from . import toestemming as toestemming_regels
from .models import Contactpersoon, ExterneToegang, Instelling, Terugkoppeling, Toestemming, Verwijzing

Status = Verwijzing.Status
Sectie = Verwijzing.Sectie

# The next steps allowed from each status.
OVERGANGEN = {
    Status.AANGEMELD: [Status.WACHTLIJST, Status.BEVESTIGD, Status.AFGEWEZEN],
    Status.WACHTLIJST: [Status.BEVESTIGD, Status.AFGEWEZEN],
    Status.BEVESTIGD: [Status.GESTART, Status.AFGEWEZEN],
    Status.GESTART: [Status.AFGESLOTEN],
    Status.AFGESLOTEN: [],
    Status.AFGEWEZEN: [],
}
DATUMVELD = {
    Status.WACHTLIJST: "wachtlijst_op",
    Status.BEVESTIGD: "bevestigd_op",
    Status.GESTART: "gestart_op",
    Status.AFGESLOTEN: "afgesloten_op",
    Status.AFGEWEZEN: "afgewezen_op",
}
TERUGKIJKEN_WEKEN = 6
ZONDER_TERUGKOPPELING_WEKEN = 4
STANDAARD_SECTIES = [Sectie.HULPVRAAG, Sectie.INTERVENTIES, Sectie.PLANNEN]
# Relations that may create a verwijzing (besides the pupil's case-manager).
OPSTELLERS = {"zorgcoordinator"}


class VerwijzingFout(Exception):
    """A refused action; `meldingen` are complete Dutch sentences for the user."""

    def __init__(self, *meldingen):
        super().__init__(" ".join(str(m) for m in meldingen))
        self.meldingen = [str(m) for m in meldingen]


def datum_tekst(datum):
    return date_format(datum, "j F Y") if datum else ""


def plus_maanden(datum, maanden):
    """`datum` plus whole months (the last day of the month when the day does not exist)."""
    maand = datum.month - 1 + maanden
    jaar, maand = datum.year + maand // 12, maand % 12 + 1
    return datetime.date(jaar, maand, min(datum.day, calendar.monthrange(jaar, maand)[1]))


# --- Who may ---------------------------------------------------------------------------------------


def mag_lezen(user, school, leerling):
    """Whoever reads the pupil's meeting records reads their verwijzingen (toegang.verwijzingen_voor)."""
    if leerling.school_id != school.pk:
        return False
    eigen = toegang.bespreking_leerlingen(user, school)
    return eigen is None or eigen.filter(id=leerling.pk).exists()


def mag_opstellen(user, school, leerling):
    """Create a verwijzing: the zorgcoördinator and the pupil's case-manager."""
    if leerling.school_id != school.pk:
        return False
    return leerling.case_manager_id == user.pk or bool(toegang.relaties_met(user, school, leerling) & OPSTELLERS)


def mag_vertrouwelijk_lezen(user, school, leerling):
    relaties = toegang.relaties_met(user, school, leerling)
    return any("vertrouwelijk" in toegang.LEZEN.get(r, set()) for r in relaties)


# --- Choices and suggestions -------------------------------------------------------------------


def instellingen(school):
    return Instelling.objects.filter(school=school, actief=True).order_by("naam")


def contactpersonen(school, instelling=None):
    qs = Contactpersoon.objects.filter(instelling__school=school, instelling__actief=True, actief=True)
    if instelling is not None:
        qs = qs.filter(instelling=instelling)
    return qs.select_related("instelling").order_by("instelling__naam", "naam")


def voorgestelde_hulpvraag(leerling, afspraak=None):
    """The hulpvraag of the aanmelding behind the meeting item, else the latest aanmelding, else
    the latest interventie's hulpvraag (so it is not retyped)."""
    from besprekingen.models import Aanmelding
    from leerlingen import route

    aanmelding = afspraak.agendapunt.aanmelding if afspraak is not None and afspraak.agendapunt_id else None
    if aanmelding is not None and aanmelding.hulpvraag:
        return aanmelding.hulpvraag
    aanmelding = Aanmelding.objects.filter(leerling=leerling).exclude(hulpvraag="").order_by("-pk").first()
    if aanmelding is not None:
        return aanmelding.hulpvraag
    return route.voorgestelde_hulpvraag(leerling)


def toestemming_url(leerling):
    """The pupil's consent page, when that screen exists (built by another area)."""
    from django.urls import NoReverseMatch

    for naam in ("toestemmingen_leerling", "toestemmingen", "leerling_toestemmingen"):
        try:
            return reverse(naam, args=[leerling.pk])
        except NoReverseMatch:
            continue
    return ""


# --- The consent gate ------------------------------------------------------------------------------


def controleer_toestemming(leerling, instelling, secties, op=None):
    """The consent that allows this referral, or VerwijzingFout naming what is missing."""
    op = op or timezone.localdate()
    toestemming = toestemming_regels.geldige(leerling, toegang.EXTERN_DOELEN, instelling=instelling, op=op)
    meldingen = []
    if toestemming is None:
        reden = toestemming_regels.waarom_niet(leerling, toegang.EXTERN_DOELEN, instelling=instelling, op=op)
        meldingen.append(
            _("Verwijzen naar %(instelling)s kan alleen met toestemming voor een verwijzing naar (of het delen van "
              "gegevens met) deze instelling. %(reden)s") % {"instelling": instelling.naam, "reden": reden})
    if Sectie.VERTROUWELIJK in secties and toestemming_regels.geldige(
            leerling, [Toestemming.Doel.OVERDRACHT], instelling=instelling, op=op) is None:
        reden = toestemming_regels.waarom_niet(leerling, [Toestemming.Doel.OVERDRACHT], instelling=instelling, op=op)
        meldingen.append(
            _("Vertrouwelijke gegevens meesturen kan alleen met toestemming voor overdracht van vertrouwelijke "
              "gegevens aan %(instelling)s. %(reden)s Laat dit onderdeel weg of leg die toestemming eerst vast.")
            % {"instelling": instelling.naam, "reden": reden})
    if meldingen:
        raise VerwijzingFout(*meldingen)
    return toestemming


# --- Create --------------------------------------------------------------------------------------------


def stel_op(user, school, leerling, instelling, reden, hulpvraag="", secties=(), taak_school="",
            contactpersoon=None, afspraak=None, agendapunt=None, op=None):
    """Create a verwijzing (status aangemeld), grant the contactpersoon access and notify them."""
    op = op or timezone.localdate()
    if not mag_opstellen(user, school, leerling):
        raise VerwijzingFout(_("Een verwijzing wordt opgesteld door de zorgcoördinator of de case-manager van de "
                               "leerling."))
    meldingen = []
    if instelling is None:
        meldingen.append(_("Kies de instelling waarnaar verwezen wordt."))
    elif instelling.school_id != school.pk or not instelling.actief:
        meldingen.append(_("Kies een actieve instelling van deze school."))
    if contactpersoon is not None and instelling is not None and (
            contactpersoon.instelling_id != instelling.pk or not contactpersoon.actief):
        meldingen.append(_("%(naam)s is geen actieve contactpersoon van %(instelling)s.") % {
            "naam": contactpersoon.naam, "instelling": instelling.naam})
    if not (reden or "").strip():
        meldingen.append(_("Beschrijf de reden van de verwijzing."))
    onbekend = set(secties or []) - set(Sectie.values)
    secties = [s for s in Sectie.values if s in set(secties or [])]
    if onbekend:
        meldingen.append(_("Kies alleen onderdelen uit de lijst."))
    if meldingen:
        raise VerwijzingFout(*meldingen)
    toestemming = controleer_toestemming(leerling, instelling, secties, op)
    with transaction.atomic():
        verwijzing = Verwijzing.objects.create(
            school=school, leerling=leerling, instelling=instelling, contactpersoon=contactpersoon,
            reden=reden.strip(), hulpvraag=(hulpvraag or "").strip(), secties=secties, toestemming=toestemming,
            afspraak=afspraak, agendapunt=agendapunt or (afspraak.agendapunt if afspraak else None),
            aangemeld_op=op, taak_school=(taak_school or "").strip(), aangemaakt_door=user,
        )
        if contactpersoon is not None:
            verleen_toegang(user, school, verwijzing, contactpersoon, op=op)
    return verwijzing


# --- Status flow ---------------------------------------------------------------------------------------


def volgende_stappen(verwijzing):
    return OVERGANGEN.get(verwijzing.status, [])


def _labels(statussen):
    return ", ".join(str(Status(s).label) for s in statussen)


def wijzig_status(user, school, verwijzing, nieuw, datum=None, nazorg="", terugkijken_op=None, op=None):
    """Move the verwijzing to `nieuw` on `datum` (default today). Closing needs nazorg and a
    check-back date (default six weeks on) and ends the running grants."""
    op = op or timezone.localdate()
    if not toegang.mag_verwijzing_beheren(user, school, verwijzing):
        raise VerwijzingFout(_("De status wordt bijgehouden door de zorgcoördinator of de case-manager."))
    toegestaan = volgende_stappen(verwijzing)
    if nieuw not in Status.values:
        raise VerwijzingFout(_("Kies een status uit de lijst."))
    if nieuw not in toegestaan:
        huidig = verwijzing.get_status_display()
        if not toegestaan:
            raise VerwijzingFout(_("Deze verwijzing is %(huidig)s; de status kan niet meer veranderen.") % {
                "huidig": huidig})
        raise VerwijzingFout(_("Van %(huidig)s naar %(nieuw)s kan niet. Mogelijke volgende stappen: %(stappen)s.") % {
            "huidig": huidig, "nieuw": Status(nieuw).label, "stappen": _labels(toegestaan)})
    datum = datum or op
    meldingen = []
    if datum > op:
        meldingen.append(_("De datum ligt in de toekomst; kies vandaag of een eerdere datum."))
    if datum < verwijzing.aangemeld_op:
        meldingen.append(_("De datum ligt vóór de aanmelding (%(datum)s).") % {
            "datum": datum_tekst(verwijzing.aangemeld_op)})
    if nieuw == Status.AFGESLOTEN:
        terugkijken_op = terugkijken_op or datum + datetime.timedelta(weeks=TERUGKIJKEN_WEKEN)
        if not (nazorg or "").strip():
            meldingen.append(_("Beschrijf de nazorg: wat doet de school nu de hulp is afgesloten?"))
        if terugkijken_op <= datum:
            meldingen.append(_("De datum om terug te kijken moet na de afsluitdatum liggen."))
    if meldingen:
        raise VerwijzingFout(*meldingen)
    with transaction.atomic():
        verwijzing.status = nieuw
        setattr(verwijzing, DATUMVELD[nieuw], datum)
        velden = ["status", DATUMVELD[nieuw]]
        if nieuw == Status.AFGESLOTEN:
            verwijzing.nazorg = nazorg.strip()
            verwijzing.terugkijken_op = terugkijken_op
            velden += ["nazorg", "terugkijken_op"]
        verwijzing.save(update_fields=velden)
        if nieuw in (Status.AFGESLOTEN, Status.AFGEWEZEN):
            verwijzing.toegangen.filter(ingetrokken_op__isnull=True).update(ingetrokken_op=timezone.now())
    return verwijzing


def wachttijden(verwijzing, op=None):
    """Days from aanmelding to bevestiging and to the start (None when not reached), and how long
    a verwijzing still waiting (aangemeld, wachtlijst) has waited so far."""
    op = op or timezone.localdate()

    def dagen(tot):
        return (tot - verwijzing.aangemeld_op).days if tot else None

    wacht = dagen(op) if verwijzing.status in (Status.AANGEMELD, Status.WACHTLIJST) else None
    return {"bevestigd": dagen(verwijzing.bevestigd_op), "gestart": dagen(verwijzing.gestart_op), "wacht": wacht}


def tijdlijn(verwijzing):
    """The statuses reached, in order, with their dates."""
    stappen = [(Status.AANGEMELD, verwijzing.aangemeld_op)]
    for status, veld in DATUMVELD.items():
        if getattr(verwijzing, veld):
            stappen.append((status, getattr(verwijzing, veld)))
    return [{"status": s, "label": Status(s).label, "datum": d} for s, d in stappen]


# --- Terugkoppeling ----------------------------------------------------------------------------------------


def ontvangers_terugkoppeling(verwijzing, door_partner=False):
    """The pupil's mentor(s) and case-manager; for the partner's own terugkoppeling also the
    school's zorgcoördinator(s), who receive the feedback of external partners (seed 003)."""
    leerling = verwijzing.leerling
    klas = leerling.huidige_klas()
    ontvangers = list(klas.mentoren.all()) if klas else []
    if leerling.case_manager_id:
        ontvangers.append(leerling.case_manager)
    if door_partner:
        ontvangers += zorgcoordinatoren_van(verwijzing.school.huidig_schooljaar())
    return ontvangers


def meld_terugkoppeling(verwijzing, terugkoppeling, behalve=None):
    notificeer(
        ontvangers_terugkoppeling(verwijzing, terugkoppeling.door_partner),
        _("Terugkoppeling van %(instelling)s over %(leerling)s: %(soort)s") % {
            "instelling": verwijzing.instelling.naam, "leerling": verwijzing.leerling.naam,
            "soort": terugkoppeling.get_soort_display()},
        url=reverse("verwijzing", args=[verwijzing.pk]), leerling=verwijzing.leerling, behalve=behalve,
    )


def leg_terugkoppeling_vast(user, school, verwijzing, soort, datum, tekst, door_partner=False, op=None):
    """A terugkoppeling (by the school, or by the partner through their own page); notifies the
    mentor(s) and the case-manager."""
    op = op or timezone.localdate()
    if not door_partner and not toegang.mag_verwijzing_beheren(user, school, verwijzing):
        raise VerwijzingFout(_("Terugkoppeling wordt vastgelegd door de zorgcoördinator of de case-manager."))
    meldingen = []
    if soort not in Terugkoppeling.Soort.values:
        meldingen.append(_("Kies een soort uit de lijst."))
    if datum is None:
        meldingen.append(_("Geef de datum van de terugkoppeling."))
    elif datum > op:
        meldingen.append(_("De datum ligt in de toekomst; kies vandaag of een eerdere datum."))
    elif datum < verwijzing.aangemeld_op:
        meldingen.append(_("De datum ligt vóór de aanmelding (%(datum)s).") % {
            "datum": datum_tekst(verwijzing.aangemeld_op)})
    if not (tekst or "").strip():
        meldingen.append(_("Schrijf uw terugkoppeling."))
    if meldingen:
        raise VerwijzingFout(*meldingen)
    terugkoppeling = Terugkoppeling.objects.create(
        verwijzing=verwijzing, soort=soort, datum=datum, tekst=tekst.strip(), auteur=user,
        door_partner=door_partner,
    )
    meld_terugkoppeling(verwijzing, terugkoppeling, behalve=user)
    return terugkoppeling


def zonder_terugkoppeling(school, op=None):
    """Open verwijzingen aangemeld more than the school's herinnering_verwijzing_weken (default four)
    ago without any terugkoppeling since."""
    op = op or timezone.localdate()
    weken = getattr(school, "herinnering_verwijzing_weken", None) or ZONDER_TERUGKOPPELING_WEKEN
    grens = op - datetime.timedelta(weeks=weken)
    sinds = Terugkoppeling.objects.filter(verwijzing=OuterRef("pk"), datum__gte=OuterRef("aangemeld_op"))
    return Verwijzing.objects.filter(school=school, status__in=Verwijzing.OPEN, aangemeld_op__lt=grens).filter(
        ~Exists(sinds))


# --- Access grants -----------------------------------------------------------------------------------------


def toegang_status(grant, op=None):
    """'lopend', 'verlopen', 'ingetrokken' or 'gepland'."""
    op = op or timezone.localdate()
    if grant.ingetrokken_op is not None:
        return "ingetrokken"
    if grant.tot < op:
        return "verlopen"
    if grant.vanaf > op:
        return "gepland"
    return "lopend"


def _beheer(user, school, verwijzing):
    if not toegang.mag_verwijzing_beheren(user, school, verwijzing):
        raise VerwijzingFout(_("Toegang voor externe partners wordt beheerd door de zorgcoördinator of de "
                               "case-manager."))
    if not verwijzing.is_open:
        raise VerwijzingFout(_("Deze verwijzing is %(status)s: er kan geen toegang meer worden verleend.") % {
            "status": verwijzing.get_status_display()})


def verleen_toegang(user, school, verwijzing, contactpersoon, op=None):
    """Grant a contactpersoon of the verwijzing's instelling access for the school's period and
    notify them when they have an account."""
    op = op or timezone.localdate()
    _beheer(user, school, verwijzing)
    if contactpersoon is None or contactpersoon.instelling_id != verwijzing.instelling_id or not contactpersoon.actief:
        raise VerwijzingFout(_("Kies een actieve contactpersoon van %(instelling)s.") % {
            "instelling": verwijzing.instelling.naam})
    lopend = verwijzing.toegangen.filter(contactpersoon=contactpersoon, ingetrokken_op__isnull=True, tot__gte=op)
    if lopend.exists():
        raise VerwijzingFout(_("%(naam)s heeft al toegang; verleng die als dat nodig is.") % {
            "naam": contactpersoon.naam})
    grant = ExterneToegang.objects.create(
        verwijzing=verwijzing, contactpersoon=contactpersoon, vanaf=op,
        tot=plus_maanden(op, school.toegang_extern_maanden), verleend_door=user,
    )
    if contactpersoon.gebruiker_id:
        notificeer([contactpersoon.gebruiker], _("U heeft toegang tot een verwijsdossier van %(school)s tot en met "
                                                 "%(tot)s") % {"school": school.naam, "tot": datum_tekst(grant.tot)},
                   url=_partner_url(verwijzing), behalve=user)
    return grant


def _partner_url(verwijzing):
    from django.urls import NoReverseMatch

    for naam, args in (("extern_verwijzing", [verwijzing.pk]), ("extern_start", [])):
        try:
            return reverse(naam, args=args)
        except NoReverseMatch:
            continue
    return ""


def _grant(verwijzing, pk):
    try:
        return verwijzing.toegangen.select_related("contactpersoon").get(pk=pk)
    except (ExterneToegang.DoesNotExist, ValueError, TypeError):
        raise VerwijzingFout(_("Deze toegang hoort niet bij deze verwijzing.")) from None


def verleng_toegang(user, school, verwijzing, pk, op=None):
    """Renew a grant: running until the school's period from today (or from its end when later)."""
    op = op or timezone.localdate()
    _beheer(user, school, verwijzing)
    grant = _grant(verwijzing, pk)
    if grant.ingetrokken_op is not None:
        raise VerwijzingFout(_("Deze toegang is ingetrokken; verleen een nieuwe toegang."))
    grant.tot = plus_maanden(max(op, grant.tot), school.toegang_extern_maanden)
    if grant.vanaf > op:
        grant.vanaf = op
    grant.save(update_fields=["tot", "vanaf"])
    return grant


def trek_toegang_in(user, school, verwijzing, pk):
    if not toegang.mag_verwijzing_beheren(user, school, verwijzing):
        raise VerwijzingFout(_("Toegang voor externe partners wordt beheerd door de zorgcoördinator of de "
                               "case-manager."))
    grant = _grant(verwijzing, pk)
    if grant.ingetrokken_op is None:
        grant.ingetrokken_op = timezone.now()
        grant.save(update_fields=["ingetrokken_op"])
    return grant
