from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zorg import toegang

from . import partner, verwijsdossier
from . import verwijzing as verwijzing_svc
from .partner_forms import TerugkoppelingForm


def _contactpersoon_of_404(request):
    contactpersoon = toegang.contactpersoon_van(request.user)
    if contactpersoon is None:
        raise Http404
    return contactpersoon


@login_required
def extern_start(request):
    """An external contact's start page: the referral files they may open now (grant + consent)
    and the ZAT meetings they take part in."""
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
        {"contactpersoon": contactpersoon, "verwijzingen": partner.dossiers(request.user), "besprekingen": besprekingen,
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


@login_required
@require_http_methods(["GET", "POST"])
def extern_verwijzing(request, pk):
    """The partner's read-only referral file, with the terugkoppelingen; the one thing they may
    write is a new terugkoppeling (POST). 404 for anything else: another instelling, an expired
    grant, withdrawn consent. Every view is written to the inzagelog."""
    contactpersoon = _contactpersoon_of_404(request)
    verwijzing = toegang.verwijzing_extern_of_404(request.user, pk)
    school = verwijzing.school
    if request.method == "POST":
        form = TerugkoppelingForm(request.POST)
        if form.is_valid():
            try:
                verwijzing_svc.leg_terugkoppeling_vast(request.user, school, verwijzing, door_partner=True,
                                                       **form.cleaned_data)
            except verwijzing_svc.VerwijzingFout as fout:
                for melding in fout.meldingen:
                    form.add_error(None, melding)
            else:
                messages.success(request, _("Uw terugkoppeling is opgeslagen en de school is op de hoogte gebracht."))
                return redirect("extern_verwijzing", verwijzing.pk)
    else:
        form = TerugkoppelingForm()
    toegang.log_inzage_voor(request.user, school, verwijzing.leerling, "verwijsdossier", verwijzing)
    return render(request, "extern/partner/verwijzing.html", {
        "contactpersoon": contactpersoon, "school": school, "verwijzing": verwijzing,
        "leerling": verwijzing.leerling,
        "onderdelen": verwijsdossier.onderdelen(verwijzing),
        "statusdata": partner.statusdata(verwijzing),
        "toegang_tot": partner.toegang_tot(contactpersoon, verwijzing),
        "terugkoppelingen": verwijzing.terugkoppelingen.select_related("auteur").order_by("-datum", "-pk")[:100],
        "form": form,
        "titel": _("Verwijsdossier %(leerling)s") % {"leerling": verwijzing.leerling.naam},
    })
