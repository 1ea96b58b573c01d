from django.conf import settings
from django.utils.functional import SimpleLazyObject

from zorg import toegang


def portaal(request):
    """The portal's language list, and whether the user is a pupil with an own account."""
    user = getattr(request, "user", None)
    return {
        "portaal_talen": settings.PORTAAL_TALEN,
        "portaal_leerling": SimpleLazyObject(
            lambda: toegang.eigen_leerling(user) if user is not None and user.is_authenticated else None),
    }
