import zoneinfo

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
