"""Effect van interventies (issue 10): the analysis per kind of intervention, its export and the
cases behind one kind. Thin views: figures in zorg.effect, filter in zorg.kwaliteit, access in
zorg.toegang (kwaliteit_scope: zorgcoördinator, directie without names, teamleider own afdeling)."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import effect, toegang
from .kwaliteit import KwaliteitFilter
from .models import Interventiesoort
from .tabelexport import FORMATEN, tabel_download
from .views import school_vereist


def _filter(request, scope):
    """The bound filter form and its Filters (None while the form has errors or the school has no
    schooljaar yet)."""
    form = KwaliteitFilter(request.GET or None, scope)
    if form.is_bound and not form.is_valid():
        return form, None
    filters = form.filters()
    return form, (filters if filters.schooljaar is not None else None)


def _context(request, scope, form, filters, **extra):
    return {
        "titel": _("Effect van interventies"), "scope": scope, "form": form, "filters": filters,
        "query": request.GET.urlencode(), "escalatie_dagen": effect.ESCALATIE_DAGEN, **extra,
    }


@school_vereist()
@require_GET
def overzicht(request):
    scope = toegang.kwaliteit_scope_of_404(request.user, request.school)
    form, filters = _filter(request, scope)
    rijen = effect.cijfers(filters) if filters else []
    return render(request, "zorg/kwaliteit/effect.html", _context(
        request, scope, form, filters, rijen=rijen, staven=effect.staven(rijen),
    ), status=400 if form.errors else 200)


@school_vereist()
@require_GET
def export(request):
    scope = toegang.kwaliteit_scope_of_404(request.user, request.school)
    form, filters = _filter(request, scope)
    formaat = request.GET.get("formaat", "csv")
    if filters is None or formaat not in FORMATEN:
        if formaat not in FORMATEN:
            form.is_valid()
            form.add_error(None, _("Kies CSV of XLSX als formaat van de download."))
        return render(request, "zorg/kwaliteit/effect.html", _context(request, scope, form, filters, rijen=[],
                                                                        staven=[]), status=400)
    rijen = effect.cijfers(filters)
    naam = f"effect-interventies-{filters.schooljaar.naam}" + (f"-periode-{filters.periode.nummer}"
                                                               if filters.periode else "")
    return tabel_download(naam, effect.kolommen(), effect.exportrijen(rijen), formaat,
                          blad=_("Effect van interventies"))


@school_vereist()
@require_GET
def soort(request, pk):
    scope = toegang.kwaliteit_scope_of_404(request.user, request.school)
    interventiesoort = get_object_or_404(Interventiesoort, pk=pk, school=request.school)
    form, filters = _filter(request, scope)
    pagina = effect.pagina(filters, interventiesoort, request.GET.get("pagina")) if filters else None
    return render(request, "zorg/kwaliteit/effect_soort.html", _context(
        request, scope, form, filters, soort=interventiesoort, pagina=pagina,
    ), status=400 if form.errors else 200)
