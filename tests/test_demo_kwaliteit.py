"""Kwaliteitszorg demo data (zorg/demo_kwaliteit.py): several schooljaren of typed, evaluated care in
which the kinds of intervention clearly differ, with route data, a jaarverslag and zelfevaluaties."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.utils import timezone

from besprekingen.models import Aanmelding, Afspraak, Bespreking
from extern.models import Verwijzing
from leerlingen.models import Dossieritem, Opschaling
from plannen.models import Doel, GroepsplanRij, Handelingsplan
from zorg import demo, demo_kwaliteit
from zorg.models import Antwoord, Interventiesoort, Jaarverslag, Verbeterpunt, Zelfevaluatie

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

SCHOOLJAREN = 3


@pytest.fixture
def school(db):
    return demo.bouw_school(klassen=4, leerlingen_per_klas=6, schooljaren=SCHOOLJAREN).school


def _gevallen(school):
    """Every evaluated case as (kind name, schooljaar begin year, reached?, evaluation date)."""
    naam = dict(Interventiesoort.objects.filter(school=school).values_list("pk", "naam"))
    gevallen = []
    for soort, oordeel, datum in GroepsplanRij.objects.filter(
        groepsplan__klas__schooljaar__school=school, interventie__isnull=False
    ).exclude(doel_bereikt="").values_list("interventie", "doel_bereikt", "geevalueerd_op"):
        gevallen.append((naam[soort], demo_kwaliteit.schooljaar_van(datum), oordeel == "ja", datum))
    for soort, resultaat, moment in Doel.objects.filter(
        handelingsplan__leerling__school=school, interventie__isnull=False
    ).exclude(resultaat="").values_list("interventie", "resultaat", "handelingsplan__geevalueerd_op"):
        datum = timezone.localtime(moment).date()
        gevallen.append((naam[soort], demo_kwaliteit.schooljaar_van(datum), resultaat == "behaald", datum))
    for soort, resultaat, datum in Afspraak.objects.filter(school=school, interventie__isnull=False).exclude(
        resultaat=""
    ).values_list("interventie", "resultaat", "geevalueerd_op"):
        gevallen.append((naam[soort], demo_kwaliteit.schooljaar_van(datum), resultaat == "behaald", datum))
    return gevallen


def test_every_used_kind_has_evaluated_cases_and_the_rates_differ(school):
    gevallen = _gevallen(school)
    per_soort = defaultdict(list)
    for naam, _jaar, behaald, _datum in gevallen:
        per_soort[naam].append(behaald)
    gebruikt = set(
        GroepsplanRij.objects.filter(interventie__school=school).values_list("interventie__naam", flat=True)
    ) | set(Doel.objects.filter(interventie__school=school).values_list("interventie__naam", flat=True)) | set(
        Afspraak.objects.filter(interventie__school=school).values_list("interventie__naam", flat=True)
    )
    assert gebruikt - {None} <= set(per_soort), "a kind is used but never evaluated"
    for naam in [demo_kwaliteit.VI, demo_kwaliteit.HW, demo_kwaliteit.RT, demo_kwaliteit.FRT, demo_kwaliteit.SOVA,
                 demo_kwaliteit.COUNS]:
        assert len(per_soort[naam]) >= 5, naam
    percentages = {naam: 100 * sum(r) / len(r) for naam, r in per_soort.items() if len(r) >= 10}
    assert len(percentages) >= 5
    assert max(percentages.values()) - min(percentages.values()) >= 20, percentages
    assert percentages[demo_kwaliteit.VI] > percentages[demo_kwaliteit.SOVA] + 15


def test_several_schooljaren_evaluated_none_in_the_future(school):
    vandaag = datetime.date.today()
    gevallen = _gevallen(school)
    jaren = Counter(jaar for _n, jaar, _b, _d in gevallen)
    huidig = demo_kwaliteit.schooljaar_van(vandaag)
    assert {huidig - 1, huidig - 2} <= {jaar for jaar, n in jaren.items() if n >= 10}, jaren
    assert all(datum <= vandaag for _n, _j, _b, datum in gevallen)
    assert not Handelingsplan.objects.filter(leerling__school=school, geevalueerd_op__gt=timezone.now()).exists()
    assert not Opschaling.objects.filter(leerling__school=school, aangevraagd_op__gt=timezone.now()).exists()
    # Dossier interventions are typed and carry an effect.
    interventies = Dossieritem.objects.filter(leerling__school=school, soort=Dossieritem.Soort.INTERVENTIE)
    assert interventies.exists()
    assert not interventies.filter(interventie=None).exists()
    assert interventies.exclude(effect="").exists()


def test_afspraken_have_hours_and_route_data_spans_the_years(school):
    arrangementen = Afspraak.objects.filter(school=school, soort=Afspraak.Soort.ARRANGEMENT)
    assert arrangementen.exists()
    assert not arrangementen.filter(zorguren=None).exists()
    assert not arrangementen.filter(interventie=None).exists()
    # Sova is escalated afterwards more often than verlengde instructie: an Opschaling after the evaluation.
    vorig_jaar = demo_kwaliteit.schooljaar_van(datetime.date.today()) - 1
    for begin in range(vorig_jaar - 1, vorig_jaar + 1):
        aanmeldingen = Aanmelding.objects.filter(school=school, agendapunt__bespreking__begin__year__in=[begin,
                                                                                                       begin + 1])
        assert aanmeldingen.exists()
        assert all(a.aangemeld_op < a.agendapunt.bespreking.begin for a in aanmeldingen.select_related(
            "agendapunt__bespreking"))
        assert Bespreking.objects.filter(school=school, soort="groepsbespreking", status="gehouden",
                                         periode__schooljaar__begin__year=begin).count() >= 8
    gestart = Verwijzing.objects.filter(school=school, gestart_op__isnull=False)
    assert gestart.count() >= 4
    assert all(v.gestart_op > v.aangemeld_op for v in gestart)


def test_escalations_follow_sova_more_than_verlengde_instructie(school):
    opgeschaald = set(Opschaling.objects.filter(leerling__school=school).values_list("leerling_id", flat=True))
    assert opgeschaald

    def aandeel(naam):
        leerlingen = list(Doel.objects.filter(handelingsplan__leerling__school=school, interventie__naam=naam)
                          .exclude(resultaat="").values_list("handelingsplan__leerling_id", flat=True))
        return sum(pk in opgeschaald for pk in leerlingen) / max(1, len(leerlingen))

    assert aandeel(demo_kwaliteit.SOVA) > aandeel(demo_kwaliteit.VI)


def test_jaarverslag_and_zelfevaluaties(school):
    verslag = Jaarverslag.objects.get(school=school)
    assert verslag.schooljaar == school.schooljaren.order_by("-begin")[1]
    assert verslag.vastgesteld_op is None and len(verslag.conclusies.split("\n\n")) >= 2
    gesloten = Zelfevaluatie.objects.get(school=school, status=Zelfevaluatie.Status.GESLOTEN)
    assert 15 <= gesloten.respondenten.count() <= 25
    assert len(set(gesloten.respondenten.values_list("rol", flat=True))) == 4
    assert Verbeterpunt.objects.filter(zelfevaluatie=gesloten).count() == 3
    # Clear strong and weak rubrieken.
    gemiddeld = defaultdict(list)
    for naam, score in Antwoord.objects.filter(respondent__zelfevaluatie=gesloten, score__gt=0).values_list(
        "vraag__rubriek__naam", "score"
    ):
        gemiddeld[naam].append(score)
    assert sum(gemiddeld["De mentor"]) / len(gemiddeld["De mentor"]) >= sum(gemiddeld["Handelingsplannen"]) / len(
        gemiddeld["Handelingsplannen"]) + 1
    open_ronde = Zelfevaluatie.objects.get(school=school, status=Zelfevaluatie.Status.OPEN)
    ingelogd = set(open_ronde.respondenten.filter(ingediend_op=None).values_list("gebruiker__username", flat=True))
    assert {"mentor", "docent", "zorgcoordinator"} <= ingelogd
    assert open_ronde.sluit_op > datetime.date.today()


@pytest.mark.django_db
def test_deterministic_and_the_single_year_demo_still_builds():
    def lees():
        with transaction.atomic():
            school = demo.bouw_school(klassen=2, leerlingen_per_klas=5, schooljaren=2).school
            rijen = sorted(GroepsplanRij.objects.filter(groepsplan__klas__schooljaar__school=school).values_list(
                "naam", "doel_bereikt", "geevalueerd_op"))
            doelen = sorted(Doel.objects.values_list("interventie__naam", "resultaat"), key=str)
            transaction.set_rollback(True)
        return rijen, doelen

    assert lees() == lees()
    school = demo.bouw_school(klassen=2, leerlingen_per_klas=5, schooljaren=1).school
    assert not Jaarverslag.objects.filter(school=school).exists()  # no last year to report on
    assert Zelfevaluatie.objects.filter(school=school, status=Zelfevaluatie.Status.OPEN).exists()
