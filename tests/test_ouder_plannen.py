"""Handelingsplannen in the portal: parents read the plans shared with them, give their inbreng
while a plan is a concept, react akkoord / niet akkoord (gezag, reason, confirmation), download the
PDF with their reaction; staff lay a concept before the parents and see the reaction; the pupil's
own pages show only goals, aanpak and their own inbreng."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from leerlingen.models import OuderRelatie
from plannen import plannen as regels
from plannen.models import Handelingsplan
from tests import factories as f
from zorg.models import Inzage, Notificatie

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

GEHEIM = "GEHEIM-ontwikkelingsperspectief"
BEGIN = "GEHEIM-beginsituatie"


@pytest.fixture
def p(benoemde_personas):
    return benoemde_personas


def maak_plan(p, leerling=None, auteur=None):
    data = {"ontwikkelingsperspectief": GEHEIM, "beginsituatie": BEGIN, "aanpak": "Elke week extra uitleg",
            "inhoud": "Rekenen", "evaluatiedatum": timezone.localdate() + datetime.timedelta(weeks=6)}
    return regels.maak_handelingsplan(auteur or p.mentor, leerling or p.in_a, data,
                                      ["Acht van de tien sommen goed in week 10"], [(p.docent, "Extra uitleg")])


def html(response):
    return response.content.decode()


def pdftekst(inhoud):
    uit = subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=inhoud, capture_output=True, check=True)
    return " ".join(uit.stdout.decode().split())


def test_ouder_ziet_alleen_gedeelde_plannen_van_eigen_kind(p):
    concept = maak_plan(p)
    ander = maak_plan(p, leerling=p.in_b, auteur=p.andere_mentor)
    regels.stel_vast(p.andere_mentor, ander)
    ouder = p.client(p.ouder_user)
    # A concept not laid before the parents, another child's plan, a guessed id: 404.
    for pk in (concept.pk, ander.pk, ander.pk + 1000):
        assert ouder.get(reverse("ouder_plan", args=[pk])).status_code == 404
        assert ouder.get(reverse("ouder_plan_pdf", args=[pk])).status_code == 404
        assert ouder.post(reverse("ouder_plan", args=[pk]), {"formulier": "inbreng", "inbreng": "x"}).status_code == 404
    assert ouder.get(reverse("ouder_plannen", args=[p.in_b.pk])).status_code == 404
    lijst = ouder.get(reverse("ouder_plannen", args=[p.in_a.pk]))
    assert lijst.status_code == 200 and reverse("ouder_plan", args=[concept.pk]) not in html(lijst)
    assert "geen plan" in html(lijst)
    # Staff are not parents: the portal's plan pages answer 404.
    regels.leg_voor_aan_ouders(p.mentor, concept)
    assert p.client(p.mentor).get(reverse("ouder_plan", args=[concept.pk])).status_code == 404
    lijst = ouder.get(reverse("ouder_plannen", args=[p.in_a.pk]))
    assert reverse("ouder_plan", args=[concept.pk]) in html(lijst)
    assert "Voorstel: uw inbreng gevraagd" in html(lijst)
    pagina = ouder.get(reverse("ouder_plan", args=[concept.pk]))
    assert pagina.status_code == 200
    assert "Acht van de tien sommen" in html(pagina) and escape(p.docent.naam) in html(pagina)
    assert Inzage.objects.filter(gebruiker=p.ouder_user, leerling=p.in_a, object_id=str(concept.pk)).exists()


def test_voorleggen_door_mentor_meldt_ouder(p):
    plan = maak_plan(p)
    mentor = p.client(p.mentor)
    r = mentor.post(reverse("handelingsplan_actie", args=[plan.pk]), {"actie": "voorleggen"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.voorgelegd_op is not None
    melding = Notificatie.objects.get(ontvanger=p.ouder_user)
    assert melding.url == reverse("ouder_plan", args=[plan.pk]) and melding.leerling == p.in_a
    assert "Opnieuw voorleggen aan ouders" in html(mentor.get(reverse("handelingsplan", args=[plan.pk])))
    # A docent who may not write the plan cannot lay it before the parents.
    r = p.client(p.docent).post(reverse("handelingsplan_actie", args=[plan.pk]), {"actie": "voorleggen"})
    assert r.status_code == 403
    # Only a concept is laid before the parents.
    regels.stel_vast(p.mentor, plan)
    with pytest.raises(regels.PlanFout):
        regels.leg_voor_aan_ouders(p.mentor, plan)


def test_inbreng_ouders_zolang_concept(p):
    plan = maak_plan(p)
    regels.leg_voor_aan_ouders(p.mentor, plan)
    ouder = p.client(p.ouder_user)
    url = reverse("ouder_plan", args=[plan.pk])
    r = ouder.post(url, {"formulier": "inbreng", "inbreng": "Thuis oefenen we elke avond."})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.inbreng_ouders == "Thuis oefenen we elke avond."
    assert Notificatie.objects.filter(ontvanger=p.mentor, tekst__contains="inbreng").exists()
    staf = html(p.client(p.mentor).get(reverse("handelingsplan", args=[plan.pk])))
    assert "Thuis oefenen we elke avond." in staf and "laatst gewijzigd door" in staf
    regels.stel_vast(p.mentor, plan)
    r = ouder.post(url, {"formulier": "inbreng", "inbreng": "Nog een aanvulling van mij"})
    assert r.status_code == 200
    assert "al vastgesteld" in html(r) and "Nog een aanvulling van mij" in html(r)
    assert reverse("ouder_correctie_nieuw", args=[p.in_a.pk]) in html(r)
    plan.refresh_from_db()
    assert plan.inbreng_ouders == "Thuis oefenen we elke avond."


def test_akkoord_zonder_gezag_geweigerd(p):
    plan = maak_plan(p)
    regels.leg_voor_aan_ouders(p.mentor, plan)
    OuderRelatie.objects.filter(ouder=p.ouder, leerling=p.in_a).update(gezag=False)
    ouder = p.client(p.ouder_user)
    url = reverse("ouder_plan", args=[plan.pk])
    assert "ouderlijk gezag" in html(ouder.get(url))
    r = ouder.post(url, {"formulier": "reactie", "keuze": "akkoord", "bevestigd": "1"})
    assert r.status_code == 200 and "ouderlijk gezag" in html(r)
    plan.refresh_from_db()
    assert plan.ouders_akkoord == ""


def test_niet_akkoord_reden_bevestiging_staf_en_pdf(p):
    plan = maak_plan(p)
    regels.leg_voor_aan_ouders(p.mentor, plan)
    regels.stel_vast(p.mentor, plan)
    ouder = p.client(p.ouder_user)
    url = reverse("ouder_plan", args=[plan.pk])
    r = ouder.post(url, {"formulier": "reactie", "keuze": "niet_akkoord", "reden": "  "})
    assert r.status_code == 200 and "Schrijf waarom" in html(r)
    r = ouder.post(url, {"formulier": "reactie", "keuze": "niet_akkoord", "reden": "Te weinig uren"})
    assert r.status_code == 200 and "Weet u het zeker?" in html(r) and "Te weinig uren" in html(r)
    plan.refresh_from_db()
    assert plan.ouders_akkoord == ""  # nothing saved before the confirmation
    r = ouder.post(url, {"formulier": "reactie", "keuze": "niet_akkoord", "reden": "Te weinig uren",
                         "bevestigd": "1"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.ouders_akkoord == "niet_akkoord" and plan.ouders_reactie_door == p.ouder
    assert plan.ouders_akkoord_op is not None and plan.ouders_reactie_toelichting == "Te weinig uren"
    assert Notificatie.objects.filter(ontvanger=p.mentor, tekst__contains="niet akkoord").exists()
    staf = html(p.client(p.mentor).get(reverse("handelingsplan", args=[plan.pk])))
    assert "Reactie ouders" in staf and "Niet akkoord" in staf and "Te weinig uren" in staf
    assert escape(p.ouder.naam) in staf
    pdf = ouder.get(reverse("ouder_plan_pdf", args=[plan.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    tekst = pdftekst(pdf.content)
    assert "Niet akkoord" in tekst and "Te weinig uren" in tekst and p.ouder.achternaam in tekst
    assert Inzage.objects.filter(gebruiker=p.ouder_user, onderdeel__contains="PDF").exists()
    # The reaction can be changed while the plan runs; the history keeps the earlier one.
    ouder.post(url, {"formulier": "reactie", "keuze": "akkoord", "reden": "", "bevestigd": "1"})
    plan.refresh_from_db()
    assert plan.ouders_akkoord == "akkoord"
    assert plan.history.filter(ouders_akkoord="niet_akkoord").exists()
    tekst = pdftekst(p.client(p.mentor).get(reverse("handelingsplan_pdf", args=[plan.pk])).content)
    assert "Akkoord ouders" in tekst and p.ouder.achternaam in tekst
    # After the evaluation the reaction is fixed.
    regels.evalueer(p.mentor, plan, {d.pk: ("behaald", "") for d in plan.doelen.all()}, "stoppen", "")
    r = ouder.post(url, {"formulier": "reactie", "keuze": "niet_akkoord", "reden": "x", "bevestigd": "1"})
    assert r.status_code == 200 and "geëvalueerd" in html(r)
    plan.refresh_from_db()
    assert plan.ouders_akkoord == "akkoord"
    assert "Geëvalueerd" in html(ouder.get(reverse("ouder_plannen", args=[p.in_a.pk])))


def test_papieren_akkoord_blijft_werken(p):
    plan = maak_plan(p)
    regels.stel_vast(p.mentor, plan)
    r = p.client(p.mentor).post(reverse("handelingsplan_actie", args=[plan.pk]), {"actie": "ouders_akkoord"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.ouders_akkoord == "akkoord" and plan.ouders_reactie_door is None


def leerling_account(p, aan=True):
    p.school.leerlingaccounts = aan
    p.school.save()
    user = f.GebruikerFactory(username="leerling_a")
    p.in_a.gebruiker = user
    p.in_a.save()
    return user


def test_leerling_uit_of_geen_leerling_404(p):
    user = leerling_account(p, aan=False)
    plan = maak_plan(p)
    regels.leg_voor_aan_ouders(p.mentor, plan)
    for wie in (user, p.ouder_user, p.mentor):
        c = p.client(wie)
        assert c.get(reverse("leerling_start")).status_code == 404
        assert c.get(reverse("leerling_plan", args=[plan.pk])).status_code == 404


def test_leerling_ziet_doelen_en_geeft_inbreng(p):
    user = leerling_account(p)
    plan = maak_plan(p)
    verborgen = maak_plan(p)  # a concept not laid before: not shown
    ander = maak_plan(p, leerling=p.in_b, auteur=p.andere_mentor)
    regels.stel_vast(p.andere_mentor, ander)
    regels.leg_voor_aan_ouders(p.mentor, plan)
    c = p.client(user)
    start = c.get(reverse("leerling_start"))
    assert start.status_code == 200
    assert "Acht van de tien sommen" in html(start) and "Mijn plannen" in html(start)
    assert reverse("leerling_plan", args=[verborgen.pk]) not in html(start)
    for pk in (verborgen.pk, ander.pk, ander.pk + 1000):
        assert c.get(reverse("leerling_plan", args=[pk])).status_code == 404
    pagina = html(c.get(reverse("leerling_plan", args=[plan.pk])))
    assert "Elke week extra uitleg" in pagina
    assert Inzage.objects.get(gebruiker=user, object_id=str(plan.pk)).rol == "leerling zelf"
    assert GEHEIM not in pagina and BEGIN not in pagina and "Rekenen" not in pagina
    r = c.post(reverse("leerling_plan", args=[plan.pk]), {"inbreng": "Ik wil graag naast de juf zitten."})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.inbreng_leerling == "Ik wil graag naast de juf zitten."
    assert Notificatie.objects.filter(ontvanger=p.mentor, tekst__contains="zelf inbreng").exists()
    regels.stel_vast(p.mentor, plan)
    r = c.post(reverse("leerling_plan", args=[plan.pk]), {"inbreng": "Nog iets"})
    assert r.status_code == 200 and "staat al vast" in html(r) and "Nog iets" in html(r)
    plan.refresh_from_db()
    assert plan.inbreng_leerling == "Ik wil graag naast de juf zitten."
    assert Handelingsplan.objects.get(pk=plan.pk).status == "vastgesteld"
