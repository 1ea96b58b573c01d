"""The groepsoverzicht in headless Chromium: autosave on blur, keyboard navigation, hulpzinnen,
and two browser sessions editing the same cell (the later one sees the conflict box)."""

import re

import pytest
from playwright.sync_api import expect

from leerlingen.models import Leerling
from plannen.models import Cel, Groepsoverzicht
from tests.test_browser import log_in
from zorg.models import Gebruiker, Klas

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("snelle_wachtwoorden")]

SCREENSHOT = "/tmp/zorgroute-groepsoverzicht.png"


def _klas_en_leerlingen():
    mentor = Gebruiker.objects.get(username="mentor")
    klas = Klas.objects.get(schooljaar__school__code="demo", schooljaar__einde__gte="2000-01-01", mentoren=mentor,
                            schooljaar__begin__lte=__import__("datetime").date.today(),
                            schooljaar__einde__gt=__import__("datetime").date.today())
    leerlingen = list(Leerling.objects.filter(plaatsingen__klas=klas).order_by("achternaam", "voornaam", "pk"))
    return klas, leerlingen


def _cel(page, leerling, titel):
    return page.get_by_label(f"{titel} · {leerling.sorteernaam}", exact=True)


def _naar_boven(page):
    """Scroll the grid back to the top so no row sits under the sticky header row."""
    page.locator(".rasterwrap").evaluate("e => { e.scrollTop = 0; e.scrollLeft = 0; }")


def test_type_blur_saved_reload_and_keyboard(page, live_server, demo_school_live):
    klas, leerlingen = _klas_en_leerlingen()
    log_in(page, live_server, "mentor")
    expect(page).to_have_url(re.compile(r"/mijn-klas/$"))
    page.get_by_role("link", name="Groepsoverzicht bijwerken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Groepsoverzicht vakoverstijgend · {klas.naam}")
    status = page.locator("#paginastatus")
    expect(status).to_have_text("✓ opgeslagen")

    werkhouding = "Werkhouding / taakaanpak / motivatie"
    veld = _cel(page, leerlingen[0], werkhouding)
    veld.click()
    veld.type("plant slecht, wel gemotiveerd")
    expect(status).to_have_text("niet opgeslagen")
    page.keyboard.press("Tab")  # blur → change → htmx autosave
    td = page.locator(f"td.cel:has([aria-label='{werkhouding} · {leerlingen[0].sorteernaam}'])")
    expect(td.locator(".celstatus")).to_have_text("✓ opgeslagen")
    expect(status).to_have_text("✓ opgeslagen")
    # Tab moved to the next cell of the same row.
    expect(_cel(page, leerlingen[0], "Observaties en gesprekken (leerling/ouders)")).to_be_focused()

    # Enter: same column, next row. Arrow down in a single-line score input: next row.
    veld.click()
    page.keyboard.press("Enter")
    expect(_cel(page, leerlingen[1], werkhouding)).to_be_focused()
    _cel(page, leerlingen[0], "TL").focus()
    page.keyboard.press("ArrowDown")
    expect(_cel(page, leerlingen[1], "TL")).to_be_focused()

    # S flag and a keuze, saved on change.
    _naar_boven(page)
    _cel(page, leerlingen[1], "S").check()
    _cel(page, leerlingen[1], "SEO: welbevinden").select_option("zorg")
    expect(page.locator("td.cel.onder-norm")).to_have_count(0)  # shading is applied on render
    expect(status).to_have_text("✓ opgeslagen")

    # Hulpzinnen are inserted into the onderwijsbehoeften cell.
    behoeften = _cel(page, leerlingen[0], "Onderwijsbehoeften (doel + wat heeft de leerling nodig)")
    _naar_boven(page)
    behoeften.click()
    behoeften.type("Doel: zelfstandig plannen.")
    page.get_by_text("Hulpzinnen onderwijsbehoeften (begrijpwijzer)").click()
    page.get_by_role("button", name="… kort en duidelijk is", exact=True).click()
    expect(behoeften).to_have_value(
        "Doel: zelfstandig plannen. Om dit doel te bereiken heeft deze leerling een instructie nodig die kort "
        "en duidelijk is."
    )
    page.keyboard.press("Tab")
    expect(status).to_have_text("✓ opgeslagen")
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.reload()
    expect(_cel(page, leerlingen[0], werkhouding)).to_have_value("plant slecht, wel gemotiveerd")
    expect(_cel(page, leerlingen[1], "S")).to_be_checked()
    expect(_cel(page, leerlingen[1], "SEO: welbevinden")).to_have_value("zorg")
    expect(page.locator("td.cel.onder-norm")).to_have_count(1)
    expect(behoeften).to_have_value(re.compile("kort en duidelijk is"))
    go = Groepsoverzicht.objects.get(klas=klas, soort="vakoverstijgend")
    assert Cel.objects.filter(groepsoverzicht=go, waarde="plant slecht, wel gemotiveerd").count() == 1


def test_two_sessions_same_cell_second_sees_conflict(page, browser, live_server, demo_school_live):
    klas, leerlingen = _klas_en_leerlingen()
    titel = "Observaties en gesprekken (leerling/ouders)"
    url = f"{live_server.url}/plannen/klas/{klas.pk}/groepsoverzicht/"

    log_in(page, live_server, "mentor")
    page.goto(url)
    andere = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    try:
        zc = andere.new_page()
        log_in(zc, live_server, "zorgcoordinator")
        zc.goto(url)
        # Both have the page open. The zorgcoördinator saves first.
        veld_zc = _cel(zc, leerlingen[0], titel)
        veld_zc.fill("werkt beter naast de deur")
        veld_zc.blur()
        expect(zc.locator("#paginastatus")).to_have_text("✓ opgeslagen")

        veld = _cel(page, leerlingen[0], titel)
        veld.fill("concentratie beter met koptelefoon")
        veld.blur()
        box = page.locator(".conflictbox")
        expect(box).to_be_visible()
        expect(box).to_contain_text("Deze cel is gewijzigd door Anouk Maduro")
        expect(box.locator("q.zijne")).to_have_text("werkt beter naast de deur")
        expect(box.locator("q.mijne")).to_have_text("concentratie beter met koptelefoon")
        expect(_cel(page, leerlingen[0], titel)).to_have_value("concentratie beter met koptelefoon")
        expect(page.locator("#paginastatus")).to_have_text("niet opgeslagen")
        go = Groepsoverzicht.objects.get(klas=klas, soort="vakoverstijgend")
        assert Cel.objects.get(groepsoverzicht=go, leerling=leerlingen[0], kolom__sleutel="observaties").waarde == (
            "werkt beter naast de deur")

        box.get_by_role("button", name="Beide bewaren").click()
        expect(page.locator(".conflictbox")).to_have_count(0)
        expect(_cel(page, leerlingen[0], titel)).to_have_value(
            "werkt beter naast de deur\nconcentratie beter met koptelefoon")
        expect(page.locator("#paginastatus")).to_have_text("✓ opgeslagen")
        cel = Cel.objects.get(groepsoverzicht=go, leerling=leerlingen[0], kolom__sleutel="observaties")
        assert cel.waarde == "werkt beter naast de deur\nconcentratie beter met koptelefoon"
        assert cel.versie == 2
    finally:
        andere.close()
