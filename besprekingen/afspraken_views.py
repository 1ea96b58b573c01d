"""Mijn afspraken (every staff user) and the zorgcoördinator dashboard (zorgcoördinator and
directie). The queries are in besprekingen/afspraken.py and besprekingen/dashboard.py; closing an
afspraak is services.handel_af."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zorg import toegang
from zorg.interventie_forms import InterventieKeuze, beperk_interventie
from zorg.models import Doelresultaat, Interventiesoort, Inzage
from zorg.views import school_vereist

from . import afspraken, dashboard, services
from .models import Afspraak


class AfhandelForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("status"),
        choices=Afspraak.Status.choices,
        error_messages={"required": gettext_lazy("Kies gedaan of vervallen."),
                        "invalid_choice": gettext_lazy("Kies gedaan of vervallen.")},
    )
    notitie = forms.CharField(
        label=gettext_lazy("notitie"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The evaluation (kwaliteitszorg), recorded with gedaan: goal reached?, care hours, kind.
    resultaat = forms.ChoiceField(
        label=gettext_lazy("doel behaald?"), required=False, choices=Doelresultaat.choices,
        error_messages={"invalid_choice": gettext_lazy("Kies behaald, deels behaald of niet behaald.")},
    )
    zorguren = forms.DecimalField(
        label=gettext_lazy("zorguren"), required=False, localize=True, min_value=0, max_digits=6, decimal_places=1,
        error_messages={
            "invalid": gettext_lazy("Vul bij zorguren een aantal uren in, bijvoorbeeld 12,5."),
            "min_value": gettext_lazy("Vul bij zorguren een aantal uren van 0 of meer in (bijvoorbeeld 12,5)."),
            "max_digits": gettext_lazy("Vul bij zorguren hoogstens 99999,9 uur in."),
            "max_whole_digits": gettext_lazy("Vul bij zorguren hoogstens 99999,9 uur in."),
            "max_decimal_places": gettext_lazy("Vul bij zorguren hoogstens één cijfer achter de komma in."),
        },
    )
    interventie = InterventieKeuze()

    def __init__(self, *args, school=None, huidig=None, **kwargs):
        super().__init__(*args, **kwargs)
        beperk_interventie(self, school, huidig)

    def evaluatie(self):
        """The evaluation fields that were posted (a form without them changes nothing there)."""
        if "resultaat" not in self.data:
            return None
        uitkomst = {"resultaat": self.cleaned_data["resultaat"], "zorguren": self.cleaned_data["zorguren"]}
        if "interventie" in self.data:
            uitkomst["interventie"] = self.cleaned_data["interventie"]
        return uitkomst


def log_inzage_lijst(request, leerlingen, onderdeel):
    """One inzagelog row per named pupil of a school-wide list, written in one query (the reader
    holds a school-wide role, so the role is the same for every row)."""
    leerlingen = [lln for lln in leerlingen if lln is not None]
    if not leerlingen:
        return
    rol = toegang.ROLNAMEN[request.rollen.namen[0]]
    Inzage.objects.bulk_create(
        Inzage(gebruiker=request.user, gebruiker_naam=request.user.naam, rol=str(rol), leerling=lln,
               onderdeel=str(onderdeel))
        for lln in leerlingen
    )


def _soorten(school):
    """The school's kinds of intervention for the selects in the afspraak rows (one query per page;
    a row shows the active ones plus its own current kind)."""
    return list(Interventiesoort.objects.filter(school=school).order_by("volgorde", "naam"))


def _bewaar_invoer(afspraak, post):
    """Show what the user typed again after a refusal (never saved)."""
    afspraak.invoer_resultaat = post.get("resultaat", afspraak.resultaat)
    afspraak.invoer_zorguren = post.get("zorguren", "")
    if "interventie" in post:
        afspraak.invoer_interventie = post.get("interventie", "")


def _mag_alle_zien(request):
    return request.rollen.heeft("zorgcoordinator")


@school_vereist()
@require_GET
def mijn_afspraken(request):
    alle = request.GET.get("weergave") == "alle" and _mag_alle_zien(request)
    context = {
        "titel": _("Alle open afspraken") if alle else _("Mijn afspraken"),
        "weergave": "alle" if alle else "",
        "mag_alle_zien": _mag_alle_zien(request),
        "soorten": _soorten(request.school),
    }
    if alle:
        per_eigenaar = afspraken.open_van_school(request.user, request.school)
        context["per_eigenaar"] = per_eigenaar
        log_inzage_lijst(
            request, {a.leerling for _e, rij, _n in per_eigenaar for a in rij
                      if a.leerling_id and not afspraken.is_anoniem(a)},
            _("afspraken"),
        )
    else:
        eigen = afspraken.van_gebruiker(request.user, request.school)
        context["groepen"] = afspraken.gegroepeerd(eigen)
        context["aantal"] = len(eigen)
    return render(request, "besprekingen/afspraken/mijn_afspraken.html", context)


@school_vereist()
@require_POST
def afspraak_afhandelen(request, pk):
    afspraak = afspraken.afspraak_voor_afhandelen(request.user, request.school, pk)
    weergave = "alle" if request.POST.get("weergave") == "alle" and _mag_alle_zien(request) else ""
    terug = reverse("mijn_afspraken") + ("?weergave=alle" if weergave else "")
    if not toegang.mag_afspraak_afhandelen(request.user, request.school, afspraak):
        melding = _("Alleen de eigenaar, de voorzitter of de zorgcoördinator handelt deze afspraak af.")
        return render(request, "besprekingen/afspraken/geweigerd.html",
                      {"titel": _("Niet toegestaan"), "melding": melding, "terug": terug}, status=403)
    form = AfhandelForm(request.POST, school=afspraak.school_id, huidig=afspraak.interventie_id)
    fouten = []
    if form.is_valid():
        try:
            services.handel_af(request.user, request.school, afspraak.pk, form.cleaned_data["status"],
                               form.cleaned_data["notitie"], evaluatie=form.evaluatie())
        except services.BesprekingFout as fout:
            fouten = fout.meldingen
    else:
        fouten = [e for lijst in form.errors.values() for e in lijst]
    if not fouten:
        afspraak = afspraken.afspraak_voor_afhandelen(request.user, request.school, pk)
        tekst = {
            Afspraak.Status.GEDAAN: _("De afspraak is afgehandeld als gedaan."),
            Afspraak.Status.VERVALLEN: _("De afspraak is vervallen."),
            Afspraak.Status.OPEN: _("De afspraak staat weer open."),
        }[afspraak.status]
        if not request.htmx:
            messages.success(request, tekst)
            return redirect(terug)
        afspraak.bevestiging = tekst
    if fouten:
        _bewaar_invoer(afspraak, request.POST)
    context = {
        "a": afspraak, "fouten": fouten, "invoer": request.POST.get("notitie", ""),
        "weergave": weergave, "toon_eigenaar": bool(weergave), "soorten": _soorten(request.school),
    }
    if request.htmx:
        return render(request, "besprekingen/afspraken/_afspraak.html", context)
    context.update({"titel": _("Afspraak afhandelen"), "terug": terug})
    return render(request, "besprekingen/afspraken/afhandelen.html", context)


# --- Dashboard ---------------------------------------------------------------------------------------


@school_vereist("zorgcoordinator", "directie")
@require_GET
def dashboard_view(request):
    stand = dashboard.Stand.van(request)
    context = dashboard.cijfers(stand)
    context.update({"titel": _("Dashboard zorg"), "periode": stand.periode, "schooljaar": stand.schooljaar})
    return render(request, "besprekingen/dashboard/dashboard.html", context)


@school_vereist("zorgcoordinator", "directie")
@require_GET
def dashboard_lijst(request, naam):
    if naam not in dashboard.LIJSTEN:
        raise Http404
    stand = dashboard.Stand.van(request)
    met_namen = request.rollen.heeft("zorgcoordinator")
    fout = ""
    try:
        rijen, filters = dashboard.lijst(naam, stand, request.GET)
    except dashboard.FilterFout as f:
        fout = str(f)
        rijen, filters = dashboard.lijst(naam, stand, {})
    if naam == "afspraken":
        rijen = dashboard.met_afspraakdetails(rijen, stand)
        if met_namen:
            log_inzage_lijst(request, dashboard.leerlingen_in(rijen), _("afspraken"))
    elif naam == "verwijzingen":
        if met_namen:
            log_inzage_lijst(request, {v.leerling for v in rijen}, _("verwijzingen"))
    else:
        rijen = list(rijen)
    context = {
        "titel": dashboard.LIJSTEN[naam],
        "naam": naam,
        "rijen": rijen,
        "aantal": len(rijen),
        "filters": filters,
        "fout": fout,
        "met_namen": met_namen,
        "stand": stand,
        "periode": stand.periode,
        "verwijzing_weken": request.school.herinnering_verwijzing_weken,
    }
    return render(request, "besprekingen/dashboard/lijst.html", context)
