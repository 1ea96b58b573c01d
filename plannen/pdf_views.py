"""PDF downloads of plans and the bulk ZIP export of handelingsplannen.

Everything is fetched through zorg.toegang; out of scope answers 404.
"""

from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerlingen import paginas
from zorg import toegang
from zorg.models import Afdeling
from zorg.views import school_vereist

from . import pdf, tasks
from .models import Export, Groepsoverzicht, Groepsplan, Handelingsplan

# Relations to a klas that may start a bulk export of its handelingsplannen.
EXPORTEURS = {"mentor", "teamleider", "zorgcoordinator"}


@school_vereist()
def handelingsplan_pdf(request, pk):
    leerling_id = Handelingsplan.objects.filter(pk=pk).values_list("leerling_id", flat=True).first()
    if leerling_id is None:
        raise Http404
    leerling = toegang.leerling_of_404(request.user, request.school, leerling_id)
    plan = get_object_or_404(
        toegang.handelingsplannen_voor(request.user, request.school, leerling).select_related(
            "leerling", "auteur", "vak", "periode"
        ),
        pk=pk,
    )
    if not toegang.mag_hele_handelingsplan_lezen(request.user, request.school, plan):
        raise Http404
    inhoud = pdf.handelingsplan_pdf(request.user, request.school, plan)
    toegang.log_inzage(request, leerling, _("handelingsplan (PDF)"), obj=plan)
    return pdf.pdf_antwoord(inhoud, pdf.handelingsplan_bestandsnaam(plan))


@school_vereist()
def groepsplan_pdf(request, pk):
    plan = get_object_or_404(Groepsplan.objects.select_related("klas", "periode", "vak", "auteur"), pk=pk)
    plan.klas = toegang.groepsdocumenten_klas_of_404(request.user, request.school, plan.klas_id)
    inhoud = pdf.groepsplan_pdf(request.user, request.school, plan)
    return pdf.pdf_antwoord(inhoud, pdf.groepsplan_bestandsnaam(plan))


@school_vereist()
def groepsoverzicht_pdf(request, pk):
    overzicht = get_object_or_404(Groepsoverzicht.objects.select_related("periode", "vak", "sjabloon"), pk=pk)
    overzicht.klas = toegang.groepsdocumenten_klas_of_404(request.user, request.school, overzicht.klas_id)
    inhoud = pdf.groepsoverzicht_pdf(request.user, request.school, overzicht)
    return pdf.pdf_antwoord(inhoud, pdf.groepsoverzicht_bestandsnaam(overzicht))


# --- Bulk export ----------------------------------------------------------------------------


def _start_export(request, omschrijving, **scope):
    export = Export.objects.create(aangevraagd_door=request.user, school=request.school, omschrijving=omschrijving)
    transaction.on_commit(lambda: tasks.exporteer_handelingsplannen.delay(export.pk, **scope))
    return redirect("export_status", export.pk)


def _export_pagina(request, titel, aantal_plannen):
    recente = Export.objects.filter(aangevraagd_door=request.user, school=request.school).order_by("-pk")[:5]
    return render(
        request,
        "plannen/export.html",
        {"titel": titel, "aantal_plannen": aantal_plannen, "recente": recente},
    )


@require_http_methods(["GET", "POST"])
@school_vereist()
def klas_export(request, pk):
    klas = toegang.klas_of_404(request.user, request.school, pk)
    if not toegang.klas_relatie(request.user, request.school, klas) & EXPORTEURS:
        raise Http404
    omschrijving = _("Handelingsplannen klas %(klas)s") % {"klas": klas.naam}
    if request.method == "POST":
        return _start_export(request, omschrijving, klas_id=klas.pk)
    aantal = len(tasks.plannen_voor_export(request.user, request.school, klas_id=klas.pk))
    return _export_pagina(request, omschrijving, aantal)


@require_http_methods(["GET", "POST"])
@school_vereist()
def afdeling_export(request, pk):
    afdeling = get_object_or_404(Afdeling, pk=pk, school=request.school)
    rollen = request.rollen
    if not (rollen.heeft("zorgcoordinator") or afdeling.pk in rollen.teamleider_afdelingen):
        raise Http404
    omschrijving = _("Handelingsplannen afdeling %(afdeling)s") % {"afdeling": afdeling.naam}
    if request.method == "POST":
        return _start_export(request, omschrijving, afdeling_id=afdeling.pk)
    aantal = len(tasks.plannen_voor_export(request.user, request.school, afdeling_id=afdeling.pk))
    return _export_pagina(request, omschrijving, aantal)


def _eigen_export_of_404(request, pk):
    """Only the requester sees an export, at the school it was made for."""
    return get_object_or_404(Export, pk=pk, aangevraagd_door=request.user, school=request.school)


@school_vereist()
def export_status(request, pk):
    export = _eigen_export_of_404(request, pk)
    return render(request, "plannen/export_status.html", {"titel": export.omschrijving, "export": export})


@school_vereist()
def export_voortgang(request, pk):
    """The progress fragment that the status page polls (htmx, every second until done)."""
    export = _eigen_export_of_404(request, pk)
    response = render(request, "plannen/_export_voortgang.html", {"export": export})
    response["Cache-Control"] = "private, no-store"
    return response


@school_vereist()
def export_download(request, pk):
    export = _eigen_export_of_404(request, pk)
    if export.status != Export.Status.KLAAR or not export.bestand:
        raise Http404
    try:
        bestand = export.bestand.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    naam = pdf.bestandsnaam(export.omschrijving, export.aangemaakt_op.date().isoformat()).removesuffix(".pdf")
    response = FileResponse(bestand, as_attachment=True, filename=f"{naam}.zip", content_type="application/zip")
    return paginas.vergrendeld(response)
