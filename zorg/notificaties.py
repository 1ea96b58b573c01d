"""In-app notifications. The Herinneringen issue adds e-mail, digests and reminder rules."""

from django.utils import timezone

from .models import Notificatie


def notificeer(ontvangers, tekst, url="", leerling=None, behalve=None):
    """Create one notice per recipient (skipping `behalve`, usually the person who acted)."""
    uniek = {o.pk: o for o in ontvangers if o is not None and (behalve is None or o.pk != behalve.pk)}
    return Notificatie.objects.bulk_create(
        Notificatie(ontvanger=o, tekst=tekst[:300], url=url, leerling=leerling) for o in uniek.values()
    )


def ongelezen(user):
    return Notificatie.objects.filter(ontvanger=user, gelezen_op__isnull=True)


def markeer_gelezen(user, pk=None):
    qs = ongelezen(user)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(gelezen_op=timezone.now())
