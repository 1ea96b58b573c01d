"""Recording, changing and reading single dossier entries (the timeline itself is `views.leerling_detail`).

Every view fetches the pupil through `zorg.toegang.leerling_of_404` and the entry through
`dossier.item_van` (the entries this user may read): anything out of scope answers 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zorg import toegang
from zorg.views import school_vereist

from . import dossier, paginas
from .forms import FORMULIEREN
from .models import Dossieritem

Soort = Dossieritem.Soort

BEVESTIGING = {
    Soort.GESPREK: gettext_lazy("Het gespreksverslag is vastgelegd."),
    Soort.INTERVENTIE: gettext_lazy("De interventie is vastgelegd."),
    Soort.BIJZONDERHEID: gettext_lazy("De bijzonderheid is vastgelegd."),
    Soort.DOCUMENT: gettext_lazy("Het document is opgeslagen."),
    Soort.TOETS: gettext_lazy("Het toetsgegeven is vastgelegd."),
}

FORMULIERTITEL = {
    Soort.SIGNALERING: gettext_lazy("Signalering vastleggen"),
    Soort.GESPREK: gettext_lazy("Gespreksverslag vastleggen"),
    Soort.INTERVENTIE: gettext_lazy("Interventie vastleggen"),
    Soort.BIJZONDERHEID: gettext_lazy("Bijzonderheid vastleggen"),
    Soort.DOCUMENT: gettext_lazy("Document toevoegen"),
    Soort.TOETS: gettext_lazy("Toetsgegeven vastleggen"),
}


def _terug(request, leerling):
    """Where to go after saving: a safe local `next` (e.g. the klas list), else the dossier."""
    volgende = request.POST.get("next") or request.GET.get("next") or ""
    if volgende and url_has_allowed_host_and_scheme(
        volgende, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return volgende
    return dossier.dossier_url(leerling)


def _kop(request, leerling):
    return dossier.kopgegevens(leerling, request.rollen.schooljaar)


def _formulier(request, leerling, soort, form, status=200):
    return render(
        request,
        "leerlingen/item_formulier.html",
        {
            **_kop(request, leerling),
            "leerling": leerling,
            "form": form,
            "soort": soort,
            "titel": FORMULIERTITEL[soort],
            "volgende": request.POST.get("next") or request.GET.get("next") or "",
            "annuleer_url": _terug(request, leerling),
        },
        status=status,
    )


@school_vereist()
@require_http_methods(["GET", "POST"])
def signaleren(request, pk):
    """A docent's (or mentor's) signalering: domain, what they saw, what they tried. The mentor is notified."""
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    if not dossier.mag_soort_vastleggen(request.user, request.school, leerling, Soort.SIGNALERING):
        raise Http404
    met_tip = toegang.mag_dossier_schrijven(request.user, request.school, leerling)
    form_class = FORMULIEREN[Soort.SIGNALERING]
    form = form_class(request.POST or None, met_handelingstip=met_tip)
    if request.method == "POST" and form.is_valid():
        dossier.leg_signalering_vast(form.save(commit=False), request, leerling)
        messages.success(request, _("De signalering voor %(naam)s is vastgelegd.") % {"naam": leerling.naam})
        return redirect(_terug(request, leerling))
    return _formulier(request, leerling, Soort.SIGNALERING, form, status=400 if form.is_bound else 200)


@school_vereist()
@require_http_methods(["GET", "POST"])
def nieuw_item(request, pk, soort):
    """Record a gespreksverslag, interventie, bijzonderheid, document or toetsgegeven."""
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    if soort not in dossier.NIEUWE_SOORTEN or not dossier.mag_soort_vastleggen(
        request.user, request.school, leerling, soort
    ):
        raise Http404
    soort = Soort(soort)
    form_class = FORMULIEREN[soort]
    form = (form_class(request.POST, request.FILES, school=leerling.school_id) if request.method == "POST"
            else form_class(school=leerling.school_id))
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.soort = soort
        dossier.leg_vast(item, request.user, leerling, bestand=getattr(form, "gecontroleerd", None))
        messages.success(request, BEVESTIGING[soort])
        return redirect(_terug(request, leerling))
    return _formulier(request, leerling, soort, form, status=400 if form.is_bound else 200)


def _item_of_404(request, pk, item_pk):
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    item = dossier.item_van(request.user, request.school, leerling, item_pk)
    if item is None:
        raise Http404
    return leerling, item


@school_vereist()
@require_GET
def item_detail(request, pk, item_pk):
    """One entry in full, with its earlier versions and what changed between them."""
    leerling, item = _item_of_404(request, pk, item_pk)
    toegang.log_inzage(request, leerling, _("dossieritem"), obj=item)
    item.mag_wijzigen = dossier.mag_wijzigen(request.user, request.school, item)
    return render(
        request,
        "leerlingen/item_detail.html",
        {
            **_kop(request, leerling),
            "leerling": leerling,
            "item": item,
            "versies": dossier.geschiedenis(item),
            "titel": _("%(soort)s · %(naam)s") % {"soort": item.get_soort_display(), "naam": leerling.naam},
        },
    )


@school_vereist()
@require_http_methods(["GET", "POST"])
def item_wijzigen(request, pk, item_pk):
    """Change an entry (author or zorgcoördinator). A stale form gets a conflict, never an overwrite."""
    leerling, item = _item_of_404(request, pk, item_pk)
    if not dossier.mag_wijzigen(request.user, request.school, item):
        raise Http404
    form_class = FORMULIEREN[item.soort]
    met_tip = toegang.mag_dossier_schrijven(request.user, request.school, leerling)
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, instance=item, bewerken=True, met_handelingstip=met_tip,
                          school=leerling.school_id)
        if form.is_valid():
            try:
                dossier.wijzig(item.pk, form.velden(), request.user, form.cleaned_data.get("versie"))
            except Dossieritem.DoesNotExist:
                raise Http404 from None
            except dossier.Conflict as fout:
                conflict = fout.actueel
                data = request.POST.copy()
                data["versie"] = dossier.versie_van(conflict)  # saving again is a deliberate choice
                form = form_class(data, instance=item, bewerken=True, met_handelingstip=met_tip,
                                  school=leerling.school_id)
                form.is_valid()
            else:
                messages.success(request, _("De wijziging is opgeslagen."))
                return redirect(dossier.dossier_url(leerling))
    else:
        form = form_class(
            instance=item, bewerken=True, met_handelingstip=met_tip, initial={"versie": dossier.versie_van(item)},
            school=leerling.school_id,
        )
    status = 409 if conflict else (400 if form.is_bound else 200)
    return render(
        request,
        "leerlingen/item_wijzigen.html",
        {
            **_kop(request, leerling),
            "leerling": leerling,
            "item": item,
            "form": form,
            "conflict": conflict,
            "conflict_melding": dossier.conflict_melding(conflict) if conflict else "",
            "titel": _("%(soort)s wijzigen") % {"soort": item.get_soort_display()},
        },
        status=status,
    )


@school_vereist()
@require_GET
def document(request, pk, item_pk):
    """Download an uploaded document, only when its entry is readable; every download is logged."""
    leerling, item = _item_of_404(request, pk, item_pk)
    if item.soort != Soort.DOCUMENT:
        raise Http404
    response = paginas.bestand_download(item)
    toegang.log_inzage(request, leerling, _("document"), obj=item)
    return response
