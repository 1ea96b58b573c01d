"""PDF export: content via pdftotext, access (404 out of scope), inzagelog, and the bulk ZIP via a real worker."""

import io
import subprocess
import time
import zipfile

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from plannen import pdf
from plannen.models import (
    Betrokkenheid,
    Cel,
    Doel,
    Export,
    Groepsoverzicht,
    Groepsplan,
    GroepsplanRij,
    Handelingsplan,
    Kolom,
    Sjabloon,
)
from tests import factories as f
from zorg.celery import app
from zorg.models import Inzage, Periode

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden", "prive_media")


@pytest.fixture
def prive_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def tekst(inhoud: bytes) -> str:
    """The text of a PDF (pdftotext from poppler-utils), whitespace-normalised."""
    uit = subprocess.run(["pdftotext", "-layout", "-", "-"], input=inhoud, capture_output=True, check=True)
    return " ".join(uit.stdout.decode().split())


def maak_plan(p, leerling=None, doelen=3):
    plan = Handelingsplan.objects.create(
        leerling=leerling or p.in_a,
        auteur=p.mentor,
        beginsituatie="Aafke haalt onvoldoendes voor begrijpend lezen.",
        onderwijsbehoeften="Heeft behoefte aan korte instructie en leesstrategieën.",
        afspraken_ouders="Ouders lezen thuis drie keer per week samen.",
    )
    for i in range(doelen):
        Doel.objects.create(handelingsplan=plan, volgorde=i, doel=f"Leesdoel nummer {i + 1} wordt gehaald")
    Betrokkenheid.objects.create(handelingsplan=plan, gebruiker=p.docent, taak="Geeft verlengde instructie")
    return plan


def maak_overzicht(p):
    sjabloon = Sjabloon.objects.create(school=p.school, soort="vakoverstijgend", naam="Vakoverstijgend")
    open_kolom = Kolom.objects.create(sjabloon=sjabloon, volgorde=1, sleutel="aanpak", titel="Aanpak")
    geheim = Kolom.objects.create(
        sjabloon=sjabloon, volgorde=2, sleutel="thuis", titel="Thuissituatie", vertrouwelijk=True
    )
    overzicht = Groepsoverzicht.objects.create(
        klas=p.klas_a, periode=Periode.objects.get(schooljaar=p.jaar), sjabloon=sjabloon
    )
    Cel.objects.create(groepsoverzicht=overzicht, leerling=p.in_a, kolom=open_kolom, waarde="Extra leestijd")
    Cel.objects.create(groepsoverzicht=overzicht, leerling=p.in_a, kolom=geheim, waarde="Scheiding ouders")
    return overzicht


def maak_groepsplan(p):
    plan = Groepsplan.objects.create(klas=p.klas_a, periode=Periode.objects.get(schooljaar=p.jaar), auteur=p.mentor)
    rij = GroepsplanRij.objects.create(
        groepsplan=plan, naam="Leesgroep", doelen="Verhoogt het leestempo met 10 woorden per minuut",
        aanpak="Herhaald lezen",
    )
    rij.leerlingen.add(p.in_a)
    return plan


# --- Rendering ------------------------------------------------------------------------------


def test_handelingsplan_pdf_bevat_inhoud_school_en_paginanummer(personas):
    plan = maak_plan(personas)
    t = tekst(pdf.handelingsplan_pdf(personas.mentor, personas.school, plan))
    assert "Testcollege" in t
    assert personas.in_a.naam in t
    assert "Leesdoel nummer 3 wordt gehaald" in t
    assert "Ouders lezen thuis drie keer per week samen." in t
    assert "Geeft verlengde instructie" in t
    assert "1A" in t  # klas
    assert "pagina 1 van" in t
    assert "Datum en handtekening" in t and "Ouder(s)/verzorger(s)" in t


def test_groepsplan_pdf(benoemde_personas):
    # Fixed, short pupil names: a long generated name wraps in the table cell, and pdftotext then
    # interleaves it with the next column (the test failed by chance in CI).
    personas = benoemde_personas
    plan = maak_groepsplan(personas)
    t = tekst(pdf.groepsplan_pdf(personas.mentor, personas.school, plan))
    assert "Testcollege" in t and "Groepsplan 1A" in t
    assert "Leesgroep" in t and "Herhaald lezen" in t
    assert personas.in_a.naam in t
    assert "pagina 1 van 1" in t


def test_groepsoverzicht_vertrouwelijke_kolom_alleen_voor_mentor(personas):
    overzicht = maak_overzicht(personas)
    voor_mentor = tekst(pdf.groepsoverzicht_pdf(personas.mentor, personas.school, overzicht))
    voor_docent = tekst(pdf.groepsoverzicht_pdf(personas.docent, personas.school, overzicht))
    for t in (voor_mentor, voor_docent):
        assert "Testcollege" in t and "Extra leestijd" in t and "pagina 1 van" in t
    assert "Scheiding ouders" in voor_mentor and "Thuissituatie" in voor_mentor
    assert "Scheiding ouders" not in voor_docent and "Thuissituatie" not in voor_docent


def test_groepsoverzicht_herhaalt_kopregel_per_pagina(personas):
    overzicht = maak_overzicht(personas)
    for _ in range(40):
        f.KlasplaatsingFactory(klas=personas.klas_a)
    inhoud = pdf.groepsoverzicht_pdf(personas.mentor, personas.school, overzicht)
    pagina_2 = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-", "-"], input=inhoud, capture_output=True, check=True
    ).stdout.decode()
    assert "Leerling" in pagina_2 and "Aanpak" in pagina_2  # thead repeated
    assert "pagina 2 van" in " ".join(pagina_2.split())


def test_url_fetcher_weigert_alles_behalve_static():
    assert pdf.statisch_bestand(pdf.BASE_URL + "static/css/pdf.css") is not None
    assert pdf.statisch_bestand(pdf.BASE_URL + "static/fonts/DejaVuSans.ttf") is not None
    for url in [
        "https://example.com/static/css/pdf.css",
        "file:///etc/passwd",
        pdf.BASE_URL + "static/../zorg/settings.py",
        pdf.BASE_URL + "media/x.pdf",
    ]:
        assert pdf.statisch_bestand(url) is None
        with pytest.raises(ValueError):
            pdf.url_fetcher(url)


# --- Views ----------------------------------------------------------------------------------


def test_handelingsplan_pdf_view_logt_inzage(personas):
    plan = maak_plan(personas)
    response = personas.client(personas.mentor).get(reverse("handelingsplan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert 'inline; filename="handelingsplan-' in response["Content-Disposition"]
    assert "Leesdoel nummer 1" in tekst(response.content)
    log = Inzage.objects.get(gebruiker=personas.mentor, leerling=personas.in_a)
    assert log.onderdeel == "handelingsplan (PDF)" and log.object_id == str(plan.pk)


@pytest.mark.parametrize("wie", ["andere_mentor", "docent", "ouder_user", "extern", "zonder_rol"])
def test_handelingsplan_pdf_404_buiten_bereik(personas, wie):
    plan = maak_plan(personas)
    plan.betrokkenen.all().delete()  # the docent carries out no part: may not read it
    response = personas.client(getattr(personas, wie)).get(reverse("handelingsplan_pdf", args=[plan.pk]))
    assert response.status_code == 404
    assert not Inzage.objects.exists()


def test_handelingsplan_pdf_niet_voor_betrokken_docent(personas):
    """A docent who carries out a part sees that part on the plan page, never the whole plan."""
    plan = maak_plan(personas)
    response = personas.client(personas.docent).get(reverse("handelingsplan_pdf", args=[plan.pk]))
    assert response.status_code == 404


def test_handelingsplan_pdf_onbekend_plan_404(personas):
    response = personas.client(personas.zorgcoordinator).get(reverse("handelingsplan_pdf", args=[999999]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("wie", "status"),
    [("mentor", 200), ("docent", 200), ("teamleider", 200), ("zorgcoordinator", 200), ("andere_mentor", 404),
     ("ouder_user", 404), ("zonder_rol", 404)],
)
def test_groepsdocumenten_pdf_toegang(personas, wie, status):
    client = personas.client(getattr(personas, wie))
    overzicht, plan = maak_overzicht(personas), maak_groepsplan(personas)
    for url in (reverse("groepsoverzicht_pdf", args=[overzicht.pk]), reverse("groepsplan_pdf", args=[plan.pk])):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
    if status == 200:
        t = tekst(client.get(reverse("groepsoverzicht_pdf", args=[overzicht.pk])).content)
        assert ("Scheiding ouders" in t) == (wie in ("mentor", "zorgcoordinator"))


@pytest.mark.parametrize(
    ("wie", "status"),
    [("mentor", 200), ("teamleider", 200), ("zorgcoordinator", 200), ("docent", 404), ("andere_mentor", 404),
     ("specialist", 404), ("zonder_rol", 404)],
)
def test_klas_export_pagina_toegang(personas, wie, status):
    response = personas.client(getattr(personas, wie)).get(reverse("klas_export", args=[personas.klas_a.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("wie", "afdeling", "status"),
    [("teamleider", "afdeling_a", 200), ("zorgcoordinator", "afdeling_b", 200), ("teamleider", "afdeling_b", 404),
     ("mentor", "afdeling_a", 404), ("directie", "afdeling_a", 404)],
)
def test_afdeling_export_pagina_toegang(personas, wie, afdeling, status):
    url = reverse("afdeling_export", args=[getattr(personas, afdeling).pk])
    assert personas.client(getattr(personas, wie)).get(url).status_code == status


# --- Bulk export ----------------------------------------------------------------------------


def test_export_taak_direct_is_idempotent(personas):
    from plannen.tasks import exporteer_handelingsplannen

    maak_plan(personas)
    export = Export.objects.create(aangevraagd_door=personas.mentor, school=personas.school, omschrijving="1A")
    naam = exporteer_handelingsplannen(export.pk, klas_id=personas.klas_a.pk)
    assert exporteer_handelingsplannen(export.pk, klas_id=personas.klas_a.pk) == naam
    export.refresh_from_db()
    assert (export.status, export.gedaan, export.totaal) == ("klaar", 1, 1)
    assert Inzage.objects.filter(gebruiker=personas.mentor).count() == 1  # not logged twice


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_bulk_export_met_echte_worker(personas):
    plannen = [maak_plan(personas), maak_plan(personas, doelen=6)]
    tweede = f.KlasplaatsingFactory(klas=personas.klas_a).leerling
    plannen.append(maak_plan(personas, leerling=tweede))
    maak_plan(personas, leerling=personas.in_b)  # other klas: not in the ZIP
    mentor = personas.client(personas.mentor)
    url = reverse("klas_export", args=[personas.klas_a.pk])
    pagina = mentor.get(url)
    assert "3 handelingsplannen" in pagina.content.decode()

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = mentor.post(url)
        assert response.status_code == 302
        export = Export.objects.get()
        assert response["Location"] == reverse("export_status", args=[export.pk])
        status_pagina = mentor.get(response["Location"]).content.decode()
        assert reverse("export_voortgang", args=[export.pk]) in status_pagina
        for _ in range(120):
            export.refresh_from_db()
            if export.status in ("klaar", "mislukt"):
                break
            time.sleep(0.25)
    assert export.status == "klaar", export.status
    assert (export.gedaan, export.totaal) == (3, 3)

    fragment = mentor.get(reverse("export_voortgang", args=[export.pk])).content.decode()
    assert reverse("export_download", args=[export.pk]) in fragment
    assert "every 1s" not in fragment

    download = mentor.get(reverse("export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    zf = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    namen = zf.namelist()
    assert len(namen) == 3 and all(n.endswith(".pdf") for n in namen)
    assert sorted(int(n.removesuffix(".pdf").rsplit("-", 1)[1]) for n in namen) == sorted(p.pk for p in plannen)
    assert "Leesdoel nummer 6" in " ".join(tekst(zf.read(n)) for n in namen)
    assert Inzage.objects.filter(gebruiker=personas.mentor, onderdeel="handelingsplan (PDF)").count() == 3

    for wie in ("teamleider", "zorgcoordinator", "andere_mentor"):
        client = personas.client(getattr(personas, wie))
        for naam in ("export_download", "export_voortgang", "export_status"):
            assert client.get(reverse(naam, args=[export.pk])).status_code == 404


def test_voortgang_fragment_pollt_tot_klaar(personas):
    export = Export.objects.create(
        aangevraagd_door=personas.mentor, school=personas.school, omschrijving="1A", status="bezig", totaal=4, gedaan=1
    )
    fragment = personas.client(personas.mentor).get(reverse("export_voortgang", args=[export.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment and "1 van 4" in fragment
    assert reverse("export_download", args=[export.pk]) not in fragment
    assert personas.client(personas.mentor).get(reverse("export_download", args=[export.pk])).status_code == 404


def test_groepsoverzicht_vertrouwelijk_per_leerling_voor_specialist(personas):
    """A specialist reads the confidential column only for the pupils assigned to them."""
    from leerlingen.models import Betrokkene

    p = personas
    overzicht = maak_overzicht(p)
    niet_van_mij = tekst(pdf.groepsoverzicht_pdf(p.specialist, p.school, overzicht))
    assert "Scheiding ouders" not in niet_van_mij and "vertrouwelijk" in niet_van_mij
    Betrokkene.objects.create(leerling=p.in_a, gebruiker=p.specialist, rol="orthopedagoog")
    assert "Scheiding ouders" in tekst(pdf.groepsoverzicht_pdf(p.specialist, p.school, overzicht))
