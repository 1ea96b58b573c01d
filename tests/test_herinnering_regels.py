"""The reminder rules (zorg/herinnering_regels.py) run through scan_school with fixed dates.

Every test scans on V = the personas' schooljaar begin + 100 days, so the dates never depend on
today. Defaults: N = 3 days ahead, M = 7 days overdue, 4 weeks for a verwijzing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from besprekingen.models import Aanmelding, Afspraak, Agendapunt, Bespreking
from extern.models import ExterneToegang, Terugkoppeling, Toestemming, Verwijzing
from plannen.models import Groepsplan, Handelingsplan
from tests import factories as f
from zorg.herinneringen import scan_school
from zorg.models import Herinnering, Notificatie, Periode

D = datetime.timedelta


@pytest.fixture
def p(personas):
    personas.V = personas.jaar.begin + D(days=100)
    personas.in_a.case_manager = personas.specialist
    personas.in_a.save()
    return personas


def ontvangen(regel=None, stap=None):
    """{(regel, stap, username)} of the ledger rows that made a notice."""
    qs = Herinnering.objects.filter(notificatie__isnull=False)
    if regel:
        qs = qs.filter(regel=regel)
    if stap:
        qs = qs.filter(stap=stap)
    return sorted((h.regel, h.stap, h.ontvanger.username) for h in qs.select_related("ontvanger"))


def plan(p, leerling=None, **kw):
    kw.setdefault("status", Handelingsplan.Status.VASTGESTELD)
    kw.setdefault("auteur", p.mentor)
    return Handelingsplan.objects.create(leerling=leerling or p.in_a, **kw)


def aware(datum, uur=10):
    return timezone.make_aware(datetime.datetime.combine(datum, datetime.time(uur)))


# --- 1/2 handelingsplan evaluation -------------------------------------------------------------


def test_evaluatie_vooraf_en_vandaag(p):
    hp = plan(p, evaluatiedatum=p.V + D(days=3))
    assert scan_school(p.school, p.V) == 2
    assert ontvangen() == [("evaluatie_handelingsplan", "vooraf", "mentor"),
                           ("evaluatie_handelingsplan", "vooraf", "specialist")]
    n = Notificatie.objects.get(ontvanger=p.mentor)
    assert p.in_a.naam in n.tekst and n.url == reverse("handelingsplan", args=[hp.pk])
    assert n.leerling == p.in_a
    # Every tick in between sends nothing new; the day itself sends "vandaag" once.
    for dag in range(1, 3):
        assert scan_school(p.school, p.V + D(days=dag)) == 0
    assert scan_school(p.school, p.V + D(days=3)) == 2
    assert scan_school(p.school, p.V + D(days=3)) == 0
    assert ontvangen(stap="vandaag") == [("evaluatie_handelingsplan", "vandaag", "mentor"),
                                         ("evaluatie_handelingsplan", "vandaag", "specialist")]


def test_evaluatie_buiten_venster_andere_school_en_afgehandeld(p):
    plan(p, evaluatiedatum=p.V + D(days=4))  # beyond N
    plan(p, evaluatiedatum=p.V + D(days=2), status=Handelingsplan.Status.CONCEPT)
    plan(p, evaluatiedatum=p.V + D(days=2), status=Handelingsplan.Status.GEEVALUEERD)
    plan(p, evaluatiedatum=p.V + D(days=2), status=Handelingsplan.Status.AFGESLOTEN)
    plan(p, p.elders, evaluatiedatum=p.V + D(days=2))
    plan(p, p.in_b, evaluatiedatum=p.V - D(days=3))  # overdue, not yet M days
    assert scan_school(p.school, p.V) == 0
    assert Notificatie.objects.count() == 0


def test_evaluatie_te_laat_escaleert_naar_teamleider_en_zorgcoordinator(p):
    plan(p, evaluatiedatum=p.V - D(days=7))  # in_a: afdeling A (teamleider)
    plan(p, p.in_b, evaluatiedatum=p.V - D(days=7))  # afdeling B: no teamleider
    assert scan_school(p.school, p.V) == 1
    assert ontvangen() == [("evaluatie_handelingsplan", "te_laat", "teamleider")]
    assert "7 dagen te laat" in Notificatie.objects.get().tekst
    assert scan_school(p.school, p.V + D(days=6)) == 0
    assert scan_school(p.school, p.V + D(days=7)) == 2  # 2M: both plans to the zorgcoördinator
    assert ontvangen(stap="te_laat_2") == [("evaluatie_handelingsplan", "te_laat_2", "zorgcoordinator")] * 2
    assert scan_school(p.school, p.V + D(days=30)) == 0


def test_inhaalslag_na_een_gat_stuurt_de_huidige_stap_eenmaal(p):
    """Nothing ran for days: the plan seen on its due date gets "vandaag" once (the missed
    "vooraf" is not sent late); seen 2M days overdue it gets the whole escalation once."""
    plan(p, evaluatiedatum=p.V)
    laat = plan(p, p.in_a2, evaluatiedatum=p.V - D(days=20))
    assert scan_school(p.school, p.V) == 4
    assert ontvangen() == [
        ("evaluatie_handelingsplan", "te_laat", "teamleider"),
        ("evaluatie_handelingsplan", "te_laat_2", "zorgcoordinator"),
        ("evaluatie_handelingsplan", "vandaag", "mentor"),
        ("evaluatie_handelingsplan", "vandaag", "specialist"),
    ]
    assert Herinnering.objects.filter(stap="vooraf").count() == 0
    assert Herinnering.objects.filter(object_id=laat.pk).count() == 2
    for dag in range(1, 6):
        assert scan_school(p.school, p.V + D(days=dag)) == 0


def test_gewijzigde_evaluatiedatum_geeft_nieuwe_herinnering(p):
    hp = plan(p, evaluatiedatum=p.V + D(days=2))
    assert scan_school(p.school, p.V) == 2
    hp.evaluatiedatum = p.V + D(days=20)
    hp.save()
    assert scan_school(p.school, p.V + D(days=2)) == 0  # the old date is no longer a key anything produces
    assert scan_school(p.school, p.V + D(days=17)) == 2
    assert sorted(Herinnering.objects.order_by().values_list("vervaldatum", flat=True).distinct()) == [
        p.V + D(days=2), p.V + D(days=20)]


def test_dubbele_scan_stuurt_niets_nieuws(p):
    plan(p, evaluatiedatum=p.V + D(days=1))
    assert scan_school(p.school, p.V) == 2
    assert scan_school(p.school, p.V) == 0
    assert Notificatie.objects.count() == 2 and Herinnering.objects.count() == 2


# --- groepsplan -------------------------------------------------------------------------------


def test_groepsplan_evaluatie_einde_periode(p):
    periode = Periode.objects.create(schooljaar=p.jaar, nummer=2, begin=p.V - D(days=60), einde=p.V + D(days=2))
    Groepsplan.objects.create(klas=p.klas_a, periode=periode, auteur=p.mentor, status=Groepsplan.Status.LOPEND)
    Groepsplan.objects.create(klas=p.klas_b, periode=periode, auteur=p.andere_mentor,
                              status=Groepsplan.Status.GEEVALUEERD)
    Groepsplan.objects.create(klas=p.klas_b, periode=periode, auteur=p.andere_mentor,
                              status=Groepsplan.Status.CONCEPT)
    assert scan_school(p.school, p.V) == 1
    assert ontvangen() == [("evaluatie_groepsplan", "vooraf", "mentor")]
    assert "1A" in Notificatie.objects.get().tekst
    assert scan_school(p.school, p.V + D(days=2 + 7)) == 1  # M overdue → teamleider of afdeling A
    assert ontvangen(stap="te_laat") == [("evaluatie_groepsplan", "te_laat", "teamleider")]


# --- 3 afspraken ---------------------------------------------------------------------------------


def izo(p, begin, status=Bespreking.Status.GEHOUDEN, soort=Bespreking.Soort.IZO, voorzitter=None):
    return Bespreking.objects.create(school=p.school, soort=soort, begin=aware(begin), status=status,
                                     voorzitter=voorzitter or p.zorgcoordinator)


def test_afspraak_eigenaar_en_voorzitter(p):
    b = izo(p, p.V - D(days=20), voorzitter=p.teamleider)
    a = Afspraak.objects.create(school=p.school, bespreking=b, leerling=p.in_a, wat="Bel de ouders",
                                eigenaar=p.docent, uiterlijk=p.V)
    Afspraak.objects.create(school=p.school, wat="Zonder bespreking", eigenaar=p.mentor, uiterlijk=p.V - D(days=8))
    Afspraak.objects.create(school=p.school, wat="Gedaan", eigenaar=p.mentor, uiterlijk=p.V,
                            status=Afspraak.Status.GEDAAN)
    Afspraak.objects.create(school=p.school, wat="Vervallen", eigenaar=p.mentor, uiterlijk=p.V - D(days=8),
                            status=Afspraak.Status.VERVALLEN)
    Afspraak.objects.create(school=p.andere_school, wat="Elders", eigenaar=p.mentor, uiterlijk=p.V)
    Afspraak.objects.create(school=p.school, wat="Later", eigenaar=p.mentor, uiterlijk=p.V + D(days=40))
    assert scan_school(p.school, p.V) == 2
    assert ontvangen() == [("afspraak", "te_laat", "zorgcoordinator"), ("afspraak", "vandaag", "docent")]
    tekst = Notificatie.objects.get(ontvanger=p.docent).tekst
    assert "Bel de ouders" in tekst and p.in_a.naam in tekst
    assert scan_school(p.school, p.V + D(days=7)) == 1  # overdue by M → the chair
    assert ontvangen(stap="te_laat") == [("afspraak", "te_laat", "teamleider"),
                                         ("afspraak", "te_laat", "zorgcoordinator")]
    assert Notificatie.objects.get(ontvanger=p.teamleider).url == reverse("bespreking", args=[b.pk])
    a.status = Afspraak.Status.GEDAAN
    a.save()
    assert scan_school(p.school, p.V + D(days=30)) == 0


# --- 4 IZO/ZAT follow-up -----------------------------------------------------------------------


def test_vervolg_izo_zat(p):
    b = izo(p, p.V - D(days=40))
    punt = Agendapunt.objects.create(bespreking=b, leerling=p.in_a, case_manager=p.specialist,
                                     vervolgdatum=p.V + D(days=1))
    zat = izo(p, p.V - D(days=40), soort=Bespreking.Soort.ZAT, status=Bespreking.Status.GEANNULEERD)
    Agendapunt.objects.create(bespreking=zat, leerling=p.in_b, case_manager=p.specialist, vervolgdatum=p.V)
    lb = izo(p, p.V - D(days=40), soort=Bespreking.Soort.LEERLINGBESPREKING)
    Agendapunt.objects.create(bespreking=lb, leerling=p.in_b, case_manager=p.specialist, vervolgdatum=p.V)
    assert scan_school(p.school, p.V) == 2
    assert ontvangen() == [("vervolg_izo_zat", "vooraf", "specialist"),
                           ("vervolg_izo_zat", "vooraf", "zorgcoordinator")]
    n = Notificatie.objects.get(ontvanger=p.specialist)
    assert n.url == reverse("aanmelden", args=[p.in_a.pk]) + "?soort=izo"
    assert "agenda" in n.tekst and p.in_a.naam in n.tekst
    # Once the pupil is aangemeld again, the follow-up is handled.
    Aanmelding.objects.create(school=p.school, leerling=p.in_a, hulpvraag="Vervolg", aangemeld_door=p.mentor,
                              aangemeld_op=aware(p.V))
    assert scan_school(p.school, p.V + D(days=1)) == 0
    assert Herinnering.objects.filter(object_id=punt.pk, stap="vandaag").count() == 0


def test_vervolg_niet_als_leerling_al_op_volgende_agenda_staat(p):
    b = izo(p, p.V - D(days=40))
    Agendapunt.objects.create(bespreking=b, leerling=p.in_a, case_manager=p.specialist, vervolgdatum=p.V)
    volgende = izo(p, p.V + D(days=5), status=Bespreking.Status.GEPLAND)
    Agendapunt.objects.create(bespreking=volgende, leerling=p.in_a)
    assert scan_school(p.school, p.V) == 0


# --- 5 groepsbespreking ------------------------------------------------------------------------


def test_voor_de_groepsbespreking(p):
    b = Bespreking.objects.create(school=p.school, soort=Bespreking.Soort.GROEPSBESPREKING, klas=p.klas_a,
                                  begin=aware(p.V + D(days=2), 15), voorzitter=p.mentor)
    Bespreking.objects.create(school=p.school, soort=Bespreking.Soort.GROEPSBESPREKING, klas=p.klas_b,
                              begin=aware(p.V + D(days=2)), voorzitter=p.andere_mentor,
                              status=Bespreking.Status.GEANNULEERD)
    Bespreking.objects.create(school=p.school, soort=Bespreking.Soort.GROEPSBESPREKING, klas=p.klas_b,
                              begin=aware(p.V + D(days=6)), voorzitter=p.andere_mentor)  # beyond N
    assert scan_school(p.school, p.V) == 3
    assert ontvangen() == [("groepsbespreking", "vooraf", "docent"), ("groepsbespreking", "vooraf", "mentor"),
                           ("groepsbespreking_agenda", "vooraf", "mentor")]
    urls = set(Notificatie.objects.filter(ontvanger=p.mentor).values_list("url", flat=True))
    assert urls == {reverse("groepsoverzicht", args=[p.klas_a.pk]), reverse("bespreking", args=[b.pk])}
    assert scan_school(p.school, p.V + D(days=1)) == 0
    assert scan_school(p.school, p.V + D(days=2)) == 0


# --- 6 verwijzing --------------------------------------------------------------------------------


def verwijzing(p, leerling=None, **kw):
    instelling = f.InstellingFactory(school=p.school, naam="Jeugdteam Noord")
    return Verwijzing.objects.create(school=p.school, leerling=leerling or p.in_a, instelling=instelling,
                                     reden="Zorgen thuis", **kw)


def test_verwijzing_zonder_terugkoppeling(p):
    v = verwijzing(p, aangemeld_op=p.V - D(weeks=4))
    verwijzing(p, leerling=p.in_b, aangemeld_op=p.V - D(weeks=4) + D(days=1))  # not yet
    verwijzing(p, leerling=p.in_b, aangemeld_op=p.V - D(weeks=6), status=Verwijzing.Status.AFGESLOTEN)
    beantwoord = verwijzing(p, leerling=p.in_a2, aangemeld_op=p.V - D(weeks=6))
    Terugkoppeling.objects.create(verwijzing=beantwoord, datum=p.V - D(weeks=5), tekst="Gestart",
                                  auteur=p.zorgcoordinator)
    assert scan_school(p.school, p.V) == 2
    assert ontvangen() == [("verwijzing_terugkoppeling", "te_laat", "specialist"),
                           ("verwijzing_terugkoppeling", "te_laat", "zorgcoordinator")]
    assert Herinnering.objects.filter(object_id=v.pk).first().vervaldatum == p.V
    assert "Jeugdteam Noord" in Notificatie.objects.first().tekst
    assert scan_school(p.school, p.V) == 0
    # The second one is due a day later (in_b has no case-manager: the zorgcoördinator only), once.
    assert scan_school(p.school, p.V + D(days=1)) == 1
    assert scan_school(p.school, p.V + D(days=3)) == 0


def test_verwijzing_weken_volgt_de_school(p):
    p.school.herinnering_verwijzing_weken = 2
    p.school.save()
    verwijzing(p, aangemeld_op=p.V - D(weeks=2))
    assert scan_school(p.school, p.V) == 2


# --- 7 toestemming and external grants ---------------------------------------------------------


def test_toestemming_verloopt(p):
    f.ToestemmingFactory(leerling=p.in_a, ouder=p.ouder, geldig_tot=p.V + D(days=3), aangevraagd_door=p.mentor)
    f.ToestemmingFactory(leerling=p.in_a, ouder=p.ouder, geldig_tot=p.V + D(days=3),
                         status=Toestemming.Status.INGETROKKEN)
    f.ToestemmingFactory(leerling=p.in_a, ouder=p.ouder, geldig_tot=p.V + D(days=10))
    f.ToestemmingFactory(leerling=p.elders, geldig_tot=p.V + D(days=1))
    assert scan_school(p.school, p.V) == 2
    assert ontvangen() == [("toestemming_verloopt", "vooraf", "mentor"),
                           ("toestemming_verloopt", "vooraf", "zorgcoordinator")]


def test_externe_toegang_verloopt(p):
    v = verwijzing(p, aangemeld_op=p.V)
    contact = p.extern.contactpersoon
    ExterneToegang.objects.create(verwijzing=v, contactpersoon=contact, vanaf=p.V - D(days=60),
                                  tot=p.V + D(days=2), verleend_door=p.specialist)
    ExterneToegang.objects.create(verwijzing=v, contactpersoon=contact, vanaf=p.V - D(days=60),
                                  tot=p.V + D(days=2), ingetrokken_op=timezone.now())
    zonder = ExterneToegang.objects.create(verwijzing=v, contactpersoon=f.ContactpersoonFactory(gebruiker=None,
                                           naam="Zonder account"), vanaf=p.V, tot=p.V)
    assert scan_school(p.school, p.V) == 3
    assert ontvangen() == [("toegang_verloopt", "vandaag", "zorgcoordinator"),
                           ("toegang_verloopt", "vooraf", "extern"), ("toegang_verloopt", "vooraf", "specialist")]
    assert Notificatie.objects.get(ontvanger=p.extern).url == reverse("extern_verwijzing", args=[v.pk])
    assert Herinnering.objects.filter(object_id=zonder.pk).count() == 1
    # A renewed grant has a new end date: a new key, not sent again now.
    assert scan_school(p.school, p.V + D(days=1)) == 0


# --- 8 parents ---------------------------------------------------------------------------------


def test_ouders_krijgen_bericht_bij_vastgesteld_plan(p):
    andere_ouder = f.OuderFactory(gebruiker=f.GebruikerFactory(username="ouder_zonder_gezag"))
    f.OuderRelatieFactory(ouder=andere_ouder, leerling=p.in_a, gezag=False)
    f.OuderRelatieFactory(ouder=f.OuderFactory(gebruiker=None), leerling=p.in_a)
    plan(p, vastgesteld_op=aware(p.V - D(days=1)), evaluatiedatum=p.V + D(days=40))
    plan(p, vastgesteld_op=aware(p.V - D(days=10)), evaluatiedatum=p.V + D(days=40))  # long ago
    plan(p, status=Handelingsplan.Status.CONCEPT)
    assert scan_school(p.school, p.V) == 1
    assert ontvangen() == [("plan_voor_ouders", "klaar", "ouder")]
    n = Notificatie.objects.get()
    assert n.url == reverse("ouder_kind", args=[p.in_a.pk]) and p.in_a.naam in n.tekst
    for dag in range(1, 5):
        assert scan_school(p.school, p.V + D(days=dag)) == 0


# --- cost ------------------------------------------------------------------------------------------


def _queries(p, aantal):
    for i in range(aantal):
        plan(p, p.in_b, evaluatiedatum=p.V + D(days=30 + i))  # not due
        Afspraak.objects.create(school=p.school, wat="Later", eigenaar=p.mentor, uiterlijk=p.V + D(days=30 + i))
    with CaptureQueriesContext(connection) as ctx:
        scan_school(p.school, p.V)
    return len(ctx.captured_queries)


def test_aantal_queries_groeit_niet_met_niet_verlopen_rijen(p):
    plan(p, evaluatiedatum=p.V + D(days=2))
    plan(p, p.in_a2, evaluatiedatum=p.V - D(days=14))
    weinig = _queries(p, 3)
    Herinnering.objects.all().delete()
    Notificatie.objects.all().delete()
    veel = _queries(p, 30)
    assert veel == weinig
    # A later tick with nothing new stays small: one read per due item, no inserts.
    with CaptureQueriesContext(connection) as ctx:
        assert scan_school(p.school, p.V) == 0
    assert len(ctx.captured_queries) <= 25
