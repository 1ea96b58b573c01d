"""The strict Content-Security-Policy in a real browser (headless Chromium): the main pages of
staff and parents load without a single CSP violation or script error, and what runs on htmx and
our own scripts (filters, fragments loaded on page load, autosave, the meeting screen, the print
button) still works under it."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from besprekingen import services
from besprekingen.aanmelding import meld_aan
from besprekingen.models import Aanmelding, Agendapunt, Bespreking
from leerlingen.models import Leerling
from tests.browser import log_in
from zorg import demo
from zorg.models import Functie, Gebruiker, Klas

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("snelle_wachtwoorden")]

# Runs before any script of every page: report CSP violations to Python, and count print() calls
# instead of opening the print dialog.
BEWAKING = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp_melding([e.violatedDirective, e.blockedURI || "inline", e.sourceFile + ":" + e.lineNumber,
                        (e.sample || "").slice(0, 60)].join(" "));
});
window.print = function () { window.__afgedrukt = (window.__afgedrukt || 0) + 1; };
"""


class Bewaking:
    """CSP violations (event and console) and uncaught script errors of one page."""

    def __init__(self, page):
        self.page = page
        self.fouten = []
        page.expose_function("__csp_melding", lambda tekst: self.fouten.append(f"{page.url}: CSP {tekst}"))
        page.add_init_script(BEWAKING)
        page.on("console", self._console)
        page.on("pageerror", lambda fout: self.fouten.append(f"{page.url}: script error {fout}"))

    def _console(self, bericht):
        if "Content Security Policy" in bericht.text or "Refused to" in bericht.text:
            self.fouten.append(f"{self.page.url}: console {bericht.text}")

    def bezoek(self, url):
        response = self.page.goto(url)
        assert response.status == 200, url
        csp = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        self.page.wait_for_load_state("networkidle")
        return response


def test_inlogpagina_zonder_csp_meldingen(browser, live_server, demo_school_live):
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    bewaking = Bewaking(page)
    bewaking.bezoek(f"{live_server.url}/inloggen/")
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()
    # The htmx-config meta tag is read: no eval, no script tags in swapped content, no inline styles.
    config = page.evaluate("[htmx.config.allowEval, htmx.config.allowScriptTags, htmx.config.includeIndicatorStyles]")
    assert config == [False, False, False]
    assert page.locator("style").count() == 0  # htmx added no indicator <style>
    assert bewaking.fouten == []
    context.close()


def test_mentor_pagina_s_werken_onder_de_csp(browser, live_server, demo_school_live):
    mentor = Gebruiker.objects.get(username="mentor")
    klas = Klas.objects.get(schooljaar=demo_school_live.school.huidig_schooljaar(), mentoren=mentor)
    leerlingen = list(Leerling.objects.filter(plaatsingen__klas=klas).order_by("achternaam", "voornaam", "pk"))
    leerling = leerlingen[0]
    page = log_in(browser, live_server, "mentor")
    bewaking = Bewaking(page)
    url = live_server.url

    bewaking.bezoek(f"{url}/")
    bewaking.bezoek(f"{url}/mijn-klas/")

    # A klas: the filter narrows the list through htmx, without a page load.
    bewaking.bezoek(f"{url}/klassen/{klas.pk}/")
    rijen = page.locator("#klaslijst tbody tr")
    expect(rijen).to_have_count(len(leerlingen))
    page.evaluate("window.__zelfde_pagina = true")
    page.get_by_label("zoek", exact=True).fill("zzzz-bestaat-niet")
    expect(page.get_by_text("Geen leerlingen gevonden met dit filter.")).to_be_visible()
    assert page.evaluate("window.__zelfde_pagina") is True

    # The dossier: fragments loaded by htmx on load; the timeline filter (select, search + Enter).
    bewaking.bezoek(f"{url}/leerlingen/{leerling.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(leerling.naam)
    page.evaluate("window.__zelfde_pagina = true")
    page.locator("#tijdlijn-zoek").fill("zzzz-bestaat-niet")
    page.locator("#tijdlijn-zoek").press("Enter")
    expect(page).to_have_url(re.compile(r"q=zzzz-bestaat-niet"))
    expect(page.locator("#tijdlijn")).not_to_contain_text(leerling.voornaam + " zzzz")  # swapped, no error
    assert page.evaluate("window.__zelfde_pagina") is True

    # The overdracht's print button (was an inline onclick).
    bewaking.bezoek(f"{url}/leerlingen/{leerling.pk}/overdracht/")
    page.get_by_role("button", name="Afdrukken").click()
    assert page.evaluate("window.__afgedrukt") == 1

    # The groepsoverzicht: a cell is saved by itself when the field is left.
    bewaking.bezoek(f"{url}/mijn-klas/")
    page.get_by_role("link", name="Groepsoverzicht bijwerken").click()
    page.wait_for_load_state("networkidle")
    status = page.locator("#paginastatus")
    expect(status).to_have_text("✓ opgeslagen")
    veld = page.get_by_label(f"Werkhouding / taakaanpak / motivatie · {leerling.sorteernaam}", exact=True)
    veld.click()
    veld.type("plant slecht")
    expect(status).to_have_text("niet opgeslagen")
    page.keyboard.press("Tab")
    expect(status).to_have_text("✓ opgeslagen")

    assert bewaking.fouten == []


def test_zorgcoordinator_vergadering_en_schoolpagina_onder_de_csp(browser, live_server, demo_school_live):
    school = demo_school_live.school
    jaar = school.huidig_schooljaar()
    mentor = Gebruiker.objects.get(username="mentor")
    zc = Gebruiker.objects.get(functies__schooljaar=jaar, functies__soort=Functie.Soort.ZORGCOORDINATOR,
                               username=demo_school_live.logins["zorgcoördinator"])
    zc.set_password(demo.DEMO_WACHTWOORD)
    zc.save()
    leerling = Leerling.objects.filter(plaatsingen__klas__schooljaar=jaar, plaatsingen__klas__mentoren=mentor).first()
    Aanmelding.objects.filter(leerling=leerling).delete()  # a clean start: nothing pending
    Agendapunt.objects.filter(leerling=leerling).delete()
    izo = services.plan_bespreking(zc, school, Bespreking.Soort.IZO, timezone.now() + datetime.timedelta(days=1), zc,
                                   deelnemers=[mentor], uitnodigen=False)
    aanmelding = meld_aan(mentor, school, leerling, Bespreking.Soort.IZO, "Piekert veel",
                          begeleidingsvraag="Hoe help ik in de klas?", ouders_geinformeerd=True)
    services.zet_op_agenda(zc, school, aanmelding, izo)
    punt = Agendapunt.objects.get(bespreking=izo, leerling=leerling)

    page = log_in(browser, live_server, zc.username)
    bewaking = Bewaking(page)

    # The school page's bars (were style="--w: …"): as wide as their share, without inline style.
    bewaking.bezoek(f"{live_server.url}/school/")
    balkjes = page.locator(".staaf .balkje")
    assert balkjes.count() > 0
    breedtes = balkjes.evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert max(breedtes) > 0
    assert page.locator("[style]").count() == 0

    # The meeting screen: notes are saved by themselves (vergadering.js + htmx).
    bewaking.bezoek(f"{live_server.url}/besprekingen/{izo.pk}/?punt={punt.pk}")
    page.locator("#id_notities").fill("Slaapt slecht.")
    expect(page.locator(".vg-notities .veldstatus")).to_contain_text("Opgeslagen", timeout=10000)
    punt.refresh_from_db()
    assert punt.notities == "Slaapt slecht."

    assert bewaking.fouten == []


def test_ouderportaal_onder_de_csp(browser, live_server, demo_school_live):
    page = log_in(browser, live_server, "ouder")
    bewaking = Bewaking(page)
    bewaking.bezoek(f"{live_server.url}/ouders/")
    kinderen = page.locator("a[href*='/ouders/kinderen/']")
    assert kinderen.count() > 0
    paden = sorted({re.sub(r"^https?://[^/]+", "", h) for h in kinderen.evaluate_all("els => els.map(e => e.href)")})
    for pad in paden[:6]:
        bewaking.bezoek(f"{live_server.url}{pad}")
    bewaking.bezoek(f"{live_server.url}/ouders/meldingen/")
    assert bewaking.fouten == []
