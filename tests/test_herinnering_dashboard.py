"""The zorgcoördinator's Herinneringen page (issue Herinneringen): who may see it (directie without
pupil names, everyone else 404), the overdue figures equal the dashboard lists they link to, "not
acted" counts only owners whose item is still overdue, a query count that does not grow with the
ledger; the four reminder settings on /beheer/; the demo's ledger and notices."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from besprekingen.models import Afspraak
from plannen.models import Handelingsplan
from tests.test_dashboard import dag, rijen, school  # noqa: F401 (the dashboard's rich fixture)
from zorg.herinneringen import TeSturen, registreer
from zorg.models import Gebruiker, Herinnering, Notificatie, School

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

URL = "/besprekingen/dashboard/herinneringen/"


def _stuur(p, obj, ontvanger, regel="afspraak", stap="te_laat", tekst=None, leerling=None, datum=None):
    datum = datum or getattr(obj, "uiterlijk", None) or getattr(obj, "evaluatiedatum", None) or dag(-1)
    tekst = tekst or f"Herinnering {regel} {obj.pk}"
    return registreer(p.school, TeSturen(regel, stap, obj, datum, [ontvanger], tekst, leerling=leerling))


@pytest.fixture
def met_herinneringen(school):  # noqa: F811 (the imported fixture)
    p = school
    open_mentor = Afspraak.objects.filter(school=p.school, eigenaar=p.mentor, status="open").order_by("uiterlijk")
    # Two overdue afspraken of the mentor reminded, one of the specialist; the done one reminded too.
    for a in open_mentor:
        _stuur(p, a, p.mentor, leerling=a.leerling, tekst=f"Afspraak van {a.leerling.naam} te laat")
    _stuur(p, Afspraak.objects.get(eigenaar=p.specialist, uiterlijk=dag(-1)), p.specialist)
    _stuur(p, Afspraak.objects.get(status="gedaan"), p.mentor)
    # An escalation to the teamleider about the mentor's afspraak: the teamleider is not the owner.
    _stuur(p, open_mentor[0], p.teamleider, stap="te_laat")
    # An overdue evaluation reminded to its author; a future one reminded ahead (not overdue).
    for plan in Handelingsplan.objects.filter(status="vastgesteld"):
        _stuur(p, plan, p.mentor, regel="evaluatie_handelingsplan", stap="vooraf")
    # The mentor read one.
    n = Notificatie.objects.filter(ontvanger=p.mentor).order_by("pk").first()
    n.gelezen_op = timezone.now()
    n.save()
    return p


def test_zorgcoordinator_sees_what_was_sent_with_texts(met_herinneringen):
    p = met_herinneringen
    html = p.client(p.zorgcoordinator).get(URL).content.decode()
    assert rijen(html) == Herinnering.objects.filter(school=p.school).count() == 8
    assert "Afspraak van Aafke Akkerman te laat" in html
    assert html.count('class="ongelezen"') == 7 and html.count('class="gelezen"') == 1
    assert "evaluatie handelingsplan" in html


def test_directie_sees_the_page_without_pupil_names(met_herinneringen):
    p = met_herinneringen
    r = p.client(p.directie).get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert rijen(html) == 8
    # A parent's name would identify the pupil: directie sees the role.
    _stuur(p, Handelingsplan.objects.filter(leerling=p.in_a).first(), p.ouder_user, regel="plan_voor_ouders",
           stap="klaar")
    html = p.client(p.directie).get(URL).content.decode()
    assert "ouder/verzorger" in html and p.ouder_user.naam not in html
    for naam in ["Aafke Akkerman", "Bert Boomsma", "Cor Cremers", "Akkerman", "Boomsma", "Cremers"]:
        assert naam not in html


@pytest.mark.parametrize("rol", ["mentor", "docent", "teamleider", "specialist", "beheerder", "ouder_user", "extern",
                                 "zonder_rol"])
def test_other_roles_get_404(personas, rol):
    assert personas.client(getattr(personas, rol)).get(URL).status_code == 404


def test_empty_ledger_says_what_happens(personas):
    html = personas.client(personas.zorgcoordinator).get(URL).content.decode()
    assert "Nog niets verstuurd" in html and "Iedereen die een herinnering kreeg" in html


def test_overdue_figures_equal_the_lists_they_link_to(met_herinneringen):
    p = met_herinneringen
    client = p.client(p.zorgcoordinator)
    html = client.get(URL).content.decode()
    figuren = [(unescape(u), int(n)) for u, n in re.findall(r'href="([^"]+)" data-aantal="(\d+)"', html)]
    assert len(figuren) == 3
    for url, n in figuren:
        assert rijen(client.get(url).content.decode()) == n, url
    assert [n for _u, n in figuren] == [3, 3, 1]


def test_not_acted_counts_owners_whose_item_is_still_overdue(met_herinneringen):
    p = met_herinneringen
    html = p.client(p.zorgcoordinator).get(URL).content.decode()
    personen = dict(re.findall(r'<tr class="persoon"><th scope="row">([^<]+)</th>.*?data-aantal="(\d+)"', html))
    # Mentor: two overdue plans (the third is not overdue) and two overdue afspraken; the done one is not counted.
    assert personen == {p.mentor.naam: "4", p.specialist.naam: "1"}
    # Once the mentor closes an afspraak it no longer counts.
    Afspraak.objects.filter(eigenaar=p.mentor, status="open").update(status="gedaan")
    html = p.client(p.zorgcoordinator).get(URL).content.decode()
    personen = dict(re.findall(r'<tr class="persoon"><th scope="row">([^<]+)</th>.*?data-aantal="(\d+)"', html))
    assert personen == {p.mentor.naam: "2", p.specialist.naam: "1"}


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_ledger(met_herinneringen):
    p = met_herinneringen
    client = p.client(p.zorgcoordinator)
    client.get(URL)

    def groei(n):
        for i in range(n):
            a = Afspraak.objects.create(school=p.school, wat=f"x{i}", eigenaar=[p.mentor, p.specialist][i % 2],
                                        uiterlijk=dag(-2), leerling=p.in_a)
            _stuur(p, a, a.eigenaar, leerling=p.in_a)

    groei(2)
    weinig = _queries(client)
    groei(45)
    assert _queries(client) == weinig
    assert "pagina 1 van 3" in client.get(URL).content.decode()
    assert rijen(client.get(URL + "?pagina=3").content.decode()) == Herinnering.objects.count() - 50


# --- Settings on /beheer/ -----------------------------------------------------------------------------


def _instellingen(s, **waarden):
    data = {"instellingen": "1", "evaluatie_weken": s.evaluatie_weken,
            "toestemming_leerling_mee_vanaf": s.toestemming_leerling_mee_vanaf,
            "toestemming_leerling_zelf_vanaf": s.toestemming_leerling_zelf_vanaf,
            "toegang_extern_maanden": s.toegang_extern_maanden,
            "herinnering_dagen_vooraf": 3, "herinnering_te_laat_dagen": 7, "herinnering_verwijzing_weken": 4,
            "samenvatting_uur": 7}
    data.update(waarden)
    return {k: v for k, v in data.items() if v is not None}


def test_beheer_saves_the_reminder_settings(personas):
    p = personas
    client = p.client(p.beheerder)
    html = client.get("/beheer/").content.decode()
    for veld in ["herinnering_dagen_vooraf", "herinnering_te_laat_dagen", "herinnering_verwijzing_weken",
                 "samenvatting_uur"]:
        assert f'name="{veld}"' in html
    r = client.post("/beheer/", _instellingen(p.school, herinnering_dagen_vooraf=5, herinnering_te_laat_dagen=10,
                                                herinnering_verwijzing_weken=6, samenvatting_uur=16))
    assert r.status_code == 302
    s = School.objects.get(pk=p.school.pk)
    assert (s.herinnering_dagen_vooraf, s.herinnering_te_laat_dagen, s.herinnering_verwijzing_weken,
            s.samenvatting_uur) == (5, 10, 6, 16)


@pytest.mark.parametrize(("veld", "waarde", "melding"), [
    ("herinnering_dagen_vooraf", "61", "Kies hoogstens 60 dagen vooraf."),
    ("herinnering_dagen_vooraf", "-1", "Vul een aantal dagen in van 0 of meer"),
    ("herinnering_te_laat_dagen", "0", "Kies minstens 1 dag."),
    ("herinnering_te_laat_dagen", "91", "Kies hoogstens 90 dagen."),
    ("herinnering_verwijzing_weken", "0", "Kies minstens 1 week."),
    ("herinnering_verwijzing_weken", "53", "Kies hoogstens 52 weken."),
    ("samenvatting_uur", "24", "Kies een uur van 0 tot en met 23."),
    ("samenvatting_uur", "zeven", "Vul een heel uur in, van 0 tot en met 23."),
    ("samenvatting_uur", "", "Vul een heel uur in, van 0 tot en met 23."),
])
def test_beheer_explains_bad_reminder_settings_and_keeps_input(personas, veld, waarde, melding):
    p = personas
    r = p.client(p.beheerder).post("/beheer/", _instellingen(p.school, **{veld: waarde}))
    assert r.status_code == 200
    html = r.content.decode()
    assert melding in html
    if waarde:
        assert f'value="{waarde}"' in html
    s = School.objects.get(pk=p.school.pk)
    assert (s.herinnering_dagen_vooraf, s.herinnering_te_laat_dagen, s.herinnering_verwijzing_weken,
            s.samenvatting_uur) == (3, 7, 4, 7)


def test_a_post_without_the_reminder_fields_keeps_them(personas):
    p = personas
    School.objects.filter(pk=p.school.pk).update(herinnering_dagen_vooraf=9, samenvatting_uur=18)
    s = School.objects.get(pk=p.school.pk)
    data = _instellingen(s, herinnering_dagen_vooraf=None, herinnering_te_laat_dagen=None,
                         herinnering_verwijzing_weken=None, samenvatting_uur=None, evaluatie_weken=8)
    assert p.client(p.beheerder).post("/beheer/", data).status_code == 302
    s.refresh_from_db()
    assert (s.evaluatie_weken, s.herinnering_dagen_vooraf, s.samenvatting_uur) == (8, 9, 18)


# --- Demo ---------------------------------------------------------------------------------------------------


def test_demo_has_reminders_with_notices_for_the_demo_logins(demo_school):
    rijen_ = Herinnering.objects.filter(school=demo_school.school).select_related("ontvanger", "notificatie")
    assert rijen_.exists() and all(r.notificatie_id for r in rijen_)
    per_login = {}
    for r in rijen_:
        per_login.setdefault(r.ontvanger.username, []).append(r)
    logins = demo_school.logins
    for rol in ["mentor", "teamleider", "zorgcoördinator"]:
        assert per_login.get(logins[rol]), rol
    zc_regels = {r.regel for r in per_login[logins["zorgcoördinator"]]}
    assert {"vervolg_izo_zat", "toestemming_verloopt"} <= zc_regels
    assert any(r.stap == "te_laat" for r in per_login[logins["teamleider"]])
    assert any(r.regel == "evaluatie_handelingsplan" for r in per_login[logins["mentor"]])
    notices = Notificatie.objects.filter(pk__in=[r.notificatie_id for r in rijen_])
    assert notices.filter(gelezen_op__isnull=True).exists() and notices.filter(gelezen_op__isnull=False).exists()
    # The mentor's reminders are about real objects of theirs, the zorgcoördinator's page shows them.
    mentor = Gebruiker.objects.get(username=logins["mentor"])
    for r in per_login[logins["mentor"]]:
        if r.object_soort == "handelingsplan":
            assert Handelingsplan.objects.get(pk=r.object_id).auteur == mentor
        if r.object_soort == "afspraak":
            assert Afspraak.objects.get(pk=r.object_id).eigenaar == mentor
    zc = Gebruiker.objects.get(username=logins["zorgcoördinator"])
    from django.test import Client

    client = Client()
    client.force_login(zc)
    html = client.get(URL).content.decode()
    assert rijen(html) == min(rijen_.count(), 25)


def test_demo_without_rules_writes_the_same_reminders_through_the_ledger(db, monkeypatch):
    from zorg import demo, herinnering_regels

    monkeypatch.setattr(herinnering_regels, "REGELS", [])
    gebouwd = demo.bouw_school(klassen=4, leerlingen_per_klas=5)
    rijen_ = Herinnering.objects.filter(school=gebouwd.school).select_related("ontvanger", "notificatie")
    per_login = {}
    for r in rijen_:
        per_login.setdefault(r.ontvanger.username, set()).add(r.regel)
    logins = gebouwd.logins
    assert "evaluatie_handelingsplan" in per_login[logins["mentor"]]
    assert "evaluatie_handelingsplan" in per_login[logins["teamleider"]]
    assert {"vervolg_izo_zat", "toestemming_verloopt"} <= per_login[logins["zorgcoördinator"]]
    assert all(r.notificatie_id for r in rijen_) and len(rijen_) <= 5
