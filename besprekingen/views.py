"""The one URL of a bespreking: the groepsbespreking screen or the IZO/ZAT meeting screen."""

from zorg import toegang
from zorg.views import school_vereist

from . import groeps_views, vergadering_views


@school_vereist()
def bespreking(request, pk):
    bespreking = toegang.bespreking_of_404(request.user, request.school, pk)
    if bespreking.soort == bespreking.Soort.GROEPSBESPREKING:
        return groeps_views.bespreking(request, bespreking)
    return vergadering_views.bespreking(request, bespreking)


def nog_niet(request, *args, **kwargs):
    """Placeholder for a page whose area is still being built (replaced by that area)."""
    from django.http import Http404

    raise Http404
