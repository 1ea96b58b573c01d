"""Invitations to the parent portal (issue 8): one-time codes (only their hash stored), the e-mail
invitation end to end, the letter PDF, bad codes, withdrawal by a newer invitation, permissions,
the bulk invitation of a klas, pupil accounts and the language of the e-mail."""

import base64
import re
import subprocess
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ouders import uitnodiging as regels
from ouders.models import Uitnodiging
from tests import factories as f
from zorg.models import Gebruiker

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

WACHTWOORD = "paars-fietsje-onder-de-brug"


def pdf_tekst(data):
    uit = subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(uit.stdout.decode().split())


def nieuwe_ouder(leerling, email="moeder@example.org", **kwargs):
    ouder = f.OuderFactory(gebruiker=None, email=email, **kwargs)
    f.OuderRelatieFactory(ouder=ouder, leerling=leerling)
    return ouder


def link_uit(bericht):
    return re.search(r"https?://\S+/ouders/activeren/\?code=[A-Z0-9-]+", bericht.body).group(0)


# --- The code --------------------------------------------------------------------------------------


def test_code_normaliseren_en_tonen():
    code = regels.nieuwe_code()
    assert len(code) == 12 and set(code) <= set(regels.ALFABET)
    assert not set("01OIL") & set(regels.ALFABET)
    getoond = regels.toon_code(code)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", getoond)
    assert regels.code_hash(f" {getoond.lower()} ") == regels.code_hash(code)
    assert regels.code_hash(getoond.replace("-", " ")) == regels.code_hash(code)


def test_alleen_hash_opgeslagen(personas):
    p = personas
    ouder = nieuwe_ouder(p.in_a)
    uitnodiging, code = regels.nodig_uit(ouder, "brief", "nl", p.mentor, p.school)
    uitnodiging.refresh_from_db()
    assert uitnodiging.code_hash == regels.code_hash(code) != code
    velden = [str(getattr(uitnodiging, veld.attname)) for veld in Uitnodiging._meta.concrete_fields]
    assert not any(code in waarde or regels.toon_code(code) in waarde for waarde in velden)
    assert (uitnodiging.verloopt_op - timezone.now()).days in (29, 30)


# --- E-mail end to end ------------------------------------------------------------------------------


def test_email_uitnodiging_eind_tot_eind(personas):
    p = personas
    ouder = nieuwe_ouder(p.in_a, email="Ouder.Test@example.org")
    pagina = p.client(p.mentor).get(reverse("ouders_portaal", args=[p.in_a.pk]))
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert escape(ouder.naam) in html and "nog niet uitgenodigd" in html and "Uitnodigen per e-mail" in html

    r = p.client(p.mentor).post(reverse("ouder_uitnodigen", args=[p.in_a.pk]),
                                {"persoon": f"ouder-{ouder.pk}", "soort": "email", "taal": "nl"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.to == ["Ouder.Test@example.org"]
    assert p.school.naam in bericht.subject
    assert bericht.alternatives and bericht.alternatives[0][1] == "text/html"
    link = link_uit(bericht)
    assert "uitgenodigd op" in p.client(p.mentor).get(reverse("ouders_portaal", args=[p.in_a.pk])).content.decode()

    from django.test import Client

    anoniem = Client()
    pad = link.split("://", 1)[1].split("/", 1)[1]
    stap2 = anoniem.get("/" + pad)
    assert stap2.status_code == 200
    html = stap2.content.decode()
    assert 'name="wachtwoord1"' in html and 'value="ouder.test@example.org"' in html
    code = pad.split("code=")[1]
    r = anoniem.post(reverse("ouders_activeren"), {
        "stap": "account", "code": code, "gebruikersnaam": "ouder.test@example.org",
        "wachtwoord1": WACHTWOORD, "wachtwoord2": WACHTWOORD,
    })
    assert r.status_code == 302 and r["Location"] == reverse("ouder_start")
    ouder.refresh_from_db()
    gebruiker = ouder.gebruiker
    assert gebruiker.username == "ouder.test@example.org" and gebruiker.email == "Ouder.Test@example.org"
    assert gebruiker.check_password(WACHTWOORD) and gebruiker.taal == "nl"
    assert Uitnodiging.objects.get(ouder=ouder).gebruikt_op is not None
    start = anoniem.get(reverse("ouder_start"))
    assert start.status_code == 200 and escape(p.in_a.voornaam) in start.content.decode()
    assert escape(p.in_b.voornaam) not in start.content.decode() or p.in_b.voornaam == p.in_a.voornaam
    # Now active: the staff page says so, and the code is spent.
    assert "actief" in p.client(p.mentor).get(reverse("ouders_portaal", args=[p.in_a.pk])).content.decode()
    opnieuw = Client().post(reverse("ouders_activeren"), {"stap": "code", "code": code})
    assert "al gebruikt" in opnieuw.content.decode()


def test_geen_email_knop_zonder_adres(personas):
    p = personas
    nieuwe_ouder(p.in_a, email="")
    html = p.client(p.mentor).get(reverse("ouders_portaal", args=[p.in_a.pk])).content.decode()
    assert "Uitnodigen per e-mail" not in html and "Brief met code (PDF)" in html


def test_email_zonder_adres_geweigerd(personas):
    p = personas
    ouder = nieuwe_ouder(p.in_a, email="")
    with pytest.raises(regels.UitnodigingFout):
        regels.nodig_uit(ouder, "email", "nl", p.mentor, p.school)
    assert not Uitnodiging.objects.filter(ouder=ouder).exists()


def test_email_in_gekozen_taal(personas):
    p = personas
    ouder = nieuwe_ouder(p.in_a)
    regels.nodig_uit(ouder, "email", "en", p.mentor, p.school)
    regels.nodig_uit(ouder, "email", "nl", p.mentor, p.school)
    en, nl = mail.outbox
    # No catalogs yet: the English e-mail's HTML declares its language; the Dutch one Dutch.
    assert 'lang="en"' in en.alternatives[0][0] and 'lang="nl"' in nl.alternatives[0][0]
    assert Uitnodiging.objects.filter(ouder=ouder, taal="en").exists()


def test_ouder_niet_van_school_niet_uit_te_nodigen(personas):
    p = personas
    ouder = nieuwe_ouder(p.elders)
    with pytest.raises(regels.UitnodigingFout):
        regels.nodig_uit(ouder, "brief", "nl", p.mentor, p.school)


# --- The letter ------------------------------------------------------------------------------------


def test_brief_is_pdf_met_code(benoemde_personas):
    p = benoemde_personas  # a short fixed name: a long generated one can be hyphenated in the letter (CI, by chance)
    ouder = nieuwe_ouder(p.in_a, email="")
    r = p.client(p.mentor).post(reverse("ouder_uitnodigen", args=[p.in_a.pk]),
                                {"persoon": f"ouder-{ouder.pk}", "soort": "brief", "taal": "nl"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert "no-store" in r["Cache-Control"]
    tekst = pdf_tekst(r.content)
    uitnodiging = Uitnodiging.objects.get(ouder=ouder)
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", tekst).group(0)
    assert regels.code_hash(code) == uitnodiging.code_hash
    assert "/ouders/activeren/" in tekst and p.in_a.voornaam in tekst and p.school.naam in tekst
    assert len(mail.outbox) == 0


# --- Bad codes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("geval,melding", [
    ("verlopen", "verlopen"), ("gebruikt", "al gebruikt"), ("ingetrokken", "geldt niet meer"),
    ("onzin", "kennen wij niet"), ("leeg", "Vul de code in"), ("kort", "12 letters en cijfers"),
])
def test_slechte_code(personas, client, geval, melding):
    p = personas
    ouder = nieuwe_ouder(p.in_a)
    uitnodiging, code = regels.nodig_uit(ouder, "brief", "nl", p.mentor, p.school)
    if geval == "verlopen":
        Uitnodiging.objects.filter(pk=uitnodiging.pk).update(verloopt_op=timezone.now() - timedelta(minutes=1))
    elif geval == "gebruikt":
        Uitnodiging.objects.filter(pk=uitnodiging.pk).update(gebruikt_op=timezone.now())
    elif geval == "ingetrokken":
        Uitnodiging.objects.filter(pk=uitnodiging.pk).update(ingetrokken_op=timezone.now())
    elif geval == "onzin":
        code = "ZZZZ-ZZZZ-ZZZ2"
    elif geval == "kort":
        code = code[:11]
    else:
        code = " - "
    aantal = Gebruiker.objects.count()
    for data in ({"stap": "code", "code": code},
                 {"stap": "account", "code": code, "gebruikersnaam": "nieuw", "wachtwoord1": WACHTWOORD,
                  "wachtwoord2": WACHTWOORD}):
        r = client.post(reverse("ouders_activeren"), data)
        html = r.content.decode()
        assert r.status_code == 200 and melding in html
        assert escape(ouder.naam) not in html and escape(p.in_a.voornaam) not in html
    with pytest.raises(regels.ActivatieFout):
        regels.activeer(code, "nieuw", WACHTWOORD, WACHTWOORD)
    assert Gebruiker.objects.count() == aantal
    ouder.refresh_from_db()
    assert ouder.gebruiker is None


def test_fouten_in_formulier_houden_invoer(personas, client):
    p = personas
    ouder = nieuwe_ouder(p.in_a)
    _u, code = regels.nodig_uit(ouder, "brief", "nl", p.mentor, p.school)
    f.GebruikerFactory(username="bezet")
    r = client.post(reverse("ouders_activeren"), {
        "stap": "account", "code": code, "gebruikersnaam": "bezet", "wachtwoord1": "kort", "wachtwoord2": "kort"})
    html = r.content.decode()
    assert "al in gebruik" in html and 'value="bezet"' in html and 'value="kort"' not in html
    r = client.post(reverse("ouders_activeren"), {
        "stap": "account", "code": code, "gebruikersnaam": "nieuwe.ouder", "wachtwoord1": WACHTWOORD,
        "wachtwoord2": WACHTWOORD + "x"})
    assert "niet gelijk" in r.content.decode()
    r = client.post(reverse("ouders_activeren"), {
        "stap": "account", "code": code, "gebruikersnaam": "nieuwe.ouder", "wachtwoord1": "12345678901",
        "wachtwoord2": "12345678901"})
    assert r.status_code == 200 and 'class="veldfout"' in r.content.decode()
    ouder.refresh_from_db()
    assert ouder.gebruiker is None


def test_bestaand_account_krijgt_nieuw_wachtwoord(personas, client):
    p = personas
    _u, code = regels.nodig_uit(p.ouder, "brief", "nl", p.mentor, p.school)
    stap2 = client.get(reverse("ouders_activeren"), {"code": code}).content.decode()
    assert 'name="gebruikersnaam"' not in stap2
    r = client.post(reverse("ouders_activeren"), {
        "stap": "account", "code": code, "wachtwoord1": WACHTWOORD, "wachtwoord2": WACHTWOORD})
    assert r.status_code == 302
    p.ouder_user.refresh_from_db()
    assert p.ouder_user.username == "ouder" and p.ouder_user.check_password(WACHTWOORD)


def test_code_neemt_geen_medewerkersaccount_over(personas, client):
    """A teacher who is also a parent: the code printed by a colleague must not set the teacher's
    password (which guards care data), and a blocked account stays blocked."""
    p = personas
    ouder = nieuwe_ouder(p.in_a)
    ouder.gebruiker = p.docent
    ouder.save()
    oud_wachtwoord = p.docent.password
    _u, code = regels.nodig_uit(ouder, "brief", "nl", p.mentor, p.school)
    r = client.get(reverse("ouders_activeren"), {"code": code})
    assert "als medewerker of partner" in r.content.decode()
    with pytest.raises(regels.ActivatieFout):
        regels.activeer(code, None, WACHTWOORD, WACHTWOORD)
    p.docent.refresh_from_db()
    assert p.docent.password == oud_wachtwoord

    p.ouder_user.is_active = False
    p.ouder_user.geblokkeerd_op = timezone.now()
    p.ouder_user.save()
    _u, code = regels.nodig_uit(p.ouder, "brief", "nl", p.mentor, p.school)
    r = client.post(reverse("ouders_activeren"), {
        "stap": "account", "code": code, "wachtwoord1": WACHTWOORD, "wachtwoord2": WACHTWOORD})
    assert "geblokkeerd" in r.content.decode()
    p.ouder_user.refresh_from_db()
    assert not p.ouder_user.is_active and not p.ouder_user.check_password(WACHTWOORD)


def test_nieuwe_uitnodiging_trekt_oude_in(personas, client):
    p = personas
    ouder = nieuwe_ouder(p.in_a)
    oud, oude_code = regels.nodig_uit(ouder, "email", "nl", p.mentor, p.school)
    nieuw, nieuwe_code = regels.nodig_uit(ouder, "brief", "nl", p.zorgcoordinator, p.school)
    oud.refresh_from_db()
    assert oud.ingetrokken_op is not None and nieuw.is_bruikbaar
    r = client.post(reverse("ouders_activeren"), {"stap": "code", "code": oude_code})
    assert "geldt niet meer" in r.content.decode()
    assert regels.activeer(nieuwe_code, "ouder.nieuw", WACHTWOORD, WACHTWOORD).username == "ouder.nieuw"


# --- Permissions ---------------------------------------------------------------------------------


def test_wie_mag_uitnodigen(personas):
    p = personas
    ouder = nieuwe_ouder(p.in_a)
    pad = reverse("ouders_portaal", args=[p.in_a.pk])
    for user in (p.mentor, p.teamleider, p.zorgcoordinator, p.beheerder):
        assert p.client(user).get(pad).status_code == 200, user
    assert p.client(p.docent).get(pad).status_code == 403
    for user in (p.andere_mentor, p.specialist, p.ouder_user, p.extern, p.zonder_rol):
        assert p.client(user).get(pad).status_code == 404, user
    post = p.client(p.andere_mentor).post(reverse("ouder_uitnodigen", args=[p.in_a.pk]),
                                          {"persoon": f"ouder-{ouder.pk}", "soort": "brief", "taal": "nl"})
    assert post.status_code == 404 and not Uitnodiging.objects.exists()
    # An ouder of another pupil through this pupil's page: 404.
    vreemde = nieuwe_ouder(p.in_b)
    post = p.client(p.mentor).post(reverse("ouder_uitnodigen", args=[p.in_a.pk]),
                                   {"persoon": f"ouder-{vreemde.pk}", "soort": "brief", "taal": "nl"})
    assert post.status_code == 404
    assert p.client(p.mentor).get(reverse("ouders_portaal", args=[p.elders.pk])).status_code == 404
    assert p.client(p.mentor).get(reverse("ouder_uitnodigen", args=[p.in_a.pk])).status_code == 405


def test_klas_pagina_rechten(personas):
    p = personas
    pad = reverse("klas_ouders_uitnodigen", args=[p.klas_a.pk])
    for user in (p.mentor, p.teamleider, p.zorgcoordinator, p.beheerder):
        assert p.client(user).get(pad).status_code == 200, user
    for user in (p.andere_mentor, p.docent, p.directie, p.specialist, p.ouder_user, p.extern, p.zonder_rol):
        assert p.client(user).get(pad).status_code == 404, user
    assert p.client(p.mentor).get(reverse("klas_ouders_uitnodigen", args=[p.andere_klas.pk])).status_code == 404


# --- Bulk for a klas --------------------------------------------------------------------------------


def test_klas_in_een_keer_uitnodigen(personas):
    p = personas
    tweede = f.KlasplaatsingFactory(klas=p.klas_a).leerling
    met_email = nieuwe_ouder(p.in_a, email="a@example.org")
    zonder_email = nieuwe_ouder(tweede, email="")
    f.OuderRelatieFactory(ouder=met_email, leerling=tweede)  # one ouder, two children: one e-mail
    pad = reverse("klas_ouders_uitnodigen", args=[p.klas_a.pk])
    html = p.client(p.mentor).get(pad).content.decode()
    assert escape(met_email.naam) in html and escape(p.ouder.naam) in html
    r = p.client(p.mentor).post(pad, {"taal": "nl"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "1 uitnodiging per e-mail verstuurd" in html
    assert "1 brief met code gemaakt" in html
    assert "1 ouder overgeslagen" in html  # p.ouder has an active account
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.org"]
    assert not Uitnodiging.objects.filter(ouder=p.ouder).exists()
    assert Uitnodiging.objects.filter(ouder=zonder_email, soort="brief").count() == 1
    data = re.search(r'href="data:application/pdf;base64,([^"]+)"', html).group(1)
    pdf = base64.b64decode(data)
    assert pdf.startswith(b"%PDF")
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", pdf_tekst(pdf)).group(0)
    assert regels.code_hash(code) == Uitnodiging.objects.get(ouder=zonder_email).code_hash
    assert "no-store" in r["Cache-Control"]
    # Again: the ouders with a valid invitation are left out, unless asked for.
    html = p.client(p.mentor).post(pad, {"taal": "nl"}).content.decode()
    assert "2 ouders overgeslagen: hebben al een geldige uitnodiging" in html and len(mail.outbox) == 1
    html = p.client(p.mentor).post(pad, {"taal": "en", "opnieuw": "on"}).content.decode()
    assert "1 uitnodiging per e-mail verstuurd" in html and len(mail.outbox) == 2
    assert Uitnodiging.objects.filter(ouder=zonder_email, ingetrokken_op__isnull=True).count() == 1
    assert Uitnodiging.objects.get(ouder=met_email, ingetrokken_op__isnull=True).taal == "en"


# --- Pupil accounts ----------------------------------------------------------------------------------


def test_leerling_uitnodigen_alleen_met_leerlingaccounts(personas, client):
    p = personas
    pad = reverse("ouders_portaal", args=[p.in_a.pk])
    assert "Account van de leerling" not in p.client(p.mentor).get(pad).content.decode()
    with pytest.raises(regels.UitnodigingFout):
        regels.nodig_uit(p.in_a, "brief", "nl", p.mentor, p.school)
    p.school.leerlingaccounts = True
    p.school.save()
    assert "Account van de leerling" in p.client(p.mentor).get(pad).content.decode()
    r = p.client(p.mentor).post(reverse("ouder_uitnodigen", args=[p.in_a.pk]),
                                {"persoon": "leerling", "soort": "brief", "taal": "pap"})
    assert r.content.startswith(b"%PDF")
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", pdf_tekst(r.content)).group(0)
    r = client.post(reverse("ouders_activeren"), {
        "stap": "account", "code": code, "gebruikersnaam": "leerling.a", "wachtwoord1": WACHTWOORD,
        "wachtwoord2": WACHTWOORD})
    assert r.status_code == 302
    p.in_a.refresh_from_db()
    assert p.in_a.gebruiker.username == "leerling.a" and p.in_a.gebruiker.taal == "pap"


def test_inlogpagina_verwijst_naar_activeren(client):
    html = client.get(reverse("login")).content.decode()
    assert reverse("ouders_activeren") in html


def test_code_stap_en_taal_van_de_uitnodiging(personas, client):
    p = personas
    ouder = nieuwe_ouder(p.in_a)
    _u, code = regels.nodig_uit(ouder, "brief", "en", p.mentor, p.school)
    r = client.post(reverse("ouders_activeren"), {"stap": "code", "code": code.lower()})
    assert r.status_code == 302 and r["Location"].endswith("?code=" + regels.toon_code(code))
    # No language chosen on this device: the page follows the invitation's language.
    assert '<html lang="en"' in client.get(r["Location"]).content.decode()
    client.cookies["zorgroute_taal"] = "es"
    assert '<html lang="es"' in client.get(r["Location"]).content.decode()
