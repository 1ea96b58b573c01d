"""Invitations by e-mail with an .ics attachment (RFC 5545, built with the icalendar library).

The e-mails go out from the Celery worker (besprekingen/tasks.py) after the planning transaction
commits. They carry the meeting's name, time, place and chair and a link, never pupil data: the
agenda is read in the application, behind its access rules."""

import datetime
import logging
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Bespreking, Deelnemer

logger = logging.getLogger(__name__)


def verstuur_later(bespreking_pk, deelnemer_ids):
    """Queue the invitation e-mails (called after commit). A broker that cannot be reached must not
    undo the planning: the in-app notices are there already, so this is logged, not raised."""
    from . import tasks

    try:
        tasks.verstuur_uitnodigingen.delay(bespreking_pk, list(deelnemer_ids))
    except Exception:  # noqa: BLE001 - any broker failure; the chair can send the invitation again
        logger.exception("Uitnodigingen voor bespreking %s konden niet in de wachtrij", bespreking_pk)


def absolute_url(pad):
    return settings.SITE_URL.rstrip("/") + pad if getattr(settings, "SITE_URL", "") else pad


def bespreking_link(bespreking):
    return absolute_url(reverse("bespreking", args=[bespreking.pk]))


def uid(bespreking):
    host = urlsplit(getattr(settings, "SITE_URL", "") or "").hostname or "zorgroute"
    return f"bespreking-{bespreking.pk}@{host}"


def _adres(email, naam):
    adres = vCalAddress(f"mailto:{email}")
    adres.params["cn"] = vText(naam)
    return adres


def ics(bespreking, ontvanger=None):
    """The bespreking as an iCalendar file (bytes). With `ontvanger` (a Deelnemer with an e-mail
    address) it is an invitation (METHOD:REQUEST) to that person; without, a published event."""
    cal = Calendar()
    cal.add("prodid", "-//Zorgroute//Besprekingen//NL")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST" if ontvanger is not None else "PUBLISH")
    event = Event()
    event.add("uid", uid(bespreking))
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", bespreking.begin.astimezone(datetime.UTC))
    event.add("dtend", bespreking.einde.astimezone(datetime.UTC))
    # A change of time or place is a new version of the same event (same UID).
    event.add("sequence", bespreking.history.count())
    event.add("summary", str(bespreking.naam))
    if bespreking.locatie:
        event.add("location", bespreking.locatie)
    event.add("description", _("Agenda en stukken: %(url)s") % {"url": bespreking_link(bespreking)})
    event.add("url", bespreking_link(bespreking))
    if bespreking.status == Bespreking.Status.GEANNULEERD:
        event.add("status", "CANCELLED")
    voorzitter = bespreking.voorzitter
    if voorzitter.email:
        event["organizer"] = _adres(voorzitter.email, voorzitter.naam)
    if ontvanger is not None:
        attendee = _adres(ontvanger_email(ontvanger), ontvanger.naam)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()


def ics_bestandsnaam(bespreking):
    return f"bespreking-{bespreking.pk}.ics"


def ontvanger_email(deelnemer):
    if deelnemer.gebruiker_id:
        return (deelnemer.gebruiker.email or "").strip()
    return (deelnemer.contactpersoon.email or "").strip()


def _tijdzone(school):
    try:
        return zoneinfo.ZoneInfo(school.tijdzone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def verstuur(bespreking_pk, deelnemer_ids):
    """Send one invitation e-mail (text + HTML + .ics) to each of these participants that has an
    e-mail address. Returns the number sent."""
    bespreking = Bespreking.objects.select_related("school", "voorzitter", "klas").filter(pk=bespreking_pk).first()
    if bespreking is None or bespreking.status == Bespreking.Status.GEANNULEERD:
        return 0
    deelnemers = (
        Deelnemer.objects.filter(bespreking=bespreking, pk__in=deelnemer_ids)
        .select_related("gebruiker", "contactpersoon__instelling")
        .order_by("pk")
    )
    verstuurd = 0
    with translation.override("nl"), timezone.override(_tijdzone(bespreking.school)):
        for deelnemer in deelnemers:
            email = ontvanger_email(deelnemer)
            if not email:
                continue
            context = {
                "bespreking": bespreking, "deelnemer": deelnemer, "link": bespreking_link(bespreking),
                "begin": timezone.localtime(bespreking.begin), "einde": timezone.localtime(bespreking.einde),
                "school": bespreking.school,
            }
            onderwerp = _("Uitnodiging: %(naam)s op %(datum)s") % {
                "naam": bespreking.naam,
                "datum": date_format(timezone.localtime(bespreking.begin), "j F Y H:i"),
            }
            bericht = EmailMultiAlternatives(
                subject=onderwerp,
                body=render_to_string("besprekingen/email/uitnodiging.txt", context),
                to=[email],
                reply_to=[bespreking.voorzitter.email] if bespreking.voorzitter.email else None,
            )
            bericht.attach_alternative(render_to_string("besprekingen/email/uitnodiging.html", context), "text/html")
            bericht.attach(ics_bestandsnaam(bespreking), ics(bespreking, deelnemer),
                           "text/calendar; charset=utf-8; method=REQUEST")
            bericht.send()
            verstuurd += 1
    return verstuurd
