"""The parent's consent pages: the requests and decisions for one child, and one request in plain
language with give / refuse / withdraw after a confirmation step. The rules are in
extern/toestemming.py (the same services the school uses)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from extern import toestemming as regels
from extern.models import Toestemming
from extern.toestemming_forms import OuderReactieForm
from leerlingen import paginas
from zorg import toegang


@login_required
@require_GET
def ouder_toestemmingen(request, pk):
    """A parent's consent page for one child: open requests and the history of decisions."""
    kind = toegang.kind_of_404(request.user, pk)
    lijst = list(kind.toestemmingen.select_related("instelling", "ouder"))
    for t in lijst:
        t.weergave = regels.weergave_status(t)
    toegang.log_inzage(request, kind, gettext_lazy("toestemmingen (ouderportaal)"))
    return render(request, "ouders/toestemmingen.html", {
        "kind": kind, "open": [t for t in lijst if t.status == Toestemming.Status.AANGEVRAAGD],
        "besluiten": [t for t in lijst if t.status != Toestemming.Status.AANGEVRAAGD],
        "mag_beslissen": regels.mag_beslissen(request.user, kind), "band": regels.wie_beslist(kind),
        "titel": _("Toestemming voor %(naam)s") % {"naam": kind.voornaam},
    })


@login_required
@require_http_methods(["GET", "POST"])
def ouder_toestemming(request, pk):
    """One request or consent in plain language; give / refuse / withdraw after a confirmation step."""
    try:
        toestemming = Toestemming.objects.select_related("instelling", "ouder").get(pk=pk)
    except (Toestemming.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    kind = toegang.kind_of_404(request.user, toestemming.leerling_id)
    toestemming.leerling = kind
    form = OuderReactieForm(request.POST or None)
    bevestigen = None
    if request.method == "POST" and form.is_valid():
        keuze, reden = form.cleaned_data["keuze"], form.cleaned_data["reden"]
        if not form.cleaned_data["bevestigd"]:
            bevestigen = keuze
        else:
            try:
                if keuze == "intrekken":
                    regels.trek_in(request.user, toestemming, reden)
                    melding = _("U heeft uw toestemming ingetrokken. De school is op de hoogte gebracht.")
                else:
                    regels.beslis(request.user, toestemming, keuze == "geven", reden)
                    melding = (_("Dank u wel. U heeft toestemming gegeven.") if keuze == "geven"
                               else _("Dank u wel. U heeft geen toestemming gegeven."))
            except regels.ToestemmingFout as fout:
                paginas.fouten(form, fout)
            else:
                messages.success(request, melding)
                return redirect("ouder_toestemmingen", kind.pk)
    toestemming.weergave = regels.weergave_status(toestemming)
    return render(request, "ouders/toestemming.html", {
        "kind": kind, "t": toestemming, "form": form, "bevestigen": bevestigen,
        "reden": request.POST.get("reden", ""), "mag_beslissen": regels.mag_beslissen(request.user, kind),
        "band": regels.wie_beslist(kind), "titel": _("Uw reactie gevraagd"),
    })
