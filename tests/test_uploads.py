"""Document uploads and downloads: type by extension and content, size, names, access, logging."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from leerlingen import dossier
from leerlingen.models import Dossieritem
from zorg.models import Inzage

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _zip(bestanden):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archief:
        for naam, inhoud in bestanden.items():
            archief.writestr(naam, inhoud)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"})
KALE_ZIP = _zip({"readme.txt": "hallo"})


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def bestanden_in(media):
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def upload(client, leerling, naam, inhoud, content_type="application/pdf", **extra):
    data = {
        "documentsoort": "onderzoeksverslag",
        "titel": "Mijn getypte titel",
        "tekst": "Mijn getypte toelichting",
        "datum": timezone.localdate().isoformat(),
        "vertrouwelijkheid": "team",
        "upload": SimpleUploadedFile(naam, inhoud, content_type=content_type),
        **extra,
    }
    return client.post(reverse("dossier_nieuw", args=[leerling.pk, "document"]), data)


@pytest.mark.parametrize("naam,inhoud", [
    ("verslag.pdf", PDF), ("foto.PNG", PNG), ("scan.jpg", JPG), ("scan.jpeg", JPG),
    ("brief.docx", DOCX), ("cijfers.xlsx", XLSX), ("rapport.odt", ODT),
])
def test_toegestane_bestanden_worden_opgeslagen_onder_willekeurige_naam(personas, media, naam, inhoud):
    response = upload(personas.client(personas.mentor), personas.in_a, naam, inhoud)
    assert response.status_code == 302
    item = Dossieritem.objects.get()
    assert item.soort == "document" and item.bestandsnaam == naam and item.bestandsgrootte == len(inhoud)
    opgeslagen = bestanden_in(media)
    assert len(opgeslagen) == 1
    assert opgeslagen[0].name != naam and opgeslagen[0].read_bytes() == inhoud
    assert opgeslagen[0].suffix == "." + naam.rsplit(".", 1)[1].lower()


FOUTE_BESTANDEN = [
    ("plaatje.gif", b"GIF89a" + b"\x00" * 10, "Dit soort bestand kan niet worden opgeslagen"),
    ("rapport.pdf.exe", b"MZ" + b"\x00" * 10, "Dit soort bestand kan niet worden opgeslagen"),
    ("rapport.pdf.exe", PDF, "Dit soort bestand kan niet worden opgeslagen"),
    ("script.html", b"<script>alert(1)</script>", "Dit soort bestand kan niet worden opgeslagen"),
    ("geen_extensie", PDF, "Dit soort bestand kan niet worden opgeslagen"),
    (".pdf", PDF, "Dit soort bestand kan niet worden opgeslagen"),
    ("nep.pdf", b"<html><script>alert(1)</script></html>", "De inhoud van het bestand past niet bij de extensie .pdf"),
    ("nep.png", JPG, "De inhoud van het bestand past niet bij de extensie .png"),
    ("nep.docx", KALE_ZIP, "De inhoud van het bestand past niet bij de extensie .docx"),
    ("nep.docx", PDF, "De inhoud van het bestand past niet bij de extensie .docx"),
    ("nep.odt", DOCX, "De inhoud van het bestand past niet bij de extensie .odt"),
    ("kapot.xlsx", b"PK\x03\x04rommel", "De inhoud van het bestand past niet bij de extensie .xlsx"),
]


@pytest.mark.parametrize("naam,inhoud,melding", FOUTE_BESTANDEN)
def test_verkeerd_type_wordt_geweigerd_zonder_iets_op_te_slaan(personas, media, naam, inhoud, melding):
    response = upload(personas.client(personas.mentor), personas.in_a, naam, inhoud, content_type="application/pdf")
    html = response.content.decode()
    assert response.status_code == 400
    assert melding in html
    assert "Mijn getypte titel" in html and "Mijn getypte toelichting" in html  # nothing typed is lost
    assert not Dossieritem.objects.exists()
    assert bestanden_in(media) == []


def test_leeg_bestand_wordt_geweigerd(personas, media):
    response = upload(personas.client(personas.mentor), personas.in_a, "leeg.pdf", b"")
    assert response.status_code == 400
    assert "Het bestand is leeg" in response.content.decode()
    assert bestanden_in(media) == []


def test_te_groot_bestand_wordt_geweigerd(personas, media):
    inhoud = PDF + b"0" * (dossier.MAX_BESTANDSGROOTTE + 1 - len(PDF))
    response = upload(personas.client(personas.mentor), personas.in_a, "groot.pdf", inhoud)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Het bestand is te groot" in html and "het maximum is 10 MB" in html
    assert "Mijn getypte toelichting" in html
    assert not Dossieritem.objects.exists()
    assert bestanden_in(media) == []


def test_precies_10_mb_mag(personas, media):
    inhoud = PDF + b"0" * (dossier.MAX_BESTANDSGROOTTE - len(PDF))
    assert upload(personas.client(personas.mentor), personas.in_a, "precies.pdf", inhoud).status_code == 302


def test_zonder_bestand_duidelijke_melding(personas):
    client = personas.client(personas.mentor)
    response = client.post(reverse("dossier_nieuw", args=[personas.in_a.pk, "document"]), {
        "documentsoort": "brief", "tekst": "Getypt", "datum": timezone.localdate().isoformat(),
        "vertrouwelijkheid": "team",
    })
    assert response.status_code == 400
    assert "Kies een bestand om te uploaden" in response.content.decode()


@pytest.mark.parametrize("naam,verwacht", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\rapport.pdf", "rapport.pdf"),
    ("rap\x07port\x1b.pdf", "rapport.pdf"),
    ("verslag\u202efdp.exe.pdf", "verslagfdp.exe.pdf"),  # right-to-left override removed
    ('  ..verslag <2024>: "def".pdf', "verslag _2024__ _def_.pdf"),
])
def test_gevaarlijke_namen_worden_opgeschoond(personas, media, naam, verwacht):
    response = upload(personas.client(personas.mentor), personas.in_a, naam, PDF)
    assert response.status_code == 302
    item = Dossieritem.objects.get()
    assert item.bestandsnaam == verwacht
    opgeslagen = bestanden_in(media)
    assert len(opgeslagen) == 1
    assert opgeslagen[0].resolve().is_relative_to(media.resolve())
    assert ".." not in item.bestand.name and verwacht not in item.bestand.name


@pytest.mark.parametrize("naam,verwacht", [
    ("a/b/c.pdf", "c.pdf"),
    ("reg\r\nel.pdf", "regel.pdf"),
    ("nul\x00teken.pdf", "nulteken.pdf"),
    ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ("...", ""),
])
def test_schoon_bestandsnaam(naam, verwacht):
    assert dossier.schoon_bestandsnaam(naam) == verwacht


def test_client_content_type_wordt_genegeerd(personas, media):
    response = upload(personas.client(personas.mentor), personas.in_a, "stiekem.pdf", b"<html>hoi</html>",
                      content_type="application/pdf")
    assert response.status_code == 400
    response = upload(personas.client(personas.mentor), personas.in_a, "echt.pdf", PDF, content_type="text/html")
    assert response.status_code == 302


def test_niets_half_opgeslagen_als_de_rij_niet_wordt_bewaard(personas, media, monkeypatch):
    def kapot(self, *args, **kwargs):
        raise IntegrityError("database weg")

    monkeypatch.setattr(Dossieritem, "save", kapot)
    with pytest.raises(IntegrityError):
        upload(personas.client(personas.mentor), personas.in_a, "verslag.pdf", PDF)
    monkeypatch.undo()
    assert not Dossieritem.objects.exists()
    assert bestanden_in(media) == []


@pytest.mark.parametrize("rol,verwacht", [
    ("mentor", 200), ("teamleider", 200), ("zorgcoordinator", 200),
    ("docent", 404), ("directie", 404), ("ouder_user", 404), ("andere_mentor", 404),
])
def test_wie_mag_uploaden(personas, rol, verwacht):
    url = reverse("dossier_nieuw", args=[personas.in_a.pk, "document"])
    assert personas.client(getattr(personas, rol)).get(url).status_code == verwacht


# --- Download -----------------------------------------------------------------------------


@pytest.fixture
def document(personas):
    upload(personas.client(personas.mentor), personas.in_a, "../Verslag juni.pdf", PDF)
    return Dossieritem.objects.get()


def test_download_met_juiste_headers_en_inzagelog(personas, document):
    p = personas
    url = reverse("dossier_document", args=[p.in_a.pk, document.pk])
    assert url in p.client(p.mentor).get(reverse("leerling", args=[p.in_a.pk])).content.decode()
    Inzage.objects.all().delete()
    response = p.client(p.teamleider).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Verslag juni.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    inzage = Inzage.objects.get()
    assert (inzage.gebruiker, inzage.onderdeel, inzage.object_id, inzage.leerling) == (
        p.teamleider, "document", str(document.pk), p.in_a
    )


@pytest.mark.parametrize("rol", ["docent", "ouder_user", "extern", "andere_mentor", "specialist", "zonder_rol"])
def test_download_buiten_bereik_is_404_en_niet_gelogd(personas, document, rol):
    Inzage.objects.all().delete()
    url = reverse("dossier_document", args=[personas.in_a.pk, document.pk])
    assert personas.client(getattr(personas, rol)).get(url).status_code == 404
    assert not Inzage.objects.filter(onderdeel="document").exists()


def test_download_van_vertrouwelijk_document_alleen_voor_zorgteam(personas, media):
    p = personas
    upload(p.client(p.zorgcoordinator), p.in_a, "onderzoek.pdf", PDF, vertrouwelijkheid="vertrouwelijk")
    item = Dossieritem.objects.get()
    url = reverse("dossier_document", args=[p.in_a.pk, item.pk])
    assert p.client(p.zorgcoordinator).get(url).status_code == 200
    assert p.client(p.mentor).get(url).status_code == 404
    assert p.client(p.teamleider).get(url).status_code == 404


def test_download_via_andere_leerling_of_ander_soort_is_404(personas, document):
    p = personas
    # The item's id under another pupil's URL (one the user may see) does not leak it.
    assert p.client(p.teamleider).get(reverse("dossier_document", args=[p.in_a2.pk, document.pk])).status_code == 404
    gesprek = Dossieritem.objects.create(leerling=p.in_a, auteur=p.mentor, soort="gesprek", tekst="x")
    assert p.client(p.mentor).get(reverse("dossier_document", args=[p.in_a.pk, gesprek.pk])).status_code == 404


def test_docent_downloadt_handelingstip_document(personas, media):
    p = personas
    upload(p.client(p.mentor), p.in_a, "tips.pdf", PDF, voor_docenten="on")
    item = Dossieritem.objects.get()
    assert item.voor_docenten
    assert p.client(p.docent).get(reverse("dossier_document", args=[p.in_a.pk, item.pk])).status_code == 200


def test_verdwenen_bestand_geeft_404(personas, document, media):
    for pad in bestanden_in(media):
        pad.unlink()
    url = reverse("dossier_document", args=[personas.in_a.pk, document.pk])
    assert personas.client(personas.mentor).get(url).status_code == 404
