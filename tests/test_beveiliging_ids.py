# ruff: noqa: F811 (the wereld fixture of tests/test_urls.py is imported, then used as an argument)
"""Ids in URLs reveal nothing (issue 9, least privilege).

Decision: integer ids stay in the URLs. They are guessable, but a guess tells nothing: for every
URL with an integer id, an existing object outside the user's scope answers exactly like an id
that does not exist — the same status, the same redirect and the same page, apart from the CSRF
token and the CSP nonce (tested here for every URL of the COVERAGE table of tests/test_urls.py,
for every persona that gets 404 there, and for the object states of tests/test_beveiliging_matrix.py
in which a persona loses access). The access layer (zorg/toegang.py) fetches every object through
the user's scope and raises Http404 otherwise, so the check is the same code path for both.

Where a guess could do harm without a scope to check against, the URL carries a secret instead:
- the invitation/activation code (ouders/activeren/): 12 characters from a 31-letter alphabet made
  with `secrets`, stored only as a hash, wrong codes throttled per address (ouders/uitnodiging.py);
- password-reset links (wachtwoord/herstel/<uidb64>/<token>/): Django's HMAC token, bound to the
  password hash and last login, time-limited; a wrong token for an existing user reads the same as
  one for a user that does not exist; the reset request answers the same for a known and an
  unknown address.

Deliberate exception: a 403 with an explanation (paginas.geweigerd, which names the pupil) is given
only to a user who already sees the object — in scope with the wrong role (the COVERAGE rows with
403). The same URL answers 404 for a missing id and for anyone out of scope; test below.

Also here: POST-only endpoints refuse GET (405, never a 500 or a change), no view is exempt from
CSRF and a POST without the token changes nothing, a sweep of GET requests over every URL leaves
every table unchanged but the read-logs and one lazily made groepsoverzicht (LEES_LOGS below),
and the staff URLs answer 404 to parents, pupils and external partners even with the ids of their
own child's records.
"""

import re
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.test_beveiliging_matrix import STATEN, Overlay
from tests.test_urls import COVERAGE, LOGIN, PERSONAS, client_for, walk, wereld  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

ONBEKEND = 987654321  # an id no test creates
REUS = 10**20  # beyond any integer column: must still be a plain 404
PORTAAL = {"ouder_user", "leerling_user", "extern"}


def _normaal(response, *urls):
    """(status, Location, body) without what differs per request: CSRF token, nonce, the URL itself."""
    body = response.content.decode("utf-8", errors="replace")
    body = re.sub(r'(csrfmiddlewaretoken" value=")[^"]*"', r'\1"', body)
    body = re.sub(r'(csrf[-_]token" content=")[^"]*"', r'\1"', body)
    body = re.sub(r'("X-CSRFToken"\s*:\s*")[^"]*"', r'\1"', body)
    body = re.sub(r'nonce="[^"]*"', 'nonce=""', body)
    locatie = response.get("Location", "")
    for url in urls:
        for vorm in (url, quote(url)):
            body, locatie = body.replace(vorm, "<URL>"), locatie.replace(vorm, "<URL>")
    return response.status_code, locatie, body


def _varianten(naam, args):
    """The URL with all integer ids unknown, and with each one unknown in turn."""
    posities = [i for i, arg in enumerate(args) if isinstance(arg, int)]
    varianten = [[ONBEKEND if i in posities else arg for i, arg in enumerate(args)]]
    if len(posities) > 1:
        for positie in posities:
            varianten.append([ONBEKEND if i == positie else arg for i, arg in enumerate(args)])
    return [reverse(naam, args=v) for v in varianten]


def _vergelijk(client, method, naam, args, fouten, label):
    """Ask the real URL and its unknown-id variants; note any difference in `fouten`."""
    url = reverse(naam, args=args)
    echt = getattr(client, method)(url)
    for nep in _varianten(naam, args):
        antwoord = getattr(client, method)(nep)
        if _normaal(echt, url) != _normaal(antwoord, nep):
            fouten.append(f"{label}: {method.upper()} {url} ({echt.status_code}) ≠ {nep} ({antwoord.status_code})")
    return echt


TELLER = {"paren": 0}


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_out_of_scope_id_answers_like_a_missing_one(wereld, persona):
    """Every URL with an id that answers this persona 404: the real object and an unknown id
    (all ids unknown, and each one in turn) give the same answer."""
    p = wereld
    client = client_for(p, persona)
    fouten = []
    for naam, route in COVERAGE.items():
        if route.args is None or route.expected(persona) not in (404, LOGIN):
            continue
        echt = _vergelijk(client, route.method, naam, route.args(p), fouten, persona)
        assert echt.status_code in (404, 302), f"{persona} {naam}: {echt.status_code}"
        TELLER["paren"] += 1
    assert not fouten, "\n".join(fouten)


BEKEKEN_STATEN = [s for s in STATEN if s.kwijt]


@pytest.mark.parametrize("staat", BEKEKEN_STATEN, ids=[s.naam for s in BEKEKEN_STATEN])
def test_an_object_that_left_the_scope_answers_like_a_missing_one(wereld, staat):
    """The objects of each state of the matrix, for the personas who lose them there."""
    p = wereld
    vervangen = staat.bouw(p)
    fouten = []
    for persona in sorted(staat.kwijt):
        client = client_for(p, persona)
        for naam, route in COVERAGE.items():
            if route.args is None or staat.verwacht(naam, persona, vervangen) != 404:
                continue
            overlay = Overlay(p, vervangen)
            args = route.args(overlay)
            if not overlay.geraakt:
                continue
            _vergelijk(client, route.method, naam, args, fouten, f"[{staat.naam}] {persona}")
            TELLER["paren"] += 1
    assert not fouten, "\n".join(fouten)


def test_a_forbidden_page_only_for_who_already_sees_the_object(wereld):
    """A 403 (its page may name the pupil) comes only in scope, to a user who sees the pupil anyway;
    the same URL with unknown ids is a plain 404. (Out of scope the matrix asserts 404.)"""
    p = wereld
    gezien = 0
    for naam, route in COVERAGE.items():
        for persona, antwoord in route.overrides.items():
            if antwoord != 403 or route.args is None:
                continue
            client = client_for(p, persona)
            url = reverse(naam, args=route.args(p))
            assert getattr(client, route.method)(url).status_code == 403, (persona, url)
            alles_onbekend, *deels = _varianten(naam, route.args(p))
            assert getattr(client, route.method)(alles_onbekend).status_code == 404, (persona, alles_onbekend)
            for nep in deels:  # e.g. an unknown deelnemer of a meeting the user reads: the role check first
                assert getattr(client, route.method)(nep).status_code in (403, 404), (persona, nep)
            gezien += 1
    assert gezien > 30


def test_huge_and_unknown_ids_are_a_plain_404(wereld):
    p = wereld
    client = p.client(p.zorgcoordinator)
    fouten = []
    for naam, route in COVERAGE.items():
        if route.args is None or not any(isinstance(a, int) for a in route.args(p)):
            continue
        args = [REUS if isinstance(a, int) else a for a in route.args(p)]
        response = getattr(client, route.method)(reverse(naam, args=args))
        if response.status_code != 404:
            fouten.append(f"{naam}: {response.status_code}")
    assert not fouten, "\n".join(fouten)


def test_staff_urls_refuse_parents_pupils_and_partners_with_their_own_childs_ids(wereld):
    """in_a is the ouder's child and the pupil's own record; p.plan, p.gedeeld_document and
    p.toestemming are shared with them. On staff URLs these ids answer 404, like unknown ones."""
    p = wereld
    fouten, gezien = [], 0
    for persona in sorted(PORTAAL):
        client = client_for(p, persona)
        for naam, route in COVERAGE.items():
            if route.args is None or route.expected(persona) != 404:
                continue
            echt = _vergelijk(client, route.method, naam, route.args(p), fouten, persona)
            if echt.status_code != 404:
                fouten.append(f"{persona} {naam}: {echt.status_code}")
            gezien += 1
    assert not fouten, "\n".join(fouten)
    assert gezien > 150


# --- tokens instead of ids --------------------------------------------------------------------------


def test_a_reset_link_reads_the_same_for_a_known_and_an_unknown_user(wereld):
    anoniem = Client()
    bestaand = reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(wereld.mentor.pk)), "x-y"])
    onbekend = reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(ONBEKEND)), "x-y"])
    a, b = anoniem.get(bestaand), anoniem.get(onbekend)
    assert a.status_code == b.status_code == 200
    assert _normaal(a, bestaand)[2] == _normaal(b, onbekend)[2]


def test_a_reset_request_answers_the_same_for_a_known_and_an_unknown_address(wereld):
    wereld.mentor.email = "mentor@school.example"
    wereld.mentor.save()
    bekend = Client().post(reverse("password_reset"), {"email": "mentor@school.example"})
    onbekend = Client().post(reverse("password_reset"), {"email": "niemand@school.example"})
    assert (bekend.status_code, bekend["Location"]) == (onbekend.status_code, onbekend["Location"])
    assert len(mail.outbox) == 1  # only the real account gets a link


def test_an_activation_code_is_a_secret_not_an_id(wereld):
    from ouders import uitnodiging

    codes = {uitnodiging.nieuwe_code() for _i in range(200)}
    assert len(codes) == 200
    assert all(len(code) == uitnodiging.CODE_LENGTE >= 12 for code in codes)
    onbekend = Client().post(reverse("ouders_activeren"), {"stap": "code", "code": "ABCD-EFGH-JKMN"})
    assert onbekend.status_code == 200
    assert "Deze code kennen wij niet" in onbekend.content.decode()


def test_a_wrong_password_reads_the_same_for_a_known_and_an_unknown_username(wereld):
    bekend = Client().post(reverse("login"), {"username": "mentor", "password": "fout-wachtwoord"})
    onbekend = Client().post(reverse("login"), {"username": "niemand_hier", "password": "fout-wachtwoord"})
    assert bekend.status_code == onbekend.status_code
    tekst_a = _normaal(bekend)[2].replace("mentor", "<NAAM>")
    tekst_b = _normaal(onbekend)[2].replace("niemand_hier", "<NAAM>")
    assert tekst_a == tekst_b


# --- methods, CSRF, and GET never writes --------------------------------------------------------------


def _schrijvers(route):
    """Personas for whom a POST route does its work (not 404/403)."""
    return [persona for persona, antwoord in route.overrides.items()
            if antwoord not in (404, 403, 400) and persona != "anoniem"]


POST_ROUTES = {naam: route for naam, route in COVERAGE.items() if route.method == "post"}


def _tellingen():
    """Row count of every table of the project's models (history tables included)."""
    tellingen = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            tabel = model._meta.db_table
            cursor.execute(f'SELECT COUNT(*) FROM "{tabel}"')  # noqa: S608 (table names from the models)
            tellingen[tabel] = cursor.fetchone()[0]
        cursor.execute('SELECT COUNT(*) FROM "otp_totp_totpdevice" WHERE confirmed')
        tellingen["otp_totp_totpdevice (bevestigd)"] = cursor.fetchone()[0]
    return tellingen


# Tables a read may write: the inzagelog (who read what: the point of it), sessions and login
# records, the refused-access log (issue 9), the record of an audit export (an admin LogEntry,
# zorg/audit.py: every export is itself logged), and the two-factor setup page's one pending
# (unconfirmed) key per user (zorg/tweestaps.py: get-or-create, so idempotent; confirmed keys are
# counted apart and may not change).
# Also one thing made on first sight, after the access check: opening a klas's groepsoverzicht of a
# periode creates it (a copy of the previous periode's; plannen.groepsoverzicht.groepsoverzicht_voor).
LEES_LOGS = {"zorg_inzage", "django_session", "axes_accesslog", "axes_accessattempt", "zorg_weigering",
             "otp_totp_totpdevice", "plannen_groepsoverzicht", "django_admin_log"}


def _veranderd(voor, na):
    return {tabel: (voor[tabel], na[tabel]) for tabel in voor
            if voor[tabel] != na.get(tabel) and tabel not in LEES_LOGS}


def _clients(p, personas):
    """Logged-in clients, made before the snapshot (a test login gives the account its
    confirmed two-factor device, tests/inloggen.py)."""
    return {persona: client_for(p, persona) for persona in personas}


def test_post_only_endpoints_refuse_get_and_change_nothing(wereld):
    p = wereld
    clients = _clients(p, PERSONAS)
    voor = _tellingen()
    fouten, gezien = [], 0
    for naam, route in POST_ROUTES.items():
        personas = _schrijvers(route) or [q for q in PERSONAS if q != "anoniem" and route.expected(q) != 404]
        for persona in personas or ["zorgcoordinator"]:
            args = route.args(p) if route.args else None
            response = clients[persona].get(reverse(naam, args=args))
            if response.status_code != 405:
                fouten.append(f"{persona} GET {naam}: {response.status_code}")
            gezien += 1
    assert not fouten, "\n".join(fouten)
    assert not _veranderd(voor, _tellingen())
    assert gezien >= len(POST_ROUTES)


def test_no_view_is_exempt_from_csrf():
    vrijgesteld = []
    for pattern_naam, route in walk(get_resolver()):
        if route.startswith("systeembeheer/"):
            continue
        match = get_resolver().resolve("/" + re.sub(r"<[^>]+>", "1", route))
        if getattr(match.func, "csrf_exempt", False):
            vrijgesteld.append(pattern_naam or route)
    assert not vrijgesteld


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(wereld):
    p = wereld
    clients = {}
    for route in POST_ROUTES.values():
        for persona in _schrijvers(route)[:1] or ["zorgcoordinator"]:
            if persona not in clients:
                clients[persona] = Client(enforce_csrf_checks=True)
                clients[persona].force_login(getattr(p, persona))
    voor = _tellingen()
    fouten = []
    for naam, route in POST_ROUTES.items():
        for persona in _schrijvers(route)[:1] or ["zorgcoordinator"]:
            client = clients[persona]
            args = route.args(p) if route.args else None
            response = client.post(reverse(naam, args=args), {"tekst": "x", "status": "klaar"})
            if response.status_code != 403:
                fouten.append(f"{persona} POST {naam} zonder token: {response.status_code}")
    assert not fouten, "\n".join(fouten)
    assert not _veranderd(voor, _tellingen())


def test_a_get_sweep_over_every_url_changes_no_data(wereld):
    """Every GET route, as every persona that may open it: only the read-logs grow."""
    p = wereld
    clients = _clients(p, PERSONAS)
    voor = _tellingen()
    for client in clients.values():
        for naam, route in COVERAGE.items():
            if route.method != "get":
                continue
            client.get(reverse(naam, args=route.args(p) if route.args else None))
    assert not _veranderd(voor, _tellingen())


class _Samenvatting:
    def pytest_terminal_summary(self, terminalreporter):
        if TELLER["paren"]:
            terminalreporter.write_line(
                f"{TELLER['paren']} URL × rol(× toestand)-paren: bestaand buiten bereik = onbekend id")


@pytest.fixture(scope="module", autouse=True)
def _samenvatting(request):
    if request.config.pluginmanager.get_plugin("beveiliging_ids_samenvatting") is None:
        request.config.pluginmanager.register(_Samenvatting(), "beveiliging_ids_samenvatting")
    yield
