"""Effect van interventies (issue 10): the figures per kind of intervention on a constructed dataset
with known answers, the filters (periode, afdeling, jaarlaag), the scope rules (teamleider own
afdeling, directie without names, others 404), the drill-down, the export and bounded queries.

The dataset (B = the schooljaar's begin; periode 1 = B .. B+150, periode 2 = the rest):

Kind X "Verlengde instructie" (leren), 9 uses, 8 evaluated:
  groepsplan of klas 1A (afdeling Onderbouw, leerjaar 1), periode 1:
    r1 ja (B+40, Aafke), r2 ja (B+50, Bert), r3 nee (B+60, Aafke), r5 ja (B+30, Bert), r4 not evaluated
  handelingsplan of Cor (4H, Bovenbouw, leerjaar 4), start B+10, evaluated B+100: d1 behaald, d2 deels
  dossier interventie of Cor, B+200, effect goed (behaald, no duration)
  afspraak of Aafke with kind X, made B+100, evaluated B+170: behaald (70 days)
  → behaald 6 of 8 = 75%; durations of behaald 30, 40, 50, 70, 90 → median 50 days;
    escalated: Aafke's opschaling at B+242 (exactly 182 days after r3; 72 after the afspraak, 202
    after r1: too late), Cor's at B+300 (100 days after the dossier item, 200 after d1/d2: too
    late), Bert's afgewezen one (does not count) → 3 of 8 = 38%.
Kind Y "Faalangstreductietraining" (arrangement faalangst), 3 evaluated:
  afspraak of Yara without kind, arrangement faalangst, behaald (counted via the arrangement)
  afspraak of Youp without kind, arrangement faalangst, niet, afgehandeld B+40; Youp escalated B+140
  handelingsplan goal of Aafke, behaald, besluit opschalen
  → "2 van 3" behaald (no percentage), "2 van 3" escalated.
"""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from besprekingen.models import Afspraak
from leerlingen.models import Dossieritem, Opschaling
from plannen.models import Doel, Groepsplan, GroepsplanRij, Handelingsplan
from tests import factories as f
from zorg import effect
from zorg.kwaliteit import Filters
from zorg.models import Interventiesoort, Periode

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

URL = reverse("kwaliteit_effect")


def _op(datum):
    """An aware datetime at noon on that day (Dutch time)."""
    return timezone.make_aware(datetime.datetime.combine(datum, datetime.time(12)))


class Data:
    def __init__(self, p):
        self.p = p
        b = self.b = p.jaar.begin
        dag = self.dag = lambda n: b + datetime.timedelta(days=n)
        p1 = self.p1 = Periode.objects.get(schooljaar=p.jaar, nummer=1)
        p1.einde = dag(150)
        p1.save()
        self.p2 = f.PeriodeFactory(schooljaar=p.jaar, nummer=2, begin=dag(151), einde=p.jaar.einde)
        p.klas_b.leerjaar = 4
        p.klas_b.save()
        self.x = Interventiesoort.objects.get(school=p.school, naam="Verlengde instructie")
        self.y = Interventiesoort.objects.get(school=p.school, naam="Faalangstreductietraining")
        self.yara = f.KlasplaatsingFactory(klas=p.klas_a2, leerling__voornaam="Yara", leerling__achternaam="IJzer",
                                           leerling__tussenvoegsel="").leerling
        self.youp = f.KlasplaatsingFactory(klas=p.klas_a2, leerling__voornaam="Youp", leerling__achternaam="Yntema",
                                           leerling__tussenvoegsel="").leerling
        zc = p.zorgcoordinator

        self.groepsplan = Groepsplan.objects.create(klas=p.klas_a, periode=p1, auteur=zc, status="lopend")
        for naam, oordeel, dagen, leerling in [("r1", "ja", 40, p.in_a), ("r2", "ja", 50, p.in_a2),
                                               ("r3", "nee", 60, p.in_a), ("r5", "ja", 30, p.in_a2),
                                               ("r4", "", None, p.in_a)]:
            rij = GroepsplanRij.objects.create(groepsplan=self.groepsplan, naam=naam, interventie=self.x,
                                               doel_bereikt=oordeel, geevalueerd_op=dag(dagen) if dagen else None)
            rij.leerlingen.set([leerling])
        # A row without a kind does not count.
        GroepsplanRij.objects.create(groepsplan=self.groepsplan, naam="zonder", doel_bereikt="ja",
                                     geevalueerd_op=dag(5))

        self.plan = Handelingsplan.objects.create(leerling=p.in_b, auteur=zc, start=dag(10), status="geevalueerd",
                                                  geevalueerd_op=_op(dag(100)), besluit="bijstellen")
        Doel.objects.create(handelingsplan=self.plan, doel="d1", resultaat="behaald", interventie=self.x)
        Doel.objects.create(handelingsplan=self.plan, doel="d2", resultaat="deels", interventie=self.x)
        self.item = Dossieritem.objects.create(leerling=p.in_b, soort="interventie", datum=dag(200), interventie=self.x,
                                               effect="goed", hulpvraag="Instructie")
        self.afspraak_x = Afspraak.objects.create(
            school=p.school, leerling=p.in_a, wat="Verlengde instructie rekenen", eigenaar=zc, uiterlijk=dag(160),
            aangemaakt_op=_op(dag(100)), interventie=self.x, resultaat="behaald", geevalueerd_op=dag(170),
            status="gedaan", afgehandeld_op=_op(dag(170)))

        Afspraak.objects.create(school=p.school, leerling=self.yara, wat="Faalangsttraining", eigenaar=zc,
                                uiterlijk=dag(60), aangemaakt_op=_op(dag(1)), arrangement="faalangst",
                                resultaat="behaald", geevalueerd_op=dag(30), status="gedaan")
        Afspraak.objects.create(school=p.school, leerling=self.youp, wat="Faalangsttraining", eigenaar=zc,
                                uiterlijk=dag(60), aangemaakt_op=_op(dag(1)), arrangement="faalangst",
                                resultaat="niet", status="gedaan", afgehandeld_op=_op(dag(40)))
        plan_y = Handelingsplan.objects.create(leerling=p.in_a, auteur=zc, start=dag(5), status="geevalueerd",
                                               geevalueerd_op=_op(dag(45)), besluit="opschalen")
        Doel.objects.create(handelingsplan=plan_y, doel="y", resultaat="behaald", interventie=self.y)

        for leerling, dagen, status in [(p.in_a, 242, "toegekend"), (p.in_b, 300, "aangevraagd"),
                                        (p.in_a2, 60, "afgewezen"), (self.youp, 140, "toegekend")]:
            o = Opschaling.objects.create(leerling=leerling, naar_niveau=p.niveau1, hulpvraag="Meer hulp",
                                          aangevraagd_door=zc, status=status)
            Opschaling.objects.filter(pk=o.pk).update(aangevraagd_op=_op(dag(dagen)))

    def filters(self, **kwargs):
        return Filters(**{"school": self.p.school, "schooljaar": self.p.jaar, "periode": None, "afdelingen": None,
                          "leerjaar": None, **kwargs})


@pytest.fixture
def data(benoemde_personas):
    return Data(benoemde_personas)


def _per_soort(rijen):
    return {c.soort.naam: c for c in rijen}


def test_figures_for_the_whole_school(data):
    rijen = _per_soort(effect.cijfers(data.filters()))
    assert set(rijen) == {"Verlengde instructie", "Faalangstreductietraining"}
    x = rijen["Verlengde instructie"]
    assert (x.ingezet, x.geevalueerd, x.behaald, x.deels, x.niet) == (9, 8, 6, 1, 1)
    assert x.aandeel_behaald == 75 and x.behaald_tekst == "75%"
    assert sorted(x.duren) == [30, 40, 50, 70, 90] and x.mediaan_dagen == 50
    assert x.opgeschaald == 3 and x.opgeschaald_tekst == "38%"
    y = rijen["Faalangstreductietraining"]
    assert (y.ingezet, y.geevalueerd, y.behaald, y.niet) == (3, 3, 2, 1)
    assert y.aandeel_behaald is None and y.behaald_tekst == "2 van 3"
    assert y.opgeschaald == 2 and y.opgeschaald_tekst == "2 van 3"
    assert y.mediaan_dagen is None  # fewer than 5 durations


def test_escalation_window_is_182_days(data):
    """Moving Aafke's opschaling one day later drops r3 (now 183 days) but keeps the afspraak."""
    Opschaling.objects.filter(leerling=data.p.in_a).update(aangevraagd_op=_op(data.dag(243)))
    x = _per_soort(effect.cijfers(data.filters()))["Verlengde instructie"]
    assert x.opgeschaald == 2
    # An afgewezen opschaling never counts, whatever its date: Bert's moved into r2's window.
    Opschaling.objects.filter(leerling=data.p.in_a2).update(aangevraagd_op=_op(data.dag(55)))
    assert _per_soort(effect.cijfers(data.filters()))["Verlengde instructie"].opgeschaald == 2


def test_arrangement_fallback_uses_the_schools_kind(data):
    """Without a kind and with an arrangement no kind has, an afspraak does not count."""
    Afspraak.objects.filter(leerling=data.yara).update(arrangement="dyslexie")
    Interventiesoort.objects.filter(school=data.p.school, arrangement="dyslexie").update(arrangement="")
    y = _per_soort(effect.cijfers(data.filters()))["Faalangstreductietraining"]
    assert (y.geevalueerd, y.behaald) == (2, 1)


def test_filter_by_periode(data):
    rijen = _per_soort(effect.cijfers(data.filters(periode=data.p1)))
    x = rijen["Verlengde instructie"]
    # periode 1: r1, r2, r3, r5, r4 (not evaluated, ends with the periode), d1, d2.
    assert (x.ingezet, x.geevalueerd, x.behaald) == (7, 6, 4) and x.behaald_tekst == "67%"
    p2 = _per_soort(effect.cijfers(data.filters(periode=data.p2)))
    assert (p2["Verlengde instructie"].ingezet, p2["Verlengde instructie"].behaald) == (2, 2)
    assert "Faalangstreductietraining" not in p2


def test_filter_by_afdeling_and_jaarlaag(data):
    bovenbouw = _per_soort(effect.cijfers(data.filters(afdelingen=frozenset({data.p.afdeling_b.pk}))))
    assert set(bovenbouw) == {"Verlengde instructie"}
    x = bovenbouw["Verlengde instructie"]
    assert (x.geevalueerd, x.behaald, x.behaald_tekst) == (3, 2, "2 van 3")
    leerjaar4 = _per_soort(effect.cijfers(data.filters(leerjaar=4)))
    assert leerjaar4["Verlengde instructie"].geevalueerd == 3 and set(leerjaar4) == {"Verlengde instructie"}


def test_other_schooljaar_counts_nothing(data):
    vorig = f.SchooljaarFactory(school=data.p.school, begin=data.b.replace(year=data.b.year - 1),
                                einde=data.b - datetime.timedelta(days=1), naam="vorig")
    assert effect.cijfers(data.filters(schooljaar=vorig)) == []


def test_page_shows_the_figures_for_the_zorgcoordinator(data):
    r = data.p.client(data.p.zorgcoordinator).get(URL)
    assert r.status_code == 200
    tekst = r.content.decode()
    assert "75%" in tekst and "2 van 3" in tekst and "50 dagen" in tekst and "38%" in tekst
    assert "<svg" in tekst and reverse("kwaliteit_effect_soort", args=[data.x.pk]) in tekst


def test_page_with_periode_filter(data):
    r = data.p.client(data.p.zorgcoordinator).get(URL, {"schooljaar": data.p.jaar.pk, "periode": data.p1.pk})
    assert r.status_code == 200 and "67%" in r.content.decode()


def test_bad_filter_gives_a_dutch_message(data):
    ander = f.SchooljaarFactory(school=data.p.school, begin=data.b.replace(year=data.b.year - 1),
                                einde=data.b - datetime.timedelta(days=1), naam="vorig")
    r = data.p.client(data.p.zorgcoordinator).get(URL, {"schooljaar": ander.pk, "periode": data.p1.pk})
    assert r.status_code == 400
    assert "hoort bij een ander schooljaar" in r.content.decode()


def test_teamleider_sees_only_own_afdeling(data):
    client = data.p.client(data.p.teamleider)
    tekst = client.get(URL).content.decode()
    # Onderbouw: r1, r2, r3, r5, r4, Aafke's afspraak → 5 evaluated, 4 behaald = 80%.
    assert "80%" in tekst and "75%" not in tekst
    # Choosing the other afdeling is not possible (not in the choices).
    r = client.get(URL, {"afdeling": data.p.afdeling_b.pk})
    assert r.status_code == 400 and "75%" not in r.content.decode()
    lijst = client.get(reverse("kwaliteit_effect_soort", args=[data.x.pk])).content.decode()
    assert "Aafke Akkerman" in lijst and "Cor Cremers" not in lijst


def test_drilldown_with_names_and_links_for_the_zorgcoordinator(data):
    r = data.p.client(data.p.zorgcoordinator).get(reverse("kwaliteit_effect_soort", args=[data.x.pk]))
    assert r.status_code == 200
    tekst = r.content.decode()
    assert "9 gevallen" in tekst
    assert "Aafke Akkerman" in tekst and "Cor Cremers" in tekst and "Bert Boomsma" in tekst
    assert reverse("groepsplan", args=[data.groepsplan.pk]) in tekst
    assert reverse("handelingsplan", args=[data.plan.pk]) in tekst
    assert reverse("dossier_item", args=[data.p.in_b.pk, data.item.pk]) in tekst
    assert reverse("leerling", args=[data.p.in_a.pk]) in tekst  # the afspraak without a bespreking
    # Newest first: the dossier item (B+200) comes before the afspraak (B+170).
    assert tekst.index(reverse("dossier_item", args=[data.p.in_b.pk, data.item.pk])) < tekst.index(
        reverse("leerling", args=[data.p.in_a.pk]))


def test_drilldown_for_directie_has_no_names_and_no_links(data):
    r = data.p.client(data.p.directie).get(reverse("kwaliteit_effect_soort", args=[data.x.pk]))
    assert r.status_code == 200
    tekst = r.content.decode()
    assert "9 gevallen" in tekst and "1A" in tekst and "4H" in tekst and "behaald" in tekst
    for naam in ("Aafke", "Akkerman", "Bert", "Cor Cremers"):
        assert not re.search(rf"\b{naam}\b", tekst)  # whole words: a staff name may contain "Bert"
    assert "/plannen/" not in tekst and f"/leerlingen/{data.p.in_b.pk}/" not in tekst
    # The figures page itself is open to the directie.
    assert "75%" in data.p.client(data.p.directie).get(URL).content.decode()


@pytest.mark.parametrize("rol", ["mentor", "docent", "ouder_user", "specialist", "beheerder", "extern", "zonder_rol"])
def test_others_get_404(data, rol):
    client = data.p.client(getattr(data.p, rol))
    for url in (URL, reverse("kwaliteit_effect_export") + "?formaat=csv",
                reverse("kwaliteit_effect_soort", args=[data.x.pk])):
        assert client.get(url).status_code == 404, url


def test_drilldown_is_paginated_newest_first(data, monkeypatch):
    monkeypatch.setattr(effect, "PER_PAGINA", 4)
    client = data.p.client(data.p.zorgcoordinator)
    url = reverse("kwaliteit_effect_soort", args=[data.x.pk])
    eerste = client.get(url).content.decode()
    assert "9 gevallen" in eerste and "pagina 1 van 3" in eerste and "pagina=2" in eerste
    assert reverse("dossier_item", args=[data.p.in_b.pk, data.item.pk]) in eerste
    derde = client.get(url, {"pagina": 3}).content.decode()
    # The oldest case: r5 (Bert, B+30) of the groepsplan.
    assert "pagina 3 van 3" in derde and "Bert Boomsma" in derde and "Cor Cremers" not in derde


def test_other_schools_kind_is_404(data):
    ander = Interventiesoort.objects.filter(school=data.p.andere_school).first()
    r = data.p.client(data.p.zorgcoordinator).get(reverse("kwaliteit_effect_soort", args=[ander.pk]))
    assert r.status_code == 404


def test_empty_state_explains_where_kinds_are_chosen(benoemde_personas):
    r = benoemde_personas.client(benoemde_personas.zorgcoordinator).get(URL)
    assert r.status_code == 200
    tekst = r.content.decode()
    assert "groepsplan" in tekst and "handelingsplan" in tekst and "afspraak" in tekst and "dossier" in tekst
    assert "Nog geen interventies met een soort" in tekst


def test_export_csv(data):
    r = data.p.client(data.p.zorgcoordinator).get(reverse("kwaliteit_effect_export"), {"formaat": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rijen = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rijen[0][1] == "Soort interventie"
    per_soort = {rij[1]: rij for rij in rijen[1:]}
    assert per_soort["Verlengde instructie"][2:] == ["9", "8", "6", "1", "1", "75", "50", "3", "38"]
    assert per_soort["Faalangstreductietraining"][7] == ""  # no percentage under 5 cases


def test_export_xlsx_opens(data):
    from openpyxl import load_workbook

    r = data.p.client(data.p.directie).get(reverse("kwaliteit_effect_export"),
                                           {"formaat": "xlsx", "schooljaar": data.p.jaar.pk, "periode": data.p1.pk})
    assert r.status_code == 200
    blad = load_workbook(io.BytesIO(r.content)).active
    waarden = {rij[1]: rij for rij in blad.iter_rows(min_row=2, values_only=True)}
    assert waarden["Verlengde instructie"][2:5] == (7, 6, 4)


def test_export_with_unknown_format_is_refused(data):
    r = data.p.client(data.p.zorgcoordinator).get(reverse("kwaliteit_effect_export"), {"formaat": "pdf"})
    assert r.status_code == 400 and "CSV of XLSX" in r.content.decode()


def _meer(data, n):
    """n more cases in every source, for every pupil kind (to show the query count does not grow)."""
    p, zc = data.p, data.p.zorgcoordinator
    for i in range(n):
        leerling = f.KlasplaatsingFactory(klas=p.klas_a if i % 2 else p.klas_b).leerling
        rij = GroepsplanRij.objects.create(groepsplan=data.groepsplan, interventie=data.y, doel_bereikt="ja",
                                           geevalueerd_op=data.dag(20 + i))
        rij.leerlingen.set([leerling])
        plan = Handelingsplan.objects.create(leerling=leerling, auteur=zc, start=data.dag(3), status="geevalueerd",
                                             geevalueerd_op=_op(data.dag(90)))
        Doel.objects.create(handelingsplan=plan, doel="d", resultaat="niet", interventie=data.x)
        Afspraak.objects.create(school=p.school, leerling=leerling, wat="RT", eigenaar=zc, uiterlijk=data.dag(50),
                                arrangement="rt", resultaat="deels", geevalueerd_op=data.dag(50))
        Dossieritem.objects.create(leerling=leerling, soort="interventie", datum=data.dag(80 + i),
                                   interventie=data.y, effect="geen")


# Login, second step, roles and the filter form's choices (≈ 17) + one aggregate per source + the kinds.
MAX_QUERIES = 24


@pytest.mark.parametrize("extra", [0, 12])
def test_query_count_is_bounded(data, extra, django_assert_max_num_queries):
    _meer(data, extra)
    for user in (data.p.zorgcoordinator, data.p.teamleider):
        client = data.p.client(user)
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(URL).status_code == 200
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(reverse("kwaliteit_effect_soort", args=[data.x.pk])).status_code == 200
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(reverse("kwaliteit_effect_export"), {"formaat": "csv"}).status_code == 200
