"""Inzageverzoek: the zorgcoördinator's page and the two downloads (PDF, ZIP) of everything held
about one pupil. Each download writes an inzagelog row."""

from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from leerlingen import paginas
from plannen.pdf import pdf_antwoord

from . import inzageverzoek, toegang
from .views import school_vereist


@school_vereist("zorgcoordinator")
@require_GET
def pagina(request, pk):
    leerling = toegang.schoolleerling_voor_zorgcoordinator_of_404(request.user, request.school, pk)
    return render(request, "zorg/inzageverzoek.html", {
        "leerling": leerling,
        "aantallen": inzageverzoek.aantallen(leerling),
        "termijn_weken": inzageverzoek.TERMIJN_WEKEN,
        "titel": _("Inzageverzoek %(leerling)s") % {"leerling": leerling.naam},
    })


@school_vereist("zorgcoordinator")
@require_GET
def pdf(request, pk):
    leerling = toegang.schoolleerling_voor_zorgcoordinator_of_404(request.user, request.school, pk)
    toegang.log_inzage(request, leerling, inzageverzoek.ONDERDEEL_PDF)
    export = inzageverzoek.verzamel(leerling, request.user, request.school)
    inhoud = inzageverzoek.als_pdf(export, request.school)
    return pdf_antwoord(inhoud, inzageverzoek.bestandsnaam(leerling, "pdf"), bijlage=True)


@school_vereist("zorgcoordinator")
@require_GET
def zip_bestand(request, pk):
    leerling = toegang.schoolleerling_voor_zorgcoordinator_of_404(request.user, request.school, pk)
    toegang.log_inzage(request, leerling, inzageverzoek.ONDERDEEL_ZIP)
    export = inzageverzoek.verzamel(leerling, request.user, request.school)
    bestand = inzageverzoek.als_zip(export, request.school)
    response = FileResponse(bestand, as_attachment=True, filename=inzageverzoek.bestandsnaam(leerling, "zip"),
                            content_type="application/zip")
    return paginas.vergrendeld(response)
