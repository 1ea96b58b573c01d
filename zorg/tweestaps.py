"""Two-factor authentication (TOTP with recovery codes): who must use it, and the middleware that
sends staff and external partners through the second step before anything else.

The rule (one function, tweestaps_verplicht): every account that can reach care data must use a
second step: staff of any school (a functie, mentor of a klas, docent of a lesopdracht, in any
schooljaar), external contacts, superusers and Django staff (/systeembeheer/). Parents and pupils
may turn it on in the portal's Instellingen page.

Devices (django-otp): one TOTP app ("app") and one static device with 10 single-use recovery codes
("herstelcodes"). Wrong codes are counted per account: after TWEEDE_STAP_LIMIET wrong codes the
second step is refused for AXES_COOLOFF_TIME (django-otp's own exponential throttling is off, see
settings: OTP_*_THROTTLE_FACTOR = 0).
"""

import base64
import io
from urllib.parse import urlencode, urlsplit

import segno
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .afremmen import Teller

TWEEDE_STAP_LIMIET = 5
AANTAL_HERSTELCODES = 10
APP_NAAM = "app"
HERSTEL_NAAM = "herstelcodes"

tweede_stap_teller = Teller("tweestaps", TWEEDE_STAP_LIMIET, settings.AXES_COOLOFF_TIME)


def _status(user):
    """(must use 2FA, has a confirmed device), in one query, cached on the request's user object."""
    if not hasattr(user, "_tweestaps_status"):
        from extern.models import Contactpersoon

        from .models import Functie, Gebruiker, Klas, Lesopdracht

        ik = OuterRef("pk")
        rij = (
            Gebruiker.objects.filter(pk=user.pk)
            .annotate(
                medewerker=Exists(Functie.objects.filter(gebruiker=ik))
                | Exists(Klas.mentoren.through.objects.filter(gebruiker=ik))
                | Exists(Lesopdracht.objects.filter(docent=ik))
                | Exists(Contactpersoon.objects.filter(gebruiker=ik)),
                app=Exists(TOTPDevice.objects.filter(user=ik, confirmed=True)),
                herstel=Exists(StaticDevice.objects.filter(user=ik, confirmed=True)),
            )
            .values_list("medewerker", "app", "herstel")
            .first()
        ) or (False, False, False)
        verplicht = rij[0] or user.is_superuser or user.is_staff
        user._tweestaps_status = (verplicht, rij[1] or rij[2])
    return user._tweestaps_status


def tweestaps_verplicht(user):
    """Must this account log in with a second step? Staff of any school, external contacts,
    superusers and Django staff: yes. Parents and pupils: no (optional)."""
    if not user.is_authenticated:
        return False
    return _status(user)[0]


def heeft_tweestaps(user):
    """Has the account a confirmed TOTP app (or recovery codes)?"""
    return user.is_authenticated and _status(user)[1]


def is_geverifieerd(user):
    return bool(getattr(user, "is_verified", None) and user.is_verified())


# --- devices -----------------------------------------------------------------------------------


def nieuw_app_apparaat(user):
    """The unconfirmed TOTP device to set up (the same one across page loads, so the QR code holds)."""
    apparaat = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if apparaat is None:
        apparaat = TOTPDevice.objects.create(user=user, name=APP_NAAM, confirmed=False)
    return apparaat


def app_apparaat(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def geheim(apparaat):
    """The base32 secret, in groups of four for typing into an app by hand."""
    tekst = base64.b32encode(apparaat.bin_key).decode()
    return " ".join(tekst[i:i + 4] for i in range(0, len(tekst), 4))


def qr_data_uri(apparaat):
    """The otpauth:// URL as a QR code, an SVG data: URI for an <img> (no inline styles: CSP)."""
    qr = segno.make(apparaat.config_url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def normaliseer(code):
    return "".join((code or "").split()).replace("-", "").lower()


@transaction.atomic
def bevestig_app(user, apparaat, code):
    """Confirm a new TOTP app with its first code; returns the new recovery codes, or None."""
    if not apparaat.verify_token(normaliseer(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=apparaat.pk).delete()
    apparaat.confirmed = True
    apparaat.save(update_fields=["confirmed"])
    return nieuwe_herstelcodes(user)


@transaction.atomic
def nieuwe_herstelcodes(user):
    """Replace the account's recovery codes by AANTAL_HERSTELCODES new ones; returns them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    apparaat = StaticDevice.objects.create(user=user, name=HERSTEL_NAAM, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(AANTAL_HERSTELCODES)]
    StaticToken.objects.bulk_create([StaticToken(device=apparaat, token=code) for code in codes])
    return codes


def herstelcodes_over(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def controleer_code(user, code):
    """The device that accepts this code (a 6-digit TOTP code, or a recovery code, which is used up),
    or None."""
    code = normaliseer(code)
    if not code:
        return None
    if code.isdigit() and len(code) == 6:
        for apparaat in TOTPDevice.objects.filter(user=user, confirmed=True):
            if apparaat.verify_token(code):
                return apparaat
        return None
    for apparaat in StaticDevice.objects.filter(user=user, confirmed=True):
        if apparaat.verify_token(code):
            return apparaat
    return None


def verwijder_apparaten(user):
    """Switch the second step off for this account (all apps and recovery codes)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- middleware --------------------------------------------------------------------------------

# URL names an account that still has to pass the second step may open.
VRIJE_URLS = {
    "login", "logout", "tweestaps_code", "tweestaps_instellen",
    "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
    "taal_kiezen", "set_language",
}


class TweeStapsMiddleware:
    """An authenticated user who has not passed the second step in this session, and who has a
    confirmed device or must use one, reaches only login, logout, the code and setup pages,
    password reset, static files and the language switch; everything else (the Django admin too)
    redirects to the code page, or to the setup page when there is no device yet. htmx requests
    get an HX-Redirect header instead. The page asked for comes along as ?next=."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or is_geverifieerd(user):
            return None
        match = request.resolver_match
        if match is not None and not match.namespaces and match.url_name in VRIJE_URLS:
            return None
        verplicht, heeft = _status(user)
        if not (verplicht or heeft):
            return None
        doel = reverse("tweestaps_code" if heeft else "tweestaps_instellen")
        if request.headers.get("HX-Request"):
            huidig = urlsplit(request.headers.get("HX-Current-URL", ""))
            volgende = f"{huidig.path}?{huidig.query}" if huidig.query else huidig.path
        else:
            volgende = request.get_full_path() if request.method == "GET" else ""
        if volgende and volgende != "/":
            doel = f"{doel}?{urlencode({'next': volgende})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=200)
            response["HX-Redirect"] = doel
            return response
        return redirect(doel)
