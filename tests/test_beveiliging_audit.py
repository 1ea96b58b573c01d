"""Issue 9, Audit: refused requests are recorded, unusual access raises one alarm for the right
people, and the school's audit (who viewed or changed what) is read by the zorgcoördinator and
the applicatiebeheerder only, filtered, scoped to the school and exported."""

import csv
import datetime
import io
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from leerlingen.models import Dossieritem
from tests import factories as f
from zorg import alarmen, audit, tasks
from zorg.models import Alarm, Functie, Inzage, Notificatie, Weigering

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


AUDIT = "/audit/"
EXPORT = "/audit/export/"
ALARMEN = "/audit/alarmen/"


def afhandelen(alarm):
    return f"/audit/alarmen/{alarm.pk}/afhandelen/"


def weigeringen(user, aantal, school, geleden=datetime.timedelta(minutes=5)):
    op = timezone.now() - geleden
    Weigering.objects.bulk_create(
        Weigering(gebruiker=user, school=school, pad=f"/leerlingen/{i}/", status=404, op=op) for i in range(aantal)
    )


def inzagen(user, leerlingen, geleden=datetime.timedelta(minutes=5)):
    op = timezone.now() - geleden
    Inzage.objects.bulk_create(
        Inzage(gebruiker=user, gebruiker_naam=user.naam, rol="mentor", leerling=leerling, onderdeel="dossier", op=op)
        for leerling in leerlingen
    )


# --- The middleware ------------------------------------------------------------------------


def test_a_refusal_of_a_logged_in_user_is_recorded_with_the_school(personas):
    p = personas
    response = p.client(p.mentor).get(f"/leerlingen/{p.elders.pk}/")
    assert response.status_code == 404
    rij = Weigering.objects.get()
    assert (rij.gebruiker, rij.school, rij.status, rij.pad) == (p.mentor, p.school, 404, f"/leerlingen/{p.elders.pk}/")


def test_a_403_is_recorded_too(personas, rf):
    p = personas
    from django.http import HttpResponseForbidden

    request = rf.get("/ergens/")
    request.user, request.school = p.docent, p.school
    response = alarmen.WeigeringMiddleware(lambda r: HttpResponseForbidden())(request)
    assert response.status_code == 403
    assert Weigering.objects.get().status == 403


def test_nothing_is_recorded_for_a_200_or_an_anonymous_user_or_static_files(personas, client):
    p = personas
    mentor = p.client(p.mentor)
    assert mentor.get(f"/leerlingen/{p.in_a.pk}/").status_code == 200
    assert client.get(f"/leerlingen/{p.elders.pk}/").status_code == 302
    assert client.get("/bestaat-niet/").status_code == 404
    assert mentor.get("/static/bestaat-niet.css").status_code == 404
    assert mentor.get("/favicon.ico").status_code == 404
    assert not Weigering.objects.exists()


def test_the_middleware_writes_one_insert_and_nothing_else(personas):
    mentor = personas.client(personas.mentor)
    with CaptureQueriesContext(connection) as vastgelegd:
        assert mentor.get("/bestaat-niet/").status_code == 404
    over_weigering = [q["sql"] for q in vastgelegd.captured_queries if "zorg_weigering" in q["sql"]]
    assert len(over_weigering) == 1 and over_weigering[0].startswith("INSERT")


def test_a_failing_insert_does_not_change_the_answer(personas, monkeypatch):
    class Kapot:
        def __init__(self, **kwargs):
            pass

        def save(self, **kwargs):
            raise DatabaseError("database weg")

    monkeypatch.setattr(alarmen, "Weigering", Kapot)
    p = personas
    response = p.client(p.mentor).get(f"/leerlingen/{p.elders.pk}/")
    assert response.status_code == 404
    # The transaction of the test is still usable.
    assert p.client(p.mentor).get(f"/leerlingen/{p.in_a.pk}/").status_code == 200


# --- The periodic check ----------------------------------------------------------------------


def test_refusals_just_below_the_threshold_raise_nothing_at_it_one_and_twice_still_one(personas):
    p = personas
    weigeringen(p.mentor, alarmen.DREMPEL_WEIGERINGEN - 1, p.school)
    assert alarmen.controleer() == 0
    weigeringen(p.mentor, 1, p.school)
    assert alarmen.controleer() == 1
    assert alarmen.controleer() == 0
    alarm = Alarm.objects.get()
    assert (alarm.school, alarm.gebruiker, alarm.soort, alarm.aantal) == (
        p.school, p.mentor, Alarm.Soort.WEIGERINGEN, alarmen.DREMPEL_WEIGERINGEN,
    )


def test_refusals_older_than_an_hour_do_not_count(personas):
    p = personas
    weigeringen(p.mentor, alarmen.DREMPEL_WEIGERINGEN, p.school, geleden=datetime.timedelta(minutes=61))
    assert alarmen.controleer() == 0


def test_refusals_without_a_chosen_school_count_at_the_users_school(personas):
    p = personas
    weigeringen(p.docent, alarmen.DREMPEL_WEIGERINGEN, None)
    assert alarmen.controleer() == 1
    assert Alarm.objects.get().school == p.school


def test_after_an_alarm_is_handled_a_new_one_can_be_raised(personas):
    p = personas
    weigeringen(p.mentor, alarmen.DREMPEL_WEIGERINGEN, p.school)
    assert alarmen.controleer() == 1
    alarmen.handel_af(Alarm.objects.get(), p.zorgcoordinator, "Nagevraagd: oude bladwijzers.")
    assert alarmen.controleer() == 1
    assert Alarm.objects.filter(afgehandeld_op__isnull=True).count() == 1


def test_many_dossiers_threshold(personas):
    p = personas
    leerlingen = [f.LeerlingFactory(school=p.school) for _i in range(alarmen.DREMPEL_DOSSIERS)]
    inzagen(p.zorgcoordinator, leerlingen[:-1])
    inzagen(p.zorgcoordinator, leerlingen[:5])  # the same pupils again do not count twice
    assert alarmen.controleer() == 0
    inzagen(p.zorgcoordinator, leerlingen[-1:])
    assert alarmen.controleer() == 1
    assert alarmen.controleer() == 0
    alarm = Alarm.objects.get()
    assert (alarm.soort, alarm.aantal, alarm.gebruiker) == (
        Alarm.Soort.VEEL_DOSSIERS, alarmen.DREMPEL_DOSSIERS, p.zorgcoordinator,
    )


def test_an_izo_preparation_of_25_dossiers_raises_nothing(personas):
    p = personas
    inzagen(p.zorgcoordinator, [f.LeerlingFactory(school=p.school) for _i in range(25)])
    assert alarmen.controleer() == 0


def test_failed_logins_from_the_failure_log(personas, settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    p = personas
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username="mentor", ip_address=f"10.0.0.{i}", user_agent="x", http_accept="", path_info="/")
        for i in range(alarmen.DREMPEL_INLOGPOGINGEN - 1)
    )
    assert alarmen.controleer() == 0
    AccessFailureLog.objects.create(username="mentor", ip_address="10.0.1.1", user_agent="x", http_accept="",
                                    path_info="/")
    assert alarmen.controleer() == 1
    assert alarmen.controleer() == 0
    alarm = Alarm.objects.get()
    assert (alarm.soort, alarm.gebruiker, alarm.school) == (Alarm.Soort.INLOGPOGINGEN, p.mentor, p.school)


def test_failed_logins_from_the_attempt_counters_when_the_failure_log_is_off(personas, settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = False
    for ip, n in [("10.0.0.1", 5), ("10.0.0.2", alarmen.DREMPEL_INLOGPOGINGEN - 6)]:
        AccessAttempt.objects.create(username="docent", ip_address=ip, user_agent="x", http_accept="", path_info="/",
                                     get_data="", post_data="", failures_since_start=n)
    assert alarmen.controleer() == 0
    AccessAttempt.objects.filter(ip_address="10.0.0.1").update(failures_since_start=6)
    assert alarmen.controleer() == 1


def test_failed_logins_for_an_unknown_username_raise_nothing(personas, settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username="niemand", ip_address="10.0.0.1", user_agent="x", http_accept="", path_info="/")
        for _i in range(alarmen.DREMPEL_INLOGPOGINGEN * 2)
    )
    assert alarmen.controleer() == 0


def test_an_alarm_notifies_the_zorgcoordinators_and_applicatiebeheerders_only(personas):
    p = personas
    ib = f.GebruikerFactory(username="ib")
    f.FunctieFactory(gebruiker=ib, schooljaar=p.jaar, soort=Functie.Soort.INTERN_BEGELEIDER)
    weigeringen(p.mentor, alarmen.DREMPEL_WEIGERINGEN, p.school)
    assert alarmen.controleer() == 1
    alarm = Alarm.objects.get()
    ontvangers = set(Notificatie.objects.values_list("ontvanger__username", flat=True))
    assert ontvangers == {"zorgcoordinator", "beheer", "ib"}
    melding = Notificatie.objects.filter(ontvanger=p.zorgcoordinator).get()
    assert melding.url == f"{ALARMEN}#alarm-{alarm.pk}"
    assert p.mentor.naam in melding.tekst


def test_the_zorgcoordinator_is_not_told_about_themselves(personas):
    p = personas
    weigeringen(p.zorgcoordinator, alarmen.DREMPEL_WEIGERINGEN, p.school)
    assert alarmen.controleer() == 1
    assert set(Notificatie.objects.values_list("ontvanger__username", flat=True)) == {"beheer"}


def test_the_celery_task_runs_the_check(personas):
    p = personas
    weigeringen(p.mentor, alarmen.DREMPEL_WEIGERINGEN, p.school)
    assert tasks.controleer_toegang() == 1
    assert tasks.controleer_toegang.apply().get() == 0  # through Celery's own call path, eagerly
    assert Alarm.objects.count() == 1


# --- Access ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [AUDIT, EXPORT, ALARMEN])
def test_audit_pages_access_matrix(personas, client, url):
    p = personas
    for user in (p.zorgcoordinator, p.beheerder):
        assert p.client(user).get(url).status_code == 200, user
    for user in (p.mentor, p.andere_mentor, p.docent, p.teamleider, p.specialist, p.directie, p.ouder_user,
                 p.extern, p.zonder_rol):
        assert p.client(user).get(url).status_code == 404, user
    assert client.get(url).status_code == 302


def test_afhandelen_access(personas):
    p = personas
    eigen = Alarm.objects.create(school=p.school, gebruiker=p.mentor, gebruiker_naam="M", soort="weigeringen")
    ander = Alarm.objects.create(school=p.andere_school, gebruiker_naam="X", soort="weigeringen")
    zc = p.client(p.zorgcoordinator)
    assert zc.post(afhandelen(ander), {"toelichting": "Gezien"}).status_code == 404
    assert p.client(p.mentor).post(afhandelen(eigen), {"toelichting": "Gezien"}).status_code == 404
    assert p.client(p.directie).post(afhandelen(eigen), {"toelichting": "Gezien"}).status_code == 404
    assert zc.get(afhandelen(eigen)).status_code == 405
    ander.refresh_from_db()
    eigen.refresh_from_db()
    assert ander.afgehandeld_op is None and eigen.afgehandeld_op is None


# --- The alarm list ------------------------------------------------------------------------


def test_alarm_list_open_first_and_afhandelen(personas):
    p = personas
    oud = Alarm.objects.create(school=p.school, gebruiker_naam="Eerder Gehandeld", soort="weigeringen",
                               afgehandeld_op=timezone.now(), toelichting="Was een test")
    nieuw_open = Alarm.objects.create(school=p.school, gebruiker=p.mentor, gebruiker_naam="Open Alarm",
                                      soort="veel_dossiers", op=timezone.now() - datetime.timedelta(days=2))
    Alarm.objects.create(school=p.andere_school, gebruiker_naam="Andere School", soort="weigeringen")
    zc = p.client(p.zorgcoordinator)
    html = zc.get(ALARMEN).content.decode()
    assert html.index("Open Alarm") < html.index("Eerder Gehandeld")
    assert "Andere School" not in html
    assert "Was een test" in html

    leeg = zc.post(afhandelen(nieuw_open), {"toelichting": "   "})
    assert leeg.status_code == 400
    assert "Schrijf kort op wat u hebt nagekeken of gedaan." in leeg.content.decode()
    te_lang = zc.post(afhandelen(nieuw_open), {"toelichting": "<b>x</b>" * 100})
    assert te_lang.status_code == 400
    assert "te lang" in te_lang.content.decode()
    assert escape("<b>x</b>" * 100) in te_lang.content.decode()  # kept as typed, escaped
    nul = zc.post(afhandelen(nieuw_open), {"toelichting": "Nagekeken\x00"})  # found by the fuzzer: was a 500
    assert nul.status_code == 400 and "nul-teken" in nul.content.decode()

    klaar = zc.post(afhandelen(nieuw_open), {"toelichting": "Besproken met de mentor."}, follow=True)
    assert "Het alarm is afgehandeld." in klaar.content.decode()
    nieuw_open.refresh_from_db()
    assert nieuw_open.afgehandeld_door == p.zorgcoordinator
    assert nieuw_open.toelichting == "Besproken met de mentor."
    nogmaals = zc.post(afhandelen(oud), {"toelichting": "Nog eens"})
    assert nogmaals.status_code == 400 and "al afgehandeld" in nogmaals.content.decode()


def test_alarm_list_empty_state(personas):
    html = personas.client(personas.beheerder).get(ALARMEN).content.decode()
    assert "Er zijn geen alarmen." in html


# --- The audit timeline ----------------------------------------------------------------------


@pytest.fixture
def tijdlijn(benoemde_personas, settings):
    """Something of every source at Testcollege, and the same at the other school."""
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    p = benoemde_personas
    inzagen(p.mentor, [p.in_a])
    inzagen(p.teamleider, [p.in_a2], geleden=datetime.timedelta(days=10))
    ander = f.GebruikerFactory(username="elders_zc", first_name="Els", last_name="Elsewhere")
    inzagen(ander, [p.elders])
    item = f.DossieritemFactory(leerling=p.in_a, auteur=p.mentor)
    Dossieritem.history.filter(id=item.pk).update(history_user=p.mentor)
    f.DossieritemFactory(leerling=p.elders)
    Weigering.objects.create(gebruiker=p.docent, school=p.school, pad="/leerlingen/999/", status=404)
    Weigering.objects.create(gebruiker=ander, school=p.andere_school, pad="/geheim-elders/", status=404)
    AccessLog.objects.create(username="mentor", ip_address="10.1.1.1", user_agent="x", http_accept="", path_info="/")
    AccessLog.objects.create(username="elders_zc", ip_address="10.9.9.9", user_agent="x", http_accept="",
                             path_info="/")
    AccessFailureLog.objects.create(username="docent", ip_address="10.2.2.2", user_agent="x", http_accept="",
                                    path_info="/")
    p.item = item
    return p


def rijen(response):
    assert response.status_code == 200
    pagina = response.context["pagina"]
    return pagina.object_list


def test_the_timeline_merges_every_source_newest_first(tijdlijn):
    p = tijdlijn
    regels = rijen(p.client(p.zorgcoordinator).get(AUDIT))
    soorten = {r.soort for r in regels}
    assert soorten == {audit.INGEZIEN, audit.GEWIJZIGD, audit.GEWEIGERD, audit.INLOGGEN}
    assert [r.op for r in regels] == sorted((r.op for r in regels), reverse=True)
    wijziging = next(r for r in regels if r.soort == audit.GEWIJZIGD and r.leerling == "Aafke Akkerman"
                     and "dossieritem" in r.wat)
    assert wijziging.wie == p.mentor.naam and "aangemaakt" in wijziging.wat and f"#{p.item.pk}" in wijziging.wat
    assert any(r.soort == audit.INLOGGEN and r.wat == "inloggen mislukt" and r.wie == "docent" for r in regels)
    assert any(r.soort == audit.GEWEIGERD and r.detail == "/leerlingen/999/" for r in regels)


def test_another_schools_rows_are_never_shown(tijdlijn):
    p = tijdlijn
    response = p.client(p.zorgcoordinator).get(AUDIT)
    html = response.content.decode()
    assert "Eva Elzinga" not in html and "Elsewhere" not in html and "elders_zc" not in html
    assert "/geheim-elders/" not in html and "10.9.9.9" not in html
    assert all(r.leerling != "Eva Elzinga" for r in rijen(response))
    # And the other way round: the other school's zorgcoördinator sees only their own.
    zc_elders = f.GebruikerFactory(username="zc_elders")
    f.FunctieFactory(gebruiker=zc_elders, schooljaar=p.andere_klas.schooljaar, soort=Functie.Soort.ZORGCOORDINATOR)
    regels = rijen(p.client(zc_elders).get(AUDIT))
    assert regels and all(r.leerling in ("", "Eva Elzinga") for r in regels)
    assert not any("Aafke" in r.leerling or r.wie == p.mentor.naam for r in regels)


def test_filter_on_user_pupil_kind_and_period(tijdlijn):
    p = tijdlijn
    zc = p.client(p.zorgcoordinator)
    op_gebruiker = rijen(zc.get(AUDIT, {"gebruiker": p.teamleider.last_name}))
    assert op_gebruiker and {r.wie for r in op_gebruiker} == {p.teamleider.naam}
    op_leerling = rijen(zc.get(AUDIT, {"leerling": "akkerman"}))
    assert op_leerling and {r.leerling for r in op_leerling} == {"Aafke Akkerman"}
    assert {r.soort for r in op_leerling} == {audit.INGEZIEN, audit.GEWIJZIGD}  # the refusal is of pupil 999
    op_soort = rijen(zc.get(AUDIT, {"soort": "geweigerd"}))
    assert [r.detail for r in op_soort] == ["/leerlingen/999/"]
    gisteren = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    recent = rijen(zc.get(AUDIT, {"soort": "ingezien", "van": gisteren}))
    assert {r.leerling for r in recent} == {"Aafke Akkerman"}
    vroeger = rijen(zc.get(AUDIT, {"soort": "ingezien", "tot": gisteren}))
    assert {r.leerling for r in vroeger} == {"Bert Boomsma"}


def test_bad_filter_input_gives_a_dutch_message_and_keeps_what_was_typed(tijdlijn):
    p = tijdlijn
    zc = p.client(p.zorgcoordinator)
    response = zc.get(AUDIT, {"gebruiker": "<script>x</script>", "van": "31-31-2026", "soort": "onzin"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voer een geldige datum in." in html
    assert 'value="31-31-2026"' in html
    assert escape("<script>x</script>") in html and "<script>x</script>" not in html
    assert response.context["pagina"] is None
    omgekeerd = zc.get(AUDIT, {"van": "2026-05-02", "tot": "2026-05-01"}).content.decode()
    assert "De einddatum ligt vóór de begindatum." in omgekeerd
    assert "Kies een datum tussen 2000 en 2100." in zc.get(AUDIT, {"van": "1900-01-01"}).content.decode()


def test_the_timeline_is_paginated_and_keeps_the_filters(benoemde_personas):
    p = benoemde_personas
    inzagen(p.mentor, [p.in_a] * (audit.PER_PAGINA + 5))
    zc = p.client(p.zorgcoordinator)
    eerste = zc.get(AUDIT, {"soort": "ingezien"})
    assert len(rijen(eerste)) == audit.PER_PAGINA
    assert "soort=ingezien&amp;pagina=2" in eerste.content.decode()
    tweede = zc.get(AUDIT, {"soort": "ingezien", "pagina": "2"})
    assert len(rijen(tweede)) == 5 and not tweede.context["pagina"].has_next
    assert rijen(zc.get(AUDIT, {"pagina": "onzin"})) is not None
    assert zc.get(AUDIT, {"pagina": str(audit.MAX_PAGINA + 1)}).context["pagina"].te_diep


def test_the_audit_page_has_a_bounded_number_of_queries(tijdlijn, django_assert_max_num_queries):
    p = tijdlijn
    for leerling in (p.in_a, p.in_a2, p.in_b, p.toegewezen):
        for _i in range(5):
            f.DossieritemFactory(leerling=leerling, auteur=p.mentor)
        inzagen(p.zorgcoordinator, [leerling] * 20)
    weigeringen(p.docent, 30, p.school)
    zc = p.client(p.zorgcoordinator)
    zc.get(AUDIT)  # warm the session and caches
    with django_assert_max_num_queries(20):
        assert len(rijen(zc.get(AUDIT))) == audit.PER_PAGINA
    with django_assert_max_num_queries(20):
        rijen(zc.get(AUDIT, {"gebruiker": "mentor", "leerling": "Aafke", "van": "2020-01-01"}))


def test_every_history_table_is_in_the_audit_or_deliberately_left_out():
    historisch = {m.instance_type._meta.label for m in apps.get_models() if m.__name__.startswith("Historical")}
    assert historisch - set(audit.HISTORIE) - set(audit.HISTORIE_NIET) == set()
    assert set(audit.HISTORIE) <= historisch


# --- Export --------------------------------------------------------------------------------


def csv_rijen(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_export_contains_the_filtered_rows_and_is_itself_recorded(tijdlijn):
    p = tijdlijn
    zc = p.client(p.zorgcoordinator)
    tabel = csv_rijen(zc.get(EXPORT, {"leerling": "Akkerman"}))
    assert tabel[0] == ["Tijdstip", "Soort", "Wie", "Leerling", "Wat", "Details"]
    assert len(tabel) > 2 and all(r[3] == "Aafke Akkerman" for r in tabel[1:])
    assert not any("Elzinga" in cel for r in tabel for cel in r)
    vastgelegd = LogEntry.objects.get()
    assert vastgelegd.user == p.zorgcoordinator and "leerling=Akkerman" in vastgelegd.change_message
    regels = rijen(p.client(p.beheerder).get(AUDIT, {"soort": "export"}))
    assert [(r.soort, r.wie) for r in regels] == [(audit.EXPORT, p.zorgcoordinator.naam)]


def test_export_cells_never_become_formulas(benoemde_personas):
    p = benoemde_personas
    Inzage.objects.create(gebruiker=p.mentor, gebruiker_naam="=HYPERLINK(\"http://x\")", rol="+rol",
                          leerling=p.in_a, onderdeel="@dossier")
    tabel = csv_rijen(p.client(p.zorgcoordinator).get(EXPORT))
    rij = next(r for r in tabel if "HYPERLINK" in r[2])
    assert rij[2].startswith("'=") and rij[4].startswith("'@") and rij[5].startswith("'+")


def test_export_with_bad_filters_makes_nothing(tijdlijn):
    p = tijdlijn
    response = p.client(p.zorgcoordinator).get(EXPORT, {"tot": "gisteren"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "De export is niet gemaakt" in html and 'value="gisteren"' in html
    assert not LogEntry.objects.exists()


def test_export_is_bounded(benoemde_personas, monkeypatch):
    p = benoemde_personas
    monkeypatch.setattr(audit, "EXPORT_MAX", 7)
    inzagen(p.mentor, [p.in_a] * 10)
    tabel = csv_rijen(p.client(p.zorgcoordinator).get(EXPORT, {"soort": "ingezien"}))
    assert len(tabel) == 1 + 7
    assert "(afgekapt)" in LogEntry.objects.get().change_message


def test_the_beheer_page_links_to_the_audit(personas):
    assert AUDIT in personas.client(personas.beheerder).get("/beheer/").content.decode()


VIJANDIG = [
    "<script>alert(1)</script>", "'; DROP TABLE zorg_inzage; --", "%", "_", "\\", "a\x00b", "\u202eterug",
    "\ud800", "9" * 5000, "-1", "0", "2026-02-30", "x" * 10_000, "{{ 7*7 }}", "", "   ",
]


@pytest.mark.parametrize("veld", ["gebruiker", "leerling", "soort", "van", "tot", "pagina"])
def test_hostile_filter_input_never_breaks_the_audit_or_its_export(benoemde_personas, veld):
    p = benoemde_personas
    inzagen(p.mentor, [p.in_a])
    zc = p.client(p.zorgcoordinator)
    for waarde in VIJANDIG:
        query = f"?{veld}={quote(waarde.encode('utf-8', 'surrogatepass'))}"  # a lone surrogate as raw bytes
        pagina = zc.get(AUDIT + query)
        assert pagina.status_code == 200, (veld, waarde[:20])
        assert "<script>alert(1)</script>" not in pagina.content.decode()
        assert zc.get(EXPORT + query).status_code in (200, 400), (veld, waarde[:20])


def test_pupil_filter_finds_refusals_by_the_pupils_id_in_the_address(tijdlijn):
    p = tijdlijn
    Weigering.objects.create(gebruiker=p.docent, school=p.school, pad=f"/leerlingen/{p.in_a.pk}/toestemming/",
                             status=404)
    Weigering.objects.create(gebruiker=p.docent, school=p.school, pad=f"/leerlingen/{p.in_a.pk}9/", status=404)
    Weigering.objects.create(gebruiker=p.mentor, school=p.school, pad=f"/leerlingen/{p.elders.pk}/", status=404)
    zc = p.client(p.zorgcoordinator)
    gevonden = rijen(zc.get(AUDIT, {"leerling": "Akkerman", "soort": "geweigerd"}))
    assert [(r.detail, r.leerling) for r in gevonden] == [(f"/leerlingen/{p.in_a.pk}/toestemming/", "Aafke Akkerman")]
    # A pupil of another school is no pupil here: the filter finds nothing about them.
    assert rijen(zc.get(AUDIT, {"leerling": "Elzinga"})) == []


def test_a_parent_probing_other_childrens_pages_raises_an_alarm_at_their_childs_school(personas):
    p = personas
    ouder = p.client(p.ouder_user)
    assert ouder.get(f"/ouders/kinderen/{p.in_b.pk}/").status_code == 404
    rij = Weigering.objects.get()
    assert (rij.gebruiker, rij.school) == (p.ouder_user, None)
    weigeringen(p.ouder_user, alarmen.DREMPEL_WEIGERINGEN - 1, None)
    assert alarmen.controleer() == 1
    alarm = Alarm.objects.get()
    assert (alarm.school, alarm.gebruiker) == (p.school, p.ouder_user)
    # And the refusals show in that school's audit.
    regels = rijen(p.client(p.zorgcoordinator).get(AUDIT, {"soort": "geweigerd"}))
    assert len(regels) == alarmen.DREMPEL_WEIGERINGEN and {r.wie for r in regels} == {p.ouder_user.naam}
