"""Shared fixtures: personas on one small school, plus the demo school for browser tests."""

import os

import pytest
from django.test import Client

from tests import factories as f
from zorg.models import Functie

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class Personas:
    """One small school with a person for every role, and pupils in and out of each scope.

    afdeling A: klas_a (mentor, docent teaches it), klas_a2 (nobody's but the teamleider's)
    afdeling B: klas_b (other mentor)
    """

    def __init__(self):
        self.school = f.SchoolFactory(naam="Testcollege")
        self.jaar = f.SchooljaarFactory(school=self.school)
        f.PeriodeFactory(schooljaar=self.jaar, nummer=1)
        self.route = f.ZorgrouteFactory(school=self.school)
        self.niveau1 = f.ZorgniveauFactory(zorgroute=self.route, volgorde=1, code="1", naam="mentor")
        self.afdeling_a = f.AfdelingFactory(school=self.school, naam="Onderbouw")
        self.afdeling_b = f.AfdelingFactory(school=self.school, naam="Bovenbouw")

        self.mentor = f.GebruikerFactory(username="mentor")
        self.andere_mentor = f.GebruikerFactory(username="andere_mentor")
        self.docent = f.GebruikerFactory(username="docent")
        self.teamleider = f.GebruikerFactory(username="teamleider")
        self.zorgcoordinator = f.GebruikerFactory(username="zorgcoordinator")
        self.specialist = f.GebruikerFactory(username="specialist")
        self.directie = f.GebruikerFactory(username="directie")
        self.beheerder = f.GebruikerFactory(username="beheer")
        self.ouder_user = f.GebruikerFactory(username="ouder")
        self.extern = f.GebruikerFactory(username="extern")
        self.zonder_rol = f.GebruikerFactory(username="zonder_rol")

        self.klas_a = f.KlasFactory(schooljaar=self.jaar, afdeling=self.afdeling_a, naam="1A", mentoren=[self.mentor])
        self.klas_a2 = f.KlasFactory(schooljaar=self.jaar, afdeling=self.afdeling_a, naam="1B")
        self.klas_b = f.KlasFactory(
            schooljaar=self.jaar, afdeling=self.afdeling_b, naam="4H", mentoren=[self.andere_mentor]
        )
        f.LesopdrachtFactory(docent=self.docent, klas=self.klas_a)
        for user, soort, afdeling in [
            (self.mentor, Functie.Soort.DOCENT, None),
            (self.docent, Functie.Soort.DOCENT, None),
            (self.andere_mentor, Functie.Soort.DOCENT, None),
            (self.teamleider, Functie.Soort.TEAMLEIDER, self.afdeling_a),
            (self.zorgcoordinator, Functie.Soort.ZORGCOORDINATOR, None),
            (self.specialist, Functie.Soort.REMEDIAL_TEACHER, None),
            (self.directie, Functie.Soort.DIRECTIE, None),
            (self.beheerder, Functie.Soort.APPLICATIEBEHEERDER, None),
        ]:
            f.FunctieFactory(gebruiker=user, schooljaar=self.jaar, soort=soort, afdeling=afdeling)

        self.in_a = f.KlasplaatsingFactory(klas=self.klas_a).leerling  # mentor, docent, teamleider
        self.in_a2 = f.KlasplaatsingFactory(klas=self.klas_a2).leerling  # teamleider only
        self.in_b = f.KlasplaatsingFactory(klas=self.klas_b).leerling  # other mentor only
        self.toegewezen = f.KlasplaatsingFactory(klas=self.klas_b).leerling  # + specialist
        f.BetrokkeneFactory(leerling=self.toegewezen, gebruiker=self.specialist)
        self.ouder = f.OuderFactory(gebruiker=self.ouder_user)
        f.OuderRelatieFactory(ouder=self.ouder, leerling=self.in_a)
        f.ContactpersoonFactory(gebruiker=self.extern)

        # Another school: nobody above may see its pupils.
        self.andere_school = f.SchoolFactory(naam="Ander Lyceum")
        ander_jaar = f.SchooljaarFactory(school=self.andere_school)
        self.andere_klas = f.KlasFactory(schooljaar=ander_jaar, naam="1A")
        self.elders = f.KlasplaatsingFactory(klas=self.andere_klas).leerling
        self.leerlingen = [self.in_a, self.in_a2, self.in_b, self.toegewezen, self.elders]

    def client(self, user):
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def personas(db):
    return Personas()


# --- Added for the permission, URL, account, start-page, demo and browser tests -------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright cannot download browsers here: launch Debian's Chromium.

    A missing Chromium must fail the browser tests, never skip them.
    """
    assert os.path.exists(CHROMIUM), f"Chromium is niet geïnstalleerd op {CHROMIUM} (apt-get install chromium)"
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Dutch school's browser: Dutch locale and timezone (Accept-Language decides Django's language)."""
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


def _geef_namen(p):
    """Give the personas' pupils distinct, recognisable names (factory names may collide)."""
    namen = {
        "in_a": ("Aafke", "Akkerman"),
        "in_a2": ("Bert", "Boomsma"),
        "in_b": ("Cor", "Cremers"),
        "toegewezen": ("Dirk", "Doornbos"),
        "elders": ("Eva", "Elzinga"),
    }
    for attr, (voornaam, achternaam) in namen.items():
        leerling = getattr(p, attr)
        leerling.voornaam, leerling.tussenvoegsel, leerling.achternaam = voornaam, "", achternaam
        leerling.save()
    return p


@pytest.fixture
def benoemde_personas(personas):
    """The personas, with fixed distinct pupil names: Aafke Akkerman (in_a), Bert Boomsma (in_a2),
    Cor Cremers (in_b), Dirk Doornbos (toegewezen), Eva Elzinga (elders, other school)."""
    return _geef_namen(personas)


@pytest.fixture
def demo_school(db):
    """A small demo school built by the shared builder (logins mentor, docent, ... , ouder, extern)."""
    from zorg import demo

    return demo.bouw_school(klassen=4, leerlingen_per_klas=5)


@pytest.fixture
def demo_school_live(transactional_db, live_server):
    """The same small demo school, committed, for tests that drive a browser against live_server."""
    from zorg import demo

    return demo.bouw_school(klassen=4, leerlingen_per_klas=5)


@pytest.fixture
def snelle_wachtwoorden(settings):
    """Hash passwords with a fast hasher: personas create a dozen accounts per test.

    Use with `pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")` so it runs before `personas`.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def email_taken_niet_naar_redis(monkeypatch):
    """A notice queues its e-mail task after commit (zorg.notificaties). In tests that run on_commit
    callbacks it must not reach the shared Redis, where any worker could take it against another
    database; tests about e-mail run the task themselves (tests/test_email_meldingen.py)."""
    from zorg import notificaties

    monkeypatch.setattr(notificaties, "stuur_later", lambda notificatie_id: None)


# --- Two-factor authentication (issue 9) ----------------------------------------------------------

_force_login = Client.force_login


def _volledig_ingelogd(self, user, backend=None):
    """`client.force_login(user)` means 'fully logged in': past the password AND the second step.

    Staff and external accounts must pass a TOTP code (zorg.tweestaps.TweeStapsMiddleware); the many
    tests that only need a logged-in user should not each type a code. So force_login also gives the
    user a confirmed TOTP device (when it has none) and marks the session verified with it, as
    django_otp.login does (parents and pupils too; a test about an account without a second step
    logs in with the form). tests/test_beveiliging_accounts.py drives the real steps (password form,
    code page, setup page) with Client.post; tests/inloggen.py has helpers for that.
    """
    from tests.inloggen import markeer_geverifieerd

    _force_login(self, user, backend)
    markeer_geverifieerd(self, user)


Client.force_login = _volledig_ingelogd


@pytest.fixture(autouse=True)
def afremmen_per_test(monkeypatch):
    """Failed-attempt counters (zorg.afremmen: second login step, activation codes) live in the shared
    Redis; a fresh namespace per test keeps one test's wrong codes from refusing another's."""
    import uuid

    from zorg import afremmen

    monkeypatch.setattr(afremmen, "naamruimte", uuid.uuid4().hex)
