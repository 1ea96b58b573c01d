# ruff: noqa: F811 (the wereld fixture of tests/test_urls.py is imported, then used as an argument)
"""Least privilege: the permission matrix over URL × role × object state (issue 9).

tests/test_urls.py asks every URL as every persona about one set of objects that are in scope
(in_a in the mentor's klas, a grant and consent that run, a plan that was vastgesteld, ...).
Here the same URLs are asked about objects in the other states that decide access:

- a pupil in another klas of the same afdeling, in another afdeling, at another school, one
  assigned to the zorgteam specialist, one who left the school;
- dossier entries that are vertrouwelijk, shared with parents, marked for docenten, or that
  belong to another pupil than the one in the URL;
- plans in concept, laid before the parents, vastgesteld;
- consent withdrawn or expired, a grant (ExterneToegang) expired, revoked or not yet started, a
  referral to another instelling;
- notices and exports of somebody else, pupil accounts switched off at the school.

Each state is a builder that returns the objects to use instead of the world's (an overlay on
the `wereld` fixture of tests/test_urls.py); every URL of the COVERAGE table whose arguments
touch one of those objects is asked, by every persona, once as a plain request and once as an
htmx request (HX-Request: true), and must answer: the COVERAGE answer for personas that keep
their access in that state, 404 for those who lose it, and the state's own exceptions. The
number of (URL, persona, state) combinations checked is printed at the end of the run.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from besprekingen.models import Aanmelding
from extern.models import ExterneToegang, Verwijzing
from leerlingen.models import Dossieritem, LeerlingUserObjectPermission, Opschaling
from ouders.models import Correctieverzoek
from plannen import groepsoverzicht
from plannen.models import Export, Groepsoverzicht, Groepsplan, GroepsplanRij, Handelingsplan, Sjabloon
from tests import factories as f
from tests.test_urls import ANY_OK, COVERAGE, LOGIN, PERSONAS, check, client_for, redirect, wereld  # noqa: F401
from zorg.models import Functie, Notificatie

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

TELLER = {"combinaties": 0, "verzoeken": 0}
IEDEREEN = set(PERSONAS) - {"anoniem"}
BESTAAT_AL = {"aanmelden", "route_aanvragen"}
KLASGEBONDEN = {"mentor", "docent", "ouder_user", "leerling_user", "extern"}
# Personas whose answers depend on an object's state; zonder_rol and superuser reach no school page
# whatever the state (tests/test_urls.py asks them everything).
STAAT_PERSONAS = [p for p in PERSONAS if p not in ("zonder_rol", "superuser")]


@dataclass
class Staat:
    """One object state: `bouw(p)` returns the objects that replace the world's (by attribute)."""

    naam: str
    bouw: object
    kwijt: set  # personas who lose access in this state: 404
    overrides: dict = field(default_factory=dict)  # url name -> {persona: expected}
    extra: list = field(default_factory=list)  # url names without arguments that this state concerns

    def verwacht(self, naam, persona, vervangen=None):
        route = COVERAGE[naam]
        if persona in self.overrides.get(naam, {}):
            antwoord = self.overrides[naam][persona]
            if isinstance(antwoord, tuple) and vervangen:
                antwoord = (antwoord[0], antwoord[1].format(**{k: v.pk for k, v in vervangen.items()}))
            return antwoord
        if persona == "anoniem":
            return route.anon
        if persona in self.kwijt:
            return 404
        antwoord = route.expected(persona)
        if naam in BESTAAT_AL and antwoord == 200:
            return ANY_OK  # the state's pupil already has an open aanmelding/opschaling: a redirect to it
        return antwoord


class Overlay:
    """The world with some objects replaced; remembers whether a replaced one was used."""

    def __init__(self, basis, vervangen):
        self._wereld, self._vervangen, self.geraakt = basis, vervangen, False

    def __getattr__(self, naam):
        if naam in self._vervangen:
            self.geraakt = True
            return self._vervangen[naam]
        return getattr(self._wereld, naam)


# --- builders ------------------------------------------------------------------------------------


def _leerling_objecten(p, leerling, klas, auteur, ouder=None, school=None, niveau=None):
    """Everything the pupil-level URLs point at, for `leerling` in `klas`."""
    school = school or p.school
    periode = klas.schooljaar.perioden.first()
    if periode is None:
        periode = f.PeriodeFactory(schooljaar=klas.schooljaar, nummer=1)
    ouder = ouder or f.OuderFactory()
    f.OuderRelatieFactory(ouder=ouder, leerling=leerling, gezag=True)
    objecten = {
        "in_a": leerling,
        "tweede_in_a": leerling,
        "item": Dossieritem.objects.create(leerling=leerling, soort="gesprek", auteur=auteur, tekst="Gesprek"),
        "document": Dossieritem.objects.create(
            leerling=leerling, soort="document", auteur=auteur, titel="Rapport",
            bestand=ContentFile(b"%PDF-1.4 x", name="r.pdf"), bestandsnaam="r.pdf"),
        "gedeeld_document": Dossieritem.objects.create(
            leerling=leerling, soort="document", auteur=auteur, titel="Verslag", vertrouwelijkheid="ouders",
            bestand=ContentFile(b"%PDF-1.4 y", name="v.pdf"), bestandsnaam="v.pdf"),
        "plan": Handelingsplan.objects.create(leerling=leerling, auteur=auteur, periode=periode, status="vastgesteld"),
        "opschaling": Opschaling.objects.create(
            leerling=leerling, naar_niveau=niveau or p.niveau1, hulpvraag="Piekert", aangevraagd_door=auteur),
        "aanmelding": Aanmelding.objects.create(
            school=school, leerling=leerling, soort="leerlingbespreking", hulpvraag="Onrustig",
            aangemeld_door=auteur, status=Aanmelding.Status.TERUGGESTUURD, ouders_geinformeerd=True),
        "correctieverzoek": Correctieverzoek.objects.create(
            leerling=leerling, ingediend_door=ouder.gebruiker or auteur, onderwerp="gegevens", tekst="Nieuw nummer"),
        "toestemming": f.ToestemmingFactory(
            leerling=leerling, ouder=ouder, doel="verwijzing", instelling=p.instelling,
            bestand=ContentFile(b"%PDF-1.4 t", name="t.pdf"), bestandsnaam="t.pdf"),
    }
    objecten.update(_klas_objecten(p, klas, periode, auteur, school))
    return objecten


def _klas_objecten(p, klas, periode, auteur, school):
    les = f.LesopdrachtFactory(klas=klas, docent=f.GebruikerFactory())
    sjabloon, _nieuw = Sjabloon.objects.get_or_create(
        school=school, soort="vakspecifiek", vak=None, defaults={"naam": "sjabloon"})
    groepsplan = Groepsplan.objects.create(klas=klas, periode=periode, auteur=auteur)
    return {
        "klas_a": klas,
        "vak": les.vak,
        "groepsplan": groepsplan,
        "rij": GroepsplanRij.objects.create(groepsplan=groepsplan, naam="Extra instructie"),
        "groepsoverzicht": Groepsoverzicht.objects.create(
            klas=klas, periode=periode, sjabloon=sjabloon, soort="vakspecifiek", vak=None),
        "grid": groepsoverzicht.groepsoverzicht_voor(klas, periode),
    }


def andere_klas(p):
    """in_a2: klas 1B of the same afdeling (the teamleider's, not the mentor's or docent's); its
    records are written by 1B's own mentor."""
    collega = f.GebruikerFactory(username="mentor_1b")
    p.klas_a2.mentoren.add(collega)
    return _leerling_objecten(p, p.in_a2, p.klas_a2, collega)


def andere_afdeling(p):
    """in_b: klas 4H of afdeling B (another mentor, another teamleider)."""
    objecten = _leerling_objecten(p, p.in_b, p.klas_b, p.andere_mentor)
    objecten["afdeling_a"] = p.afdeling_b
    return objecten


def toegewezen(p):
    """A pupil of klas 4H assigned to the zorgteam specialist (Betrokkene)."""
    return _leerling_objecten(p, p.toegewezen, p.klas_b, p.andere_mentor)


def andere_school(p):
    """A pupil, klas, afdeling, vak, sjabloon, instelling and contact of another school."""
    school = p.andere_school
    collega = f.GebruikerFactory(username="collega_elders")
    f.FunctieFactory(gebruiker=collega, schooljaar=p.andere_klas.schooljaar, soort=Functie.Soort.ZORGCOORDINATOR)
    p.andere_klas.mentoren.add(collega)
    route = f.ZorgrouteFactory(school=school)
    niveau = f.ZorgniveauFactory(zorgroute=route, volgorde=1, code="1", naam="mentor")
    objecten = _leerling_objecten(p, p.elders, p.andere_klas, collega, school=school, niveau=niveau)
    contact = f.ContactpersoonFactory(instelling=f.InstellingFactory(school=school))
    objecten.update({
        "afdeling_a": f.AfdelingFactory(school=school, naam="Elders"),
        "standaard_sjabloon": groepsoverzicht.standaard_sjabloon(school, "vakoverstijgend"),
        "instelling": contact.instelling,
        "contact": contact,
    })
    return objecten


def vertrokken(p):
    """in_a left the school last summer: no klas this schooljaar, an uitstroomdatum in the past.

    Staff scope follows the klas of the current schooljaar, so the school's staff no longer open
    the pupil; the ouder keeps the child's portal pages (their right of inzage does not end)."""
    p.in_a.plaatsingen.all().delete()
    p.in_a.uitstroomdatum = timezone.localdate() - datetime.timedelta(days=30)
    p.in_a.save()
    return {"in_a": p.in_a, "item": p.item, "document": p.document, "plan": p.plan, "opschaling": p.opschaling,
            "aanmelding": p.aanmelding, "correctieverzoek": p.correctieverzoek, "tweede_in_a": p.in_a}


def naar_andere_klas(p):
    """in_a moved to klas 4H (afdeling B) after the mentor wrote about them: an entry, a plan and an
    aanmelding by the former mentor. Authorship does not outlast the scope."""
    p.in_a.plaatsingen.update(klas=p.klas_b)
    return {"in_a": p.in_a, "item": p.item, "document": p.document, "plan": p.plan, "opschaling": p.opschaling,
            "aanmelding": p.aanmelding, "tweede_in_a": p.in_a}


def _item(p, **velden):
    velden = {"leerling": p.in_a, "soort": "gesprek", "auteur": p.zorgcoordinator, "tekst": "Zorgmelding", **velden}
    return Dossieritem.objects.create(**velden)


def _document(p, **velden):
    return _item(p, soort="document", titel="Onderzoek", bestand=ContentFile(b"%PDF-1.4 z", name="z.pdf"),
                 bestandsnaam="z.pdf", **velden)


def vertrouwelijk(p):
    """Entries of in_a marked vertrouwelijk, written by the zorgcoördinator."""
    return {"item": _item(p, vertrouwelijkheid="vertrouwelijk"),
            "document": _document(p, vertrouwelijkheid="vertrouwelijk"),
            "gedeeld_document": _document(p, vertrouwelijkheid="vertrouwelijk")}


def alleen_team(p):
    """A 'team' document where the world has one shared with the parents."""
    return {"gedeeld_document": _document(p, vertrouwelijkheid="team")}


def voor_docenten(p):
    """Team entries of in_a marked for its docenten (handelingstips)."""
    return {"item": _item(p, voor_docenten=True), "document": _document(p, voor_docenten=True)}


def gedeeld_met_ouders(p):
    """Entries of in_a shared with the parents (staff read them like team entries)."""
    return {"item": _item(p, vertrouwelijkheid="ouders"), "document": _document(p, vertrouwelijkheid="ouders")}


def item_van_ander(p):
    """in_a in the URL, but an entry of another pupil (in_b): never shown under in_a's URL."""
    anders = {"leerling": p.in_b, "auteur": p.andere_mentor}
    return {"item": _item(p, **anders), "document": _document(p, **anders)}


def item_elders(p):
    """in_a in the URL with an entry of a pupil of another school."""
    anders = {"leerling": p.elders, "auteur": p.zorgcoordinator}
    return {"item": _item(p, **anders), "document": _document(p, **anders)}


def plan_concept(p):
    """in_a's plan still a concept, not yet laid before the parents."""
    p.plan.status = Handelingsplan.Status.CONCEPT
    p.plan.save()
    return {"plan": p.plan}


def plan_voorgelegd(p):
    """A concept laid before the parents for their inbreng."""
    p.plan.status = Handelingsplan.Status.CONCEPT
    p.plan.voorgelegd_op = timezone.now()
    p.plan.save()
    return {"plan": p.plan}


def _extern_objecten(p):
    return {"toestemming": p.toestemming, "verwijzing": p.verwijzing, "grant": p.grant, "zat": p.zat}


def toestemming_ingetrokken(p):
    p.toestemming.status = "ingetrokken"
    p.toestemming.ingetrokken_op = timezone.now()
    p.toestemming.save()
    return _extern_objecten(p)


def toestemming_verlopen(p):
    p.toestemming.geldig_tot = timezone.localdate() - datetime.timedelta(days=1)
    p.toestemming.save()
    return _extern_objecten(p)


def toestemming_geweigerd(p):
    p.toestemming.status = "geweigerd"
    p.toestemming.save()
    return _extern_objecten(p)


def grant_verlopen(p):
    p.grant.tot = timezone.localdate() - datetime.timedelta(days=1)
    p.grant.vanaf = timezone.localdate() - datetime.timedelta(days=60)
    p.grant.save()
    return _extern_objecten(p)


def grant_ingetrokken(p):
    p.grant.ingetrokken_op = timezone.now()
    p.grant.save()
    return _extern_objecten(p)


def grant_nog_niet(p):
    p.grant.vanaf = timezone.localdate() + datetime.timedelta(days=3)
    p.grant.save()
    return _extern_objecten(p)


def andere_instelling(p):
    """A referral of in_a to another instelling (with its own consent and grant for its contact)."""
    contact = f.ContactpersoonFactory(instelling=f.InstellingFactory(school=p.school))
    toestemming = f.ToestemmingFactory(
        leerling=p.in_a, ouder=p.ouder, doel="verwijzing", instelling=contact.instelling,
        bestand=ContentFile(b"%PDF-1.4 a", name="a.pdf"), bestandsnaam="a.pdf")
    verwijzing = Verwijzing.objects.create(school=p.school, leerling=p.in_a, instelling=contact.instelling,
                                           reden="Onderzoek", toestemming=toestemming)
    grant = ExterneToegang.objects.create(verwijzing=verwijzing, contactpersoon=contact,
                                          tot=timezone.localdate() + datetime.timedelta(days=30))
    return {"toestemming": toestemming, "verwijzing": verwijzing, "grant": grant}


def van_een_ander(p):
    """A notice and an export of somebody else (the other mentor), a notice of another parent."""
    andere_ouder = f.OuderFactory(gebruiker=f.GebruikerFactory(username="andere_ouder"))
    return {
        "melding": Notificatie.objects.create(ontvanger=p.andere_mentor, tekst="Signalering", url="/mijn-klas/"),
        "ouder_melding": Notificatie.objects.create(ontvanger=andere_ouder.gebruiker, tekst="Plan", url="/ouders/"),
        "export": Export.objects.create(
            aangevraagd_door=p.andere_mentor, school=p.school, omschrijving="4H", status=Export.Status.KLAAR,
            totaal=1, gedaan=1, bestand=ContentFile(b"PK\x05\x06" + b"\x00" * 18, name="h.zip")),
    }


def izo_zonder_eigen_leerlingen(p):
    """An IZO about in_b only (afdeling B), without the mentor as participant; in the URL of its
    aanwezigheid a deelnemer of another meeting (the world's IZO), which never counts."""
    from besprekingen import services
    from besprekingen.aanmelding import meld_aan

    begin = timezone.now() + datetime.timedelta(days=8)
    izo = services.plan_bespreking(p.zorgcoordinator, p.school, "izo", begin, p.zorgcoordinator, uitnodigen=False)
    leerling = f.KlasplaatsingFactory(klas=p.klas_b).leerling
    punt = services.zet_op_agenda(p.zorgcoordinator, p.school, meld_aan(
        p.andere_mentor, p.school, leerling, "izo", "Verzuim", ouders_geinformeerd=True), izo)
    return {"izo": izo, "izo_punt": punt, "deelnemer": p.deelnemer}


def punt_van_een_andere_bespreking(p):
    """The world's IZO and groepsbespreking (in scope) with, in the URL, an agenda item of another
    meeting: never reached through a meeting it does not belong to."""
    anders = izo_zonder_eigen_leerlingen(p)
    return {"izo_punt": anders["izo_punt"], "gb_punt": groepsbespreking_andere_klas(p)["gb_punt"]}


def groepsbespreking_andere_klas(p):
    """The groepsbespreking of klas 4H (afdeling B, the specialist's assigned pupil sits in it)."""
    from besprekingen import services

    begin = timezone.now() + datetime.timedelta(days=9)
    gb = services.plan_bespreking(p.zorgcoordinator, p.school, "groepsbespreking", begin, p.andere_mentor,
                                  klas=p.klas_b, periode=p.jaar.perioden.first(), uitnodigen=False)
    return {"gb": gb, "gb_punt": gb.agendapunten.get(nummer=1)}


def leerlingaccounts_uit(p):
    """The school switched pupil accounts off: the pupil's pages close, the account stays."""
    p.school.leerlingaccounts = False
    p.school.save()
    return {"plan": p.plan}


def gedeeld_dossier(p):
    """in_b shared with the docent through an explicit per-pupil grant (django-guardian)."""
    LeerlingUserObjectPermission.objects.create(
        user=p.docent, content_object=p.in_b, permission=Permission.objects.get(codename="inzien_leerling"))
    return _leerling_objecten(p, p.in_b, p.klas_b, p.andere_mentor)


# --- the states and what they change ---------------------------------------------------------------

KLAS_URLS = ["klas", "groepsplannen", "groepsplan", "groepsplan_rij_nieuw", "groepsplan_rij",
             "groepsplan_rij_evalueren", "groepsplan_status", "groepsoverzicht", "groepsoverzicht_vak",
             "groepsoverzicht_cel",
             "groepsoverzicht_observatie", "groepsplan_pdf", "groepsoverzicht_pdf", "groepsbespreking_klas"]


def in_bereik(persona, namen, *andere):
    """Overrides: `persona` gains the object through a relation of their own (an assignment, a
    grant), so these URLs answer anything but a 404 (200, or 403 where their role may not write;
    the exact answers are the domain tests' business, e.g. tests/test_dossier_toegang.py)."""
    overrides = {naam: {persona: ANY_OK} for naam in namen}
    for extra in andere:
        for naam, antwoorden in extra.items():
            overrides.setdefault(naam, {}).update(antwoorden)
    return overrides


KLAS_SPECIALIST = in_bereik("specialist", KLAS_URLS)
# The assigned specialist: the pupil's pages, dossier, plans, consent and referrals, route, meetings.
SPECIALIST_LEERLING = [
    "leerling", "dossier_signaleren", "dossier_nieuw", "dossier_item", "dossier_document", "handelingsplannen",
    "handelingsplan", "handelingsplan_nieuw", "handelingsplan_wijzigen", "handelingsplan_evalueren",
    "handelingsplan_actie", "handelingsplan_pdf", "plan_mijn_taken", "route_aanvragen", "route_afschalen",
    "route_toestemming", "route_beoordelen", "route_intrekken", "overdracht", "overdracht_vastleggen",
    "ouders_portaal", "ouder_uitnodigen", "toestemmingen", "toestemming_aanvragen", "toestemming_papier",
    "toestemming_intrekken", "toestemming_formulier", "toestemming_brief", "verwijzingen_leerling",
    "verwijzing_nieuw", "verwijzing_voorbeeld", "aanmelden", "aanmelding", "aanmelding_aanvullen",
    "aanmelding_op_agenda", "aanmelding_terugsturen", "aanmelding_intrekken", "correctieverzoek",
]
# A colleague with whom the dossier is shared (guardian grant 'inzien_leerling') reads the pupil's
# page, dossier and plans; writing, consent and the route answer 403 (in scope, not their role).
GEDEELD_DOCENT = [
    "leerling", "dossier_item", "dossier_document", "handelingsplannen", "handelingsplan", "handelingsplan_pdf",
    "plan_mijn_taken", "handelingsplan_nieuw", "handelingsplan_wijzigen", "handelingsplan_evalueren",
    "handelingsplan_actie", "route_aanvragen", "route_afschalen", "route_toestemming", "route_beoordelen",
    "route_intrekken", "overdracht", "overdracht_vastleggen", "ouders_portaal", "ouder_uitnodigen",
    "toestemmingen", "toestemming_aanvragen", "toestemming_papier", "toestemming_intrekken", "toestemming_brief",
]
ALLEEN_ZORGTEAM = {"mentor": 404, "teamleider": 404, "directie": 404}
# A concept cannot be evaluated yet: whoever may write the plan is sent back to it.
NOG_NIET_EVALUEREN = {"handelingsplan_evalueren": {r: redirect("/plannen/handelingsplannen/{plan}/")
                                                   for r in ["mentor", "teamleider", "zorgcoordinator"]}}
# The partner still opens a ZAT they take part in when consent or grant ends: its anonymous items
# only (the referred pupil's item disappears, tests/test_partner.py); the file itself closes.
ZAT_BLIJFT = {"extern_bespreking": {"extern": 200}}
# A pupil who left has no klas this schooljaar, so nobody opens the pupil's staff pages (the
# dossier waits for its bewaartermijn). What is attached to the school rather than the klas stays:
# the zorgcoördinator answers a parent's correctieverzoek and reads the school's aanmeldingen (the
# directie reads those too; the mentor who wrote one no longer does), and the zorgcoördinator and
# applicatiebeheerder still reach the parents' portal accounts (the parents'
# right of inzage outlasts the school years). In-scope-with-the-wrong-role answers stay 403.
VERTROKKEN = {
    "aanmelding": {"zorgcoordinator": 200, "directie": 200},
    "aanmelding_aanvullen": {"zorgcoordinator": 403, "directie": 403},
    "aanmelding_op_agenda": {"zorgcoordinator": 400, "directie": 403},
    "aanmelding_terugsturen": {"zorgcoordinator": 400, "directie": 403},
    "aanmelding_intrekken": {"zorgcoordinator": ANY_OK, "directie": 403},
    "correctieverzoek": {"zorgcoordinator": 200},
    "ouders_portaal": {"zorgcoordinator": 200, "beheerder": 200},
    "ouder_uitnodigen": {"zorgcoordinator": ANY_OK, "beheerder": ANY_OK},
    # The zorgcoördinator answers an inzageverzoek and keeps a legal hold after the pupil left.
    "inzageverzoek": {"zorgcoordinator": 200}, "inzageverzoek_pdf": {"zorgcoordinator": 200},
    "inzageverzoek_zip": {"zorgcoordinator": 200}, "bewaarplicht": {"zorgcoordinator": 200},
}

STATEN = [
    Staat("andere klas, zelfde afdeling", andere_klas, kwijt=KLASGEBONDEN),
    # The specialist reads klas 4H's group documents: their assigned pupil sits in it.
    Staat("andere afdeling", andere_afdeling, kwijt=KLASGEBONDEN | {"teamleider"}, overrides=KLAS_SPECIALIST),
    Staat("andere school", andere_school, kwijt=IEDEREEN),
    Staat("toegewezen aan specialist", toegewezen, kwijt=KLASGEBONDEN | {"teamleider"},
          overrides=in_bereik("specialist", SPECIALIST_LEERLING, KLAS_SPECIALIST)),
    Staat("leerling vertrokken", vertrokken, kwijt=IEDEREEN - {"ouder_user", "leerling_user"}, overrides=VERTROKKEN),
    Staat("leerling naar een andere klas", naar_andere_klas, kwijt={"mentor", "docent", "teamleider"}),
    Staat("dossier vertrouwelijk", vertrouwelijk, kwijt=set(), overrides={
        "dossier_item": ALLEEN_ZORGTEAM, "dossier_document": ALLEEN_ZORGTEAM,
        "dossier_item_wijzigen": {"mentor": 404},
        "ouder_verslag": {"ouder_user": 404}, "ouder_verslag_bestand": {"ouder_user": 404},
    }),
    Staat("dossier alleen team", alleen_team, kwijt=set(), overrides={
        "ouder_verslag": {"ouder_user": 404}, "ouder_verslag_bestand": {"ouder_user": 404},
    }),
    Staat("dossier voor docenten", voor_docenten, kwijt=set(), overrides={
        "dossier_item": {"docent": 200}, "dossier_document": {"docent": 200},
        "dossier_item_wijzigen": {"mentor": 404},
    }),
    Staat("dossier gedeeld met ouders", gedeeld_met_ouders, kwijt=set(), overrides={
        "dossier_item_wijzigen": {"mentor": 404},
    }),
    Staat("dossieritem van een andere leerling", item_van_ander, kwijt=IEDEREEN),
    Staat("dossieritem van een andere school", item_elders, kwijt=IEDEREEN),
    Staat("plan concept", plan_concept, kwijt={"ouder_user", "leerling_user"}, overrides=NOG_NIET_EVALUEREN),
    Staat("plan voorgelegd aan ouders", plan_voorgelegd, kwijt=set(), overrides=NOG_NIET_EVALUEREN),
    Staat("toestemming ingetrokken", toestemming_ingetrokken, kwijt={"extern"}, overrides=ZAT_BLIJFT),
    Staat("toestemming verlopen", toestemming_verlopen, kwijt={"extern"}, overrides=ZAT_BLIJFT),
    Staat("toestemming geweigerd", toestemming_geweigerd, kwijt={"extern"}, overrides=ZAT_BLIJFT),
    Staat("toegang extern verlopen", grant_verlopen, kwijt={"extern"}, overrides=ZAT_BLIJFT),
    Staat("toegang extern ingetrokken", grant_ingetrokken, kwijt={"extern"}, overrides=ZAT_BLIJFT),
    Staat("toegang extern nog niet begonnen", grant_nog_niet, kwijt={"extern"}, overrides=ZAT_BLIJFT),
    Staat("verwijzing naar een andere instelling", andere_instelling, kwijt={"extern"}),
    Staat("melding of export van een ander", van_een_ander, kwijt=IEDEREEN),
    Staat("IZO zonder eigen leerlingen", izo_zonder_eigen_leerlingen, kwijt={"mentor", "teamleider"},
          overrides={"bespreking_aanwezig": {"zorgcoordinator": 404}}),
    Staat("groepsbespreking van een andere klas", groepsbespreking_andere_klas,
          kwijt={"mentor", "teamleider", "docent"}, overrides=in_bereik("specialist", [
              "groepsbespreking_verslag", "groepsbespreking_verslag_pdf", "groepsbespreking_notities",
              "groepsbespreking_samenvatting", "groepsbespreking_afspraak", "groepsbespreking_groepsplan",
              "groepsbespreking_aanmelden", "groepsbespreking_vaststellen"])),
    Staat("agendapunt van een andere bespreking", punt_van_een_andere_bespreking, kwijt=IEDEREEN),
    Staat("leerlingaccounts uit", leerlingaccounts_uit, kwijt={"leerling_user"}, extra=["leerling_start"]),
    Staat("dossier gedeeld met een collega", gedeeld_dossier, kwijt=KLASGEBONDEN | {"teamleider"},
          overrides=in_bereik("docent", GEDEELD_DOCENT, KLAS_SPECIALIST)),
]


def urls_voor(p, staat, vervangen):
    """(url name, url, route) of every COVERAGE URL that points at an object of this state."""
    result = []
    for naam, route in COVERAGE.items():
        if naam in staat.extra:
            result.append((naam, reverse(naam), route))
            continue
        if route.args is None:
            continue
        overlay = Overlay(p, vervangen)
        args = route.args(overlay)
        if overlay.geraakt:
            result.append((naam, reverse(naam, args=args), route))
    return result


def htmx_check(response, url, verwacht):
    """An htmx request gets the same answer; where the plain answer is a redirect an htmx fragment
    may take its place, but never a refusal the plain request did not get (and vice versa)."""
    fout = check(response, url, verwacht)
    if fout and isinstance(verwacht, tuple):
        return check(response, url, ANY_OK)
    return fout


@pytest.mark.parametrize("staat", STATEN, ids=[s.naam for s in STATEN])
def test_every_url_answers_by_object_state(wereld, staat):
    p = wereld
    vervangen = staat.bouw(p)
    urls = urls_voor(p, staat, vervangen)
    assert urls, f"geen enkele URL raakt de toestand '{staat.naam}'"
    fouten = []
    for persona in STAAT_PERSONAS:
        client = client_for(p, persona)
        for naam, url, route in urls:
            verwacht = staat.verwacht(naam, persona, vervangen)
            gewoon = getattr(client, route.method)(url)
            fout = check(gewoon, url, verwacht, route.contains)
            if fout:
                fouten.append(f"[{staat.naam}] {persona} {route.method.upper()} {fout}")
            TELLER["combinaties"] += 1
            TELLER["verzoeken"] += 1
            if verwacht in (404, 403, LOGIN):
                # An htmx request is refused alike (in-scope htmx answers: the test below).
                htmx = getattr(client, route.method)(url, headers={"HX-Request": "true"})
                fout_htmx = htmx_check(htmx, url, verwacht)
                if fout_htmx:
                    fouten.append(f"[{staat.naam}] {persona} {route.method.upper()} htmx {fout_htmx}")
                TELLER["verzoeken"] += 1
    TELLER["fouten"] = TELLER.get("fouten", 0) + len(fouten)
    assert not fouten, "\n".join(fouten)


@pytest.mark.parametrize("persona", PERSONAS)
def test_htmx_requests_answer_like_plain_ones_in_the_world(wereld, persona):
    """The world of tests/test_urls.py itself, asked with HX-Request: true, answers as the table says."""
    p = wereld
    fouten = []
    vast = client_for(p, persona)
    for naam, route in COVERAGE.items():
        args = route.args(p) if route.args else None
        url = reverse(naam, args=args)
        verwacht = route.expected(persona)
        client = client_for(p, persona) if naam == "logout" else vast  # logout must not log out the rest
        response = getattr(client, route.method)(url, headers={"HX-Request": "true"})
        fout = htmx_check(response, url, verwacht)
        if fout:
            fouten.append(f"{persona} {route.method.upper()} htmx {fout}")
        TELLER["combinaties"] += 1
        TELLER["verzoeken"] += 1
    TELLER["fouten"] = TELLER.get("fouten", 0) + len(fouten)
    assert not fouten, "\n".join(fouten)


class _Samenvatting:
    """Prints the count in pytest's terminal summary (a plugin registered by the fixture below)."""

    def pytest_terminal_summary(self, terminalreporter):
        if TELLER["combinaties"]:
            terminalreporter.write_line(
                f"{TELLER['combinaties']} URL × rol × toestand-combinaties gecontroleerd "
                f"({TELLER['verzoeken']} verzoeken, gewoon en htmx), 0 afwijkingen"
                if not TELLER.get("fouten") else
                f"{TELLER['combinaties']} URL × rol × toestand-combinaties gecontroleerd, "
                f"{TELLER['fouten']} afwijkingen")


@pytest.fixture(scope="module", autouse=True)
def _samenvatting(request):
    if request.config.pluginmanager.get_plugin("beveiliging_matrix_samenvatting") is None:
        request.config.pluginmanager.register(_Samenvatting(), "beveiliging_matrix_samenvatting")
    yield
