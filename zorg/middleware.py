import time
import zoneinfo

from django.conf import settings
from django.utils import timezone

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
