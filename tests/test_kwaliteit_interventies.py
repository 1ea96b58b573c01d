"""Kwaliteitszorg (issue 10): the school's catalogue of intervention kinds (zorgcoördinator only),
and the kind plus the evaluation recorded on groepsplan rows, handelingsplan goals, afspraken and
dossier interventions. Another school's kind is always refused with a message, never stored."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from besprekingen import services, vergadering
from besprekingen.models import Afspraak, Agendapunt, Bespreking
from leerlingen.models import Dossieritem
from plannen.models import Doel, Groepsplan, GroepsplanRij, Handelingsplan
from tests import factories as f
from tests.test_groepsplan import maak as maak_groepsplan
from tests.test_handelingsplan import SECTIES, formsets
from zorg import interventies
from zorg.models import Interventiesoort

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

VANDAAG = timezone.localdate()
LIJST = reverse("interventiesoorten")


@pytest.fixture
def p(personas):
    p = personas
    p.periode = p.jaar.perioden.get()
    p.rt = Interventiesoort.objects.get(school=p.school, naam="Remedial teaching (RT)")
    p.sova = Interventiesoort.objects.get(school=p.school, naam="Sociale vaardigheidstraining (sova)")
    p.vreemd = Interventiesoort.objects.get(school=p.andere_school, naam="Remedial teaching (RT)")
    return p


def soort_data(**extra):
    return {"naam": "Examentraining", "domein": "leren", "arrangement": "", "omschrijving": "", "volgorde": "",
            "actief": "on", **extra}


def html(r, status=200):
    assert r.status_code == status, r.content.decode()[:2000]
    return r.content.decode()


# --- Catalogue ------------------------------------------------------------------------------------


def test_new_school_gets_the_standard_catalogue_and_filling_up_is_idempotent(db):
    school = f.SchoolFactory(naam="Nieuw College")
    namen = list(Interventiesoort.objects.filter(school=school).values_list("naam", flat=True))
    assert sorted(namen) == sorted(naam for naam, _d, _a in interventies.STANDAARD)
    assert Interventiesoort.objects.get(school=school, arrangement="faalangst").naam == "Faalangstreductietraining"
    Interventiesoort.objects.filter(school=school, naam="Counseling").delete()
    assert interventies.maak_standaardcatalogus(school) == 1
    assert interventies.maak_standaardcatalogus(school) == 0
    assert Interventiesoort.objects.filter(school=school).count() == len(interventies.STANDAARD)


@pytest.mark.parametrize("wie", ["mentor", "docent", "teamleider", "directie", "specialist", "beheerder",
                                 "ouder_user", "extern", "zonder_rol"])
def test_catalogue_is_the_zorgcoordinators_only(p, wie):
    client = p.client(getattr(p, wie))
    assert client.get(LIJST).status_code == 404
    assert client.post(LIJST, soort_data()).status_code == 404
    assert client.get(reverse("interventiesoort_wijzigen", args=[p.rt.pk])).status_code == 404
    assert client.post(reverse("interventiesoort_verwijderen", args=[p.rt.pk])).status_code == 404
    assert client.post(reverse("interventies_standaard")).status_code == 404
    assert not Interventiesoort.objects.filter(naam="Examentraining").exists()
    assert Interventiesoort.objects.filter(pk=p.rt.pk).exists()


def test_another_schools_kind_is_404_for_the_zorgcoordinator(p):
    client = p.client(p.zorgcoordinator)
    assert client.get(reverse("interventiesoort_wijzigen", args=[p.vreemd.pk])).status_code == 404
    assert client.post(reverse("interventiesoort_verwijderen", args=[p.vreemd.pk])).status_code == 404
    assert Interventiesoort.objects.filter(pk=p.vreemd.pk).exists()


def test_list_add_edit_and_switch_off(p):
    client = p.client(p.zorgcoordinator)
    pagina = html(client.get(LIJST))
    assert "Remedial teaching (RT)" in pagina and "Ander Lyceum" not in pagina
    r = client.post(LIJST, soort_data(arrangement="huiswerk"))
    assert r.status_code == 302
    nieuw = Interventiesoort.objects.get(school=p.school, naam="Examentraining")
    assert nieuw.domein == "leren" and nieuw.arrangement == "huiswerk" and nieuw.actief
    assert nieuw.volgorde > p.rt.volgorde  # appended at the end when no order is given
    url = reverse("interventiesoort_wijzigen", args=[nieuw.pk])
    assert "Examentraining" in html(client.get(url))
    r = client.post(url, soort_data(naam="Examentraining havo", domein="werkhouding", omschrijving="4 weken",
                                    volgorde="3", actief=""))
    assert r.status_code == 302
    nieuw.refresh_from_db()
    assert (nieuw.naam, nieuw.domein, nieuw.omschrijving, nieuw.volgorde, nieuw.actief) == (
        "Examentraining havo", "werkhouding", "4 weken", 3, False)
    # A switched-off kind is no longer offered for new choices.
    assert nieuw not in interventies.keuzes(p.school)
    assert nieuw in interventies.keuzes(p.school, nieuw.pk)


def test_duplicate_name_refused_with_message_and_input_kept(p):
    client = p.client(p.zorgcoordinator)
    r = client.post(LIJST, soort_data(naam="remedial teaching (rt)", omschrijving="mijn omschrijving"))
    pagina = html(r, 400)
    assert "heeft al een soort interventie met de naam" in pagina and "mijn omschrijving" in pagina
    assert Interventiesoort.objects.filter(school=p.school, naam__iexact="remedial teaching (rt)").count() == 1
    # Renaming onto another kind's name is refused too; keeping one's own name is fine.
    url = reverse("interventiesoort_wijzigen", args=[p.sova.pk])
    pagina = html(client.post(url, soort_data(naam="Remedial teaching (RT)")), 400)
    assert "heeft al een soort interventie met de naam" in pagina
    r = client.post(url, soort_data(naam=p.sova.naam, omschrijving="groep van 8"))
    assert r.status_code == 302, r.content.decode()
    # The same name at another school is no clash.
    assert Interventiesoort.objects.filter(school=p.andere_school, naam="Remedial teaching (RT)").exists()


def test_bad_volgorde_and_empty_name_get_dutch_messages(p):
    client = p.client(p.zorgcoordinator)
    pagina = html(client.post(LIJST, soort_data(naam="", volgorde="-2")), 400)
    assert "Geef de soort interventie een naam" in pagina and "heel getal van 0 of meer" in pagina


def test_delete_only_when_never_used(p):
    client = p.client(p.zorgcoordinator)
    ongebruikt = Interventiesoort.objects.create(school=p.school, naam="Nog niet gebruikt")
    r = client.post(reverse("interventiesoort_verwijderen", args=[ongebruikt.pk]))
    assert r.status_code == 302 and not Interventiesoort.objects.filter(pk=ongebruikt.pk).exists()
    f.DossieritemFactory(leerling=p.in_a, soort=Dossieritem.Soort.INTERVENTIE, interventie=p.rt)
    r = client.post(reverse("interventiesoort_verwijderen", args=[p.rt.pk]), follow=True)
    pagina = html(r)
    assert Interventiesoort.objects.filter(pk=p.rt.pk).exists()
    assert "kan daarom niet worden verwijderd" in pagina and "niet actief" in pagina


def test_standard_button_adds_only_missing_kinds(p):
    client = p.client(p.zorgcoordinator)
    p.rt.naam = "RT (eigen naam)"
    p.rt.save()
    assert "Standaardlijst aanvullen" in html(client.get(LIJST))
    assert client.post(reverse("interventies_standaard")).status_code == 302
    assert Interventiesoort.objects.filter(school=p.school, naam="Remedial teaching (RT)").exists()
    assert Interventiesoort.objects.filter(school=p.school).count() == len(interventies.STANDAARD) + 1
    assert "Standaardlijst aanvullen" not in html(client.get(LIJST))


def _gebruik_maken(p, soort, n):
    """n uses of `soort` in each of the four kinds of record (known counts: 4n)."""
    plan = Groepsplan.objects.create(klas=p.klas_a, periode=p.periode, auteur=p.mentor)
    hp = Handelingsplan.objects.create(leerling=p.in_a, auteur=p.mentor)
    for i in range(n):
        GroepsplanRij.objects.create(groepsplan=plan, naam=f"rij {i}", interventie=soort)
        Doel.objects.create(handelingsplan=hp, doel=f"doel {i}", interventie=soort)
        f.DossieritemFactory(leerling=p.in_a, soort=Dossieritem.Soort.INTERVENTIE, interventie=soort)
        Afspraak.objects.create(school=p.school, wat=f"afspraak {i}", eigenaar=p.mentor, uiterlijk=VANDAAG,
                                interventie=soort)
    return 4 * n


def test_usage_counts_are_exact_and_the_list_costs_a_fixed_number_of_queries(p, django_assert_max_num_queries):
    client = p.client(p.zorgcoordinator)
    client.get(LIJST)  # warm the session
    verwacht_rt = _gebruik_maken(p, p.rt, 2)
    verwacht_sova = _gebruik_maken(p, p.sova, 1)
    tellingen = {s.pk: s.gebruik for s in interventies.met_gebruik(Interventiesoort.objects.filter(school=p.school))}
    assert tellingen[p.rt.pk] == verwacht_rt and tellingen[p.sova.pk] == verwacht_sova
    assert sum(tellingen.values()) == verwacht_rt + verwacht_sova
    with django_assert_max_num_queries(12) as klein:
        html(client.get(LIJST))
    _gebruik_maken(p, p.rt, 6)
    for i in range(20):
        Interventiesoort.objects.create(school=p.school, naam=f"Extra {i}")
    with django_assert_max_num_queries(len(klein.captured_queries)):
        pagina = html(client.get(LIJST))
    assert "Extra 19" in pagina


# --- Groepsplan row -------------------------------------------------------------------------------


def test_groepsplan_row_saves_the_kind_and_refuses_another_schools(p):
    plan = maak_groepsplan(p)
    client = p.client(p.mentor)
    rij = plan.rijen.get()
    url = reverse("groepsplan_rij", args=[rij.pk])
    pagina = html(client.get(url))
    assert "soort interventie" in pagina.lower() and "Remedial teaching (RT)" in pagina
    data = {"rijsoort": "basisgroep", "naam": "basis", "doelen": "8 van de 10 goed eind periode 1"}
    assert client.post(url, {**data, "interventie": p.rt.pk}).status_code == 302
    rij.refresh_from_db()
    assert rij.interventie == p.rt
    pagina = html(client.post(url, {**data, "interventie": p.vreemd.pk}), 200)
    assert "Kies een soort interventie uit de lijst van de school" in pagina
    rij.refresh_from_db()
    assert rij.interventie == p.rt
    # A kind switched off later stays selectable on the row that has it, but not on a new row.
    p.rt.actief = False
    p.rt.save()
    assert "niet meer actief" in html(client.get(url))
    assert client.post(url, {**data, "interventie": p.rt.pk}).status_code == 302
    r = client.post(reverse("groepsplan_rij_nieuw", args=[plan.pk]),
                    {"rijsoort": "subgroep", "naam": "sub", "doelen": "x", "interventie": p.rt.pk})
    assert "Kies een soort interventie uit de lijst van de school" in html(r)


def test_groepsplan_row_evaluation_sets_geevalueerd_op_once_and_clears_it(p):
    from plannen import plannen

    plan = maak_groepsplan(p)
    client = p.client(p.mentor)
    rij = plan.rijen.get()
    client.post(reverse("groepsplan_status", args=[plan.pk]), {"actie": "starten"})
    assert rij.geevalueerd_op is None
    r = client.post(reverse("groepsplan_rij_evalueren", args=[rij.pk]),
                    {"doel_bereikt": "deels", "aanpak_effectief": "ja", "vervolg": "doorgaan"})
    assert r.status_code == 302
    rij.refresh_from_db()
    assert rij.geevalueerd_op == VANDAAG
    # A later change keeps the first evaluation date.
    GroepsplanRij.objects.filter(pk=rij.pk).update(geevalueerd_op=VANDAAG - datetime.timedelta(days=5))
    client.post(reverse("groepsplan_rij_evalueren", args=[rij.pk]),
                {"doel_bereikt": "ja", "aanpak_effectief": "ja", "vervolg": "stoppen"})
    rij.refresh_from_db()
    assert rij.doel_bereikt == "ja" and rij.geevalueerd_op == VANDAAG - datetime.timedelta(days=5)
    plannen.evalueer_rij(rij, "", "", "", "")
    rij.refresh_from_db()
    assert rij.geevalueerd_op is None


# --- Handelingsplan goals -------------------------------------------------------------------------


def _plan_data(p, doelen):
    return {"soort": "vakoverstijgend", "periode": p.periode.pk, "start": VANDAAG.isoformat(),
            "evaluatiedatum": (VANDAAG + datetime.timedelta(days=30)).isoformat(), **SECTIES,
            **formsets(doelen=doelen)}


def test_handelingsplan_goal_saves_the_kind_per_goal(p):
    client = p.client(p.mentor)
    url = reverse("handelingsplan_nieuw", args=[p.in_a.pk])
    assert "Sociale vaardigheidstraining (sova)" in html(client.get(url))
    r = client.post(url, _plan_data(p, [
        {"doel": "4 van de 5 gesprekken rustig, eind periode", "interventie": p.sova.pk},
        {"doel": "plant 4 weken vooruit", "interventie": ""}]))
    assert r.status_code == 302, r.content.decode()[:2000]
    plan = p.in_a.handelingsplannen.get()
    assert [(d.doel[:4], d.interventie) for d in plan.doelen.all()] == [("4 va", p.sova), ("plan", None)]
    assert "Sociale vaardigheidstraining (sova)" in html(client.get(reverse("handelingsplan", args=[plan.pk])))
    # Editing: the kind changes; another school's kind is refused and nothing changes.
    wijzig = reverse("handelingsplan_wijzigen", args=[plan.pk])
    doelen = list(plan.doelen.all())
    basis = {k: v for k, v in _plan_data(p, []).items() if not k.startswith("doelen-")}
    def bestaand(soort_pk):
        return formsets(bestaand_doelen=[
            {"id": doelen[0].pk, "doel": doelen[0].doel, "interventie": soort_pk},
            {"id": doelen[1].pk, "doel": doelen[1].doel, "interventie": ""}])
    gezien = plan.gewijzigd_op.isoformat()
    r = client.post(wijzig, {**basis, **bestaand(p.vreemd.pk), "gewijzigd_op": gezien})
    assert "Kies een soort interventie uit de lijst van de school" in html(r)
    assert Doel.objects.get(pk=doelen[0].pk).interventie == p.sova
    r = client.post(wijzig, {**basis, **bestaand(p.rt.pk), "gewijzigd_op": gezien})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Doel.objects.get(pk=doelen[0].pk).interventie == p.rt


def test_goals_from_a_groepsplan_row_take_its_kind_and_a_service_refuses_a_foreign_kind(p):
    from plannen import plannen

    plan = maak_groepsplan(p)
    rij = plan.rijen.get()
    rij.doelen = "leest 20 woorden per minuut meer, eind periode"
    rij.interventie = p.rt
    rij.save()
    pagina = html(p.client(p.mentor).get(reverse("handelingsplan_nieuw", args=[p.in_a.pk]) + f"?rij={rij.pk}"))
    assert f'<option value="{p.rt.pk}" selected>' in pagina
    with pytest.raises(plannen.PlanFout):
        plannen.maak_handelingsplan(p.mentor, p.in_a, {"periode": p.periode}, [("doel", p.vreemd)], [])


# --- Afspraken ------------------------------------------------------------------------------------


@pytest.fixture
def izo(benoemde_personas):
    from tests.test_vergadering import IZO

    izo = IZO(benoemde_personas)
    izo.p.rt = Interventiesoort.objects.get(school=izo.p.school, arrangement="rt")
    izo.p.faalangst = Interventiesoort.objects.get(school=izo.p.school, arrangement="faalangst")
    izo.p.vreemd = Interventiesoort.objects.get(school=izo.p.andere_school, arrangement="rt")
    return izo


def test_meeting_besluit_records_the_kind_with_arrangement_default(izo):
    p = izo.p
    c = p.client(p.zorgcoordinator)
    url = reverse("bespreking_besluit", args=[izo.izo.pk, izo.aafke.pk])
    basis = {"wat": "Training", "eigenaar": p.specialist.pk, "uiterlijk": (VANDAAG + datetime.timedelta(days=20))
             .isoformat()}
    # Default: the kind of the arrangement.
    assert c.post(url, {**basis, "soort": "arrangement", "arrangement": "faalangst"}).status_code == 302
    assert Afspraak.objects.get(wat="Training").interventie == p.faalangst
    scherm = reverse("bespreking", args=[izo.izo.pk]) + f"?punt={izo.aafke.pk}"
    assert "Faalangstreductietraining" in html(c.get(scherm))
    # An explicit choice wins.
    assert c.post(url, {**basis, "wat": "Bijles", "soort": "afspraak", "interventie": p.rt.pk}).status_code == 302
    assert Afspraak.objects.get(wat="Bijles").interventie == p.rt
    # Another school's kind: a message, the typed text kept, nothing stored.
    r = c.post(url, {**basis, "wat": "Vreemd", "soort": "afspraak", "interventie": p.vreemd.pk})
    pagina = html(r, 400)
    assert "Kies een soort interventie uit de lijst van de school" in pagina and "Vreemd" in pagina
    assert not Afspraak.objects.filter(wat="Vreemd").exists()
    with pytest.raises(services.BesprekingFout):
        vergadering.leg_besluit_vast(p.zorgcoordinator, p.school, izo.aafke, "afspraak", "x", p.specialist,
                                     VANDAAG + datetime.timedelta(days=20), interventie=p.vreemd)


def test_groepsbespreking_afspraak_records_the_kind(personas):
    p = personas
    rt = Interventiesoort.objects.get(school=p.school, arrangement="rt")
    vreemd = Interventiesoort.objects.get(school=p.andere_school, arrangement="rt")
    begin = timezone.now() + datetime.timedelta(days=1)
    gb = Bespreking.objects.create(school=p.school, soort=Bespreking.Soort.GROEPSBESPREKING, begin=begin,
                                   voorzitter=p.mentor, klas=p.klas_a, periode=p.jaar.perioden.get())
    punt = Agendapunt.objects.create(bespreking=gb, nummer=2, titel="Groepsoverzicht")
    c = p.client(p.zorgcoordinator)
    url = reverse("groepsbespreking_afspraak", args=[gb.pk])
    data = {"punt": punt.pk, "wat": "Verlengde instructie rekenen", "eigenaar": p.docent.pk,
            "uiterlijk": (VANDAAG + datetime.timedelta(days=7)).isoformat()}
    r = c.post(url, {**data, "interventie": vreemd.pk})
    assert r.status_code == 422
    assert not Afspraak.objects.filter(wat="Verlengde instructie rekenen").exists()
    assert "Kies een soort interventie uit de lijst van de school" in r.content.decode()
    r = c.post(url, {**data, "interventie": rt.pk})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Afspraak.objects.get(wat="Verlengde instructie rekenen").interventie == rt


def _afspraak(p, **extra):
    return Afspraak.objects.create(school=p.school, wat="Faalangsttraining geven", eigenaar=p.mentor,
                                   uiterlijk=VANDAAG, leerling=p.in_a, **extra)


def test_afhandelen_records_result_hours_and_kind(personas):
    p = personas
    sova = Interventiesoort.objects.get(school=p.school, arrangement="sova")
    a = _afspraak(p, arrangement="sova")
    c = p.client(p.mentor)
    url = reverse("afspraak_afhandelen", args=[a.pk])
    pagina = html(c.get("/besprekingen/afspraken/"))
    assert "Doel behaald?" in pagina and "Sociale vaardigheidstraining (sova)" in pagina
    r = c.post(url, {"status": "gedaan", "notitie": "klaar", "resultaat": "deels", "zorguren": "12,5",
                     "interventie": sova.pk})
    assert r.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.resultaat, a.zorguren, a.interventie, a.geevalueerd_op) == (
        "gedaan", "deels", Decimal("12.5"), sova, VANDAAG)
    afgehandeld_op = a.afgehandeld_op
    # Changing the result later keeps the first evaluation date and the closing time.
    Afspraak.objects.filter(pk=a.pk).update(geevalueerd_op=VANDAAG - datetime.timedelta(days=3))
    r = c.post(url, {"status": "gedaan", "notitie": "klaar", "resultaat": "behaald", "zorguren": "14",
                     "interventie": sova.pk})
    a.refresh_from_db()
    assert (a.resultaat, a.zorguren, a.geevalueerd_op, a.afgehandeld_op) == (
        "behaald", Decimal("14"), VANDAAG - datetime.timedelta(days=3), afgehandeld_op)
    assert "Doel" in html(c.get("/besprekingen/afspraken/")) and "behaald" in html(c.get("/besprekingen/afspraken/"))
    # Clearing the result clears the date.
    c.post(url, {"status": "gedaan", "notitie": "klaar", "resultaat": "", "zorguren": ""})
    a.refresh_from_db()
    assert (a.resultaat, a.zorguren, a.geevalueerd_op, a.interventie) == ("", None, None, sova)


@pytest.mark.parametrize("uren, melding", [
    ("-1", "van 0 of meer"), ("veel", "een aantal uren in"), ("1,25", "één cijfer achter de komma"),
    ("1000000", "hoogstens 99999,9"),
])
def test_afhandelen_refuses_bad_hours_with_dutch_message_and_keeps_input(personas, uren, melding):
    p = personas
    a = _afspraak(p)
    r = p.client(p.mentor).post(reverse("afspraak_afhandelen", args=[a.pk]),
                                {"status": "gedaan", "notitie": "mijn notitie", "resultaat": "behaald",
                                 "zorguren": uren})
    pagina = html(r)
    assert melding in pagina and "mijn notitie" in pagina and f'value="{uren}"' in pagina
    a.refresh_from_db()
    assert (a.status, a.resultaat, a.zorguren) == ("open", "", None)


def test_afhandelen_refuses_other_schools_kind_and_odd_result(personas):
    p = personas
    vreemd = Interventiesoort.objects.get(school=p.andere_school, arrangement="rt")
    a = _afspraak(p)
    url = reverse("afspraak_afhandelen", args=[a.pk])
    c = p.client(p.mentor)
    pagina = html(c.post(url, {"status": "gedaan", "resultaat": "behaald", "interventie": vreemd.pk}))
    assert "Kies een soort interventie uit de lijst van de school" in pagina
    pagina = html(c.post(url, {"status": "gedaan", "resultaat": "super"}))
    assert "Kies behaald, deels behaald of niet behaald" in pagina
    a.refresh_from_db()
    assert (a.status, a.interventie, a.resultaat) == ("open", None, "")
    # A result is only recorded with gedaan; vervallen ignores it.
    c.post(url, {"status": "vervallen", "notitie": "niet nodig", "resultaat": "behaald", "zorguren": "3"})
    a.refresh_from_db()
    assert (a.status, a.resultaat, a.zorguren, a.geevalueerd_op) == ("vervallen", "", None, None)


def test_afspraken_list_stays_bounded_with_kinds(personas, django_assert_max_num_queries):
    p = personas
    rt = Interventiesoort.objects.get(school=p.school, arrangement="rt")
    c = p.client(p.mentor)
    for _i in range(3):
        _afspraak(p, interventie=rt)
    c.get("/besprekingen/afspraken/")
    with django_assert_max_num_queries(40) as klein:
        c.get("/besprekingen/afspraken/")
    for _i in range(15):
        _afspraak(p, interventie=rt, status="gedaan", afgehandeld_op=timezone.now(), resultaat="behaald")
    with django_assert_max_num_queries(len(klein.captured_queries)):
        pagina = html(c.get("/besprekingen/afspraken/"))
    assert pagina.count("Remedial teaching (RT)") >= 18


# --- Dossier --------------------------------------------------------------------------------------


def test_dossier_interventie_saves_the_kind_next_to_effect(p):
    client = p.client(p.mentor)
    url = reverse("dossier_nieuw", args=[p.in_a.pk, "interventie"])
    pagina = html(client.get(url))
    assert "Counseling" in pagina and "Ander Lyceum" not in pagina
    data = {"hulpvraag": "kan niet plannen", "acties": "weekplanner", "uitgevoerd_door": "mentor",
            "effect": "deels", "datum": VANDAAG.isoformat(), "vertrouwelijkheid": "team"}
    r = client.post(url, {**data, "interventie": p.vreemd.pk})
    pagina = html(r, 400)
    assert "Kies een" in pagina and "kan niet plannen" in pagina
    assert not Dossieritem.objects.filter(leerling=p.in_a, soort="interventie").exists()
    huiswerk = Interventiesoort.objects.get(school=p.school, arrangement="huiswerk")
    assert client.post(url, {**data, "interventie": huiswerk.pk}).status_code == 302
    item = Dossieritem.objects.get(leerling=p.in_a, soort="interventie")
    assert (item.interventie, item.effect) == (huiswerk, "deels")
    assert "Huiswerkbegeleiding" in html(client.get(reverse("dossier_item", args=[p.in_a.pk, item.pk])))
    # Editing keeps the choice limited to the school's catalogue.
    wijzig = reverse("dossier_item_wijzigen", args=[p.in_a.pk, item.pk])
    assert "Counseling" in html(client.get(wijzig))


def test_arrangement_default_skips_a_switched_off_kind(p):
    p.rt.actief = False
    p.rt.save()
    a = services.maak_afspraak(p.zorgcoordinator, p.school, "RT rekenen", p.specialist, VANDAAG, arrangement="rt")
    assert a.interventie is None
    b = services.maak_afspraak(p.zorgcoordinator, p.school, "Sova", p.specialist, VANDAAG, arrangement="sova")
    assert b.interventie == p.sova
    with pytest.raises(services.BesprekingFout):
        services.maak_afspraak(p.zorgcoordinator, p.school, "x", p.specialist, VANDAAG, interventie=p.vreemd)


def test_a_follow_up_plan_keeps_the_kind_of_the_goals_not_reached(p):
    from plannen import plannen

    data = {"periode": p.periode, "start": VANDAAG, "evaluatiedatum": VANDAAG + datetime.timedelta(days=30)}
    plan = plannen.maak_handelingsplan(p.mentor, p.in_a, data, [("leest vlot", p.rt), ("durft te vragen", p.sova)],
                                       [])
    plannen.stel_vast(p.mentor, plan)
    doelen = list(plan.doelen.all())
    plannen.evalueer(p.mentor, plan, {doelen[0].pk: ("behaald", ""), doelen[1].pk: ("deels", "")}, "voortzetten", "")
    nieuw = plannen.vervolgplan(p.mentor, plan)
    assert [(d.doel, d.interventie) for d in nieuw.doelen.all()] == [("durft te vragen", p.sova)]
