"""E-mail for notifications: directly, in a daily digest at the school's hour, or not at all; each
notice is e-mailed at most once, however often its task runs."""

import datetime
import re
import zoneinfo

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from zorg import email as meldingmail
from zorg import notificaties, tasks
from zorg.models import Notificatie

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def uitgevoerd(monkeypatch):
    """Run the e-mail task in-process instead of through the broker; record each call."""
    aanroepen = []

    def stuur_later(pk):
        aanroepen.append(pk)
        return tasks.verstuur_notificatie.apply(args=[pk]).get()

    monkeypatch.setattr(notificaties, "stuur_later", stuur_later)
    return aanroepen


def morgen_om(uur, minuut=30, tz=AMS):
    morgen = timezone.localdate() + datetime.timedelta(days=1)
    return datetime.datetime.combine(morgen, datetime.time(uur, minuut), tzinfo=tz)


@override_settings(SITE_URL="https://zorg.school.test")
def test_direct_one_email_per_notice_with_absolute_link(personas, uitgevoerd, django_capture_on_commit_callbacks):
    p = personas
    p.mentor.email_voorkeur = "direct"
    p.mentor.save()
    with django_capture_on_commit_callbacks(execute=True):
        [melding] = notificaties.notificeer([p.mentor], "Nieuwe signalering bij Sanne", url="/mijn-klas/")
    assert uitgevoerd == [melding.pk]
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.to == [p.mentor.email]
    assert "Nieuwe signalering bij Sanne" in bericht.subject
    assert "https://zorg.school.test/mijn-klas/" in bericht.body
    assert "Beste" in bericht.body and "Instellingen voor meldingen" in bericht.body
    html, soort = bericht.alternatives[0]
    assert soort == "text/html" and 'href="https://zorg.school.test/mijn-klas/"' in html
    melding.refresh_from_db()
    assert melding.email == "verstuurd" and melding.gemaild_op is not None
    # The digest never sends it again.
    assert meldingmail.verstuur_overzichten(nu=morgen_om(7)) == 0
    assert len(mail.outbox) == 1


def test_e_mail_carries_no_more_than_the_notice(personas, uitgevoerd, django_capture_on_commit_callbacks):
    p = personas
    with django_capture_on_commit_callbacks(execute=True):
        notificaties.notificeer([p.mentor], "Nieuwe signalering", url="/leerlingen/1/", leerling=p.in_a)
    bericht = mail.outbox[0]
    assert p.in_a.achternaam not in bericht.body + bericht.alternatives[0][0]


def test_notice_without_link_points_to_the_list(personas, uitgevoerd, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notificaties.notificeer([personas.mentor], "Iets", url="https://kwaadaardig.example/")
    assert "kwaadaardig" not in mail.outbox[0].body
    assert reverse("notificaties") in mail.outbox[0].body


def test_retried_task_sends_once(personas, uitgevoerd, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [melding] = notificaties.notificeer([personas.mentor], "Een melding")
    for _ in range(3):
        assert tasks.verstuur_notificatie.apply(args=[melding.pk]).get() is False
    assert len(mail.outbox) == 1


def test_failed_send_is_rolled_back_and_sent_once_on_retry(personas, monkeypatch):
    [melding] = notificaties.notificeer([personas.mentor], "Een melding")
    echte = meldingmail.stuur_melding

    def kapot(m, connection=None):
        raise OSError("mail server down")

    monkeypatch.setattr(meldingmail, "stuur_melding", kapot)
    with pytest.raises(OSError):
        meldingmail.verstuur_melding(melding.pk)
    melding.refresh_from_db()
    assert melding.email == "wacht" and melding.gemaild_op is None
    monkeypatch.setattr(meldingmail, "stuur_melding", echte)
    assert meldingmail.verstuur_melding(melding.pk) is True
    assert meldingmail.verstuur_melding(melding.pk) is False
    assert len(mail.outbox) == 1


def test_unknown_notice_is_ignored():
    assert meldingmail.verstuur_melding(987654) is False


def test_uit_and_no_address_get_no_email(personas, uitgevoerd, django_capture_on_commit_callbacks):
    p = personas
    p.mentor.email_voorkeur = "uit"
    p.mentor.save()
    p.docent.email = ""
    p.docent.save()
    with django_capture_on_commit_callbacks(execute=True):
        meldingen = notificaties.notificeer([p.mentor, p.docent], "Een melding")
    assert uitgevoerd == []
    assert {m.email for m in meldingen} == {"geen"}
    for m in meldingen:
        assert tasks.verstuur_notificatie.apply(args=[m.pk]).get() is False
    assert meldingmail.verstuur_overzichten(nu=morgen_om(7)) == 0
    assert mail.outbox == []


def test_dagelijks_one_digest_at_the_school_hour_not_twice(personas, uitgevoerd, django_capture_on_commit_callbacks):
    p = personas
    p.school.samenvatting_uur = 7
    p.school.save()
    p.mentor.email_voorkeur = "dagelijks"
    p.mentor.save()
    with django_capture_on_commit_callbacks(execute=True):
        eerste = notificaties.notificeer([p.mentor], "Eerste melding", url="/a/")
        tweede = notificaties.notificeer([p.mentor], "Tweede melding", url="/b/")
    assert uitgevoerd == [] and mail.outbox == []
    assert {m.email for m in eerste + tweede} == {"overzicht"}

    assert meldingmail.verstuur_overzichten(nu=morgen_om(6, 59)) == 0  # not the school's hour
    assert tasks.verstuur_overzichten.apply().get() == 0  # now (today, this hour) is not 7:00 tomorrow
    assert mail.outbox == []
    assert meldingmail.verstuur_overzichten(nu=morgen_om(7, 5)) == 1
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.to == [p.mentor.email]
    assert "Eerste melding" in bericht.body and "Tweede melding" in bericht.body
    assert bericht.body.index("Eerste melding") < bericht.body.index("Tweede melding")
    assert "2 nieuwe meldingen" in bericht.body
    assert Notificatie.objects.filter(ontvanger=p.mentor, gemaild_op__isnull=True).count() == 0
    # A second run in the same hour (a duplicate beat tick) sends nothing.
    assert meldingmail.verstuur_overzichten(nu=morgen_om(7, 50)) == 0
    assert len(mail.outbox) == 1


def test_digest_follows_the_school_timezone(personas):
    p = personas
    p.school.tijdzone = "America/Aruba"
    p.school.samenvatting_uur = 7
    p.school.save()
    p.mentor.email_voorkeur = "dagelijks"
    p.mentor.save()
    notificaties.notificeer([p.mentor], "Een melding")
    assert meldingmail.verstuur_overzichten(nu=morgen_om(7)) == 0  # 7:30 in Amsterdam is night in Aruba
    assert meldingmail.verstuur_overzichten(nu=morgen_om(7, tz=zoneinfo.ZoneInfo("America/Aruba"))) == 1


def test_parent_digest_uses_the_school_of_the_pupil(personas):
    p = personas
    p.ouder_user.email_voorkeur = "dagelijks"
    p.ouder_user.save()
    notificaties.notificeer([p.ouder_user], "Er staat een plan voor u klaar", leerling=p.in_a)
    assert meldingmail.verstuur_overzichten(nu=morgen_om(7)) == 1
    assert mail.outbox[0].to == [p.ouder_user.email]


def test_lost_task_is_queued_again_by_the_hourly_run(personas, uitgevoerd):
    [melding] = notificaties.notificeer([personas.mentor], "Een melding")  # on_commit never ran
    Notificatie.objects.filter(pk=melding.pk).update(aangemaakt_op=timezone.now() - datetime.timedelta(minutes=20))
    meldingmail.verstuur_overzichten()
    meldingmail.verstuur_overzichten()
    assert uitgevoerd == [melding.pk]  # the second run finds it sent
    assert len(mail.outbox) == 1


def test_instellingen_page_for_every_user(personas):
    p = personas
    for user in [p.mentor, p.docent, p.zorgcoordinator, p.beheerder, p.ouder_user, p.extern, p.zonder_rol]:
        r = p.client(user).get(reverse("notificatie_instellingen"))
        assert r.status_code == 200, user
        assert "Instellingen voor meldingen" in r.content.decode()
    r = p.client(p.mentor).get(reverse("notificaties"))
    assert reverse("notificatie_instellingen") in r.content.decode()


def test_instellingen_anonymous_goes_to_login(client):
    r = client.get(reverse("notificatie_instellingen"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_instellingen_save_and_bad_input(personas):
    p = personas
    p.mentor.email_voorkeur = "dagelijks"
    p.mentor.save()
    [wachtend] = notificaties.notificeer([p.mentor], "In het overzicht")
    c = p.client(p.mentor)
    r = c.post(reverse("notificatie_instellingen"), {"email_voorkeur": "soms"})
    assert r.status_code == 200 and "Kies een van de drie mogelijkheden." in r.content.decode()
    r = c.post(reverse("notificatie_instellingen"), {})
    assert "Kies hoe u meldingen per e-mail wilt ontvangen." in r.content.decode()
    r = c.post(reverse("notificatie_instellingen"), {"email_voorkeur": "uit"}, follow=True)
    assert "opgeslagen" in r.content.decode()
    p.mentor.refresh_from_db()
    wachtend.refresh_from_db()
    assert p.mentor.email_voorkeur == "uit" and wachtend.email == "geen"
    assert re.search(r'value="uit"[^>]*checked', r.content.decode())


def test_instellingen_without_address_says_so(personas):
    p = personas
    p.mentor.email = ""
    p.mentor.save()
    r = p.client(p.mentor).get(reverse("notificatie_instellingen"))
    assert "geen e-mailadres" in r.content.decode()


def test_list_shows_unread_first(personas):
    p = personas
    [oud] = notificaties.notificeer([p.mentor], "Oude ongelezen")
    [gelezen] = notificaties.notificeer([p.mentor], "Nieuwste maar gelezen")
    notificaties.markeer_gelezen(p.mentor, pk=gelezen.pk)
    html = p.client(p.mentor).get(reverse("notificaties")).content.decode()
    assert html.index("Oude ongelezen") < html.index("Nieuwste maar gelezen")


def test_factory_user_has_address():
    assert f.GebruikerFactory().email


def test_digest_for_someone_without_a_school_at_the_default_hour(personas):
    p = personas
    p.extern.email_voorkeur = "dagelijks"
    p.extern.save()
    notificaties.notificeer([p.extern], "Nieuwe verwijzing")
    assert meldingmail.verstuur_overzichten(nu=morgen_om(6)) == 0
    assert meldingmail.verstuur_overzichten(nu=morgen_om(7)) == 1
