"""Inzageverzoek (issue 9): the zorgcoördinator exports everything held about one pupil as a PDF
and a ZIP (export.json, the PDF, every uploaded file). Access, completeness (the model graph and a
populated pupil), files with their bytes, the inzagelog row, escaping, bounded queries."""

import io
import json
import subprocess
import uuid
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from besprekingen.models import Aanmelding, Afspraak, Agendapunt, Bespreking
from extern.models import ExterneToegang, Instelling, Terugkoppeling, Verwijzing
from leerlingen.models import (
    Dossieritem,
    Leerling,
    LeerlingGroupObjectPermission,
    LeerlingUserObjectPermission,
    Opschaling,
)
from ouders.models import Correctieverzoek, Uitnodiging
from plannen.models import (
    Betrokkenheid,
    Cel,
    Doel,
    Groepsoverzicht,
    Groepsplan,
    GroepsplanRij,
    Handelingsplan,
    Kolom,
    Observatie,
    Sjabloon,
)
from tests import factories as f
from zorg import inzageverzoek
from zorg.models import Herinnering, Inzage, Notificatie, Periode

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden", "prive_media")

VIJANDIG = '<script>alert("x")</script> <b>vet</b> & \'quote\''
BESTAND_BYTES = b"%PDF-1.4 onderzoeksverslag \x00\x01\x02 einde"
TOESTEMMING_BYTES = b"getekend formulier \xff\xfe"


@pytest.fixture
def prive_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def urls(leerling):
    basis = f"/leerlingen/{leerling.pk}/inzageverzoek/"
    return [basis, basis + "pdf/", basis + "zip/"]


def pdf_tekst(inhoud):
    uit = subprocess.run(["pdftotext", "-layout", "-", "-"], input=inhoud, capture_output=True, check=True)
    return " ".join(uit.stdout.decode().split())


def zip_van(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def vul(p, leerling, n=1):
    """Give `leerling` n records of every kind the export covers; returns {section: [pks]}."""
    verwacht = {s.sleutel: [] for s in inzageverzoek.SECTIES}
    verwacht["leerling"].append(leerling.pk)
    account = leerling.gebruiker or f.GebruikerFactory(username=f"leerling{leerling.pk}")
    leerling.gebruiker = account
    leerling.case_manager = p.specialist
    leerling.save()
    verwacht["account"].append(account.pk)
    verwacht["klasplaatsingen"] += list(leerling.plaatsingen.values_list("pk", flat=True))
    verwacht["ouderrelaties"] += list(leerling.ouderrelaties.values_list("pk", flat=True))
    verwacht["ouders"] += list(leerling.ouders.values_list("pk", flat=True))
    verwacht["betrokkenen"].append(f.BetrokkeneFactory(leerling=leerling, gebruiker=p.specialist).pk)
    perm = Permission.objects.get(codename="inzien_leerling")
    verwacht["gedeeld_met"].append(LeerlingUserObjectPermission.objects.get_or_create(
        user=p.andere_mentor, permission=perm, content_object=leerling)[0].pk)
    groep = Group.objects.get_or_create(name=f"rt-{leerling.pk}")[0]
    verwacht["gedeeld_met_groepen"].append(LeerlingGroupObjectPermission.objects.get_or_create(
        group=groep, permission=perm, content_object=leerling)[0].pk)
    instelling = Instelling.objects.get_or_create(school=p.school, naam="Jeugdteam Oost")[0]
    contact = p.extern.contactpersoon
    contact.instelling = instelling
    contact.save()
    sjabloon = Sjabloon.objects.get_or_create(school=p.school, soort="vakoverstijgend", naam="Vakoverstijgend")[0]
    periode = Periode.objects.get(schooljaar=p.jaar, nummer=1)
    overzicht = Groepsoverzicht.objects.get_or_create(klas=p.klas_a, periode=periode, sjabloon=sjabloon)[0]
    groepsplan = Groepsplan.objects.create(klas=p.klas_a, periode=periode, auteur=p.mentor)
    for i in range(n):
        item = Dossieritem.objects.create(leerling=leerling, soort="gesprek", auteur=p.mentor, titel=f"Gesprek {i}",
                                          tekst=VIJANDIG, vertrouwelijkheid="vertrouwelijk")
        doc = Dossieritem(leerling=leerling, soort="document", auteur=p.zorgcoordinator, titel=f"Verslag {i}",
                          bestandsnaam=f"onderzoek {i}.pdf")
        doc.bestand.save(f"onderzoek{i}.pdf", ContentFile(BESTAND_BYTES + bytes([i])), save=True)
        verwacht["dossieritems"] += [item.pk, doc.pk]
        toestemming = f.ToestemmingFactory(leerling=leerling, doel="verwijzing", instelling=instelling, ouder=p.ouder)
        toestemming.bestand.save("papier.pdf", ContentFile(TOESTEMMING_BYTES), save=True)
        verwacht["toestemmingen"].append(toestemming.pk)
        opschaling = Opschaling.objects.create(leerling=leerling, naar_niveau=p.niveau1, hulpvraag="Hulp",
                                               aangevraagd_door=p.mentor, toestemming=toestemming)
        verwacht["opschalingen"].append(opschaling.pk)
        plan = Handelingsplan.objects.create(leerling=leerling, auteur=p.mentor, beginsituatie=VIJANDIG,
                                             ouders_akkoord="niet_akkoord", ouders_reactie_toelichting="Te zwaar",
                                             ouders_reactie_door=p.ouder)
        verwacht["handelingsplannen"].append(plan.pk)
        verwacht["doelen"].append(Doel.objects.create(handelingsplan=plan, doel=f"Doel {i}").pk)
        verwacht["planbetrokkenen"].append(
            Betrokkenheid.objects.create(handelingsplan=plan, gebruiker=p.docent, taak="Instructie").pk)
        rij = GroepsplanRij.objects.create(groepsplan=groepsplan, naam=f"Subgroep {i}", doelen="Lezen")
        rij.leerlingen.add(leerling, p.in_a2)
        verwacht["groepsplanrijen"].append(rij.pk)
        kolom = Kolom.objects.create(sjabloon=sjabloon, volgorde=i, sleutel=f"k{leerling.pk}-{Kolom.objects.count()}",
                                     titel=f"Kolom {i}", vertrouwelijk=True)
        verwacht["groepsoverzicht"].append(
            Cel.objects.create(groepsoverzicht=overzicht, leerling=leerling, kolom=kolom, waarde="Dyslexie").pk)
        verwacht["observaties"].append(Observatie.objects.create(
            groepsoverzicht=overzicht, leerling=leerling, auteur=p.docent, tekst="Concentratie").pk)
        bespreking = Bespreking.objects.create(school=p.school, soort="izo", begin=timezone.now(),
                                               voorzitter=p.zorgcoordinator)
        aanmelding = Aanmelding.objects.create(school=p.school, leerling=leerling, hulpvraag="Hulp",
                                               aangemeld_door=p.mentor)
        verwacht["aanmeldingen"].append(aanmelding.pk)
        punt = Agendapunt.objects.create(bespreking=bespreking, leerling=leerling, aanmelding=aanmelding,
                                         anoniem=True, notities="Besproken")
        verwacht["agendapunten"].append(punt.pk)
        # Only through the agenda item (no leerling on the afspraak itself).
        verwacht["afspraken"].append(Afspraak.objects.create(
            school=p.school, bespreking=bespreking, agendapunt=punt, wat="Bellen", eigenaar=p.mentor,
            uiterlijk=timezone.localdate()).pk)
        verwijzing = Verwijzing.objects.create(school=p.school, leerling=leerling, instelling=instelling,
                                               contactpersoon=contact, reden="Zorgen", toestemming=toestemming)
        verwacht["verwijzingen"].append(verwijzing.pk)
        verwacht["terugkoppelingen"].append(Terugkoppeling.objects.create(
            verwijzing=verwijzing, tekst="Gestart", auteur=p.extern, door_partner=True).pk)
        verwacht["externe_toegang"].append(ExterneToegang.objects.create(
            verwijzing=verwijzing, contactpersoon=contact, tot=timezone.localdate()).pk)
        verwacht["correctieverzoeken"].append(Correctieverzoek.objects.create(
            leerling=leerling, ingediend_door=p.ouder_user, onderwerp="gegevens", tekst="Klopt niet").pk)
        verwacht["uitnodigingen"].append(Uitnodiging.objects.create(
            ouder=p.ouder, school=p.school, soort="email", code_hash=f"geheimehash{uuid.uuid4().hex[:40]}",
            verloopt_op=timezone.now()).pk)
        melding = Notificatie.objects.create(ontvanger=p.mentor, tekst="Nieuwe aanmelding", leerling=leerling)
        verwacht["notificaties"].append(melding.pk)
        verwacht["herinneringen"].append(Herinnering.objects.create(
            regel="test", stap="voor", object_soort="aanmelding", object_id=aanmelding.pk,
            vervaldatum=timezone.localdate(), ontvanger=p.mentor, school=p.school, notificatie=melding).pk)
        verwacht["inzagelog"].append(Inzage.objects.create(
            gebruiker=p.mentor, gebruiker_naam=p.mentor.naam, rol="mentor", leerling=leerling, onderdeel="dossier").pk)
    return verwacht


# --- Access ---------------------------------------------------------------------------------


def test_only_the_zorgcoordinator_of_the_school(personas):
    p = personas
    zc = p.client(p.zorgcoordinator)
    for url in urls(p.in_a):
        assert zc.get(url).status_code == 200, url
    for user in (p.mentor, p.docent, p.teamleider, p.specialist, p.directie, p.andere_mentor, p.beheerder,
                 p.ouder_user, p.extern, p.zonder_rol):
        client = p.client(user)
        for url in urls(p.in_a):
            assert client.get(url).status_code == 404, (user, url)
    for url in urls(p.elders):
        assert zc.get(url).status_code == 404, url
    assert zc.get("/leerlingen/999999/inzageverzoek/").status_code == 404
    assert zc.post(urls(p.in_a)[0]).status_code == 405


def test_other_schools_zorgcoordinator_gets_404(personas):
    p = personas
    from zorg.models import Functie, Schooljaar

    ander = f.GebruikerFactory(username="zc_elders")
    f.FunctieFactory(gebruiker=ander, schooljaar=Schooljaar.objects.get(school=p.andere_school),
                     soort=Functie.Soort.ZORGCOORDINATOR)
    client = p.client(ander)
    assert client.get(urls(p.elders)[0]).status_code == 200
    for url in urls(p.in_a):
        assert client.get(url).status_code == 404


def test_former_pupil_can_be_exported(personas):
    """A request may come after the pupil left: no klas this schooljaar, still the school's pupil."""
    p = personas
    oud = f.LeerlingFactory(school=p.school, uitstroomdatum=timezone.localdate())
    assert p.client(p.zorgcoordinator).get(urls(oud)[0]).status_code == 200


def test_link_on_the_dossier_for_the_zorgcoordinator_only(personas):
    p = personas
    assert urls(p.in_a)[0] in p.client(p.zorgcoordinator).get(f"/leerlingen/{p.in_a.pk}/").content.decode()
    assert urls(p.in_a)[0] not in p.client(p.mentor).get(f"/leerlingen/{p.in_a.pk}/").content.decode()


def test_page_explains_the_term_and_counts(personas):
    p = personas
    vul(p, p.in_a)
    html = p.client(p.zorgcoordinator).get(urls(p.in_a)[0]).content.decode()
    assert "4 weken" in html and "AVG artikel 15" in html
    assert urls(p.in_a)[1] in html and urls(p.in_a)[2] in html
    assert not Inzage.objects.filter(leerling=p.in_a, onderdeel__startswith="inzageverzoek").exists()


# --- Completeness ---------------------------------------------------------------------------


def gekoppeld_aan_leerling():
    """Every model with a ForeignKey/OneToOne/ManyToMany path to Leerling, directly or through
    other such models (Handelingsplan → Doel, Verwijzing → Terugkoppeling, ...)."""
    gekoppeld = {Leerling}
    gewijzigd = True
    while gewijzigd:
        gewijzigd = False
        for model in apps.get_models(include_auto_created=True):
            if model in gekoppeld:
                continue
            for veld in model._meta.get_fields():
                if veld.concrete and veld.is_relation and veld.related_model in gekoppeld or (
                        veld.many_to_many and not veld.auto_created and veld.related_model in gekoppeld):
                    gekoppeld.add(model)
                    gewijzigd = True
                    break
    return {m._meta.label_lower for m in gekoppeld}


def test_every_model_about_a_pupil_is_in_the_export():
    """A new model that points at a pupil (or at a pupil's plan, referral, ...) must get a section in
    zorg/inzageverzoek.py SECTIES, or a reasoned entry in UITGESLOTEN."""
    gekoppeld = gekoppeld_aan_leerling()
    # Sanity: the walk finds the indirect ones.
    assert {"plannen.doel", "extern.terugkoppeling", "extern.externetoegang", "zorg.herinnering"} <= gekoppeld
    ontbreekt = gekoppeld - inzageverzoek.gedekte_modellen() - set(inzageverzoek.UITGESLOTEN)
    assert not ontbreekt, f"Niet in de inzageverzoek-export: {sorted(ontbreekt)}"


def test_populated_pupil_every_record_in_the_json(personas):
    p = personas
    verwacht = vul(p, p.in_a, n=2)
    anders = vul(p, p.in_b, n=1)  # another pupil's records must stay out
    response = p.client(p.zorgcoordinator).get(urls(p.in_a)[2])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(zip_van(response).read("export.json"))
    assert data["version"] == 1 and data["pupil"]["id"] == p.in_a.pk and data["school"]["id"] == p.school.pk
    assert data["generated_by"]["name"] == p.zorgcoordinator.naam
    for sleutel, pks in verwacht.items():
        gevonden = {r["id"] for r in data["sections"][sleutel]["records"]}
        assert pks, sleutel
        assert set(pks) <= gevonden, sleutel
        vreemd = set(anders[sleutel]) - set(pks)
        if sleutel not in ("ouders", "uitnodigingen"):  # shared parent of both pupils
            assert not (vreemd & gevonden), sleutel
    # Confidential entries, anonymous items and the parents' reaction are there.
    items = data["sections"]["dossieritems"]["records"]
    assert any(r["vertrouwelijkheid"] == "vertrouwelijk" and r["tekst"] == VIJANDIG for r in items)
    plan = data["sections"]["handelingsplannen"]["records"][0]
    assert plan["ouders_akkoord"] == "niet_akkoord" and plan["ouders_reactie_toelichting"] == "Te zwaar"
    assert plan["ouders_reactie_door"] == {"id": p.ouder.pk, "label": p.ouder.naam}
    assert data["sections"]["ouderrelaties"]["records"][0]["gezag"] is True
    assert data["sections"]["leerling"]["records"][0]["case_manager"]["label"] == p.specialist.naam
    # Dates are ISO; the other pupil in the same subgroup is not named.
    assert data["sections"]["dossieritems"]["records"][0]["datum"] == timezone.localdate().isoformat()
    assert "leerlingen" not in data["sections"]["groepsplanrijen"]["records"][0]
    # The change history names who made the records.
    historie = data["sections"]["historie"]["records"]
    assert {"leerlingen.dossieritem", "plannen.handelingsplan", "extern.toestemming"} <= {r["model"] for r in historie}
    assert all(r["type"] in "+~-" for r in historie)


def test_secrets_are_not_exported(personas):
    p = personas
    vul(p, p.in_a)
    account = Leerling.objects.get(pk=p.in_a.pk).gebruiker
    account.set_password("Geheim-wachtwoord-123")
    account.save()
    response = p.client(p.zorgcoordinator).get(urls(p.in_a)[2])
    tekst = zip_van(response).read("export.json").decode()
    assert account.password not in tekst
    assert account.sessiesleutel not in tekst
    assert "geheimehash" not in tekst and "code_hash" not in tekst and '"password"' not in tekst
    assert "username" in json.loads(tekst)["sections"]["account"]["fields"]


def test_deleted_records_stay_in_the_history(personas):
    p = personas
    item = Dossieritem.objects.create(leerling=p.in_a, soort="gesprek", auteur=p.mentor, titel="Weggehaald")
    item.titel = "Gewijzigd"
    item.save()
    pk = item.pk
    item.delete()
    export = inzageverzoek.verzamel(p.in_a, p.zorgcoordinator, p.school)
    rijen = [r for r in export.data["sections"]["historie"]["records"]
             if r["model"] == "leerlingen.dossieritem" and r["object_id"] == pk]
    assert [r["type"] for r in rijen] == ["+", "~", "-"]
    assert {"field": "titel", "label": "titel", "old": "Weggehaald", "new": "Gewijzigd"} in rijen[1]["changes"]


# --- Files, log, PDF ------------------------------------------------------------------------


def test_zip_holds_every_file_with_its_bytes_and_the_pdf(personas):
    p = personas
    vul(p, p.in_a, n=2)
    zf = zip_van(p.client(p.zorgcoordinator).get(urls(p.in_a)[2]))
    data = json.loads(zf.read("export.json"))
    namen = set(zf.namelist())
    assert len(data["files"]) == 4  # two documents, two signed consent forms
    for bestand in data["files"]:
        assert bestand["path"] in namen
    for record in data["sections"]["dossieritems"]["records"]:
        if record["bestand"]:
            i = int(record["titel"].split()[-1])
            assert zf.read(record["bestand"]) == BESTAND_BYTES + bytes([i])
    for record in data["sections"]["toestemmingen"]["records"]:
        assert zf.read(record["bestand"]) == TOESTEMMING_BYTES
    pdfs = [n for n in namen if n.endswith(".pdf") and not n.startswith("bestanden/")]
    assert len(pdfs) == 1 and zf.read(pdfs[0]).startswith(b"%PDF")
    assert data["missing_files"] == []


def test_missing_file_is_reported_not_fatal(personas):
    p = personas
    vul(p, p.in_a)
    doc = Dossieritem.objects.filter(leerling=p.in_a, soort="document").first()
    doc.bestand.storage.delete(doc.bestand.name)
    response = p.client(p.zorgcoordinator).get(urls(p.in_a)[2])
    assert response.status_code == 200
    data = json.loads(zip_van(response).read("export.json"))
    assert data["missing_files"] == [{"section": "dossieritems", "record_id": doc.pk, "name": doc.bestandsnaam}]


def test_each_download_is_logged(personas):
    p = personas
    client = p.client(p.zorgcoordinator)
    client.get(urls(p.in_a)[1])
    client.get(urls(p.in_a)[2])
    rijen = Inzage.objects.filter(leerling=p.in_a, gebruiker=p.zorgcoordinator).order_by("pk")
    assert [r.onderdeel for r in rijen] == ["inzageverzoek (PDF)", "inzageverzoek (ZIP)"]
    assert all(r.rol == "zorgcoördinator" for r in rijen)
    # It shows in the pupil's inzagelog page.
    assert "Inzageverzoek (ZIP)" in client.get(f"/extern/inzagelog/leerlingen/{p.in_a.pk}/").content.decode()
    # Refused requests write nothing.
    p.client(p.mentor).get(urls(p.in_a)[1])
    assert Inzage.objects.filter(leerling=p.in_a, onderdeel__startswith="inzageverzoek").count() == 2


def test_pdf_shows_user_text_literally(personas):
    p = personas
    vul(p, p.in_a)
    response = p.client(p.zorgcoordinator).get(urls(p.in_a)[1])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    tekst = pdf_tekst(response.content)
    assert '<script>alert("x")</script> <b>vet</b> & \'quote\'' in tekst
    for kop in ("Dossier (alle items, ook vertrouwelijke)", "Handelingsplannen", "Toestemmingen", "Inzagelog",
                "Wijzigingshistorie", "Gemaakt door", p.zorgcoordinator.naam, "pagina 1 van"):
        assert kop in tekst, kop


def test_pdf_html_is_escaped(personas):
    p = personas
    vul(p, p.in_a)
    from django.template.loader import render_to_string

    export = inzageverzoek.verzamel(p.in_a, p.zorgcoordinator, p.school)
    html = render_to_string("zorg/pdf/inzageverzoek.html",
                            {"school": p.school, "static_url": "/static/", **inzageverzoek.pdf_context(export)})
    assert "<script>alert" not in html and "<b>vet</b>" not in html
    assert "&lt;script&gt;alert" in html


def test_queries_do_not_grow_with_records(personas):
    p = personas
    vul(p, p.in_a, n=1)
    with CaptureQueriesContext(connection) as weinig:
        inzageverzoek.verzamel(p.in_a, p.zorgcoordinator, p.school)
    vul(p, p.in_a, n=4)
    with CaptureQueriesContext(connection) as veel:
        export = inzageverzoek.verzamel(p.in_a, p.zorgcoordinator, p.school)
    assert len(export.data["sections"]["dossieritems"]["records"]) == 10
    assert len(veel.captured_queries) == len(weinig.captured_queries)
