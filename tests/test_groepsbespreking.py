"""Groepsbespreking (seed 002 Bijlage 15/16/17): proposals from the periode calendar, the
meeting screen (access, notes with conflict detection), item 7 (groepsplan), item 9 (aanmelding),
the verslag (order, PDF) and fixing it."""

import datetime
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from besprekingen import groepsbespreking as svc
from besprekingen.models import Aanmelding, Afspraak, Agendapunt, Bespreking
from plannen.groepsoverzicht import groepsoverzicht_voor
from plannen.models import Cel, Groepsplan, GroepsplanRij, Kolom
from tests import factories as f
from zorg.models import Notificatie, Periode


def tekst(inhoud: bytes) -> str:
    uit = subprocess.run(["pdftotext", "-layout", "-", "-"], input=inhoud, capture_output=True, check=True)
    return " ".join(uit.stdout.decode().split())


@pytest.fixture
def p(benoemde_personas):
    """Personas with two perioden: the current one ends in ten days, the next has a calendar date."""
    p = benoemde_personas
    vandaag = timezone.localdate()
    p.periode1 = Periode.objects.get(schooljaar=p.jaar, nummer=1)
    p.periode1.begin = p.jaar.begin
    p.periode1.einde = vandaag + datetime.timedelta(days=10)
    p.periode1.save()
    p.periode2 = f.PeriodeFactory(
        schooljaar=p.jaar, nummer=2, begin=vandaag + datetime.timedelta(days=11), einde=p.jaar.einde,
        groepsbespreking_op=p.jaar.einde - datetime.timedelta(days=20),
    )
    return p


def plan(p, klas=None, periode=None):
    return svc.plan_groepsbespreking(p.zorgcoordinator, p.school, klas or p.klas_a, periode or p.periode1)


def scherm(bespreking):
    return reverse("bespreking", args=[bespreking.pk])


# --- Proposals ------------------------------------------------------------------------------


def test_voorgestelde_datum_uit_kalender_of_schooldagen_voor_einde(p):
    periode = Periode(begin=datetime.date(2026, 11, 1), einde=datetime.date(2027, 1, 29))  # a Friday
    assert svc.voorgestelde_datum(periode) == datetime.date(2027, 1, 26)  # three school days earlier
    maandag = Periode(begin=datetime.date(2026, 11, 1), einde=datetime.date(2027, 2, 1))  # a Monday
    assert svc.voorgestelde_datum(maandag) == datetime.date(2027, 1, 27)  # the weekend does not count
    periode.groepsbespreking_op = datetime.date(2027, 1, 20)
    assert svc.voorgestelde_datum(periode) == datetime.date(2027, 1, 20)


def test_voorstellen_huidige_en_volgende_periode_met_datum(p):
    blokken = svc.voorstellen(p.mentor, p.school)
    assert [b.periode for b in blokken] == [p.periode1, p.periode2]
    assert blokken[1].datum == p.periode2.groepsbespreking_op
    assert blokken[0].datum == svc.voorgestelde_datum(p.periode1)
    response = p.client(p.mentor).get(reverse("groepsbesprekingen"))
    assert response.status_code == 200
    assert p.periode2.groepsbespreking_op.strftime("%Y") in response.content.decode()


@pytest.mark.parametrize("wie, klassen", [
    ("mentor", {"1A"}),
    ("teamleider", {"1A", "1B"}),
    ("zorgcoordinator", {"1A", "1B", "4H"}),
    ("andere_mentor", {"4H"}),
])
def test_wie_ziet_welke_klassen(p, wie, klassen):
    blokken = svc.voorstellen(getattr(p, wie), p.school)
    assert {v.klas.naam for v in blokken[0].voorstellen} == klassen
    response = p.client(getattr(p, wie)).get(reverse("groepsbesprekingen"))
    assert response.status_code == 200
    for naam in {"1A", "1B", "4H"} - klassen:
        assert f">{naam}<" not in response.content.decode()


@pytest.mark.parametrize("wie", ["docent", "specialist", "directie", "beheerder", "ouder_user", "extern"])
def test_voorstellen_niet_voor_wie_niet_plant(p, wie):
    assert p.client(getattr(p, wie)).get(reverse("groepsbesprekingen")).status_code == 404


def test_klas_zonder_mentor_duidelijke_melding(p):
    with pytest.raises(svc.BesprekingFout, match="heeft nog geen mentor"):
        svc.plan_groepsbespreking(p.teamleider, p.school, p.klas_a2, p.periode1)
    response = p.client(p.teamleider).get(reverse("groepsbesprekingen"))
    assert "Koppel eerst een mentor" in response.content.decode()


def test_een_plannen_met_mentor_als_voorzitter_en_docenten_als_deelnemers(p):
    response = p.client(p.mentor).post(reverse("groepsbespreking_plannen"),
                                       {"klas": p.klas_a.pk, "periode": p.periode1.pk}, follow=True)
    assert response.status_code == 200
    bespreking = Bespreking.objects.get(klas=p.klas_a, periode=p.periode1)
    assert bespreking.soort == "groepsbespreking" and bespreking.voorzitter == p.mentor
    assert bespreking.begin.date() == svc.voorgestelde_datum(p.periode1)
    assert {d.gebruiker for d in bespreking.deelnemers.all()} == {p.mentor, p.docent, p.teamleider}
    assert list(bespreking.agendapunten.values_list("nummer", flat=True)) == list(range(1, 10))
    # Not twice: the proposal now shows the planned meeting, and planning again is refused.
    response = p.client(p.mentor).post(reverse("groepsbespreking_plannen"),
                                       {"klas": p.klas_a.pk, "periode": p.periode1.pk}, follow=True)
    assert "al een groepsbespreking gepland" in response.content.decode()
    assert Bespreking.objects.filter(klas=p.klas_a, periode=p.periode1).count() == 1


def test_mentor_plant_geen_andere_klas(p):
    response = p.client(p.mentor).post(reverse("groepsbespreking_plannen"),
                                       {"klas": p.klas_b.pk, "periode": p.periode1.pk})
    assert response.status_code == 404
    assert not Bespreking.objects.exists()


def test_alle_voorgestelde_plannen_een_per_klas_en_niet_dubbel(p):
    client = p.client(p.zorgcoordinator)
    response = client.post(reverse("groepsbesprekingen_alle_plannen"), follow=True)
    assert response.status_code == 200
    # klas_a and klas_b (with a mentor) in both perioden; 1B has no mentor: a message instead.
    paren = set(Bespreking.objects.values_list("klas__naam", "periode__nummer"))
    assert paren == {("1A", 1), ("1A", 2), ("4H", 1), ("4H", 2)}
    assert "1B heeft nog geen mentor" in response.content.decode()
    client.post(reverse("groepsbesprekingen_alle_plannen"))
    assert Bespreking.objects.count() == 4


def test_klasknop_opent_of_plant(p):
    client = p.client(p.mentor)
    url = reverse("groepsbespreking_klas", args=[p.klas_a.pk])
    assert "Groepsbespreking plannen" in client.get(reverse("klas", args=[p.klas_a.pk])).content.decode()
    assert client.get(url)["Location"].endswith(f"?klas={p.klas_a.pk}")
    bespreking = plan(p)
    assert client.get(url)["Location"] == scherm(bespreking)
    assert p.client(p.docent).get(url)["Location"] == scherm(bespreking)
    assert p.client(p.andere_mentor).get(url).status_code == 404
    # Once planned, the klas page shows its date and opens it.
    klaspagina = client.get(reverse("klas", args=[p.klas_a.pk])).content.decode()
    assert "Groepsbespreking plannen" not in klaspagina and scherm(bespreking) in klaspagina


# --- The screen -----------------------------------------------------------------------------


def test_scherm_toegang(p):
    bespreking = plan(p)
    for wie in ["mentor", "docent", "teamleider", "zorgcoordinator", "directie"]:
        assert p.client(getattr(p, wie)).get(scherm(bespreking)).status_code == 200, wie
    for wie in ["andere_mentor", "ouder_user", "extern", "zonder_rol"]:
        assert p.client(getattr(p, wie)).get(scherm(bespreking)).status_code == 404, wie
    inhoud = p.client(p.docent).get(scherm(bespreking)).content.decode()
    assert "alleen lezen" in inhoud and 'name="tekst"' not in inhoud
    for _nummer, titel, _verslag in svc.GROEPSBESPREKING_PUNTEN:
        assert str(titel) in inhoud
    assert "Checklist voorbereiding" in inhoud


def test_alleen_leiders_schrijven(p):
    bespreking = plan(p)
    punt = bespreking.agendapunten.get(nummer=1)
    url = reverse("groepsbespreking_notities", args=[bespreking.pk, punt.pk])
    data = {"tekst": "Vragen", "versie": punt.gewijzigd_op.isoformat()}
    assert p.client(p.docent).post(url, data).status_code == 403
    assert p.client(p.directie).post(url, data).status_code == 403
    assert p.client(p.andere_mentor).post(url, data).status_code == 404
    for naam in ["groepsbespreking_afspraak", "groepsbespreking_groepsplan", "groepsbespreking_aanmelden",
                 "groepsbespreking_samenvatting", "groepsbespreking_vaststellen"]:
        assert p.client(p.docent).post(reverse(naam, args=[bespreking.pk]), {}).status_code == 403, naam
    punt.refresh_from_db()
    assert punt.notities == ""


def test_notities_autosave_en_conflict(p):
    bespreking = plan(p)
    punt = bespreking.agendapunten.get(nummer=3)
    url = reverse("groepsbespreking_notities", args=[bespreking.pk, punt.pk])
    geladen = punt.gewijzigd_op.isoformat()
    mentor = p.client(p.mentor)
    response = mentor.post(url, {"tekst": "Plannen van een werkstuk", "versie": geladen}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "opgeslagen" in response.content.decode()
    punt.refresh_from_db()
    assert punt.notities == "Plannen van een werkstuk" and punt.gewijzigd_door == p.mentor
    # The teamleider still has the old version open and types something else: a conflict, nothing lost.
    response = p.client(p.teamleider).post(url, {"tekst": "Huiswerkattitude", "versie": geladen},
                                           HTTP_HX_REQUEST="true")
    inhoud = response.content.decode()
    assert response.status_code == 200 and response["HX-Retarget"] == f"#notities-punt-{punt.pk}"
    assert "gewijzigd door" in inhoud and "Plannen van een werkstuk" in inhoud and "Huiswerkattitude" in inhoud
    punt.refresh_from_db()
    assert punt.notities == "Plannen van een werkstuk"
    # Saving with the version from the conflict box writes the merged text.
    response = p.client(p.teamleider).post(
        url, {"tekst": "Plannen van een werkstuk\nHuiswerkattitude", "versie": punt.gewijzigd_op.isoformat()},
        HTTP_HX_REQUEST="true")
    punt.refresh_from_db()
    assert punt.notities == "Plannen van een werkstuk\nHuiswerkattitude"
    # Without htmx a conflict shows the screen with both texts (409).
    response = mentor.post(url, {"tekst": "Iets anders", "versie": geladen})
    assert response.status_code == 409 and "Iets anders" in response.content.decode()


def test_groepsoverzicht_op_scherm_zonder_vertrouwelijke_kolom_voor_docent(p):
    bespreking = plan(p)
    leeg = p.client(p.mentor).get(scherm(bespreking)).content.decode()
    assert "Groepsoverzicht invullen" in leeg
    go = groepsoverzicht_voor(p.klas_a, p.periode1)
    vlag = go.sjabloon.kolommen.get(type=Kolom.Type.VLAG)
    geheim = go.sjabloon.kolommen.get(sleutel="bijzonderheden")
    Cel.objects.create(groepsoverzicht=go, leerling=p.in_a, kolom=vlag, waarde="S", versie=1)
    Cel.objects.create(groepsoverzicht=go, leerling=p.in_a, kolom=geheim, waarde="Scheiding ouders", versie=1)
    mentor = p.client(p.mentor).get(scherm(bespreking)).content.decode()
    assert "Scheiding ouders" in mentor and "Akkerman, Aafke" in mentor
    # The grid is on the page once: the notes fields used to print the page's "rijen" (the grid's
    # rows) as their rows attribute, 70 KB per field.
    assert mentor.count("Scheiding ouders") == 1
    assert all(rijen.isdigit() for rijen in re.findall(r'<textarea[^>]* rows="([^"]*)"', mentor))
    docent = p.client(p.docent).get(scherm(bespreking)).content.decode()
    assert "Scheiding ouders" not in docent and "Akkerman, Aafke" in docent
    # Item 4 lists the signalled pupil.
    assert [lln.pk for lln in svc.gesignaleerde_leerlingen(bespreking)] == [p.in_a.pk]


def test_punt_2_toont_evaluatie_vorig_groepsplan(p):
    bespreking = plan(p)
    vorig = Groepsplan.objects.create(klas=p.klas_a, periode=p.periode1, auteur=p.mentor, status="lopend")
    GroepsplanRij.objects.create(groepsplan=vorig, naam="Leesgroep", doel_bereikt="deels", aanpak_effectief="ja",
                                 vervolg="bijstellen", evaluatie_toelichting="Meer leestijd nodig")
    inhoud = p.client(p.docent).get(scherm(bespreking)).content.decode()
    assert "Leesgroep" in inhoud and "Meer leestijd nodig" in inhoud and "bijstellen" in inhoud


# --- Item 7 and afspraken -------------------------------------------------------------------


def test_punt_7_groepsplan_opstellen(p):
    bespreking = plan(p)
    url = reverse("groepsbespreking_groepsplan", args=[bespreking.pk])
    response = p.client(p.mentor).post(url)
    plannen = list(Groepsplan.objects.filter(klas=p.klas_a, periode=p.periode2))
    assert len(plannen) == 2  # vakoverstijgend: pedagogisch domein and basisvaardigheden
    assert response["Location"] == reverse("groepsplan", args=[plannen[0].pk])
    afspraak = Afspraak.objects.get(bespreking=bespreking, soort=Afspraak.Soort.GROEPSPLAN)
    assert afspraak.eigenaar == p.mentor and afspraak.groepsplan in plannen
    assert afspraak.agendapunt.nummer == 7
    # Again: opens the existing plan, no second plan or afspraak.
    response = p.client(p.mentor).post(url)
    assert Groepsplan.objects.filter(klas=p.klas_a, periode=p.periode2).count() == 2
    assert Afspraak.objects.filter(bespreking=bespreking, soort=Afspraak.Soort.GROEPSPLAN).count() == 1


def test_punt_7_in_laatste_periode_geeft_melding(p):
    bespreking = plan(p, periode=p.periode2)
    response = p.client(p.mentor).post(reverse("groepsbespreking_groepsplan", args=[bespreking.pk]), follow=True)
    assert "laatste periode van het schooljaar" in response.content.decode()
    assert not Groepsplan.objects.exists()


def test_afspraak_wie_doet_wat(p):
    bespreking = plan(p)
    punt = bespreking.agendapunten.get(nummer=7)
    url = reverse("groepsbespreking_afspraak", args=[bespreking.pk])
    uiterlijk = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    # An owner outside the klas's teachers is refused; the input stays.
    response = p.client(p.mentor).post(url, {"punt": punt.pk, "wat": "Leesstrategie oefenen",
                                              "eigenaar": p.andere_mentor.pk, "uiterlijk": uiterlijk})
    assert response.status_code == 422 and "Leesstrategie oefenen" in response.content.decode()
    response = p.client(p.mentor).post(url, {"punt": punt.pk, "wat": "Leesstrategie oefenen",
                                              "eigenaar": p.docent.pk, "uiterlijk": uiterlijk})
    assert response.status_code == 302
    afspraak = Afspraak.objects.get(agendapunt=punt)
    assert afspraak.eigenaar == p.docent and afspraak.bespreking == bespreking
    assert "Leesstrategie oefenen" in p.client(p.docent).get(scherm(bespreking)).content.decode()


# --- Item 9 ---------------------------------------------------------------------------------


def test_punt_9_aanmelden_izo(p):
    bespreking = plan(p)
    url = reverse("groepsbespreking_aanmelden", args=[bespreking.pk])
    response = p.client(p.mentor).post(url, {"leerling": p.in_a.pk, "begeleidingsvraag": "Hoe motiveren wij haar?"})
    inhoud = response.content.decode()
    assert response.status_code == 422
    assert "Vul de hulpvraag van de leerling in" in inhoud and "Informeer de ouders" in inhoud
    assert "Hoe motiveren wij haar?" in inhoud
    assert not Aanmelding.objects.exists()
    # A pupil of another klas cannot be chosen.
    response = p.client(p.mentor).post(url, {"leerling": p.in_b.pk, "hulpvraag": "x", "ouders_geinformeerd": "on"})
    assert response.status_code == 422 and not Aanmelding.objects.exists()
    response = p.client(p.mentor).post(url, {
        "leerling": p.in_a.pk, "hulpvraag": "Faalangst bij toetsen", "begeleidingsvraag": "Hoe motiveren wij haar?",
        "ouders_geinformeerd": "on"})
    assert response.status_code == 302
    aanmelding = Aanmelding.objects.get()
    assert aanmelding.soort == "izo" and aanmelding.leerling == p.in_a and aanmelding.aangemeld_door == p.mentor
    assert svc.aanmeldingen_van(p.mentor, p.school, bespreking) == [aanmelding]
    assert "Aafke Akkerman" in p.client(p.mentor).get(scherm(bespreking)).content.decode()
    # An aanmelding made elsewhere is not listed as coming from this meeting.
    f.KlasplaatsingFactory(klas=p.klas_a)
    assert svc.aanmeldingen_van(p.zorgcoordinator, p.school, bespreking) == [aanmelding]


# --- Verslag --------------------------------------------------------------------------------


def _vul(bespreking):
    for punt in Agendapunt.objects.filter(bespreking=bespreking):
        punt.notities = f"Notitie bij punt {punt.nummer}"
        punt.save()
    bespreking.samenvatting = "Kernteam start met leesgroep"
    bespreking.save()


def test_verslag_volgt_bijlage_16(p):
    bespreking = plan(p)
    _vul(bespreking)
    response = p.client(p.docent).get(reverse("groepsbespreking_verslag", args=[bespreking.pk]))
    assert response.status_code == 200
    inhoud = response.content.decode()
    koppen = [str(verslag) for _n, _t, verslag in svc.GROEPSBESPREKING_PUNTEN if verslag]
    koppen.append("Samenvatten van belangrijkste afspraken en besluiten")
    posities = [inhoud.index(kop) for kop in koppen]
    assert posities == sorted(posities) and len(koppen) == 9
    assert "Notitie bij punt 8" not in inhoud  # item 8 has no section in the verslag
    assert "Kernteam start met leesgroep" in inhoud
    assert "Verslag vaststellen" not in inhoud  # the docent reads only
    assert p.client(p.andere_mentor).get(reverse("groepsbespreking_verslag", args=[bespreking.pk])).status_code == 404


def test_verslag_pdf(p):
    bespreking = plan(p)
    _vul(bespreking)
    response = p.client(p.mentor).get(reverse("groepsbespreking_verslag_pdf", args=[bespreking.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tekst(response.content)
    assert "1A" in pdf and "Vragen van docenten" in pdf and "Samenvatten van belangrijkste afspraken" in pdf
    assert pdf.index("Vragen van docenten") < pdf.index("Aanmelden bij intern zorgteam") < pdf.index("Samenvatten")
    assert p.client(p.andere_mentor).get(reverse("groepsbespreking_verslag_pdf", args=[bespreking.pk])).status_code \
        == 404


def test_verslag_vaststellen(p):
    bespreking = plan(p)
    url = reverse("groepsbespreking_vaststellen", args=[bespreking.pk])
    assert p.client(p.docent).post(url).status_code == 403
    assert p.client(p.mentor).get(url).status_code == 405
    Notificatie.objects.all().delete()
    response = p.client(p.mentor).post(url)
    assert response["Location"] == reverse("groepsbespreking_verslag", args=[bespreking.pk])
    bespreking.refresh_from_db()
    assert bespreking.status == Bespreking.Status.GEHOUDEN
    assert bespreking.verslag_vastgesteld_door == p.mentor and bespreking.verslag_vastgesteld_op
    assert set(Notificatie.objects.values_list("ontvanger__username", flat=True)) == {"docent", "teamleider"}
    # Fixed: no more writing, and fixing twice says so.
    punt = bespreking.agendapunten.get(nummer=1)
    response = p.client(p.mentor).post(reverse("groepsbespreking_notities", args=[bespreking.pk, punt.pk]),
                                       {"tekst": "later", "versie": punt.gewijzigd_op.isoformat()},
                                       HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    response = p.client(p.mentor).post(url, follow=True)
    assert "al vastgesteld" in response.content.decode()


# --- In a browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.usefixtures("snelle_wachtwoorden")
def test_browser_notities_autosave_en_digibord(page, live_server, demo_school_live):
    from playwright.sync_api import expect

    from tests.test_browser import log_in
    from zorg.models import Gebruiker, Klas

    school = demo_school_live.school
    mentor = Gebruiker.objects.get(username="mentor")
    klas = Klas.objects.get(schooljaar=school.huidig_schooljaar(), mentoren=mentor)
    bespreking = Bespreking.objects.filter(klas=klas, periode=klas.schooljaar.periode_op()).exclude(
        status="geannuleerd").first()
    if bespreking is None:
        bespreking = svc.plan_groepsbespreking(mentor, school, klas, klas.schooljaar.periode_op())
    Bespreking.objects.filter(pk=bespreking.pk).update(status="gepland")
    go = groepsoverzicht_voor(klas, bespreking.periode)
    eerste = klas.leerlingen_op_naam()[0]
    Cel.objects.create(groepsoverzicht=go, leerling=eerste, kolom=go.sjabloon.kolommen.get(type=Kolom.Type.VLAG),
                       waarde="S", versie=1)

    log_in(page, live_server, "mentor")
    page.goto(f"{live_server.url}{reverse('klas', args=[klas.pk])}")
    page.get_by_role("link", name="Groepsbespreking", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Groepsbespreking {klas.naam}")
    expect(page.locator(".gb-overzicht")).to_contain_text(eerste.sorteernaam)
    expect(page.locator("#punt-4")).to_contain_text(eerste.naam)  # signalled in the groepsoverzicht
    page.screenshot(path="/tmp/zorgroute-groepsbespreking-vol.png", full_page=True)
    punt = bespreking.agendapunten.get(nummer=1)
    veld = page.locator(f"#tekst-punt-{punt.pk}")
    veld.fill("Docenten vragen naar de planning van werkstukken")
    status = page.locator(f"#notities-punt-{punt.pk} .gb-status")
    expect(status).to_have_text("✓ opgeslagen", timeout=10000)
    punt.refresh_from_db()
    assert punt.notities == "Docenten vragen naar de planning van werkstukken"
    page.get_by_role("button", name="Digibord aan").click()
    expect(page.locator("body")).to_have_class("digibord")
    page.screenshot(path="/tmp/zorgroute-groepsbespreking.png", full_page=False)
    page.reload()
    expect(veld).to_have_value("Docenten vragen naar de planning van werkstukken")
