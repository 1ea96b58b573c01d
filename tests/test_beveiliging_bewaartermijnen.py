"""Bewaartermijnen (retention): a pupil who left long ago loses everything (history rows, inzagelog
and files included) and leaves only nameless tombstones; pupils within the term, enrolled pupils and
pupils under a legal hold keep everything; the dry run changes nothing; the beheer pages and the
legal hold are for the right people only."""

import datetime
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from guardian.shortcuts import assign_perm

from besprekingen.models import Aanmelding, Afspraak, Agendapunt, Bespreking
from extern.models import ExterneToegang, Instelling, Terugkoppeling, Toestemming, Verwijzing
from leerlingen.models import (
    Betrokkene,
    Dossieritem,
    Klasplaatsing,
    Leerling,
    LeerlingUserObjectPermission,
    Opschaling,
    Ouder,
    OuderRelatie,
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
from zorg import bewaartermijnen, tasks
from zorg.models import Bewaarronde, Gebruiker, Herinnering, Inzage, Notificatie, Verwijdering

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

VANDAAG = timezone.localdate()
LANG_GELEDEN = VANDAAG - datetime.timedelta(days=365 * 7)

HISTORIE_MODELLEN = [
    Dossieritem, Opschaling, Handelingsplan, Doel, Betrokkenheid, Aanmelding, Agendapunt, Afspraak, Cel, Observatie,
    Toestemming, Verwijzing, Terugkoppeling, ExterneToegang, Klasplaatsing, OuderRelatie, Betrokkene, Ouder,
    Correctieverzoek, Leerling,
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def vul_dossier(p, leerling, naam="Zwaantje"):
    """Records in every category about one pupil: returns {model: [ids]} and the stored file names."""
    leerling.voornaam, leerling.achternaam = naam, "Vergeetmeniet"
    leerling.save()
    ids = {}

    def bewaar(obj):
        ids.setdefault(type(obj), []).append(obj.pk)
        return obj

    account = f.GebruikerFactory(username=f"ll-{leerling.pk}")
    leerling.gebruiker = account
    leerling.save()
    bewaar(Klasplaatsing.objects.get_or_create(leerling=leerling, klas=p.klas_a)[0])
    ouder = bewaar(f.OuderFactory(achternaam="Vergeetmeniet"))
    bewaar(f.OuderRelatieFactory(ouder=ouder, leerling=leerling))
    bewaar(f.BetrokkeneFactory(leerling=leerling, gebruiker=p.specialist))
    assign_perm("leerlingen.inzien_leerling", p.directie, leerling)
    item = bewaar(f.DossieritemFactory(leerling=leerling, auteur=p.mentor, soort="document",
                                       bestand=SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 geheim")))
    item.titel = "Gewijzigd"
    item.save()  # a second history row
    weg = f.DossieritemFactory(leerling=leerling, auteur=p.mentor)
    ids.setdefault(Dossieritem, []).append(weg.pk)
    weg.delete()  # deleted earlier: only its history rows are left
    consent = bewaar(f.ToestemmingFactory(leerling=leerling, ouder=ouder,
                                          bestand=SimpleUploadedFile("formulier.pdf", b"%PDF-1.4 handtekening")))
    bewaar(Opschaling.objects.create(leerling=leerling, naar_niveau=p.niveau1, hulpvraag="Hulp",
                                     aangevraagd_door=p.mentor, toestemming=consent))
    plan = bewaar(Handelingsplan.objects.create(leerling=leerling, auteur=p.mentor, beginsituatie="Moeilijk"))
    bewaar(Doel.objects.create(handelingsplan=plan, doel="Lezen"))
    bewaar(Betrokkenheid.objects.create(handelingsplan=plan, gebruiker=p.docent, taak="Voorlezen"))
    bespreking = Bespreking.objects.create(school=p.school, soort="izo", begin=timezone.now(),
                                           voorzitter=p.zorgcoordinator)
    aanmelding = bewaar(Aanmelding.objects.create(school=p.school, leerling=leerling, hulpvraag="Hulp",
                                                  aangemeld_door=p.mentor))
    punt = bewaar(Agendapunt.objects.create(bespreking=bespreking, leerling=leerling, aanmelding=aanmelding,
                                            notities="Besproken"))
    bewaar(Afspraak.objects.create(school=p.school, bespreking=bespreking, agendapunt=punt, leerling=leerling,
                                   wat="Bellen", eigenaar=p.mentor, uiterlijk=VANDAAG))
    sjabloon = Sjabloon.objects.get_or_create(school=p.school, soort="vakoverstijgend", naam="Standaard")[0]
    kolom = Kolom.objects.get_or_create(sjabloon=sjabloon, volgorde=1, sleutel="aandacht", titel="Aandacht")[0]
    periode = p.jaar.perioden.first()
    overzicht = Groepsoverzicht.objects.get_or_create(klas=p.klas_a, periode=periode, sjabloon=sjabloon)[0]
    bewaar(Cel.objects.create(groepsoverzicht=overzicht, leerling=leerling, kolom=kolom, waarde="S"))
    Cel.objects.get_or_create(groepsoverzicht=overzicht, leerling=p.in_a, kolom=kolom, waarde="klasgenoot")
    bewaar(Observatie.objects.create(groepsoverzicht=overzicht, leerling=leerling, auteur=p.docent, tekst="Stil"))
    groepsplan = Groepsplan.objects.create(klas=p.klas_a, periode=periode, auteur=p.mentor)
    subgroep = GroepsplanRij.objects.create(groepsplan=groepsplan, rijsoort="subgroep", naam="Lezen")
    subgroep.leerlingen.add(leerling, p.in_a)
    individueel = bewaar(GroepsplanRij.objects.create(groepsplan=groepsplan, rijsoort="individueel", naam="Alleen"))
    individueel.leerlingen.add(leerling)
    notificatie = bewaar(Notificatie.objects.create(ontvanger=p.mentor, tekst="Evaluatie", leerling=leerling))
    bewaar(Herinnering.objects.create(regel="evaluatie_handelingsplan", stap="vooraf", object_soort="handelingsplan",
                                      object_id=plan.pk, vervaldatum=VANDAAG, ontvanger=p.mentor, school=p.school,
                                      notificatie=notificatie))
    instelling = Instelling.objects.create(school=p.school, naam="Jeugdteam")
    verwijzing = bewaar(Verwijzing.objects.create(school=p.school, leerling=leerling, instelling=instelling,
                                                  reden="Zorgen", toestemming=consent, agendapunt=punt))
    bewaar(Terugkoppeling.objects.create(verwijzing=verwijzing, tekst="Gestart", auteur=p.zorgcoordinator))
    bewaar(ExterneToegang.objects.create(verwijzing=verwijzing, contactpersoon=p.extern.contactpersoon, tot=VANDAAG))
    bewaar(Herinnering.objects.create(regel="verwijzing_terugkoppeling", stap="vooraf", object_soort="verwijzing",
                                      object_id=verwijzing.pk, vervaldatum=VANDAAG, ontvanger=p.zorgcoordinator,
                                      school=p.school))
    bewaar(Correctieverzoek.objects.create(leerling=leerling, ingediend_door=ouder.gebruiker, onderwerp="anders",
                                           tekst="Klopt niet"))
    bewaar(Uitnodiging.objects.create(ouder=ouder, school=p.school, soort="email", code_hash=f"h{leerling.pk}",
                                      verloopt_op=timezone.now()))
    for _i in range(3):
        bewaar(f.InzageFactory(leerling=leerling, gebruiker=p.mentor))
    bewaar(f.InzageFactory(leerling=leerling, gebruiker=p.extern, onderdeel="verwijzing", object_id=str(verwijzing.pk)))
    bewaar(leerling)
    return ids, [item.bestand.name, consent.bestand.name], account, ouder.gebruiker


@pytest.fixture
def vertrokken(personas, media):
    """A pupil who left seven years ago, with records in every category."""
    p = personas
    p.weg = f.LeerlingFactory(school=p.school, uitstroomdatum=LANG_GELEDEN)
    p.weg_ids, p.weg_bestanden, p.weg_account, p.weg_ouderaccount = vul_dossier(p, p.weg)
    return p


def _nog_aanwezig(ids):
    """Every live row or history row that still exists of the given {model: ids}."""
    rest = []
    for model, pks in ids.items():
        if model.objects.filter(pk__in=pks).exists():
            rest.append(model.__name__)
        if model in HISTORIE_MODELLEN and model.history.model.objects.filter(id__in=pks).exists():
            rest.append(f"Historical{model.__name__}")
    return rest


def test_real_run_removes_everything_with_history_files_and_tombstones(vertrokken, media,
                                                                       django_capture_on_commit_callbacks):
    p = vertrokken
    for naam in p.weg_bestanden:
        assert (media / naam).exists()
    assert _nog_aanwezig(p.weg_ids)  # the test can fail: there is something to remove
    p.school.bewaartermijnen_actief = True
    p.school.save()
    with django_capture_on_commit_callbacks(execute=True):
        ronde = bewaartermijnen.ronde(p.school)
    assert ronde.proef is False and ronde.rapport["fouten"] == 0
    assert _nog_aanwezig(p.weg_ids) == []
    for naam in p.weg_bestanden:
        assert not (media / naam).exists()
    assert not Gebruiker.objects.filter(pk__in=[p.weg_account.pk, p.weg_ouderaccount.pk]).exists()
    assert not LeerlingUserObjectPermission.objects.filter(content_object_id=p.weg.pk).exists()
    assert not GroepsplanRij.leerlingen.through.objects.filter(leerling_id=p.weg.pk).exists()
    from django.apps import apps
    assert not apps.get_model("plannen", "HistoricalGroepsplanRij_leerlingen").objects.filter(
        leerling_id=p.weg.pk).exists()
    # The klas's plan, overview and meeting stay, with the classmate's data.
    rij = GroepsplanRij.objects.get(naam="Lezen", groepsplan__klas=p.klas_a)
    assert list(rij.leerlingen.all()) == [p.in_a]
    assert Cel.objects.filter(leerling=p.in_a).exists()
    assert Bespreking.objects.exists()
    # Tombstones: one per category, with the keyed hash and no name.
    stenen = Verwijdering.objects.filter(school=p.school)
    assert set(stenen.values_list("categorie", flat=True)) == {"zorgdossier", "extern", "inzagelog", "leerling"}
    assert set(stenen.values_list("leerling_sleutel", flat=True)) == {bewaartermijnen.leerling_sleutel(p.weg.pk)}
    dump = json.dumps(list(stenen.values()), default=str)
    assert "Vergeetmeniet" not in dump and "Zwaantje" not in dump
    assert stenen.get(categorie="inzagelog").aantal == 4
    assert "Vergeetmeniet" not in json.dumps(ronde.rapport)


def test_other_pupils_untouched(vertrokken, django_capture_on_commit_callbacks):
    p = vertrokken
    binnen = f.LeerlingFactory(school=p.school, uitstroomdatum=VANDAAG - datetime.timedelta(days=200))
    binnen_ids, binnen_bestanden, _a, _o = vul_dossier(p, binnen, naam="Binnen")
    ingeschreven = f.LeerlingFactory(school=p.school)
    in_ids, _b, _a, _o = vul_dossier(p, ingeschreven, naam="Ingeschreven")
    vastgehouden = f.LeerlingFactory(school=p.school, uitstroomdatum=LANG_GELEDEN, bewaarplicht=True,
                                     bewaarplicht_reden="Klacht")
    vast_ids, vast_bestanden, _a, _o = vul_dossier(p, vastgehouden, naam="Vastgehouden")
    p.school.bewaartermijnen_actief = True
    p.school.save()
    with django_capture_on_commit_callbacks(execute=True):
        ronde = bewaartermijnen.ronde(p.school)
    assert _nog_aanwezig(p.weg_ids) == []
    for ids in (binnen_ids, in_ids, vast_ids):
        for model, pks in ids.items():
            if model is Dossieritem:
                pks = pks[:1]  # the second was deleted by hand before the run
            assert model.objects.filter(pk__in=pks).count() == len(set(pks)), model.__name__
    for naam in binnen_bestanden + vast_bestanden:
        assert os.path.exists(os.path.join(_media_root(), naam))
    assert ronde.rapport["bewaarplicht"] == [vastgehouden.pk]
    sleutels = set(Verwijdering.objects.values_list("leerling_sleutel", flat=True))
    assert bewaartermijnen.leerling_sleutel(vastgehouden.pk) not in sleutels


def _media_root():
    from django.conf import settings

    return settings.MEDIA_ROOT


def test_dry_run_changes_nothing_and_counts(vertrokken):
    p = vertrokken
    voor = {m: m.objects.count() for m in HISTORIE_MODELLEN + [Inzage, Notificatie, Herinnering, Gebruiker]}
    historie = {m: m.history.model.objects.count() for m in HISTORIE_MODELLEN}
    ronde = bewaartermijnen.rapport(p.school)
    assert ronde.proef is True
    assert {m: m.objects.count() for m in voor} == voor
    assert {m: m.history.model.objects.count() for m in HISTORIE_MODELLEN} == historie
    assert not Verwijdering.objects.exists()
    for naam in p.weg_bestanden:
        assert os.path.exists(os.path.join(_media_root(), naam))
    cat = ronde.rapport["categorieen"]
    assert cat["zorgdossier"]["leerlingen"] == 1
    assert cat["zorgdossier"]["bestanden"] == 1 and cat["extern"]["bestanden"] == 1
    assert cat["extern"]["leerlingen"] == 1
    # Toestemming, Verwijzing, Terugkoppeling, ExterneToegang, one reminder row
    assert cat["extern"]["records"] == 5
    assert cat["inzagelog"] == {"leerlingen": 1, "records": 4, "historie": 0, "bestanden": 0}
    assert cat["leerling"]["leerlingen"] == 1
    # Leerling, Klasplaatsing, OuderRelatie, Betrokkene, Ouder, Correctieverzoek, the ouder's Uitnodiging
    assert cat["leerling"]["records"] == 7
    # The real run afterwards removes exactly what the dry run announced.
    p.school.bewaartermijnen_actief = True
    p.school.save()
    echt = bewaartermijnen.ronde(p.school)
    assert echt.rapport["categorieen"] == ronde.rapport["categorieen"]


def test_within_term_only_extern(personas, media):
    """Terms per category: with a longer zorgdossier term only the referrals go (the step up stays)."""
    p = personas
    p.school.bewaren_zorgdossier_jaren = 10
    p.school.bewaren_leerling_jaren = 10
    p.school.bewaartermijnen_actief = True
    p.school.save()
    weg = f.LeerlingFactory(school=p.school, uitstroomdatum=LANG_GELEDEN)
    ids, _b, _a, _o = vul_dossier(p, weg)
    ronde = bewaartermijnen.ronde(p.school)
    assert ronde.rapport["fouten"] == 0
    assert not Toestemming.objects.filter(leerling=weg).exists()
    assert not Verwijzing.objects.filter(leerling=weg).exists()
    assert Opschaling.objects.get(leerling=weg).toestemming is None
    assert Dossieritem.objects.filter(leerling=weg).exists()
    assert Leerling.objects.filter(pk=weg.pk).exists()
    # The inzagelog row about the referral went with it; the others stay (the log's own term is 2 years,
    # these rows are new).
    assert Inzage.objects.filter(leerling=weg).count() == 3
    assert set(Verwijdering.objects.values_list("categorie", flat=True)) == {"extern", "inzagelog"}


def test_inzagelog_term_for_enrolled_pupils(personas):
    p = personas
    oud = f.InzageFactory(leerling=p.in_a, gebruiker=p.mentor, op=timezone.now() - datetime.timedelta(days=365 * 3))
    nieuw = f.InzageFactory(leerling=p.in_a, gebruiker=p.mentor)
    ander = f.InzageFactory(leerling=p.elders, gebruiker=p.mentor, op=timezone.now() - datetime.timedelta(days=365 * 3))
    proef = bewaartermijnen.rapport(p.school)
    assert proef.rapport["categorieen"]["inzagelog"]["records"] == 1
    assert Inzage.objects.filter(pk=oud.pk).exists()
    p.school.bewaartermijnen_actief = True
    p.school.save()
    bewaartermijnen.ronde(p.school)
    assert not Inzage.objects.filter(pk=oud.pk).exists()
    assert Inzage.objects.filter(pk=nieuw.pk).exists()
    assert Inzage.objects.filter(pk=ander.pk).exists()  # another school, its own terms
    assert Leerling.objects.filter(pk=p.in_a.pk).exists()
    steen = Verwijdering.objects.get()
    assert (steen.categorie, steen.aantal) == ("inzagelog", 1)


def test_celery_task_runs_every_school(vertrokken):
    p = vertrokken
    uitkomst = tasks.bewaartermijnen()
    assert uitkomst[p.school.code]["proef"] is True
    assert Bewaarronde.objects.filter(school=p.school, proef=True).count() == 1
    assert Bewaarronde.objects.filter(school=p.andere_school, proef=True).count() == 1
    assert Leerling.objects.filter(pk=p.weg.pk).exists()
    p.school.bewaartermijnen_actief = True
    p.school.save()
    uitkomst = tasks.bewaartermijnen()
    assert uitkomst[p.school.code]["proef"] is False
    assert not Leerling.objects.filter(pk=p.weg.pk).exists()


def test_old_exports_and_security_logs_go_every_night(personas, settings, tmp_path, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    from plannen.models import Export
    from zorg.models import Weigering

    settings.MEDIA_ROOT = tmp_path
    p = personas
    oud, nieuw = (Export.objects.create(aangevraagd_door=p.mentor, school=p.school, omschrijving=naam,
                                        bestand=ContentFile(b"PK", name=f"{naam}.zip")) for naam in ("oud", "nieuw"))
    Export.objects.filter(pk=oud.pk).update(aangemaakt_op=timezone.now() - datetime.timedelta(days=31))
    bestand = tmp_path / oud.bestand.name
    assert bestand.exists()
    Weigering.objects.create(gebruiker=p.mentor, pad="/x/", status=404,
                             op=timezone.now() - datetime.timedelta(days=366))
    recent = Weigering.objects.create(gebruiker=p.mentor, pad="/y/", status=404)
    with django_capture_on_commit_callbacks(execute=True):
        telling = tasks.bewaartermijnen()["opgeruimd"]
    assert telling == {"exports": 1, "weigeringen": 1, "inlogregels": 0}
    assert list(Export.objects.all()) == [nieuw] and not bestand.exists()
    assert list(Weigering.objects.all()) == [recent]


def test_one_failing_pupil_does_not_stop_the_rest(vertrokken, monkeypatch):
    p = vertrokken
    tweede = f.LeerlingFactory(school=p.school, uitstroomdatum=LANG_GELEDEN)
    echt = bewaartermijnen.plan_zorgdossier

    def kapot(leerling):
        if leerling.pk == p.weg.pk:
            raise RuntimeError("kapot")
        return echt(leerling)

    monkeypatch.setitem(bewaartermijnen.PLANNERS, "zorgdossier", kapot)
    p.school.bewaartermijnen_actief = True
    p.school.save()
    ronde = bewaartermijnen.ronde(p.school)
    assert ronde.rapport["fouten"] == 1
    assert Leerling.objects.filter(pk=p.weg.pk).exists()
    assert not Leerling.objects.filter(pk=tweede.pk).exists()


def test_management_command_prints_dutch_report(vertrokken, capsys):
    p = vertrokken
    call_command("bewaartermijnen", "--proef", "--school", p.school.code)
    uit = capsys.readouterr().out
    assert "Proefrapport" in uit and "zorgdossier en plannen" in uit
    assert Leerling.objects.filter(pk=p.weg.pk).exists()


# --- Pages: the applicatiebeheerder's terms and switch, the zorgcoördinator's legal hold ---------------

BEHEER = "/beheer/bewaartermijnen/"
PROEF = "/beheer/bewaartermijnen/proef/"
AANZETTEN = "/beheer/bewaartermijnen/aanzetten/"
TERMIJNEN = {"bewaren_zorgdossier_jaren": "2", "bewaren_extern_jaren": "2", "bewaren_inzagelog_jaren": "2",
             "bewaren_leerling_jaren": "5", "termijnen": "1"}


def bewaarplicht_url(leerling):
    return f"/leerlingen/{leerling.pk}/bewaarplicht/"


@pytest.mark.parametrize("persona", ["mentor", "docent", "teamleider", "zorgcoordinator", "specialist", "directie",
                                     "ouder_user", "extern", "zonder_rol"])
def test_beheer_pages_404_for_everyone_but_the_applicatiebeheerder(personas, persona):
    p = personas
    client = p.client(getattr(p, persona))
    assert client.get(BEHEER).status_code == 404
    assert client.post(PROEF).status_code == 404
    assert client.get(AANZETTEN).status_code == 404
    assert client.post(BEHEER, TERMIJNEN).status_code == 404
    assert not Bewaarronde.objects.exists()


def test_beheer_pages_anonymous_redirect_to_login(client):
    for url in (BEHEER, AANZETTEN):
        assert client.get(url).status_code == 302


def test_beheerder_sees_terms_with_legal_basis_and_link_from_beheer(personas):
    p = personas
    client = p.client(p.beheerder)
    html = client.get(BEHEER).content.decode()
    assert "Vrijstellingsbesluit Wbp art. 19" in html and "AVG art. 5" in html and "FG" in html
    assert "Maak eerst een proefrapport" in html
    assert "Toestemmingen met getekende formulieren" in html
    assert BEHEER in client.get("/beheer/").content.decode()


def test_form_validation_dutch_and_input_kept(personas):
    p = personas
    client = p.client(p.beheerder)
    data = {**TERMIJNEN, "bewaren_zorgdossier_jaren": "7", "bewaren_leerling_jaren": "3"}
    response = client.post(BEHEER, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "minstens zo lang bewaard worden als" in html
    assert 'value="7"' in html
    p.school.refresh_from_db()
    assert (p.school.bewaren_zorgdossier_jaren, p.school.bewaren_leerling_jaren) == (2, 5)
    response = client.post(BEHEER, {**TERMIJNEN, "bewaren_extern_jaren": "abc", "bewaren_inzagelog_jaren": "0"})
    html = response.content.decode()
    assert "Vul een aantal jaren in" in html and "Kies minstens 1 jaar." in html
    response = client.post(BEHEER, {**TERMIJNEN, "bewaren_leerling_jaren": "6"})
    assert response.status_code == 302
    p.school.refresh_from_db()
    assert p.school.bewaren_leerling_jaren == 6


def test_turning_on_needs_a_current_dry_run_and_a_confirmation(vertrokken):
    p = vertrokken
    client = p.client(p.beheerder)
    assert client.get(AANZETTEN).status_code == 302  # no dry run yet: back to the page
    assert client.post(PROEF).status_code == 302
    ronde = Bewaarronde.objects.get(school=p.school)
    assert ronde.proef and Leerling.objects.filter(pk=p.weg.pk).exists()
    html = client.get(AANZETTEN).content.decode()
    assert "Proefrapport" in html and "Zorgdossier en plannen" in html
    assert "Vergeetmeniet" not in html  # counts only
    response = client.post(AANZETTEN, {"ronde": ronde.pk})
    assert "Vink aan dat u het proefrapport hebt gelezen." in response.content.decode()
    p.school.refresh_from_db()
    assert not p.school.bewaartermijnen_actief
    assert client.post(AANZETTEN, {"ronde": ronde.pk, "gelezen": "on"}).status_code == 302
    p.school.refresh_from_db()
    assert p.school.bewaartermijnen_actief
    # A shorter term turns removal off again until a new dry run.
    client.post(BEHEER, {**TERMIJNEN, "bewaren_zorgdossier_jaren": "1"})
    p.school.refresh_from_db()
    assert not p.school.bewaartermijnen_actief
    assert client.get(AANZETTEN).status_code == 302  # the dry run was made with the old terms
    client.post(PROEF)
    client.post(AANZETTEN, {"ronde": Bewaarronde.objects.latest().pk, "gelezen": "on"})
    client.post(BEHEER, {"uitzetten": "1"})
    p.school.refresh_from_db()
    assert not p.school.bewaartermijnen_actief


def test_tombstones_listed_as_counts(vertrokken):
    p = vertrokken
    p.school.bewaartermijnen_actief = True
    p.school.save()
    bewaartermijnen.ronde(p.school)
    html = p.client(p.beheerder).get(BEHEER).content.decode()
    assert "Onlangs verwijderd" in html and "Leerlinggegevens" in html
    assert "Vergeetmeniet" not in html


@pytest.mark.parametrize("persona", ["mentor", "teamleider", "specialist", "directie", "beheerder", "ouder_user",
                                     "extern"])
def test_legal_hold_page_404_for_others(personas, persona):
    p = personas
    client = p.client(getattr(p, persona))
    assert client.get(bewaarplicht_url(p.in_a)).status_code == 404
    assert client.post(bewaarplicht_url(p.in_a), {"bewaarplicht": "on", "bewaarplicht_reden": "x"}).status_code == 404
    p.in_a.refresh_from_db()
    assert not p.in_a.bewaarplicht


def test_legal_hold_other_school_404(personas):
    p = personas
    assert p.client(p.zorgcoordinator).get(bewaarplicht_url(p.elders)).status_code == 404


def test_legal_hold_set_and_cleared_with_history(vertrokken):
    p = vertrokken
    client = p.client(p.zorgcoordinator)
    url = bewaarplicht_url(p.weg)  # a former pupil: not in the zorgcoördinator's current lists
    assert client.get(url).status_code == 200
    response = client.post(url, {"bewaarplicht": "on", "bewaarplicht_reden": ""})
    assert "Schrijf waarom" in response.content.decode()
    assert client.post(url, {"bewaarplicht": "on", "bewaarplicht_reden": "Klacht <b>loopt</b>"}).status_code == 302
    p.weg.refresh_from_db()
    assert p.weg.bewaarplicht and p.weg.bewaarplicht_reden == "Klacht <b>loopt</b>"
    html = client.get(url).content.decode()
    assert "Klacht &lt;b&gt;loopt&lt;/b&gt;" in html and p.zorgcoordinator.naam in html
    assert p.weg.history.first().history_user == p.zorgcoordinator
    p.school.bewaartermijnen_actief = True
    p.school.save()
    ronde = bewaartermijnen.ronde(p.school)
    assert Leerling.objects.filter(pk=p.weg.pk).exists() and ronde.rapport["bewaarplicht"] == [p.weg.pk]
    assert client.post(url, {"bewaarplicht_reden": "Klacht afgehandeld"}).status_code == 302
    p.weg.refresh_from_db()
    assert not p.weg.bewaarplicht and p.weg.bewaarplicht_reden == ""
    bewaartermijnen.ronde(p.school)
    assert not Leerling.objects.filter(pk=p.weg.pk).exists()


def test_legal_hold_shown_on_dossier(personas):
    p = personas
    p.in_a.bewaarplicht, p.in_a.bewaarplicht_reden = True, "Geschil"
    p.in_a.save()
    zc = p.client(p.zorgcoordinator).get(f"/leerlingen/{p.in_a.pk}/").content.decode()
    assert bewaarplicht_url(p.in_a) in zc and "Geschil" in zc
    mentor = p.client(p.mentor).get(f"/leerlingen/{p.in_a.pk}/").content.decode()
    assert "Bewaarplicht" in mentor and bewaarplicht_url(p.in_a) not in mentor and "Geschil" not in mentor


def test_parent_with_another_child_and_staff_accounts_stay(vertrokken):
    p = vertrokken
    broer = f.LeerlingFactory(school=p.school)
    ouder = Ouder.objects.get(gebruiker=p.weg_ouderaccount)
    f.OuderRelatieFactory(ouder=ouder, leerling=broer)
    p.weg_account.functies.create(schooljaar=p.jaar, soort="docent")  # the pupil's account also works here
    p.school.bewaartermijnen_actief = True
    p.school.save()
    bewaartermijnen.ronde(p.school)
    assert not Leerling.objects.filter(pk=p.weg.pk).exists()
    assert Ouder.objects.filter(pk=ouder.pk).exists() and Gebruiker.objects.filter(pk=p.weg_ouderaccount.pk).exists()
    assert list(OuderRelatie.objects.filter(ouder=ouder).values_list("leerling_id", flat=True)) == [broer.pk]
    assert Gebruiker.objects.filter(pk=p.weg_account.pk).exists()


OVERZICHT = "/leerlingen/bewaarplicht/"


def test_overview_of_former_pupils_for_the_zorgcoordinator(vertrokken):
    p = vertrokken
    p.weg.uitstroomdatum = datetime.date(2020, 2, 29)
    p.weg.save()
    elders = f.LeerlingFactory(school=p.andere_school, uitstroomdatum=LANG_GELEDEN, achternaam="Buitenschools")
    client = p.client(p.zorgcoordinator)
    html = client.get(OVERZICHT).content.decode()
    assert "Vergeetmeniet" in html and bewaarplicht_url(p.weg) in html
    assert "28 februari 2022" in html and "28 februari 2025" in html  # 2 and 5 years after leaving
    assert f"({p.in_a.leerlingnummer})" not in html  # enrolled
    assert elders.achternaam not in html and bewaarplicht_url(elders) not in html
    assert "Vergeetmeniet" not in client.get(OVERZICHT, {"q": "Niemand"}).content.decode()
    assert "Vergeetmeniet" in client.get(OVERZICHT, {"q": "zwaan"}).content.decode()


@pytest.mark.parametrize("persona", ["mentor", "teamleider", "specialist", "directie", "beheerder", "ouder_user",
                                     "extern", "zonder_rol"])
def test_overview_404_for_others(vertrokken, persona):
    assert vertrokken.client(getattr(vertrokken, persona)).get(OVERZICHT).status_code == 404
