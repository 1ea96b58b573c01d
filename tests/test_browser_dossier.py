"""End to end in headless Chromium: a docent signals, the mentor sees it on the timeline,
records an interventie and hands the hulpvraag to the teamleider, who grants the step."""

import re

import pytest
from playwright.sync_api import expect

from leerlingen.models import Dossieritem, Leerling, Opschaling
from tests.browser import log_in
from zorg import demo
from zorg.models import Functie, Gebruiker, Lesopdracht, Notificatie, Zorgniveau

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("snelle_wachtwoorden")]


def test_signalering_to_timeline_to_escalation(browser, live_server, demo_school_live):
    school = demo_school_live.school
    jaar = school.huidig_schooljaar()
    opdracht = Lesopdracht.objects.filter(docent__username="docent", klas__schooljaar=jaar).first()
    klas = opdracht.klas
    mentor = klas.mentoren.get()
    teamleider = Functie.objects.get(schooljaar=jaar, soort=Functie.Soort.TEAMLEIDER, afdeling=klas.afdeling).gebruiker
    niveau1 = Zorgniveau.objects.get(zorgroute__school=school, code="1")
    leerling = Leerling.objects.filter(plaatsingen__klas=klas).order_by("leerlingnummer").first()
    Leerling.objects.filter(pk=leerling.pk).update(zorgniveau=niveau1, case_manager=None)
    Dossieritem.objects.filter(leerling=leerling).delete()  # start from an empty timeline
    for user in (mentor, teamleider):
        user.set_password(demo.DEMO_WACHTWOORD)
        user.save()
    ongelezen = Notificatie.objects.filter(ontvanger=mentor, gelezen_op__isnull=True).count()  # demo reminders

    # 1. The docent signals from the klas list.
    docent = log_in(browser, live_server, "docent")
    docent.goto(f"{live_server.url}/klassen/{klas.pk}/")
    docent.get_by_role("link", name=f"Signalering vastleggen voor {leerling.naam}").click()
    docent.locator("#id_domein").select_option("sociaal_emotioneel")
    docent.locator("#id_tekst").fill("Huilt bij elke toets en zegt dat het toch niet lukt.")
    docent.locator("#id_acties").fill("Extra tijd gegeven bij de toets.")
    docent.locator("#id_effect").select_option("beperkt")
    docent.get_by_role("button", name="Opslaan").click()
    expect(docent.get_by_role("status")).to_contain_text(f"De signalering voor {leerling.naam} is vastgelegd")

    # 2. The mentor is notified and sees it on the timeline.
    page = log_in(browser, live_server, mentor.username)
    expect(page.locator(".bel .teller")).to_have_text(str(ongelezen + 1))
    page.goto(f"{live_server.url}/leerlingen/{leerling.pk}/")
    expect(page.locator("#tijdlijn, .tijdlijn").first).to_contain_text("Huilt bij elke toets")

    # 3. The mentor records an interventie (the interventieformulier).
    page.goto(f"{live_server.url}/leerlingen/{leerling.pk}/dossier/nieuw/interventie/")
    page.locator("#id_hulpvraag").fill("Faalangst bij toetsen")
    page.locator("#id_acties").fill("Twee gesprekken, toetsen in een aparte ruimte.")
    page.locator("#id_uitgevoerd_door").fill(mentor.naam)
    page.locator("#id_effect").select_option("beperkt")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Faalangst bij toetsen").first).to_be_visible()

    # 4. ... and hands the hulpvraag to the teamleider; the history is assembled, not retyped.
    page.goto(f"{live_server.url}/leerlingen/{leerling.pk}/")
    page.get_by_role("link", name=re.compile("Hulpvraag naar teamleider")).click()
    expect(page.locator("#id_hulpvraag")).to_have_value(re.compile("Faalangst bij toetsen"))
    expect(page.get_by_text("Twee gesprekken, toetsen in een aparte ruimte.").first).to_be_visible()
    page.get_by_role("button", name=re.compile("Hulpvraag doorzetten")).click()
    opschaling = Opschaling.objects.get(leerling=leerling)
    assert opschaling.status == Opschaling.Status.AANGEVRAAGD

    # 5. The teamleider grants the step: the zorgniveau moves and shows on the timeline.
    tl = log_in(browser, live_server, teamleider.username)
    tl.goto(f"{live_server.url}/leerlingen/opschalingen/{opschaling.pk}/")
    tl.get_by_label("toekennen").check()
    tl.locator("#id_case_manager").select_option(str(mentor.pk))
    tl.locator("#id_reden").fill("Twee interventies zonder voldoende effect.")
    tl.get_by_role("button", name="Besluit vastleggen").click()
    leerling.refresh_from_db()
    assert leerling.zorgniveau.code == "2"
    assert leerling.case_manager == mentor
    page.goto(f"{live_server.url}/leerlingen/{leerling.pk}/")
    expect(page.get_by_text(re.compile(r"1\s*→\s*2")).first).to_be_visible()
    page.screenshot(path="/tmp/zorgroute-dossier.png", full_page=True)
    assert Gebruiker.objects.filter(pk=mentor.pk).exists()
