"""The IZO/ZAT meeting screen and its verslag: the rules behind capturing a pupil item live.

- Notes of an item (and the general notes of the meeting) are saved with a version check:
  a stale save raises NotitieConflict and writes nothing, so both texts can be shown.
- Besluiten are Afspraken of a soort (afspraak, arrangement, coaching, verwijzing,
  handelingsplan); a referral of a named IZO/ZAT item needs valid consent.
- A zorgniveau change in the meeting records the zorgniveau-besluit exactly as the route does
  (leerlingen.route.beslis / schaal_af) and is kept on the Agendapunt.
- Fixing the verslag (stel_verslag_vast) writes one "bespreking" entry per pupil item on the
  timeline, marks the aanmeldingen besproken and creates the terugkoppeling tasks; running it
  again updates rather than duplicates.

Anonymous items are named through services.punt_naam everywhere outside the pupil's own dossier.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerlingen import route
from leerlingen.models import Dossieritem, Leerling, Opschaling
from zorg import toegang
from zorg.notificaties import notificeer

from .models import Aanmelding, Afspraak, Agendapunt, Bespreking, Deelnemer
from .services import BesprekingFout, datum_tekst, is_actueel, maak_afspraak, punt_naam, zat_toestemming

Soort = Afspraak.Soort
# Besluiten the chair records from the meeting screen (terugkoppeling and groepsplan come from
# the verslag and the groepsbespreking).
BESLUIT_SOORTEN = [Soort.AFSPRAAK, Soort.ARRANGEMENT, Soort.COACHING, Soort.VERWIJZING, Soort.HANDELINGSPLAN]
TERUGKOPPELING = [
    (Soort.TERUGKOPPELING_DOCENTEN, gettext_lazy("Handelingstips aan docenten")),
    (Soort.TERUGKOPPELING_OUDERS, gettext_lazy("Terugkoppeling aan ouders en leerling")),
]
TERUGKOPPELING_DAGEN = 7


class NotitieConflict(Exception):
    """The notes were changed by someone else since they were loaded; nothing was written."""

    def __init__(self, actueel):
        super().__init__("conflict")
        self.actueel = actueel


def conflict_melding(actueel):
    wie = actueel.gewijzigd_door.korte_naam if getattr(actueel, "gewijzigd_door", None) else _("een collega")
    tijd = timezone.localtime(actueel.gewijzigd_op).strftime("%H:%M")
    return _("De notities zijn intussen gewijzigd door %(wie)s om %(tijd)s. Beide teksten staan hieronder: "
             "voeg ze samen en sla opnieuw op.") % {"wie": wie, "tijd": tijd}


def vergaderdatum(bespreking):
    return timezone.localtime(bespreking.begin).date()


def _controleer_leiden(user, school, bespreking):
    if not toegang.mag_bespreking_leiden(user, school, bespreking):
        raise BesprekingFout(_("Alleen de voorzitter of de zorgcoördinator legt de bespreking vast."))
    if bespreking.status == Bespreking.Status.GEANNULEERD:
        raise BesprekingFout(_("Deze bespreking is geannuleerd."))


def _leerlingpunt(punt):
    if not punt.leerling_id:
        raise BesprekingFout(_("Dit agendapunt gaat niet over een leerling."))


# --- Notes ----------------------------------------------------------------------------------------


def bewaar_notities(user, school, punt, tekst, versie):
    """Save the notes of one agenda item unless they changed since `versie`."""
    _controleer_leiden(user, school, punt.bespreking)
    with transaction.atomic():
        actueel = Agendapunt.objects.select_for_update(of=("self",)).select_related("gewijzigd_door").get(pk=punt.pk)
        if not is_actueel(actueel, versie):
            raise NotitieConflict(actueel)
        actueel.notities = (tekst or "").replace("\r\n", "\n")
        actueel.gewijzigd_door = user
        actueel._history_user = user
        actueel.save(update_fields=["notities", "gewijzigd_door", "gewijzigd_op"])
    return actueel


def bewaar_algemeen(user, school, bespreking, versie, notities=None, samenvatting=None):
    """Save the general notes and/or the samenvatting of the meeting with the same version check."""
    _controleer_leiden(user, school, bespreking)
    with transaction.atomic():
        actueel = Bespreking.objects.select_for_update(of=("self",)).get(pk=bespreking.pk)
        if not is_actueel(actueel, versie):
            raise NotitieConflict(actueel)
        velden = ["gewijzigd_op"]
        if notities is not None:
            actueel.notities = notities.replace("\r\n", "\n")
            velden.append("notities")
        if samenvatting is not None:
            actueel.samenvatting = samenvatting.replace("\r\n", "\n")
            velden.append("samenvatting")
        actueel._history_user = user
        actueel.save(update_fields=velden)
    return actueel


# --- Participants ---------------------------------------------------------------------------------


def zet_aanwezig(user, school, bespreking, deelnemer_pk, aanwezig):
    _controleer_leiden(user, school, bespreking)
    try:
        deelnemer = Deelnemer.objects.get(bespreking=bespreking, pk=deelnemer_pk)
    except (Deelnemer.DoesNotExist, ValueError, TypeError):
        raise BesprekingFout(_("Deze deelnemer hoort niet bij deze bespreking.")) from None
    deelnemer.aanwezig = aanwezig
    deelnemer.save(update_fields=["aanwezig"])
    return deelnemer


# --- Besluiten ------------------------------------------------------------------------------------


def leg_besluit_vast(user, school, punt, soort, wat, eigenaar, uiterlijk, arrangement="", instelling=None,
                     interventie=None):
    """One besluit of a pupil item as an Afspraak of `soort` (with its extra rules)."""
    bespreking = punt.bespreking
    _controleer_leiden(user, school, bespreking)
    _leerlingpunt(punt)
    meldingen = []
    if not (wat or "").strip():
        meldingen.append(_("Beschrijf wat er moet gebeuren."))
    if eigenaar is None:
        meldingen.append(_("Kies wie de afspraak uitvoert (eigenaar)."))
    if uiterlijk is None:
        meldingen.append(_("Geef een datum waarop de afspraak uiterlijk is uitgevoerd."))
    if soort not in BESLUIT_SOORTEN:
        meldingen.append(_("Kies wat voor besluit dit is."))
    if soort == Soort.ARRANGEMENT and arrangement not in [a for a in Afspraak.Arrangement.values if a]:
        meldingen.append(_("Kies welk arrangement de leerling krijgt."))
    if soort != Soort.ARRANGEMENT:
        arrangement = ""
    if soort == Soort.VERWIJZING:
        if instelling is None:
            meldingen.append(_("Kies de instelling waarnaar verwezen wordt."))
        elif instelling.school_id != school.pk:
            meldingen.append(_("Kies een instelling van deze school."))
        if (bespreking.soort in (Bespreking.Soort.ZAT, Bespreking.Soort.IZO) and not punt.anoniem
                and zat_toestemming(punt.leerling, vergaderdatum(bespreking)) is None):
            meldingen.append(_(
                "Verwijzen kan alleen met geldige toestemming van een ouder met gezag. Leg de toestemming eerst vast."
            ))
    else:
        instelling = None
    if uiterlijk is not None and uiterlijk < vergaderdatum(bespreking):
        meldingen.append(_("De datum ligt vóór de bespreking; kies een datum op of na %(datum)s.") % {
            "datum": datum_tekst(vergaderdatum(bespreking))})
    if meldingen:
        raise BesprekingFout(*meldingen)
    return maak_afspraak(user, school, wat, eigenaar, uiterlijk, agendapunt=punt, soort=soort,
                         arrangement=arrangement, instelling=instelling, interventie=interventie)


def wijzig_punt(user, school, punt, case_manager, vervolgdatum, vertrouwelijk):
    """Case-manager (also on the pupil), follow-up date and confidentiality of a pupil item."""
    _controleer_leiden(user, school, punt.bespreking)
    _leerlingpunt(punt)
    meldingen = []
    if case_manager is not None and not school.medewerkers().filter(pk=case_manager.pk).exists():
        meldingen.append(_("%(naam)s werkt dit schooljaar niet op deze school en kan geen case-manager zijn.") % {
            "naam": case_manager.naam})
    if vervolgdatum is not None and vervolgdatum < vergaderdatum(punt.bespreking):
        meldingen.append(_("De vervolgdatum ligt vóór de bespreking."))
    if meldingen:
        raise BesprekingFout(*meldingen)
    with transaction.atomic():
        punt.case_manager = case_manager
        punt.vervolgdatum = vervolgdatum
        punt.vertrouwelijk = bool(vertrouwelijk)
        punt.gewijzigd_door = user
        punt.save(update_fields=["case_manager", "vervolgdatum", "vertrouwelijk", "gewijzigd_door", "gewijzigd_op"])
        if case_manager is not None and punt.leerling.case_manager_id != case_manager.pk:
            Leerling.objects.filter(pk=punt.leerling_id).update(case_manager=case_manager)
            punt.leerling.case_manager = case_manager
            notificeer([case_manager], _("U bent case-manager van %(leerling)s (besluit %(bespreking)s)") % {
                "leerling": punt_naam(punt), "bespreking": punt.bespreking.naam},
                url=reverse("bespreking", args=[punt.bespreking_id]) + f"?punt={punt.pk}", behalve=user)
    return punt


def markeer_besproken(user, school, punt, besproken=True):
    _controleer_leiden(user, school, punt.bespreking)
    punt.besproken = bool(besproken)
    punt.gewijzigd_door = user
    punt.save(update_fields=["besproken", "gewijzigd_door", "gewijzigd_op"])
    return punt


def niveau_keuzes(user, school, leerling):
    """The levels of the school's route the pupil can be moved to from the meeting (all but the
    current one); which of them this user may decide is checked by wijzig_zorgniveau."""
    return [n for n in route.niveaus(school) if n.pk != leerling.zorgniveau_id]


def mag_niveau_kiezen(user, school, leerling, naar):
    """Up: the decider of the target level. Down: the decider of the target or of the current level
    (as route.schaal_af lets the current level's decider step down)."""
    if route.mag_beslissen(user, school, leerling, naar):
        return True
    huidig = leerling.zorgniveau
    omlaag = huidig is not None and naar.volgorde < huidig.volgorde
    return omlaag and route.mag_beslissen(user, school, leerling, huidig)


@transaction.atomic
def wijzig_zorgniveau(user, school, punt, naar, reden="", case_manager=None):
    """Move the pupil of `punt` to level `naar` of the school's route, as a zorgniveau-besluit on the
    timeline (like route.beslis). Up needs what the route needs (route.ontbrekend: interventies,
    consent); an open request for exactly this level is granted with this besluit."""
    bespreking = punt.bespreking
    _controleer_leiden(user, school, bespreking)
    _leerlingpunt(punt)
    leerling = Leerling.objects.select_for_update(of=("self",)).select_related("zorgniveau", "school").get(
        pk=punt.leerling_id)
    alle = route.niveaus(school)
    if naar is None or naar.pk not in {n.pk for n in alle}:
        raise BesprekingFout(_("Kies een zorgniveau van de zorgroute van de school."))
    van = leerling.zorgniveau
    if van is not None and van.pk == naar.pk:
        raise BesprekingFout(_("De leerling heeft dit zorgniveau al."))
    omhoog = van is None or naar.volgorde > van.volgorde
    if not mag_niveau_kiezen(user, school, leerling, naar):
        raise BesprekingFout(_("Over %(niveau)s beslist %(wie)s van de leerling.") % {
            "niveau": naar.naam, "wie": route.rollabel(naar.besloten_door)})
    open_ = route.open_opschaling(leerling)
    if open_ is not None and open_.naar_niveau_id != naar.pk:
        raise BesprekingFout(_("Er staat nog een hulpvraag open naar %(niveau)s. Wijs die eerst af of laat haar "
                               "intrekken.") % {"niveau": open_.naar_niveau.naam})
    if omhoog:
        meldingen = route.ontbrekend(leerling, naar)
        if meldingen:
            raise BesprekingFout(*meldingen)
    if case_manager is None:
        case_manager = punt.case_manager or route.standaard_case_manager(leerling, naar, user)
    if not school.medewerkers().filter(pk=case_manager.pk).exists():
        raise BesprekingFout(_("%(naam)s werkt dit schooljaar niet op deze school en kan geen case-manager zijn.") % {
            "naam": case_manager.naam})
    reden = (reden or "").strip() or _("Besloten in %(bespreking)s van %(datum)s.") % {
        "bespreking": bespreking.naam, "datum": datum_tekst(vergaderdatum(bespreking))}
    naar_naam = f"{naar.code} {naar.naam}"
    titel = (_("Opgeschaald naar %(niveau)s") if omhoog else _("Afgeschaald naar %(niveau)s")) % {"niveau": naar_naam}
    besluit = Dossieritem.objects.create(
        leerling=leerling, soort=Dossieritem.Soort.ZORGNIVEAU, auteur=user, datum=vergaderdatum(bespreking),
        titel=titel, tekst=reden, hulpvraag=open_.hulpvraag if open_ else (
            punt.aanmelding.hulpvraag if punt.aanmelding_id else ""),
        van_niveau=van, naar_niveau=naar, case_manager=case_manager,
    )
    if open_ is not None:
        open_.status, open_.besloten_door, open_.besloten_op = Opschaling.Status.TOEGEKEND, user, timezone.now()
        open_.reden, open_.case_manager, open_.besluit = reden, case_manager, besluit
        if naar.toestemming_vereist:
            open_.toestemming = route.geldige_toestemming(leerling)
        open_.save()  # with its history row, as route.beslis
    leerling.zorgniveau, leerling.case_manager = naar, case_manager
    leerling.save(update_fields=["zorgniveau", "case_manager"])
    punt.leerling = leerling
    punt.zorgniveau_besluit = besluit
    punt.case_manager = case_manager
    punt.gewijzigd_door = user
    punt.save(update_fields=["zorgniveau_besluit", "case_manager", "gewijzigd_door", "gewijzigd_op"])
    ontvangers = [case_manager] + ([open_.aangevraagd_door] if open_ else [])
    notificeer(ontvangers, _("%(leerling)s: %(titel)s; case-manager: %(cm)s") % {
        "leerling": punt_naam(punt), "titel": titel, "cm": case_manager.korte_naam},
        url=reverse("leerling", args=[leerling.pk]), behalve=user)
    return besluit


# --- The one-page summary of a pupil item -----------------------------------------------------------


@dataclass
class Samenvatting:
    leerling: object
    aanmelding: object
    interventies: list
    totaal: int
    met_effect: int
    zonder_effect: int
    plannen: list
    afspraken: list
    toestemming: object
    toestemming_nodig: bool
    toestemming_verlopen: bool
    besluiten: list = field(default_factory=list)


def samenvatting(user, school, punt):
    """What the chair shows of the current pupil, only what the user may read."""
    leerling = punt.leerling
    items = toegang.dossieritems_voor(user, school, leerling)
    interventies = list(items.filter(soort=Dossieritem.Soort.INTERVENTIE).order_by("-datum", "-pk")[:5])
    alle_interventies = items.filter(soort=Dossieritem.Soort.INTERVENTIE)
    E = Dossieritem.Effect
    tellingen = dict(alle_interventies.values_list("effect").annotate(n=Count("pk")).order_by())
    met_effect = tellingen.get(E.GOED, 0) + tellingen.get(E.DEELS, 0)
    zonder_effect = tellingen.get(E.GEEN, 0) + tellingen.get(E.BEPERKT, 0)
    plannen = list(
        toegang.handelingsplannen_voor(user, school, leerling)
        .filter(status__in=["concept", "vastgesteld"]).order_by("evaluatiedatum", "pk")
    )
    afspraken = list(
        toegang.afspraken_voor(user, school).filter(leerling=leerling, status=Afspraak.Status.OPEN)
        .exclude(agendapunt=punt).select_related("eigenaar").order_by("uiterlijk", "pk")
    )
    datum = vergaderdatum(punt.bespreking)
    toestemming = zat_toestemming(leerling, datum)
    nodig = punt.bespreking.soort == Bespreking.Soort.ZAT and not punt.anoniem
    eerder = punt.aanmelding.toestemming if punt.aanmelding_id else None
    return Samenvatting(
        leerling=leerling, aanmelding=punt.aanmelding if punt.aanmelding_id else None,
        interventies=interventies, totaal=sum(tellingen.values()), met_effect=met_effect, zonder_effect=zonder_effect,
        plannen=plannen, afspraken=afspraken, toestemming=toestemming, toestemming_nodig=nodig,
        toestemming_verlopen=nodig and toestemming is None and eerder is not None,
        besluiten=list(items.filter(soort=Dossieritem.Soort.ZORGNIVEAU).select_related(
            "van_niveau", "naar_niveau").order_by("-datum", "-pk")[:3]),
    )


# --- The verslag ----------------------------------------------------------------------------------


def punten_met_afspraken(punten):
    """Attach .naam and .besluiten (the afspraken) to each item, in two queries."""
    punten = list(punten)
    per_punt = {}
    for afspraak in Afspraak.objects.filter(agendapunt__in=[p.pk for p in punten]).select_related(
            "eigenaar", "instelling", "interventie").order_by("pk"):
        per_punt.setdefault(afspraak.agendapunt_id, []).append(afspraak)
    for punt in punten:
        punt.naam = punt_naam(punt)
        punt.besluiten = per_punt.get(punt.pk, [])
    return punten


def verberg_vertrouwelijk(user, school, bespreking, punten):
    """Notes of an item marked vertrouwelijk are for the zorgteam (as its dossier entry is): the
    chair, the zorgcoördinator, staff who took part, and who reads the pupil's vertrouwelijk
    entries. Others (a mentor, an external contact) see its besluiten but not the notes."""
    if toegang.mag_bespreking_leiden(user, school, bespreking) or Deelnemer.objects.filter(
            bespreking=bespreking, gebruiker=user).exists():
        return punten
    for punt in punten:
        if punt.vertrouwelijk and punt.leerling_id:
            relaties = toegang.relaties_met(user, school, punt.leerling)
            niveaus = set().union(*(toegang.LEZEN.get(r, set()) for r in relaties))
            if Dossieritem.Vertrouwelijkheid.VERTROUWELIJK not in niveaus:
                punt.notities = ""
                punt.notities_verborgen = True
    return punten


def aanwezigheid(deelnemers):
    """The names of the present and the absent participants, for the verslag."""
    return {"aanwezigen": [d.naam for d in deelnemers if d.aanwezig],
            "afwezigen": [d.naam for d in deelnemers if d.aanwezig is False]}


def afspraak_regel(afspraak):
    delen = [afspraak.get_soort_display().capitalize() + ": " + afspraak.wat]
    if afspraak.arrangement:
        delen.append(afspraak.get_arrangement_display())
    if afspraak.instelling_id:
        delen.append(str(afspraak.instelling))
    delen.append(_("eigenaar %(wie)s") % {"wie": afspraak.eigenaar.korte_naam})
    delen.append(_("uiterlijk %(datum)s") % {"datum": datum_tekst(afspraak.uiterlijk)})
    delen.append(afspraak.get_status_display())
    return " · ".join(delen)


def verslag_tekst(punt):
    """The text of the timeline entry of one pupil item: notes, besluiten and afspraken."""
    regels = []
    if punt.notities.strip():
        regels += [_("Bespreking:"), punt.notities.strip(), ""]
    besluiten = []
    if punt.zorgniveau_besluit_id:
        b = punt.zorgniveau_besluit
        besluiten.append(_("Zorgniveau: %(van)s → %(naar)s") % {
            "van": b.van_niveau.code if b.van_niveau_id else "—",
            "naar": b.naar_niveau.code if b.naar_niveau_id else "—"})
    if punt.case_manager_id:
        besluiten.append(_("Case-manager: %(naam)s") % {"naam": punt.case_manager.korte_naam})
    if punt.vervolgdatum:
        besluiten.append(_("Vervolg (evaluatie) op %(datum)s") % {"datum": datum_tekst(punt.vervolgdatum)})
    if besluiten:
        regels += [_("Besluiten:")] + [f"- {b}" for b in besluiten] + [""]
    afspraken = getattr(punt, "besluiten", None)
    if afspraken is None:
        afspraken = list(punt.afspraken.select_related("eigenaar", "instelling").order_by("pk"))
    if afspraken:
        regels += [_("Afspraken:")] + [f"- {afspraak_regel(a)}" for a in afspraken]
    return "\n".join(regels).strip()


def verslag_titel(bespreking):
    return _("%(naam)s %(datum)s: besluiten") % {
        "naam": bespreking.naam, "datum": date_format(vergaderdatum(bespreking), "j b")}


@transaction.atomic
def stel_verslag_vast(user, school, bespreking):
    """Fix the verslag: status gehouden; per pupil item one timeline entry (updated on a re-fix),
    the aanmelding besproken, terugkoppeling tasks for the mentor(s); participants are notified."""
    bespreking = Bespreking.objects.select_for_update(of=("self",)).get(pk=bespreking.pk)
    _controleer_leiden(user, school, bespreking)
    if not bespreking.per_leerling:
        raise BesprekingFout(_("Het verslag van een groepsbespreking wordt op dat scherm vastgesteld."))
    nu = timezone.now()
    eerste_keer = bespreking.status != Bespreking.Status.GEHOUDEN
    bespreking.status = Bespreking.Status.GEHOUDEN
    bespreking.verslag_vastgesteld_op, bespreking.verslag_vastgesteld_door = nu, user
    bespreking._history_user = user
    bespreking.save()
    punten = punten_met_afspraken(
        Agendapunt.objects.filter(bespreking=bespreking, leerling__isnull=False)
        .select_related("leerling__school", "case_manager", "zorgniveau_besluit__van_niveau",
                        "zorgniveau_besluit__naar_niveau", "aanmelding", "dossieritem")
    )
    datum = vergaderdatum(bespreking)
    termijn = timezone.localdate() + datetime.timedelta(days=TERUGKOPPELING_DAGEN)
    schooljaar = school.huidig_schooljaar()
    for punt in punten:
        V = Dossieritem.Vertrouwelijkheid
        niveau = V.VERTROUWELIJK if punt.vertrouwelijk else V.TEAM
        velden = {"titel": verslag_titel(bespreking)[:200], "tekst": verslag_tekst(punt) or _("Besproken."),
                  "vertrouwelijkheid": niveau, "datum": datum}
        item = punt.dossieritem
        if item is None:
            item = Dossieritem.objects.create(leerling=punt.leerling, soort=Dossieritem.Soort.BESPREKING, auteur=user,
                                              **velden)
        elif any(getattr(item, k) != v for k, v in velden.items()):
            for k, v in velden.items():
                setattr(item, k, v)
            item.gewijzigd_door = user
            item._history_user = user
            item.save()
        Agendapunt.objects.filter(pk=punt.pk).update(dossieritem=item)
        if punt.aanmelding_id and punt.aanmelding.status in Aanmelding.OPEN:
            Aanmelding.objects.filter(pk=punt.aanmelding_id).update(status=Aanmelding.Status.BESPROKEN)
        bestaand = {(a.soort, a.eigenaar_id) for a in punt.besluiten}
        for mentor in punt.leerling.mentoren_in(schooljaar):
            for soort, wat in TERUGKOPPELING:
                if (soort, mentor.pk) not in bestaand:
                    maak_afspraak(user, school, str(wat), mentor, termijn, agendapunt=punt, soort=soort)
    if eerste_keer:
        gebruikers = [d.gebruiker for d in bespreking.deelnemers.select_related("gebruiker") if d.gebruiker_id]
        notificeer(gebruikers, _("Het verslag van %(naam)s van %(datum)s is vastgesteld") % {
            "naam": bespreking.naam, "datum": datum_tekst(datum)},
            url=reverse("bespreking_verslag", args=[bespreking.pk]), behalve=user)
    return bespreking
