"""Kwaliteitszorg, shared pieces: who reads the quality figures, the filter, the small-numbers
rule, the chart tag with its table alternative, and the CSV/XLSX download."""

import io

import pytest
from django.template import Context, Template
from openpyxl import load_workbook

from tests import factories as f
from zorg import kwaliteit, tabelexport, toegang
from zorg.models import Interventiesoort, School

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


def test_scope_per_role(personas):
    p = personas
    zc = toegang.kwaliteit_scope(p.zorgcoordinator, p.school)
    assert (zc.afdelingen, zc.namen) == (None, True)
    directie = toegang.kwaliteit_scope(p.directie, p.school)
    assert (directie.afdelingen, directie.namen) == (None, False)
    teamleider = toegang.kwaliteit_scope(p.teamleider, p.school)
    assert (teamleider.afdelingen, teamleider.namen) == (frozenset({p.afdeling_a.pk}), True)
    for user in (p.mentor, p.docent, p.specialist, p.beheerder, p.ouder_user, p.extern, p.zonder_rol):
        assert toegang.kwaliteit_scope(user, p.school) is None
    assert toegang.kwaliteit_scope(p.zorgcoordinator, p.andere_school) is None
    assert toegang.mag_kwaliteitsbeleid(p.directie, p.school)
    assert not toegang.mag_kwaliteitsbeleid(p.teamleider, p.school)
    assert toegang.mag_interventiecatalogus(p.zorgcoordinator, p.school)
    assert not toegang.mag_interventiecatalogus(p.directie, p.school)


def test_start_page_shows_what_each_role_may_open(personas):
    p = personas
    zc = p.client(p.zorgcoordinator).get("/kwaliteit/").content.decode()
    for tegel in ("Effect van interventies", "Doorlooptijden", "Jaarverslag", "Zelfevaluatie", "Soorten interventies"):
        assert tegel in zc
    teamleider = p.client(p.teamleider).get("/kwaliteit/").content.decode()
    assert "Effect van interventies" in teamleider and "Jaarverslag" not in teamleider
    directie = p.client(p.directie).get("/kwaliteit/").content.decode()
    assert "zonder namen" in directie and "Soorten interventies" not in directie
    assert p.client(p.mentor).get("/kwaliteit/").status_code == 404


def test_filter_keeps_a_teamleider_in_their_afdeling(personas):
    p = personas
    scope = toegang.kwaliteit_scope(p.teamleider, p.school)
    form = kwaliteit.KwaliteitFilter({"afdeling": p.afdeling_b.pk}, scope)
    assert not form.is_valid() and "afdeling" in form.errors
    filters = kwaliteit.KwaliteitFilter({}, scope).filters()
    assert filters.afdelingen == frozenset({p.afdeling_a.pk})
    assert set(filters.klassen()) == {p.klas_a, p.klas_a2}
    assert (filters.van, filters.tot) == (p.jaar.begin, p.jaar.einde)


def test_filter_refuses_a_periode_of_another_year(personas):
    p = personas
    ander_jaar = f.SchooljaarFactory(school=p.school, naam="2019-2020", begin="2019-08-01", einde="2020-07-31")
    periode = f.PeriodeFactory(schooljaar=ander_jaar, nummer=1, begin="2019-08-01", einde="2019-11-30")
    scope = toegang.kwaliteit_scope(p.zorgcoordinator, p.school)
    form = kwaliteit.KwaliteitFilter({"schooljaar": p.jaar.pk, "periode": periode.pk}, scope)
    assert not form.is_valid()
    assert "ander schooljaar" in str(form.errors["periode"])
    filters = kwaliteit.KwaliteitFilter({"periode": periode.pk}, scope).filters()
    periode.refresh_from_db()
    assert (filters.schooljaar, filters.van, filters.tot) == (ander_jaar, periode.begin, periode.einde)


def test_small_numbers_get_no_percentage():
    assert kwaliteit.aandeel(3, 4) is None
    assert kwaliteit.aandeel(4, 6) == 67
    assert kwaliteit.aandeel(0, 0) is None
    assert kwaliteit.mediaan([1, 2, 3, 4]) is None
    assert kwaliteit.mediaan([5, 1, 3, 2, 4, None]) == 3


def test_chart_has_a_table_alternative_and_marks_small_numbers():
    html = Template("{% load grafieken %}{% staafdiagram rijen titel='Doel behaald' eenheid='%' maximum=100 %}").render(
        Context({"rijen": [("Verlengde instructie", 70, "7 van 10"), ("RT", None, "2 van 3")]})
    )
    assert 'role="img"' in html and "<table" in html
    assert "Verlengde instructie" in html and "70%" in html and "7 van 10" in html
    assert "te weinig gegevens" in html
    assert html.count("<rect") == 1  # no bar for the small number
    assert 'width="280.0"' in html  # 70% of the 400-wide drawing area
    assert "style=" not in html  # strict CSP


def test_download_never_writes_formulas_and_opens_as_xlsx():
    rijen = [["=SUM(A1)", 3, "gewoon"], ["+31 6", 4.5, None]]
    csv = tabelexport.tabel_download("cijfers", ["Wat", "Aantal", "Opm"], rijen, "csv")
    tekst = csv.content.decode("utf-8-sig")
    assert "'=SUM(A1);3;gewoon" in tekst and "'+31 6;4.5;" in tekst
    assert csv["Content-Disposition"] == 'attachment; filename="cijfers.csv"'
    xlsx = tabelexport.tabel_download("cijfers", ["Wat", "Aantal", "Opm"], rijen, "xlsx")
    blad = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in blad[1]] == ["Wat", "Aantal", "Opm"]
    assert blad["A2"].value == "'=SUM(A1)" and blad["B2"].value == 3 and blad["B3"].value == 4.5


@pytest.mark.django_db
def test_a_new_school_gets_the_standard_catalogue():
    school = School.objects.create(naam="Nieuw College")
    namen = set(Interventiesoort.objects.filter(school=school).values_list("naam", flat=True))
    assert {"Verlengde instructie", "Faalangstreductietraining", "Remedial teaching (RT)"} <= namen
    assert Interventiesoort.objects.get(school=school, naam="Counseling").arrangement == "counseling"


def test_chart_values_use_the_dutch_decimal_comma_and_svg_coordinates_a_dot():
    html = Template("{% load grafieken %}{% staafdiagram rijen titel='Gemiddelde' maximum=4 %}").render(
        Context({"rijen": [("Schoolklimaat", 2.54, "")]})
    )
    assert ">2,5<" in html
    assert 'width="254.0"' in html
