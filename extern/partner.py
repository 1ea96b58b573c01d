"""The external partner's side of a verwijzing (domain.md, External): the referral files they may
open now and the one thing they may write, terugkoppeling. Which files they may open is decided by
the access layer (zorg/toegang.py: grant + consent, checked on every request)."""

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leerlingen.dossier import zorgcoordinatoren_van
from zorg import toegang
from zorg.notificaties import notificeer

from .models import ExterneToegang, Terugkoppeling


class TerugkoppelingFout(Exception):
    """Bad input for a terugkoppeling; `meldingen` are Dutch messages for the form."""

    def __init__(self, meldingen):
        super().__init__(" ".join(str(m) for m in meldingen))
        self.meldingen = meldingen


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


def ontvangers(verwijzing):
    """Who hears of a partner's terugkoppeling: the school's zorgcoördinator(s), the pupil's
    mentor(s) and case-manager."""
    leerling = verwijzing.leerling
    schooljaar = verwijzing.school.huidig_schooljaar()
    mensen = list(zorgcoordinatoren_van(schooljaar))
    if schooljaar is not None:
        mensen += leerling.mentoren_in(schooljaar)
    if leerling.case_manager_id:
        mensen.append(leerling.case_manager)
    return mensen


def school_url(verwijzing):
    """The school's page of this verwijzing (the dossier while that page does not exist)."""
    try:
        return reverse("verwijzing", args=[verwijzing.pk])
    except NoReverseMatch:
        return reverse("leerling", args=[verwijzing.leerling_id])


@transaction.atomic
def voeg_terugkoppeling_toe(user, verwijzing, soort, datum, tekst):
    """The partner adds terugkoppeling to a verwijzing they may open (the caller fetched it with
    toegang.verwijzing_extern_of_404). Notifies the school. Returns the Terugkoppeling."""
    meldingen = []
    tekst = (tekst or "").strip()
    if soort not in Terugkoppeling.Soort.values:
        meldingen.append(_("Kies een soort uit de lijst."))
    if datum is None:
        meldingen.append(_("Vul de datum in."))
    elif datum > timezone.localdate():
        meldingen.append(_("De datum ligt in de toekomst. Vul de datum in waarop het gebeurde."))
    elif datum < verwijzing.aangemeld_op:
        meldingen.append(_("De datum ligt vóór de aanmelding (%(datum)s).") % {
            "datum": date_format(verwijzing.aangemeld_op, "j F Y")})
    if not tekst:
        meldingen.append(_("Schrijf uw terugkoppeling."))
    if meldingen:
        raise TerugkoppelingFout(meldingen)
    terugkoppeling = Terugkoppeling.objects.create(
        verwijzing=verwijzing, soort=soort, datum=datum, tekst=tekst, auteur=user, door_partner=True,
    )
    contact = toegang.contactpersoon_van(user)
    afzender = contact.instelling.naam if contact is not None else user.naam
    notificeer(
        ontvangers(verwijzing),
        _("Terugkoppeling van %(instelling)s over %(leerling)s: %(soort)s") % {
            "instelling": afzender, "leerling": verwijzing.leerling.naam,
            "soort": terugkoppeling.get_soort_display()},
        url=school_url(verwijzing), leerling=verwijzing.leerling, behalve=user,
    )
    return terugkoppeling
