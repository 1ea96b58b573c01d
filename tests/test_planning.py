"""Planning besprekingen: the list, the plan form, the invitation e-mail with its .ics, the .ics
download and inviting again."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from besprekingen import services, tasks, uitnodiging
from besprekingen.models import Agendapunt, Bespreking, Deelnemer
from tests import factories as f
from zorg.models import Notificatie

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

Soort = Bespreking.Soort
MORGEN = timezone.localdate() + datetime.timedelta(days=1)


def plan(p, soort=Soort.IZO, dagen=7, **kwargs):
    kwargs.setdefault("uitnodigen", False)
    return services.plan_bespreking(
        p.zorgcoordinator, p.school, soort, timezone.now() + datetime.timedelta(days=dagen), p.zorgcoordinator,
        **kwargs)


def formulier(p, **extra):
    data = {"soort": "izo", "datum": MORGEN.isoformat(), "tijd": "14:30", "duur": "90", "locatie": "Lokaal 12",
            "voorzitter": p.zorgcoordinator.pk, "deelnemers": [p.mentor.pk, p.specialist.pk]}
    data.update(extra)
    return data


# --- The list --------------------------------------------------------------------------------------------


def test_list_empty_state_and_button_per_role(personas):
    p = personas
    mentor = p.client(p.mentor).get(reverse("besprekingen")).content.decode()
    assert "Er staan geen besprekingen gepland" in mentor and "Nieuwe bespreking" in mentor
    docent = p.client(p.docent).get(reverse("besprekingen")).content.decode()
    assert "waarvoor u bent uitgenodigd" in docent and "Nieuwe bespreking" not in docent
    for user in (p.ouder_user, p.extern, p.zonder_rol):
        assert p.client(user).get(reverse("besprekingen")).status_code == 404


def test_list_shows_planned_and_held_meetings_the_user_may_see_with_soort_filter(personas):
    p = personas
    izo = plan(p, deelnemers=[p.mentor])
    zat = plan(p, Soort.ZAT)
    oud = plan(p, dagen=-10)
    Bespreking.objects.filter(pk=oud.pk).update(status=Bespreking.Status.GEHOUDEN)
    html = p.client(p.zorgcoordinator).get(reverse("besprekingen")).content.decode()
    for b in (izo, zat, oud):
        assert reverse("bespreking", args=[b.pk]) in html
    assert reverse("bespreking_uitnodigen", args=[izo.pk]) in html
    gefilterd = p.client(p.zorgcoordinator).get(reverse("besprekingen") + "?soort=zat").content.decode()
    assert reverse("bespreking", args=[zat.pk]) in gefilterd
    assert reverse("bespreking", args=[izo.pk]) not in gefilterd
    mentor = p.client(p.mentor).get(reverse("besprekingen")).content.decode()
    assert reverse("bespreking", args=[izo.pk]) in mentor  # participant
    assert reverse("bespreking", args=[zat.pk]) not in mentor
    assert reverse("bespreking_uitnodigen", args=[izo.pk]) not in mentor  # not the chair


# --- The plan form ------------------------------------------------------------------------------------------


def test_plan_form_roles(personas):
    p = personas
    r = p.client(p.zorgcoordinator).get(reverse("bespreking_nieuw") + "?soort=zat")
    assert r.status_code == 200 and 'value="zat" selected' in r.content.decode()
    mentor = p.client(p.mentor).get(reverse("bespreking_nieuw") + "?soort=izo").content.decode()
    assert 'value="izo"' not in mentor and 'value="groepsbespreking"' in mentor
    for user in (p.docent, p.beheerder, p.ouder_user, p.extern):
        assert p.client(user).get(reverse("bespreking_nieuw")).status_code == 404


def test_plan_form_errors_rerender_with_input_kept(personas):
    p = personas
    c = p.client(p.zorgcoordinator)
    r = c.post(reverse("bespreking_nieuw"), formulier(p, tijd="", locatie="Aula-BEWAARD"))
    html = r.content.decode()
    assert r.status_code == 200 and "Vul de begintijd in." in html and "Aula-BEWAARD" in html
    r = c.post(reverse("bespreking_nieuw"), formulier(p, datum="2001-01-01"))
    assert "De datum ligt in het verleden" in r.content.decode()
    r = c.post(reverse("bespreking_nieuw"), formulier(p, soort="groepsbespreking"))
    assert "Kies de klas van de groepsbespreking." in r.content.decode()
    instelling = f.InstellingFactory(school=p.school)
    contact = f.ContactpersoonFactory(instelling=instelling)
    r = c.post(reverse("bespreking_nieuw"), formulier(p, contactpersonen=[contact.pk]))
    assert "Externe contactpersonen nemen alleen deel aan een ZAT." in r.content.decode()
    r = p.client(p.mentor).post(reverse("bespreking_nieuw"), formulier(p))
    assert "Kies een soort bespreking die u mag plannen." in r.content.decode()
    assert not Bespreking.objects.exists()


def test_plan_zat_with_external_contact_invites_everyone(personas, django_capture_on_commit_callbacks, monkeypatch):
    p = personas
    verstuurd = []
    monkeypatch.setattr(tasks.verstuur_uitnodigingen, "delay", lambda pk, ids: verstuurd.append(
        tasks.verstuur_uitnodigingen(pk, ids)))
    instelling = f.InstellingFactory(school=p.school)
    contact = f.ContactpersoonFactory(instelling=instelling, email="jeugdarts@ggd.test")
    with django_capture_on_commit_callbacks(execute=True):
        r = p.client(p.zorgcoordinator).post(reverse("bespreking_nieuw"), formulier(
            p, soort="zat", contactpersonen=[contact.pk]))
    b = Bespreking.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("bespreking", args=[b.pk])
    assert b.soort == "zat" and b.duur == 90 and b.locatie == "Lokaal 12"
    local = timezone.localtime(b.begin, timezone=timezone.get_default_timezone())
    assert (local.date(), local.hour, local.minute) == (MORGEN, 14, 30)
    assert {d.naam for d in b.deelnemers.all()} == {
        p.zorgcoordinator.naam, p.mentor.naam, p.specialist.naam, str(contact)}
    assert Notificatie.objects.filter(ontvanger=p.mentor, url=reverse("bespreking", args=[b.pk])).exists()
    assert verstuurd == [4]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [p.zorgcoordinator.email, p.mentor.email, p.specialist.email, "jeugdarts@ggd.test"])


def test_groepsbespreking_for_the_mentors_klas(personas):
    p = personas
    periode = p.jaar.perioden.get()
    r = p.client(p.mentor).post(reverse("bespreking_nieuw"), formulier(
        p, soort="groepsbespreking", klas=p.klas_a.pk, periode=periode.pk, voorzitter=p.mentor.pk, deelnemers=[]))
    assert r.status_code == 302
    b = Bespreking.objects.get()
    assert b.klas == p.klas_a and b.agendapunten.count() == 9
    r = p.client(p.mentor).post(reverse("bespreking_nieuw"), formulier(
        p, soort="groepsbespreking", klas=p.klas_b.pk, periode=periode.pk, voorzitter=p.mentor.pk))
    assert "Kies een klas uit de lijst." in r.content.decode()


def test_gesprek_with_ouders_planned_from_the_dossier_puts_the_pupil_on_the_agenda(personas):
    p = personas
    client = p.client(p.mentor)
    dossier = client.get(reverse("leerling", args=[p.in_a.pk])).content.decode()
    url = f"{reverse('bespreking_nieuw')}?soort=gesprek&leerling={p.in_a.pk}"
    assert url.replace("&", "&amp;") in dossier
    assert escape(p.in_a.naam) in client.get(url).content.decode()
    r = client.post(url, formulier(p, soort="gesprek", voorzitter=p.mentor.pk, deelnemers=[], leerling=p.in_a.pk))
    assert r.status_code == 302
    b = Bespreking.objects.get()
    assert b.soort == "gesprek" and list(b.agendapunten.values_list("leerling", flat=True)) == [p.in_a.pk]
    # Someone else's pupil: not found; an IZO with a pupil: refused, nothing planned.
    assert client.get(f"{reverse('bespreking_nieuw')}?soort=gesprek&leerling={p.in_b.pk}").status_code == 404
    r = p.client(p.zorgcoordinator).post(url, formulier(p, leerling=p.in_a.pk))
    assert r.status_code == 200 and "meldt u de leerling aan" in r.content.decode()
    assert Bespreking.objects.count() == 1


# --- Invitations ---------------------------------------------------------------------------------------------


def test_invitation_email_with_ics(benoemde_personas, settings):
    p = benoemde_personas
    settings.SITE_URL = "https://zorgroute.school.test"
    instelling = f.InstellingFactory(school=p.school)
    zonder_mail = f.ContactpersoonFactory(instelling=instelling, email="")
    b = plan(p, Soort.ZAT, deelnemers=[p.mentor], contactpersonen=[zonder_mail])
    Bespreking.objects.filter(pk=b.pk).update(locatie="Kamer zorgteam")
    b.refresh_from_db()
    Agendapunt.objects.create(bespreking=b, leerling=p.in_a)
    ids = list(b.deelnemers.values_list("pk", flat=True))
    assert tasks.verstuur_uitnodigingen(b.pk, ids) == 2  # the contact without an address is skipped
    bericht = next(m for m in mail.outbox if m.to == [p.mentor.email])
    link = f"https://zorgroute.school.test{reverse('bespreking', args=[b.pk])}"
    assert bericht.subject.startswith("Uitnodiging: ZAT op ")
    assert f"Beste {p.mentor.naam}" in bericht.body and link in bericht.body and "Kamer zorgteam" in bericht.body
    html, mimetype = bericht.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html
    for tekst in (bericht.body, html):
        assert "Akkerman" not in tekst  # no pupil data in an e-mail

    naam, inhoud, mimetype = bericht.attachments[0]
    assert naam == f"bespreking-{b.pk}.ics" and mimetype.startswith("text/calendar")
    cal = Calendar.from_ical(inhoud)
    assert str(cal["method"]) == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["uid"]) == f"bespreking-{b.pk}@zorgroute.school.test"
    start, einde = event.decoded("dtstart"), event.decoded("dtend")
    assert start == b.begin.replace(microsecond=0) and einde - start == datetime.timedelta(minutes=b.duur)
    assert start.utcoffset() == datetime.timedelta(0) and event["dtstart"].to_ical().endswith(b"Z")
    assert str(event["summary"]) == "ZAT" and str(event["location"]) == "Kamer zorgteam"
    assert str(event["organizer"]) == f"mailto:{p.zorgcoordinator.email}"
    assert event["organizer"].params["CN"] == p.zorgcoordinator.naam
    assert str(event["attendee"]) == f"mailto:{p.mentor.email}"
    assert "Akkerman" not in (inhoud if isinstance(inhoud, str) else inhoud.decode())


def test_no_mail_for_a_cancelled_meeting_and_queue_failure_does_not_raise(personas, monkeypatch):
    p = personas
    b = plan(p, deelnemers=[p.mentor])
    Bespreking.objects.filter(pk=b.pk).update(status=Bespreking.Status.GEANNULEERD)
    assert tasks.verstuur_uitnodigingen(b.pk, list(b.deelnemers.values_list("pk", flat=True))) == 0
    assert mail.outbox == []

    def kapot(*args):
        raise ConnectionError("broker weg")

    monkeypatch.setattr(tasks.verstuur_uitnodigingen, "delay", kapot)
    uitnodiging.verstuur_later(b.pk, [1])  # logged, not raised


def test_ics_download_for_readers_only(personas):
    p = personas
    b = plan(p, deelnemers=[p.mentor])
    r = p.client(p.mentor).get(reverse("bespreking_ics", args=[b.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    assert f'filename="bespreking-{b.pk}.ics"' in r["Content-Disposition"]
    event = Calendar.from_ical(r.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == b.begin.replace(microsecond=0)
    for user in (p.docent, p.andere_mentor, p.beheerder, p.ouder_user):
        assert p.client(user).get(reverse("bespreking_ics", args=[b.pk])).status_code == 404
    assert p.client(p.mentor).post(reverse("bespreking_ics", args=[b.pk])).status_code == 405


def test_opnieuw_uitnodigen(personas, django_capture_on_commit_callbacks, monkeypatch):
    p = personas
    b = plan(p, deelnemers=[p.mentor])
    verzonden = []
    monkeypatch.setattr(uitnodiging, "verstuur_later", lambda pk, ids: verzonden.append((pk, sorted(ids))))
    url = reverse("bespreking_uitnodigen", args=[b.pk])
    assert p.client(p.zorgcoordinator).get(url).status_code == 405
    assert p.client(p.mentor).post(url).status_code == 403  # participant, not the chair
    assert p.client(p.docent).post(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        r = p.client(p.zorgcoordinator).post(url, {"terug": "lijst"})
    assert r.status_code == 302 and r["Location"] == reverse("besprekingen")
    assert verzonden == [(b.pk, sorted(b.deelnemers.values_list("pk", flat=True)))]
    assert not Deelnemer.objects.filter(bespreking=b, uitgenodigd_op__isnull=True).exists()
    assert Notificatie.objects.filter(ontvanger=p.mentor, tekst__startswith="Uitnodiging").exists()
