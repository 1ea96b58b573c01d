"""The portal's translations are complete: every string a parent or pupil sees, on every portal
page, in the e-mails and in the letter, is translated into English, Papiamento and Spanish; staff
pages stay Dutch whatever the browser asks; the compiled catalogues match their sources."""

import datetime
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

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
    """A parent with something on every portal page: consent asked and given, a concept plan laid
    before them and a fixed plan they did not agree with, a shared gespreksverslag, correctieverzoeken
    open and answered, an oudergesprek next week; a pupil with an own account."""
    import datetime

    from django.utils import timezone

    from besprekingen.models import Agendapunt, Bespreking
    from leerlingen.models import Dossieritem
    from ouders.models import Correctieverzoek
    from plannen.models import Doel, Handelingsplan

    p = personas
    nu = timezone.now()
    p.toestemming_open = f.ToestemmingFactory(
        leerling=p.in_a, ouder=None, status="aangevraagd", wijze="digitaal", doel="zorgniveau")
    p.toestemming_gegeven = f.ToestemmingFactory(leerling=p.in_a, ouder=p.ouder, status="gegeven")
    plan = dict(leerling=p.in_a, auteur=p.mentor, beginsituatie="b", inhoud="i", aanpak="a",
                evaluatiedatum=timezone.localdate() + datetime.timedelta(weeks=6))
    p.concept = Handelingsplan.objects.create(
        status="concept", voorgelegd_op=nu, reactie_voor=nu.date() + datetime.timedelta(days=3), **plan)
    p.vast = Handelingsplan.objects.create(
        status="vastgesteld", vastgesteld_op=nu, ouders_akkoord="niet_akkoord", ouders_akkoord_op=nu,
        ouders_reactie_toelichting="r", ouders_reactie_door=p.ouder, **plan)
    for pl in (p.concept, p.vast):
        Doel.objects.create(handelingsplan=pl, doel="Doel")
    p.verslag = Dossieritem.objects.create(
        leerling=p.in_a, soort="gesprek", auteur=p.mentor, vertrouwelijkheid="ouders", gesprek_met="ouders",
        titel="Gesprek", tekst="t", afspraken="a")
    Correctieverzoek.objects.create(leerling=p.in_a, ingediend_door=p.ouder_user, onderwerp="gegevens", tekst="t")
    Correctieverzoek.objects.create(leerling=p.in_a, ingediend_door=p.ouder_user, onderwerp="anders", tekst="t",
                                    status="beantwoord", antwoord="a", beantwoord_door=p.mentor, beantwoord_op=nu)
    gesprek = Bespreking.objects.create(school=p.school, soort="gesprek", begin=nu + datetime.timedelta(days=7),
                                        voorzitter=p.mentor)
    Agendapunt.objects.create(bespreking=gesprek, leerling=p.in_a)
    p.school.leerlingaccounts = True
    p.school.save()
    p.leerling_user = f.GebruikerFactory(username="leerling")
    p.in_a.gebruiker = p.leerling_user
    p.in_a.save()
    return p


def portaal_bezoeken(p, client):
    """Every portal page a parent opens, with its error and confirmation states."""
    kind = p.in_a.pk
    _toon(client, reverse("ouder_start"))
    _toon(client, reverse("ouder_kind", args=[kind]))
    _toon(client, reverse("ouder_toestemmingen", args=[kind]))
    _toon(client, reverse("ouder_toestemming", args=[p.toestemming_open.pk]))
    _toon(client, reverse("ouder_toestemming", args=[p.toestemming_open.pk]), post={"keuze": "geven"})
    _toon(client, reverse("ouder_toestemming", args=[p.toestemming_open.pk]), post={"keuze": "weigeren"})
    _toon(client, reverse("ouder_toestemming", args=[p.toestemming_gegeven.pk]))
    _toon(client, reverse("ouder_toestemming", args=[p.toestemming_gegeven.pk]), post={"keuze": "intrekken"})
    _toon(client, reverse("inzagelog_kind", args=[kind]))
    _toon(client, reverse("ouder_plannen", args=[kind]))
    for plan in (p.concept, p.vast):
        url = reverse("ouder_plan", args=[plan.pk])
        _toon(client, url)
        _toon(client, url, post={"formulier": "inbreng", "inbreng": "x" * 20000})
        _toon(client, url, post={"formulier": "reactie", "keuze": "akkoord"})
        _toon(client, url, post={"formulier": "reactie", "keuze": "niet_akkoord"})
        _toon(client, url, post={"formulier": "reactie", "keuze": "niet_akkoord", "reden": "r"})
        _toon(client, reverse("ouder_plan_pdf", args=[plan.pk]))
    _toon(client, reverse("ouder_verslagen", args=[kind]))
    _toon(client, reverse("ouder_verslag", args=[p.verslag.pk]))
    _toon(client, reverse("ouder_correcties", args=[kind]))
    _toon(client, reverse("ouder_correctie_nieuw", args=[kind]))
    _toon(client, reverse("ouder_correctie_nieuw", args=[kind]), post={"onderwerp": "x", "tekst": ""})
    _toon(client, reverse("ouder_correctie_nieuw", args=[kind]) + f"?plan={p.vast.pk}")
    meldingen_bezoeken(p.ouder_user, client)


def meldingen_bezoeken(user, client):
    """The portal's notices (one unread, one read) and settings, with an invalid settings form."""
    from zorg.models import Notificatie

    Notificatie.objects.create(ontvanger=user, tekst="Melding", url="/ouders/", email="geen")
    Notificatie.objects.create(ontvanger=user, tekst="Gelezen", email="geen", gelezen_op=timezone.now())
    _toon(client, reverse("portaal_meldingen"))
    _toon(client, reverse("portaal_instellingen"))
    _toon(client, reverse("portaal_instellingen"), post={"email_voorkeur": "", "taal": "xx"})
    Notificatie.objects.filter(ontvanger=user).delete()
    _toon(client, reverse("portaal_meldingen"))


def leerling_bezoeken(p, client):
    _toon(client, reverse("leerling_start"))
    url = reverse("leerling_plan", args=[p.concept.pk])
    _toon(client, url)
    _toon(client, url, post={"inbreng": ""})
    _toon(client, reverse("leerling_plan", args=[p.vast.pk]))
    meldingen_bezoeken(p.leerling_user, client)


def activeren_bezoeken(p, client):
    from ouders import uitnodiging

    url = reverse("ouders_activeren")
    _toon(client, url)
    _toon(client, url, post={"stap": "code", "code": "nonsense"})
    _toon(client, url, post={"stap": "code", "code": "ABCD-EFGH-JKMN"})
    ouder = f.OuderFactory(email="nieuw@example.org")
    f.OuderRelatieFactory(ouder=ouder, leerling=p.in_a)
    _uitnodiging, code = uitnodiging.nodig_uit(ouder, "brief", "nl", p.mentor, p.school)
    _toon(client, url + f"?code={code}")
    _toon(client, url, post={"stap": "account", "code": code, "gebruikersnaam": "",
                             "wachtwoord": "1234", "wachtwoord2": "4321"})


@pytest.mark.parametrize("taal", TALEN)
def test_every_parent_facing_string_is_translated(portaal, client, taal):
    p = portaal
    p.ouder_user.taal = taal
    p.ouder_user.save()
    ouder = p.client(p.ouder_user)
    p.leerling_user.taal = taal
    p.leerling_user.save()
    with ontbrekende_vertalingen(taal) as ontbrekend:
        portaal_bezoeken(p, ouder)
        leerling_bezoeken(p, p.client(p.leerling_user))
        client.cookies[settings.TAAL_COOKIE] = taal
        _toon(client, reverse("login"))
        _toon(client, reverse("login"), post={"username": "", "password": ""})
        activeren_bezoeken(p, client)
    assert not ontbrekend, f"{len(ontbrekend)} untranslated in {taal}:\n" + "\n".join(sorted(ontbrekend))


@pytest.mark.parametrize("taal", TALEN)
def test_parent_emails_and_letter_are_translated(portaal, taal, django_capture_on_commit_callbacks):
    """The notices a parent gets by e-mail (consent asked, plan laid before them, correctieverzoek
    answered), the invitation e-mail and the letter with the code, in the parent's language."""
    from extern import toestemming as regels
    from ouders import correctie, uitnodiging
    from ouders.models import Correctieverzoek
    from plannen import plannen
    from zorg import email, herinnering_regels
    from zorg.models import Notificatie

    p = portaal
    p.ouder_user.taal = taal
    p.ouder_user.email = "ouder@example.org"
    p.ouder_user.save()
    p.ouder.email = "ouder@example.org"
    p.ouder.save()
    p.concept.voorgelegd_op = None
    p.concept.save()
    verzoek = Correctieverzoek.objects.filter(status="open").first()
    mail.outbox.clear()
    with ontbrekende_vertalingen(taal) as ontbrekend, django_capture_on_commit_callbacks(execute=True):
        instelling = f.InstellingFactory(school=p.school)
        regels.vraag_aan(p.zorgcoordinator, p.school, p.in_a, "gegevens_delen", "Delen.", instelling=instelling)
        plannen.leg_voor_aan_ouders(p.mentor, p.concept)
        correctie.beantwoord(p.mentor, p.school, verzoek, "Aangepast.")
        uitnodiging.nodig_uit(p.ouder, "email", taal, p.mentor, p.school)
        brief, code = uitnodiging.nodig_uit(p.ouder, "brief", taal, p.mentor, p.school)
        assert uitnodiging.brieven_pdf([(brief, code)])[:4] == b"%PDF"
        meldingen = list(Notificatie.objects.filter(ontvanger=p.ouder_user).order_by("pk"))
        for melding in meldingen:  # the worker's job, done here: each notice's e-mail, and the digest
            email.stuur_melding(melding)
        email.stuur_overzicht(p.ouder_user, meldingen, timezone.localdate())
        herinneringen = list(herinnering_regels.plan_voor_ouders(p.school, timezone.localdate()))
        voor_reactie = list(herinnering_regels.reactie_ouders(  # the deadline is in two weeks
            p.school, timezone.localdate() + datetime.timedelta(days=12)))
    assert not ontbrekend, f"untranslated in {taal}:\n" + "\n".join(sorted(ontbrekend))
    assert len(meldingen) == 3 and len(mail.outbox) >= 5
    assert [h.ontvangers for h in herinneringen] == [[p.ouder_user]]  # the reminder "plan ready", translated
    assert [h.ontvangers for h in voor_reactie] == [[p.ouder_user]]  # and "your reaction before ..."
    with translation.override(taal):
        assert translation.gettext("Zorgroute: uw overzicht van meldingen") in mail.outbox[-1].subject




def _vertaald_bij_import(pad):
    """Line numbers where a module calls gettext (not the lazy one) at import time: such a text is
    fixed in the language active when the module was imported, and never follows the user's."""
    import ast

    boom = ast.parse(pad.read_text())
    namen = {a.asname or a.name for n in ast.walk(boom) if isinstance(n, ast.ImportFrom)
             and n.module == "django.utils.translation"
             for a in n.names if a.name in ("gettext", "ngettext", "pgettext")}
    regels = []

    def bezoek(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in namen:
            regels.append(node.lineno)
        for kind in ast.iter_child_nodes(node):
            bezoek(kind)

    bezoek(boom)
    return regels


def test_no_text_is_translated_at_import_time():
    basis = Path(settings.BASE_DIR)
    fout = {str(pad.relative_to(basis)): regels for pad in sorted(basis.glob("*/*.py"))
            if pad.parts[len(basis.parts)] not in ("tests", "scripts", ".venv")
            and (regels := _vertaald_bij_import(pad))}
    assert not fout, f"use gettext_lazy for texts made at import time: {fout}"
