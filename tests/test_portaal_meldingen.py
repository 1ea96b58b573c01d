"""The portal's own notices and settings (/ouders/meldingen/, /ouders/instellingen/): only the user's
own notices, opened inside the site only; the e-mail setting and the language saved together; and
the notice e-mails of parents link to these portal pages while staff keep the staff pages."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests import factories as f
from zorg import email as meldingmail
from zorg.models import Notificatie

pytestmark = pytest.mark.django_db


def melding(user, tekst, url="", **kwargs):
    return Notificatie.objects.create(ontvanger=user, tekst=tekst, url=url, email="geen", **kwargs)


@pytest.fixture
def leerling_account(personas):
    p = personas
    p.school.leerlingaccounts = True
    p.school.save()
    p.leerling_user = f.GebruikerFactory(username="leerling")
    p.in_a.gebruiker = p.leerling_user
    p.in_a.save()
    return p


def test_list_shows_only_own_notices_unread_first(personas):
    p = personas
    melding(p.ouder_user, "Oude gelezen melding", gelezen_op=timezone.now())
    melding(p.ouder_user, "Nieuwe melding voor ouder")
    melding(p.mentor, "Melding voor de mentor")
    antwoord = p.client(p.ouder_user).get(reverse("portaal_meldingen"))
    html = antwoord.content.decode()
    assert antwoord.status_code == 200
    assert "Nieuwe melding voor ouder" in html and "Oude gelezen melding" in html
    assert "Melding voor de mentor" not in html
    assert html.index("Nieuwe melding voor ouder") < html.index("Oude gelezen melding")
    assert 'class="merk"' in html and "portaal" in html  # the portal layout, not the staff one
    # The header links to the notices with the unread count in the accessible name, and to the settings.
    assert 'aria-label="Meldingen: 1 ongelezen"' in html and reverse("portaal_instellingen") in html


def test_opening_marks_read_and_follows_only_inside_links(personas):
    p = personas
    client = p.client(p.ouder_user)
    binnen = melding(p.ouder_user, "Binnen", url=reverse("ouder_start"))
    buiten = melding(p.ouder_user, "Buiten", url="https://kwaadaardig.example/")
    antwoord = client.post(reverse("portaal_melding_open", args=[binnen.pk]))
    assert antwoord.status_code == 302 and antwoord["Location"] == reverse("ouder_start")
    antwoord = client.post(reverse("portaal_melding_open", args=[buiten.pk]))
    assert antwoord["Location"] == reverse("portaal_meldingen")
    binnen.refresh_from_db()
    buiten.refresh_from_db()
    assert binnen.gelezen_op and buiten.gelezen_op
    # Someone else's notice: 404; GET is not allowed.
    ander = melding(p.mentor, "Van een ander")
    assert client.post(reverse("portaal_melding_open", args=[ander.pk])).status_code == 404
    assert client.get(reverse("portaal_melding_open", args=[binnen.pk])).status_code == 405


def test_all_read(personas):
    p = personas
    melding(p.ouder_user, "Een")
    melding(p.ouder_user, "Twee")
    anders = melding(p.mentor, "Van de mentor")
    antwoord = p.client(p.ouder_user).post(reverse("portaal_meldingen_gelezen"))
    assert antwoord["Location"] == reverse("portaal_meldingen")
    assert not Notificatie.objects.filter(ontvanger=p.ouder_user, gelezen_op__isnull=True).exists()
    anders.refresh_from_db()
    assert anders.gelezen_op is None


def test_settings_save_preference_and_language(personas):
    p = personas
    client = p.client(p.ouder_user)
    assert client.get(reverse("portaal_instellingen")).status_code == 200
    antwoord = client.post(reverse("portaal_instellingen"), {"email_voorkeur": "dagelijks", "taal": "pap"},
                           follow=True)
    p.ouder_user.refresh_from_db()
    assert p.ouder_user.email_voorkeur == "dagelijks" and p.ouder_user.taal == "pap"
    html = antwoord.content.decode()
    assert 'lang="pap"' in html and 'role="status"' in html
    assert 'lang="pap"' in client.get(reverse("ouder_start")).content.decode()


def test_settings_invalid_input_keeps_the_choice(personas):
    p = personas
    antwoord = p.client(p.ouder_user).post(reverse("portaal_instellingen"), {"email_voorkeur": "uit", "taal": "xx"})
    html = antwoord.content.decode()
    assert antwoord.status_code == 200 and "Kies een van de talen in de lijst." in html
    assert re.search(r'value="uit"[^>]*checked', html)  # the input is kept
    p.ouder_user.refresh_from_db()
    assert p.ouder_user.email_voorkeur != "uit" and p.ouder_user.taal == "nl"  # nothing saved


def test_pupil_with_account_has_the_pages(leerling_account):
    p = leerling_account
    melding(p.leerling_user, "Je plan staat klaar")
    client = p.client(p.leerling_user)
    assert "Je plan staat klaar" in client.get(reverse("portaal_meldingen")).content.decode()
    assert client.get(reverse("portaal_instellingen")).status_code == 200


@pytest.mark.parametrize("wie", ["mentor", "zorgcoordinator", "beheerder", "extern", "zonder_rol"])
def test_others_get_404(personas, wie):
    p = personas
    client = p.client(getattr(p, wie))
    for url in (reverse("portaal_meldingen"), reverse("portaal_instellingen")):
        assert client.get(url).status_code == 404
    assert client.post(reverse("portaal_meldingen_gelezen")).status_code == 404


def test_anonymous_goes_to_login(client):
    antwoord = client.get(reverse("portaal_meldingen"))
    assert antwoord.status_code == 302 and reverse("login") in antwoord["Location"]


@override_settings(SITE_URL="https://zorg.school.test")
def test_parent_email_links_to_the_portal_staff_email_to_staff_pages(personas):
    p = personas
    for user in (p.ouder_user, p.mentor):
        user.email = f"{user.username}@example.org"
        user.save()
    meldingmail.stuur_melding(melding(p.ouder_user, "Voor de ouder", url="https://kwaadaardig.example/"))
    meldingmail.stuur_overzicht(p.ouder_user, [melding(p.ouder_user, "Overzicht ouder")], timezone.localdate())
    meldingmail.stuur_melding(melding(p.mentor, "Voor de mentor"))
    ouder_mail, ouder_overzicht, mentor_mail = mail.outbox
    site = "https://zorg.school.test"
    for bericht in (ouder_mail, ouder_overzicht):
        tekst = bericht.body + bericht.alternatives[0][0]
        assert site + reverse("portaal_instellingen") in tekst
        assert site + reverse("notificatie_instellingen") not in tekst
    assert site + reverse("portaal_meldingen") in ouder_mail.body  # the outside link falls back to the portal list
    assert site + reverse("portaal_meldingen") in ouder_overzicht.body
    tekst = mentor_mail.body + mentor_mail.alternatives[0][0]
    assert site + reverse("notificatie_instellingen") in tekst and "/ouders/" not in tekst
    assert escape("Voor de mentor") in tekst
