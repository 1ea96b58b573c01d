from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zorg import toegang


def _contactpersoon_of_404(request):
    contactpersoon = getattr(request.user, "contactpersoon", None)
    if contactpersoon is None:
        raise Http404
    return contactpersoon


@login_required
def extern_start(request):
    """An external contact's start page: the ZAT meetings they take part in (and, issue Extern,
    the pupils referred to them)."""
    contactpersoon = _contactpersoon_of_404(request)
    school = contactpersoon.instelling.school
    besprekingen = list(
        toegang.besprekingen_voor(request.user, school).select_related("voorzitter").order_by("-begin")[:50]
    )
    for bespreking in besprekingen:
        bespreking.aantal_punten = toegang.agendapunten_voor(request.user, school, bespreking).count()
    return render(
        request,
        "extern/start.html",
        {"contactpersoon": contactpersoon, "verwijzingen": [], "besprekingen": besprekingen,
         "titel": _("Verwijzingen en ZAT-besprekingen")},
    )


@login_required
@require_GET
def extern_bespreking(request, pk):
    """A ZAT meeting an external contact takes part in: only the items they may read (anonymous
    ones and those with a referral to their instelling), never a name of an anonymous pupil.
    request.school is None for external users: the school is their instelling's."""
    from besprekingen import services, vergadering

    contactpersoon = _contactpersoon_of_404(request)
    school = contactpersoon.instelling.school
    bespreking = toegang.bespreking_of_404(request.user, school, pk)
    punten = vergadering.punten_met_afspraken(
        toegang.agendapunten_voor(request.user, school, bespreking)
        .select_related("leerling__school", "case_manager", "zorgniveau_besluit__van_niveau",
                        "zorgniveau_besluit__naar_niveau")
        .order_by("volgorde", "pk")
    )
    vergadering.verberg_vertrouwelijk(request.user, school, bespreking, punten)
    for punt in punten:
        if punt.leerling_id:
            toegang.log_inzage_voor(request.user, school, punt.leerling, "verslag bespreking", punt)
    datum = vergadering.vergaderdatum(bespreking)
    deelnemers = list(bespreking.deelnemers.select_related("gebruiker", "contactpersoon__instelling"))
    return render(request, "extern/bespreking.html", {
        "contactpersoon": contactpersoon, "school": school, "bespreking": bespreking, "punten": punten,
        "deelnemers": deelnemers, **vergadering.aanwezigheid(deelnemers),
        "datum": datum,
        "titel": _("%(naam)s %(datum)s") % {"naam": bespreking.naam, "datum": services.datum_tekst(datum)},
    })
