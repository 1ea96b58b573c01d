"""Notifications: in-app notices for everyone, e-mailed per the user's setting (Gebruiker.email_voorkeur).

notificeer() creates the notices and decides each one's e-mail state:
- "geen": the user has no e-mail address or chose "uit" (in-app only);
- "overzicht": the user chose the daily digest (zorg.tasks.verstuur_overzichten sends it);
- "wacht": the user chose "direct"; one task per notice (zorg.tasks.verstuur_notificatie, with the
  notice's id) is enqueued after the transaction commits, and sends it exactly once.
"""

import logging

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from .models import Gebruiker, Notificatie

log = logging.getLogger(__name__)


def email_stand(ontvanger):
    """The e-mail state a new notice for this user starts in."""
    if not (ontvanger.email or "").strip() or ontvanger.email_voorkeur == Gebruiker.EmailVoorkeur.UIT:
        return Notificatie.Email.GEEN
    if ontvanger.email_voorkeur == Gebruiker.EmailVoorkeur.DAGELIJKS:
        return Notificatie.Email.OVERZICHT
    return Notificatie.Email.WACHT


def notificeer(ontvangers, tekst, url="", leerling=None, behalve=None):
    """Create one notice per recipient (skipping `behalve`, usually the person who acted) and queue
    the immediate e-mails. Returns the created notices."""
    uniek = {o.pk: o for o in ontvangers if o is not None and (behalve is None or o.pk != behalve.pk)}
    meldingen = Notificatie.objects.bulk_create(
        Notificatie(ontvanger=o, tekst=tekst[:300], url=url, leerling=leerling, email=email_stand(o))
        for o in uniek.values()
    )
    for melding in meldingen:
        if melding.email == Notificatie.Email.WACHT:
            transaction.on_commit(lambda pk=melding.pk: stuur_later(pk))
    return meldingen


def notificeer_vertaald(ontvangers, bericht, parameters=None, **kwargs):
    """notificeer() for parents and pupils: `bericht` is a Dutch msgid (mark it with gettext_noop)
    translated into each recipient's own language; the values in `parameters` may be lazy
    strings, translated the same way. Staff get Dutch."""
    meldingen = []
    for ontvanger in ontvangers:
        if ontvanger is None:
            continue
        with translation.override(getattr(ontvanger, "taal", "") or "nl"):
            waarden = {k: str(v) for k, v in (parameters or {}).items()}
            tekst = gettext(bericht) % waarden if waarden else gettext(bericht)
            meldingen += notificeer([ontvanger], tekst, **kwargs)
    return meldingen


def stuur_later(notificatie_id):
    """Enqueue the e-mail task. A broker that is down must not break the action that created the
    notice (it is already committed): the hourly task picks up notices left waiting."""
    from .tasks import verstuur_notificatie

    try:
        verstuur_notificatie.delay(notificatie_id)
    except Exception:
        log.exception("meldingen: could not enqueue the e-mail of notice %s", notificatie_id)


def ongelezen(user):
    return Notificatie.objects.filter(ontvanger=user, gelezen_op__isnull=True)


def lijst_voor(user, aantal=100):
    """The user's notices, unread first, newest first within each group (staff and portal lists)."""
    return list(
        Notificatie.objects.filter(ontvanger=user)
        .annotate(nieuw=ExpressionWrapper(Q(gelezen_op__isnull=True), output_field=BooleanField()))
        .order_by("-nieuw", "-aangemaakt_op")
        .select_related("leerling")[:aantal]
    )


def link_binnen_site(melding, host):
    """The notice's own link when it points inside this site, else "" (never follow an outside link)."""
    if melding.url and url_has_allowed_host_and_scheme(melding.url, allowed_hosts={host}):
        return melding.url
    return ""


def markeer_gelezen(user, pk=None):
    qs = ongelezen(user)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(gelezen_op=timezone.now())


def wijzig_email_voorkeur(user, voorkeur):
    """Save the user's e-mail setting. Notices already waiting for the digest follow the new choice:
    with "uit" they are not e-mailed any more; with "direct" they still come in the next digest."""
    user.email_voorkeur = voorkeur
    user.save(update_fields=["email_voorkeur"])
    if voorkeur == Gebruiker.EmailVoorkeur.UIT:
        Notificatie.objects.filter(
            ontvanger=user, gemaild_op__isnull=True, email__in=[Notificatie.Email.WACHT, Notificatie.Email.OVERZICHT]
        ).update(email=Notificatie.Email.GEEN)
