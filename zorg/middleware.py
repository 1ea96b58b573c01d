import time
import zoneinfo

from django.conf import settings
from django.utils import timezone, translation

from . import toegang


class SchoolMiddleware:
    """Set request.school: the school the user works at now (chosen when there are several),
    and show times in that school's time zone (Aruba schools: America/Aruba)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = None
        request.scholen = []
        if request.user.is_authenticated:
            scholen = toegang.scholen_voor(request.user)
            request.scholen = scholen
            gekozen = request.session.get("school_id")
            request.school = next((s for s in scholen if s.pk == gekozen), None)
            if request.school is None and len(scholen) == 1:
                request.school = scholen[0]
        if request.school is not None and request.school.tijdzone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(request.school.tijdzone))
            except zoneinfo.ZoneInfoNotFoundError:
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class SessieVerlengenMiddleware:
    """Keep a session alive while the user is active, without a database write per request.

    The session's idle limit is SESSION_COOKIE_AGE. Re-saving it on every request (Django's
    SESSION_SAVE_EVERY_REQUEST) costs a transaction per page; renewing it once the last renewal
    is more than a tenth of the limit old (at most a minute) keeps the idle limit within that
    margin and saves the write on most requests.
    """

    SLEUTEL = "_verlengd_op"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        sessie = getattr(request, "session", None)
        if sessie is not None and not sessie.is_empty() and request.user.is_authenticated:
            marge = min(60, settings.SESSION_COOKIE_AGE // 10)
            nu = int(time.time())
            if nu - sessie.get(self.SLEUTEL, 0) >= marge:
                sessie[self.SLEUTEL] = nu  # marks the session modified: SessionMiddleware saves it
        return response


# The portal's URL prefixes: pages there are shown in the user's language, everything else in Dutch.
PORTAAL_PADEN = ("/ouders/", "/leerling/")
# The pages a parent sees before logging in take the language chosen there (a cookie).
OPEN_PADEN = ("/inloggen/", "/wachtwoord/")


def portaal_taal(request):
    """The language of a portal page: the user's choice when logged in, else the cookie's."""
    gekozen = getattr(request.user, "taal", "") if request.user.is_authenticated else ""
    gekozen = gekozen or request.COOKIES.get(settings.TAAL_COOKIE, "")
    return gekozen if gekozen in dict(settings.PORTAAL_TALEN) else settings.LANGUAGE_CODE


class TaalMiddleware:
    """Staff pages stay Dutch whatever the browser asks for; portal pages (and the login pages,
    which parents see too) follow the language the parent or pupil chose. Replaces Django's
    LocaleMiddleware, which would follow the browser's Accept-Language everywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pad = request.path_info
        if pad.startswith(PORTAAL_PADEN) or pad.startswith(OPEN_PADEN):
            taal = portaal_taal(request)
        else:
            taal = settings.LANGUAGE_CODE
        translation.activate(taal)
        request.LANGUAGE_CODE = taal
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", taal)
        return response
