"""Consent end to end in headless Chromium: the zorgcoördinator asks consent to discuss a pupil in
the ZAT, the parent logs in, sees "Uw reactie gevraagd", gives consent after confirming, and the
zorgcoördinator sees it as gegeven (and the named ZAT item is now allowed)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from extern.models import Toestemming
from leerlingen import route
from leerlingen.models import Leerling, OuderRelatie
from tests.browser import log_in
from zorg import demo
from zorg.models import Functie, Gebruiker

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("snelle_wachtwoorden")]


def test_request_and_give_consent_in_the_portal(browser, live_server, demo_school_live):
    school = demo_school_live.school
    jaar = school.huidig_schooljaar()
    zc = Gebruiker.objects.filter(functies__schooljaar=jaar, functies__soort=Functie.Soort.ZORGCOORDINATOR).first()
    ouder_user = Gebruiker.objects.get(username="ouder")
    relatie = OuderRelatie.objects.filter(ouder__gebruiker=ouder_user, leerling__school=school).first()
    OuderRelatie.objects.filter(pk=relatie.pk).update(gezag=True)
    kind = relatie.leerling
    # a clean start: under 12, so the parent's answer alone counts; no earlier consents
    Leerling.objects.filter(pk=kind.pk).update(geboortedatum=timezone.localdate() - datetime.timedelta(days=365 * 10))
    Toestemming.objects.filter(leerling=kind).delete()
    for user in (zc, ouder_user):
        user.set_password(demo.DEMO_WACHTWOORD)
        user.save()

    # 1. The zorgcoördinator asks consent from the pupil's consent page.
    page = log_in(browser, live_server, zc.username)
    page.goto(f"{live_server.url}/leerlingen/{kind.pk}/")
    page.get_by_role("link", name=re.compile("^Toestemmingen")).click()
    expect(page.get_by_role("heading", name="Toestemmingen", exact=True)).to_be_visible()
    page.get_by_role("link", name="Toestemming vragen").first.click()
    page.get_by_label("Waarvoor vraagt u toestemming?").select_option("zat")
    page.get_by_label("Toelichting voor de ouders").fill(
        "Wij willen uw kind bespreken in het zorgteam (ZAT) met de jeugdarts, om samen hulp te vinden.")
    page.get_by_role("button", name="Toestemming vragen").click()
    expect(page.get_by_role("status")).to_contain_text("De toestemming is aangevraagd")
    expect(page.locator(".toestemming .ts-status").first).to_have_text("aangevraagd")

    # 2. The parent logs in, sees the request and gives consent after confirming.
    ouder = log_in(browser, live_server, "ouder")
    ouder.goto(f"{live_server.url}/ouders/")
    expect(ouder.get_by_role("heading", name="Uw reactie gevraagd").first).to_be_visible()
    ouder.locator(".reactie-gevraagd").first.get_by_role("link", name="Bekijk").click()
    expect(ouder.get_by_text("om samen hulp te vinden")).to_be_visible()
    ouder.get_by_role("button", name="Ik geef toestemming").click()
    expect(ouder.get_by_text("Weet u het zeker? U geeft toestemming.")).to_be_visible()
    ouder.get_by_role("button", name="Ja, ik geef toestemming").click()
    expect(ouder.get_by_role("status")).to_contain_text("U heeft toestemming gegeven")
    expect(ouder.locator(".portaal-kaarten")).to_contain_text("gegeven")

    # 3. The zorgcoördinator sees it as given, and it counts.
    page.reload()
    expect(page.locator(".toestemming .ts-status").first).to_have_text("gegeven")
    expect(page.locator(".toestemming").first).to_contain_text("ja, deze toestemming telt")
    kind.refresh_from_db()
    assert route.geldige_toestemming(kind) is not None
