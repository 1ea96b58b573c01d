"""Logging in a test Client the real way: the password form, then the second step (typing the
current TOTP code, or setting up an app first). Unlike force_login this goes through django-axes
(which needs a request, so Client.login does not work) and the two-factor middleware."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from zorg import demo_tweestaps


def markeer_geverifieerd(client, user):
    """Mark a force-logged-in client's session as past the second step, as django_otp.login does
    (giving the user a confirmed TOTP device when it has none). Used by the force_login patch in
    tests/conftest.py; tests/bench.py can call it after force_login."""
    from django_otp import DEVICE_ID_SESSION_KEY

    apparaat = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if apparaat is None:
        apparaat = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    sessie = client.session
    sessie[DEVICE_ID_SESSION_KEY] = apparaat.persistent_id
    sessie.save()


def wachtwoord_klopt(client, username, password):
    """Step one only: does the password form accept these credentials?"""
    response = client.post("/inloggen/", {"username": username, "password": password})
    return response.status_code == 302


def tweede_stap(client, username):
    """After the password: type the current code, or set up an app when the account has none yet
    and must use one (then go on past the recovery codes). Does nothing for accounts without it."""
    response = client.get("/account/")
    locatie = response.get("Location", "") if response.status_code == 302 else ""
    if locatie.startswith("/inloggen/code/"):
        apparaat = TOTPDevice.objects.get(user__username=username, confirmed=True)
        client.post("/inloggen/code/", {"code": demo_tweestaps.code_voor_apparaat(apparaat)})
    elif locatie.startswith("/account/tweestaps/instellen/"):
        client.get(locatie)
        apparaat = TOTPDevice.objects.get(user__username=username, confirmed=False)
        client.post("/account/tweestaps/instellen/", {"code": demo_tweestaps.code_voor_apparaat(apparaat)})
        client.post("/account/tweestaps/herstelcodes/")


def inloggen(client, username, password):
    """Both steps; True when the client ends up fully logged in."""
    if not wachtwoord_klopt(client, username, password):
        return False
    tweede_stap(client, username)
    response = client.get("/account/")
    tegengehouden = response.status_code == 302 and response["Location"].startswith(
        ("/inloggen/", "/account/tweestaps/"))
    return "_auth_user_id" in client.session and not tegengehouden
