"""Jaarverslag leerlingenzorg (issue 10): figures on a constructed dataset (zorgniveaus at the start
and end of the year with moves, plans, referrals per instelling and outcome, care hours), the
comparison with earlier years, access (zorgcoördinator and directie only), the conclusions with
optimistic concurrency, vaststellen freezes the figures, the PDF, the export, bounded queries."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from besprekingen.models import Afspraak
from extern.models import Verwijzing
from leerlingen.models import Leerling
from tests import factories as f
from tests.test_kwaliteit_doorlooptijden import D, Dataset
from zorg import jaarverslag as jv
from zorg.models import Interventiesoort, Jaarverslag

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

NA_HET_JAAR = D(2021, 8, 15)


class Jaarset(Dataset):
    def vul_jaar(self):
        p = self.p
        self.n1 = p.niveau1
        self.n1.naam = "Niveau 1"
        self.n1.save()
        self.n2, self.n3 = (f.ZorgniveauFactory(zorgroute=p.route, volgorde=i, code=str(i), naam=f"Niveau {i}")
                            for i in (2, 3))
        # Zorgniveaus: a on 1 without any decision; b moves 1 -> 2 in October; c was put on 3
        # before the year and moves 3 -> 2 in February.
        a, b, c = self.leerling(), self.leerling(), self.leerling(self.kb)
        Leerling.objects.filter(pk=a.pk).update(zorgniveau=self.n1)
        for leerling, datum, van, naar in [(b, D(2020, 10, 1), self.n1, self.n2), (c, D(2019, 5, 1), self.n1, self.n3),
                                           (c, D(2021, 2, 1), self.n3, self.n2)]:
            f.DossieritemFactory(leerling=leerling, soort="zorgniveau", datum=datum, van_niveau=van, naar_niveau=naar)
        # Referrals: Jeugdteam Noord 2 started, 1 refused; GGD 1 closed; one of the year before.
        ggd = f.InstellingFactory(school=p.school, naam="GGD West")
        for instelling, status, datum in [(self.instelling, "gestart", D(2020, 9, 1)),
                                          (self.instelling, "gestart", D(2020, 9, 2)),
                                          (self.instelling, "afgewezen", D(2020, 9, 3)),
                                          (ggd, "afgesloten", D(2021, 3, 1)), (ggd, "gestart", D(2020, 7, 1))]:
            Verwijzing.objects.create(school=p.school, leerling=a, instelling=instelling, reden="Zorgen",
                                      aangemeld_op=datum, status=status)
        # Care hours: RT 10.5 + 4, counseling (catalogue kind) 3, sova without hours, one of another year.
        counseling = Interventiesoort.objects.get(school=p.school, naam="Counseling")
        for arrangement, interventie, uren, uiterlijk in [("rt", None, "10.5", D(2020, 11, 1)),
                                                          ("rt", None, "4", D(2021, 5, 1)),
                                                          ("", counseling, "3", D(2021, 1, 1)),
                                                          ("sova", None, None, D(2021, 1, 1)),
                                                          ("rt", None, "99", D(2021, 9, 1))]:
            Afspraak.objects.create(school=p.school, leerling=a, soort="arrangement", arrangement=arrangement,
                                    interventie=interventie, zorguren=uren, wat="Begeleiding",
                                    eigenaar=p.zorgcoordinator, uiterlijk=uiterlijk)
        return self


@pytest.fixture
def jaar(personas):
    return Jaarset(personas).vul_jaar()


def test_pupils_per_zorgniveau_and_moves(personas, jaar):
    c = jv.bereken(personas.school, jaar.jaar, vandaag=NA_HET_JAAR)
    zn = c["zorgniveaus"]
    assert [(r["naam"], r["begin"], r["einde"]) for r in zn["rijen"]] == [
        ("Niveau 1", 2, 1), ("Niveau 2", 0, 2), ("Niveau 3", 1, 0)]
    assert (zn["omhoog"], zn["omlaag"], zn["peildatum_einde"]) == (1, 1, "2021-07-31")


def test_referrals_per_instelling_and_outcome(personas, jaar):
    v = jv.bereken(personas.school, jaar.jaar, vandaag=NA_HET_JAAR)["verwijzingen"]
    statussen = [code for code, _label in v["statussen"]]
    rijen = {r["instelling"]: dict(zip(statussen, r["aantallen"], strict=True)) for r in v["rijen"]}
    assert v["totaal"] == 4
    assert rijen["Jeugdteam Noord"]["gestart"] == 2 and rijen["Jeugdteam Noord"]["afgewezen"] == 1
    assert rijen["GGD West"] == {**{s: 0 for s in statussen}, "afgesloten": 1}


def test_care_hours_per_kind(personas, jaar):
    z = jv.bereken(personas.school, jaar.jaar, vandaag=NA_HET_JAAR)["zorguren"]
    assert z["bijgehouden"] and z["totaal"] == 17.5
    assert [(r["soort"], r["afspraken"], r["met_uren"], r["uren"]) for r in z["rijen"]] == [
        ("remedial teaching", 2, 2, 14.5), ("Counseling", 1, 1, 3.0), ("sociale vaardigheidstraining", 1, 0, 0.0)]
    # A year without recorded hours says so.
    ander = f.SchooljaarFactory(school=personas.school, naam="2018-2019", begin=D(2018, 8, 1), einde=D(2019, 7, 31))
    assert jv.bereken(personas.school, ander, vandaag=NA_HET_JAAR)["zorguren"] == {
        "bijgehouden": False, "rijen": [], "totaal": 0}


def test_plans_and_lead_times_of_the_year(personas, jaar):
    jaar.vul()
    c = jv.bereken(personas.school, jaar.jaar, vandaag=NA_HET_JAAR)
    # 7 vastgesteld plans started in the year (the concept one not); 5 evaluated in the year.
    assert c["plannen"]["handelingsplannen_gemaakt"] == 7
    assert c["plannen"]["handelingsplannen_geevalueerd"] == 5
    assert (c["plannen"]["groepsplannen_gemaakt"], c["plannen"]["groepsplannen_geevalueerd"]) == (1, 0)
    kern = {k["sleutel"]: k["waarde"] for k in c["kern"]}
    assert kern["mediaan:aanmelding"] == 7 and kern["mediaan:verwijzing"] == 25
    assert kern["optijd:groepsplannen"] == 67


def test_comparison_with_earlier_years_uses_frozen_figures(personas, jaar):
    p = personas
    vorig = f.SchooljaarFactory(school=p.school, naam="2019-2020", begin=D(2019, 8, 1), einde=D(2020, 7, 31))
    Jaarverslag.objects.create(school=p.school, schooljaar=vorig, vastgesteld_op=datetime.datetime(
        2020, 9, 1, tzinfo=datetime.UTC), cijfers={"kern": [{"sleutel": "verwijzingen", "label": "x", "waarde": 42}]})
    for i in range(3):  # only the 3 years before count
        f.SchooljaarFactory(school=p.school, naam=f"201{i}-201{i + 1}", begin=D(2010 + i, 8, 1),
                            einde=D(2011 + i, 7, 31))
    c = jv.bereken(p.school, jaar.jaar, vandaag=NA_HET_JAAR)
    vergelijk = jv.vergelijking(p.school, jaar.jaar, c, vandaag=NA_HET_JAAR)
    assert vergelijk["jaren"] == ["2020-2021", "2019-2020", "2012-2013", "2011-2012"]
    verwijzingen = next(r for r in vergelijk["rijen"] if r["label"] == "Verwijzingen")
    assert verwijzingen["waarden"] == [4, 42, 0, 0]


def test_key_figures_alone_equal_those_of_the_full_computation(personas, jaar):
    """The comparison columns compute only the key figures (jv.kerncijfers): they must be exactly
    the `kern` of the full figures, for a year with data and for one without."""
    jaar.vul()
    leeg = f.SchooljaarFactory(school=personas.school, naam="2018-2019", begin=D(2018, 8, 1), einde=D(2019, 7, 31))
    for schooljaar in (jaar.jaar, leeg):
        volledig = jv.bereken(personas.school, schooljaar, vandaag=NA_HET_JAAR)["kern"]
        assert jv.kerncijfers(personas.school, schooljaar, vandaag=NA_HET_JAAR) == volledig


def test_access_zc_and_directie_only(personas, jaar):
    p = personas
    for url in ("/kwaliteit/jaarverslag/", f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/",
                f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/export/"):
        for user in (p.zorgcoordinator, p.directie):
            assert p.client(user).get(url).status_code == 200, (url, user)
        for user in (p.teamleider, p.mentor, p.docent, p.specialist, p.ouder_user, p.extern):
            assert p.client(user).get(url).status_code == 404, (url, user)
    for actie in ("vaststellen", "heropenen", "conclusies"):
        assert p.client(p.teamleider).post(f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/{actie}/").status_code == 404
    # A schooljaar of another school is not found.
    ander = p.andere_klas.schooljaar
    assert p.client(p.zorgcoordinator).get(f"/kwaliteit/jaarverslag/{ander.pk}/").status_code == 404
    assert not Jaarverslag.objects.exists()  # reading creates nothing


def test_page_has_no_pupil_names(personas, jaar):
    p = personas
    jaar.vul()
    # Names no staff member can share (generated surnames may: the logged-in user's name is on every page).
    for leerling in Leerling.objects.all():
        leerling.voornaam, leerling.achternaam = f"Voornaam{leerling.pk}", f"Leerlingnaam{leerling.pk}"
        leerling.save()
    html = p.client(p.zorgcoordinator).get(f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/").content.decode()
    assert "Jeugdteam Noord" in html and "Niveau 2" in html and "remedial teaching" in html
    assert "Leerlingnaam" not in html and "Voornaam" not in html


def test_conclusions_conflict_keeps_both_texts(personas, jaar):
    p = personas
    url = f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/conclusies/"
    zc, directie = p.client(p.zorgcoordinator), p.client(p.directie)
    versie = zc.get(f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/").context["form"]["versie"].value()
    assert directie.post(url, {"conclusies": "Tekst van de directie", "versie": versie}).status_code == 302
    response = zc.post(url, {"conclusies": "Tekst van de zorgcoördinator", "versie": versie})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Tekst van de directie" in html and "Tekst van de zorgcoördinator" in html
    verslag = Jaarverslag.objects.get()
    assert verslag.conclusies == "Tekst van de directie" and verslag.gewijzigd_door == p.directie
    # Saving again with the version shown now replaces the text deliberately.
    nieuw = response.context["form"]["versie"].value()
    assert zc.post(url, {"conclusies": "Samen", "versie": nieuw}).status_code == 302
    assert Jaarverslag.objects.get().conclusies == "Samen"
    # Bad input: a message, the text kept.
    fout = zc.post(url, {"conclusies": "Nog iets"})
    assert fout.status_code == 400 and "Nog iets" in fout.content.decode()


def test_vaststellen_freezes_the_figures(personas, jaar):
    p = personas
    zc = p.client(p.zorgcoordinator)
    basis = f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/"
    assert zc.post(basis + "vaststellen/").status_code == 302
    verslag = Jaarverslag.objects.get()
    assert verslag.vastgesteld_op and verslag.cijfers["verwijzingen"]["totaal"] == 4
    # Later changes in the data do not alter the report.
    Verwijzing.objects.create(school=p.school, leerling=p.in_a, instelling=jaar.instelling, reden="Later",
                              aangemeld_op=D(2021, 4, 1))
    response = zc.get(basis)
    assert response.context["cijfers"]["verwijzingen"]["totaal"] == 4 and response.context["form"] is None
    assert "Vastgesteld op" in response.content.decode()
    # Conclusions cannot change while vastgesteld.
    zc.post(basis + "conclusies/", {"conclusies": "Te laat", "versie": Jaarverslag.objects.get().versie})
    assert Jaarverslag.objects.get().conclusies == ""
    assert zc.post(basis + "heropenen/").status_code == 302
    assert zc.get(basis).context["cijfers"]["verwijzingen"]["totaal"] == 5
    assert Jaarverslag.objects.get().cijfers is None


def test_list_shows_status(personas, jaar):
    p = personas
    p.client(p.directie).post(f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/vaststellen/")
    html = p.client(p.directie).get("/kwaliteit/jaarverslag/").content.decode()
    assert "2020-2021" in html and "vastgesteld op" in html and "nog niet begonnen" in html


def test_pdf_renders(personas, jaar):
    p = personas
    response = p.client(p.directie).get(f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # pypdf is not installed: check the HTML the PDF is made of.
    from django.template.loader import render_to_string

    from zorg import jaarverslag_views

    request = type("R", (), {"school": p.school})()
    html = render_to_string("zorg/kwaliteit/pdf/jaarverslag.html", {
        **jaarverslag_views._context(request, jaar.jaar, None), "static_url": "/static/"})
    assert "Jeugdteam Noord" in html and "Niet bijgehouden" not in html and "<svg" not in html
    for leerling in Leerling.objects.all():
        assert leerling.achternaam not in html


def test_export(personas, jaar):
    p = personas
    f.SchooljaarFactory(school=p.school, naam="2019-2020", begin=D(2019, 8, 1), einde=D(2020, 7, 31))
    response = p.client(p.zorgcoordinator).get(f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/export/?formaat=xlsx")
    blad = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in blad[1]] == ["Cijfer", "2020-2021", "2019-2020"]
    rijen = {r[0]: r[1:] for r in blad.iter_rows(min_row=2, values_only=True)}
    assert rijen["Verwijzingen"] == (4, 1)
    assert rijen["Verwijzingen naar Jeugdteam Noord"][0] == 3
    csv = p.client(p.zorgcoordinator).get(f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/export/").content.decode("utf-8-sig")
    assert "Zorguren (waar bijgehouden);17.5;" in csv


def test_bounded_queries(personas, jaar, django_assert_max_num_queries):
    p = personas
    f.SchooljaarFactory(school=p.school, naam="2019-2020", begin=D(2019, 8, 1), einde=D(2020, 7, 31))
    client = p.client(p.zorgcoordinator)
    url = f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/"
    with django_assert_max_num_queries(80) as klein:
        assert client.get(url).status_code == 200
    jaar.vul()
    for i in range(10):
        leerling = jaar.leerling()
        f.DossieritemFactory(leerling=leerling, soort="zorgniveau", datum=D(2020, 10, 1 + i), van_niveau=jaar.n1,
                             naar_niveau=jaar.n2)
        Verwijzing.objects.create(school=p.school, leerling=leerling, instelling=f.InstellingFactory(school=p.school),
                                  reden="Zorgen", aangemeld_op=D(2020, 10, 1 + i))
    with django_assert_max_num_queries(len(klein.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_tampered_version_writes_nothing_and_says_so(personas, jaar):
    """Found by the fuzzer: a version nobody saved created the jaarverslag (409 but written), and a
    missing or broken version answered 400 without a message."""
    p = personas
    url = f"/kwaliteit/jaarverslag/{jaar.jaar.pk}/conclusies/"
    zc = p.client(p.zorgcoordinator)
    assert zc.post(url, {"conclusies": "Eerste tekst", "versie": 7}).status_code == 409
    assert not Jaarverslag.objects.exists()
    fout = zc.post(url, {"conclusies": "Mijn tekst", "versie": "x"})
    html = fout.content.decode()
    assert fout.status_code == 400 and "er is niets bewaard" in html and "Mijn tekst" in html
    assert not Jaarverslag.objects.exists()
    # The form shown again carries the current version: saving it works.
    versie = fout.context["form"]["versie"].value()
    assert zc.post(url, {"conclusies": "Mijn tekst", "versie": versie}).status_code == 302
    assert Jaarverslag.objects.get().conclusies == "Mijn tekst"
