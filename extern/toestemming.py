"""When consent counts (domain.md, External: Toestemming; seed 003 §3.9 and §6.2).

A consent counts when it is given, not expired or withdrawn, for the doel (and, for a doel that
names one, the same instelling), and given by whom the school's age rule requires:
- under `School.toestemming_leerling_mee_vanaf` (default 12): an ouder with gezag;
- from that age: an ouder with gezag and the pupil (leerling_akkoord);
- from `School.toestemming_leerling_zelf_vanaf` (default 16): the pupil decides (leerling_akkoord).
A pupil without a known date of birth is treated as under the first age.

The access layer and every gate (named ZAT item, referral, external access) call `geldige`.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Toestemming

Doel = Toestemming.Doel


def leeftijd(leerling, op):
    """Age in whole years on `op`, or None when the date of birth is unknown."""
    geboren = leerling.geboortedatum
    if geboren is None:
        return None
    return op.year - geboren.year - ((op.month, op.day) < (geboren.month, geboren.day))


def wie_beslist(leerling, op=None):
    """'ouders', 'samen' or 'leerling': whose consent counts for this pupil on `op`."""
    op = op or timezone.localdate()
    jaren = leeftijd(leerling, op)
    school = leerling.school
    if jaren is not None and jaren >= school.toestemming_leerling_zelf_vanaf:
        return "leerling"
    if jaren is not None and jaren >= school.toestemming_leerling_mee_vanaf:
        return "samen"
    return "ouders"


def _door_wie(leerling, op):
    gezag = Q(ouder__relaties__leerling=leerling, ouder__relaties__gezag=True)
    beslist = wie_beslist(leerling, op)
    if beslist == "leerling":
        return Q(leerling_akkoord=True)
    if beslist == "samen":
        return gezag & Q(leerling_akkoord=True)
    return gezag


def geldige_qs(leerling, doelen, instelling=None, op=None):
    """The consents that count now for one of `doelen` (newest first)."""
    op = op or timezone.localdate()
    qs = Toestemming.objects.filter(
        _door_wie(leerling, op), leerling=leerling, doel__in=list(doelen), status=Toestemming.Status.GEGEVEN,
    ).filter(Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=op))
    if instelling is not None:  # consent for sharing or referral names the instelling
        qs = qs.filter(instelling=instelling)
    return qs.distinct().order_by("-datum", "-pk")


def geldige(leerling, doelen, instelling=None, op=None):
    """The newest consent that counts for one of `doelen` (for `instelling`), or None."""
    return geldige_qs(leerling, doelen, instelling, op).select_related("ouder").first()


def waarom_niet(leerling, doelen, instelling=None, op=None):
    """Why no consent counts, in one Dutch sentence naming what is missing (empty when one does)."""
    op = op or timezone.localdate()
    if geldige(leerling, doelen, instelling, op) is not None:
        return ""
    kandidaten = Toestemming.objects.filter(leerling=leerling, doel__in=list(doelen))
    if instelling is not None:
        kandidaten = kandidaten.filter(instelling=instelling)
    laatste = kandidaten.select_related("ouder").order_by("-datum", "-pk").first()
    if laatste is None:
        return _("Er is nog geen toestemming vastgelegd; vraag de toestemming aan of leg de (papieren) toestemming "
                 "vast.")
    if laatste.status != Toestemming.Status.GEGEVEN:
        return _("De laatst vastgelegde toestemming is %(status)s.") % {"status": laatste.get_status_display()}
    if laatste.geldig_tot is not None and laatste.geldig_tot < op:
        return _("De vastgelegde toestemming is verlopen op %(datum)s.") % {
            "datum": date_format(laatste.geldig_tot, "j F Y")}
    beslist = wie_beslist(leerling, op)
    if beslist != "ouders" and not laatste.leerling_akkoord:
        if beslist == "leerling":
            return _("De leerling is %(jaren)s jaar en beslist zelf: de toestemming van de leerling ontbreekt.") % {
                "jaren": leeftijd(leerling, op)}
        return _("Vanaf %(jaren)s jaar is naast een ouder met gezag ook de toestemming van de leerling nodig; die "
                 "ontbreekt.") % {"jaren": leerling.school.toestemming_leerling_mee_vanaf}
    naam = laatste.ouder.naam if laatste.ouder_id else _("onbekend")
    return _("De vastgelegde toestemming is gegeven door %(ouder)s, die geen ouderlijk gezag heeft over deze "
             "leerling.") % {"ouder": naam}
