"""End to end in headless Chromium: the real login form, start pages and the htmx klas filter.

Chromium is launched from /usr/bin/chromium (conftest's browser_type_launch_args); when it is
missing these tests fail, they do not skip.
"""

import re

import pytest
from playwright.sync_api import expect

from leerlingen.models import Leerling
from tests.browser import tweede_stap
from zorg import demo
from zorg.models import Gebruiker, Klas

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("snelle_wachtwoorden")]

SCREENSHOT = "/tmp/zorgroute-mentor.png"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/inloggen/")
    expect(page.get_by_role("heading", name="Inloggen bij Zorgroute")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(demo.DEMO_WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    tweede_stap(page, username)  # staff: the demo TOTP code


def test_mentor_logs_in_sees_own_klas_and_filters_it(page, live_server, demo_school_live):
    mentor = Gebruiker.objects.get(username="mentor")
    huidig = demo_school_live.school.huidig_schooljaar()
    klas = Klas.objects.get(schooljaar=huidig, mentoren=mentor)
    eigen = list(Leerling.objects.filter(plaatsingen__klas=klas).order_by("achternaam", "voornaam"))
    ander = Leerling.objects.filter(plaatsingen__klas__schooljaar=huidig).exclude(plaatsingen__klas=klas).first()
    assert len(eigen) == 5

    log_in(page, live_server, "mentor")
    expect(page).to_have_url(re.compile(r"/mijn-klas/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Mijn klas {klas.naam}")
    rijen = page.locator("#klaslijst tbody tr")
    expect(rijen).to_have_count(5)
    for leerling in eigen:
        expect(page.get_by_role("link", name=leerling.sorteernaam, exact=True)).to_be_visible()
    expect(page.get_by_text(ander.sorteernaam, exact=True)).to_have_count(0)
    # The stylesheet and htmx are served (live_server serves the static files).
    assert page.evaluate("typeof window.htmx") == "object"
    page.screenshot(path=SCREENSHOT, full_page=True)

    # Typing in the filter narrows the list through htmx, without reloading the page.
    doel = eigen[0]
    zoekterm = doel.achternaam
    passend = [lln for lln in eigen if zoekterm.lower() in f"{lln.voornaam} {lln.achternaam}".lower()]
    page.evaluate("window.__zelfde_pagina = true")
    page.get_by_label("zoek", exact=True).fill(zoekterm)
    expect(rijen).to_have_count(len(passend))
    expect(page.get_by_role("link", name=doel.sorteernaam, exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/mijn-klas/\?q="))  # hx-push-url keeps the filter in the address
    assert page.evaluate("window.__zelfde_pagina") is True  # no full page load happened

    page.get_by_label("zoek", exact=True).fill("zzzz-bestaat-niet")
    expect(page.get_by_text("Geen leerlingen gevonden met dit filter.")).to_be_visible()
    page.get_by_label("zoek", exact=True).fill("")
    expect(rijen).to_have_count(5)

    # Opening a pupil from the list.
    page.get_by_role("link", name=doel.sorteernaam, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(doel.naam)


def test_parent_logs_in_and_sees_two_children(page, live_server, demo_school_live):
    kinderen = list(Leerling.objects.filter(ouderrelaties__ouder__gebruiker__username="ouder"))
    assert len(kinderen) == 2

    log_in(page, live_server, "ouder")
    expect(page).to_have_url(re.compile(r"/ouders/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn kinderen")
    kaarten = page.locator("section.kind")
    expect(kaarten).to_have_count(2)
    for kind in kinderen:
        kop = re.compile(rf"^{re.escape(kind.voornaam)} \(")
        expect(page.get_by_role("heading", level=2, name=kop)).to_be_visible()
    # No staff menu, no pupil search for a parent.
    expect(page.get_by_role("search")).to_have_count(0)
    expect(page.get_by_role("link", name="Mijn klas")).to_have_count(0)


def test_wrong_password_in_the_browser_shows_the_dutch_error(page, live_server, demo_school_live):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("mentor")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze combinatie van gebruikersnaam en wachtwoord kennen we niet")
    expect(page.get_by_label("Gebruikersnaam")).to_have_value("mentor")
