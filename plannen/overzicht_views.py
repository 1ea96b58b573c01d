"""Groepsoverzicht screens: the spreadsheet-like grid, one-cell autosave with conflict handling,
docent observaties, and the applicatiebeheerder's column templates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerlingen.models import Leerling
from zorg import toegang
from zorg.models import Periode, Vak
from zorg.views import school_vereist

from . import groepsoverzicht as svc
from .models import Groepsoverzicht, Kolom, Observatie, Sjabloon, Soort
from .overzicht_forms import KolomFormSet, ObservatieForm


def _periode(request, klas):
    perioden = list(Periode.objects.filter(schooljaar=klas.schooljaar_id).order_by("begin"))
    gekozen = request.GET.get("periode")
    if gekozen:
        periode = next((p for p in perioden if str(p.pk) == gekozen), None)
        if periode is None:
            raise Http404
        return periode, perioden
    periode = klas.schooljaar.periode_op()
    if periode is None:
        raise Http404
    return periode, perioden


def _toon(request, klas, vak=None):
    periode, perioden = _periode(request, klas)
    soort = Soort.VAKSPECIFIEK if vak else Soort.VAKOVERSTIJGEND
    go = svc.groepsoverzicht_voor(klas, periode, soort, vak)
    schrijfbaar = toegang.mag_groepsoverzicht_schrijven(request.user, request.school, klas, vak)
    go.klas = klas  # the grid reads the klas's pupils and relations: no second fetch
    kolommen, rijen = svc.raster(go, request.user, request.school, schrijfbaar=schrijfbaar)
    observeren = soort == Soort.VAKOVERSTIJGEND and toegang.mag_observatie_toevoegen(
        request.user, request.school, klas
    )
    context = {
        "titel": _("Groepsoverzicht %(soort)s · %(klas)s") % {
            "soort": vak.naam if vak else _("vakoverstijgend"), "klas": klas.naam},
        "go": go,
        "klas": klas,
        "vak": vak,
        "periode": periode,
        "perioden": perioden,
        "kolommen": kolommen,
        "rijen": rijen,
        "schrijfbaar": schrijfbaar,
        "cel_url": reverse("groepsoverzicht_cel", args=[go.pk]),
        "observatie_url": reverse("groepsoverzicht_observatie", args=[go.pk]),
        "observeren": observeren,
        "toon_observaties": soort == Soort.VAKOVERSTIJGEND,
        "hulpzinnen": svc.hulpzinnen() if schrijfbaar else [],
        "mentoren": list(klas.mentoren.all()),
        "is_beheerder": request.rollen.heeft("applicatiebeheerder"),
    }
    return render(request, "plannen/groepsoverzicht.html", context)


@require_GET
@school_vereist()
def groepsoverzicht(request, klas_pk):
    klas = toegang.groepsdocumenten_klas_of_404(request.user, request.school, klas_pk)
    return _toon(request, klas)


@require_GET
@school_vereist()
def groepsoverzicht_vak(request, klas_pk, vak_pk):
    klas = toegang.groepsdocumenten_klas_of_404(request.user, request.school, klas_pk)
    # Only a vak that is taught in this klas has a vakspecifiek overview.
    vak = get_object_or_404(Vak.objects.filter(school=request.school, lesopdrachten__klas=klas).distinct(), pk=vak_pk)
    return _toon(request, klas, vak)


def _overzicht_of_404(request, pk):
    go = get_object_or_404(
        Groepsoverzicht.objects.select_related("klas__afdeling__school", "sjabloon", "vak"), pk=pk
    )
    go.klas = toegang.groepsdocumenten_klas_of_404(request.user, request.school, go.klas_id)
    return go


def _leerling_in_klas(go, leerling_pk):
    try:
        return Leerling.objects.filter(plaatsingen__klas_id=go.klas_id).distinct().get(pk=leerling_pk)
    except (Leerling.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _int(waarde, standaard=None):
    try:
        return int(waarde)
    except (TypeError, ValueError):
        return standaard


@require_POST
@school_vereist()
def cel(request, pk):
    """Save one cell (htmx). Success: the cell's meta fragment (new versie, "✓ opgeslagen").
    Stale versie: the whole cell with a conflict box (HX-Retarget), nothing overwritten.
    With `actie` (beide / mijne / zijne) a conflict is resolved and the whole cell returned."""
    go = _overzicht_of_404(request, pk)
    if not toegang.mag_groepsoverzicht_schrijven(request.user, request.school, go.klas, go.vak):
        raise PermissionDenied
    kolom_pk, leerling_pk = _int(request.POST.get("kolom")), _int(request.POST.get("leerling"))
    if kolom_pk is None or leerling_pk is None:
        return HttpResponseBadRequest(_("Welke cel? (leerling en kolom ontbreken)"))
    kolom = get_object_or_404(Kolom, pk=kolom_pk, sjabloon_id=go.sjabloon_id)
    leerling = _leerling_in_klas(go, leerling_pk)
    if kolom.vertrouwelijk and leerling.pk not in svc.vertrouwelijk_zichtbaar(
        request.user, request.school, go.klas, [leerling.pk]
    ):
        raise PermissionDenied
    if kolom.type == Kolom.Type.SCORE and kolom.toets_onderdeel and svc.dossierscores(
        [leerling.pk], [kolom.toets_onderdeel]
    ):
        raise PermissionDenied  # the score comes from the dossier: no double entry
    waarde = request.POST.get("waarde", "").replace("\r\n", "\n")
    versie = _int(request.POST.get("versie"), 0)
    actie = request.POST.get("actie", "")
    if actie == "zijne":
        rc = svc.een_rastercel(go, kolom, leerling, request.user, request.school)
        return _hele_cel(request, go, rc, opgeslagen=True)
    if actie == "beide":
        waarde = svc.samengevoegd(request.POST.get("zijne", ""), waarde)
    if kolom.type == Kolom.Type.SCORE and not svc.geldige_score(waarde):
        # 422: nothing saved; the text stays in the cell and the message shows next to it.
        return HttpResponse(
            _("Geen geldige score: gebruik A–E, I–V of een getal (bijvoorbeeld B of 7,5)."), status=422
        )
    uitkomst = svc.sla_cel_op(go, leerling, kolom, waarde, versie, request.user)
    if isinstance(uitkomst, svc.Conflict):
        rc = svc.met_conflict(svc.een_rastercel(go, kolom, leerling, request.user, request.school), uitkomst)
        response = render(request, "plannen/_cellen.html", {
            "go": go, "cellen": [rc], "cel_url": reverse("groepsoverzicht_cel", args=[go.pk]),
        })
        response["HX-Retarget"] = f"#{rc.id}"
        response["HX-Reswap"] = "outerHTML"
        return response
    go.refresh_from_db(fields=["bijgewerkt_op"])
    if actie or "zijne" in request.POST:  # saved from an open conflict box: replace the whole cell
        rc = svc.een_rastercel(go, kolom, leerling, request.user, request.school)
        return _hele_cel(request, go, rc, opgeslagen=True)
    return render(request, "plannen/_cel_meta.html", {
        "go": go, "m_leerling": leerling.pk, "m_kolom": kolom.pk, "m_versie": uitkomst.versie, "opgeslagen": True,
        "oob": True,
    })


def _hele_cel(request, go, rc, opgeslagen=False):
    response = render(request, "plannen/_cellen.html", {
        "go": go, "cellen": [rc], "cel_url": reverse("groepsoverzicht_cel", args=[go.pk]), "opgeslagen": opgeslagen,
        "oob": True,
    })
    response["HX-Retarget"] = f"#{rc.id}"
    response["HX-Reswap"] = "outerHTML"
    return response


@require_POST
@school_vereist()
def observatie(request, pk):
    """A docent's attributed observation on the vakoverstijgend overview (htmx or plain POST)."""
    go = _overzicht_of_404(request, pk)
    if go.soort != Soort.VAKOVERSTIJGEND or not toegang.mag_observatie_toevoegen(
        request.user, request.school, go.klas
    ):
        raise PermissionDenied
    leerling_pk = _int(request.POST.get("leerling"))
    if leerling_pk is None:
        return HttpResponseBadRequest(_("Over welke leerling?"))
    leerling = _leerling_in_klas(go, leerling_pk)
    form = ObservatieForm(request.POST)
    if form.is_valid():
        Observatie.objects.create(
            groepsoverzicht=go, leerling=leerling, auteur=request.user, tekst=form.cleaned_data["tekst"]
        )
        svc._bijgewerkt(go)
        form = ObservatieForm()
    if not request.htmx:
        return redirect(_overzicht_url(go))
    observaties = list(Observatie.objects.filter(groepsoverzicht=go, leerling=leerling).select_related("auteur"))
    return render(request, "plannen/_cel_observaties.html", {
        "go": go, "leerling": leerling, "observaties": observaties, "observeren": True, "form": form,
        "observatie_url": reverse("groepsoverzicht_observatie", args=[go.pk]),
    })


def _overzicht_url(go):
    if go.vak_id:
        url = reverse("groepsoverzicht_vak", args=[go.klas_id, go.vak_id])
    else:
        url = reverse("groepsoverzicht", args=[go.klas_id])
    return f"{url}?periode={go.periode_id}"


# --- Templates (applicatiebeheerder) --------------------------------------------------------


@require_GET
@school_vereist("applicatiebeheerder")
def sjablonen(request):
    school = request.school
    algemeen = [
        svc.standaard_sjabloon(school, Soort.VAKOVERSTIJGEND),
        svc.standaard_sjabloon(school, Soort.VAKSPECIFIEK),
    ]
    per_vak = {s.vak_id: s for s in Sjabloon.objects.filter(school=school, vak__isnull=False)}
    vakken = list(Vak.objects.filter(school=school).order_by("naam"))
    for vak in vakken:
        vak.sjabloon = per_vak.get(vak.pk)
    return render(request, "plannen/sjabloon_lijst.html", {
        "titel": _("Sjablonen groepsoverzicht"), "algemeen": algemeen, "vakken": vakken,
    })


@require_POST
@school_vereist("applicatiebeheerder")
def sjabloon_vak(request, vak_pk):
    vak = get_object_or_404(Vak, pk=vak_pk, school=request.school)
    sjabloon = svc.standaard_sjabloon(request.school, Soort.VAKSPECIFIEK, vak)
    return redirect("sjabloon", pk=sjabloon.pk)


@require_http_methods(["GET", "POST"])
@school_vereist("applicatiebeheerder")
def sjabloon(request, pk):
    sjabloon = get_object_or_404(Sjabloon.objects.select_related("vak"), pk=pk, school=request.school)
    qs = sjabloon.kolommen.order_by("volgorde", "pk")
    formset = KolomFormSet(request.POST or None, queryset=qs, prefix="kolom")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            for form in formset.deleted_forms:
                if form.instance.pk:
                    form.instance.delete()
            for kolom in formset.save(commit=False):
                kolom.sjabloon = sjabloon
                kolom.save()
            # Renumber so the order stays tidy (10, 20, …).
            for i, kolom in enumerate(sjabloon.kolommen.order_by("volgorde", "pk"), start=1):
                if kolom.volgorde != i * 10:
                    Kolom.objects.filter(pk=kolom.pk).update(volgorde=i * 10)
        messages.success(request, _("De kolommen zijn opgeslagen."))
        return redirect("sjabloon", pk=sjabloon.pk)
    return render(request, "plannen/sjabloon.html", {
        "titel": _("Kolommen: %(naam)s") % {"naam": sjabloon.naam}, "sjabloon": sjabloon, "formset": formset,
    })

