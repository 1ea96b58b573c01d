"""Import of pupils, klassen, ouders and staff from CSV/XLSX: service, command and pages."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leerlingen.models import Klasplaatsing, Leerling, Ouder, OuderRelatie
from tests import factories as f
from zorg import importeren
from zorg.models import Afdeling, Functie, Gebruiker, Klas, Lesopdracht

DATA = Path(__file__).parent / "data"
NUMMERS = ["900001", "900002", "900003", "900004"]


def lees(naam):
    return (DATA / naam).read_bytes()


def csv_bytes(regels, encoding="utf-8"):
    return ("\n".join(regels) + "\n").encode(encoding)


def importeer(school, naam, data=None, **kwargs):
    soort = kwargs.pop("soort", "leerlingen")
    return importeren.importeer_bestand(school, soort, naam, lees(naam) if data is None else data, **kwargs)


def geimporteerd(school):
    return Leerling.objects.filter(school=school, leerlingnummer__in=NUMMERS)


def controleer_voorbeeldbestand(p):
    leerlingen = {ll.leerlingnummer: ll for ll in geimporteerd(p.school)}
    assert set(leerlingen) == set(NUMMERS)
    sanne, daan, zoe, seb = (leerlingen[n] for n in NUMMERS)
    assert (sanne.voornaam, sanne.tussenvoegsel, sanne.achternaam) == ("Sanne", "van der", "Berg")
    assert sanne.geboortedatum == datetime.date(2013, 5, 1)
    assert sanne.instroomdatum == datetime.date(2025, 8, 1)
    assert zoe.voornaam == "Zoë" and zoe.geboortedatum == datetime.date(2012, 11, 15)
    assert seb.voornaam == "Sébastien"

    def klas(leerling):
        return Klasplaatsing.objects.get(leerling=leerling, klas__schooljaar=p.jaar).klas

    assert klas(sanne) == p.klas_a
    assert klas(seb) == p.klas_b
    drie_b = klas(daan)
    assert (drie_b.naam, drie_b.afdeling, drie_b.leerjaar) == ("3B", p.afdeling_a, 3)
    assert list(drie_b.mentoren.all()) == [p.andere_mentor]
    twee_c = klas(zoe)
    assert twee_c.afdeling.naam == "Leerjaar 2" and twee_c.leerjaar == 2
    assert list(p.klas_a.mentoren.all()) == [p.mentor]

    # Siblings share their parents: one Petra (by e-mail), one Kees (no e-mail: by name).
    petra = Ouder.objects.get(email="petra.vdberg@example.nl")
    assert (petra.voornaam, petra.tussenvoegsel, petra.achternaam) == ("Petra", "van der", "Berg")
    assert set(petra.kinderen.all()) == {sanne, daan}
    kees = Ouder.objects.get(voornaam="Kees", achternaam="Berg")
    assert set(kees.kinderen.all()) == {sanne, daan}
    assert OuderRelatie.objects.get(ouder=kees, leerling=sanne).relatie == OuderRelatie.Relatie.VADER
    fatima = OuderRelatie.objects.get(leerling=zoe)
    assert (fatima.relatie, fatima.gezag) == (OuderRelatie.Relatie.VERZORGER, False)
    anne = Ouder.objects.get(email="anne.devries@example.nl")
    assert (anne.voornaam, anne.tussenvoegsel, anne.achternaam) == ("Anne", "de", "Vries")


# --------------------------------------------------------------------------- parsing and mapping


def test_automatische_koppeling_herkent_magister_en_somtoday_koppen():
    kopjes = ["Stamnummer", "Voornaam", "Voorvoegsel", "Achternaam", "Geb. datum", "Klas", "Leerjaar",
              "E-mail verzorger 1", "Ouder 2 naam", "Datum uitschrijving", "Iets anders"]
    assert importeren.standaard_koppeling("leerlingen", kopjes) == [
        "leerlingnummer", "voornaam", "tussenvoegsel", "achternaam", "geboortedatum", "klas", "leerjaar",
        "verzorger1_email", "verzorger2_naam", "uitstroomdatum", "",
    ]


def test_csv_met_komma_en_cp1252_wordt_gelezen():
    data = csv_bytes(["Leerlingnummer,Roepnaam,Achternaam,Klas", "1,Zoë,Müller,1A"], encoding="cp1252")
    tabel = importeren.lees_bestand("export.CSV", data)
    assert tabel.kopjes == ["Leerlingnummer", "Roepnaam", "Achternaam", "Klas"]
    assert tabel.rijen == [(2, ["1", "Zoë", "Müller", "1A"])]


@pytest.mark.parametrize(
    "naam, verwacht",
    [
        ("Jan de Vries", ("Jan", "de", "Vries")),
        ("Vries, Anne de", ("Anne", "de", "Vries")),
        ("Dhr. J. van der Berg", ("J.", "van der", "Berg")),
        ("Jansen", ("", "", "Jansen")),
    ],
)
def test_splits_naam(naam, verwacht):
    assert importeren.splits_naam(naam) == verwacht


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), xlsx=st.booleans())
def test_parser_geeft_op_willekeurige_bytes_alleen_een_nette_fout(data, xlsx):
    try:
        tabel = importeren.lees_bestand("x.xlsx" if xlsx else "x.csv", data)
    except importeren.ImportFout as fout:
        assert str(fout)
    else:
        assert all(len(cellen) == len(tabel.kopjes) for _n, cellen in tabel.rijen)
        importeren.standaard_koppeling("leerlingen", tabel.kopjes)


# --------------------------------------------------------------------------- the service


@pytest.mark.django_db
def test_csv_import(personas):
    resultaat = importeer(personas.school, "import_leerlingen.csv")
    assert resultaat.ok, resultaat.fouten
    assert resultaat.geschreven
    assert resultaat.samenvatting["leerlingen"]["aangemaakt"] == 4
    assert resultaat.samenvatting["klassen"]["aangemaakt"] == 2  # 3B and 2C
    controleer_voorbeeldbestand(personas)


@pytest.mark.django_db
def test_xlsx_import(personas):
    resultaat = importeer(personas.school, "import_leerlingen.xlsx")
    assert resultaat.ok, resultaat.fouten
    controleer_voorbeeldbestand(personas)


@pytest.mark.django_db
def test_xlsx_gemaakt_met_openpyxl(personas):
    boek = openpyxl.Workbook()
    blad = boek.active
    blad.append(["Leerlingnummer", "Roepnaam", "Achternaam", "Geboortedatum", "Klas"])
    blad.append([123456.0, "Noor", "Smit", datetime.datetime(2012, 2, 3), "1A"])
    buffer = io.BytesIO()
    boek.save(buffer)
    resultaat = importeren.importeer_bestand(personas.school, "leerlingen", "x.xlsx", buffer.getvalue())
    assert resultaat.ok, resultaat.fouten
    noor = Leerling.objects.get(school=personas.school, leerlingnummer="123456")
    assert noor.geboortedatum == datetime.date(2012, 2, 3)


FOUTBESTAND = [
    "Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Klas;Mentor;Verzorger 1 naam;Verzorger 1 e-mail;"
    "Verzorger 1 relatie;Verzorger 1 gezag",
    "800001;Goed;Leerling;01-01-2012;1A;;;;;",  # row 2: valid
    ";Zonder;Nummer;01-01-2012;1A;;;;;",  # row 3
    "800003;Foute;Datum;31-02-2012;1A;;;;;",  # row 4
    "800001;Dubbel;Nummer;01-01-2012;1A;;;;;",  # row 5
    "800005;Onbekende;Mentor;01-01-2012;1A;niemand;;;;",  # row 6
    "800006;Fout;Ouder;01-01-2012;1A;;Ma Ouder;geen-mail;tante;misschien",  # row 7
    "800007;;;01-01-2012;;;;;;",  # row 8
]


@pytest.mark.django_db
def test_bestand_met_fouten_schrijft_niets_en_noemt_elke_rij(personas):
    leerlingen, ouders, klassen = Leerling.objects.count(), Ouder.objects.count(), Klas.objects.count()
    resultaat = importeer(personas.school, "fout.csv", csv_bytes(FOUTBESTAND))
    assert not resultaat.ok and not resultaat.geschreven
    assert (Leerling.objects.count(), Ouder.objects.count(), Klas.objects.count()) == (leerlingen, ouders, klassen)
    per_rij = {}
    for fout in resultaat.fouten:
        per_rij.setdefault(fout.rij, []).append(fout.melding)
    assert set(per_rij) == {3, 4, 5, 6, 7, 8}
    assert per_rij[3] == ["Leerlingnummer ontbreekt."]
    assert "geen geldige datum" in per_rij[4][0]
    assert per_rij[5] == ["Leerlingnummer 800001 staat ook in rij 2."]
    assert "geen bekende medewerker" in per_rij[6][0]
    assert any("geen geldig e-mailadres" in m for m in per_rij[7])
    assert any("onbekende relatie ‘tante’" in m for m in per_rij[7])
    assert any("gezag ‘misschien’ moet ja of nee zijn" in m for m in per_rij[7])
    assert {"Roepnaam ontbreekt.", "Achternaam ontbreekt.", "Klas ontbreekt."} <= set(per_rij[8])
    assert str(resultaat.fouten[0]).startswith("Rij 3: ")


@pytest.mark.django_db
def test_ontbrekende_verplichte_kolom_is_een_algemene_fout(personas):
    resultaat = importeer(personas.school, "x.csv", csv_bytes(["Leerlingnummer;Achternaam", "1;Smit"]))
    assert not resultaat.ok
    assert any("Roepnaam" in f for f in resultaat.algemene_fouten)
    assert any("Klas" in f for f in resultaat.algemene_fouten)
    assert not Leerling.objects.filter(leerlingnummer="1").exists()


@pytest.mark.django_db
def test_opnieuw_importeren_maakt_geen_dubbelen_en_werkt_bij(personas):
    assert importeer(personas.school, "import_leerlingen.csv").ok
    aantallen = (Leerling.objects.count(), Klasplaatsing.objects.count(), Ouder.objects.count(),
                 OuderRelatie.objects.count(), Klas.objects.count(), Afdeling.objects.count())
    tweede = importeer(personas.school, "import_leerlingen.csv")
    assert tweede.ok
    assert dict(tweede.samenvatting["leerlingen"]) == {"ongewijzigd": 4}
    assert dict(tweede.samenvatting["ouders"]) == {"ongewijzigd": 6}
    assert "aangemaakt" not in tweede.samenvatting["plaatsingen"]
    assert aantallen == (Leerling.objects.count(), Klasplaatsing.objects.count(), Ouder.objects.count(),
                         OuderRelatie.objects.count(), Klas.objects.count(), Afdeling.objects.count())

    # The administration moved Sanne to 1B and corrected Zoë's surname; the xlsx has the same data.
    tekst = lees("import_leerlingen.csv").decode("utf-8-sig")
    tekst = tekst.replace("01-05-2013;1A;", "01-05-2013;1B;").replace("Zoë;;Jansen", "Zoë;;Janssen")
    derde = importeer(personas.school, "gewijzigd.csv", tekst.encode("utf-8"))
    assert derde.ok, derde.fouten
    assert derde.samenvatting["leerlingen"] == {"bijgewerkt": 1, "ongewijzigd": 3}
    assert derde.samenvatting["plaatsingen"]["bijgewerkt"] == 1
    sanne = Leerling.objects.get(school=personas.school, leerlingnummer="900001")
    assert [p.klas for p in Klasplaatsing.objects.filter(leerling=sanne, klas__schooljaar=personas.jaar)] == [
        personas.klas_a2
    ]
    assert Leerling.objects.get(school=personas.school, leerlingnummer="900003").achternaam == "Janssen"
    assert aantallen == (Leerling.objects.count(), Klasplaatsing.objects.count(), Ouder.objects.count(),
                         OuderRelatie.objects.count(), Klas.objects.count(), Afdeling.objects.count())
    assert importeer(personas.school, "import_leerlingen.xlsx").ok  # back to the original, still no dupes
    assert Leerling.objects.count() == aantallen[0] and Ouder.objects.count() == aantallen[2]


@pytest.mark.django_db
def test_proefdraai_schrijft_niets_maar_telt_wel(personas):
    resultaat = importeer(personas.school, "import_leerlingen.csv", dry_run=True)
    assert resultaat.ok and not resultaat.geschreven
    assert resultaat.samenvatting["leerlingen"]["aangemaakt"] == 4
    assert not geimporteerd(personas.school).exists()
    assert not Klas.objects.filter(naam="3B").exists()


# --------------------------------------------------------------------------- staff


@pytest.mark.django_db
def test_medewerkers_import_en_herhaling(personas):
    resultaat = importeer(personas.school, "import_medewerkers.csv", soort="medewerkers")
    assert resultaat.ok, (resultaat.algemene_fouten, resultaat.fouten)
    jan = Gebruiker.objects.get(username="jdevries")
    assert (jan.first_name, jan.last_name, jan.email) == ("Jan", "de Vries", "j.devries@school.test")
    assert not jan.has_usable_password()
    assert set(Functie.objects.filter(gebruiker=jan, schooljaar=personas.jaar).values_list("soort", "afdeling")) == {
        (Functie.Soort.DOCENT, None), (Functie.Soort.TEAMLEIDER, personas.afdeling_a.pk)
    }
    assert jan in personas.klas_a2.mentoren.all()
    assert {(lo.vak.code, lo.klas) for lo in Lesopdracht.objects.filter(docent=jan)} == {
        ("NE", personas.klas_a), ("EN", personas.klas_a2)
    }
    karin = Gebruiker.objects.get(username="kbakker")
    assert Functie.objects.get(gebruiker=karin).soort == Functie.Soort.ZORGCOORDINATOR
    piet = Gebruiker.objects.get(username="pmulder")
    assert piet in personas.klas_b.mentoren.all()

    aantallen = (Gebruiker.objects.count(), Functie.objects.count(), Lesopdracht.objects.count())
    tekst = lees("import_medewerkers.csv").decode().replace("Karin Bakker", "Karin Bakker-Smit")
    tweede = importeer(personas.school, "m.csv", tekst.encode(), soort="medewerkers")
    assert tweede.ok
    assert tweede.samenvatting["medewerkers"] == {"bijgewerkt": 1, "ongewijzigd": 2}
    assert aantallen == (Gebruiker.objects.count(), Functie.objects.count(), Lesopdracht.objects.count())
    assert Gebruiker.objects.get(username="kbakker").last_name == "Bakker-Smit"


@pytest.mark.django_db
def test_medewerkers_fouten(personas):
    f.GebruikerFactory(username="elders")  # an account that has nothing to do with this school
    data = csv_bytes([
        "Gebruikersnaam;Naam;Functie;Afdeling;Mentor van;Lesopdrachten",
        "elders;Iemand Anders;docent;;;",
        "nieuw1;Nieuwe Docent;bakker;;;",
        "nieuw2;Nieuwe Teamleider;teamleider;;;",
        "nieuw3;Nieuwe Mentor;;;9Z;",
        "nieuw4;Nieuwe Docent;docent;;;NE-1A",
    ])
    resultaat = importeer(personas.school, "m.csv", data, soort="medewerkers")
    assert [f.rij for f in resultaat.fouten] == [2, 3, 4, 5, 6]
    meldingen = " ".join(f.melding for f in resultaat.fouten)
    assert "niet als medewerker van deze school" in meldingen
    assert "Onbekende functie ‘bakker’" in meldingen
    assert "Een teamleider heeft een afdeling nodig." in meldingen
    assert "Klas 9Z bestaat niet" in meldingen
    assert "vak:klas" in meldingen
    assert not Gebruiker.objects.filter(username__startswith="nieuw").exists()


# --------------------------------------------------------------------------- the command


@pytest.mark.django_db
def test_commando_proefdraai_schrijft_niets(personas):
    uit = io.StringIO()
    call_command("importeer", str(DATA / "import_leerlingen.csv"), school=personas.school.code,
                 soort="leerlingen", dry_run=True, stdout=uit)
    assert "Proefdraai: er is niets opgeslagen." in uit.getvalue()
    assert "leerlingen: 4 aangemaakt" in uit.getvalue()
    assert not geimporteerd(personas.school).exists()

    call_command("importeer", str(DATA / "import_leerlingen.csv"), "--school", personas.school.code,
                 "--soort", "leerlingen", stdout=io.StringIO())
    assert geimporteerd(personas.school).count() == 4


@pytest.mark.django_db
def test_commando_met_fouten_stopt(personas, tmp_path):
    pad = tmp_path / "fout.csv"
    pad.write_bytes(csv_bytes(FOUTBESTAND))
    fouten = io.StringIO()
    with pytest.raises(CommandError, match="Er is niets geïmporteerd"):
        call_command("importeer", str(pad), school=personas.school.code, soort="leerlingen",
                     stdout=io.StringIO(), stderr=fouten)
    assert "Rij 3: Leerlingnummer ontbreekt." in fouten.getvalue()
    assert not Leerling.objects.filter(leerlingnummer="800001").exists()


# --------------------------------------------------------------------------- the pages


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, naam, data, soort="leerlingen"):
    return client.post(reverse("import"), {"soort": soort, "bestand": SimpleUploadedFile(naam, data)})


@pytest.mark.django_db
def test_pagina_upload_voorbeeld_bevestigen(personas, media):
    client = personas.client(personas.beheerder)
    assert client.get(reverse("import")).status_code == 200
    antwoord = upload(client, "import_leerlingen.csv", lees("import_leerlingen.csv"))
    assert antwoord.status_code == 302 and antwoord.url == reverse("import_voorbeeld")
    bestanden = list((media / "import").iterdir())
    assert len(bestanden) == 1 and "import_leerlingen" not in bestanden[0].name  # random private name

    pagina = client.get(reverse("import_voorbeeld"))
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert "Het bestand bevat geen fouten" in html
    assert '<th scope="col">Stamnummer</th>' in html
    assert 'value="leerlingnummer" selected' in html
    assert not geimporteerd(personas.school).exists()  # the preview is a dry run

    # Edit the mapping: ignore the birth-date column.
    kolommen = pagina.context["kolommen"]
    post = {f"kolom_{k['index']}": k["veld"] for k in kolommen}
    post["kolom_4"] = ""
    assert client.post(reverse("import_voorbeeld"), post).status_code == 302
    assert client.session[import_sessie()]["koppeling"][4] == ""

    klaar = client.post(reverse("import_bevestig"))
    assert klaar.status_code == 200
    assert "is geïmporteerd" in klaar.content.decode()
    assert geimporteerd(personas.school).count() == 4
    assert Leerling.objects.get(leerlingnummer="900001").geboortedatum is None  # column was ignored
    assert list((media / "import").iterdir()) == []
    assert import_sessie() not in client.session
    assert client.post(reverse("import_bevestig")).status_code == 302  # nothing left to confirm


def import_sessie():
    from zorg.import_views import SESSIE

    return SESSIE


@pytest.mark.django_db
def test_pagina_met_fouten_toont_rijen_en_schrijft_niets(personas, media):
    client = personas.client(personas.beheerder)
    upload(client, "fout.csv", csv_bytes(FOUTBESTAND))
    html = client.get(reverse("import_voorbeeld")).content.decode()
    assert "Er zijn" in html and "fouten gevonden" in html
    assert '<th scope="row">3</th><td>Leerlingnummer ontbreekt.</td>' in html
    assert 'action="/beheer/import/bevestigen/"' not in html
    antwoord = client.post(reverse("import_bevestig"))
    assert antwoord.status_code == 302
    assert not Leerling.objects.filter(leerlingnummer__startswith="8000").exists()

    client.post(reverse("import_voorbeeld"), {"annuleren": "1"})
    assert list((media / "import").iterdir()) == []


@pytest.mark.django_db
def test_medewerkers_via_pagina(personas, media):
    client = personas.client(personas.beheerder)
    upload(client, "import_medewerkers.csv", lees("import_medewerkers.csv"), soort="medewerkers")
    assert client.post(reverse("import_bevestig")).status_code == 200
    assert Gebruiker.objects.filter(username__in=["jdevries", "kbakker", "pmulder"]).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("wie", ["mentor", "docent", "zorgcoordinator"])
def test_import_alleen_voor_applicatiebeheerder(personas, media, wie):
    client = personas.client(getattr(personas, wie))
    assert client.get(reverse("import")).status_code == 404
    assert upload(client, "import_leerlingen.csv", lees("import_leerlingen.csv")).status_code == 404
    assert client.get(reverse("import_voorbeeld")).status_code == 404
    assert client.post(reverse("import_bevestig")).status_code == 404
    assert not geimporteerd(personas.school).exists()
    assert not (media / "import").exists()


@pytest.mark.django_db
def test_niet_ingelogd_wordt_doorgestuurd(client):
    antwoord = client.get(reverse("import"))
    assert antwoord.status_code == 302 and "inloggen" in antwoord.url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "naam, data, melding",
    [
        ("groot.csv", b"Leerlingnummer;Roepnaam\n" + b"x" * (5 * 1024 * 1024), "Het bestand is te groot"),
        ("leerlingen.pdf", b"%PDF-1.4", "Dit bestandstype kan niet worden geïmporteerd"),
        ("kapot.xlsx", b"dit is geen excel", "Het Excel-bestand kan niet worden gelezen"),
        ("leeg.csv", b"", "Het bestand is leeg"),
    ],
)
def test_verkeerde_upload_geeft_nederlandse_fout(personas, media, naam, data, melding):
    client = personas.client(personas.beheerder)
    antwoord = upload(client, naam, data)
    assert antwoord.status_code == 200
    assert melding in antwoord.content.decode()
    assert not (media / "import").exists() or not list((media / "import").iterdir())
    assert import_sessie() not in client.session
