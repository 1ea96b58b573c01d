"""Handelingsplan (IHP): creation pre-filled from the dossier, groepsplan row or IZO/ZAT decision;
every section through the UI; lifecycle and each decision; the chain of plans; stale edits;
the docent's part; access and the inzagelog."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from plannen import plannen
from plannen.models import Cel, Doel, Groepsoverzicht, Groepsplan, GroepsplanRij, Handelingsplan, Kolom, Sjabloon
from tests import factories as f
from zorg.models import Inzage

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

VANDAAG = timezone.localdate()
SECTIES = {
    "ontwikkelingsperspectief": "uitstroom havo; belemmerend: faalangst",
    "beginsituatie": "zakt weg bij toetsen",
    "onderwijsbehoeften": "heeft een rustige plek nodig",
    "inhoud": "faalangsttraining",
    "aanpak": "vooraf structuur bieden, positief bekrachtigen",
    "organisatie": "mentor, wekelijks op dinsdag",
    "evaluatie_afspraken": "mentor en leerling, gesprek, eind periode",
    "afspraken_ouders": "ouders oefenen thuis met de planner",
    "inbreng_leerling": "wil minder zenuwachtig zijn",
    "inbreng_ouders": "thuis ook veel stress",
}


def formsets(doelen=(), betrokkenen=(), bestaand_doelen=(), bestaand_betrokkenen=()):
    data = {}
    for prefix, nieuw, bestaand in [
        ("doelen", doelen, bestaand_doelen),
        ("betrokkenen", betrokkenen, bestaand_betrokkenen),
    ]:
        rijen = list(bestaand) + list(nieuw)
        data[f"{prefix}-TOTAL_FORMS"] = len(rijen)
        data[f"{prefix}-INITIAL_FORMS"] = len(bestaand)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, rij in enumerate(rijen):
            for veld, waarde in rij.items():
                data[f"{prefix}-{i}-{veld}"] = waarde
    return data


@pytest.fixture
def p(personas):
    p = personas
    p.periode = p.jaar.perioden.get()
    return p


def nieuw_plan(p, client=None, leerling=None, query="", **extra):
    client = client or p.client(p.mentor)
    leerling = leerling or p.in_a
    data = {"soort": "vakoverstijgend", "periode": p.periode.pk, "start": VANDAAG.isoformat(),
            "evaluatiedatum": (VANDAAG + datetime.timedelta(days=30)).isoformat(), **SECTIES,
            **formsets(doelen=[{"doel": "8 van de 10 toetsen zonder paniek, eind periode"},
                               {"doel": "plant 4 weken vooruit"}],
                       betrokkenen=[{"gebruiker": p.docent.pk, "taak": "geeft toetsen in een rustig lokaal"}]),
            **extra}
    r = client.post(reverse("handelingsplan_nieuw", args=[leerling.pk]) + query, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    return Handelingsplan.objects.get(pk=r.url.rstrip("/").split("/")[-1])


def test_every_section_round_trips(p):
    plan = nieuw_plan(p)
    assert plan.status == "concept" and plan.auteur == p.mentor
    for veld, waarde in SECTIES.items():
        assert getattr(plan, veld) == waarde
    assert [d.doel for d in plan.doelen.all()][1] == "plant 4 weken vooruit"
    assert plan.betrokkenen.get().gebruiker == p.docent
    html = p.client(p.mentor).get(reverse("handelingsplan", args=[plan.pk])).content.decode()
    for waarde in SECTIES.values():
        assert waarde in html
    assert "geeft toetsen in een rustig lokaal" in html
    assert reverse("handelingsplan_pdf", args=[plan.pk]) in html
    for kop in ["Ontwikkelingsperspectief", "Onderwijsbehoeften (vakoverstijgend)", "Doelen/gewenst gedrag",
                "Afspraken met ouders", "Inbreng leerling", "Inbreng ouders", "Betrokkenen"]:
        assert kop in html
    html = p.client(p.mentor).get(reverse("handelingsplan_wijzigen", args=[plan.pk])).content.decode()
    assert "wil minder zenuwachtig zijn" in html and "plant 4 weken vooruit" in html


def test_smart_hint_per_goal_after_saving(p):
    plan = nieuw_plan(p)
    r = p.client(p.mentor).get(reverse("handelingsplan", args=[plan.pk]))
    html = r.content.decode()
    # "plant 4 weken vooruit" has a number and a period word; "8 van de 10 ... eind periode" too.
    assert "Maak het doel meetbaar" not in html
    r = p.client(p.mentor).post(reverse("handelingsplan_nieuw", args=[p.in_a.pk]), {
        "soort": "vakoverstijgend", "start": VANDAAG.isoformat(), "evaluatiedatum": VANDAAG.isoformat(),
        **formsets(doelen=[{"doel": "rustiger worden"}])}, follow=True)
    html = r.content.decode()
    assert "Maak het doel meetbaar" in html and "Noem wanneer" in html


def test_at_least_one_goal(p):
    data = {"soort": "vakoverstijgend", "start": VANDAAG.isoformat(), "evaluatiedatum": VANDAAG.isoformat(),
            **formsets()}
    r = p.client(p.mentor).post(reverse("handelingsplan_nieuw", args=[p.in_a.pk]), data)
    assert r.status_code == 200 and "minstens één doel" in r.content.decode()
    assert not Handelingsplan.objects.exists()


def test_vakspecifiek_needs_a_vak_and_shows_bijlage_13_labels(p):
    vak = p.docent.lesopdrachten.get().vak
    r = p.client(p.mentor).post(reverse("handelingsplan_nieuw", args=[p.in_a.pk]),
                                {"soort": "vakspecifiek", "start": VANDAAG.isoformat(),
                                 "evaluatiedatum": VANDAAG.isoformat(), **formsets(doelen=[{"doel": "x"}])})
    assert r.status_code == 200 and not Handelingsplan.objects.exists()
    plan = nieuw_plan(p, soort="vakspecifiek", vak=vak.pk)
    html = p.client(p.mentor).get(reverse("handelingsplan", args=[plan.pk])).content.decode()
    assert "Leerrendementsverwachting voor het vak" in html and "Onderwijsbehoeften (vakspecifiek)" in html


def test_prefilled_from_dossier_and_groepsoverzicht(p):
    f.DossieritemFactory(leerling=p.in_a, soort="interventie", hulpvraag="Hoe helpen we bij plannen?", auteur=p.mentor)
    sjabloon = Sjabloon.objects.create(school=p.school, soort="vakoverstijgend", naam="standaard")
    kolom = Kolom.objects.create(sjabloon=sjabloon, volgorde=1, sleutel="onderwijsbehoeften", titel="OB")
    overzicht = Groepsoverzicht.objects.create(klas=p.klas_a, periode=p.periode, sjabloon=sjabloon)
    Cel.objects.create(groepsoverzicht=overzicht, leerling=p.in_a, kolom=kolom, waarde="korte instructie nodig")
    html = p.client(p.mentor).get(reverse("handelingsplan_nieuw", args=[p.in_a.pk])).content.decode()
    assert "Hoe helpen we bij plannen?" in html
    assert "korte instructie nodig" in html
    assert p.periode.einde.isoformat() in html  # evaluatiedatum: end of the periode
    assert plannen.standaard_evaluatiedatum(p.in_a) == p.periode.einde


def test_from_izo_zat_decision_evaluates_after_six_weeks(p):
    besluit = f.DossieritemFactory(leerling=p.in_a, soort="zorgniveau", auteur=p.zorgcoordinator, datum=VANDAAG,
                                   tekst="IZO: faalangsttraining")
    client = p.client(p.mentor)
    html = client.get(reverse("handelingsplan_nieuw", args=[p.in_a.pk]) + f"?besluit={besluit.pk}").content.decode()
    assert (VANDAAG + datetime.timedelta(weeks=6)).isoformat() in html and "IZO: faalangsttraining" in html
    plan = nieuw_plan(p, besluit=besluit.pk)
    assert plan.zorgniveaubesluit == besluit
    andere = f.DossieritemFactory(leerling=p.in_a, soort="gesprek", auteur=p.mentor)
    assert client.get(reverse("handelingsplan_nieuw", args=[p.in_a.pk]) + f"?besluit={andere.pk}").status_code == 404


def test_from_groepsplan_row(p):
    plan = Groepsplan.objects.create(klas=p.klas_a, periode=p.periode, auteur=p.mentor)
    rij = GroepsplanRij.objects.create(groepsplan=plan, rijsoort="individueel",
                                       doelen="leest 90 woorden per minuut in mei", aanpak="dagelijks duolezen")
    rij.leerlingen.set([p.in_a])
    html = p.client(p.mentor).get(reverse("groepsplan", args=[plan.pk])).content.decode()
    url = reverse("handelingsplan_nieuw", args=[p.in_a.pk]) + f"?rij={rij.pk}"
    assert url in html
    html = p.client(p.mentor).get(url).content.decode()
    assert "leest 90 woorden per minuut in mei" in html and "dagelijks duolezen" in html
    ihp = nieuw_plan(p, rij=rij.pk)
    assert ihp.groepsplan == plan
    # A row of another pupil does not pre-fill this pupil's plan.
    ander = f.KlasplaatsingFactory(klas=p.klas_a).leerling
    url = reverse("handelingsplan_nieuw", args=[ander.pk]) + f"?rij={rij.pk}"
    assert p.client(p.mentor).get(url).status_code == 404


def evalueer(p, plan, resultaten, besluit, client=None, follow=False):
    data = {"besluit": besluit, "evaluatie_toelichting": "besproken met leerling en ouders"}
    for doel, resultaat in zip(plan.doelen.all(), resultaten, strict=True):
        data[f"resultaat_{doel.pk}"] = resultaat
        data[f"toelichting_{doel.pk}"] = f"toelichting {resultaat}"
    return (client or p.client(p.mentor)).post(reverse("handelingsplan_evalueren", args=[plan.pk]), data,
                                               follow=follow)


def actie(p, plan, naam, client=None):
    return (client or p.client(p.mentor)).post(reverse("handelingsplan_actie", args=[plan.pk]), {"actie": naam})


def test_lifecycle_stoppen(p):
    plan = nieuw_plan(p)
    assert p.client(p.mentor).get(reverse("handelingsplan_evalueren", args=[plan.pk])).status_code == 302
    actie(p, plan, "vaststellen")
    plan.refresh_from_db()
    assert plan.status == "vastgesteld" and plan.vastgesteld_op is not None and plan.ouders_akkoord_op is None
    actie(p, plan, "ouders_akkoord")
    plan.refresh_from_db()
    assert plan.ouders_akkoord_op is not None
    html = p.client(p.mentor).get(reverse("handelingsplan", args=[plan.pk])).content.decode()
    assert "akkoord ouders ontvangen op" in html
    r = evalueer(p, plan, ["behaald", "deels"], "stoppen")
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "geevalueerd" and plan.besluit == "stoppen"
    assert [d.resultaat for d in plan.doelen.all()] == ["behaald", "deels"]
    assert plan.doelen.first().toelichting == "toelichting behaald"
    actie(p, plan, "afsluiten")
    plan.refresh_from_db()
    assert plan.status == "afgesloten" and plan.afgesloten_op is not None
    assert p.client(p.mentor).get(reverse("handelingsplan_wijzigen", args=[plan.pk])).status_code == 302


def test_evaluation_needs_every_goal(p):
    plan = nieuw_plan(p)
    actie(p, plan, "vaststellen")
    eerste = plan.doelen.first()
    r = p.client(p.mentor).post(reverse("handelingsplan_evalueren", args=[plan.pk]),
                                {"besluit": "stoppen", f"resultaat_{eerste.pk}": "behaald"})
    assert r.status_code == 200
    plan.refresh_from_db()
    assert plan.status == "vastgesteld"


def test_opschalen_redirects_to_the_route_request(p):
    plan = nieuw_plan(p)
    actie(p, plan, "vaststellen")
    r = evalueer(p, plan, ["niet", "niet"], "opschalen")
    assert r.status_code == 302 and r.url == reverse("route_aanvragen", args=[p.in_a.pk])
    plan.refresh_from_db()
    assert plan.status == "afgesloten" and plan.besluit == "opschalen"


@pytest.mark.parametrize("besluit", ["voortzetten", "bijstellen"])
def test_continuing_creates_the_next_plan_with_unreached_goals(p, besluit):
    plan = nieuw_plan(p)
    actie(p, plan, "vaststellen")
    r = evalueer(p, plan, ["behaald", "deels"], besluit)
    plan.refresh_from_db()
    assert plan.status == "afgesloten"
    volgend = plan.vervolgen.get()
    assert r.url == reverse("handelingsplan", args=[volgend.pk])
    assert volgend.vorige == plan and volgend.status == "concept"
    assert [d.doel for d in volgend.doelen.all()] == ["plant 4 weken vooruit"]
    assert volgend.aanpak == SECTIES["aanpak"] and volgend.betrokkenen.get().gebruiker == p.docent
    html = p.client(p.mentor).get(reverse("handelingsplan", args=[volgend.pk])).content.decode()
    assert "Keten van plannen" in html and reverse("handelingsplan", args=[plan.pk]) in html
    html = p.client(p.mentor).get(reverse("handelingsplan", args=[plan.pk])).content.decode()
    assert reverse("handelingsplan", args=[volgend.pk]) in html


def test_stale_edit_shows_who_changed_it_and_keeps_the_text(p):
    plan = nieuw_plan(p)
    client = p.client(p.mentor)
    html = client.get(reverse("handelingsplan_wijzigen", args=[plan.pk])).content.decode()
    gezien = plan.gewijzigd_op.isoformat()
    assert gezien in html
    doelen = [{"id": d.pk, "doel": d.doel} for d in plan.doelen.all()]
    wie = [{"id": b.pk, "gebruiker": b.gebruiker_id, "taak": b.taak} for b in plan.betrokkenen.all()]

    def post(c, aanpak, gewijzigd_op):
        data = {"soort": "vakoverstijgend", "periode": p.periode.pk, "start": VANDAAG.isoformat(),
                "evaluatiedatum": plan.evaluatiedatum.isoformat(), **SECTIES, "aanpak": aanpak,
                "gewijzigd_op": gewijzigd_op, **formsets(bestaand_doelen=doelen, bestaand_betrokkenen=wie)}
        return c.post(reverse("handelingsplan_wijzigen", args=[plan.pk]), data)

    assert post(p.client(p.zorgcoordinator), "aanpak van de zorgcoördinator", gezien).status_code == 302
    r = post(client, "mijn eigen aanpak", gezien)
    assert r.status_code == 409
    html = r.content.decode()
    assert escape(p.zorgcoordinator.naam) in html
    assert "mijn eigen aanpak" in html and "aanpak van de zorgcoördinator" in html
    plan.refresh_from_db()
    assert plan.aanpak == "aanpak van de zorgcoördinator"
    # Saving again from the conflict form (now carrying the newer version) succeeds.
    assert post(client, "mijn eigen aanpak", plan.gewijzigd_op.isoformat()).status_code == 302
    plan.refresh_from_db()
    assert plan.aanpak == "mijn eigen aanpak" and plan.gewijzigd_door == p.mentor
    html = client.get(reverse("handelingsplan", args=[plan.pk])).content.decode()
    assert "Wijzigingen" in html and "aanpak van de zorgcoördinator" in html


def test_docent_sees_only_their_part(p):
    plan = nieuw_plan(p)
    docent = p.client(p.docent)
    html = docent.get(reverse("handelingsplan", args=[plan.pk])).content.decode()
    assert "geeft toetsen in een rustig lokaal" in html
    assert SECTIES["aanpak"] in html and "plant 4 weken vooruit" in html
    for vertrouwelijk in ["ontwikkelingsperspectief", "beginsituatie", "inbreng_ouders", "afspraken_ouders",
                          "onderwijsbehoeften", "inbreng_leerling"]:
        assert SECTIES[vertrouwelijk] not in html
    assert reverse("handelingsplan_pdf", args=[plan.pk]) not in html  # the full plan is not theirs
    assert docent.get(reverse("handelingsplan_wijzigen", args=[plan.pk])).status_code == 403
    assert actie(p, plan, "vaststellen", client=docent).status_code == 403
    fragment = docent.get(reverse("plan_mijn_taken", args=[p.in_a.pk])).content.decode()
    assert "geeft toetsen in een rustig lokaal" in fragment and SECTIES["aanpak"] in fragment
    assert SECTIES["beginsituatie"] not in fragment
    lijst = docent.get(reverse("handelingsplannen", args=[p.in_a.pk])).content.decode()
    assert reverse("handelingsplan", args=[plan.pk]) in lijst
    # A plan the docent has no part in stays hidden.
    ander = nieuw_plan(p, **formsets(doelen=[{"doel": "x"}]))
    assert docent.get(reverse("handelingsplan", args=[ander.pk])).status_code == 404
    assert reverse("handelingsplan", args=[ander.pk]) not in docent.get(
        reverse("handelingsplannen", args=[p.in_a.pk])).content.decode()


def test_dossier_page_includes_the_plan_block(p):
    plan = nieuw_plan(p)
    html = p.client(p.docent).get(reverse("leerling", args=[p.in_a.pk])).content.decode()
    assert reverse("plan_mijn_taken", args=[p.in_a.pk]) in html
    assert reverse("handelingsplan", args=[plan.pk]) in p.client(p.docent).get(
        reverse("plan_mijn_taken", args=[p.in_a.pk])).content.decode()
    # Nothing to show: empty fragment.
    assert p.client(p.docent).get(reverse("plan_mijn_taken", args=[p.in_a.pk])).status_code == 200
    andere = f.KlasplaatsingFactory(klas=p.klas_a).leerling
    # No task here, but as a docent of the pupil they may start a vakspecifiek plan.
    fragment = p.client(p.docent).get(reverse("plan_mijn_taken", args=[andere.pk])).content.decode()
    assert reverse("handelingsplan_nieuw", args=[andere.pk]) in fragment
    zonder_relatie = f.KlasplaatsingFactory(klas=p.klas_a2).leerling
    assert p.client(p.mentor).get(reverse("plan_mijn_taken", args=[zonder_relatie.pk])).status_code == 404


def test_access(p):
    plan = nieuw_plan(p)
    url = reverse("handelingsplan", args=[plan.pk])
    for user in [p.teamleider, p.zorgcoordinator, p.directie]:
        assert p.client(user).get(url).status_code == 200
    assert p.client(p.directie).get(reverse("handelingsplan_wijzigen", args=[plan.pk])).status_code == 403
    assert p.client(p.directie).get(reverse("handelingsplan_nieuw", args=[p.in_a.pk])).status_code == 403
    for user in [p.andere_mentor, p.specialist, p.ouder_user, p.extern, p.zonder_rol]:
        c = p.client(user)
        assert c.get(url).status_code == 404
        assert c.get(reverse("handelingsplan_wijzigen", args=[plan.pk])).status_code == 404
        assert c.post(reverse("handelingsplan_actie", args=[plan.pk]), {"actie": "vaststellen"}).status_code == 404
        assert c.get(reverse("handelingsplannen", args=[p.in_a.pk])).status_code == 404
        assert c.get(reverse("handelingsplan_nieuw", args=[p.in_a.pk])).status_code == 404
    # The assigned specialist writes plans for their pupil.
    nieuw_plan(p, client=p.client(p.specialist), leerling=p.toegewezen)
    assert Doel.objects.filter(handelingsplan__leerling=p.toegewezen).exists()


def test_each_read_is_logged(p):
    plan = nieuw_plan(p)
    client = p.client(p.teamleider)
    client.get(reverse("handelingsplan", args=[plan.pk]))
    client.get(reverse("handelingsplan", args=[plan.pk]))
    rijen = Inzage.objects.filter(leerling=p.in_a, onderdeel="handelingsplan", object_id=str(plan.pk))
    assert rijen.count() == 2 and rijen.first().gebruiker == p.teamleider


# --- The route matrix for tests/test_urls.py (owned by the lead): the same answers, checked here --

ALLE = ["mentor", "docent", "teamleider", "zorgcoordinator", "specialist", "directie", "beheerder", "ouder_user",
        "extern", "zonder_rol", "anoniem"]
LEZERS = ["mentor", "docent", "teamleider", "zorgcoordinator", "directie"]
OK = "ok"


def _matrix(p):
    """name -> (method, args, {persona: expected}); personas not named get 404 (anoniem: login)."""
    gp = Groepsplan.objects.create(klas=p.klas_a, periode=p.periode, auteur=p.mentor, deel="pedagogisch")
    rij = GroepsplanRij.objects.create(groepsplan=gp, rijsoort="basisgroep")
    hp = Handelingsplan.objects.create(leerling=p.in_a, auteur=p.mentor)
    Doel.objects.create(handelingsplan=hp, doel="x")
    hp.betrokkenen.create(gebruiker=p.docent, taak="t")
    lezen = dict.fromkeys(LEZERS, 200)
    gp_schrijven = {"mentor": 200, "zorgcoordinator": 200, "docent": 403, "teamleider": 403, "directie": 403}
    hp_schrijven = {"mentor": 200, "teamleider": 200, "zorgcoordinator": 200, "docent": 403, "directie": 403}
    post_gp = {**gp_schrijven, "mentor": OK, "zorgcoordinator": OK}
    post_hp = {**hp_schrijven, "mentor": OK, "teamleider": OK, "zorgcoordinator": OK}
    return {
        "groepsplannen": ("get", [p.klas_a.pk], lezen),
        "groepsplan": ("get", [gp.pk], lezen),
        "groepsplan_rij_nieuw": ("get", [gp.pk], gp_schrijven),
        "groepsplan_rij": ("get", [rij.pk], gp_schrijven),
        "groepsplan_rij_evalueren": ("get", [rij.pk], gp_schrijven),
        "groepsplan_status": ("post", [gp.pk], post_gp),
        "handelingsplannen": ("get", [p.in_a.pk], lezen),
        "plan_mijn_taken": ("get", [p.in_a.pk], lezen),
        "handelingsplan_nieuw": ("get", [p.in_a.pk], {**hp_schrijven, "docent": 200}),
        "handelingsplan": ("get", [hp.pk], lezen),
        "handelingsplan_wijzigen": ("get", [hp.pk], hp_schrijven),
        # A concept cannot be evaluated yet: writers are sent back to the plan.
        "handelingsplan_evalueren": ("get", [hp.pk], {**hp_schrijven, "mentor": OK, "teamleider": OK,
                                                      "zorgcoordinator": OK}),
        "handelingsplan_actie": ("post", [hp.pk], post_hp),
    }


def test_route_matrix(p):
    from django.test import Client

    fouten = []
    for naam, (methode, args, verwacht) in _matrix(p).items():
        url = reverse(naam, args=args)
        for persona in ALLE:
            client = Client() if persona == "anoniem" else p.client(getattr(p, persona))
            r = getattr(client, methode)(url)
            if persona == "anoniem":
                ok = r.status_code == 302 and r["Location"].startswith("/inloggen/")
            elif verwacht.get(persona, 404) == OK:
                ok = r.status_code < 500 and r.status_code not in (404, 405)
            else:
                ok = r.status_code == verwacht.get(persona, 404)
            if not ok:
                fouten.append(f"{persona} {methode.upper()} {naam}: {r.status_code}")
    assert not fouten, "\n".join(fouten)


def test_docent_stelt_vakspecifiek_plan_op_voor_eigen_vak(p):
    from zorg.models import Lesopdracht

    vak = Lesopdracht.objects.get(docent=p.docent, klas=p.klas_a).vak
    client = p.client(p.docent)
    url = reverse("handelingsplan_nieuw", args=[p.in_a.pk])
    html = client.get(url).content.decode()
    assert 'value="vakoverstijgend"' not in html  # only vakspecifiek for a docent
    data = {
        "soort": "vakspecifiek", "vak": vak.pk, "start": "2026-11-25", "evaluatiedatum": "2027-01-15",
        "onderwijsbehoeften": "Verlengde instructie bij breuken",
        "doelen-TOTAL_FORMS": "1", "doelen-INITIAL_FORMS": "0", "doelen-0-doel": "Maakt 8 van 10 breuksommen goed",
        "betrokkenen-TOTAL_FORMS": "0", "betrokkenen-INITIAL_FORMS": "0",
    }
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    from plannen.models import Handelingsplan

    plan = Handelingsplan.objects.get(auteur=p.docent)
    assert (plan.soort, plan.vak) == ("vakspecifiek", vak)
    assert client.get(reverse("handelingsplan_wijzigen", args=[plan.pk])).status_code == 200
    # ... but not a vakoverstijgend one.
    r = client.post(url, {**data, "soort": "vakoverstijgend"})
    assert r.status_code == 200 and Handelingsplan.objects.count() == 1
