"""Escalating along the school's zorgroute, stepping down, and the overdracht summary.

The business rules live here; the views only call these functions. The steps, their names and
who decides them come from the school's configured zorgroute (zorg.models.Zorgniveau), never
from code: the only fixed knowledge is the ranking of the three decider roles.

Request → decision:
- who may *request* a step follows from `besloten_door` of the target level and of the current
  level (`aanvragers_voor`);
- who may *decide* it is the target level's `besloten_door` role with a relation to the pupil;
- a step needs its predecessor data (a hulpvraag, `min_interventies` interventies with an effect)
  and, when `toestemming_vereist`, valid consent of an ouder with gezag;
- a granted step records a zorgniveau-besluit on the timeline and moves the pupil's zorgniveau
  and case-manager.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from extern import toestemming as toestemming_regels
from extern.models import Toestemming
from zorg import toegang
from zorg.models import Functie, Gebruiker, Klas, Zorgniveau
from zorg.notificaties import notificeer
from zorg.zorgroutes import niveaus_van

from .models import Dossieritem, Klasplaatsing, Leerling, Opschaling, OuderRelatie

Beslisser = Zorgniveau.Beslisser
Status = Opschaling.Status

# The decider roles, weakest first. Requesting a step is for the roles below its decider; when
# the pupil's current level is already decided by that same role (IZO → ZAT), by that role.
RANG = {Beslisser.MENTOR: 1, Beslisser.TEAMLEIDER: 2, Beslisser.ZORGCOORDINATOR: 3}
ROLLABEL = {
    Beslisser.MENTOR: gettext_lazy("de mentor"),
    Beslisser.TEAMLEIDER: gettext_lazy("de teamleider"),
    Beslisser.ZORGCOORDINATOR: gettext_lazy("de zorgcoördinator"),
}
TOESTEMMING_DOELEN = (Toestemming.Doel.ZORGNIVEAU, Toestemming.Doel.ZAT)
# Who may record paper consent (domain.md, Access: consent R/W for the zorgcoördinator).
TOESTEMMING_VASTLEGGERS = {"zorgcoordinator"}
# Who may read the overdracht summary, and who may record it as a dossier entry.
OVERDRACHT_LEZERS = {"mentor", "teamleider", "zorgcoordinator", "specialist", "casemanager", "directie"}
OVERDRACHT_SCHRIJVERS = {"mentor", "zorgcoordinator"}
# Who may read an opschaling (the hulpvraag and its history are team information).
OPSCHALING_LEZERS = {"mentor", "teamleider", "zorgcoordinator", "specialist", "casemanager", "directie"}
LAATSTE_INTERVENTIES = 5


class RouteFout(Exception):
    """A refused step; `meldingen` are complete Dutch sentences for the user."""

    def __init__(self, *meldingen):
        self.meldingen = [str(m) for m in meldingen]
        super().__init__(" ".join(self.meldingen))


def rollabel(rol):
    return str(ROLLABEL.get(rol, rol))


def _datum(d):
    return date_format(d, "j F Y") if d else ""


# --- The route ---------------------------------------------------------------------------------


def niveaus(school):
    return niveaus_van(school)


def volgend_niveau(leerling, alle=None):
    """The next level on the school's route, or None at the top (or without a route)."""
    alle = niveaus(leerling.school) if alle is None else alle
    if leerling.zorgniveau_id is None:
        return alle[0] if alle else None
    huidig = next((n for n in alle if n.pk == leerling.zorgniveau_id), None)
    if huidig is None:
        return None
    return next((n for n in alle if n.volgorde > huidig.volgorde), None)


def lagere_niveaus(leerling, alle=None):
    alle = niveaus(leerling.school) if alle is None else alle
    huidig = next((n for n in alle if n.pk == leerling.zorgniveau_id), None)
    if huidig is None:
        return []
    return [n for n in alle if n.volgorde < huidig.volgorde]


def aanvragers_voor(van_niveau, naar_niveau):
    """The relation names that may request the step van_niveau → naar_niveau.

    mentor-decided target: the mentor; teamleider-decided: the mentor; zorgcoördinator-decided:
    mentor or teamleider; and when the current level is already decided by the target's decider
    (IZO → ZAT): that role itself.
    """
    doel = RANG.get(naar_niveau.besloten_door, RANG[Beslisser.ZORGCOORDINATOR])
    huidig = RANG.get(van_niveau.besloten_door, 1) if van_niveau is not None else 1
    if huidig >= doel:
        return {naar_niveau.besloten_door}
    return {rol for rol, rang in RANG.items() if rang < doel}


def mag_aanvragen(user, school, leerling, naar_niveau):
    if naar_niveau is None:
        return False
    relaties = toegang.relaties_met(user, school, leerling)
    return bool(relaties & aanvragers_voor(leerling.zorgniveau, naar_niveau))


def mag_beslissen(user, school, leerling, niveau):
    """The level's decider role with a relation to this pupil."""
    return niveau is not None and niveau.besloten_door in toegang.relaties_met(user, school, leerling)


def mag_afschalen(user, school, leerling):
    """Stepping down is for the decider of the pupil's current level."""
    return leerling.zorgniveau is not None and mag_beslissen(user, school, leerling, leerling.zorgniveau)


def mag_toestemming_vastleggen(user, school, leerling):
    return bool(toegang.relaties_met(user, school, leerling) & TOESTEMMING_VASTLEGGERS)


def mag_overdracht_lezen(user, school, leerling):
    return bool(toegang.relaties_met(user, school, leerling) & OVERDRACHT_LEZERS)


def mag_overdracht_vastleggen(user, school, leerling):
    return bool(toegang.relaties_met(user, school, leerling) & OVERDRACHT_SCHRIJVERS)


def mag_opschaling_lezen(user, school, opschaling):
    relaties = toegang.relaties_met(user, school, opschaling.leerling)
    return opschaling.aangevraagd_door_id == user.pk or bool(relaties & OPSCHALING_LEZERS)


def open_opschaling(leerling):
    return (
        Opschaling.objects.filter(leerling=leerling, status=Status.AANGEVRAAGD)
        .select_related("van_niveau", "naar_niveau", "aangevraagd_door")
        .first()
    )


# --- People -----------------------------------------------------------------------------------


def beslissers(leerling, niveau):
    """The users who hold the level's decider role for this pupil (to notify them)."""
    schooljaar = leerling.school.huidig_schooljaar()
    if niveau.besloten_door == Beslisser.MENTOR:
        return leerling.mentoren_in(leerling.school.huidig_schooljaar())
    if niveau.besloten_door == Beslisser.TEAMLEIDER:
        klas = leerling.huidige_klas()
        if klas is None:
            return []
        return list(
            Gebruiker.objects.filter(
                functies__schooljaar=schooljaar, functies__soort=Functie.Soort.TEAMLEIDER,
                functies__afdeling=klas.afdeling_id, is_active=True,
            ).distinct()
        )
    return list(
        Gebruiker.objects.filter(
            functies__schooljaar=schooljaar, is_active=True,
            functies__soort__in=[Functie.Soort.ZORGCOORDINATOR, Functie.Soort.INTERN_BEGELEIDER],
        ).distinct()
    )


def standaard_case_manager(leerling, niveau, beslisser):
    """Seed 004: at moments 1–2 (mentor- and teamleider-decided levels) the mentor is
    case-manager; at IZO/ZAT someone of the zorgteam, by default the deciding zorgcoördinator."""
    if niveau is None or niveau.besloten_door in (Beslisser.MENTOR, Beslisser.TEAMLEIDER):
        mentoren = leerling.mentoren_in(leerling.school.huidig_schooljaar())
        return mentoren[0] if mentoren else beslisser
    return beslisser


# --- Predecessor data and consent ---------------------------------------------------------------


def interventies_met_effect(leerling):
    return Dossieritem.objects.filter(leerling=leerling, soort=Dossieritem.Soort.INTERVENTIE).exclude(effect="")


def _ouders_met_gezag(leerling):
    return set(OuderRelatie.objects.filter(leerling=leerling, gezag=True).values_list("ouder_id", flat=True))


def geldige_toestemming(leerling, op=None):
    """The valid consent for an external level: doel zorgniveau or ZAT, given, not expired, by
    whom the school's age rule requires (extern.toestemming). None when there is none."""
    return toestemming_regels.geldige(leerling, TOESTEMMING_DOELEN, op=op)


def _toestemming_melding(leerling, niveau, op):
    """Why there is no valid consent, in one Dutch sentence naming what is missing."""
    basis = _("Voor %(niveau)s is toestemming nodig van een ouder met gezag (en, afhankelijk van de leeftijd, "
              "van de leerling).") % {"niveau": niveau.naam}
    return basis + " " + toestemming_regels.waarom_niet(leerling, TOESTEMMING_DOELEN, op=op)


def ontbrekend(leerling, naar_niveau, hulpvraag=None):
    """What is missing for a step to naar_niveau, as Dutch sentences (empty: nothing missing).
    `hulpvraag=None` skips the hulpvraag check (used before the form is filled in)."""
    meldingen = []
    if hulpvraag is not None and not hulpvraag.strip():
        meldingen.append(_("Vul de hulpvraag in: zonder hulpvraag kan %(wie)s de opschaling niet beoordelen.") % {
            "wie": rollabel(naar_niveau.besloten_door)
        })
    nodig = naar_niveau.min_interventies
    if nodig:
        aantal = interventies_met_effect(leerling).count()
        if aantal < nodig:
            meldingen.append(
                _(
                    "Voor %(niveau)s zijn minimaal %(nodig)s interventie(s) met een ingevuld effect nodig; "
                    "het dossier bevat er %(aantal)s. Leg eerst de interventies en hun effect vast op het "
                    "interventieformulier."
                ) % {"niveau": naar_niveau.naam, "nodig": nodig, "aantal": aantal}
            )
    if naar_niveau.toestemming_vereist:
        op = timezone.localdate()
        if geldige_toestemming(leerling, op) is None:
            meldingen.append(_toestemming_melding(leerling, naar_niveau, op))
    return meldingen


# --- The assembled history (the interventieformulier) -------------------------------------------


def _historie_items(leerling):
    """Interventies and signaleringen that may travel with a hulpvraag: never vertrouwelijk ones."""
    return (
        Dossieritem.objects.filter(
            leerling=leerling, soort__in=[Dossieritem.Soort.INTERVENTIE, Dossieritem.Soort.SIGNALERING]
        )
        .exclude(vertrouwelijkheid=Dossieritem.Vertrouwelijkheid.VERTROUWELIJK)
        .select_related("auteur")
        .order_by("datum", "aangemaakt_op")
    )


def geschiedenis(leerling):
    """The history a hulpvraag carries, as text: what was done, by whom, with what effect."""
    interventies, signaleringen = [], []
    for item in _historie_items(leerling):
        auteur = item.auteur.korte_naam if item.auteur else "—"
        if item.soort == Dossieritem.Soort.INTERVENTIE:
            regels = [f"- {item.datum:%d-%m-%Y}"]
            if item.hulpvraag:
                regels.append(_("  hulpvraag: %(t)s") % {"t": item.hulpvraag})
            if item.acties or item.tekst:
                regels.append(_("  wat is er gedaan: %(t)s") % {"t": item.acties or item.tekst})
            regels.append(_("  door wie: %(t)s") % {"t": item.uitgevoerd_door or auteur})
            effect = item.get_effect_display() if item.effect else _("nog niet bekend")
            regels.append(_("  effect: %(t)s") % {"t": effect})
            interventies.append("\n".join(regels))
        else:
            domein = f" ({item.get_domein_display()})" if item.domein else ""
            signaleringen.append(f"- {item.datum:%d-%m-%Y}{domein}: {item.kop} — {auteur}")
    delen = [_("Interventies (hulpvraag, wat is er gedaan, door wie, effect):")]
    delen.append("\n".join(interventies) if interventies else _("- geen interventies vastgelegd"))
    delen.append("")
    delen.append(_("Signaleringen:"))
    delen.append("\n".join(signaleringen) if signaleringen else _("- geen signaleringen vastgelegd"))
    besluiten = list(
        Dossieritem.objects.filter(leerling=leerling, soort=Dossieritem.Soort.ZORGNIVEAU)
        .exclude(vertrouwelijkheid=Dossieritem.Vertrouwelijkheid.VERTROUWELIJK)
        .select_related("van_niveau", "naar_niveau", "auteur")
        .order_by("datum", "aangemaakt_op")
    )
    if besluiten:
        delen.append("")
        delen.append(_("Eerdere zorgniveau-besluiten:"))
        for b in besluiten:
            delen.append(
                f"- {b.datum:%d-%m-%Y}: {b.van_niveau.naam if b.van_niveau else '—'} → "
                f"{b.naar_niveau.naam if b.naar_niveau else '—'} ({b.auteur.korte_naam if b.auteur else '—'})"
            )
    return "\n".join(str(d) for d in delen)


def voorgestelde_hulpvraag(leerling):
    """The latest hulpvraag on the interventieformulier, so it is not retyped."""
    item = (
        _historie_items(leerling).filter(soort=Dossieritem.Soort.INTERVENTIE).exclude(hulpvraag="")
        .order_by("-datum", "-aangemaakt_op").first()
    )
    return item.hulpvraag if item else ""


# --- Steps ------------------------------------------------------------------------------------


def _vergrendel_leerling(leerling):
    """Lock the pupil row: requests and step-downs for one pupil happen one at a time."""
    return Leerling.objects.select_for_update(of=("self",)).select_related("zorgniveau", "school").get(pk=leerling.pk)


def _dossier_url(leerling):
    return reverse("leerling", args=[leerling.pk])


@transaction.atomic
def vraag_aan(user, school, leerling, hulpvraag, begeleidingsvraag=""):
    """Hand the hulpvraag to the decider of the next level. Returns the Opschaling."""
    leerling = _vergrendel_leerling(leerling)
    naar = volgend_niveau(leerling)
    if naar is None:
        raise RouteFout(_("Deze leerling staat al op het hoogste niveau van de zorgroute van de school."))
    if not mag_aanvragen(user, school, leerling, naar):
        rollen = sorted(rollabel(r) for r in aanvragers_voor(leerling.zorgniveau, naar))
        raise RouteFout(_("Een hulpvraag naar %(niveau)s wordt ingediend door %(wie)s van de leerling.") % {
            "niveau": naar.naam, "wie": _(" of ").join(rollen)
        })
    bestaand = open_opschaling(leerling)
    if bestaand is not None:
        raise RouteFout(_(
            "Er staat al een hulpvraag open naar %(niveau)s (aangevraagd door %(wie)s op %(datum)s). "
            "Per leerling kan er één hulpvraag tegelijk openstaan."
        ) % {
            "niveau": bestaand.naar_niveau.naam, "wie": bestaand.aangevraagd_door.naam,
            "datum": _datum(timezone.localtime(bestaand.aangevraagd_op).date()),
        })
    meldingen = ontbrekend(leerling, naar, hulpvraag=hulpvraag or "")
    ontvangers = beslissers(leerling, naar)
    if not ontvangers:
        meldingen.append(_("Er is niemand die als %(rol)s over deze stap kan beslissen; vraag de "
                           "applicatiebeheerder de functies voor dit schooljaar in te vullen.") % {
            "rol": Zorgniveau.Beslisser(naar.besloten_door).label
        })
    if meldingen:
        raise RouteFout(*meldingen)
    opschaling = Opschaling.objects.create(
        leerling=leerling,
        van_niveau=leerling.zorgniveau,
        naar_niveau=naar,
        hulpvraag=hulpvraag.strip(),
        begeleidingsvraag=(begeleidingsvraag or "").strip(),
        geschiedenis=geschiedenis(leerling),
        aangevraagd_door=user,
        toestemming=geldige_toestemming(leerling) if naar.toestemming_vereist else None,
    )
    if naar.besloten_in in (Zorgniveau.Bespreking.IZO, Zorgniveau.Bespreking.ZAT):
        # Decided in the IZO/ZAT: the hulpvraag also lands in the zorgcoördinator's queue of aanmeldingen.
        from besprekingen.aanmelding import aanmelding_uit_opschaling

        aanmelding_uit_opschaling(user, opschaling, naar.besloten_in)
    notificeer(
        ontvangers,
        _("%(wie)s vraagt opschaling van %(leerling)s naar %(niveau)s") % {
            "wie": user.korte_naam, "leerling": leerling.naam, "niveau": naar.naam
        },
        url=reverse("route_beoordelen", args=[opschaling.pk]),
        leerling=leerling,
        behalve=user,
    )
    return opschaling


def _controleer_case_manager(school, case_manager):
    if case_manager is None:
        raise RouteFout(_("Kies een case-manager."))
    if not school.medewerkers().filter(pk=case_manager.pk).exists():
        raise RouteFout(_("%(naam)s werkt dit schooljaar niet op deze school en kan geen case-manager zijn.") % {
            "naam": case_manager.naam
        })


def _beoordeeld_melding(opschaling):
    return _("Deze hulpvraag is al %(status)s door %(wie)s op %(datum)s.") % {
        "status": opschaling.get_status_display(),
        "wie": opschaling.besloten_door.naam if opschaling.besloten_door else "—",
        "datum": _datum(timezone.localtime(opschaling.besloten_op).date()) if opschaling.besloten_op else "—",
    }


@transaction.atomic
def beslis(user, school, opschaling_pk, toekennen, reden, case_manager=None):
    """Grant or refuse an open request. The Opschaling row is locked, so of two deciders acting at
    once the second finds it decided and is refused."""
    opschaling = (
        Opschaling.objects.select_for_update(of=("self",))
        .select_related("leerling__school", "naar_niveau", "van_niveau", "besloten_door")
        .get(pk=opschaling_pk)
    )
    if opschaling.status != Status.AANGEVRAAGD:
        raise RouteFout(_beoordeeld_melding(opschaling))
    leerling = _vergrendel_leerling(opschaling.leerling)
    naar = opschaling.naar_niveau
    if not mag_beslissen(user, school, leerling, naar):
        raise RouteFout(_("Over een opschaling naar %(niveau)s beslist %(wie)s van de leerling.") % {
            "niveau": naar.naam, "wie": rollabel(naar.besloten_door)
        })
    if not (reden or "").strip():
        raise RouteFout(_("Geef een toelichting bij het besluit: die komt in het dossier en bij de aanvrager."))
    nu = timezone.now()
    if not toekennen:
        opschaling.status = Status.AFGEWEZEN
        opschaling.besloten_door, opschaling.besloten_op, opschaling.reden = user, nu, reden.strip()
        opschaling.save()
        _sluit_aanmeldingen(opschaling, _("De hulpvraag is afgewezen: %(reden)s") % {"reden": reden.strip()})
        notificeer(
            [opschaling.aangevraagd_door],
            _("Opschaling van %(leerling)s naar %(niveau)s is afgewezen") % {"leerling": leerling.naam,
                                                                              "niveau": naar.naam},
            url=reverse("route_beoordelen", args=[opschaling.pk]), leerling=leerling, behalve=user,
        )
        return opschaling
    if leerling.zorgniveau_id != opschaling.van_niveau_id:
        raise RouteFout(_(
            "Het zorgniveau van de leerling is na de aanvraag gewijzigd (nu: %(nu)s). Wijs deze hulpvraag af "
            "en laat zo nodig een nieuwe indienen."
        ) % {"nu": leerling.zorgniveau.naam if leerling.zorgniveau else _("geen")})
    meldingen = ontbrekend(leerling, naar, hulpvraag=opschaling.hulpvraag)
    if meldingen:
        raise RouteFout(*meldingen)
    _controleer_case_manager(school, case_manager)
    toestemming = geldige_toestemming(leerling) if naar.toestemming_vereist else None
    besluit = Dossieritem.objects.create(
        leerling=leerling,
        soort=Dossieritem.Soort.ZORGNIVEAU,
        auteur=user,
        titel=_("Opgeschaald naar %(niveau)s") % {"niveau": f"{naar.code} {naar.naam}"},
        tekst=reden.strip(),
        hulpvraag=opschaling.hulpvraag,
        van_niveau=opschaling.van_niveau,
        naar_niveau=naar,
        case_manager=case_manager,
    )
    opschaling.status = Status.TOEGEKEND
    opschaling.besloten_door, opschaling.besloten_op, opschaling.reden = user, nu, reden.strip()
    opschaling.case_manager, opschaling.besluit = case_manager, besluit
    if toestemming is not None:
        opschaling.toestemming = toestemming
    opschaling.save()
    leerling.zorgniveau, leerling.case_manager = naar, case_manager
    leerling.save(update_fields=["zorgniveau", "case_manager"])
    tekst = _("Opschaling van %(leerling)s naar %(niveau)s is toegekend; case-manager: %(cm)s") % {
        "leerling": leerling.naam, "niveau": naar.naam, "cm": case_manager.korte_naam
    }
    notificeer([opschaling.aangevraagd_door, case_manager], tekst, url=_dossier_url(leerling), leerling=leerling,
               behalve=user)
    return opschaling


@transaction.atomic
def trek_in(user, school, opschaling_pk):
    """The requester withdraws an open request."""
    opschaling = Opschaling.objects.select_for_update(of=("self",)).select_related(
        "besloten_door", "naar_niveau", "leerling"
    ).get(pk=opschaling_pk)
    if opschaling.status != Status.AANGEVRAAGD:
        raise RouteFout(_beoordeeld_melding(opschaling))
    if opschaling.aangevraagd_door_id != user.pk:
        raise RouteFout(_("Alleen wie de hulpvraag heeft ingediend, kan haar intrekken."))
    opschaling.status = Status.INGETROKKEN
    opschaling.besloten_door, opschaling.besloten_op = user, timezone.now()
    opschaling.save()
    _sluit_aanmeldingen(opschaling, _("De hulpvraag is ingetrokken."))
    return opschaling


def _sluit_aanmeldingen(opschaling, reden):
    """A withdrawn or refused request takes its waiting aanmelding for the IZO/ZAT with it."""
    from besprekingen.models import Aanmelding

    for aanmelding in Aanmelding.objects.filter(
        opschaling=opschaling, status__in=[Aanmelding.Status.AANGEMELD, Aanmelding.Status.TERUGGESTUURD]
    ):
        aanmelding.status, aanmelding.toelichting_status = Aanmelding.Status.INGETROKKEN, str(reden)
        aanmelding.save(update_fields=["status", "toelichting_status"])


@transaction.atomic
def schaal_af(user, school, leerling, naar_niveau, reden, case_manager=None):
    """Step down to a lower level (or to no zorgniveau) with a reason; no consent needed."""
    leerling = _vergrendel_leerling(leerling)
    van = leerling.zorgniveau
    if van is None:
        raise RouteFout(_("Deze leerling heeft geen zorgniveau; afschalen kan niet."))
    if not mag_beslissen(user, school, leerling, van):
        raise RouteFout(_("Afschalen van %(niveau)s doet %(wie)s van de leerling.") % {
            "niveau": van.naam, "wie": rollabel(van.besloten_door)
        })
    lager = lagere_niveaus(leerling)
    if naar_niveau is not None and naar_niveau.pk not in {n.pk for n in lager}:
        raise RouteFout(_("Kies een niveau dat lager ligt dan %(niveau)s.") % {"niveau": van.naam})
    if not (reden or "").strip():
        raise RouteFout(_("Geef een reden voor het afschalen: die komt in het dossier."))
    bestaand = open_opschaling(leerling)
    if bestaand is not None:
        raise RouteFout(_("Er staat nog een hulpvraag open naar %(niveau)s. Wijs die eerst af of laat haar "
                          "intrekken.") % {"niveau": bestaand.naar_niveau.naam})
    if case_manager is not None:
        _controleer_case_manager(school, case_manager)
    naar_naam = f"{naar_niveau.code} {naar_niveau.naam}" if naar_niveau else _("geen zorgniveau")
    besluit = Dossieritem.objects.create(
        leerling=leerling,
        soort=Dossieritem.Soort.ZORGNIVEAU,
        auteur=user,
        titel=_("Afgeschaald naar %(niveau)s") % {"niveau": naar_naam},
        tekst=reden.strip(),
        van_niveau=van,
        naar_niveau=naar_niveau,
        case_manager=case_manager,
    )
    leerling.zorgniveau, leerling.case_manager = naar_niveau, case_manager
    leerling.save(update_fields=["zorgniveau", "case_manager"])
    if case_manager is not None:
        notificeer([case_manager], _("%(leerling)s is afgeschaald naar %(niveau)s; u bent case-manager") % {
            "leerling": leerling.naam, "niveau": naar_naam
        }, url=_dossier_url(leerling), leerling=leerling, behalve=user)
    return besluit


@transaction.atomic
def leg_toestemming_vast(user, school, leerling, ouder, doel, datum, geldig_tot=None, leerling_akkoord=None):
    """Record consent given on paper. Only an ouder with gezag for this pupil can give it."""
    if not mag_toestemming_vastleggen(user, school, leerling):
        raise RouteFout(_("Toestemming vastleggen doet de zorgcoördinator."))
    if ouder is None or ouder.pk not in _ouders_met_gezag(leerling):
        raise RouteFout(_("Alleen een ouder of verzorger met ouderlijk gezag over deze leerling kan toestemming "
                          "geven."))
    if datum > timezone.localdate():
        raise RouteFout(_("De datum van de toestemming ligt in de toekomst."))
    if geldig_tot is not None and geldig_tot < datum:
        raise RouteFout(_("‘Geldig tot en met’ ligt vóór de datum van de toestemming."))
    return Toestemming.objects.create(
        leerling=leerling, doel=doel, ouder=ouder, status=Toestemming.Status.GEGEVEN,
        wijze=Toestemming.Wijze.PAPIER, datum=datum, geldig_tot=geldig_tot, vastgelegd_door=user,
        leerling_akkoord=leerling_akkoord, beslist_op=timezone.now(),
    )


# --- What the dossier page shows ------------------------------------------------------------------


@dataclass
class RouteActies:
    huidig: Zorgniveau | None
    volgend: Zorgniveau | None
    open: Opschaling | None
    niveaus: list = field(default_factory=list)
    mag_aanvragen: bool = False
    mag_beoordelen: bool = False
    mag_intrekken: bool = False
    mag_afschalen: bool = False
    mag_toestemming: bool = False
    mag_overdracht: bool = False
    toestemming: Toestemming | None = None


def acties_voor(user, school, leerling):
    """Everything the route block on the dossier page needs, for this user and pupil."""
    alle = niveaus(leerling.school)
    volgend = volgend_niveau(leerling, alle)
    huidig = next((n for n in alle if n.pk == leerling.zorgniveau_id), None)
    opschaling = open_opschaling(leerling)
    acties = RouteActies(huidig=huidig, volgend=volgend, open=opschaling, niveaus=alle)
    if school is None or leerling.school_id != school.pk:
        return acties
    acties.mag_aanvragen = opschaling is None and mag_aanvragen(user, school, leerling, volgend)
    acties.mag_beoordelen = opschaling is not None and mag_beslissen(user, school, leerling, opschaling.naar_niveau)
    acties.mag_intrekken = opschaling is not None and opschaling.aangevraagd_door_id == user.pk
    acties.mag_afschalen = opschaling is None and mag_afschalen(user, school, leerling)
    acties.mag_toestemming = mag_toestemming_vastleggen(user, school, leerling)
    acties.mag_overdracht = mag_overdracht_lezen(user, school, leerling)
    if any(n.toestemming_vereist for n in alle):
        acties.toestemming = geldige_toestemming(leerling)
    return acties


# --- The queue of open requests ---------------------------------------------------------------------


def te_beoordelen(user, school):
    """Open requests this user decides: mentor-decided steps for their klas, teamleider-decided
    for their afdeling, zorgcoördinator-decided for the school."""
    r = toegang.rollen(user, school)
    if r.schooljaar is None:
        return Opschaling.objects.none()
    plaatsingen = Klasplaatsing.objects.filter(klas__schooljaar=r.schooljaar, leerling__school=school)
    voorwaarde = Q()
    if r.mentor_klassen:
        voorwaarde |= Q(
            naar_niveau__besloten_door=Beslisser.MENTOR,
            leerling_id__in=plaatsingen.filter(klas_id__in=r.mentor_klassen).values("leerling_id"),
        )
    if r.teamleider_afdelingen:
        voorwaarde |= Q(
            naar_niveau__besloten_door=Beslisser.TEAMLEIDER,
            leerling_id__in=plaatsingen.filter(klas__afdeling_id__in=r.teamleider_afdelingen).values("leerling_id"),
        )
    if r.functies & {Functie.Soort.ZORGCOORDINATOR, Functie.Soort.INTERN_BEGELEIDER}:
        voorwaarde |= Q(
            naar_niveau__besloten_door=Beslisser.ZORGCOORDINATOR,
            leerling_id__in=plaatsingen.values("leerling_id"),
        )
    if not voorwaarde:
        return Opschaling.objects.none()
    return (
        Opschaling.objects.filter(voorwaarde, status=Status.AANGEVRAAGD, leerling__school=school)
        .select_related("leerling", "van_niveau", "naar_niveau", "aangevraagd_door")
        .order_by("aangevraagd_op")
    )


def mijn_aanvragen(user, school):
    return (
        Opschaling.objects.filter(aangevraagd_door=user, leerling__school=school)
        .select_related("leerling", "van_niveau", "naar_niveau", "besloten_door")
        .order_by("-aangevraagd_op")[:20]
    )


# --- Overdracht -------------------------------------------------------------------------------------


@dataclass
class Overdracht:
    leerling: Leerling
    klas: Klas | None
    mentoren: list
    open: Opschaling | None
    interventies: list
    bijzonderheden: list
    documenten: list
    besluiten: list
    eerdere: list
    bevat_vertrouwelijk: bool = False


def overdracht(user, school, leerling):
    """The handover summary, built from what this user may read of the dossier."""
    zichtbaar = toegang.dossieritems_voor(user, school, leerling).select_related(
        "auteur", "van_niveau", "naar_niveau", "case_manager"
    )
    interventies = list(
        zichtbaar.filter(soort=Dossieritem.Soort.INTERVENTIE).exclude(effect="")
        .order_by("-datum", "-aangemaakt_op")[:LAATSTE_INTERVENTIES]
    )
    bijzonderheden = list(zichtbaar.filter(soort=Dossieritem.Soort.BIJZONDERHEID).order_by("categorie", "-datum"))
    documenten = sorted(
        zichtbaar.filter(soort=Dossieritem.Soort.DOCUMENT).order_by("-datum"),
        key=lambda d: d.documentsoort != Dossieritem.Documentsoort.ONDERWIJSKUNDIG_RAPPORT,
    )
    besluiten = list(zichtbaar.filter(soort=Dossieritem.Soort.ZORGNIVEAU).order_by("-datum", "-aangemaakt_op")[:5])
    eerdere = list(zichtbaar.filter(soort=Dossieritem.Soort.OVERDRACHT).order_by("-datum", "-aangemaakt_op")[:5])
    klas = leerling.huidige_klas()
    gebruikt = interventies + bijzonderheden + documenten + besluiten
    return Overdracht(
        leerling=leerling,
        klas=klas,
        mentoren=list(klas.mentoren.all()) if klas else [],
        open=open_opschaling(leerling),
        interventies=interventies,
        bijzonderheden=bijzonderheden,
        documenten=documenten,
        besluiten=besluiten,
        eerdere=eerdere,
        bevat_vertrouwelijk=any(i.vertrouwelijkheid == Dossieritem.Vertrouwelijkheid.VERTROUWELIJK for i in gebruikt),
    )


def overdracht_tekst(samenvatting):
    """The summary as plain text, the snapshot stored with a recorded overdracht."""
    s, leerling = samenvatting, samenvatting.leerling
    regels = [
        _("Overdracht %(leerling)s — %(datum)s") % {"leerling": leerling.naam, "datum": _datum(timezone.localdate())},
        _("Klas: %(klas)s; mentor: %(mentor)s") % {
            "klas": s.klas or "—", "mentor": ", ".join(m.korte_naam for m in s.mentoren) or "—"
        },
        _("Zorgniveau: %(niveau)s; case-manager: %(cm)s") % {
            "niveau": f"{leerling.zorgniveau.code} {leerling.zorgniveau.naam}" if leerling.zorgniveau else "—",
            "cm": leerling.case_manager.korte_naam if leerling.case_manager else "—",
        },
    ]
    if s.open:
        regels.append(_("Open hulpvraag naar %(niveau)s: %(hulpvraag)s") % {
            "niveau": s.open.naar_niveau.naam, "hulpvraag": s.open.hulpvraag
        })
    regels += ["", _("Laatste interventies met effect:")]
    regels += [
        f"- {i.datum:%d-%m-%Y}: {i.hulpvraag or i.kop} — {i.acties or i.tekst} "
        f"({i.uitgevoerd_door or (i.auteur.korte_naam if i.auteur else '—')}; {i.get_effect_display()})"
        for i in s.interventies
    ] or [_("- geen")]
    regels += ["", _("Bijzonderheden:")]
    regels += [
        f"- {i.get_categorie_display() or i.get_soort_display()}: {i.kop}"
        + (f" — {i.tekst}" if i.tekst and i.titel else "")
        for i in s.bijzonderheden
    ] or [_("- geen")]
    regels += ["", _("Documenten:")]
    regels += [
        f"- {d.get_documentsoort_display() or d.get_soort_display()}: {d.titel or d.bestandsnaam} ({d.datum:%d-%m-%Y})"
        for d in s.documenten
    ] or [_("- geen")]
    return "\n".join(str(r) for r in regels)


@transaction.atomic
def leg_overdracht_vast(user, school, leerling):
    """Record the summary as an overdracht entry. Vertrouwelijk when it holds vertrouwelijk parts."""
    if not mag_overdracht_vastleggen(user, school, leerling):
        raise RouteFout(_("Een overdracht vastleggen doet de mentor of de zorgcoördinator."))
    samenvatting = overdracht(user, school, leerling)
    vertrouwelijkheid = (
        Dossieritem.Vertrouwelijkheid.VERTROUWELIJK if samenvatting.bevat_vertrouwelijk
        else Dossieritem.Vertrouwelijkheid.TEAM
    )
    return Dossieritem.objects.create(
        leerling=leerling,
        soort=Dossieritem.Soort.OVERDRACHT,
        auteur=user,
        titel=_("Overdracht %(datum)s") % {"datum": _datum(timezone.localdate())},
        tekst=overdracht_tekst(samenvatting),
        vertrouwelijkheid=vertrouwelijkheid,
    )
