"""The inzagelog of one pupil: for the zorgcoördinator from the dossier, for a parent per child."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import inzagelog, toegang
from .views import school_vereist


def _pagina(request, qs):
    return Paginator(qs, inzagelog.PER_PAGINA).get_page(request.GET.get("pagina"))


@school_vereist("zorgcoordinator")
@require_GET
def inzagelog_leerling(request, pk):
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    if not inzagelog.mag_lezen(request.user, request.school, leerling):
        raise Http404
    return render(request, "zorg/inzagelog.html", {
        "leerling": leerling, "pagina": _pagina(request, inzagelog.inzagen(leerling)),
        "titel": _("Inzagelog %(leerling)s") % {"leerling": leerling.naam},
    })
