"""Shared steps of the browser tests (Chromium via Playwright)."""

import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from zorg import demo, demo_tweestaps


def log_in(browser, live_server, username, **context_args):
    """A new browser context (Dutch locale, Amsterdam time) logged in as a demo user; returns its page."""
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", **context_args)
    page = context.new_page()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(demo.DEMO_WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    tweede_stap(page, username)
    return page


def tweede_stap(page, username):
    """After the password form: staff and partners type the current code of the demo secret
    (zorg/demo_tweestaps.py); parents and pupils have no second step."""
    expect(page).not_to_have_url(re.compile(r"/inloggen/$"))
    if "/inloggen/code/" in page.url:
        apparaat = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("Code").fill(demo_tweestaps.code_voor_apparaat(apparaat))
        page.get_by_role("button", name="Verder").click()
    expect(page).not_to_have_url(re.compile(r"/inloggen/"))


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def toegankelijkheidsfouten(page):
    """Run axe-core (WCAG 2.1 A and AA rules) on the current page; one line per violation."""
    from axe_playwright_python.sync_playwright import Axe

    uitslag = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in uitslag.response["violations"]
    ]


def past_op_scherm(page):
    """No horizontal scrolling: the page is no wider than the viewport."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
