"""The demo school's dossiers: a realistic spread over the zorgniveaus, rich timelines in the demo
mentor's klas, deterministic per seed, and a gesprek shared with the demo parent."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from extern.models import Toestemming
from leerlingen.models import Dossieritem, Leerling, OuderRelatie
from zorg import demo, toegang
from zorg.models import Gebruiker, Klas, Lesopdracht, School, Zorgniveau

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


def _mentor_klas(school):
    return Klas.objects.get(schooljaar=school.huidig_schooljaar(), mentoren__username="mentor")


def test_every_level_has_entries_and_more_care_means_a_longer_timeline(demo_school):
    school = demo_school.school
    gemiddeld = {}
    for niveau in Zorgniveau.objects.filter(zorgroute__school=school).order_by("volgorde"):
        leerlingen = Leerling.objects.filter(school=school, zorgniveau=niveau)
        items = Dossieritem.objects.filter(leerling__in=leerlingen)
        assert items.exists(), f"no entries at zorgniveau {niveau.code}"
        gemiddeld[niveau.volgorde] = items.count() / leerlingen.count()
    assert gemiddeld[1] < gemiddeld[2] < gemiddeld[3]
    assert set(Dossieritem.objects.values_list("soort", flat=True)) >= {
        "signalering", "interventie", "gesprek", "bijzonderheid", "zorgniveau",
    }


def test_mentors_klas_has_a_pupil_per_level_with_a_rich_timeline(demo_school):
    klas = _mentor_klas(demo_school.school)
    rijk = (
        Leerling.objects.filter(plaatsingen__klas=klas)
        .annotate(n=Count("dossieritems"))
        .filter(n__gte=10)
        .values_list("zorgniveau__volgorde", flat=True)
    )
    assert set(rijk) >= {1, 2, 3, 4}


def test_each_step_up_has_a_besluit_by_the_right_person_and_level_4_has_consent(demo_school):
    school = demo_school.school
    zc = Gebruiker.objects.get(username="zorgcoordinator")
    for leerling in Leerling.objects.filter(school=school, zorgniveau__volgorde__gte=2).select_related("zorgniveau"):
        besluiten = list(leerling.dossieritems.filter(soort="zorgniveau").order_by("datum", "aangemaakt_op")
                         .select_related("van_niveau", "naar_niveau"))
        stappen = [(b.van_niveau.volgorde, b.naar_niveau.volgorde) for b in besluiten]
        assert stappen == [(v, v + 1) for v in range(1, leerling.zorgniveau.volgorde)], leerling
        for besluit in besluiten:
            assert besluit.tekst
            if besluit.naar_niveau.volgorde == 2:
                assert besluit.auteur.functies.filter(soort="teamleider").exists()
            else:
                assert besluit.auteur == zc and besluit.case_manager == zc
        if leerling.zorgniveau.toestemming_vereist:
            toestemming = Toestemming.objects.get(leerling=leerling, doel="zorgniveau")
            assert toestemming.is_geldig()
            assert OuderRelatie.objects.filter(ouder=toestemming.ouder, leerling=leerling, gezag=True).exists()
            assert toestemming.datum <= besluiten[-1].datum


def test_entries_are_dated_this_schooljaar_up_to_today_and_made_that_day(demo_school):
    school = demo_school.school
    huidig = school.huidig_schooljaar()
    items = Dossieritem.objects.filter(leerling__school=school)
    assert not items.filter(datum__gt=timezone.localdate()).exists()
    assert not items.filter(datum__lt=huidig.begin).exists()  # one schooljaar: no history
    for item in items[:200]:
        assert timezone.localtime(item.aangemaakt_op).date() == item.datum


def test_who_writes_and_who_may_read(demo_school):
    school = demo_school.school
    huidig = school.huidig_schooljaar()
    items = Dossieritem.objects.filter(leerling__school=school)
    # Signaleringen come from the klas: its mentor or a docent teaching it.
    for item in items.filter(soort="signalering").select_related("leerling"):
        klas = Klas.objects.get(schooljaar=huidig, plaatsingen__leerling=item.leerling)
        assert (
            klas.mentoren.filter(pk=item.auteur_id).exists()
            or Lesopdracht.objects.filter(klas=klas, docent_id=item.auteur_id).exists()
        ), item
    # Mostly team; bijzonderheden confidential (talents aside); some shared with ouders; a few handelingstips.
    per_niveau = dict(items.values_list("vertrouwelijkheid").annotate(n=Count("id")))
    assert per_niveau["team"] > per_niveau["ouders"] > 0 and per_niveau["vertrouwelijk"] > 0
    assert not items.filter(soort="bijzonderheid", vertrouwelijkheid="team").exclude(categorie="talent").exists()
    assert items.filter(voor_docenten=True).exists()
    # Interventies fill in the interventieformulier.
    for item in items.filter(soort="interventie"):
        assert item.hulpvraag and item.acties and item.uitgevoerd_door, item


def test_demo_parent_reads_a_shared_gesprek_of_their_child_in_the_mentors_klas(demo_school):
    ouder = Gebruiker.objects.get(username="ouder")
    klas = _mentor_klas(demo_school.school)
    kind = Leerling.objects.get(plaatsingen__klas=klas, ouderrelaties__ouder__gebruiker=ouder)
    gedeeld = toegang.dossieritems_voor(ouder, None, kind).filter(soort="gesprek", vertrouwelijkheid="ouders")
    assert gedeeld.exists()
    assert gedeeld.filter(gesprek_met__in=["ouders", "leerling_ouders"]).exclude(afspraken="").exists()


def _bouw_en_lees(**kwargs):
    with transaction.atomic():
        demo.bouw_school(**kwargs)
        items = list(
            Dossieritem.objects.order_by("leerling__leerlingnummer", "datum", "aangemaakt_op").values_list(
                "leerling__leerlingnummer", "soort", "datum", "aangemaakt_op", "auteur__username", "vertrouwelijkheid",
                "voor_docenten", "titel", "tekst", "hulpvraag", "acties", "effect", "afspraken",
                "naar_niveau__code", "case_manager__username",
            )
        )
        toestemmingen = sorted(Toestemming.objects.values_list("leerling__leerlingnummer", "ouder__voornaam", "datum"))
        transaction.set_rollback(True)
    assert not School.objects.exists()
    return items, toestemmingen


@pytest.mark.django_db
def test_dossiers_are_deterministic_per_seed():
    eerste = _bouw_en_lees(klassen=3, leerlingen_per_klas=6, schooljaren=2, seed=3)
    tweede = _bouw_en_lees(klassen=3, leerlingen_per_klas=6, schooljaren=2, seed=3)
    assert eerste == tweede
    assert len(eerste[0]) > 20
    ander = _bouw_en_lees(klassen=3, leerlingen_per_klas=6, schooljaren=2, seed=4)
    assert ander[0] != eerste[0]


@pytest.mark.django_db
def test_history_years_get_entries_too():
    school = demo.bouw_school(klassen=3, leerlingen_per_klas=8, schooljaren=3).school
    begin = school.huidig_schooljaar().begin
    items = Dossieritem.objects.filter(leerling__school=school)
    assert items.filter(datum__lt=begin).exists()
    assert not items.filter(datum__lt=datetime.date(begin.year - 2, 8, 1)).exists()


@pytest.mark.django_db
def test_bench_volume_items_per_pupil_per_year_and_one_timeline_of_100():
    school = demo.bouw_school(
        klassen=2, leerlingen_per_klas=10, schooljaren=2, items_per_leerling_per_jaar=30, dossier_historie=False,
    ).school
    items = Dossieritem.objects.filter(leerling__school=school)
    per_leerling_per_jaar = items.count() / (20 * 2)
    assert 20 <= per_leerling_per_jaar <= 60
    langste = (
        Leerling.objects.filter(plaatsingen__klas=_mentor_klas(school)).annotate(n=Count("dossieritems")).order_by("-n")
    ).first()
    assert langste.n >= 100
    assert not Dossieritem.history.exists()  # skipped for bench volume


@pytest.mark.django_db
def test_default_build_keeps_history_rows():
    demo.bouw_school(klassen=2, leerlingen_per_klas=5)
    assert Dossieritem.history.count() == Dossieritem.objects.count() > 0
    eerste = Dossieritem.objects.order_by("pk").first()
    historie = eerste.history.get()
    assert historie.history_user_id == eerste.auteur_id
    assert historie.history_date == eerste.aangemaakt_op


def test_demo_has_open_hulpvragen_for_the_teamleider_and_the_zorgcoordinator(demo_school):
    from leerlingen.models import Opschaling
    from leerlingen.route import te_beoordelen
    from zorg.models import Gebruiker

    open_ = Opschaling.objects.filter(status=Opschaling.Status.AANGEVRAAGD).select_related("naar_niveau")
    assert sorted(o.naar_niveau.besloten_door for o in open_) == ["teamleider", "zorgcoordinator"]
    assert all(o.geschiedenis for o in open_)
    school = demo_school.school
    for username in ("teamleider", "zorgcoordinator"):
        assert len(te_beoordelen(Gebruiker.objects.get(username=username), school)) == 1


def test_pupils_from_level_2_have_a_vastgesteld_handelingsplan(demo_school):
    from plannen.models import Handelingsplan

    school = demo_school.school
    hoog = Leerling.objects.filter(school=school, zorgniveau__volgorde__gte=2)
    # (besides the concept the demo mentor laid before the demo parent: zorg/demo_ouders.py)
    plannen = Handelingsplan.objects.filter(leerling__school=school, voorgelegd_op__isnull=True)
    assert plannen.count() == hoog.count() > 0
    assert set(plannen.values_list("status", flat=True)) == {"vastgesteld"}
    assert all(plan.doelen.count() == 2 and plan.beginsituatie for plan in plannen)
