"""Unusual-access alerts (issue 9, Audit): refused requests are recorded, and a periodic check
(zorg.tasks.controleer_toegang, beat every 15 minutes) raises an Alarm for the school's
zorgcoördinators and applicatiebeheerders.

Three signals, each counted over the last VENSTER (one hour):
- WEIGERINGEN: a logged-in user got DREMPEL_WEIGERINGEN or more refusals (403/404), i.e. kept
  trying pages outside their scope (guessing ids, following old links en masse).
- VEEL_DOSSIERS: a user opened the records of DREMPEL_DOSSIERS or more different pupils of one
  school. A zorgcoördinator preparing an IZO or a mentor going through their klas opens 25-35
  dossiers in an hour; 40 distinct pupils is well above that.
- INLOGPOGINGEN: DREMPEL_INLOGPOGINGEN or more failed logins for one username (django-axes). Axes
  locks a username/address pair after 5 failures, so 10 means a second address or a retry after
  the lockout: someone is guessing.
At most one open alarm per user and soort per day (school time): a user who keeps going does not
flood the recipients; after an alarm is handled (afgehandeld) a new one can be raised.
"""

import datetime
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import notificaties, toegang
from .models import Alarm, Functie, Gebruiker, Inzage, School, Weigering

log = logging.getLogger(__name__)

VENSTER = datetime.timedelta(hours=1)
DREMPEL_WEIGERINGEN = 20
DREMPEL_DOSSIERS = 40
DREMPEL_INLOGPOGINGEN = 10

# Refusals that say nothing about a user's intentions.
NIET_VASTLEGGEN = ("/favicon.ico", "/robots.txt", "/apple-touch-icon")
GEWEIGERD = (403, 404)


class WeigeringMiddleware:
    """Record a Weigering for every 403/404 answer to a logged-in user: one INSERT, and a failing
    insert never changes the answer."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.overslaan = tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p and p != "/")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in GEWEIGERD and self._vastleggen(request):
            self._leg_vast(request, response.status_code)
        return response

    def _vastleggen(self, request):
        if getattr(request, "axes_locked_out", False):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        pad = request.path
        if self.overslaan and pad.startswith(self.overslaan):
            return False
        return not pad.startswith(NIET_VASTLEGGEN)

    def _leg_vast(self, request, status):
        school = getattr(request, "school", None)
        try:
            weigering = Weigering(
                gebruiker_id=request.user.pk, school_id=school.pk if school else None,
                pad=request.path[:300], status=status,
            )
            if connection.in_atomic_block:  # inside a transaction (tests, ATOMIC_REQUESTS): keep it usable
                with transaction.atomic():
                    weigering.save(force_insert=True)
            else:
                weigering.save(force_insert=True)
        except Exception:  # the refusal must reach the user whatever happens to its record
            log.exception("alarmen: could not record the refusal of %s", request.path[:300])


# --- The periodic check --------------------------------------------------------------------


def ontvangers(school):
    """Who is told about an alarm: the zorgcoördinators (and intern begeleiders) and the
    applicatiebeheerders of the school's current schooljaar."""
    schooljaar = school.huidig_schooljaar()
    if schooljaar is None:
        return []
    soorten = [Functie.Soort.ZORGCOORDINATOR, Functie.Soort.INTERN_BEGELEIDER, Functie.Soort.APPLICATIEBEHEERDER]
    ids = Functie.objects.filter(schooljaar=schooljaar, soort__in=soorten).values("gebruiker_id")
    return list(Gebruiker.objects.filter(pk__in=ids, is_active=True))


def scholen_van(gebruiker):
    """The schools an alarm about this user goes to: where they work now; for a parent, pupil or
    external contact (no staff role), the schools of their children, of their own pupil record or
    of their instelling."""
    scholen = toegang.scholen_voor(gebruiker)
    if scholen:
        return scholen
    return list(School.objects.filter(
        Q(leerlingen__ouderrelaties__ouder__gebruiker=gebruiker) | Q(leerlingen__gebruiker=gebruiker)
        | Q(instellingen__contactpersonen__gebruiker=gebruiker)
    ).distinct())


def _begin_van_dag(nu):
    lokaal = timezone.localtime(nu)
    return lokaal.replace(hour=0, minute=0, second=0, microsecond=0)


def _meld(school, gebruiker, soort, aantal, omschrijving, nu):
    """Raise one alarm unless this user already has an open one of this soort today. Returns the
    new alarm or None."""
    bestaand = Alarm.objects.filter(
        school=school, gebruiker=gebruiker, soort=soort, afgehandeld_op__isnull=True, op__gte=_begin_van_dag(nu),
    )
    if bestaand.exists():
        return None
    alarm = Alarm.objects.create(
        school=school, gebruiker=gebruiker, gebruiker_naam=gebruiker.naam[:200], soort=soort, aantal=aantal,
        omschrijving=omschrijving[:300], op=nu,
    )
    tekst = _("Alarm: %(soort)s door %(naam)s (%(aantal)s in het afgelopen uur)") % {
        "soort": alarm.get_soort_display(), "naam": alarm.gebruiker_naam, "aantal": aantal,
    }
    url = reverse("audit_alarmen") + f"#alarm-{alarm.pk}"
    notificaties.notificeer(ontvangers(school), tekst, url=url, behalve=gebruiker)
    return alarm


def _weigeringen(sinds, nu):
    """Users with too many refusals: one alarm per school where they were refused (refusals
    without a chosen school, such as a parent's in the portal, go to the schools of scholen_van)."""
    nieuw = 0
    per_gebruiker = (
        Weigering.objects.filter(op__gte=sinds).values("gebruiker_id").annotate(n=Count("id"))
        .filter(n__gte=DREMPEL_WEIGERINGEN)
    )
    for rij in per_gebruiker:
        gebruiker = Gebruiker.objects.get(pk=rij["gebruiker_id"])
        school_ids = set(
            Weigering.objects.filter(op__gte=sinds, gebruiker=gebruiker, school__isnull=False)
            .values_list("school_id", flat=True).distinct()
        )
        scholen = list(School.objects.filter(pk__in=school_ids)) or scholen_van(gebruiker)
        for school in scholen:
            omschrijving = _("%(aantal)s geweigerde pogingen (403/404) binnen een uur.") % {"aantal": rij["n"]}
            nieuw += _meld(school, gebruiker, Alarm.Soort.WEIGERINGEN, rij["n"], omschrijving, nu) is not None
    return nieuw


def _dossiers(sinds, nu):
    """Users who opened the records of many different pupils of one school."""
    nieuw = 0
    rijen = (
        Inzage.objects.filter(op__gte=sinds, gebruiker__isnull=False)
        .values("gebruiker_id", "leerling__school_id")
        .annotate(n=Count("leerling_id", distinct=True))
        .filter(n__gte=DREMPEL_DOSSIERS)
    )
    for rij in rijen:
        gebruiker = Gebruiker.objects.get(pk=rij["gebruiker_id"])
        school = School.objects.get(pk=rij["leerling__school_id"])
        omschrijving = _("Dossiers van %(aantal)s verschillende leerlingen geopend binnen een uur.") % {
            "aantal": rij["n"],
        }
        nieuw += _meld(school, gebruiker, Alarm.Soort.VEEL_DOSSIERS, rij["n"], omschrijving, nu) is not None
    return nieuw


def mislukte_inlogs(sinds):
    """{username: failed logins since `sinds`} from django-axes: the failure log when it is kept
    (AXES_ENABLE_ACCESS_FAILURE_LOG), else the attempt counters (one per username, address and
    browser, with the time of the last failure)."""
    from axes.models import AccessAttempt, AccessFailureLog

    if getattr(settings, "AXES_ENABLE_ACCESS_FAILURE_LOG", False):
        rijen = (
            AccessFailureLog.objects.filter(attempt_time__gte=sinds, username__isnull=False)
            .values("username").annotate(n=Count("id"))
        )
    else:
        rijen = (
            AccessAttempt.objects.filter(attempt_time__gte=sinds, username__isnull=False)
            .values("username").annotate(n=Sum("failures_since_start"))
        )
    return {rij["username"]: rij["n"] for rij in rijen}


def _inlogpogingen(sinds, nu):
    """Usernames with many failed logins: an alarm at each school the account works at. A username
    that belongs to nobody has no school to tell (axes still locks it out)."""
    nieuw = 0
    for username, n in mislukte_inlogs(sinds).items():
        if n < DREMPEL_INLOGPOGINGEN:
            continue
        gebruiker = Gebruiker.objects.filter(username__iexact=username).first()
        if gebruiker is None:
            continue
        omschrijving = _("%(aantal)s mislukte inlogpogingen voor gebruikersnaam ‘%(naam)s’ binnen een uur.") % {
            "aantal": n, "naam": username[:100],
        }
        for school in scholen_van(gebruiker):
            nieuw += _meld(school, gebruiker, Alarm.Soort.INLOGPOGINGEN, n, omschrijving, nu) is not None
    return nieuw


def controleer(nu=None):
    """Raise the alarms the last hour calls for; returns how many were raised."""
    nu = nu or timezone.now()
    sinds = nu - VENSTER
    with override(settings.LANGUAGE_CODE):  # alarms and notices are Dutch, whoever runs the check
        return _weigeringen(sinds, nu) + _dossiers(sinds, nu) + _inlogpogingen(sinds, nu)


# --- The alarm list ------------------------------------------------------------------------


def alarmen_van(school):
    """The school's alarms: open ones first, newest first within each group."""
    return Alarm.objects.filter(school=school).select_related("afgehandeld_door").order_by(
        F("afgehandeld_op").desc(nulls_first=True), "-op", "-pk",
    )


def open_alarmen(school):
    return Alarm.objects.filter(school=school, afgehandeld_op__isnull=True)


class AlarmFout(Exception):
    def __init__(self, melding):
        super().__init__(melding)
        self.meldingen = [melding]


def handel_af(alarm, door, toelichting):
    """Mark an alarm handled, with what was found or done."""
    toelichting = (toelichting or "").strip()
    if not toelichting:
        raise AlarmFout(_("Schrijf kort op wat u hebt nagekeken of gedaan."))
    if len(toelichting) > 500:
        raise AlarmFout(_("De toelichting is te lang (ten hoogste 500 tekens)."))
    if "\x00" in toelichting:  # PostgreSQL cannot store it
        raise AlarmFout(_("De toelichting bevat een teken dat niet kan worden opgeslagen (een nul-teken)."))
    if alarm.afgehandeld_op is not None:
        raise AlarmFout(_("Dit alarm is al afgehandeld."))
    alarm.afgehandeld_op = timezone.now()
    alarm.afgehandeld_door = door
    alarm.toelichting = toelichting
    alarm.save(update_fields=["afgehandeld_op", "afgehandeld_door", "toelichting"])
    return alarm
