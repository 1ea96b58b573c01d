"""The school's catalogue of intervention kinds (zorgcoördinator only; everyone else 404). Thin
views: the rules are in zorg/interventies.py, access in zorg/toegang.py."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import interventies, toegang
from .interventie_forms import InterventiesoortForm
from .models import Interventiesoort
from .views import school_vereist


def _toegang(request):
    if not toegang.mag_interventiecatalogus(request.user, request.school):
        raise Http404


def _soort_of_404(request, pk):
    try:
        return Interventiesoort.objects.get(pk=pk, school=request.school)
    except (Interventiesoort.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _fouten(form, fout):
    for melding in fout.meldingen:
        form.add_error(None, melding)


@school_vereist()
@require_http_methods(["GET", "POST"])
def interventiesoorten(request):
    _toegang(request)
    school = request.school
    form = InterventiesoortForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            soort = interventies.bewaar(school, None, form.cleaned_data)
        except interventies.InterventieFout as fout:
            _fouten(form, fout)
        else:
            messages.success(request, _("“%(naam)s” is aan de lijst toegevoegd.") % {"naam": soort.naam})
            return redirect("interventiesoorten")
    soorten = list(interventies.met_gebruik(Interventiesoort.objects.filter(school=school))
                   .order_by("-actief", "volgorde", "naam"))
    return render(request, "zorg/kwaliteit/interventies.html", {
        "titel": _("Soorten interventies"),
        "soorten": soorten,
        "form": form,
        "ontbrekend": _ontbrekende_standaard(soorten),
    }, status=400 if form.is_bound and form.errors else 200)


def _ontbrekende_standaard(soorten):
    namen = {s.naam.lower() for s in soorten}
    return [naam for naam, _domein, _arr in interventies.STANDAARD if naam.lower() not in namen]


@school_vereist()
@require_POST
def interventies_standaard(request):
    """Add the standard kinds the school does not have (by name); nothing is changed or removed."""
    _toegang(request)
    aantal = interventies.maak_standaardcatalogus(request.school)
    if aantal:
        messages.success(request, _("%(n)s soort(en) uit de standaardlijst toegevoegd.") % {"n": aantal})
    else:
        messages.info(request, _("De lijst bevat alle soorten van de standaardlijst al."))
    return redirect("interventiesoorten")


@school_vereist()
@require_http_methods(["GET", "POST"])
def interventiesoort_wijzigen(request, pk):
    _toegang(request)
    soort = _soort_of_404(request, pk)
    gebruik = interventies.met_gebruik(Interventiesoort.objects.filter(pk=soort.pk)).get()
    form = InterventiesoortForm(request.POST or None, instance=soort, school=request.school)
    if request.method == "POST" and form.is_valid():
        try:
            interventies.bewaar(request.school, soort, form.cleaned_data)
        except interventies.InterventieFout as fout:
            _fouten(form, fout)
        else:
            messages.success(request, _("De soort interventie is bewaard."))
            return redirect("interventiesoorten")
    return render(request, "zorg/kwaliteit/interventies_wijzigen.html", {
        "titel": _("Soort interventie wijzigen"),
        "soort": gebruik,
        "form": form,
    }, status=400 if form.is_bound and form.errors else 200)


@school_vereist()
@require_POST
def interventiesoort_verwijderen(request, pk):
    _toegang(request)
    soort = _soort_of_404(request, pk)
    naam = soort.naam
    try:
        interventies.verwijder(soort)
    except interventies.InterventieFout as fout:
        for melding in fout.meldingen:
            messages.error(request, melding)
        return redirect("interventiesoort_wijzigen", pk)
    messages.success(request, _("“%(naam)s” is verwijderd.") % {"naam": naam})
    return redirect("interventiesoorten")
