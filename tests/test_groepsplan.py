"""Groepsplan: creation from the groepsoverzicht, clustering flagged pupils, the columns of
Bijlage 9/10 through the UI, the SMART hint, evaluation per row, history and access."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from plannen import plannen
from plannen.models import Cel, Groepsoverzicht, Groepsplan, GroepsplanRij, Kolom, Sjabloon
from tests import factories as f

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

KOLOMMEN = {"doelen": "8 van de 10 sommen goed eind periode 1", "inhoud": "extra oefenstof breuken",
            "aanpak": "verlengde instructie, modelen", "organisatie": "docent, di en do, 2x per week 15 min",
            "evaluatie": "docent, methodetoets, eind periode"}


@pytest.fixture
def p(personas):
    p = personas
    p.periode = p.jaar.perioden.get()
    p.s_leerling = p.in_a
    p.tweede = f.KlasplaatsingFactory(klas=p.klas_a).leerling
    p.derde = f.KlasplaatsingFactory(klas=p.klas_a).leerling
    sjabloon = Sjabloon.objects.create(school=p.school, soort="vakoverstijgend", naam="standaard")
    vlag = Kolom.objects.create(sjabloon=sjabloon, volgorde=1, sleutel="s", titel="S", type=Kolom.Type.VLAG)
    p.overzicht = Groepsoverzicht.objects.create(klas=p.klas_a, periode=p.periode, sjabloon=sjabloon)
    Cel.objects.create(groepsoverzicht=p.overzicht, leerling=p.derde, kolom=vlag, waarde="S")
    Cel.objects.create(groepsoverzicht=p.overzicht, leerling=p.tweede, kolom=vlag, waarde="")
    return p


def maak(p, client=None):
    client = client or p.client(p.mentor)
    r = client.post(reverse("groepsplannen", args=[p.klas_a.pk]),
                    {"periode": p.periode.pk, "soort": "vakoverstijgend"})
    assert r.status_code == 302, r.content.decode()[:2000]
    return Groepsplan.objects.get(pk=r.url.rstrip("/").split("/")[-1])


def test_vakoverstijgend_plan_has_two_parts_with_basisgroep_and_links_the_overzicht(p):
    plan = maak(p)
    delen = Groepsplan.objects.filter(klas=p.klas_a)
    assert {d.deel for d in delen} == {"pedagogisch", "basisvaardigheden"}
    for deel in delen:
        assert deel.groepsoverzicht == p.overzicht
        basis = deel.rijen.get()
        assert basis.rijsoort == "basisgroep" and basis.leerlingen.count() == 3
    r = p.client(p.mentor).get(reverse("groepsplan", args=[plan.pk]))
    html = r.content.decode()
    assert "pedagogisch domein" in html.lower() and "basisvaardigheden" in html.lower()
    for kop in ["leerlingen", "doelen (SMART)", "inhoud (wat)", "aanpak/methodiek (hoe)",
                "organisatie (wie, wanneer, hoe vaak)", "evaluatie (wie, hoe, wanneer)"]:
        assert kop in html


def test_vakspecifiek_convergent_and_divergent(p):
    vak = p.docent.lesopdrachten.get().vak
    client = p.client(p.docent)
    r = client.post(reverse("groepsplannen", args=[p.klas_a.pk]),
                    {"periode": p.periode.pk, "soort": "vakspecifiek", "vak": vak.pk, "differentiatie": "divergent"})
    assert r.status_code == 302
    plan = Groepsplan.objects.get(vak=vak)
    assert plan.differentiatie == "divergent" and not plan.rijen.exists()
    # The docent may not make the mentor's vakoverstijgend plan.
    r = client.post(reverse("groepsplannen", args=[p.klas_a.pk]), {"periode": p.periode.pk, "soort": "vakoverstijgend"})
    assert r.status_code == 403
    plan.delete()
    client.post(reverse("groepsplannen", args=[p.klas_a.pk]),
                {"periode": p.periode.pk, "soort": "vakspecifiek", "vak": vak.pk, "differentiatie": "convergent"})
    assert Groepsplan.objects.get(vak=vak).rijen.get().rijsoort == "basisgroep"


def test_clustering_offers_flagged_pupils_first_and_columns_round_trip(p):
    plan = maak(p)
    client = p.client(p.mentor)
    url = reverse("groepsplan_rij_nieuw", args=[plan.pk]) + "?rijsoort=subgroep"
    html = client.get(url).content.decode()
    assert f"{p.derde.naam} (S)" in html
    assert html.index(p.derde.naam) < html.index(p.tweede.naam)
    r = client.post(url, {"rijsoort": "subgroep", "naam": "rekenen verlengd", "leerlingen": [p.derde.pk, p.tweede.pk],
                          **KOLOMMEN})
    assert r.status_code == 302
    rij = plan.rijen.get(rijsoort="subgroep")
    assert set(rij.leerlingen.all()) == {p.derde, p.tweede}
    for veld, waarde in KOLOMMEN.items():
        assert getattr(rij, veld) == waarde
    html = client.get(reverse("groepsplan", args=[plan.pk])).content.decode()
    for waarde in KOLOMMEN.values():
        assert waarde in html
    assert escape(p.derde.naam) in html
    # Edit form shows the stored values again.
    html = client.get(reverse("groepsplan_rij", args=[rij.pk])).content.decode()
    assert "extra oefenstof breuken" in html and "rekenen verlengd" in html


def test_individual_row_is_for_one_pupil_and_pupils_come_from_the_klas(p):
    plan = maak(p)
    client = p.client(p.mentor)
    url = reverse("groepsplan_rij_nieuw", args=[plan.pk])
    r = client.post(url, {"rijsoort": "individueel", "leerlingen": [p.derde.pk, p.tweede.pk], **KOLOMMEN})
    assert r.status_code == 200 and "precies één leerling" in r.content.decode()
    r = client.post(url, {"rijsoort": "subgroep", "leerlingen": [p.in_b.pk], **KOLOMMEN})
    assert r.status_code == 200 and not plan.rijen.filter(rijsoort="subgroep").exists()
    r = client.post(url, {"rijsoort": "individueel", "leerlingen": [p.derde.pk], **KOLOMMEN})
    assert r.status_code == 302


def test_smart_hint_is_shown_but_does_not_block(p):
    assert plannen.smart_hint("8 van de 10 goed eind periode 2") == []
    hints = plannen.smart_hint("beter leren lezen")
    assert len(hints) == 2 and "meetbaar" in hints[0] and "wanneer" in hints[1]
    assert len(plannen.smart_hint("80% goed")) == 1
    assert len(plannen.smart_hint("beter lezen voor 1-12")) == 1
    plan = maak(p)
    client = p.client(p.mentor)
    r = client.post(reverse("groepsplan_rij_nieuw", args=[plan.pk]),
                    {"rijsoort": "subgroep", "leerlingen": [p.derde.pk], "doelen": "beter leren lezen"}, follow=True)
    html = r.content.decode()
    assert plan.rijen.filter(doelen="beter leren lezen").exists()
    assert "Maak het doel meetbaar" in html and "smart-hint" in html


def test_evaluation_per_row_and_status(p):
    plan = maak(p)
    client = p.client(p.mentor)
    rij = plan.rijen.get()
    # Not before the plan runs.
    r = client.post(reverse("groepsplan_rij_evalueren", args=[rij.pk]),
                    {"doel_bereikt": "ja", "aanpak_effectief": "deels", "vervolg": "bijstellen"})
    assert r.status_code == 200
    client.post(reverse("groepsplan_status", args=[plan.pk]), {"actie": "starten"})
    plan.refresh_from_db()
    assert plan.status == "lopend"
    r = client.post(reverse("groepsplan_status", args=[plan.pk]), {"actie": "afronden"}, follow=True)
    assert "Evalueer eerst elke rij" in r.content.decode()
    r = client.post(reverse("groepsplan_rij_evalueren", args=[rij.pk]),
                    {"doel_bereikt": "ja", "aanpak_effectief": "deels", "vervolg": "bijstellen",
                     "evaluatie_toelichting": "meer oefentijd nodig"})
    assert r.status_code == 302
    rij.refresh_from_db()
    assert (rij.doel_bereikt, rij.aanpak_effectief, rij.vervolg) == ("ja", "deels", "bijstellen")
    client.post(reverse("groepsplan_status", args=[plan.pk]), {"actie": "afronden"})
    plan.refresh_from_db()
    assert plan.status == "geevalueerd"
    html = client.get(reverse("groepsplan", args=[plan.pk])).content.decode()
    assert "meer oefentijd nodig" in html and "bijstellen" in html
    # A geëvalueerd plan no longer changes.
    r = client.post(reverse("groepsplan_rij", args=[rij.pk]), {"rijsoort": "basisgroep", "doelen": "x"})
    assert r.status_code == 200 and "niet meer worden gewijzigd" in r.content.decode()


def test_interim_changes_stay_visible_in_the_history(p):
    plan = maak(p)
    mentor = p.client(p.mentor)
    rij = plan.rijen.get()
    mentor.post(reverse("groepsplan_rij", args=[rij.pk]),
                {"rijsoort": "basisgroep", "leerlingen": [p.in_a.pk], "aanpak": "eerste aanpak"})
    zorg = p.client(p.zorgcoordinator)
    zorg.post(reverse("groepsplan_rij", args=[rij.pk]),
              {"rijsoort": "basisgroep", "leerlingen": [p.in_a.pk], "aanpak": "bijgestelde aanpak"})
    html = mentor.get(reverse("groepsplan", args=[plan.pk])).content.decode()
    assert "Wijzigingen" in html
    assert "eerste aanpak" in html and "bijgestelde aanpak" in html
    assert escape(p.zorgcoordinator.naam) in html and escape(p.mentor.naam) in html
    regels = plannen.wijzigingen_groepsplan(plan)
    assert any(r["oud"] == "eerste aanpak" and r["nieuw"] == "bijgestelde aanpak" for r in regels)


def test_access(p):
    plan = maak(p)
    rij = plan.rijen.get()
    # Readers: docent, teamleider, directie read; they may not write.
    for user in [p.docent, p.teamleider, p.directie]:
        c = p.client(user)
        assert c.get(reverse("groepsplan", args=[plan.pk])).status_code == 200
        assert c.get(reverse("groepsplan_rij", args=[rij.pk])).status_code == 403
        assert c.post(reverse("groepsplan_status", args=[plan.pk]), {"actie": "starten"}).status_code == 403
    # Out of scope: 404.
    for user in [p.andere_mentor, p.ouder_user, p.extern, p.zonder_rol]:
        c = p.client(user)
        assert c.get(reverse("groepsplan", args=[plan.pk])).status_code == 404
        assert c.get(reverse("groepsplan_rij", args=[rij.pk])).status_code == 404
        assert c.get(reverse("groepsplannen", args=[p.klas_a.pk])).status_code == 404
    assert p.client(p.mentor).get(reverse("groepsplan", args=[999999])).status_code == 404
    assert GroepsplanRij.objects.count() == 2
