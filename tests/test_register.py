"""The register of instellingen and contactpersonen, external accounts by e-mail invitation, and the
school's consent/access settings (issue 6)."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from extern import register
from extern.models import Contactpersoon, ExterneToegang, Instelling
from tests import factories as f
from tests.inloggen import wachtwoord_klopt
from zorg import toegang
from zorg.models import Gebruiker

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


@pytest.fixture
def partner(personas):
    instelling = Instelling.objects.create(school=personas.school, naam="Jeugdteam Oost", soort="jeugdzorg")
    contact = Contactpersoon.objects.create(instelling=instelling, naam="Wendy Tromp", functie="jeugdhulpverlener",
                                            email="w.tromp@jeugdteam.test")
    return contact


def _verwijzing_met_toegang(p, contact):
    """A referral of in_a to the contact's instelling with valid consent and a running grant."""
    from extern.models import Toestemming, Verwijzing

    consent = Toestemming.objects.create(
        leerling=p.in_a, doel="verwijzing", instelling=contact.instelling, ouder=p.ouder, status="gegeven",
        leerling_akkoord=True)
    v = Verwijzing.objects.create(school=p.school, leerling=p.in_a, instelling=contact.instelling, reden="Hulp thuis",
                                  toestemming=consent)
    ExterneToegang.objects.create(verwijzing=v, contactpersoon=contact, tot=timezone.localdate()
                                  + datetime.timedelta(days=30))
    return v


# --- roles -------------------------------------------------------------------------------------

def test_register_list_for_beheerder_and_zorgcoordinator_only(personas, partner):
    p = personas
    url = reverse("register")
    for user in (p.beheerder, p.zorgcoordinator):
        r = p.client(user).get(url)
        assert r.status_code == 200 and "Jeugdteam Oost" in r.content.decode() and "Wendy Tromp" in r.content.decode()
    assert "Instelling toevoegen" in p.client(p.beheerder).get(url).content.decode()
    assert "Instelling toevoegen" not in p.client(p.zorgcoordinator).get(url).content.decode()
    for user in (p.mentor, p.docent, p.teamleider, p.specialist, p.directie, p.ouder_user, p.extern, p.zonder_rol):
        assert p.client(user).get(url).status_code == 404, user


def test_write_urls_are_404_for_everyone_but_the_beheerder(personas, partner):
    p = personas
    urls = [
        ("get", reverse("register_instelling_nieuw")),
        ("get", reverse("register_instelling", args=[partner.instelling.pk])),
        ("post", reverse("register_instelling_verwijderen", args=[partner.instelling.pk])),
        ("get", reverse("register_contactpersoon_nieuw", args=[partner.instelling.pk])),
        ("get", reverse("register_contactpersoon", args=[partner.pk])),
        ("post", reverse("register_uitnodigen", args=[partner.pk])),
    ]
    for user in (p.zorgcoordinator, p.mentor, p.directie, p.ouder_user, p.extern):
        client = p.client(user)
        for methode, url in urls:
            assert getattr(client, methode)(url).status_code == 404, (user, url)
    beheer = p.client(p.beheerder)
    for _methode, url in urls[:2] + urls[3:5]:
        assert beheer.get(url).status_code == 200
    assert beheer.get(urls[2][1]).status_code == 405
    assert Instelling.objects.filter(pk=partner.instelling.pk).exists() and not mail.outbox


def test_other_schools_objects_are_404(personas):
    p = personas
    elders = f.ContactpersoonFactory(instelling=f.InstellingFactory(school=p.andere_school))
    beheer = p.client(p.beheerder)
    assert beheer.get(reverse("register_instelling", args=[elders.instelling.pk])).status_code == 404
    assert beheer.get(reverse("register_contactpersoon", args=[elders.pk])).status_code == 404
    assert beheer.post(reverse("register_uitnodigen", args=[elders.pk])).status_code == 404


# --- instellingen and contactpersonen ----------------------------------------------------------

def test_create_instelling_with_presets_and_validation(personas, partner):
    p = personas
    beheer = p.client(p.beheerder)
    url = reverse("register_instelling_nieuw")
    html = beheer.get(url).content.decode()
    assert 'value="ggd"' in html and 'value="dsz"' not in html and "Bureau Leerplicht" in html
    r = beheer.post(url, {"naam": "jeugdteam oost", "soort": "ggd", "email": "geen-adres", "telefoon": "030-1234"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Er staat al een instelling met de naam jeugdteam oost in het register." in html
    assert "Vul een geldig e-mailadres in" in html and 'value="030-1234"' in html
    r = beheer.post(url, {"naam": "", "soort": "ggd"})
    assert "Vul de naam van de instelling in." in r.content.decode()
    r = beheer.post(url, {"naam": "GGD  Utrecht", "soort": "ggd", "actief": "on"})
    assert r.status_code == 302
    assert Instelling.objects.get(school=p.school, naam="GGD Utrecht").soort == "ggd"


def test_aruba_school_gets_dsz_and_wgk_first(personas):
    p = personas
    p.school.land = "AW"
    p.school.save()
    html = p.client(p.beheerder).get(reverse("register_instelling_nieuw")).content.decode()
    assert html.index('value="dsz"') < html.index('value="wgk"') < html.index('value="anders"')
    assert 'value="veilig_thuis"' not in html and "Directie Sociale Zaken" in html


def test_unused_instelling_is_deleted_used_one_deactivated(personas, partner):
    p = personas
    beheer = p.client(p.beheerder)
    leeg = Instelling.objects.create(school=p.school, naam="Leeg")
    beheer.post(reverse("register_instelling_verwijderen", args=[leeg.pk]))
    assert not Instelling.objects.filter(pk=leeg.pk).exists()
    v = _verwijzing_met_toegang(p, partner)
    partner.gebruiker = f.GebruikerFactory()
    partner.save()
    assert toegang.verwijzingen_extern(partner.gebruiker) == [v]
    r = beheer.post(reverse("register_instelling_verwijderen", args=[partner.instelling.pk]), follow=True)
    assert "niet verwijderd maar op niet actief gezet" in r.content.decode()
    partner.instelling.refresh_from_db()
    assert not partner.instelling.actief
    assert ExterneToegang.objects.get(verwijzing=v).ingetrokken_op is not None
    assert toegang.verwijzingen_extern(Gebruiker.objects.get(pk=partner.gebruiker_id)) == []


def test_contactpersoon_create_and_validation(personas, partner):
    p = personas
    beheer = p.client(p.beheerder)
    url = reverse("register_contactpersoon_nieuw", args=[partner.instelling.pk])
    r = beheer.post(url, {"naam": "Piet Jansen", "functie": "jeugdarts", "email": "W.Tromp@jeugdteam.test"})
    html = r.content.decode()
    assert "Dit e-mailadres hoort al bij een andere contactpersoon van deze school." in html
    assert 'value="Piet Jansen"' in html and 'value="jeugdarts"' in html
    assert "Vul de naam van de contactpersoon in." in beheer.post(url, {"naam": " "}).content.decode()
    r = beheer.post(url, {"naam": "Piet Jansen", "functie": "jeugdarts", "email": "p.jansen@ggd.test", "actief": "on"})
    assert r.status_code == 302
    assert partner.instelling.contactpersonen.get(naam="Piet Jansen").email == "p.jansen@ggd.test"


# --- invitation --------------------------------------------------------------------------------

def test_invitation_mail_sets_password_and_logs_in(personas, partner, settings):
    settings.SITE_URL = "https://zorg.example.test"
    p = personas
    r = p.client(p.beheerder).post(reverse("register_uitnodigen", args=[partner.pk]), follow=True)
    assert "De uitnodiging is verstuurd naar w.tromp@jeugdteam.test." in r.content.decode()
    partner.refresh_from_db()
    gebruiker = partner.gebruiker
    assert gebruiker.username == "w.tromp@jeugdteam.test" and not gebruiker.has_usable_password()
    assert partner.uitgenodigd_op is not None
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.to == ["w.tromp@jeugdteam.test"] and "Uitnodiging" in bericht.subject
    html = bericht.alternatives[0][0]
    link = re.search(r"https://zorg\.example\.test(/wachtwoord/herstel/\S+/)", bericht.body).group(1)
    assert link in html and "Beste Wendy Tromp" in bericht.body

    client = Client()
    r = client.get(link, follow=True)
    assert r.status_code == 200
    set_url = r.redirect_chain[-1][0] if r.redirect_chain else link
    r = client.post(set_url, {"new_password1": "Zorgroute-partner-2026", "new_password2": "Zorgroute-partner-2026"})
    assert r.status_code == 302
    assert wachtwoord_klopt(Client(), "w.tromp@jeugdteam.test", "Zorgroute-partner-2026")
    # The link works once.
    assert "new_password1" not in Client().get(link, follow=True).content.decode()


def test_resend_reuses_the_account(personas, partner):
    p = personas
    beheer = p.client(p.beheerder)
    beheer.post(reverse("register_uitnodigen", args=[partner.pk]))
    eerste = Contactpersoon.objects.get(pk=partner.pk).gebruiker_id
    r = beheer.post(reverse("register_uitnodigen", args=[partner.pk]), follow=True)
    assert "opnieuw verstuurd" in r.content.decode()
    assert Contactpersoon.objects.get(pk=partner.pk).gebruiker_id == eerste and len(mail.outbox) == 2
    assert Gebruiker.objects.filter(email="w.tromp@jeugdteam.test").count() == 1


def test_invitation_needs_email_and_active_contact(personas, partner):
    p = personas
    zonder = Contactpersoon.objects.create(instelling=partner.instelling, naam="Zonder Mail")
    r = p.client(p.beheerder).post(reverse("register_uitnodigen", args=[zonder.pk]), follow=True)
    assert "Vul eerst een e-mailadres in bij Zonder Mail" in r.content.decode()
    assert not mail.outbox and Contactpersoon.objects.get(pk=zonder.pk).gebruiker is None


def test_username_taken_gets_a_suffix(personas, partner):
    f.GebruikerFactory(username="w.tromp@jeugdteam.test")
    gebruiker = register.uitnodigen(partner, personas.beheerder)
    assert gebruiker.username == "w.tromp@jeugdteam.test-2"


# --- deactivation cuts access ------------------------------------------------------------------

def test_deactivating_a_contact_cuts_access_at_once(personas, partner):
    p = personas
    register.uitnodigen(partner, p.beheerder)
    partner.refresh_from_db()
    gebruiker = partner.gebruiker
    gebruiker.set_password("geheim-123-abc")
    gebruiker.save()
    v = _verwijzing_met_toegang(p, partner)
    assert [x.pk for x in toegang.verwijzingen_extern(Gebruiker.objects.get(pk=gebruiker.pk))] == [v.pk]
    r = p.client(p.beheerder).post(reverse("register_contactpersoon", args=[partner.pk]), {
        "naam": partner.naam, "functie": partner.functie, "email": partner.email, "telefoon": ""}, follow=True)
    assert "de toegang is direct afgesloten" in r.content.decode()
    gebruiker.refresh_from_db()
    assert not gebruiker.is_active
    assert ExterneToegang.objects.get(verwijzing=v).ingetrokken_op is not None
    assert toegang.verwijzingen_extern(Gebruiker.objects.get(pk=gebruiker.pk)) == []
    assert not wachtwoord_klopt(Client(), gebruiker.username, "geheim-123-abc")


# --- school settings ---------------------------------------------------------------------------

def test_school_settings_consent_ages_and_grant_months(personas):
    p = personas
    beheer = p.client(p.beheerder)
    data = {"instellingen": "1", "evaluatie_weken": "6", "toestemming_leerling_mee_vanaf": "16",
            "toestemming_leerling_zelf_vanaf": "14", "toegang_extern_maanden": "3"}
    r = beheer.post(reverse("beheer"), data)
    html = r.content.decode()
    assert r.status_code == 200
    assert "moet hoger zijn dan de leeftijd waarop de leerling meebeslist" in html
    assert 'value="16"' in html and 'value="14"' in html
    r = beheer.post(reverse("beheer"), {**data, "toegang_extern_maanden": "30"})
    assert "Kies hoogstens 24 maanden." in r.content.decode()
    r = beheer.post(reverse("beheer"), {**data, "toestemming_leerling_mee_vanaf": "11",
                                         "toestemming_leerling_zelf_vanaf": "15", "toegang_extern_maanden": "6"})
    assert r.status_code == 302
    p.school.refresh_from_db()
    assert (p.school.toestemming_leerling_mee_vanaf, p.school.toestemming_leerling_zelf_vanaf,
            p.school.toegang_extern_maanden) == (11, 15, 6)
    assert reverse("register") in beheer.get(reverse("beheer")).content.decode()
