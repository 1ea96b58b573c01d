"""Route lead times and the jaarverslag leerlingenzorg (issue 10). Thin views: the figures are
computed in zorg.doorlooptijden and zorg.jaarverslag, access is decided in zorg.toegang."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plannen.pdf import bestandsnaam, pdf_antwoord, render_pdf

from . import doorlooptijden as dl
from . import jaarverslag as jv
from . import toegang
from .jaarverslag_forms import ConclusiesForm
from .kwaliteit import KwaliteitFilter
from .models import Schooljaar
from .tabelexport import FORMATEN, tabel_download
from .views import school_vereist


def _formaat(request):
    formaat = request.GET.get("formaat")
    return formaat if formaat in FORMATEN else "csv"


# --- Doorlooptijden ------------------------------------------------------------------------


def _doorlooptijden(request):
    scope = toegang.kwaliteit_scope_of_404(request.user, request.school)
    form = KwaliteitFilter(request.GET or None, scope)
    return scope, form, form.filters()


@school_vereist()
@require_GET
def doorlooptijden_pagina(request):
    scope, form, filters = _doorlooptijden(request)
    cijfers = dl.bereken(filters).als_dict() if filters.schooljaar else None
    return render(request, "zorg/kwaliteit/doorlooptijden.html", {
        "titel": _("Doorlooptijden van de route"), "scope": scope, "form": form, "filters": filters,
        "cijfers": cijfers, "staven": dl.staven(cijfers) if cijfers else None,
        "marge_hp": dl.HANDELINGSPLAN_MARGE, "marge_gp": dl.GROEPSPLAN_MARGE,
        "query": request.GET.urlencode(),
    }, status=400 if form.is_bound and not form.is_valid() else 200)


@school_vereist()
@require_GET
def doorlooptijden_export(request):
    _scope, form, filters = _doorlooptijden(request)
    if (form.is_bound and not form.is_valid()) or filters.schooljaar is None:
        messages.error(request, _("De export is niet gemaakt: verbeter eerst de filters."))
        return redirect("kwaliteit_doorlooptijden")
    kolommen, rijen = dl.tabel(dl.bereken(filters).als_dict())
    naam = f"doorlooptijden-{filters.schooljaar.naam}"
    if filters.periode:
        naam += f"-periode-{filters.periode.nummer}"
    return tabel_download(naam, kolommen, rijen, _formaat(request), blad=_("Doorlooptijden"))


# --- Jaarverslag ---------------------------------------------------------------------------


def _beleid(request):
    if not toegang.mag_kwaliteitsbeleid(request.user, request.school):
        raise Http404


def _schooljaar(request, pk):
    _beleid(request)
    return get_object_or_404(Schooljaar, pk=pk, school=request.school)


@school_vereist()
@require_GET
def jaarverslagen(request):
    _beleid(request)
    return render(request, "zorg/kwaliteit/jaarverslagen.html", {
        "titel": _("Jaarverslag leerlingenzorg"), "jaren": jv.overzicht(request.school),
    })


def _context(request, schooljaar, jaarverslag):
    cijfers = jv.cijfers_van(request.school, schooljaar, jaarverslag)
    return {
        "titel": _("Jaarverslag leerlingenzorg %(jaar)s") % {"jaar": schooljaar.naam},
        "school": request.school, "schooljaar": schooljaar, "jaarverslag": jaarverslag, "cijfers": cijfers,
        "vergelijking": jv.vergelijking(request.school, schooljaar, cijfers),
        "staven": dl.staven(cijfers["doorlooptijden"]),
        "peildatum_begin": jv.datum(cijfers["zorgniveaus"]["peildatum_begin"]),
        "peildatum_einde": jv.datum(cijfers["zorgniveaus"]["peildatum_einde"]),
        "berekend_op": jv.datum(cijfers["berekend_op"]),
        "marge_hp": dl.HANDELINGSPLAN_MARGE, "marge_gp": dl.GROEPSPLAN_MARGE,
    }


def _pagina(request, schooljaar, jaarverslag, form=None, conflict=None, status=200):
    context = _context(request, schooljaar, jaarverslag)
    if form is None and not (jaarverslag and jaarverslag.vastgesteld_op):
        form = ConclusiesForm(initial={
            "conclusies": jaarverslag.conclusies if jaarverslag else "",
            "versie": jaarverslag.versie if jaarverslag else 1,
        })
    context.update({"form": form, "conflict": conflict})
    return render(request, "zorg/kwaliteit/jaarverslag.html", context, status=status)


@school_vereist()
@require_GET
def jaarverslag(request, pk):
    schooljaar = _schooljaar(request, pk)
    return _pagina(request, schooljaar, jv.jaarverslag_van(schooljaar))


@school_vereist()
@require_POST
def conclusies(request, pk):
    schooljaar = _schooljaar(request, pk)
    form = ConclusiesForm(request.POST)
    if not form.is_valid():
        if "versie" in form.errors:
            data = request.POST.copy()
            data["versie"] = getattr(jv.jaarverslag_van(schooljaar), "versie", 1)
            form = ConclusiesForm(data)
            form.is_valid()
            form.add_error(None, _("Het formulier was onvolledig of verouderd; er is niets bewaard. Uw tekst staat "
                                   "hieronder: bewaar opnieuw."))
        return _pagina(request, schooljaar, jv.jaarverslag_van(schooljaar), form=form, status=400)
    try:
        gelukt, jaarverslag = jv.bewaar_conclusies(request.school, schooljaar, form.cleaned_data["conclusies"],
                                                  form.cleaned_data["versie"], request.user)
    except jv.Vastgesteld:
        messages.error(request, _("Het jaarverslag is vastgesteld; de conclusies zijn niet gewijzigd. "
                                  "Heropen het jaarverslag om ze aan te passen."))
        return redirect("jaarverslag", pk=schooljaar.pk)
    if not gelukt:
        # Keep what this user typed; the next save (with the current version) replaces the other text.
        form = ConclusiesForm(initial={"conclusies": form.cleaned_data["conclusies"], "versie": jaarverslag.versie})
        return _pagina(request, schooljaar, jaarverslag, form=form, conflict=jaarverslag, status=409)
    messages.success(request, _("De conclusies zijn bewaard."))
    return redirect("jaarverslag", pk=schooljaar.pk)


@school_vereist()
@require_POST
def vaststellen(request, pk):
    schooljaar = _schooljaar(request, pk)
    try:
        jv.vaststellen(request.school, schooljaar, request.user)
        messages.success(request, _("Het jaarverslag is vastgesteld: de cijfers liggen nu vast."))
    except jv.Vastgesteld:
        messages.info(request, _("Het jaarverslag was al vastgesteld."))
    return redirect("jaarverslag", pk=schooljaar.pk)


@school_vereist()
@require_POST
def heropenen(request, pk):
    schooljaar = _schooljaar(request, pk)
    if jv.heropenen(request.school, schooljaar):
        messages.success(request, _("Het jaarverslag is heropend: de cijfers worden weer actueel berekend."))
    else:
        messages.info(request, _("Het jaarverslag was niet vastgesteld."))
    return redirect("jaarverslag", pk=schooljaar.pk)


@school_vereist()
@require_GET
def pdf(request, pk):
    schooljaar = _schooljaar(request, pk)
    context = _context(request, schooljaar, jv.jaarverslag_van(schooljaar))
    inhoud = render_pdf("zorg/kwaliteit/pdf/jaarverslag.html", context)
    return pdf_antwoord(inhoud, bestandsnaam("jaarverslag-leerlingenzorg", schooljaar.naam))


@school_vereist()
@require_GET
def export(request, pk):
    schooljaar = _schooljaar(request, pk)
    jaarverslag = jv.jaarverslag_van(schooljaar)
    cijfers = jv.cijfers_van(request.school, schooljaar, jaarverslag)
    kolommen, rijen = jv.tabel(cijfers, jv.vergelijking(request.school, schooljaar, cijfers))
    return tabel_download(f"jaarverslag-leerlingenzorg-{schooljaar.naam}", kolommen, rijen, _formaat(request),
                          blad=_("Jaarverslag"))
