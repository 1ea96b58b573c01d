"""Aanmelden of a pupil for a leerlingbespreking, IZO or ZAT (002 §6.2.1 and §6.3.1): the form's
rules, the automatically assembled history, and the zorgcoördinator's queue (terugsturen for
completion, aanvullen and resubmitting, intrekken)."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerlingen import route
from leerlingen.dossier import zorgcoordinatoren_van
from leerlingen.models import Dossieritem
from zorg import toegang
from zorg.models import Functie
from zorg.notificaties import notificeer

from .models import Aanmelding, Afspraak, Agendapunt, Bespreking
from .services import BesprekingFout, zat_toestemming

# The other fields of the aanmeldingsformulier (seed 003), besides hulpvraag and begeleidingsvraag.
FORMULIERVELDEN = ("aard_probleem", "sterke_kanten", "thuissituatie")
ZORGCOORDINATOR_FUNCTIES = {Functie.Soort.ZORGCOORDINATOR, Functie.Soort.INTERN_BEGELEIDER}


# --- The assembled history ------------------------------------------------------------------------


def _d(d):
    return f"{d:%d-%m-%Y}" if d else "—"


def _plannen_tekst(leerling):
    """The pupil's handelingsplannen (not drafts) with their goals and evaluation."""
    from plannen.models import Handelingsplan

    plannen = list(
        Handelingsplan.objects.filter(leerling=leerling)
        .exclude(status=Handelingsplan.Status.CONCEPT)
        .select_related("vak", "auteur")
        .prefetch_related("doelen")
        .order_by("start", "pk")
    )
    regels = [_("Handelingsplannen en evaluaties:")]
    if not plannen:
        regels.append(_("- geen handelingsplannen vastgesteld"))
    for plan in plannen:
        soort = plan.get_soort_display() + (f" {plan.vak.naam}" if plan.vak_id else "")
        regels.append(_("- %(start)s: %(soort)s (%(status)s; opgesteld door %(auteur)s)") % {
            "start": _d(plan.start), "soort": soort, "status": plan.get_status_display(),
            "auteur": plan.auteur.korte_naam if plan.auteur_id else "—"})
        for doel in plan.doelen.all():
            resultaat = doel.get_resultaat_display() if doel.resultaat else _("nog niet geëvalueerd")
            toelichting = f" — {doel.toelichting}" if doel.toelichting else ""
            regels.append(_("  doel: %(doel)s → %(resultaat)s%(toelichting)s") % {
                "doel": doel.doel, "resultaat": resultaat, "toelichting": toelichting})
        if plan.besluit:
            regels.append(_("  besluit na evaluatie: %(besluit)s") % {"besluit": plan.get_besluit_display()})
        if plan.evaluatie_toelichting:
            regels.append(_("  evaluatie: %(t)s") % {"t": plan.evaluatie_toelichting})
    return regels


def _besluiten_tekst(leerling):
    """Decisions of earlier meetings about this pupil: zorgniveau besluiten per agenda item and
    the afspraken with their status. Items marked vertrouwelijk stay out."""
    punten = list(
        Agendapunt.objects.filter(leerling=leerling, vertrouwelijk=False, anoniem=False)
        .exclude(bespreking__status=Bespreking.Status.GEANNULEERD)
        .select_related("bespreking", "case_manager", "zorgniveau_besluit__naar_niveau")
        .order_by("bespreking__begin", "pk")
    )
    afspraken = list(
        Afspraak.objects.filter(leerling=leerling)
        .exclude(agendapunt__vertrouwelijk=True)
        .exclude(agendapunt__anoniem=True)
        .select_related("eigenaar", "bespreking")
        .order_by("aangemaakt_op", "pk")
    )
    regels = [_("Besluiten in eerdere besprekingen:")]
    if not punten and not afspraken:
        regels.append(_("- nog niet eerder besproken"))
    for punt in punten:
        b = punt.bespreking
        delen = []
        besluit = punt.zorgniveau_besluit
        if besluit is not None and besluit.vertrouwelijkheid != Dossieritem.Vertrouwelijkheid.VERTROUWELIJK:
            delen.append(_("zorgniveau: %(niveau)s") % {
                "niveau": besluit.naar_niveau.naam if besluit.naar_niveau_id else _("geen")})
        if punt.case_manager_id:
            delen.append(_("case-manager: %(naam)s") % {"naam": punt.case_manager.korte_naam})
        if punt.vervolgdatum:
            delen.append(_("vervolg op %(datum)s") % {"datum": _d(punt.vervolgdatum)})
        if delen or b.is_gehouden:
            regels.append(f"- {_d(timezone.localtime(b.begin).date())} {b.naam}: "
                          + ("; ".join(str(d) for d in delen) or _("besproken")))
    for a in afspraken:
        waar = f" ({a.bespreking.naam})" if a.bespreking_id else ""
        regels.append(_("- afspraak%(waar)s: %(wat)s — %(eigenaar)s, uiterlijk %(datum)s: %(status)s") % {
            "waar": waar, "wat": a.wat, "eigenaar": a.eigenaar.korte_naam, "datum": _d(a.uiterlijk),
            "status": a.get_status_display()})
    return regels


def samengestelde_geschiedenis(leerling):
    """What was done with what effect, assembled from the dossier: interventies, signaleringen and
    zorgniveau besluiten (route.geschiedenis), handelingsplannen with their evaluations, and the
    besluiten of earlier besprekingen. Never vertrouwelijk items."""
    delen = [route.geschiedenis(leerling), ""]
    delen += _plannen_tekst(leerling)
    delen.append("")
    delen += _besluiten_tekst(leerling)
    return "\n".join(str(d) for d in delen)


# --- Rules ------------------------------------------------------------------------------------------


def open_aanmelding(leerling, soort):
    return Aanmelding.objects.filter(leerling=leerling, soort=soort, status__in=Aanmelding.OPEN).first()


def mag_behandelen(user, school):
    """Working the queue (terugsturen): the zorgcoördinator / intern begeleider."""
    return bool(toegang.rollen(user, school).functies & ZORGCOORDINATOR_FUNCTIES)


def _controleer(leerling, soort, hulpvraag, ouders_geinformeerd, ouders_niet_informeren_reden, anoniem,
                behalve=None):
    """Every missing piece of an aanmelding as Dutch sentences; the valid ZAT consent (or None)."""
    meldingen = []
    if soort not in Bespreking.AANMELDBAAR:
        meldingen.append(_("Kies waarvoor u de leerling aanmeldt: leerlingbespreking, IZO of ZAT."))
    if not (hulpvraag or "").strip():
        meldingen.append(_("Vul de hulpvraag van de leerling in: zonder hulpvraag wordt de aanmelding niet "
                           "in behandeling genomen."))
    if not ouders_geinformeerd and not (ouders_niet_informeren_reden or "").strip():
        meldingen.append(_("Informeer de ouders over de aanmelding, of geef aan waarom dat (nog) niet kan "
                           "(alleen als het de veiligheid van de leerling in gevaar brengt)."))
    toestemming = None
    if soort == Bespreking.Soort.ZAT and not anoniem:
        toestemming = zat_toestemming(leerling)
        if toestemming is None:
            meldingen.append(_("Voor een bespreking op naam in het ZAT is toestemming van een ouder met gezag "
                               "nodig. Leg de toestemming eerst vast, of meld de leerling anoniem aan."))
    if soort in Bespreking.AANMELDBAAR:
        bestaand = Aanmelding.objects.filter(leerling=leerling, soort=soort, status__in=Aanmelding.OPEN)
        if behalve is not None:
            bestaand = bestaand.exclude(pk=behalve.pk)
        bestaand = bestaand.first()
        if bestaand is not None:
            meldingen.append(_("%(leerling)s is al aangemeld voor %(soort)s (status: %(status)s).") % {
                "leerling": leerling.naam, "soort": bestaand.get_soort_display(),
                "status": bestaand.get_status_display()})
    return meldingen, toestemming


def _meld_zorgcoordinatoren(user, school, leerling, tekst):
    schooljaar = toegang.huidig_schooljaar(user, school) or school.huidig_schooljaar()
    notificeer(zorgcoordinatoren_van(schooljaar) if schooljaar else [], tekst, url=reverse("aanmeldingen"),
               leerling=leerling, behalve=user)


@transaction.atomic
def meld_aan(user, school, leerling, soort, hulpvraag, begeleidingsvraag="", ouders_geinformeerd=False,
             ouders_niet_informeren_reden="", anoniem=False, opschaling=None, bron=None, **velden):
    """Bring a pupil to the zorgcoördinator's queue. Returns the Aanmelding.

    `velden` are the other fields of the aanmeldingsformulier (aard_probleem, sterke_kanten,
    thuissituatie). Raises BesprekingFout with every missing piece at once."""
    if not toegang.mag_aanmelden(user, school, leerling):
        raise BesprekingFout(_("Alleen de mentor, teamleider, case-manager of het zorgteam meldt een leerling aan."))
    anoniem = bool(anoniem) and soort == Bespreking.Soort.ZAT  # anonymous only means something in the ZAT
    meldingen, toestemming = _controleer(leerling, soort, hulpvraag, ouders_geinformeerd,
                                         ouders_niet_informeren_reden, anoniem)
    if meldingen:
        raise BesprekingFout(*meldingen)
    aanmelding = Aanmelding.objects.create(
        school=school, leerling=leerling, soort=soort, anoniem=anoniem, hulpvraag=hulpvraag.strip(),
        begeleidingsvraag=(begeleidingsvraag or "").strip(), geschiedenis=samengestelde_geschiedenis(leerling),
        ouders_geinformeerd=bool(ouders_geinformeerd),
        ouders_niet_informeren_reden="" if ouders_geinformeerd else (ouders_niet_informeren_reden or "").strip(),
        toestemming=toestemming, opschaling=opschaling, bron=bron, aangemeld_door=user,
        **{k: (v or "").strip() for k, v in velden.items()},
    )
    _meld_zorgcoordinatoren(user, school, leerling, _("%(wie)s meldt %(leerling)s aan voor %(soort)s") % {
        "wie": user.korte_naam, "leerling": leerling.naam, "soort": aanmelding.get_soort_display()})
    return aanmelding


def aanmelding_uit_opschaling(user, opschaling, soort):
    """The hulpvraag of a zorgroute request to a level decided in the IZO/ZAT also lands in the
    zorgcoördinator's queue. The route has already checked who may ask and what is needed (incl.
    consent), so meld_aan's own checks are not repeated; the aanmelding may lack the parents
    question, which the zorgcoördinator can ask for by sending it back. An open aanmelding of the
    same kind is kept as it is (returned)."""
    leerling = opschaling.leerling
    bestaand = open_aanmelding(leerling, soort)
    if bestaand is not None:
        return bestaand
    return Aanmelding.objects.create(
        school=leerling.school, leerling=leerling, soort=soort, hulpvraag=opschaling.hulpvraag,
        begeleidingsvraag=opschaling.begeleidingsvraag, geschiedenis=samengestelde_geschiedenis(leerling),
        toestemming=opschaling.toestemming, opschaling=opschaling, aangemeld_door=user,
        toelichting_status=_("Aangemaakt uit de hulpvraag naar %(niveau)s.") % {"niveau": opschaling.naar_niveau.naam},
    )


def _vergrendel(aanmelding_pk):
    return Aanmelding.objects.select_for_update(of=("self",)).select_related("leerling", "aangemeld_door").get(
        pk=aanmelding_pk)


@transaction.atomic
def stuur_terug(user, school, aanmelding_pk, reden):
    """The zorgcoördinator sends a waiting aanmelding back for completion; the author is told why."""
    aanmelding = _vergrendel(aanmelding_pk)
    if aanmelding.school_id != school.pk or not mag_behandelen(user, school):
        raise BesprekingFout(_("Alleen de zorgcoördinator stuurt een aanmelding terug."))
    if aanmelding.status != Aanmelding.Status.AANGEMELD:
        raise BesprekingFout(_("Alleen een wachtende aanmelding kan worden teruggestuurd; deze is %(status)s.") % {
            "status": aanmelding.get_status_display()})
    if not (reden or "").strip():
        raise BesprekingFout(_("Geef aan wat er aangevuld moet worden: de aanmelder krijgt dit te zien."))
    aanmelding.status = Aanmelding.Status.TERUGGESTUURD
    aanmelding.toelichting_status = reden.strip()
    aanmelding.save(update_fields=["status", "toelichting_status"])
    notificeer(
        [aanmelding.aangemeld_door],
        _("Uw aanmelding van %(leerling)s voor %(soort)s is teruggestuurd: %(reden)s") % {
            "leerling": aanmelding.leerling.naam, "soort": aanmelding.get_soort_display(), "reden": reden.strip()},
        url=reverse("aanmelding", args=[aanmelding.pk]), leerling=aanmelding.leerling, behalve=user,
    )
    return aanmelding


def mag_aanvullen(user, aanmelding):
    return aanmelding.aangemeld_door_id == user.pk and aanmelding.status == Aanmelding.Status.TERUGGESTUURD


def mag_intrekken(user, school, aanmelding):
    return aanmelding.status in (Aanmelding.Status.AANGEMELD, Aanmelding.Status.TERUGGESTUURD) and (
        aanmelding.aangemeld_door_id == user.pk or mag_behandelen(user, school))


@transaction.atomic
def vul_aan(user, school, aanmelding_pk, hulpvraag, begeleidingsvraag="", ouders_geinformeerd=False,
            ouders_niet_informeren_reden="", anoniem=False, **velden):
    """The author completes a teruggestuurde aanmelding and resubmits it (status aangemeld)."""
    aanmelding = _vergrendel(aanmelding_pk)
    if aanmelding.school_id != school.pk or aanmelding.aangemeld_door_id != user.pk:
        raise BesprekingFout(_("Alleen wie de leerling heeft aangemeld, vult de aanmelding aan."))
    if aanmelding.status != Aanmelding.Status.TERUGGESTUURD:
        raise BesprekingFout(_("Deze aanmelding is %(status)s en kan niet meer worden aangevuld.") % {
            "status": aanmelding.get_status_display()})
    leerling = aanmelding.leerling
    anoniem = bool(anoniem) and aanmelding.soort == Bespreking.Soort.ZAT
    meldingen, toestemming = _controleer(leerling, aanmelding.soort, hulpvraag, ouders_geinformeerd,
                                         ouders_niet_informeren_reden, anoniem, behalve=aanmelding)
    if meldingen:
        raise BesprekingFout(*meldingen)
    aanmelding.hulpvraag = hulpvraag.strip()
    aanmelding.begeleidingsvraag = (begeleidingsvraag or "").strip()
    aanmelding.ouders_geinformeerd = bool(ouders_geinformeerd)
    aanmelding.ouders_niet_informeren_reden = (
        "" if ouders_geinformeerd else (ouders_niet_informeren_reden or "").strip())
    aanmelding.anoniem = anoniem
    aanmelding.toestemming = toestemming
    for veld in FORMULIERVELDEN:
        if veld in velden:
            setattr(aanmelding, veld, (velden[veld] or "").strip())
    aanmelding.geschiedenis = samengestelde_geschiedenis(leerling)
    aanmelding.status = Aanmelding.Status.AANGEMELD
    aanmelding.toelichting_status = ""
    aanmelding.save()
    _meld_zorgcoordinatoren(user, school, leerling, _("%(wie)s heeft de aanmelding van %(leerling)s voor %(soort)s "
                                                      "aangevuld") % {
        "wie": user.korte_naam, "leerling": leerling.naam, "soort": aanmelding.get_soort_display()})
    return aanmelding


@transaction.atomic
def trek_in(user, school, aanmelding_pk, reden=""):
    """The author (or the zorgcoördinator) withdraws an aanmelding that is not on an agenda yet."""
    aanmelding = _vergrendel(aanmelding_pk)
    if aanmelding.school_id != school.pk or not (
        aanmelding.aangemeld_door_id == user.pk or mag_behandelen(user, school)
    ):
        raise BesprekingFout(_("Alleen wie de leerling heeft aangemeld of de zorgcoördinator trekt een aanmelding in."))
    if aanmelding.status not in (Aanmelding.Status.AANGEMELD, Aanmelding.Status.TERUGGESTUURD):
        raise BesprekingFout(_("Deze aanmelding is %(status)s en kan niet meer worden ingetrokken.") % {
            "status": aanmelding.get_status_display()})
    aanmelding.status = Aanmelding.Status.INGETROKKEN
    aanmelding.toelichting_status = (reden or "").strip()
    aanmelding.save(update_fields=["status", "toelichting_status"])
    if aanmelding.aangemeld_door_id != user.pk:
        notificeer([aanmelding.aangemeld_door], _("De aanmelding van %(leerling)s voor %(soort)s is ingetrokken") % {
            "leerling": aanmelding.leerling.naam, "soort": aanmelding.get_soort_display()},
            url=reverse("aanmelding", args=[aanmelding.pk]), leerling=aanmelding.leerling, behalve=user)
    return aanmelding


# --- The queue ----------------------------------------------------------------------------------------


def wachtrij(user, school, soort=None):
    """The open aanmeldingen (waiting, sent back, on an agenda) the user may read, oldest first."""
    qs = (
        toegang.aanmeldingen_voor(user, school)
        .filter(status__in=Aanmelding.OPEN)
        .select_related("leerling", "aangemeld_door", "agendapunt__bespreking")
        .order_by("aangemeld_op", "pk")
    )
    if soort:
        qs = qs.filter(soort=soort)
    return qs


def agenda_keuzes(user, school):
    """Per soort, the planned (not yet past) besprekingen the user may put pupils on."""
    vanaf = timezone.now() - datetime.timedelta(hours=12)
    keuzes = {}
    besprekingen = (
        Bespreking.objects.filter(school=school, status=Bespreking.Status.GEPLAND,
                                  soort__in=Bespreking.AANMELDBAAR, begin__gte=vanaf)
        .select_related("klas")
        .order_by("begin")
    )
    for b in besprekingen:
        if toegang.mag_bespreking_leiden(user, school, b):
            keuzes.setdefault(b.soort, []).append(b)
    return keuzes
