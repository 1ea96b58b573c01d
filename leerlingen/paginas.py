"""Small helpers shared by the views of pupil-related pages (dossier, route, plans, meetings,
consent, referrals): the pupil header context, the refusal page, service messages on a form and
the download of an uploaded dossier file."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import dossier


def kop(leerling):
    """Context for templates/leerlingen/_kop.html: the pupil, current klas and its mentors."""
    klas = leerling.huidige_klas()
    return {"leerling": leerling, "klas": klas, "mentoren": list(klas.mentoren.all()) if klas else []}


def geweigerd(request, leerling, melding):
    """The 403 page for a pupil the user may see but may not do this for."""
    context = {**kop(leerling), "melding": melding, "titel": _("Niet toegestaan")}
    return render(request, "leerlingen/route_geweigerd.html", context, status=403)


def fouten(form, fout):
    """Put a service exception's Dutch messages on the form (the input stays as typed)."""
    for melding in fout.meldingen:
        form.add_error(None, melding)


def bestand_download(item):
    """An entry's uploaded file as a locked-down attachment (404 when it is missing). The caller
    checked access and logs the read."""
    if not item.bestand:
        raise Http404
    try:
        bestand = item.bestand.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        bestand, as_attachment=True,
        filename=item.bestandsnaam or f"document.{item.bestand.name.rsplit('.', 1)[-1]}",
        content_type=dossier.content_type_van(item),
    )
    return vergrendeld(response)


def vergrendeld(response):
    """A download of an uploaded or generated file: never rendered as a page, framed or cached."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
