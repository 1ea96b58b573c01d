"""Escalating along the school's zorgroute, stepping down, paper consent and the overdracht."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from extern.models import Toestemming
from leerlingen import route
from leerlingen.models import Dossieritem, Opschaling, OuderRelatie
from tests import factories as f
from zorg import toegang
from zorg.models import Functie, Notificatie
from zorg.zorgroutes import niveaus_van, pas_toe

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

VANDAAG = timezone.localdate()


@pytest.fixture
def p(personas):
    """The personas with the NL preset (moments 1–4): 1 mentor, 2 teamleider (≥1 interventie),
    3 IZO (≥2), 4 ZAT (consent). in_a starts at moment 1 with the mentor as case-manager."""
    pas_toe(personas.school, "nl_momenten")
    personas.n1, personas.n2, personas.n3, personas.n4 = niveaus_van(personas.school)
    personas.in_a.zorgniveau, personas.in_a.case_manager = personas.n1, personas.mentor
    personas.in_a.save()
    return personas


def interventie(leerling, effect="deels", **kwargs):
    velden = {
        "hulpvraag": "Hoe helpen we Aafke bij het plannen van huiswerk?",
        "acties": "Weekplanner met de mentor",
        "uitgevoerd_door": "mentor",
    }
    velden.update(kwargs)
    return Dossieritem.objects.create(leerling=leerling, soort=Dossieritem.Soort.INTERVENTIE, effect=effect, **velden)


def zet_op(leerling, niveau):
    leerling.zorgniveau = niveau
    leerling.save()


def html_of(response):
    return response.content.decode()


def aanvragen(client, leerling, hulpvraag="Planning lukt niet zonder hulp", begeleidingsvraag=""):
    return client.post(
        reverse("route_aanvragen", args=[leerling.pk]),
        {"hulpvraag": hulpvraag, "begeleidingsvraag": begeleidingsvraag},
    )


def beslis(client, opschaling, besluit="toekennen", reden="Interventies onvoldoende effectief", case_manager=None):
    data = {"besluit": besluit, "reden": reden}
    if case_manager is not None:
        data["case_manager"] = case_manager.pk
    return client.post(reverse("route_beoordelen", args=[opschaling.pk]), data)


def niets_veranderd(leerling, niveau, aantal_items=None):
    leerling.refresh_from_db()
    assert leerling.zorgniveau_id == niveau.pk
    assert not Opschaling.objects.filter(leerling=leerling).exists()
    assert not Dossieritem.objects.filter(leerling=leerling, soort=Dossieritem.Soort.ZORGNIVEAU).exists()


# --- the rule: who requests, from the configured route -------------------------------------------


def test_requesters_follow_the_configured_deciders(p):
    assert route.aanvragers_voor(None, p.n1) == {"mentor"}
    assert route.aanvragers_voor(p.n1, p.n2) == {"mentor"}
    assert route.aanvragers_voor(p.n2, p.n3) == {"mentor", "teamleider"}
    assert route.aanvragers_voor(p.n3, p.n4) == {"zorgcoordinator"}


def test_steps_and_names_come_from_the_school_route(p):
    p.n2.naam = "leerlingcoördinator"
    p.n2.save()
    assert route.volgend_niveau(p.in_a) == p.n2
    html = _blok(p.mentor, p.school, p.in_a)
    assert "Hulpvraag naar leerlingcoördinator" in html
    zet_op(p.in_a, p.n4)
    assert route.volgend_niveau(p.in_a) is None


def _blok(user, school, leerling):
    request = RequestFactory().get("/")
    request.user, request.school = user, school
    leerling = toegang.leerling_of_404(user, school, leerling.pk)
    return render_to_string("leerlingen/_route_acties.html", {"leerling": leerling, "request": request})


def test_dossier_block_shows_the_buttons_each_role_may_use(p):
    mentor = _blok(p.mentor, p.school, p.in_a)
    assert "Hulpvraag naar teamleider" in mentor and "Opschaling beoordelen" not in mentor
    assert "Toestemming vastleggen" not in mentor and "Overdracht" in mentor
    teamleider = _blok(p.teamleider, p.school, p.in_a)
    assert "Hulpvraag naar" not in teamleider
    zc = _blok(p.zorgcoordinator, p.school, p.in_a)
    assert "Toestemming vastleggen" in zc and "Hulpvraag naar" not in zc
    docent = _blok(p.docent, p.school, p.in_a)
    assert "Hulpvraag naar" not in docent and "Overdracht" not in docent and "1 mentor" in docent

    interventie(p.in_a)
    route.vraag_aan(p.mentor, p.school, p.in_a, "Planning")
    teamleider = _blok(p.teamleider, p.school, p.in_a)
    assert "Opschaling beoordelen" in teamleider and "Hulpvraag naar teamleider staat open" in teamleider
    assert "Afschalen" not in teamleider
    assert "Hulpvraag naar" not in _blok(p.mentor, p.school, p.in_a).split("staat open")[1]


# --- refusals: clear Dutch message, nothing changes, nothing typed lost ------------------------


def test_no_hulpvraag_is_refused(p):
    interventie(p.in_a)
    r = aanvragen(p.client(p.mentor), p.in_a, hulpvraag="   ", begeleidingsvraag="Tips voor de les graag")
    assert r.status_code == 200
    html = html_of(r)
    assert "Vul de hulpvraag in" in html
    assert "Tips voor de les graag" in html
    niets_veranderd(p.in_a, p.n1)
    with pytest.raises(route.RouteFout, match="Vul de hulpvraag in"):
        route.vraag_aan(p.mentor, p.school, p.in_a, "")


def test_too_few_interventies_with_effect_is_refused(p):
    interventie(p.in_a, effect="")  # no effect yet: does not count
    client = p.client(p.mentor)
    assert "minimaal 1 interventie(s) met een ingevuld effect" in html_of(
        client.get(reverse("route_aanvragen", args=[p.in_a.pk]))
    )
    r = aanvragen(client, p.in_a, hulpvraag="Mijn zorgvuldig getypte hulpvraag")
    html = html_of(r)
    assert r.status_code == 200
    assert "minimaal 1 interventie(s) met een ingevuld effect nodig; het dossier bevat er 0" in html
    assert "Mijn zorgvuldig getypte hulpvraag" in html
    niets_veranderd(p.in_a, p.n1)
    assert not Notificatie.objects.filter(ontvanger=p.teamleider).exists()


@pytest.fixture
def op_izo(p):
    """in_a at IZO with two interventies; the next step (ZAT) needs consent."""
    zet_op(p.in_a, p.n3)
    interventie(p.in_a)
    interventie(p.in_a, effect="geen", acties="Faalangsttraining")
    return p


@pytest.mark.parametrize(
    "toestemming, melding",
    [
        (None, "Er is nog geen toestemming vastgelegd"),
        ({"geldig_tot": VANDAAG - datetime.timedelta(days=1)}, "De vastgelegde toestemming is verlopen op"),
        ({"gezag": False}, "die geen ouderlijk gezag heeft over deze leerling"),
        ({"status": Toestemming.Status.INGETROKKEN}, "De laatst vastgelegde toestemming is ingetrokken"),
    ],
)
def test_step_requiring_consent_is_refused_without_valid_consent(op_izo, toestemming, melding):
    p = op_izo
    if toestemming is not None:
        gezag = toestemming.pop("gezag", True)
        ouder = f.OuderFactory(gebruiker=None, achternaam="Zonder")
        f.OuderRelatieFactory(ouder=ouder, leerling=p.in_a, gezag=gezag)
        Toestemming.objects.create(
            leerling=p.in_a, doel=Toestemming.Doel.ZAT, ouder=ouder, datum=VANDAAG - datetime.timedelta(days=30),
            **{"status": Toestemming.Status.GEGEVEN, "leerling_akkoord": True, **toestemming},
        )
    r = aanvragen(p.client(p.zorgcoordinator), p.in_a, hulpvraag="Externe hulp nodig")
    html = html_of(r)
    assert r.status_code == 200
    assert "Voor ZAT is toestemming nodig van een ouder met gezag" in html
    assert melding in html
    assert "Externe hulp nodig" in html
    niets_veranderd(p.in_a, p.n3)


def test_consent_withdrawn_after_the_request_refuses_the_decision(op_izo):
    p = op_izo
    toestemming = Toestemming.objects.create(
        leerling=p.in_a, doel=Toestemming.Doel.ZAT, ouder=p.ouder, datum=VANDAAG, status=Toestemming.Status.GEGEVEN,
        leerling_akkoord=True,
    )
    opschaling = route.vraag_aan(p.zorgcoordinator, p.school, p.in_a, "Externe hulp nodig")
    assert opschaling.toestemming == toestemming
    toestemming.status = Toestemming.Status.INGETROKKEN
    toestemming.save()
    r = beslis(p.client(p.zorgcoordinator), opschaling, case_manager=p.specialist)
    assert "De laatst vastgelegde toestemming is ingetrokken" in html_of(r)
    opschaling.refresh_from_db()
    assert opschaling.status == Opschaling.Status.AANGEVRAAGD
    p.in_a.refresh_from_db()
    assert p.in_a.zorgniveau == p.n3


# --- a completed step -------------------------------------------------------------------------------


def test_completed_step_moves_level_sets_case_manager_records_decision_and_notifies(p):
    interventie(p.in_a)
    Dossieritem.objects.create(
        leerling=p.in_a, soort=Dossieritem.Soort.SIGNALERING, domein="werkhouding", titel="Vergeet huiswerk",
        auteur=p.docent,
    )
    Dossieritem.objects.create(
        leerling=p.in_a, soort=Dossieritem.Soort.INTERVENTIE, effect="goed", acties="Geheim gesprek",
        vertrouwelijkheid="vertrouwelijk", auteur=p.zorgcoordinator,
    )
    mentor = p.client(p.mentor)
    formulier = html_of(mentor.get(reverse("route_aanvragen", args=[p.in_a.pk])))
    assert "Hoe helpen we Aafke bij het plannen van huiswerk?" in formulier  # prefilled, not retyped
    assert "Weekplanner met de mentor" in formulier and "Vergeet huiswerk" in formulier
    assert "Geheim gesprek" not in formulier

    r = aanvragen(mentor, p.in_a, begeleidingsvraag="Hoe houd ik overzicht?")
    assert r.status_code == 302
    opschaling = Opschaling.objects.get(leerling=p.in_a)
    assert (opschaling.van_niveau, opschaling.naar_niveau, opschaling.aangevraagd_door) == (p.n1, p.n2, p.mentor)
    assert "Weekplanner met de mentor" in opschaling.geschiedenis
    assert "deels: er is verbetering" in opschaling.geschiedenis
    assert "Geheim gesprek" not in opschaling.geschiedenis
    melding = Notificatie.objects.get(ontvanger=p.teamleider)
    assert melding.url == reverse("route_beoordelen", args=[opschaling.pk]) and melding.leerling == p.in_a
    assert not Notificatie.objects.filter(ontvanger=p.zorgcoordinator).exists()

    teamleider = p.client(p.teamleider)
    pagina = html_of(teamleider.get(reverse("route_beoordelen", args=[opschaling.pk])))
    assert "Hoe houd ik overzicht?" in pagina and "Besluit vastleggen" in pagina
    assert f'value="{p.mentor.pk}" selected' in pagina  # moment 2: the mentor is case-manager by default
    r = beslis(teamleider, opschaling, case_manager=p.mentor, reden="Weekplanner werkt deels; handelingsplan")
    assert r.status_code == 302

    p.in_a.refresh_from_db()
    assert p.in_a.zorgniveau == p.n2 and p.in_a.case_manager == p.mentor
    opschaling.refresh_from_db()
    assert opschaling.status == Opschaling.Status.TOEGEKEND and opschaling.besloten_door == p.teamleider
    besluit = opschaling.besluit
    assert besluit.soort == Dossieritem.Soort.ZORGNIVEAU
    assert (besluit.van_niveau, besluit.naar_niveau, besluit.case_manager, besluit.auteur) == (
        p.n1, p.n2, p.mentor, p.teamleider
    )
    assert besluit.tekst == "Weekplanner werkt deels; handelingsplan"
    assert besluit in toegang.dossieritems_voor(p.mentor, p.school, p.in_a)  # on the timeline
    assert Notificatie.objects.filter(ontvanger=p.mentor, tekst__contains="toegekend").exists()


def test_izo_decision_defaults_case_manager_to_the_zorgteam_and_rejects_non_staff(p):
    zet_op(p.in_a, p.n2)
    interventie(p.in_a)
    interventie(p.in_a)
    opschaling = route.vraag_aan(p.teamleider, p.school, p.in_a, "Verdieping nodig")
    assert Notificatie.objects.filter(ontvanger=p.zorgcoordinator).exists()
    zc = p.client(p.zorgcoordinator)
    assert f'value="{p.zorgcoordinator.pk}" selected' in html_of(zc.get(reverse("route_beoordelen",
                                                                            args=[opschaling.pk])))
    r = beslis(zc, opschaling, case_manager=p.ouder_user)
    assert "Kies een case-manager uit de lijst" in html_of(r)
    r = beslis(zc, opschaling, case_manager=None)
    assert "bij toekennen is die verplicht" in html_of(r)
    r = beslis(zc, opschaling, case_manager=p.specialist)
    assert r.status_code == 302
    p.in_a.refresh_from_db()
    assert p.in_a.zorgniveau == p.n3 and p.in_a.case_manager == p.specialist


def test_refusing_notifies_the_requester_and_keeps_the_level(p):
    interventie(p.in_a)
    opschaling = route.vraag_aan(p.mentor, p.school, p.in_a, "Planning")
    r = beslis(p.client(p.teamleider), opschaling, besluit="afwijzen", reden="Eerst nog een interventie")
    assert r.status_code == 302
    opschaling.refresh_from_db()
    assert opschaling.status == Opschaling.Status.AFGEWEZEN and opschaling.reden == "Eerst nog een interventie"
    p.in_a.refresh_from_db()
    assert p.in_a.zorgniveau == p.n1
    assert Notificatie.objects.filter(ontvanger=p.mentor, tekst__contains="afgewezen").exists()
    # a missing reason is refused
    opschaling = route.vraag_aan(p.mentor, p.school, p.in_a, "Opnieuw")
    assert "Geef een toelichting bij het besluit" in html_of(beslis(p.client(p.teamleider), opschaling, reden=""))


# --- who may request and decide ----------------------------------------------------------------------


def test_who_may_request(p):
    interventie(p.in_a)
    for user in (p.docent, p.teamleider, p.zorgcoordinator, p.directie):
        r = aanvragen(p.client(user), p.in_a)
        assert r.status_code == 403, user
        assert "wordt ingediend door de mentor van de leerling" in html_of(r)
    for user in (p.andere_mentor, p.specialist, p.ouder_user, p.extern):
        assert aanvragen(p.client(user), p.in_a).status_code == 404, user
    assert aanvragen(p.client(p.mentor), p.elders).status_code == 404
    assert not Opschaling.objects.exists()
    with pytest.raises(route.RouteFout):
        route.vraag_aan(p.teamleider, p.school, p.in_a, "x")
    # IZO → ZAT: the zorgcoördinator requests; the mentor may not
    zet_op(p.in_a, p.n3)
    assert aanvragen(p.client(p.mentor), p.in_a).status_code == 403


def test_who_may_decide(p):
    interventie(p.in_a)
    opschaling = route.vraag_aan(p.mentor, p.school, p.in_a, "Planning")
    for user in (p.mentor, p.zorgcoordinator, p.directie):
        r = beslis(p.client(user), opschaling, case_manager=p.mentor)
        assert r.status_code == 403, user
        assert "beslist de teamleider van de leerling" in html_of(r)
    for user in (p.docent,):
        assert p.client(user).get(reverse("route_beoordelen", args=[opschaling.pk])).status_code == 403
    for user in (p.andere_mentor, p.specialist, p.ouder_user):
        assert beslis(p.client(user), opschaling, case_manager=p.mentor).status_code == 404, user
        assert p.client(user).get(reverse("route_beoordelen", args=[opschaling.pk])).status_code == 404
    # a teamleider of another afdeling cannot see the pupil
    ander = f.GebruikerFactory()
    f.FunctieFactory(gebruiker=ander, schooljaar=p.jaar, soort=Functie.Soort.TEAMLEIDER, afdeling=p.afdeling_b)
    assert beslis(p.client(ander), opschaling, case_manager=p.mentor).status_code == 404
    opschaling.refresh_from_db()
    assert opschaling.status == Opschaling.Status.AANGEVRAAGD
    # the mentor (requester) and directie may read it, without a decision form
    html = html_of(p.client(p.mentor).get(reverse("route_beoordelen", args=[opschaling.pk])))
    assert "Besluit vastleggen" not in html and "Hulpvraag intrekken" in html


def test_second_decision_is_refused_and_the_row_is_locked(p):
    interventie(p.in_a)
    opschaling = route.vraag_aan(p.mentor, p.school, p.in_a, "Planning")
    tweede_teamleider = f.GebruikerFactory()
    f.FunctieFactory(gebruiker=tweede_teamleider, schooljaar=p.jaar, soort=Functie.Soort.TEAMLEIDER,
                     afdeling=p.afdeling_a)
    with CaptureQueriesContext(connection) as queries:
        route.beslis(p.teamleider, p.school, opschaling.pk, True, "Toegekend", p.mentor)
    assert any("FOR UPDATE" in q["sql"] and "leerlingen_opschaling" in q["sql"] for q in queries.captured_queries)
    with pytest.raises(route.RouteFout, match="al toegekend door"):
        route.beslis(tweede_teamleider, p.school, opschaling.pk, False, "Afgewezen")
    r = beslis(p.client(tweede_teamleider), opschaling, besluit="afwijzen", reden="Te laat")
    assert "Deze hulpvraag is al toegekend door" in html_of(r)
    opschaling.refresh_from_db()
    assert opschaling.status == Opschaling.Status.TOEGEKEND and opschaling.besloten_door == p.teamleider
    assert Dossieritem.objects.filter(leerling=p.in_a, soort=Dossieritem.Soort.ZORGNIVEAU).count() == 1


def test_one_open_request_per_pupil_and_withdrawing(p):
    interventie(p.in_a)
    eerste = route.vraag_aan(p.mentor, p.school, p.in_a, "Planning")
    with pytest.raises(route.RouteFout, match="Er staat al een hulpvraag open"):
        route.vraag_aan(p.mentor, p.school, p.in_a, "Nog een")
    r = p.client(p.mentor).get(reverse("route_aanvragen", args=[p.in_a.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("route_beoordelen", args=[eerste.pk])
    assert p.client(p.teamleider).post(reverse("route_intrekken", args=[eerste.pk])).status_code == 403
    r = p.client(p.mentor).post(reverse("route_intrekken", args=[eerste.pk]))
    assert r.status_code == 302
    eerste.refresh_from_db()
    assert eerste.status == Opschaling.Status.INGETROKKEN
    assert route.vraag_aan(p.mentor, p.school, p.in_a, "Opnieuw").status == Opschaling.Status.AANGEVRAAGD


def test_queue_lists_open_requests_in_the_deciders_scope(p):
    interventie(p.in_a)
    route.vraag_aan(p.mentor, p.school, p.in_a, "Planning Aafke")
    zet_op(p.in_b, p.n2)
    interventie(p.in_b)
    interventie(p.in_b)
    route.vraag_aan(p.andere_mentor, p.school, p.in_b, "Verdieping Cor")
    url = reverse("route_hulpvragen")
    teamleider = html_of(p.client(p.teamleider).get(url))
    assert "Planning Aafke" in teamleider and "Verdieping Cor" not in teamleider
    zc = html_of(p.client(p.zorgcoordinator).get(url))
    assert "Verdieping Cor" in zc and "Planning Aafke" not in zc
    mentor = html_of(p.client(p.mentor).get(url))
    assert "Er staan geen hulpvragen voor u open" in mentor and p.in_a.naam in mentor
    for user in (p.docent, p.specialist, p.directie, p.ouder_user):
        assert p.client(user).get(url).status_code == 404
    assert f'href="{url}"' in zc


# --- afschalen ---------------------------------------------------------------------------------------


def test_stepping_down_by_the_decider_with_a_reason(p):
    zet_op(p.in_a, p.n2)
    url = reverse("route_afschalen", args=[p.in_a.pk])
    assert p.client(p.mentor).post(url, {"naar_niveau": p.n1.pk, "reden": "x"}).status_code == 403
    assert p.client(p.andere_mentor).get(url).status_code == 404
    teamleider = p.client(p.teamleider)
    formulier = html_of(teamleider.get(url))
    assert f'value="{p.n1.pk}" selected' in formulier and "geen zorgniveau (basiszorg)" in formulier
    r = teamleider.post(url, {"naar_niveau": p.n1.pk, "reden": "", "case_manager": p.mentor.pk})
    assert "Geef een reden voor het afschalen" in html_of(r)
    p.in_a.refresh_from_db()
    assert p.in_a.zorgniveau == p.n2
    r = teamleider.post(url, {"naar_niveau": p.n1.pk, "reden": "Gaat goed", "case_manager": p.mentor.pk})
    assert r.status_code == 302
    p.in_a.refresh_from_db()
    assert p.in_a.zorgniveau == p.n1 and p.in_a.case_manager == p.mentor
    besluit = Dossieritem.objects.get(leerling=p.in_a, soort=Dossieritem.Soort.ZORGNIVEAU)
    assert (besluit.van_niveau, besluit.naar_niveau, besluit.tekst, besluit.auteur) == (
        p.n2, p.n1, "Gaat goed", p.teamleider
    )


def test_stepping_down_from_zat_needs_no_consent(p):
    zet_op(p.in_a, p.n4)
    besluit = route.schaal_af(p.zorgcoordinator, p.school, p.in_a, p.n3, "Hulpverlening afgerond", p.specialist)
    p.in_a.refresh_from_db()
    assert p.in_a.zorgniveau == p.n3 and besluit.naar_niveau == p.n3
    with pytest.raises(route.RouteFout, match="lager ligt"):
        route.schaal_af(p.zorgcoordinator, p.school, p.in_a, p.n4, "terug omhoog")


# --- paper consent ------------------------------------------------------------------------------------


def test_recording_paper_consent(op_izo):
    p = op_izo
    zonder_gezag = f.OuderFactory(gebruiker=None, achternaam="Stiefvader")
    f.OuderRelatieFactory(ouder=zonder_gezag, leerling=p.in_a, gezag=False, relatie=OuderRelatie.Relatie.ANDERS)
    url = reverse("route_toestemming", args=[p.in_a.pk])
    for user in (p.mentor, p.teamleider, p.docent):
        assert p.client(user).get(url).status_code == 403, user
    assert p.client(p.andere_mentor).get(url).status_code == 404
    zc = p.client(p.zorgcoordinator)
    html = html_of(zc.get(url))
    assert escape(p.ouder.naam) in html and "Stiefvader" not in html
    r = zc.post(url, {"ouder": zonder_gezag.pk, "doel": "zat", "datum": VANDAAG.isoformat()})
    assert "Kies een ouder of verzorger met gezag uit de lijst" in html_of(r)
    morgen = (VANDAAG + datetime.timedelta(days=1)).isoformat()
    r = zc.post(url, {"ouder": p.ouder.pk, "doel": "zat", "datum": morgen})
    assert "De datum ligt in de toekomst" in html_of(r)
    r = zc.post(url, {"ouder": p.ouder.pk, "doel": "zat", "datum": VANDAAG.isoformat(),
                      "geldig_tot": (VANDAAG - datetime.timedelta(days=3)).isoformat()})
    assert "ligt vóór de datum van ondertekening" in html_of(r)
    assert not Toestemming.objects.exists()
    with pytest.raises(route.RouteFout, match="ouderlijk gezag"):
        route.leg_toestemming_vast(p.zorgcoordinator, p.school, p.in_a, zonder_gezag, "zat", VANDAAG)

    # The pupil is 13: without the pupil's consent the paper consent is recorded but does not count.
    r = zc.post(url, {"ouder": p.ouder.pk, "doel": "zat", "datum": VANDAAG.isoformat()})
    assert r.status_code == 302
    assert route.geldige_toestemming(p.in_a) is None
    Toestemming.objects.all().delete()
    r = zc.post(url, {"ouder": p.ouder.pk, "doel": "zat", "datum": VANDAAG.isoformat(), "leerling_akkoord": "on"})
    assert r.status_code == 302
    toestemming = Toestemming.objects.get()
    assert (toestemming.ouder, toestemming.wijze, toestemming.vastgelegd_door, toestemming.status) == (
        p.ouder, Toestemming.Wijze.PAPIER, p.zorgcoordinator, Toestemming.Status.GEGEVEN
    )
    # now the step to ZAT passes
    opschaling = route.vraag_aan(p.zorgcoordinator, p.school, p.in_a, "Externe hulp")
    route.beslis(p.zorgcoordinator, p.school, opschaling.pk, True, "Naar ZAT", p.specialist)
    p.in_a.refresh_from_db()
    assert p.in_a.zorgniveau == p.n4
    opschaling.refresh_from_db()
    assert opschaling.toestemming == toestemming


# --- overdracht ---------------------------------------------------------------------------------------


@pytest.fixture
def met_bijzonderheden(p):
    """in_a's dossier with a team and a vertrouwelijk bijzonderheid. No case-manager: a case-manager
    reads vertrouwelijk entries (zorg.toegang), the plain mentor does not."""
    p.in_a.case_manager = None
    p.in_a.save()
    Dossieritem.objects.create(
        leerling=p.in_a, soort=Dossieritem.Soort.BIJZONDERHEID, categorie="talent", titel="Sterk in tekenen",
        auteur=p.mentor,
    )
    Dossieritem.objects.create(
        leerling=p.in_a, soort=Dossieritem.Soort.BIJZONDERHEID, categorie="levensgebeurtenis",
        titel="Scheiding ouders", vertrouwelijkheid="vertrouwelijk", auteur=p.zorgcoordinator,
    )
    Dossieritem.objects.create(
        leerling=p.in_a, soort=Dossieritem.Soort.DOCUMENT, documentsoort="onderwijskundig_rapport",
        titel="OKR basisschool De Regenboog", auteur=p.zorgcoordinator,
    )
    interventie(p.in_a, acties="Weekplanner ingezet")
    return p


def test_overdracht_respects_vertrouwelijkheid(met_bijzonderheden):
    p = met_bijzonderheden
    url = reverse("overdracht", args=[p.in_a.pk])
    mentor = html_of(p.client(p.mentor).get(url))
    assert "Sterk in tekenen" in mentor and "OKR basisschool De Regenboog" in mentor
    assert "Weekplanner ingezet" in mentor and "1 mentor" in mentor
    assert "Scheiding ouders" not in mentor
    # Printable: the print button (static/js/afdrukken.js; no inline script under the CSP) and the
    # page's own controls hidden on paper (the print rules are in zorgroute.css).
    assert "data-afdrukken" in mentor and 'class="balk niet-printen"' in mentor
    assert "Overdracht vastleggen" in mentor
    zc = html_of(p.client(p.zorgcoordinator).get(url))
    assert "Scheiding ouders" in zc
    teamleider = html_of(p.client(p.teamleider).get(url))
    assert "Scheiding ouders" not in teamleider and "Overdracht vastleggen" not in teamleider
    assert p.client(p.docent).get(url).status_code == 403
    for user in (p.andere_mentor, p.ouder_user):
        assert p.client(user).get(url).status_code == 404


def test_recording_an_overdracht(met_bijzonderheden):
    p = met_bijzonderheden
    url = reverse("overdracht_vastleggen", args=[p.in_a.pk])
    assert p.client(p.teamleider).post(url).status_code == 403
    assert p.client(p.andere_mentor).post(url).status_code == 404
    assert p.client(p.mentor).get(url).status_code == 405
    assert p.client(p.mentor).post(url).status_code == 302
    item = Dossieritem.objects.get(leerling=p.in_a, soort=Dossieritem.Soort.OVERDRACHT)
    assert item.auteur == p.mentor and item.vertrouwelijkheid == "team"
    assert "Sterk in tekenen" in item.tekst and "Weekplanner ingezet" in item.tekst
    assert "Scheiding ouders" not in item.tekst and "1 mentor" in item.tekst
    p.client(p.zorgcoordinator).post(url)
    vertrouwelijk = Dossieritem.objects.filter(leerling=p.in_a, soort=Dossieritem.Soort.OVERDRACHT).exclude(pk=item.pk)
    assert vertrouwelijk.get().vertrouwelijkheid == "vertrouwelijk"
    assert "Scheiding ouders" in vertrouwelijk.get().tekst
    assert vertrouwelijk.get() not in toegang.dossieritems_voor(p.mentor, p.school, p.in_a)


def test_dossier_page_shows_the_route_block(p):
    html = html_of(p.client(p.mentor).get(reverse("leerling", args=[p.in_a.pk])))
    assert "Hulpvraag naar teamleider" in html
    assert f'href="{reverse("route_aanvragen", args=[p.in_a.pk])}"' in html
