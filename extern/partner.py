"""The external partner's side of a verwijzing (domain.md, External): the referral files they may
open now and the one thing they may write, terugkoppeling. Which files they may open is decided by
the access layer (zorg/toegang.py: grant + consent, checked on every request)."""

from django.utils import timezone

from zorg import toegang

from .models import ExterneToegang


def toegang_tot(contactpersoon, verwijzing, op=None):
    """The last day of the contact's running grant for this verwijzing (None when none runs)."""
    op = op or timezone.localdate()
    grant = (
        ExterneToegang.objects.filter(verwijzing=verwijzing, contactpersoon=contactpersoon,
                                      ingetrokken_op__isnull=True, vanaf__lte=op, tot__gte=op)
        .order_by("-tot").first()
    )
    return grant.tot if grant else None


def dossiers(user):
    """The referral files the partner may open now, newest first, each with `.toegang_tot`."""
    contact = toegang.contactpersoon_van(user)
    verwijzingen = toegang.verwijzingen_extern(user)
    if contact is None or not verwijzingen:
        return []
    vandaag = timezone.localdate()
    tot = {}
    for grant in ExterneToegang.objects.filter(
        verwijzing__in=verwijzingen, contactpersoon=contact, ingetrokken_op__isnull=True,
        vanaf__lte=vandaag, tot__gte=vandaag,
    ):
        tot[grant.verwijzing_id] = max(tot.get(grant.verwijzing_id, grant.tot), grant.tot)
    for verwijzing in verwijzingen:
        verwijzing.toegang_tot = tot.get(verwijzing.pk)
    return sorted(verwijzingen, key=lambda v: (v.aangemeld_op, v.pk), reverse=True)


def statusdata(verwijzing):
    """The status steps that happened, with their dates, in order: [(label, date)]."""
    Status = type(verwijzing).Status
    stappen = [
        (Status.AANGEMELD.label, verwijzing.aangemeld_op),
        (Status.WACHTLIJST.label, verwijzing.wachtlijst_op),
        (Status.BEVESTIGD.label, verwijzing.bevestigd_op),
        (Status.GESTART.label, verwijzing.gestart_op),
        (Status.AFGEWEZEN.label, verwijzing.afgewezen_op),
        (Status.AFGESLOTEN.label, verwijzing.afgesloten_op),
    ]
    return [(label, datum) for label, datum in stappen if datum]
