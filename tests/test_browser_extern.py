"""A referral end to end in headless Chromium: the zorgcoördinator asks consent for a verwijzing to
the jeugdteam, the parent gives it in the portal, the zorgcoördinator sends the referral (with a
grant for the jeugdteam's contact), the partner logs in, opens the file and adds terugkoppeling, the
mentor gets the notification and sees it on the referral page; the partner's view is in the
inzagelog for the zorgcoördinator and the parent."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from extern.models import ExterneToegang, Terugkoppeling, Toestemming, Verwijzing
from leerlingen.models import Leerling, OuderRelatie
from tests.browser import log_in
from zorg import demo
from zorg.models import Functie, Gebruiker

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("snelle_wachtwoorden")]


def test_consent_referral_partner_terugkoppeling_mentor(browser, live_server, demo_school_live):
    school = demo_school_live.school
    jaar = school.huidig_schooljaar()
    zc = Gebruiker.objects.filter(functies__schooljaar=jaar, functies__soort=Functie.Soort.ZORGCOORDINATOR).first()
    ouder_user = Gebruiker.objects.get(username="ouder")
    extern_user = Gebruiker.objects.get(username=demo_school_live.logins["externe partner"])
    contact = extern_user.contactpersoon
    instelling = contact.instelling
    relatie = OuderRelatie.objects.filter(ouder__gebruiker=ouder_user, leerling__school=school).first()
    OuderRelatie.objects.filter(pk=relatie.pk).update(gezag=True)
    kind = relatie.leerling
    mentor = kind.mentoren_in(jaar)[0]
    # A clean start: under 12 (the parent's answer alone counts), no earlier referrals or consents.
    Leerling.objects.filter(pk=kind.pk).update(geboortedatum=timezone.localdate() - datetime.timedelta(days=365 * 10),
                                               case_manager=None)
    Verwijzing.objects.filter(leerling=kind).delete()
    Toestemming.objects.filter(leerling=kind).delete()
    for user in (zc, ouder_user, extern_user, mentor):
        user.set_password(demo.DEMO_WACHTWOORD)
        user.save()

    # 1. The zorgcoördinator asks consent for a verwijzing to the jeugdteam.
    page = log_in(browser, live_server, zc.username)
    page.goto(f"{live_server.url}/extern/leerlingen/{kind.pk}/toestemming/aanvragen/")
    page.get_by_label("Waarvoor vraagt u toestemming?").select_option("verwijzing")
    page.get_by_label("Instelling").select_option(str(instelling.pk))
    page.get_by_label("Toelichting voor de ouders").fill(
        "Wij willen uw kind aanmelden bij het jeugdteam, zodat zij samen met u kunnen kijken wat nodig is.")
    page.get_by_role("button", name="Toestemming vragen").click()
    expect(page.get_by_role("status")).to_contain_text("De toestemming is aangevraagd")

    # 2. The parent gives it in the portal.
    ouder = log_in(browser, live_server, "ouder")
    ouder.goto(f"{live_server.url}/ouders/kinderen/{kind.pk}/")
    ouder.locator(".reactie-gevraagd").get_by_role("link", name="Bekijk").first.click()
    expect(ouder.get_by_text("aanmelden bij het jeugdteam")).to_be_visible()
    ouder.get_by_role("button", name="Ik geef toestemming").click()
    ouder.get_by_role("button", name="Ja, ik geef toestemming").click()
    expect(ouder.get_by_role("status")).to_contain_text("U heeft toestemming gegeven")

    # 3. The zorgcoördinator sends the referral through the school's form; the contact gets a grant.
    page.goto(f"{live_server.url}/extern/leerling/{kind.pk}/verwijzing/nieuw/")
    page.get_by_label("Instelling", exact=True).select_option(str(instelling.pk))
    page.get_by_label("Contactpersoon").select_option(str(contact.pk))
    page.get_by_label("Reden van verwijzing").fill("Veel verzuim en zorgen over de thuissituatie.")
    page.get_by_label("Taak van de school").fill("Mentor houdt wekelijks contact met moeder.")
    page.get_by_role("button", name="Verwijzing vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("De verwijzing naar")
    verwijzing = Verwijzing.objects.get(leerling=kind)
    assert ExterneToegang.objects.filter(verwijzing=verwijzing, contactpersoon=contact).exists()

    # 4. The partner logs in, opens the file from the start page and adds terugkoppeling.
    partner = log_in(browser, live_server, extern_user.username)
    partner.goto(f"{live_server.url}/extern/")
    partner.get_by_role("link", name=kind.naam).click()
    expect(partner.get_by_role("heading", level=1)).to_contain_text(kind.naam)
    expect(partner.get_by_text("Veel verzuim en zorgen over de thuissituatie.").first).to_be_visible()
    expect(partner.get_by_text("Mentor houdt wekelijks contact met moeder.")).to_be_visible()
    partner.get_by_label("Soort").select_option("bevestiging")
    partner.get_by_role("textbox", name="Terugkoppeling").fill("Aanmelding ontvangen; intakegesprek op 3 maart.")
    partner.get_by_role("button", name="Terugkoppeling versturen").click()
    expect(partner.get_by_role("status")).to_contain_text("Uw terugkoppeling is opgeslagen")
    expect(partner.get_by_text("Aanmelding ontvangen; intakegesprek op 3 maart.")).to_be_visible()
    assert Terugkoppeling.objects.get(verwijzing=verwijzing).door_partner

    # 5. The mentor sees the notification and the terugkoppeling on the referral page.
    m = log_in(browser, live_server, mentor.username)
    m.goto(f"{live_server.url}/meldingen/")
    melding = m.get_by_text(re.compile(f"Terugkoppeling van {re.escape(instelling.naam)} over {re.escape(kind.naam)}"))
    expect(melding.first).to_be_visible()
    m.goto(f"{live_server.url}/extern/verwijzingen/{verwijzing.pk}/")
    expect(m.get_by_text("Aanmelding ontvangen; intakegesprek op 3 maart.")).to_be_visible()

    # 6. The partner's view is in the inzagelog, for the zorgcoördinator and for the parent.
    page.goto(f"{live_server.url}/leerlingen/{kind.pk}/")
    page.get_by_role("link", name=re.compile("^Inzagelog")).click()
    expect(page.locator("table.inzagelog")).to_contain_text(f"externe partner ({instelling.naam})")
    ouder.goto(f"{live_server.url}/ouders/kinderen/{kind.pk}/")
    ouder.get_by_role("link", name=re.compile("^Wie keek in het dossier")).click()
    expect(ouder.locator(".inzagelog")).to_contain_text(f"externe partner ({instelling.naam})")
