"""Every URL of the project, for every persona: the permission matrix at the HTTP level.

The coverage table below names each route with the roles that may use it and the answer the
others get. A route in the URLconf that is missing from the table fails the suite: whoever adds
a URL must decide, and write down, who may use it (quality.md, "Reliability and security").
"""

import datetime
import re
import types
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from besprekingen import services
from besprekingen.aanmelding import meld_aan
from besprekingen.models import Aanmelding
from extern.models import ExterneToegang, Verwijzing
from leerlingen.models import Dossieritem, Opschaling, OuderRelatie
from ouders.models import Correctieverzoek
from plannen import groepsoverzicht
from plannen.models import (
    Betrokkenheid,
    Doel,
    Export,
    Groepsoverzicht,
    Groepsplan,
    GroepsplanRij,
    Handelingsplan,
    Sjabloon,
)
from tests import factories as f
from tests.inloggen import tweede_stap
from zorg.models import Alarm, Lesopdracht, Notificatie

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

ADMIN_PREFIX = "systeembeheer/"
LOGIN = "login"  # expected answer: 302 to /inloggen/?next=<the url>
ADMIN_LOGIN = "admin-login"  # expected answer: 302 to /systeembeheer/login/?next=<the url>
ANY_OK = "ok"  # expected answer: anything but 404/405, a login redirect or a server error

PERSONAS = [
    "mentor", "docent", "teamleider", "zorgcoordinator", "specialist", "directie", "beheerder",
    "ouder_user", "leerling_user", "extern", "zonder_rol", "superuser", "anoniem",
]
INGELOGD = [p for p in PERSONAS if p != "anoniem"]
ZOEKERS = ["mentor", "docent", "teamleider", "zorgcoordinator", "specialist", "directie"]


@dataclass
class Route:
    """Who may use a route (200) and what everybody else gets."""

    allowed: list = field(default_factory=list)
    others: object = 404
    anon: object = LOGIN
    method: str = "get"
    args: object = None  # callable(personas) -> reverse() args
    overrides: dict = field(default_factory=dict)  # persona -> expected answer
    contains: str = ""  # text every 200 answer must show

    def expected(self, persona):
        if persona in self.overrides:
            return self.overrides[persona]
        if persona == "anoniem":
            return self.anon
        return 200 if persona in self.allowed else self.others


def redirect(url):
    return ("redirect", url)


def _bad_reset_args(p):
    return [urlsafe_base64_encode(force_bytes(p.mentor.pk)), "verkeerd-token"]


KLAS_LEZERS = ["mentor", "docent", "teamleider", "zorgcoordinator", "directie"]
KLAS_SCHRIJVERS = ["mentor", "zorgcoordinator"]
GEEN_KLAS_SCHRIJVER = {"docent": 403, "teamleider": 403, "directie": 403}
PLAN_SCHRIJVERS = ["mentor", "teamleider", "zorgcoordinator"]
GEEN_PLAN_SCHRIJVER = {"docent": 403, "directie": 403}

COVERAGE = {
    "start": Route(
        allowed=["zonder_rol", "superuser"],
        overrides={
            "mentor": redirect("/mijn-klas/"),
            "docent": redirect("/mijn-klassen/"),
            "teamleider": redirect("/afdeling/"),
            "zorgcoordinator": redirect("/besprekingen/dashboard/"),
            "specialist": redirect("/mijn-leerlingen/"),
            "directie": redirect("/school/"),
            "beheerder": redirect("/beheer/"),
            "ouder_user": redirect("/ouders/"),
            "leerling_user": redirect("/leerling/"),
            "extern": redirect("/extern/"),
        },
    ),
    "login": Route(others=redirect("/"), anon=200),
    "logout": Route(method="post", others=redirect("/inloggen/"), anon=redirect("/inloggen/")),
    "password_reset": Route(allowed=INGELOGD, anon=200),
    "password_reset_done": Route(allowed=INGELOGD, anon=200),
    "password_reset_confirm": Route(
        allowed=INGELOGD, anon=200, args=_bad_reset_args, contains="Deze link werkt niet meer"
    ),
    "password_reset_complete": Route(allowed=INGELOGD, anon=200),
    "password_change": Route(allowed=INGELOGD),
    "password_change_done": Route(allowed=INGELOGD),
    "kies_school": Route(allowed=INGELOGD),
    "school_overzicht": Route(allowed=["zorgcoordinator", "directie"]),
    "afdeling": Route(allowed=["teamleider"]),
    "mijn_klas": Route(allowed=["mentor"]),
    # The mentor also has the functie docent (personas), so both may open "Mijn klassen".
    "mijn_klassen": Route(allowed=["docent", "mentor"]),
    "klas": Route(
        allowed=["mentor", "docent", "teamleider", "zorgcoordinator", "directie"], args=lambda p: [p.klas_a.pk]
    ),
    "mijn_leerlingen": Route(allowed=["specialist"]),
    "leerling_zoeken": Route(allowed=ZOEKERS),
    # The staff's pupil page; a parent reads their child on the parent portal page below.
    "leerling": Route(
        allowed=["mentor", "docent", "teamleider", "zorgcoordinator", "directie"], args=lambda p: [p.in_a.pk]
    ),
    "ouder_start": Route(allowed=["ouder_user"]),
    "ouder_kind": Route(allowed=["ouder_user"], args=lambda p: [p.in_a.pk]),
    # The portal's language choice works before login too (the login page shows it).
    "taal_kiezen": Route(method="post", others=redirect("/"), anon=redirect("/")),
    "extern_start": Route(allowed=["extern"]),
    "beheer": Route(allowed=["beheerder"]),
    # Escalation along the zorgroute and overdracht (leerlingen/route_urls.py). In scope with the
    # wrong role: 403 with an explanation; out of scope: 404. in_a has no zorgniveau yet; the
    # fixture route's only level is decided by the zorgcoördinator.
    "route_aanvragen": Route(
        allowed=["mentor", "teamleider"], args=lambda p: [p.tweede_in_a.pk],
        overrides={"docent": 403, "zorgcoordinator": 403, "directie": 403},
    ),
    "route_afschalen": Route(
        args=lambda p: [p.in_a.pk],
        overrides={r: 403 for r in ["mentor", "docent", "teamleider", "zorgcoordinator", "directie"]},
    ),
    "route_toestemming": Route(
        allowed=["zorgcoordinator"], args=lambda p: [p.in_a.pk],
        overrides={r: 403 for r in ["mentor", "docent", "teamleider", "directie"]},
    ),
    "overdracht": Route(
        allowed=["mentor", "teamleider", "zorgcoordinator", "directie"], args=lambda p: [p.in_a.pk],
        overrides={"docent": 403},
    ),
    "overdracht_vastleggen": Route(
        method="post", args=lambda p: [p.in_a.pk],
        overrides={"mentor": ANY_OK, "zorgcoordinator": ANY_OK, "teamleider": 403, "directie": 403, "docent": 403},
    ),
    "route_beoordelen": Route(
        allowed=["mentor", "teamleider", "zorgcoordinator", "directie"], args=lambda p: [p.opschaling.pk],
        overrides={"docent": 403},
    ),
    "route_intrekken": Route(
        method="post", args=lambda p: [p.opschaling.pk],
        overrides={"mentor": ANY_OK, "docent": 403, "teamleider": 403, "zorgcoordinator": 403, "directie": 403},
    ),
    "route_hulpvragen": Route(allowed=["mentor", "teamleider", "zorgcoordinator"]),
    # The dossier (leerlingen/dossier_urls.py): p.item is a "team" gesprek by the mentor on in_a,
    # p.document a team document on in_a.
    "dossier_signaleren": Route(
        allowed=["mentor", "docent", "teamleider", "zorgcoordinator"], args=lambda p: [p.in_a.pk]
    ),
    "dossier_nieuw": Route(allowed=["mentor", "teamleider", "zorgcoordinator"], args=lambda p: [p.in_a.pk, "gesprek"]),
    "dossier_item": Route(
        allowed=["mentor", "teamleider", "zorgcoordinator", "directie"], args=lambda p: [p.in_a.pk, p.item.pk]
    ),
    "dossier_item_wijzigen": Route(allowed=["mentor", "zorgcoordinator"], args=lambda p: [p.in_a.pk, p.item.pk]),
    "dossier_document": Route(
        allowed=["mentor", "teamleider", "zorgcoordinator", "directie"], args=lambda p: [p.in_a.pk, p.document.pk]
    ),
    # Groepsplan and handelingsplan (plannen/plan_urls.py). In scope with the wrong role: 403.
    "groepsplannen": Route(allowed=KLAS_LEZERS, args=lambda p: [p.klas_a.pk]),
    "groepsplan": Route(allowed=KLAS_LEZERS, args=lambda p: [p.groepsplan.pk]),
    "groepsplan_rij_nieuw": Route(
        allowed=KLAS_SCHRIJVERS, args=lambda p: [p.groepsplan.pk], overrides=GEEN_KLAS_SCHRIJVER
    ),
    "groepsplan_rij": Route(allowed=KLAS_SCHRIJVERS, args=lambda p: [p.rij.pk], overrides=GEEN_KLAS_SCHRIJVER),
    "groepsplan_rij_evalueren": Route(
        allowed=KLAS_SCHRIJVERS, args=lambda p: [p.rij.pk], overrides=GEEN_KLAS_SCHRIJVER
    ),
    "groepsplan_status": Route(
        method="post", args=lambda p: [p.groepsplan.pk],
        overrides={"mentor": ANY_OK, "zorgcoordinator": ANY_OK, **GEEN_KLAS_SCHRIJVER},
    ),
    "handelingsplannen": Route(allowed=KLAS_LEZERS, args=lambda p: [p.in_a.pk]),
    "plan_mijn_taken": Route(allowed=KLAS_LEZERS, args=lambda p: [p.in_a.pk]),
    # A docent of the pupil may start a vakspecifiek plan (Bijlage 13).
    "handelingsplan_nieuw": Route(
        allowed=[*PLAN_SCHRIJVERS, "docent"], args=lambda p: [p.in_a.pk], overrides={"directie": 403}
    ),
    # The docent carries out a part of this plan (betrokkene): they read that part only.
    "handelingsplan": Route(allowed=KLAS_LEZERS, args=lambda p: [p.plan.pk]),
    "handelingsplan_wijzigen": Route(
        allowed=PLAN_SCHRIJVERS, args=lambda p: [p.plan.pk], overrides=GEEN_PLAN_SCHRIJVER
    ),
    "handelingsplan_evalueren": Route(
        allowed=PLAN_SCHRIJVERS, args=lambda p: [p.plan.pk], overrides=GEEN_PLAN_SCHRIJVER
    ),
    "handelingsplan_actie": Route(
        method="post", args=lambda p: [p.plan.pk],
        overrides={**{r: ANY_OK for r in PLAN_SCHRIJVERS}, **GEEN_PLAN_SCHRIJVER}
    ),
    # The groepsoverzicht grid and its column templates (plannen/overzicht_urls.py). An empty POST
    # from someone who may write is a 400 with a message.
    "groepsoverzicht": Route(allowed=KLAS_LEZERS, args=lambda p: [p.klas_a.pk]),
    "groepsoverzicht_vak": Route(allowed=KLAS_LEZERS, args=lambda p: [p.klas_a.pk, p.vak.pk]),
    "groepsoverzicht_cel": Route(
        method="post", args=lambda p: [p.grid.pk],
        overrides={"mentor": 400, "zorgcoordinator": 400, "docent": 403, "teamleider": 403, "directie": 403},
    ),
    "groepsoverzicht_observatie": Route(
        method="post", args=lambda p: [p.grid.pk],
        overrides={"mentor": 400, "docent": 400, "zorgcoordinator": 400, "teamleider": 403, "directie": 403},
    ),
    "sjablonen": Route(allowed=["beheerder"]),
    "sjabloon_vak": Route(method="post", args=lambda p: [p.vak.pk], overrides={"beheerder": ANY_OK}),
    "sjabloon": Route(allowed=["beheerder"], args=lambda p: [p.standaard_sjabloon.pk]),
    # PDFs and the bulk export (plannen/pdf_urls.py). The whole handelingsplan is not for a docent.
    "handelingsplan_pdf": Route(
        allowed=["mentor", "teamleider", "zorgcoordinator", "directie"], args=lambda p: [p.plan.pk]
    ),
    "groepsplan_pdf": Route(allowed=KLAS_LEZERS, args=lambda p: [p.groepsplan.pk]),
    "groepsoverzicht_pdf": Route(allowed=KLAS_LEZERS, args=lambda p: [p.groepsoverzicht.pk]),
    "klas_export": Route(allowed=["mentor", "teamleider", "zorgcoordinator"], args=lambda p: [p.klas_a.pk]),
    "afdeling_export": Route(allowed=["teamleider", "zorgcoordinator"], args=lambda p: [p.afdeling_a.pk]),
    "export_status": Route(allowed=["mentor"], args=lambda p: [p.export.pk]),
    "export_voortgang": Route(allowed=["mentor"], args=lambda p: [p.export.pk]),
    "export_download": Route(allowed=["mentor"], args=lambda p: [p.export.pk]),
    "notificaties": Route(allowed=INGELOGD),
    "notificaties_gelezen": Route(method="post", others=redirect("/meldingen/")),
    # Only the recipient may open a notice; it is marked read and its link followed.
    "notificatie_open": Route(
        method="post", args=lambda p: [p.melding.pk], overrides={"mentor": redirect("/mijn-klas/")}
    ),
}

# Meetings (besprekingen/*_urls.py). p.izo: an IZO chaired by the zorgcoördinator with the
# mentor as participant and items for in_a (the mentor's and teamleider's pupil) and in_b; it is
# read by its chair, directie, and the mentor and teamleider for their own pupils' items.
STAF = ["mentor", "docent", "teamleider", "zorgcoordinator", "specialist", "directie", "beheerder"]
IZO_LEZERS = ["mentor", "teamleider", "zorgcoordinator", "directie"]
IZO_ALLEEN_LEZEN = {"mentor": 403, "teamleider": 403, "directie": 403}
IZO_SCHRIJVEN = {"zorgcoordinator": ANY_OK, **IZO_ALLEEN_LEZEN}
GB_LEZERS = KLAS_LEZERS
GB_SCHRIJVEN = {"mentor": ANY_OK, "teamleider": ANY_OK, "zorgcoordinator": ANY_OK, "docent": 403, "directie": 403}
GB_PLANNERS = {"mentor": ANY_OK, "teamleider": ANY_OK, "zorgcoordinator": ANY_OK}


def _izo_punt(p):
    return [p.izo.pk, p.izo_punt.pk]


def _gb_punt(p):
    return [p.gb.pk, p.gb_punt.pk]


COVERAGE.update({
    "besprekingen": Route(allowed=STAF),
    "bespreking_nieuw": Route(allowed=["mentor", "teamleider", "zorgcoordinator", "specialist"]),
    "bespreking": Route(allowed=IZO_LEZERS, args=lambda p: [p.izo.pk]),
    "bespreking_ics": Route(allowed=IZO_LEZERS, args=lambda p: [p.izo.pk], contains="BEGIN:VCALENDAR"),
    "bespreking_uitnodigen": Route(method="post", args=lambda p: [p.izo.pk], overrides=IZO_SCHRIJVEN),
    "aanmelden": Route(allowed=["mentor", "teamleider", "zorgcoordinator"], args=lambda p: [p.tweede_in_a.pk]),
    "aanmeldingen": Route(allowed=STAF),
    "aanmelding": Route(allowed=IZO_LEZERS, args=lambda p: [p.aanmelding.pk]),
    "aanmelding_op_agenda": Route(method="post", args=lambda p: [p.aanmelding.pk], overrides=IZO_SCHRIJVEN),
    "aanmelding_terugsturen": Route(method="post", args=lambda p: [p.aanmelding.pk], overrides=IZO_SCHRIJVEN),
    # Completing a teruggestuurde aanmelding is for whoever made it (the mentor).
    "aanmelding_aanvullen": Route(
        allowed=["mentor"], args=lambda p: [p.aanmelding.pk],
        overrides={"teamleider": 403, "zorgcoordinator": 403, "directie": 403},
    ),
    "aanmelding_intrekken": Route(
        method="post", args=lambda p: [p.aanmelding.pk],
        overrides={"mentor": ANY_OK, "zorgcoordinator": ANY_OK, "teamleider": 403, "directie": 403},
    ),
    "bespreking_notities": Route(method="post", args=_izo_punt, overrides=IZO_SCHRIJVEN),
    "bespreking_besluit": Route(method="post", args=_izo_punt, overrides=IZO_SCHRIJVEN),
    "bespreking_punt": Route(method="post", args=_izo_punt, overrides=IZO_SCHRIJVEN),
    "bespreking_zorgniveau": Route(method="post", args=_izo_punt, overrides=IZO_SCHRIJVEN),
    "bespreking_besproken": Route(method="post", args=_izo_punt, overrides=IZO_SCHRIJVEN),
    "bespreking_algemeen": Route(method="post", args=lambda p: [p.izo.pk], overrides=IZO_SCHRIJVEN),
    "bespreking_aanwezig": Route(method="post", args=lambda p: [p.izo.pk, p.deelnemer.pk], overrides=IZO_SCHRIJVEN),
    "bespreking_verslag": Route(allowed=IZO_LEZERS, args=lambda p: [p.izo.pk]),
    "bespreking_verslag_pdf": Route(allowed=IZO_LEZERS, args=lambda p: [p.izo.pk]),
    "bespreking_vaststellen": Route(method="post", args=lambda p: [p.izo.pk], overrides=IZO_SCHRIJVEN),
    # An external contact reads the ZAT they take part in (only its allowed items); staff use "bespreking".
    "extern_bespreking": Route(allowed=["extern"], args=lambda p: [p.zat.pk]),
    "groepsbesprekingen": Route(allowed=["mentor", "teamleider", "zorgcoordinator"]),
    "groepsbespreking_plannen": Route(method="post", overrides=GB_PLANNERS),
    "groepsbesprekingen_alle_plannen": Route(method="post", overrides=GB_PLANNERS),
    # Redirects to the klas's groepsbespreking (or the proposals) for whoever may open the klas.
    "groepsbespreking_klas": Route(
        args=lambda p: [p.klas_a.pk], overrides={r: ANY_OK for r in KLAS_LEZERS}
    ),
    "groepsbespreking_notities": Route(method="post", args=_gb_punt, overrides=GB_SCHRIJVEN),
    "groepsbespreking_samenvatting": Route(method="post", args=lambda p: [p.gb.pk], overrides=GB_SCHRIJVEN),
    "groepsbespreking_afspraak": Route(method="post", args=lambda p: [p.gb.pk], overrides=GB_SCHRIJVEN),
    "groepsbespreking_groepsplan": Route(method="post", args=lambda p: [p.gb.pk], overrides=GB_SCHRIJVEN),
    "groepsbespreking_aanmelden": Route(method="post", args=lambda p: [p.gb.pk], overrides=GB_SCHRIJVEN),
    "groepsbespreking_vaststellen": Route(method="post", args=lambda p: [p.gb.pk], overrides=GB_SCHRIJVEN),
    "groepsbespreking_verslag": Route(allowed=GB_LEZERS, args=lambda p: [p.gb.pk]),
    "groepsbespreking_verslag_pdf": Route(allowed=GB_LEZERS, args=lambda p: [p.gb.pk]),
    "mijn_afspraken": Route(allowed=STAF),
    # p.afspraak belongs to the mentor; the zorgcoördinator (and chair) may close it too.
    "afspraak_afhandelen": Route(
        method="post", args=lambda p: [p.afspraak.pk],
        overrides={"mentor": ANY_OK, "zorgcoordinator": ANY_OK, "teamleider": 403, "directie": 403},
    ),
    "dashboard": Route(allowed=["zorgcoordinator", "directie"]),
    "dashboard_lijst": Route(allowed=["zorgcoordinator", "directie"], args=lambda p: ["aanmeldingen"]),
})

# External partners, consent and referrals (extern/*_urls.py). p.verwijzing: in_a referred to the
# extern persona's instelling, with a running grant and consent naming it; p.toestemming: that
# consent (with a scanned form). Consent pages: zorgcoördinator R/W, mentor R + request, others R.
VERWIJZING_LEZERS = ["mentor", "teamleider", "zorgcoordinator", "directie"]
VERWIJZING_BEHEER = {"zorgcoordinator": ANY_OK, "mentor": 403, "teamleider": 403, "directie": 403}
TOESTEMMING_ZC = {"mentor": 403, "docent": 403, "teamleider": 403, "directie": 403}


def _grant(p):
    return [p.verwijzing.pk, p.grant.pk]


COVERAGE.update({
    "register": Route(allowed=["beheerder", "zorgcoordinator"]),
    "register_instelling_nieuw": Route(allowed=["beheerder"]),
    "register_instelling": Route(allowed=["beheerder"], args=lambda p: [p.instelling.pk]),
    "register_instelling_verwijderen": Route(
        method="post", args=lambda p: [p.instelling.pk], overrides={"beheerder": ANY_OK}
    ),
    "register_contactpersoon_nieuw": Route(allowed=["beheerder"], args=lambda p: [p.instelling.pk]),
    "register_contactpersoon": Route(allowed=["beheerder"], args=lambda p: [p.contact.pk]),
    "register_uitnodigen": Route(method="post", args=lambda p: [p.contact.pk], overrides={"beheerder": ANY_OK}),
    "toestemmingen": Route(allowed=VERWIJZING_LEZERS, args=lambda p: [p.in_a.pk], overrides={"docent": 403}),
    "toestemming_aanvragen": Route(
        allowed=["zorgcoordinator", "mentor"], args=lambda p: [p.in_a.pk],
        overrides={"docent": 403, "teamleider": 403, "directie": 403},
    ),
    "toestemming_papier": Route(allowed=["zorgcoordinator"], args=lambda p: [p.in_a.pk], overrides=TOESTEMMING_ZC),
    "toestemming_intrekken": Route(
        allowed=["zorgcoordinator"], args=lambda p: [p.toestemming.pk], overrides=TOESTEMMING_ZC
    ),
    "toestemming_formulier": Route(allowed=VERWIJZING_LEZERS, args=lambda p: [p.toestemming.pk]),
    "toestemming_brief": Route(
        allowed=["zorgcoordinator", "mentor"], args=lambda p: [p.toestemming.pk],
        overrides={"docent": 403, "teamleider": 403, "directie": 403},
    ),
    "ouder_toestemmingen": Route(allowed=["ouder_user"], args=lambda p: [p.in_a.pk]),
    "ouder_toestemming": Route(allowed=["ouder_user"], args=lambda p: [p.toestemming.pk]),
    "verwijzingen": Route(allowed=["zorgcoordinator", "directie"]),
    "verwijzing": Route(allowed=VERWIJZING_LEZERS, args=lambda p: [p.verwijzing.pk]),
    "verwijzing_pdf": Route(allowed=VERWIJZING_LEZERS, args=lambda p: [p.verwijzing.pk]),
    "verwijzing_status": Route(method="post", args=lambda p: [p.verwijzing.pk], overrides=VERWIJZING_BEHEER),
    "verwijzing_terugkoppeling": Route(
        method="post", args=lambda p: [p.verwijzing.pk], overrides=VERWIJZING_BEHEER
    ),
    "verwijzing_toegang": Route(method="post", args=lambda p: [p.verwijzing.pk], overrides=VERWIJZING_BEHEER),
    "verwijzing_toegang_verlengen": Route(method="post", args=_grant, overrides=VERWIJZING_BEHEER),
    "verwijzing_toegang_intrekken": Route(method="post", args=_grant, overrides=VERWIJZING_BEHEER),
    "verwijzingen_leerling": Route(allowed=VERWIJZING_LEZERS, args=lambda p: [p.in_a.pk]),
    "verwijzing_nieuw": Route(
        allowed=["zorgcoordinator"], args=lambda p: [p.in_a.pk],
        overrides={"mentor": 403, "teamleider": 403, "directie": 403},
    ),
    "verwijzing_voorbeeld": Route(
        allowed=["zorgcoordinator"], args=lambda p: [p.in_a.pk],
        overrides={"mentor": 403, "teamleider": 403, "directie": 403},
    ),
    # The partner reads the file while grant and consent run (tests/test_partner.py: every way it ends).
    "extern_verwijzing": Route(allowed=["extern"], args=lambda p: [p.verwijzing.pk]),
    "inzagelog_leerling": Route(allowed=["zorgcoordinator"], args=lambda p: [p.in_a.pk]),
    "inzagelog_kind": Route(allowed=["ouder_user"], args=lambda p: [p.in_a.pk]),
    # The parent portal (ouders/urls.py): only the ouder of in_a, for shared things of in_a.
    "ouder_plannen": Route(allowed=["ouder_user"], args=lambda p: [p.in_a.pk]),
    "ouder_plan": Route(allowed=["ouder_user"], args=lambda p: [p.plan.pk]),
    "ouder_plan_pdf": Route(allowed=["ouder_user"], args=lambda p: [p.plan.pk]),
    "ouder_verslagen": Route(allowed=["ouder_user"], args=lambda p: [p.in_a.pk]),
    "ouder_verslag": Route(allowed=["ouder_user"], args=lambda p: [p.gedeeld_document.pk]),
    "ouder_verslag_bestand": Route(allowed=["ouder_user"], args=lambda p: [p.gedeeld_document.pk]),
    "ouder_correcties": Route(allowed=["ouder_user"], args=lambda p: [p.in_a.pk]),
    "ouder_correctie_nieuw": Route(allowed=["ouder_user"], args=lambda p: [p.in_a.pk]),
    # The portal's own notices and settings, for parents and pupils with an account.
    "portaal_meldingen": Route(allowed=["ouder_user", "leerling_user"]),
    "portaal_melding_open": Route(method="post", allowed=[], args=lambda p: [p.ouder_melding.pk],
                                  overrides={"ouder_user": redirect("/ouders/")}),
    "portaal_meldingen_gelezen": Route(method="post", overrides={"ouder_user": redirect("/ouders/meldingen/"),
                                                                 "leerling_user": redirect("/ouders/meldingen/")}),
    "portaal_instellingen": Route(allowed=["ouder_user", "leerling_user"]),
    # Activating an account with the code from a letter or e-mail: before login, for anyone.
    "ouders_activeren": Route(allowed=INGELOGD, anon=200),
    # The pupil's own pages (ouders/leerling_urls.py): in_a has an account, the school enables them.
    "leerling_start": Route(allowed=["leerling_user"]),
    "leerling_plan": Route(allowed=["leerling_user"], args=lambda p: [p.plan.pk]),
    # Staff pages about the portal (ouders/school_urls.py). A docent or directie sees the pupil but
    # does not invite: 403 with an explanation.
    "ouders_portaal": Route(allowed=["mentor", "teamleider", "zorgcoordinator", "beheerder"],
                            overrides={"docent": 403, "directie": 403}, args=lambda p: [p.in_a.pk]),
    "ouder_uitnodigen": Route(
        method="post", overrides={"mentor": ANY_OK, "teamleider": ANY_OK, "zorgcoordinator": ANY_OK,
                                  "beheerder": ANY_OK, "docent": 403, "directie": 403},
        args=lambda p: [p.in_a.pk]),
    "klas_ouders_uitnodigen": Route(allowed=["mentor", "teamleider", "zorgcoordinator", "beheerder"],
                                    args=lambda p: [p.klas_a.pk]),
    # Correctieverzoeken: the list for whoever may have pupils with a care relation (a docent can be
    # case-manager); answering for the mentor, teamleider and zorgcoördinator of the pupil.
    "correctieverzoeken": Route(allowed=["mentor", "docent", "teamleider", "zorgcoordinator", "specialist"]),
    "correctieverzoek": Route(allowed=["mentor", "teamleider", "zorgcoordinator"],
                              args=lambda p: [p.correctieverzoek.pk]),
})

# Reminders: the e-mail setting is every logged-in user's own; the reminders page is the dashboard's.
COVERAGE.update({
    "notificatie_instellingen": Route(allowed=INGELOGD),
    "dashboard_herinneringen": Route(allowed=["zorgcoordinator", "directie"]),
})

# Security (issue 9). Personas are force-logged in, i.e. past both steps: the code and setup pages
# send them on. Account pages are every logged-in user's own (parents: the portal's settings).
PORTAAL = ["ouder_user", "leerling_user"]
ZELF_NA_STAP_TWEE = {persona: ANY_OK for persona in INGELOGD}
COVERAGE.update({
    "tweestaps_code": Route(overrides=ZELF_NA_STAP_TWEE),
    "tweestaps_instellen": Route(overrides=ZELF_NA_STAP_TWEE),
    "tweestaps_herstelcodes": Route(overrides=ZELF_NA_STAP_TWEE),
    "account": Route(allowed=[q for q in INGELOGD if q not in PORTAAL],
                     overrides={q: redirect("/ouders/instellingen/") for q in PORTAAL}),
    "account_herstelcodes_nieuw": Route(others=405),
    "account_tweestaps_uit": Route(others=405),
    "account_overal_uitloggen": Route(others=405, anon=405),
    "beheer_accounts": Route(allowed=["beheerder"]),
    "beheer_account": Route(allowed=["beheerder"], args=lambda p: [p.mentor.pk]),
    "audit": Route(allowed=["zorgcoordinator", "beheerder"], contains="Audit Testcollege"),
    "audit_export": Route(allowed=["zorgcoordinator", "beheerder"]),
    "audit_alarmen": Route(allowed=["zorgcoordinator", "beheerder"]),
    # An empty POST: the Dutch message that a toelichting is needed (400).
    "audit_alarm_afhandelen": Route(method="post", args=lambda p: [p.alarm.pk],
                                    overrides={"zorgcoordinator": 400, "beheerder": 400}),
    "inzageverzoek": Route(allowed=["zorgcoordinator"], args=lambda p: [p.in_a.pk]),
    "inzageverzoek_pdf": Route(allowed=["zorgcoordinator"], args=lambda p: [p.in_a.pk]),
    "inzageverzoek_zip": Route(allowed=["zorgcoordinator"], args=lambda p: [p.in_a.pk]),
    "bewaartermijnen": Route(allowed=["beheerder"]),
    "bewaartermijnen_proef": Route(method="post", overrides={"beheerder": redirect("/beheer/bewaartermijnen/")}),
    # The confirm step: the dry run above (same test, same terms) lets the beheerder in.
    "bewaartermijnen_aanzetten": Route(allowed=["beheerder"]),
    "bewaarplicht_overzicht": Route(allowed=["zorgcoordinator"]),
    "bewaarplicht": Route(allowed=["zorgcoordinator"], args=lambda p: [p.in_a.pk]),
})

# Kwaliteitszorg (issue 10): zorgcoördinator and directie the whole school (directie without names),
# a teamleider their own afdeling; jaarverslag and zelfevaluatie: zorgcoördinator and directie; the
# catalogue of intervention kinds: the zorgcoördinator. A zelfevaluatie is filled in by its respondent
# (the mentor); a verbeterpunt is closed by its owner (the mentor) or the school's zc/directie.
KWALITEIT = ["zorgcoordinator", "directie", "teamleider"]
BELEID = ["zorgcoordinator", "directie"]
PERSONEEL = ["mentor", "docent", "teamleider", "zorgcoordinator", "specialist", "directie", "beheerder"]
COVERAGE.update({
    "kwaliteit": Route(allowed=KWALITEIT, contains="Kwaliteitszorg"),
    "kwaliteit_effect": Route(allowed=KWALITEIT, contains="Effect van interventies"),
    "kwaliteit_effect_export": Route(allowed=KWALITEIT),
    "kwaliteit_effect_soort": Route(allowed=KWALITEIT, args=lambda p: [p.interventiesoort.pk]),
    "kwaliteit_doorlooptijden": Route(allowed=KWALITEIT),
    "kwaliteit_doorlooptijden_export": Route(allowed=KWALITEIT),
    "jaarverslagen": Route(allowed=BELEID),
    "jaarverslag": Route(allowed=BELEID, args=lambda p: [p.jaar.pk]),
    "jaarverslag_pdf": Route(allowed=BELEID, args=lambda p: [p.jaar.pk]),
    "jaarverslag_export": Route(allowed=BELEID, args=lambda p: [p.jaar.pk]),
    "jaarverslag_conclusies": Route(method="post", args=lambda p: [p.jaar.pk],
                                    overrides={q: ANY_OK for q in BELEID}),
    "jaarverslag_vaststellen": Route(method="post", args=lambda p: [p.jaar.pk],
                                     overrides={q: ANY_OK for q in BELEID}),
    "jaarverslag_heropenen": Route(method="post", args=lambda p: [p.jaar.pk],
                                   overrides={q: ANY_OK for q in BELEID}),
    "zelfevaluaties": Route(allowed=BELEID),
    "mijn_zelfevaluaties": Route(allowed=PERSONEEL),
    "zelfevaluatie_nieuw": Route(allowed=BELEID),
    "zelfevaluatie_standaard": Route(method="post", args=lambda p: ["zorgoverleg"],
                                     overrides={q: ANY_OK for q in BELEID}),
    "vragenlijst_bewerken": Route(allowed=BELEID, args=lambda p: [p.zelfevaluatie.vragenlijst_id]),
    "zelfevaluatie_resultaten": Route(allowed=BELEID, args=lambda p: [p.zelfevaluatie.pk]),
    "zelfevaluatie_versturen": Route(method="post", args=lambda p: [p.zelfevaluatie.pk],
                                     overrides={q: ANY_OK for q in BELEID}),
    "zelfevaluatie_sluiten": Route(method="post", args=lambda p: [p.zelfevaluatie.pk],
                                   overrides={q: ANY_OK for q in BELEID}),
    "zelfevaluatie_invullen": Route(allowed=["mentor"], args=lambda p: [p.zelfevaluatie.pk]),
    "zelfevaluatie_download": Route(allowed=BELEID, args=lambda p: [p.zelfevaluatie.pk, "csv"]),
    "verbeterpunt_nieuw": Route(allowed=BELEID, args=lambda p: [p.zelfevaluatie.pk]),
    "verbeterpunt_afhandelen": Route(allowed=["mentor", *BELEID], args=lambda p: [p.verbeterpunt.pk]),
    "interventiesoorten": Route(allowed=["zorgcoordinator"], contains="Soorten interventies"),
    "interventies_standaard": Route(method="post",
                                    overrides={"zorgcoordinator": redirect("/kwaliteit/interventies/")}),
    "interventiesoort_wijzigen": Route(allowed=["zorgcoordinator"], args=lambda p: [p.interventiesoort.pk]),
    "interventiesoort_verwijderen": Route(
        method="post", args=lambda p: [p.school.interventiesoorten.get(naam="Anders").pk],
        overrides={"zorgcoordinator": redirect("/kwaliteit/interventies/")},
    ),
})

# Being added concurrently: the applicatiebeheerder's import ("beheer/import/", names import, import_*).
IMPORT_ROUTE = Route(overrides={"beheerder": ANY_OK})


def coverage_for(name, route):
    """The table entry for one URL pattern, or None when it is not covered."""
    if route.startswith(ADMIN_PREFIX) or (name or "").startswith("admin:"):
        return "admin"
    if name in COVERAGE:
        return COVERAGE[name]
    if name and (name == "import" or name.startswith("import_")) and route.startswith("beheer/"):
        return IMPORT_ROUTE
    return None


def walk(resolver, prefix="", namespace=""):
    """(name, route) of every URL pattern, recursively, with namespaced names."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern, prefix + str(pattern.pattern), ns)
        else:
            assert isinstance(pattern, URLPattern)
            yield (namespace + pattern.name if pattern.name else None), prefix + str(pattern.pattern)


def uncovered(resolver):
    return [f"{name or '(geen naam)'}: /{route}" for name, route in walk(resolver) if coverage_for(name, route) is None]


def test_every_url_pattern_is_in_the_coverage_table():
    missing = uncovered(get_resolver())
    assert not missing, (
        "URL's zonder regel in de permissietabel van tests/test_urls.py (wie mag erbij, wat krijgen anderen?):\n"
        + "\n".join(missing)
    )


def test_table_has_no_stale_entries():
    names = {name for name, _route in walk(get_resolver())}
    assert set(COVERAGE) <= names, f"verouderde regels: {set(COVERAGE) - names}"


def _fake_urlconf(*extra):
    module = types.ModuleType("nep_urls")
    module.urlpatterns = list(get_resolver().url_patterns) + list(extra)
    return module


def test_a_new_url_without_coverage_fails_but_the_import_pages_are_expected():
    def view(request):
        return HttpResponse("")

    module = _fake_urlconf(
        path("beheer/import/", view, name="import"),
        path("beheer/import/<int:pk>/controle/", view, name="import_controle"),
        path("leerlingen/<int:pk>/export/", view, name="leerling_export"),
        path("geheim/", view),
    )
    assert uncovered(get_resolver(module)) == ["leerling_export: /leerlingen/<int:pk>/export/", "(geen naam): /geheim/"]


# --- requesting every covered URL as every persona -------------------------------------------


@pytest.fixture
def wereld(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    p = personas
    p.item = Dossieritem.objects.create(
        leerling=p.in_a, soort=Dossieritem.Soort.GESPREK, auteur=p.mentor, tekst="Gesprek over planning"
    )
    p.document = Dossieritem.objects.create(
        leerling=p.in_a, soort=Dossieritem.Soort.DOCUMENT, auteur=p.mentor, titel="Rapport",
        bestand=ContentFile(b"%PDF-1.4 test", name="rapport.pdf"), bestandsnaam="rapport.pdf",
    )
    p.superuser = f.GebruikerFactory(username="root", is_superuser=True, is_staff=True)
    p.tweede_in_a = f.KlasplaatsingFactory(klas=p.klas_a).leerling
    periode = p.jaar.perioden.first()
    p.groepsplan = Groepsplan.objects.create(klas=p.klas_a, periode=periode, auteur=p.mentor)
    p.rij = GroepsplanRij.objects.create(groepsplan=p.groepsplan, naam="Extra instructie BL")
    p.plan = Handelingsplan.objects.create(
        leerling=p.in_a, auteur=p.mentor, periode=periode, status=Handelingsplan.Status.VASTGESTELD
    )
    Doel.objects.create(handelingsplan=p.plan, doel="Maakt 8 van de 10 sommen goed voor 1 februari")
    Betrokkenheid.objects.create(handelingsplan=p.plan, gebruiker=p.docent, taak="Verlengde instructie")
    sjabloon = Sjabloon.objects.create(school=p.school, soort="vakspecifiek", naam="eigen sjabloon")
    p.groepsoverzicht = Groepsoverzicht.objects.create(
        klas=p.klas_a, periode=periode, sjabloon=sjabloon, soort="vakspecifiek", vak=None
    )
    p.vak = Lesopdracht.objects.filter(klas=p.klas_a).first().vak
    p.standaard_sjabloon = groepsoverzicht.standaard_sjabloon(p.school, "vakoverstijgend")
    p.grid = groepsoverzicht.groepsoverzicht_voor(p.klas_a, periode)
    p.export = Export.objects.create(
        aangevraagd_door=p.mentor, school=p.school, omschrijving="1A", status=Export.Status.KLAAR, totaal=1, gedaan=1,
        bestand=ContentFile(b"PK\x05\x06" + b"\x00" * 18, name="handelingsplannen.zip"),
    )
    p.opschaling = Opschaling.objects.create(
        leerling=p.in_a, naar_niveau=p.niveau1, hulpvraag="Piekert veel", aangevraagd_door=p.mentor
    )
    p.melding = Notificatie.objects.create(ontvanger=p.mentor, tekst="Nieuwe signalering", url="/mijn-klas/")
    _besprekingen(p, periode)
    _portaal(p)
    _beveiliging(p)
    _kwaliteit(p)
    Group.objects.create(name="testgroep")
    return p


def _kwaliteit(p):
    """A kind of intervention in use, an open zelfevaluatie sent to the mentor, a verbeterpunt of theirs."""
    from zorg import zelfevaluatie
    from zorg.models import Interventiesoort, Respondent, Verbeterpunt, Zelfevaluatie

    p.interventiesoort = Interventiesoort.objects.get(school=p.school, naam="Counseling")
    p.rij.interventie = p.interventiesoort
    p.rij.save()
    lijst = zelfevaluatie.standaard_vragenlijst(p.school, "zorgstructuur")
    p.zelfevaluatie = Zelfevaluatie.objects.create(
        school=p.school, vragenlijst=lijst, schooljaar=p.jaar, titel="Checklist zorgstructuur",
        rollen=["mentor"], status=Zelfevaluatie.Status.OPEN, verstuurd_op=timezone.now(),
    )
    Respondent.objects.create(zelfevaluatie=p.zelfevaluatie, gebruiker=p.mentor, rol=Respondent.Rol.MENTOR)
    p.verbeterpunt = Verbeterpunt.objects.create(
        school=p.school, zelfevaluatie=p.zelfevaluatie, wat="Privacyregels bekendmaken", eigenaar=p.mentor,
        uiterlijk=timezone.localdate() + datetime.timedelta(days=30),
    )


def _beveiliging(p):
    """An alarm, and one row for each admin page of django-otp and django-axes."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    p.alarm = Alarm.objects.create(school=p.school, gebruiker=p.docent, gebruiker_naam=p.docent.naam,
                                   soort=Alarm.Soort.WEIGERINGEN, omschrijving="25 geweigerde pogingen", aantal=25)
    TOTPDevice.objects.create(user=p.mentor, name="app", confirmed=True)
    StaticDevice.objects.create(user=p.mentor, name="herstelcodes", confirmed=True)
    nu = timezone.now()
    AccessAttempt.objects.create(username="mentor", ip_address="127.0.0.1", user_agent="test", attempt_time=nu,
                                 failures_since_start=1, get_data="", post_data="", http_accept="", path_info="/")
    AccessLog.objects.create(username="mentor", ip_address="127.0.0.1", user_agent="test", attempt_time=nu,
                             http_accept="", path_info="/inloggen/")
    AccessFailureLog.objects.create(username="mentor", ip_address="127.0.0.1", user_agent="test", attempt_time=nu,
                                    http_accept="", path_info="/inloggen/", locked_out=False)


def _portaal(p):
    """A document shared with the parents, a correctieverzoek, and in_a's own pupil account."""
    p.gedeeld_document = Dossieritem.objects.create(
        leerling=p.in_a, soort=Dossieritem.Soort.DOCUMENT, auteur=p.mentor, titel="Verslag onderzoek",
        vertrouwelijkheid=Dossieritem.Vertrouwelijkheid.OUDERS,
        bestand=ContentFile(b"%PDF-1.4 onderzoek", name="onderzoek.pdf"), bestandsnaam="onderzoek.pdf",
    )
    p.correctieverzoek = Correctieverzoek.objects.create(
        leerling=p.in_a, ingediend_door=p.ouder_user, onderwerp="gegevens", tekst="Nieuw telefoonnummer")
    p.ouder_melding = Notificatie.objects.create(ontvanger=p.ouder_user, tekst="Plan klaar", url="/ouders/")
    p.school.leerlingaccounts = True
    p.school.save()
    p.leerling_user = f.GebruikerFactory(username="leerling")
    p.in_a.gebruiker = p.leerling_user
    p.in_a.save()


def _besprekingen(p, periode):
    """The meeting objects the besprekingen routes point at (see the COVERAGE comment)."""
    begin = timezone.now() + datetime.timedelta(days=7)
    p.izo = services.plan_bespreking(p.zorgcoordinator, p.school, "izo", begin, p.zorgcoordinator,
                                     deelnemers=[p.mentor], uitnodigen=False)
    p.deelnemer = p.izo.deelnemers.get(gebruiker=p.mentor)
    p.izo_punt = services.zet_op_agenda(
        p.zorgcoordinator, p.school, meld_aan(p.mentor, p.school, p.in_a, "izo", "Piekert", ouders_geinformeerd=True),
        p.izo,
    )
    services.zet_op_agenda(
        p.zorgcoordinator, p.school,
        meld_aan(p.andere_mentor, p.school, p.in_b, "izo", "Verzuim", ouders_geinformeerd=True), p.izo,
    )
    p.aanmelding = meld_aan(p.mentor, p.school, p.in_a, "leerlingbespreking", "Onrustig", ouders_geinformeerd=True)
    p.aanmelding.status = Aanmelding.Status.TERUGGESTUURD
    p.aanmelding.save()
    p.afspraak = services.maak_afspraak(p.zorgcoordinator, p.school, "Oudergesprek", p.mentor,
                                        datetime.date.today(), agendapunt=p.izo_punt)
    contact = p.extern.contactpersoon
    contact.instelling.school = p.school
    contact.instelling.save()
    p.zat = services.plan_bespreking(p.zorgcoordinator, p.school, "zat", begin, p.zorgcoordinator,
                                     contactpersonen=[contact], uitnodigen=False)
    p.gb = services.plan_bespreking(p.mentor, p.school, "groepsbespreking", begin, p.mentor, klas=p.klas_a,
                                    periode=periode, deelnemers=[p.docent], uitnodigen=False)
    p.gb_punt = p.gb.agendapunten.get(nummer=1)
    _extern(p)


def _extern(p):
    """in_a referred to the extern persona's instelling, with consent (scanned form) and a grant."""
    p.contact = p.extern.contactpersoon
    p.instelling = p.contact.instelling
    OuderRelatie.objects.filter(ouder=p.ouder, leerling=p.in_a).update(gezag=True)
    p.toestemming = f.ToestemmingFactory(
        leerling=p.in_a, ouder=p.ouder, doel="verwijzing", instelling=p.instelling,
        bestand=ContentFile(b"%PDF-1.4 toestemming", name="toestemming.pdf"), bestandsnaam="toestemming.pdf",
    )
    p.verwijzing = Verwijzing.objects.create(school=p.school, leerling=p.in_a, instelling=p.instelling,
                                             reden="Gezinsbegeleiding", toestemming=p.toestemming)
    p.grant = ExterneToegang.objects.create(verwijzing=p.verwijzing, contactpersoon=p.contact,
                                            tot=datetime.date.today() + datetime.timedelta(days=90))


def client_for(p, persona):
    return Client() if persona == "anoniem" else p.client(getattr(p, persona))


def check(response, url, expected, contains=""):
    """'' when the answer is as expected, else a description of the difference."""
    status, location = response.status_code, response.get("Location", "")
    if expected == LOGIN:
        ok = status == 302 and location == f"/inloggen/?next={url}"
    elif expected == ADMIN_LOGIN:
        ok = status == 302 and location.startswith("/systeembeheer/login/?next=")
    elif expected == ANY_OK:
        ok = status < 500 and status not in (404, 405) and not location.startswith("/inloggen/")
    elif isinstance(expected, tuple):
        ok = status == 302 and location == expected[1]
    else:
        ok = status == expected
    if ok and status == 200 and contains:
        ok = contains in response.content.decode()
        expected = f"{expected} met '{contains}'"
    return "" if ok else f"{url}: {status} {location} — verwacht {expected}"


def _concrete_url(route):
    """Fill converters of an unknown (import) route with dummy values."""
    url = re.sub(r"<int:[^>]+>", "1", route)
    url = re.sub(r"<(?:\w+:)?[^>]+>", "x", url)
    return "/" + url


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_as_expected_for(wereld, persona):
    p = wereld
    fouten = []
    for name, route in walk(get_resolver()):
        spec = coverage_for(name, route)
        if spec == "admin" or spec is None:
            continue  # the admin has its own test; uncovered routes fail the test above
        client = client_for(p, persona)  # fresh: logout must not log out the next request
        args = spec.args(p) if spec.args else None
        url = _concrete_url(route) if spec is IMPORT_ROUTE else reverse(name, args=args)
        response = getattr(client, spec.method)(url)
        fout = check(response, url, spec.expected(persona), spec.contains)
        if fout:
            fouten.append(f"{persona} {spec.method.upper()} {fout}")
    assert not fouten, "\n".join(fouten)


def test_logout_is_post_only(wereld):
    response = wereld.client(wereld.mentor).get("/uitloggen/")
    assert response.status_code == 405


# --- the admin (/systeembeheer/): superusers only ---------------------------------------------


def admin_urls():
    """(url, expected answer for a superuser) for the admin's pages, for every registered model."""
    urls = [
        (reverse("admin:index"), 200),
        (reverse("admin:app_list", args=["zorg"]), 200),
        (reverse("admin:password_change"), 200),
        (reverse("admin:jsi18n"), 200),
        ("/systeembeheer/bestaat-niet/", 404),
    ]
    for model, _model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        # django-axes' login logs are read-only: no add page, even for a superuser.
        toevoegen = 403 if model._meta.app_label == "axes" else 200
        urls += [(reverse(f"{info}_changelist"), 200), (reverse(f"{info}_add"), toevoegen)]
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"geen {model.__name__} om de beheerpagina's mee te testen"
        for action in ("change", "history", "delete"):
            urls.append((reverse(f"{info}_{action}", args=[obj.pk]), 200))
    return urls


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "superuser"])
def test_admin_is_closed_to_everyone_but_superusers(wereld, persona):
    p = wereld
    client = client_for(p, persona)
    fouten = [check(client.get(url), url, ADMIN_LOGIN) for url, _ in admin_urls()]
    fouten = [f"{persona}: {fout}" for fout in fouten if fout]
    assert not fouten, "\n".join(fouten)


def test_admin_is_open_to_a_superuser(wereld):
    client = wereld.client(wereld.superuser)
    fouten = [check(client.get(url), url, verwacht) for url, verwacht in admin_urls()]
    assert not [fout for fout in fouten if fout], "\n".join(fout for fout in fouten if fout)


def test_staff_flag_and_all_permissions_do_not_open_the_admin(wereld):
    p = wereld
    p.beheerder.is_staff = True
    p.beheerder.save()
    p.beheerder.user_permissions.set(Permission.objects.all())
    client = p.client(p.beheerder)
    response = client.get("/systeembeheer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/systeembeheer/login/")
    response = client.get("/systeembeheer/zorg/gebruiker/")
    assert response.status_code == 302
    # Logging in through the admin's own form does not help either.
    anoniem = Client()
    response = anoniem.post(
        "/systeembeheer/login/?next=/systeembeheer/", {"username": "beheer", "password": f.WACHTWOORD}
    )
    assert anoniem.get("/systeembeheer/").status_code == 302
    # ... while the same form lets a superuser in, after the second step (TOTP) like everyone else.
    root = Client()
    root.post("/systeembeheer/login/?next=/systeembeheer/", {"username": "root", "password": f.WACHTWOORD})
    response = root.get("/systeembeheer/")
    assert response.status_code == 302 and response["Location"].startswith("/account/tweestaps/instellen/")
    tweede_stap(root, "root")
    assert root.get("/systeembeheer/").status_code == 200
