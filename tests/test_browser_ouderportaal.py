"""The parent portal end to end in headless Chromium, on a phone-sized screen, in Papiamento: the
parent picks the language, opens the plan the mentor laid before them, writes their inbreng and
gives akkoord after confirming; the mentor sees both on the (Dutch) staff page and the PDF prints
the akkoord. Every portal page passes axe-core's WCAG 2.1 AA rules and needs no sideways
scrolling. The language choice is remembered at the next login."""

import re
import subprocess

import pytest
from django.utils import translation
from playwright.sync_api import expect

from plannen.models import Handelingsplan
from tests.browser import log_in, past_op_scherm, toegankelijkheidsfouten
from zorg.models import Gebruiker

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("snelle_wachtwoorden")]

TELEFOON = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def pap(tekst):
    """The Papiamento of a Dutch UI text, asserting it was translated at all."""
    with translation.override("pap"):
        vertaald = translation.gettext(tekst)
    assert vertaald != tekst, f"not translated into Papiamento: {tekst!r}"
    return vertaald


def controleer(page, waar):
    fouten = toegankelijkheidsfouten(page)
    assert not fouten, f"axe on {waar}:\n" + "\n".join(fouten)
    assert past_op_scherm(page), f"{waar} scrolls sideways on a phone"


def test_inbreng_and_akkoord_in_papiamento_on_a_phone(browser, live_server, demo_school_live, tmp_path):
    plan = Handelingsplan.objects.get(leerling__ouders__gebruiker__username="ouder", status="concept",
                                      voorgelegd_op__isnull=False)
    page = log_in(browser, live_server, "ouder", **TELEFOON)

    # 1. Pick Papiamento on the home page.
    page.goto(f"{live_server.url}/ouders/")
    page.locator("#taal-keuze").select_option("pap")
    page.locator(".taalkeuze button").click()
    expect(page.locator("html")).to_have_attribute("lang", "pap")
    expect(page.get_by_role("heading", level=1)).to_have_text(pap("Mijn kinderen"))
    controleer(page, "home")

    # 2. From "Uw reactie gevraagd" to the plan.
    page.locator(f"a[href='/ouders/plannen/{plan.pk}/']").first.click()
    expect(page).to_have_url(re.compile(f"/ouders/plannen/{plan.pk}/$"))
    controleer(page, "plan")

    # 3. Inbreng.
    page.locator("#inbreng textarea").fill("Nos ta yuda cu e planificacion na cas tur diadomingo.")
    page.locator("#inbreng button[type=submit]").click()
    expect(page.get_by_role("status").first).to_be_visible()
    expect(page.locator("#inbreng textarea")).to_have_value("Nos ta yuda cu e planificacion na cas tur diadomingo.")

    # 4. Akkoord, after a confirmation step.
    page.locator("button[name=keuze][value=akkoord]").click()
    bevestig = page.locator("form:has(input[name=bevestigd]) button[type=submit]")
    expect(bevestig).to_be_visible()
    controleer(page, "confirmation")
    bevestig.click()
    expect(page.get_by_role("status").first).to_be_visible()
    plan.refresh_from_db()
    assert plan.ouders_akkoord == "akkoord" and plan.ouders_akkoord_op is not None
    assert plan.inbreng_ouders.startswith("Nos ta yuda")

    # 5. The PDF, in Papiamento, prints the akkoord.
    link = page.locator(f"a[href='/ouders/plannen/{plan.pk}/pdf/']").first
    expect(link).to_be_visible()
    antwoord = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert antwoord.ok and antwoord.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(antwoord.body())
    tekst = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Fatima El Amrani" in tekst

    # 6. The other portal pages pass the same checks.
    kind = plan.leerling
    for pad in [f"/ouders/kinderen/{kind.pk}/", f"/ouders/kinderen/{kind.pk}/plannen/",
                f"/ouders/kinderen/{kind.pk}/verslagen/", f"/ouders/kinderen/{kind.pk}/toestemming/",
                f"/ouders/kinderen/{kind.pk}/correcties/", f"/ouders/kinderen/{kind.pk}/correcties/nieuw/",
                f"/ouders/kinderen/{kind.pk}/inzagelog/"]:
        page.goto(f"{live_server.url}{pad}")
        expect(page.locator("html")).to_have_attribute("lang", "pap")
        controleer(page, pad)

    # 7. The mentor sees inbreng and akkoord on the staff page, in Dutch.
    mentor = log_in(browser, live_server, "mentor")
    mentor.goto(f"{live_server.url}/plannen/handelingsplannen/{plan.pk}/")
    expect(mentor.locator("html")).to_have_attribute("lang", "nl")
    expect(mentor.get_by_text("Nos ta yuda cu e planificacion").first).to_be_visible()
    expect(mentor.get_by_text("Fatima El Amrani").first).to_be_visible()

    # 8. The choice is remembered: a new login shows Papiamento again.
    assert Gebruiker.objects.get(username="ouder").taal == "pap"
    opnieuw = log_in(browser, live_server, "ouder", **TELEFOON)
    opnieuw.goto(f"{live_server.url}/ouders/")
    expect(opnieuw.locator("html")).to_have_attribute("lang", "pap")


def test_login_and_activation_pages_are_accessible_on_a_phone(browser, live_server, demo_school_live):
    context = browser.new_context(locale="nl-NL", **TELEFOON)
    page = context.new_page()
    for pad in ["/inloggen/", "/ouders/activeren/"]:
        page.goto(f"{live_server.url}{pad}")
        controleer(page, pad)
