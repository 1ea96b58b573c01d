"""Bulk export at scale: ZIP via a file on disk (crash leaves nothing), one font configuration per
thread (PDFs stay right), worker recycling settings reach Celery, progress wording per phase.

Speed and memory are printed by `make bench-pdf` (tests/bench_pdf.py), never asserted here.
"""

import io
import os
import subprocess
import sys
import threading
import zipfile

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from plannen import pdf
from plannen.models import Doel, Export, Handelingsplan
from plannen.tasks import exporteer_handelingsplannen
from tests import factories as f
from zorg.celery import app
from zorg.models import Inzage

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden", "prive_media")


@pytest.fixture
def prive_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def maak_plannen(p, aantal):
    leerlingen = [p.in_a] + [f.KlasplaatsingFactory(klas=p.klas_a).leerling for _ in range(2)]
    plannen = []
    for i in range(aantal):
        plan = Handelingsplan.objects.create(
            leerling=leerlingen[i % len(leerlingen)], auteur=p.mentor,
            beginsituatie=f"Beginsituatie van plan {i + 1}.", aanpak="Wekelijks gesprek met de mentor.",
        )
        Doel.objects.create(handelingsplan=plan, volgorde=0, doel=f"Doel van plan {i + 1}")
        plannen.append(plan)
    return plannen


def pdf_tekst(inhoud):
    uit = subprocess.run(["pdftotext", "-layout", "-", "-"], input=inhoud, capture_output=True, check=True)
    return " ".join(uit.stdout.decode().split())


def pdf_fonts(inhoud):
    uit = subprocess.run(["pdffonts", "-"], input=inhoud, capture_output=True, check=True)
    return uit.stdout.decode()


def bestanden_onder(pad):
    return sorted(p for p in pad.rglob("*") if p.is_file()) if pad.exists() else []


# --- the ZIP on disk ------------------------------------------------------------------------


def test_export_schrijft_zip_met_alle_plannen(personas, prive_media):
    plannen = maak_plannen(personas, 7)
    export = Export.objects.create(aangevraagd_door=personas.mentor, school=personas.school, omschrijving="1A")
    naam = exporteer_handelingsplannen(export.pk, klas_id=personas.klas_a.pk)
    export.refresh_from_db()
    assert (export.status, export.gedaan, export.totaal) == ("klaar", 7, 7)
    assert bestanden_onder(prive_media) == [prive_media / naam]
    with export.bestand.open("rb") as fh:
        zf = zipfile.ZipFile(io.BytesIO(fh.read()))
    assert zf.testzip() is None
    namen = zf.namelist()
    assert sorted(int(n.removesuffix(".pdf").rsplit("-", 1)[1]) for n in namen) == sorted(p.pk for p in plannen)
    teksten = " ".join(pdf_tekst(zf.read(n)) for n in namen)
    assert all(f"Doel van plan {i}" in teksten for i in range(1, 8))


def test_export_die_halverwege_faalt_laat_niets_achter_en_lukt_daarna(personas, prive_media, monkeypatch):
    maak_plannen(personas, 4)
    export = Export.objects.create(aangevraagd_door=personas.mentor, school=personas.school, omschrijving="1A")
    echt = pdf.handelingsplan_pdf
    gemaakt = []

    def faalt_bij_de_derde(user, school, plan):
        if len(gemaakt) == 2:
            raise RuntimeError("renderer crashed")
        gemaakt.append(plan.pk)
        return echt(user, school, plan)

    monkeypatch.setattr(pdf, "handelingsplan_pdf", faalt_bij_de_derde)
    with pytest.raises(RuntimeError):
        exporteer_handelingsplannen(export.pk, klas_id=personas.klas_a.pk)
    export.refresh_from_db()
    assert (export.status, export.gedaan, export.totaal) == ("mislukt", 2, 4)
    assert not export.bestand
    assert bestanden_onder(prive_media) == []  # no half ZIP in the storage
    assert not Inzage.objects.filter(gebruiker=personas.mentor).exists()

    monkeypatch.setattr(pdf, "handelingsplan_pdf", echt)
    naam = exporteer_handelingsplannen(export.pk, klas_id=personas.klas_a.pk)  # the retry starts over
    export.refresh_from_db()
    assert (export.status, export.gedaan, export.totaal) == ("klaar", 4, 4)
    assert bestanden_onder(prive_media) == [prive_media / naam]
    with export.bestand.open("rb") as fh:
        assert len(zipfile.ZipFile(io.BytesIO(fh.read())).namelist()) == 4
    assert Inzage.objects.filter(gebruiker=personas.mentor, onderdeel="handelingsplan (PDF)").count() == 4


# --- one font configuration per thread ------------------------------------------------------


def test_pdfs_met_hergebruikte_fontconfiguratie_blijven_gelijk(personas):
    """The reused configuration still embeds the project's own @font-face fonts (static/fonts,
    named "Zorgroute Sans" by pdf.css) in every PDF after the first."""
    plan = maak_plannen(personas, 1)[0]
    eerste = pdf.handelingsplan_pdf(personas.mentor, personas.school, plan)
    tweede = pdf.handelingsplan_pdf(personas.mentor, personas.school, plan)
    for inhoud in (eerste, tweede):
        fonts = pdf_fonts(inhoud)
        ingebed = {regel.split()[0].split("+", 1)[-1] for regel in fonts.splitlines()[2:]}
        assert {"Zorgroute-Sans", "Zorgroute-Sans-Bold"} <= ingebed, fonts
        assert "Doel van plan 1" in pdf_tekst(inhoud)
    assert pdf.font_configuration() is pdf.font_configuration()


def test_elke_thread_eigen_fontconfiguratie():
    hier = pdf.font_configuration()
    daar = []
    thread = threading.Thread(target=lambda: daar.append(pdf.font_configuration()))
    thread.start()
    thread.join()
    assert daar and daar[0] is not hier


def test_tijdelijke_fontmap_wordt_opgeruimd_bij_einde_van_een_poolproces(personas):
    """A recycled pool child exits with os._exit: the worker_process_shutdown handler must remove
    the folder WeasyPrint copied the fonts to; a later PDF in the same process still works."""
    from celery.signals import worker_process_shutdown

    plan = maak_plannen(personas, 1)[0]
    pdf.handelingsplan_pdf(personas.mentor, personas.school, plan)
    config = pdf.font_configuration()
    folder = config._folder
    assert folder is not None and folder.is_dir() and any(folder.iterdir())
    worker_process_shutdown.send(sender="test", pid=os.getpid(), exitcode=0)
    assert not folder.exists()
    assert pdf.font_configuration() is not config
    assert "Doel van plan 1" in pdf_tekst(pdf.handelingsplan_pdf(personas.mentor, personas.school, plan))


# --- worker recycling settings --------------------------------------------------------------


def test_celery_leest_recycle_instellingen():
    assert app.conf.worker_max_tasks_per_child == django_settings.CELERY_WORKER_MAX_TASKS_PER_CHILD > 0
    assert app.conf.worker_max_memory_per_child == django_settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0


def test_recycle_instellingen_uit_de_omgeving():
    code = (
        "import django; django.setup(); from zorg.celery import app; "
        "print(app.conf.worker_max_tasks_per_child, app.conf.worker_max_memory_per_child)"
    )
    env = {**os.environ, "CELERY_WORKER_MAX_TASKS_PER_CHILD": "7", "CELERY_WORKER_MAX_MEMORY_PER_CHILD": "250000",
           "DJANGO_SETTINGS_MODULE": "zorg.settings"}
    uit = subprocess.run([sys.executable, "-c", code], env=env, cwd=django_settings.BASE_DIR,
                         capture_output=True, text=True, check=True)
    assert uit.stdout.split() == ["7", "250000"]


@pytest.mark.parametrize("bestand", ["docker-compose.yml", "scripts/run.sh"])
def test_worker_draait_met_prefork_pool(bestand):
    """Recycling applies to the prefork pool only: the workers we start must use it."""
    tekst = (django_settings.BASE_DIR / bestand).read_text()
    regels = [r for r in tekst.splitlines() if not r.lstrip().startswith("#")
              and "celery -A zorg worker" in " ".join(r.replace('"', " ").replace(",", " ").split())]
    assert regels, f"no celery worker command in {bestand}"
    for regel in regels:
        assert "prefork" in regel and "solo" not in regel and "threads" not in regel, regel


# --- progress wording -----------------------------------------------------------------------


@pytest.mark.parametrize("gedaan, totaal, verwacht, niet", [
    (0, 0, "de plannen worden verzameld", "0 van 0"),
    (3, 8, "Bezig: 3 van 8", "ZIP-bestand wordt opgeslagen"),
    (8, 8, "Bezig: 8 van 8; het ZIP-bestand wordt opgeslagen", "verzameld"),
])
def test_voortgang_per_fase(personas, gedaan, totaal, verwacht, niet):
    export = Export.objects.create(aangevraagd_door=personas.mentor, school=personas.school, omschrijving="1A",
                                   status="bezig", gedaan=gedaan, totaal=totaal)
    fragment = personas.client(personas.mentor).get(reverse("export_voortgang", args=[export.pk])).content.decode()
    assert verwacht in fragment and niet not in fragment
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment
