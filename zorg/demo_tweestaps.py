"""Two-factor authentication in the demo: every staff and external demo account gets a confirmed
TOTP app with ONE fixed, public demo secret (DEMO_GEHEIM), so anyone trying the demo can log in:
`make code` prints the current 6-digit code, or add the secret to an authenticator app. Parents and
pupils get none (optional for them). Never use this secret outside the demo."""

import base64
import time

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from extern.models import Contactpersoon

from .models import Functie, Gebruiker, Klas, Lesopdracht

# Base32, 20 bytes: what an authenticator app asks for when adding an account by hand.
DEMO_GEHEIM = "ZORGROUTEDEMOZORGROUTEDEMO234567"
DEMO_SLEUTEL = base64.b32decode(DEMO_GEHEIM).hex()
STAP = 30


def code():
    """The demo secret's current 6-digit code."""
    return f"{totp(bytes.fromhex(DEMO_SLEUTEL), step=STAP, t0=0, digits=6):06d}"


def seconden_geldig():
    return STAP - int(time.time()) % STAP


def code_voor_apparaat(apparaat):
    """A code the device accepts now: the current step, or the next one when the current step was
    already used (django-otp refuses a code twice; tests log the same user in more than once)."""
    nu = int(time.time()) // STAP
    stap = max(nu, (apparaat.last_t or -1) + 1)
    if stap > nu + apparaat.drift + apparaat.tolerance:
        raise RuntimeError("no unused TOTP code within the tolerance; wait 30 seconds")
    return f"{totp(apparaat.bin_key, step=STAP, t0=0, digits=6, drift=stap - nu):06d}"


def geef_apparaten(school):
    """A confirmed TOTP app with the demo secret for the school's staff and external contacts."""
    ids = set(Functie.objects.filter(schooljaar__school=school).values_list("gebruiker_id", flat=True))
    ids |= set(Klas.mentoren.through.objects.filter(klas__schooljaar__school=school)
               .values_list("gebruiker_id", flat=True))
    ids |= set(Lesopdracht.objects.filter(klas__schooljaar__school=school).values_list("docent_id", flat=True))
    ids |= set(Contactpersoon.objects.filter(instelling__school=school, gebruiker__isnull=False)
               .values_list("gebruiker_id", flat=True))
    ids -= set(TOTPDevice.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
    TOTPDevice.objects.bulk_create([
        TOTPDevice(user_id=pk, name="demo", key=DEMO_SLEUTEL, confirmed=True)
        for pk in Gebruiker.objects.filter(pk__in=ids).values_list("pk", flat=True)
    ])
