"""Accounts (issue 9): two-factor authentication (who must use it, setup, code page, recovery
codes, wrong-code lockout), login lockout (django-axes) with its Dutch page, the parents' activation
code throttle, sessions (idle expiry, logout, "overal uitloggen", blocking), password rules, the own
account page and the applicatiebeheerder's account management.

These tests drive the real login steps with Client.post; elsewhere `force_login` means "fully
logged in" (tests/conftest.py)."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ouders import uitnodiging as regels
from tests import factories as f
from zorg import demo_tweestaps, tweestaps
from zorg.models import Gebruiker

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


def wachtwoord(client, user, password=f.WACHTWOORD, next_url=None):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def app(user, confirmed=True, key=None):
    return TOTPDevice.objects.create(user=user, name="app", confirmed=confirmed,
                                     **({"key": key} if key else {}))


def code(apparaat):
    apparaat.refresh_from_db()
    return demo_tweestaps.code_voor_apparaat(apparaat)


def fout_code(apparaat):
    """A 6-digit code the device refuses (none of the codes within its tolerance)."""
    geldig = {f"{totp(apparaat.bin_key, drift=d):06d}" for d in range(-2, 3)}
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in geldig)


# --- who must use it -------------------------------------------------------------------------------


def test_staff_partners_and_superusers_must_use_two_steps_parents_and_pupils_may(personas):
    p = personas
    for user in (p.mentor, p.andere_mentor, p.docent, p.teamleider, p.zorgcoordinator, p.specialist,
                 p.directie, p.beheerder, p.extern):
        assert tweestaps.tweestaps_verplicht(Gebruiker.objects.get(pk=user.pk)), user.username
    # A docent with only a lesopdracht (no functie) also must.
    alleen_les = f.GebruikerFactory()
    f.LesopdrachtFactory(docent=alleen_les, klas=p.klas_b)
    assert tweestaps.tweestaps_verplicht(alleen_les)
    assert tweestaps.tweestaps_verplicht(f.GebruikerFactory(is_superuser=True))
    leerling_user = f.GebruikerFactory()
    p.in_b.gebruiker = leerling_user
    p.in_b.save()
    for user in (p.ouder_user, leerling_user, p.zonder_rol):
        assert not tweestaps.tweestaps_verplicht(Gebruiker.objects.get(pk=user.pk)), user.username


# --- the flow: setup on first login ----------------------------------------------------------------


def test_first_login_of_staff_sets_up_an_app_then_shows_recovery_codes_once(personas):
    p = personas
    client = Client()
    r = wachtwoord(client, p.mentor, next_url="/mijn-klas/")
    assert r.status_code == 302
    r = client.get(r["Location"])
    assert r.status_code == 302 and r["Location"] == "/account/tweestaps/instellen/?next=%2Fmijn-klas%2F"
    # Nothing else is reachable before the second step: pages, the Django admin, htmx fragments.
    assert client.get("/leerlingen/zoeken/?q=a")["Location"].startswith("/account/tweestaps/instellen/")
    assert client.get("/systeembeheer/")["Location"].startswith("/account/tweestaps/instellen/")
    r = client.get("/mijn-klas/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/mijn-klas/")
    assert r["HX-Redirect"] == "/account/tweestaps/instellen/?next=%2Fmijn-klas%2F"

    html = client.get("/account/tweestaps/instellen/?next=/mijn-klas/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and "style=" not in html
    apparaat = TOTPDevice.objects.get(user=p.mentor, confirmed=False)
    assert tweestaps.geheim(apparaat) in html and len(tweestaps.geheim(apparaat).split()) == 8
    # The same secret on a reload, so a scanned QR code keeps working.
    client.get("/account/tweestaps/instellen/")
    assert TOTPDevice.objects.filter(user=p.mentor).count() == 1

    r = client.post("/account/tweestaps/instellen/", {"code": fout_code(apparaat), "next": "/mijn-klas/"})
    assert r.status_code == 200 and "Deze code klopt niet" in r.content.decode()
    assert not TOTPDevice.objects.get(pk=apparaat.pk).confirmed
    r = client.post("/account/tweestaps/instellen/", {"code": "", "next": "/mijn-klas/"})
    assert "Vul de code in die de app toont." in r.content.decode()

    r = client.post("/account/tweestaps/instellen/", {"code": code(apparaat), "next": "/mijn-klas/"})
    assert r.status_code == 302 and r["Location"] == "/account/tweestaps/herstelcodes/"
    assert TOTPDevice.objects.get(pk=apparaat.pk).confirmed
    codes = list(StaticToken.objects.filter(device__user=p.mentor).values_list("token", flat=True))
    assert len(codes) == 10
    html = client.get("/account/tweestaps/herstelcodes/").content.decode()
    assert all(c in html for c in codes)
    download = client.get("/account/tweestaps/herstelcodes/?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="zorgroute-herstelcodes.txt"'
    assert all(c in download.content.decode() for c in codes)
    r = client.post("/account/tweestaps/herstelcodes/")
    assert r["Location"] == "/mijn-klas/"
    # Shown once: afterwards the page sends to the account page.
    assert client.get("/account/tweestaps/herstelcodes/")["Location"] == "/account/"
    assert client.get("/mijn-klas/").status_code == 200


# --- the flow: the code page -----------------------------------------------------------------------


def test_staff_with_an_app_types_a_code_and_goes_on_to_the_page_asked_for(personas):
    p = personas
    apparaat = app(p.zorgcoordinator)
    client = Client()
    r = wachtwoord(client, p.zorgcoordinator, next_url=f"/leerlingen/{p.in_a.pk}/")
    r = client.get(r["Location"])
    assert r["Location"] == f"/inloggen/code/?next=%2Fleerlingen%2F{p.in_a.pk}%2F"
    assert "Open de authenticator-app" in client.get(r["Location"]).content.decode()
    # Setting up another app is not a way around the code.
    assert client.get("/account/tweestaps/instellen/")["Location"].startswith("/inloggen/code/")
    r = client.post("/inloggen/code/", {"code": fout_code(apparaat), "next": f"/leerlingen/{p.in_a.pk}/"})
    assert "Deze code klopt niet. U kunt het nog 4 keer proberen." in r.content.decode()
    r = client.post("/inloggen/code/", {"code": code(apparaat), "next": f"/leerlingen/{p.in_a.pk}/"})
    assert r.status_code == 302 and r["Location"] == f"/leerlingen/{p.in_a.pk}/"
    assert client.get(r["Location"]).status_code == 200
    # The same code does not work twice (another session).
    ander = Client()
    wachtwoord(ander, p.zorgcoordinator)
    assert "Deze code klopt niet" in ander.post("/inloggen/code/", {"code": r.wsgi_request.POST["code"]}
                                                 ).content.decode()


def test_an_outside_next_is_not_followed(personas):
    p = personas
    apparaat = app(p.mentor)
    client = Client()
    wachtwoord(client, p.mentor)
    r = client.post("/inloggen/code/", {"code": code(apparaat), "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_five_wrong_codes_lock_the_second_step_and_the_beheerder_lifts_it(personas):
    p = personas
    apparaat = app(p.mentor)
    client = Client()
    wachtwoord(client, p.mentor)
    for _ in range(tweestaps.TWEEDE_STAP_LIMIET):
        r = client.post("/inloggen/code/", {"code": fout_code(apparaat)})
    html = r.content.decode()
    assert "Er zijn te veel verkeerde codes ingevuld" in html
    # Even the right code is refused now.
    r = client.post("/inloggen/code/", {"code": code(apparaat)})
    assert "te veel verkeerde codes" in r.content.decode()
    assert client.get("/mijn-klas/")["Location"].startswith("/inloggen/code/")

    beheer = p.client(p.beheerder)
    assert "tijdelijk geblokkeerd" in beheer.get(f"/beheer/accounts/{p.mentor.pk}/").content.decode()
    beheer.post(f"/beheer/accounts/{p.mentor.pk}/", {"actie": "lockout"})
    r = client.post("/inloggen/code/", {"code": code(apparaat)})
    assert r.status_code == 302
    assert client.get("/mijn-klas/").status_code == 200


def test_a_recovery_code_works_once(personas):
    p = personas
    app(p.mentor)
    codes = tweestaps.nieuwe_herstelcodes(p.mentor)
    client = Client()
    wachtwoord(client, p.mentor)
    r = client.post("/inloggen/code/", {"code": codes[0].upper()})
    assert r.status_code == 302
    assert "nog 9 over" in client.get("/mijn-klas/").content.decode()
    ander = Client()
    wachtwoord(ander, p.mentor)
    assert "Deze code klopt niet" in ander.post("/inloggen/code/", {"code": codes[0]}).content.decode()


# --- parents: optional ------------------------------------------------------------------------------


def test_a_parent_logs_in_without_a_second_step_and_may_turn_it_on_and_off(personas):
    p = personas
    client = Client()
    r = wachtwoord(client, p.ouder_user)
    assert client.get("/ouders/").status_code == 200
    html = client.get("/ouders/instellingen/").content.decode()
    assert 'href="/account/tweestaps/instellen/"' in html
    # The setup page is in the parent's language, in the portal's layout.
    p.ouder_user.taal = "en"
    p.ouder_user.save()
    html = client.get("/account/tweestaps/instellen/").content.decode()
    assert '<html lang="en"' in html and "portaal-kop" in html
    apparaat = TOTPDevice.objects.get(user=p.ouder_user, confirmed=False)
    r = client.post("/account/tweestaps/instellen/", {"code": code(apparaat)})
    assert r["Location"] == "/account/tweestaps/herstelcodes/"
    assert client.post("/account/tweestaps/herstelcodes/")["Location"] == "/ouders/instellingen/"

    # From now on the parent's login asks for a code.
    nieuw = Client()
    wachtwoord(nieuw, p.ouder_user)
    assert nieuw.get("/ouders/")["Location"].startswith("/inloggen/code/")

    # And the parent may switch it off again (staff may not).
    client.post("/account/tweestaps/uit/")
    assert not TOTPDevice.objects.filter(user=p.ouder_user).exists()
    assert not StaticDevice.objects.filter(user=p.ouder_user).exists()
    mentor = p.client(p.mentor)
    r = mentor.post("/account/tweestaps/uit/", follow=True)
    assert "verplicht" in r.content.decode()
    assert TOTPDevice.objects.filter(user=p.mentor, confirmed=True).exists()


# --- the own account page ---------------------------------------------------------------------------


def test_account_page_shows_the_status_and_makes_new_recovery_codes(personas):
    p = personas
    client = p.client(p.mentor)
    html = client.get("/account/").content.decode()
    assert "Inloggen in twee stappen" in html and "verplicht" in html and "/wachtwoord/wijzigen/" in html
    assert 'href="/account/"' in html  # the user menu links here
    r = client.post("/account/tweestaps/nieuwe-codes/")
    assert r["Location"] == "/account/tweestaps/herstelcodes/"
    assert StaticToken.objects.filter(device__user=p.mentor).count() == 10
    assert client.get("/account/").status_code == 200
    # A parent's account page is the portal's Instellingen page.
    assert p.client(p.ouder_user).get("/account/")["Location"] == "/ouders/instellingen/"
    assert Client().get("/account/")["Location"].startswith("/inloggen/")


def test_overal_uitloggen_ends_every_session_of_the_user(personas):
    p = personas
    hier, daar = p.client(p.mentor), p.client(p.mentor)
    ander = p.client(p.docent)
    r = hier.post("/account/overal-uitloggen/")
    assert r["Location"] == "/inloggen/"
    assert daar.get("/mijn-klas/")["Location"].startswith("/inloggen/")
    assert hier.get("/mijn-klas/")["Location"].startswith("/inloggen/")
    assert ander.get("/mijn-klassen/").status_code == 200


# --- sessions ---------------------------------------------------------------------------------------


def test_a_session_idle_longer_than_the_limit_is_gone(personas):
    p = personas
    client = p.client(p.mentor)
    assert client.get("/mijn-klas/").status_code == 200
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    sleutel = client.session.session_key
    from django.utils import timezone

    Session.objects.filter(pk=sleutel).update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    caches["default"].delete(f"django.contrib.sessions.cached_db{sleutel}")
    r = client.get("/mijn-klas/")
    assert r.status_code == 302 and r["Location"] == "/inloggen/?next=/mijn-klas/"


def test_logout_ends_the_session_on_the_server(personas):
    p = personas
    client = p.client(p.mentor)
    sleutel = client.session.session_key
    assert Session.objects.filter(pk=sleutel).exists()
    client.post("/uitloggen/")
    assert not Session.objects.filter(pk=sleutel).exists()
    # The old cookie, replayed, opens nothing.
    oud = Client()
    oud.cookies[settings.SESSION_COOKIE_NAME] = sleutel
    assert oud.get("/mijn-klas/")["Location"].startswith("/inloggen/")


def test_password_change_enforces_the_password_rules(personas):
    p = personas
    client = p.client(p.mentor)
    for zwak, melding in [("kort-1", "te kort"), ("9182736450918", "bevat alleen cijfers"),
                          ("password123", "te algemeen")]:
        r = client.post("/wachtwoord/wijzigen/", {"old_password": f.WACHTWOORD, "new_password1": zwak,
                                                  "new_password2": zwak})
        assert r.status_code == 200 and melding in r.content.decode(), zwak
    p.mentor.refresh_from_db()
    assert p.mentor.check_password(f.WACHTWOORD)
    goed = "Een-lang-en-sterk-wachtwoord-42"
    r = client.post("/wachtwoord/wijzigen/", {"old_password": f.WACHTWOORD, "new_password1": goed,
                                              "new_password2": goed})
    assert r.status_code == 302
    p.mentor.refresh_from_db()
    assert p.mentor.check_password(goed)


# --- login lockout (django-axes) --------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_login_with_a_dutch_page(personas):
    p = personas
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = wachtwoord(client, p.mentor, password="fout-wachtwoord")
        assert "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet" in r.content.decode()
    r = wachtwoord(client, p.mentor, password="fout-wachtwoord")
    assert r.status_code == 429
    html = r.content.decode()
    assert "Er is te vaak een verkeerd wachtwoord ingevuld voor mentor" in html
    assert "opnieuw inloggen" in html and "15 minuten" in html
    # Now even the right password is refused.
    r = wachtwoord(client, p.mentor)
    assert r.status_code == 429
    # Another account from the same address is not locked.
    assert wachtwoord(Client(), p.docent).status_code == 302
    # The applicatiebeheerder lifts it.
    beheer = p.client(p.beheerder)
    assert "Blokkade opheffen" in beheer.get(f"/beheer/accounts/{p.mentor.pk}/").content.decode()
    beheer.post(f"/beheer/accounts/{p.mentor.pk}/", {"actie": "lockout"})
    assert wachtwoord(Client(), p.mentor).status_code == 302


# --- the parents' activation code ------------------------------------------------------------------


def test_ten_wrong_activation_codes_from_one_address_are_refused(personas):
    from ouders.uitnodiging_views import ACTIVATIE_LIMIET

    p = personas
    ouder = f.OuderFactory(gebruiker=None, email="moeder@example.org")
    f.OuderRelatieFactory(ouder=ouder, leerling=p.in_a)
    _u, goede_code = regels.nodig_uit(ouder, "brief", "nl", p.mentor, p.school)
    client = Client()
    for i in range(ACTIVATIE_LIMIET):
        r = client.post(reverse("ouders_activeren"), {"stap": "code", "code": f"AAAA-BBBB-CC{i:02d}"})
        assert "Deze code kennen wij niet" in r.content.decode()
    r = client.post(reverse("ouders_activeren"), {"stap": "code", "code": goede_code})
    assert r.status_code == 200
    html = r.content.decode()
    assert "te veel verkeerde codes ingevuld" in html and goede_code in html  # what was typed stays
    # Another address may still try.
    r = Client(REMOTE_ADDR="10.0.0.9").post(reverse("ouders_activeren"), {"stap": "code", "code": goede_code})
    assert r.status_code == 302


# --- the applicatiebeheerder --------------------------------------------------------------------------


def test_only_the_applicatiebeheerder_manages_the_schools_accounts(personas):
    p = personas
    for user in (p.mentor, p.zorgcoordinator, p.directie, p.ouder_user, p.extern, p.zonder_rol):
        assert p.client(user).get("/beheer/accounts/").status_code == 404, user.username
        assert p.client(user).get(f"/beheer/accounts/{p.docent.pk}/").status_code == 404, user.username
    beheer = p.client(p.beheerder)
    html = beheer.get("/beheer/accounts/").content.decode()
    for user in (p.mentor, p.docent, p.ouder_user):
        assert f'href="/beheer/accounts/{user.pk}/"' in html, user.username
    # An external partner's contact appears when the partner is in this school's register.
    assert f'href="/beheer/accounts/{p.extern.pk}/"' not in html
    instelling = p.extern.contactpersoon.instelling
    instelling.school = p.school
    instelling.save()
    assert f'href="/beheer/accounts/{p.extern.pk}/"' in beheer.get("/beheer/accounts/").content.decode()
    # Another school's accounts: 404.
    elders = f.GebruikerFactory()
    f.FunctieFactory(gebruiker=elders, schooljaar=p.andere_klas.schooljaar, soort="docent")
    assert beheer.get(f"/beheer/accounts/{elders.pk}/").status_code == 404
    assert beheer.get(f"/beheer/accounts/{p.zonder_rol.pk}/").status_code == 404
    assert f"/beheer/accounts/{elders.pk}/" not in html
    # Search by name.
    html = beheer.get("/beheer/accounts/", {"q": p.docent.username}).content.decode()
    assert f'href="/beheer/accounts/{p.docent.pk}/"' in html and f'href="/beheer/accounts/{p.mentor.pk}/"' not in html
    assert "Geen account gevonden" in beheer.get("/beheer/accounts/", {"q": "<script>x</script>"}).content.decode()
    # Linked from the beheer page.
    assert 'href="/beheer/accounts/"' in beheer.get("/beheer/").content.decode()


def test_the_accounts_list_pages_and_keeps_the_search(personas, monkeypatch):
    from zorg import account_views

    monkeypatch.setattr(account_views, "PER_PAGINA", 2)
    p = personas
    html = p.client(p.beheerder).get("/beheer/accounts/", {"q": "o"}).content.decode()
    assert '<a href="?q=o&amp;pagina=2">volgende →</a>' in html
    assert "pagina 1 van" in html


def test_blocking_takes_effect_at_once_and_needs_a_reason(personas):
    p = personas
    beheer = p.client(p.beheerder)
    slachtoffer = p.client(p.mentor)
    assert slachtoffer.get("/mijn-klas/").status_code == 200

    r = beheer.post(f"/beheer/accounts/{p.mentor.pk}/", {"actie": "blokkeren", "reden": "  "})
    assert r.status_code == 400 and "Geef een reden op voor het blokkeren." in r.content.decode()
    p.mentor.refresh_from_db()
    assert p.mentor.is_active

    r = beheer.post(f"/beheer/accounts/{p.mentor.pk}/", {"actie": "blokkeren", "reden": "Uit dienst"})
    assert r.status_code == 302
    p.mentor.refresh_from_db()
    assert not p.mentor.is_active and p.mentor.geblokkeerd_door == p.beheerder
    assert p.mentor.geblokkeerd_reden == "Uit dienst" and p.mentor.geblokkeerd_op is not None
    # The blocked user's next request is logged out; the login says why.
    assert slachtoffer.get("/mijn-klas/")["Location"].startswith("/inloggen/")
    r = wachtwoord(Client(), p.mentor)
    assert r.status_code == 200 and "Dit account is geblokkeerd" in r.content.decode()
    # A wrong password does not reveal the block.
    assert "Dit account is geblokkeerd" not in wachtwoord(Client(), p.mentor, "nee").content.decode()
    html = beheer.get(f"/beheer/accounts/{p.mentor.pk}/").content.decode()
    assert "Uit dienst" in html and "Deblokkeren" in html

    beheer.post(f"/beheer/accounts/{p.mentor.pk}/", {"actie": "deblokkeren"})
    p.mentor.refresh_from_db()
    assert p.mentor.is_active and not p.mentor.geblokkeerd_reden
    assert wachtwoord(Client(), p.mentor).status_code == 302


def test_the_beheerder_cannot_block_themselves(personas):
    p = personas
    beheer = p.client(p.beheerder)
    r = beheer.post(f"/beheer/accounts/{p.beheerder.pk}/", {"actie": "blokkeren", "reden": "test"})
    assert "U kunt uw eigen account niet blokkeren." in r.content.decode()
    p.beheerder.refresh_from_db()
    assert p.beheerder.is_active


def test_resetting_two_steps_deletes_the_devices_and_ends_the_sessions(personas):
    p = personas
    slachtoffer = p.client(p.mentor)
    tweestaps.nieuwe_herstelcodes(p.mentor)
    beheer = p.client(p.beheerder)
    beheer.post(f"/beheer/accounts/{p.mentor.pk}/", {"actie": "tweestaps"})
    assert not TOTPDevice.objects.filter(user=p.mentor).exists()
    assert not StaticDevice.objects.filter(user=p.mentor).exists()
    assert slachtoffer.get("/mijn-klas/")["Location"].startswith("/inloggen/")
    client = Client()
    wachtwoord(client, p.mentor)
    assert client.get("/mijn-klas/")["Location"].startswith("/account/tweestaps/instellen/")


# --- demo ---------------------------------------------------------------------------------------------


def test_demo_code_matches_the_demo_secret():
    apparaat = TOTPDevice(key=demo_tweestaps.DEMO_SLEUTEL)
    assert demo_tweestaps.code() in {f"{totp(apparaat.bin_key, drift=d):06d}" for d in (0, 1)}


def test_demo_staff_and_partner_use_the_demo_secret_parents_do_not(demo_school):
    from io import StringIO

    from django.core.management import call_command

    for username in ("mentor", "beheer", "extern", "zorgcoordinator"):
        apparaat = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert apparaat.key == demo_tweestaps.DEMO_SLEUTEL
    assert not TOTPDevice.objects.filter(user__username="ouder").exists()
    uit = StringIO()
    call_command("tweestaps_code", stdout=uit)
    sleutel = bytes.fromhex(demo_tweestaps.DEMO_SLEUTEL)
    # The code printed now, or (when the 30-second step just turned) the one before.
    assert uit.getvalue().split()[0] in {demo_tweestaps.code(), f"{totp(sleutel, drift=-1):06d}"}
    uit = StringIO()
    call_command("tweestaps_code", "--uitleg", stdout=uit)
    assert "ZORG ROUT EDEM" in uit.getvalue() and "make code" in uit.getvalue()


def test_account_urls_answer_per_persona(personas):
    """What each persona (force-logged in: past both steps) gets from the account URLs with GET."""
    p = personas
    staf = ["mentor", "andere_mentor", "docent", "teamleider", "zorgcoordinator", "specialist", "directie",
            "beheerder", "extern", "zonder_rol"]
    verwacht = {  # url: {persona: status}, default for the others
        "/inloggen/code/": {"*": 302},
        "/account/": {"*": 200, "ouder_user": 302},
        "/account/tweestaps/instellen/": {"*": 302},
        "/account/tweestaps/herstelcodes/": {"*": 302},
        "/account/tweestaps/nieuwe-codes/": {"*": 405},
        "/account/tweestaps/uit/": {"*": 405},
        "/account/overal-uitloggen/": {"*": 405},
        "/beheer/accounts/": {"*": 404, "beheerder": 200},
        f"/beheer/accounts/{p.mentor.pk}/": {"*": 404, "beheerder": 200},
        f"/beheer/accounts/{p.andere_mentor.pk}/": {"*": 404, "beheerder": 200},
    }
    for naam in [*staf, "ouder_user"]:
        client = p.client(getattr(p, naam))
        for url, per in verwacht.items():
            assert client.get(url).status_code == per.get(naam, per["*"]), (naam, url)
    anoniem = Client()
    for url in verwacht:
        assert anoniem.get(url).status_code == (405 if url == "/account/overal-uitloggen/" else 302), url


# --- in a browser: the QR code under the strict CSP, accessibility ---------------------------------


@pytest.mark.browser
def test_setting_up_the_app_in_a_browser(browser, live_server, demo_school_live):
    """A demo mentor whose app was reset: password, setup page (the QR image loads under the CSP),
    the first code, the recovery codes, then the start page; both pages pass axe (WCAG 2.1 AA)."""
    import re

    from playwright.sync_api import expect

    from tests.browser import toegankelijkheidsfouten
    from zorg import demo

    TOTPDevice.objects.filter(user__username="mentor").delete()
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    csp_fouten = []
    page.on("console", lambda m: csp_fouten.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("mentor")
    page.get_by_label("Wachtwoord").fill(demo.DEMO_WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/account/tweestaps/instellen/"))
    qr = page.get_by_role("img", name="QR-code om Zorgroute aan uw app toe te voegen")
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    assert toegankelijkheidsfouten(page) == []
    apparaat = TOTPDevice.objects.get(user__username="mentor", confirmed=False)
    page.get_by_label("Code uit de app").fill(demo_tweestaps.code_voor_apparaat(apparaat))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(re.compile(r"/account/tweestaps/herstelcodes/"))
    expect(page.locator(".herstelcodes li")).to_have_count(10)
    assert toegankelijkheidsfouten(page) == []
    page.get_by_role("button", name="Ik heb de codes bewaard").click()
    expect(page).to_have_url(re.compile(r"/mijn-klas/$"))
    assert csp_fouten == []
    context.close()
