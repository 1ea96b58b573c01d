"""The portal's translations are complete: every string a parent or pupil sees, on every portal
page, in the e-mails and in the letter, is translated into English, Papiamento and Spanish; staff
pages stay Dutch whatever the browser asks; the compiled catalogues match their sources."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests import factories as f
from tests.vertaalcontrole import ontbrekende_vertalingen

TALEN = ["en", "pap", "es"]
LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("taal", TALEN)
def test_compiled_catalogue_matches_its_source(taal):
    po = polib.pofile(str(LOCALE / taal / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / taal / "LC_MESSAGES" / "django.mo"))
    vertaald = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in po.translated_entries()}
    gecompileerd = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in mo if e.msgid}
    assert vertaald == gecompileerd, "run: python scripts/vertalingen.py compile"
    assert not [e.msgid for e in po if "fuzzy" in e.flags and e.msgid], "fuzzy entries are not used"


@pytest.mark.parametrize("taal", TALEN)
def test_placeholders_survive_translation(taal):
    po = polib.pofile(str(LOCALE / taal / "LC_MESSAGES" / "django.po"))
    import re

    veld = re.compile(r"%\(\w+\)[sd]|\{\{ *\w+ *\}\}")
    fout = [e.msgid for e in po.translated_entries()
            if sorted(veld.findall(e.msgid)) != sorted(veld.findall(e.msgstr or e.msgstr_plural.get(0, "")))]
    assert not fout, f"placeholders changed in {taal}: {fout[:10]}"


def test_staff_pages_stay_dutch_whatever_the_browser_asks(personas):
    p = personas
    p.mentor.taal = "en"
    p.mentor.save()
    client = p.client(p.mentor)
    antwoord = client.get(reverse("mijn_klas"), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert antwoord["Content-Language"] == "nl" and 'lang="nl"' in antwoord.content.decode()


def _toon(client, url, *, post=None):
    antwoord = client.post(url, post) if post is not None else client.get(url)
    assert antwoord.status_code in (200, 302), (url, antwoord.status_code)
    return antwoord


@pytest.fixture
def portaal(personas):
    """A parent with something on every portal page: a consent request, given consent."""
    p = personas
    p.toestemming_open = f.ToestemmingFactory(
        leerling=p.in_a, ouder=None, status="aangevraagd", wijze="digitaal", doel="zorgniveau")
    p.toestemming_gegeven = f.ToestemmingFactory(leerling=p.in_a, ouder=p.ouder, status="gegeven")
    return p


def portaal_bezoeken(p, client):
    """Every portal page a parent opens, with its error states (forms posted empty)."""
    kind = p.in_a.pk
    _toon(client, reverse("ouder_start"))
    _toon(client, reverse("ouder_kind", args=[kind]))
    _toon(client, reverse("ouder_toestemmingen", args=[kind]))
    _toon(client, reverse("ouder_toestemming", args=[p.toestemming_open.pk]))
    _toon(client, reverse("ouder_toestemming", args=[p.toestemming_open.pk]), post={"keuze": "geven"})
    _toon(client, reverse("ouder_toestemming", args=[p.toestemming_gegeven.pk]))
    _toon(client, reverse("ouder_toestemming", args=[p.toestemming_gegeven.pk]), post={"keuze": "intrekken"})
    _toon(client, reverse("inzagelog_kind", args=[kind]))


@pytest.mark.parametrize("taal", TALEN)
def test_every_parent_facing_string_is_translated(portaal, client, taal):
    p = portaal
    p.ouder_user.taal = taal
    p.ouder_user.save()
    ouder = p.client(p.ouder_user)
    with ontbrekende_vertalingen(taal) as ontbrekend:
        portaal_bezoeken(p, ouder)
        client.cookies[settings.TAAL_COOKIE] = taal
        _toon(client, reverse("login"))
        _toon(client, reverse("login"), post={"username": "", "password": ""})
    assert not ontbrekend, f"{len(ontbrekend)} untranslated in {taal}:\n" + "\n".join(sorted(ontbrekend))


@pytest.mark.parametrize("taal", TALEN)
def test_parent_notice_email_is_in_the_parents_language(portaal, taal, django_capture_on_commit_callbacks):
    from extern import toestemming as regels

    p = portaal
    p.ouder_user.taal = taal
    p.ouder_user.email = "ouder@example.org"
    p.ouder_user.save()
    with ontbrekende_vertalingen(taal) as ontbrekend, django_capture_on_commit_callbacks(execute=True):
        regels.vraag_aan(p.zorgcoordinator, p.school, p.in_a, "zorgniveau", "")
    assert not ontbrekend, f"untranslated in {taal}:\n" + "\n".join(sorted(ontbrekend))
    assert mail.outbox and "Zorgroute" in mail.outbox[-1].subject
