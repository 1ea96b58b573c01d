"""Stored hostile text is kept verbatim and rendered escaped: staff pages, portal pages, the HTML
handed to WeasyPrint for PDFs, and the notice e-mails (issue 9, "Bad input")."""

import pytest
from django.core import mail
from django.urls import reverse

from leerlingen.models import Dossieritem
from plannen import pdf
from tests.fuzz import SCRIPT
from tests.test_urls import wereld  # noqa: F401 (fixture)
from zorg import email
from zorg.models import Notificatie

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

VIJANDIG = f'{SCRIPT} "><img src=x onerror=alert(1)> {{{{ 7*7 }}}}'
RAUW = (SCRIPT, "<img src=x onerror=alert(1)>")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def veilig(html):
    return not any(r in html for r in RAUW)


@pytest.fixture
def besmet(db, request):
    """Every free-text field of the world's pupil, plan, dossier and correctieverzoek holds hostile text."""
    p = request.getfixturevalue("wereld")
    p.in_a.voornaam = f"Aafke{SCRIPT}"  # names come in through the import
    p.in_a.save()
    Dossieritem.objects.filter(pk=p.item.pk).update(tekst=VIJANDIG, afspraken=VIJANDIG)
    for veld in ("beginsituatie", "onderwijsbehoeften", "aanpak", "afspraken_ouders", "inbreng_ouders",
                 "inbreng_leerling"):
        setattr(p.plan, veld, VIJANDIG)
    p.plan.save()
    p.plan.doelen.update(doel=VIJANDIG)
    p.correctieverzoek.tekst = VIJANDIG
    p.correctieverzoek.save()
    return p


@pytest.mark.parametrize("persona, url", [
    ("mentor", lambda p: reverse("leerling", args=[p.in_a.pk])),
    ("mentor", lambda p: reverse("dossier_item", args=[p.in_a.pk, p.item.pk])),
    ("mentor", lambda p: reverse("handelingsplan", args=[p.plan.pk])),
    ("mentor", lambda p: reverse("klas", args=[p.klas_a.pk])),
    ("mentor", lambda p: reverse("correctieverzoek", args=[p.correctieverzoek.pk])),
    ("ouder_user", lambda p: reverse("ouder_plan", args=[p.plan.pk])),
    ("ouder_user", lambda p: reverse("ouder_kind", args=[p.in_a.pk])),
    ("ouder_user", lambda p: reverse("ouder_correcties", args=[p.in_a.pk])),
    ("leerling_user", lambda p: reverse("leerling_plan", args=[p.plan.pk])),
])
def test_hostile_text_is_escaped_on_the_page(besmet, persona, url):
    p = besmet
    response = p.client(getattr(p, persona)).get(url(p))
    assert response.status_code == 200
    html = response.content.decode()
    assert veilig(html), "onge-escapete markup op de pagina"
    assert ESCAPED in html, "de opgeslagen tekst staat niet (ge-escapet) op de pagina"


def test_stored_text_is_kept_verbatim(besmet):
    p = besmet
    p.plan.refresh_from_db()
    assert p.plan.aanpak == VIJANDIG
    assert Dossieritem.objects.get(pk=p.item.pk).tekst == VIJANDIG


@pytest.mark.parametrize("persona, naam", [("mentor", "handelingsplan_pdf"), ("ouder_user", "ouder_plan_pdf")])
def test_pdf_html_is_escaped(besmet, monkeypatch, persona, naam):
    p = besmet
    gezien = []

    class NepHTML:
        def __init__(self, string, **kwargs):
            gezien.append(string)

        def write_pdf(self, **kwargs):
            return b"%PDF-1.4 nep"

    monkeypatch.setattr(pdf, "HTML", NepHTML)
    response = p.client(getattr(p, persona)).get(reverse(naam, args=[p.plan.pk]))
    assert response.status_code == 200
    assert gezien, "geen HTML naar WeasyPrint"
    assert veilig(gezien[0])
    assert ESCAPED in gezien[0]


def test_notice_email_escapes_html_part_and_keeps_text_part(besmet, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    p = besmet
    melding = Notificatie.objects.create(ontvanger=p.mentor, tekst=VIJANDIG, url="/mijn-klas/")
    email.stuur_melding(melding)
    bericht = mail.outbox[-1]
    html = bericht.alternatives[0][0]
    assert veilig(html)
    assert ESCAPED in html
    assert SCRIPT in bericht.body  # plain text: verbatim, nothing to execute


def test_ics_invitation_cannot_be_given_extra_lines(besmet):
    """A title or place with line breaks stays one (escaped) property: no injected attendee or event."""
    p = besmet
    p.izo.locatie = "Lokaal 12\r\nATTENDEE:mailto:indringer@example.com\r\nEND:VEVENT"
    p.izo.titel = f"IZO {SCRIPT}\nBEGIN:VALARM"
    p.izo.save()
    response = p.client(p.zorgcoordinator).get(reverse("bespreking_ics", args=[p.izo.pk]))
    assert response.status_code == 200
    regels = response.content.decode().replace("\r\n ", "").split("\r\n")  # unfold continuation lines
    assert not [r for r in regels if r.startswith(("ATTENDEE:mailto:indringer", "BEGIN:VALARM"))]
    assert sum(r == "END:VEVENT" for r in regels) == 1
    assert any(r.startswith("LOCATION:") and "indringer" in r for r in regels)  # kept, escaped in one line


def test_meeting_notes_and_report_are_escaped(besmet):
    p = besmet
    p.izo_punt.notities = VIJANDIG
    p.izo_punt.save()
    for naam in ("bespreking", "bespreking_verslag"):
        html = p.client(p.zorgcoordinator).get(reverse(naam, args=[p.izo.pk])).content.decode()
        assert veilig(html), naam
        assert ESCAPED in html, naam


def test_referral_feedback_is_escaped_for_staff_and_partner(besmet):
    p = besmet
    p.verwijzing.reden = VIJANDIG
    p.verwijzing.save()
    for user, naam in ((p.zorgcoordinator, "verwijzing"), (p.extern, "extern_verwijzing")):
        html = p.client(user).get(reverse(naam, args=[p.verwijzing.pk])).content.decode()
        assert veilig(html), naam
        assert ESCAPED in html, naam


def test_daily_digest_email_escapes_notices(besmet, settings):
    import datetime

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    p = besmet
    melding = Notificatie.objects.create(ontvanger=p.mentor, tekst=VIJANDIG + "\r\nBcc: indringer@example.com",
                                         url="/mijn-klas/")
    email.stuur_overzicht(p.mentor, [melding], datetime.date.today())
    bericht = mail.outbox[-1]
    assert veilig(bericht.alternatives[0][0]) and ESCAPED in bericht.alternatives[0][0]
    assert bericht.bcc == [] and "indringer" not in bericht.message()["Subject"]


def test_portal_invitation_email_and_letter_escape_imported_names(besmet, settings, monkeypatch):
    """Names of pupils and parents arrive through the import: hostile ones stay text in the
    invitation e-mail (both parts) and in the letter's HTML for WeasyPrint."""
    from ouders import uitnodiging
    from tests import factories as f

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    p = besmet
    ouder = f.OuderFactory(gebruiker=None, voornaam=f"Ouder{SCRIPT}", email="ouder@example.com")
    f.OuderRelatieFactory(ouder=ouder, leerling=p.in_a)
    uitnodiging.nodig_uit(ouder, "email", "nl", p.mentor, p.school)
    bericht = mail.outbox[-1]
    assert veilig(bericht.alternatives[0][0]) and ESCAPED in bericht.alternatives[0][0]
    gezien = []

    class NepHTML:
        def __init__(self, string, **kwargs):
            gezien.append(string)

        def write_pdf(self, **kwargs):
            return b"%PDF-1.4 nep"

    monkeypatch.setattr(pdf, "HTML", NepHTML)
    brief = uitnodiging.nodig_uit(ouder, "brief", "nl", p.mentor, p.school)
    uitnodiging.brieven_pdf([brief])
    assert gezien and veilig(gezien[0]) and ESCAPED in gezien[0]
