"""Correctieverzoeken: the parent's list and form (portal, in the parent's language) and the
school's list and answer page (staff, Dutch). The rules are in ouders/correctie.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leerlingen import paginas
from zorg import toegang
from zorg.views import school_vereist

from . import correctie
from .correctie_forms import AntwoordForm, CorrectieForm
from .models import Correctieverzoek

STAFF_ROLLEN = ("mentor", "teamleider", "zorgcoordinator", "specialist", "docent")


# --- Portal (parent) ------------------------------------------------------------------------


@login_required
@require_GET
def ouder_correcties(request, pk):
    """The parent's requests about one child, with their status and the school's answer."""
    kind = toegang.kind_of_404(request.user, pk)
    verzoeken = toegang.correctieverzoeken_voor_ouder(request.user, [kind]).select_related(
        "handelingsplan__vak", "dossieritem").order_by("-aangemaakt_op")
    return render(request, "ouders/correcties.html", {
        "kind": kind, "verzoeken": verzoeken,
        "titel": _("Verzoeken om correctie voor %(naam)s") % {"naam": kind.voornaam},
    })


def _gekozen(queryset, waarde):
    """A ?plan= / ?verslag= prefill, only when it is one of the shared ones."""
    try:
        return queryset.filter(pk=int(waarde)).first() if waarde else None
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def ouder_correctie_nieuw(request, pk):
    kind = toegang.kind_of_404(request.user, pk)
    plannen = toegang.plannen_voor_ouder(request.user, kind).select_related("vak").order_by("-start", "-pk")
    verslagen = toegang.items_voor_ouder(request.user, kind).order_by("-datum", "-aangemaakt_op")
    if request.method == "POST":
        form = CorrectieForm(request.POST, plannen=plannen, verslagen=verslagen)
        if form.is_valid():
            d = form.cleaned_data
            try:
                correctie.dien_in(request.user, kind, d["onderwerp"], d["tekst"], plan=d["plan"],
                                  verslag=d["verslag"])
            except correctie.CorrectieFout as fout:
                paginas.fouten(form, fout)
            else:
                messages.success(request, _("Uw verzoek is verstuurd naar de mentor. U krijgt binnen vier weken "
                                            "antwoord; dat ziet u op deze pagina."))
                return redirect("ouder_correcties", kind.pk)
    else:
        plan = _gekozen(plannen, request.GET.get("plan"))
        verslag = _gekozen(verslagen, request.GET.get("verslag"))
        onderwerp = (Correctieverzoek.Onderwerp.HANDELINGSPLAN if plan else
                     Correctieverzoek.Onderwerp.VERSLAG if verslag else None)
        form = CorrectieForm(initial={"plan": plan, "verslag": verslag, "onderwerp": onderwerp},
                             plannen=plannen, verslagen=verslagen)
    return render(request, "ouders/correctie_nieuw.html", {
        "kind": kind, "form": form, "titel": _("Vraag de school iets te verbeteren"),
    })


# --- Staff (Dutch) --------------------------------------------------------------------------


@school_vereist(*STAFF_ROLLEN)
@require_GET
def correctieverzoeken(request):
    """The requests the user answers (toegang.correctieverzoeken_voor): open first, oldest first."""
    rijen = correctie.voor_lijst(
        toegang.correctieverzoeken_voor(request.user, request.school).select_related(
            "leerling", "ingediend_door", "beantwoord_door")
    )
    return render(request, "ouders/school/correctieverzoeken.html", {
        "rijen": rijen, "open": [r for r in rijen if r.status == Correctieverzoek.Status.OPEN],
        "termijn": correctie.TERMIJN_DAGEN, "waarschuwing": correctie.WAARSCHUWING_DAGEN,
        "titel": "Correctieverzoeken van ouders",
    })


@school_vereist(*STAFF_ROLLEN)
@require_http_methods(["GET", "POST"])
def correctieverzoek(request, pk):
    """One request with the answer form; out of scope → 404."""
    try:
        verzoek = toegang.correctieverzoeken_voor(request.user, request.school).select_related(
            "leerling", "ingediend_door", "beantwoord_door", "handelingsplan__vak", "dossieritem").get(pk=pk)
    except (Correctieverzoek.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    form = AntwoordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correctie.beantwoord(request.user, request.school, verzoek, form.cleaned_data["antwoord"])
        except correctie.CorrectieFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("Het antwoord is verstuurd; de ouder ziet het in het ouderportaal."))
            return redirect("correctieverzoeken")
    if request.method == "GET":
        toegang.log_inzage(request, verzoek.leerling, "correctieverzoek", obj=verzoek)
    verzoek.dagen = correctie.leeftijd_dagen(verzoek)
    return render(request, "ouders/school/correctieverzoek.html", {
        "verzoek": verzoek, "form": form, "leerling": verzoek.leerling,
        "te_laat": verzoek.status == Correctieverzoek.Status.OPEN and verzoek.dagen > correctie.WAARSCHUWING_DAGEN,
        "titel": f"Correctieverzoek · {verzoek.leerling.naam}",
    })
