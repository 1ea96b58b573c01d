"""The notification e-mails, plain text + HTML, in the recipient's language (Dutch for staff): one
notice, or the daily digest.

An e-mail carries only the notice's own text and a link into Zorgroute (where access is checked
again); never more pupil details than the notice text already holds.
"""

import logging
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import toegang
from .models import Gebruiker, Notificatie, School

log = logging.getLogger(__name__)


def absolute_link(pad, lijst="notificaties"):
    """An absolute link for a path inside the site (SITE_URL + path); the notices list (URL name
    `lijst`) for an empty or foreign link."""
    if not pad or not pad.startswith("/") or pad.startswith("//"):
        pad = reverse(lijst)
    return settings.SITE_URL.rstrip("/") + pad


def _lijst_en_instellingen(user):
    """URL names of the recipient's notices list and settings: the portal's for ouders and pupils
    (who work at no school), the staff pages for everyone else."""
    if toegang.is_portaalgebruiker(user):
        return "portaal_meldingen", "portaal_instellingen"
    return "notificaties", "notificatie_instellingen"


def _context(user):
    lijst, instellingen = _lijst_en_instellingen(user)
    return {
        "naam": user.first_name or user.get_username(),
        "instellingen_link": absolute_link(reverse(instellingen)),
        "meldingen_link": absolute_link(reverse(lijst)),
        "lijst": lijst,
    }


def _verstuur(user, onderwerp, sjabloon, context, connection=None):
    tekst = render_to_string(f"zorg/email/{sjabloon}.txt", context)
    html = render_to_string(f"zorg/email/{sjabloon}.html", context)
    bericht = EmailMultiAlternatives(
        onderwerp, tekst, settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection
    )
    bericht.attach_alternative(html, "text/html")
    return bericht.send()


def stuur_melding(melding, connection=None):
    """E-mail one notice to its recipient. Returns the number of messages sent (1)."""
    user = melding.ontvanger
    with translation.override(user.taal or settings.LANGUAGE_CODE):
        context = _context(user)
        context |= {"melding": melding, "link": absolute_link(melding.url, context["lijst"])}
        onderwerp = _("Zorgroute: %(tekst)s") % {"tekst": _kort(melding.tekst)}
        return _verstuur(user, onderwerp, "melding", context, connection)


def stuur_overzicht(user, meldingen, datum, connection=None):
    """E-mail the daily digest of `meldingen` (oldest first) to `user`."""
    with translation.override(user.taal or settings.LANGUAGE_CODE):
        context = _context(user)
        regels = [{"melding": m, "link": absolute_link(m.url, context["lijst"])} for m in meldingen]
        context |= {"regels": regels, "datum": date_format(datum, "j F Y"), "aantal": len(regels)}
        onderwerp = _("Zorgroute: uw overzicht van meldingen") + f" ({len(regels)})"
        return _verstuur(user, onderwerp, "overzicht", context, connection)


def _kort(tekst, lengte=80):
    tekst = " ".join(tekst.split())
    return tekst if len(tekst) <= lengte else tekst[: lengte - 1].rstrip() + "…"


def verstuur_melding(notificatie_id):
    """Send the e-mail of one waiting notice exactly once: the row is locked, checked, mailed and
    marked in one transaction, so a retried or duplicated task finds it sent and does nothing.
    Returns True when this call sent it."""
    with transaction.atomic():
        melding = (
            Notificatie.objects.select_for_update(of=("self",))
            .select_related("ontvanger")
            .filter(pk=notificatie_id)
            .first()
        )
        if melding is None or melding.gemaild_op is not None or melding.email != Notificatie.Email.WACHT:
            return False
        if not (melding.ontvanger.email or "").strip() or not melding.ontvanger.is_active:
            melding.email = Notificatie.Email.GEEN
            melding.save(update_fields=["email"])
            return False
        stuur_melding(melding)
        melding.email = Notificatie.Email.VERSTUURD
        melding.gemaild_op = timezone.now()
        melding.save(update_fields=["email", "gemaild_op"])
        return True


def scholen_met_overzicht_nu(nu=None):
    """The schools whose local hour is now their digest hour, with the start of that hour (aware)."""
    nu = nu or timezone.now()
    scholen = {}
    for school in School.objects.all():
        lokaal = timezone.localtime(nu, zoneinfo.ZoneInfo(school.tijdzone))
        if lokaal.hour == school.samenvatting_uur:
            scholen[school.pk] = (school, lokaal.replace(minute=0, second=0, microsecond=0))
    return scholen


def _school_van(user, scholen, nu):
    """The due school this user's digest belongs to: a school where the user works, else the school
    of a pupil in one of the user's waiting notices (parents, partners)."""
    for school in toegang.scholen_voor(user):
        if school.pk in scholen:
            return scholen[school.pk]
    if toegang.scholen_voor(user):
        return None
    school_ids = (
        Notificatie.objects.filter(ontvanger=user, email=Notificatie.Email.OVERZICHT, gemaild_op__isnull=True)
        .exclude(leerling=None)
        .values_list("leerling__school_id", flat=True)
    )
    school_ids = set(school_ids)
    for school_id in school_ids:
        if school_id in scholen:
            return scholen[school_id]
    if school_ids:
        return None
    # Nobody's school (e.g. a partner's notices without a pupil): the default hour and timezone.
    lokaal = timezone.localtime(nu, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    if lokaal.hour == School._meta.get_field("samenvatting_uur").default:
        return None, lokaal.replace(minute=0, second=0, microsecond=0)
    return None


def verstuur_overzichten(nu=None):
    """Send the daily digest to every user with notices waiting for it whose school's digest hour it is
    now. Only notices from before the start of this hour are included and each is marked as mailed in
    the same transaction, so a second run in the same hour sends nothing. Returns the number of
    digests sent. Also re-queues immediate e-mails whose task was lost (broker down)."""
    nu = nu or timezone.now()
    _wachtende_opnieuw(nu)
    scholen = scholen_met_overzicht_nu(nu)
    user_ids = (
        Notificatie.objects.filter(email=Notificatie.Email.OVERZICHT, gemaild_op__isnull=True)
        .values_list("ontvanger_id", flat=True)
        .distinct()
    )
    verstuurd = 0
    verbinding = get_connection()
    for user in Gebruiker.objects.filter(pk__in=list(user_ids)):
        gevonden = _school_van(user, scholen, nu)
        if gevonden is None:
            continue
        _, uur_begin = gevonden
        try:
            verstuurd += _overzicht_voor(user, uur_begin, verbinding)
        except Exception:  # one bad address must not stop the others' digests
            log.exception("meldingen: digest for user %s failed", user.pk)
    return verstuurd


def _overzicht_voor(user, uur_begin, verbinding):
    with transaction.atomic():
        meldingen = list(
            Notificatie.objects.select_for_update()
            .filter(
                ontvanger=user, email=Notificatie.Email.OVERZICHT, gemaild_op__isnull=True,
                aangemaakt_op__lt=uur_begin,
            )
            .order_by("aangemaakt_op", "pk")
        )
        if not meldingen:
            return 0
        ids = [m.pk for m in meldingen]
        if not (user.email or "").strip() or not user.is_active:
            Notificatie.objects.filter(pk__in=ids).update(email=Notificatie.Email.GEEN)
            return 0
        stuur_overzicht(user, meldingen, uur_begin.date(), connection=verbinding)
        Notificatie.objects.filter(pk__in=ids).update(email=Notificatie.Email.VERSTUURD, gemaild_op=timezone.now())
        return 1


def _wachtende_opnieuw(nu):
    """Immediate e-mails still waiting after 15 minutes (their task was lost): queue them again. The
    row lock in verstuur_melding keeps this from ever sending twice. Only the last day counts."""
    from .notificaties import stuur_later

    ids = Notificatie.objects.filter(
        email=Notificatie.Email.WACHT, gemaild_op__isnull=True,
        aangemaakt_op__lt=nu - timedelta(minutes=15), aangemaakt_op__gte=nu - timedelta(days=1),
    ).values_list("pk", flat=True)[:1000]
    for pk in ids:
        stuur_later(pk)
