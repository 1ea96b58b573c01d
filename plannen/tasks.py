"""Bulk export: all handelingsplannen of a klas or afdeling as one ZIP (a Celery task).

Memory: the ZIP is written to a temporary file on disk and copied to the storage from there, so
only one PDF at a time is in memory; the PDFs share one WeasyPrint font configuration
(plannen.pdf.font_configuration), so the worker does not grow per PDF. Measured with
`make bench-pdf`: a 200-plan export runs in one task with flat memory; the worker settings
CELERY_WORKER_MAX_TASKS_PER_CHILD / _MAX_MEMORY_PER_CHILD (zorg/settings.py) bound it across tasks.
"""

import logging
import secrets
import tempfile
import zipfile

from celery import shared_task
from django.core.files import File
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from leerlingen.models import Leerling
from zorg import toegang

from . import pdf
from .models import Export

logger = logging.getLogger(__name__)


def plannen_voor_export(user, school, klas_id=None, afdeling_id=None):
    """The handelingsplannen of the pupils in the klas/afdeling (current schooljaar) the user may read."""
    klassen = toegang.klassen_voor(user, school)
    klassen = klassen.filter(pk=klas_id) if klas_id else klassen.filter(afdeling_id=afdeling_id)
    leerlingen = (
        toegang.leerlingen_voor(user, school)
        .filter(pk__in=Leerling.objects.filter(plaatsingen__klas__in=klassen).values("pk"))
        .order_by("achternaam", "voornaam", "pk")
    )
    plannen = []
    for leerling in leerlingen:
        qs = toegang.handelingsplannen_voor(user, school, leerling).select_related(
            "leerling", "auteur", "vak", "periode"
        )
        plannen.extend(qs.order_by("start", "pk"))
    return plannen


@shared_task
def exporteer_handelingsplannen(export_id, klas_id=None, afdeling_id=None):
    """Render every plan in scope to PDF and write them as one ZIP to Export.bestand.

    Idempotent: a finished export is left alone; a rerun after a crash starts over. The
    inzagelog rows are written in the same transaction that marks the export klaar, so a
    crashed run leaves none behind and a rerun does not log twice.
    """
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("aangevraagd_door", "school").get(pk=export_id)
        if export.status == Export.Status.KLAAR:
            return export.bestand.name
        export.status = Export.Status.BEZIG
        export.gedaan = 0
        export.save(update_fields=["status", "gedaan"])
    user, school = export.aangevraagd_door, export.school
    try:
        plannen = plannen_voor_export(user, school, klas_id=klas_id, afdeling_id=afdeling_id)
        Export.objects.filter(pk=export_id).update(totaal=len(plannen))
        # On disk, not in memory: a big klas or afdeling gives a ZIP of many megabytes.
        with tempfile.TemporaryFile(prefix="zorgroute-export-", suffix=".zip") as tijdelijk:
            with zipfile.ZipFile(tijdelijk, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for i, plan in enumerate(plannen, start=1):
                    naam = pdf.handelingsplan_bestandsnaam(plan).removesuffix(".pdf")
                    zf.writestr(f"{naam}-{plan.pk}.pdf", pdf.handelingsplan_pdf(user, school, plan))
                    Export.objects.filter(pk=export_id).update(gedaan=i)
            with transaction.atomic():
                export = Export.objects.select_for_update().get(pk=export_id)
                if export.status == Export.Status.KLAAR:  # a concurrent run finished first
                    return export.bestand.name
                bestandsnaam = f"{slugify(export.omschrijving)[:80] or 'export'}-{secrets.token_hex(8)}.zip"
                tijdelijk.seek(0)
                export.bestand.save(bestandsnaam, File(tijdelijk, name=bestandsnaam), save=False)
                export.status = Export.Status.KLAAR
                export.gedaan = export.totaal = len(plannen)
                export.save(update_fields=["bestand", "status", "gedaan", "totaal"])
                for plan in plannen:
                    toegang.log_inzage_voor(user, school, plan.leerling, _("handelingsplan (PDF)"), obj=plan)
        return export.bestand.name
    except Exception:
        logger.exception("Export %s mislukt", export_id)
        Export.objects.filter(pk=export_id).exclude(status=Export.Status.KLAAR).update(status=Export.Status.MISLUKT)
        raise
