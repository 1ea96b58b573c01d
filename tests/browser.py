"""Shared steps of the browser tests (Chromium via Playwright)."""

import re

from playwright.sync_api import expect

from zorg import demo


def log_in(browser, live_server, username, **context_args):
    """A new browser context (Dutch locale, Amsterdam time) logged in as a demo user; returns its page."""
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", **context_args)
    page = context.new_page()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(demo.DEMO_WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).not_to_have_url(re.compile(r"/inloggen/"))
    return page
