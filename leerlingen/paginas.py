"""Small helpers shared by the views of pupil-related pages (dossier, route, plans, meetings,
consent, referrals): the pupil header context, the refusal page and service messages on a form."""

from django.shortcuts import render
from django.utils.translation import gettext as _


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
