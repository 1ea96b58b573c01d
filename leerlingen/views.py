"""Pupil search, the pupil's dossier page, the specialist's and the parent's pupil lists."""

from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zorg import toegang
from zorg.views import school_vereist
from zorg.zoeken import zoek_filter

from . import dossier
from .models import Dossieritem, Klasplaatsing

MAX_ZOEKRESULTATEN = 50


def _met_huidige_klas(leerlingen, schooljaar):
    plaatsingen = Klasplaatsing.objects.filter(klas__schooljaar=schooljaar).select_related("klas")
    return leerlingen.select_related("zorgniveau", "case_manager").prefetch_related(
        Prefetch("plaatsingen", queryset=plaatsingen, to_attr="huidige_plaatsingen")
    )


@school_vereist("zorgcoordinator", "directie", "teamleider", "mentor", "specialist", "docent")
def zoeken(request):
    zoek = request.GET.get("q", "").strip()
    resultaten, meer = [], False
    if zoek:
        qs = toegang.leerlingen_voor(request.user, request.school).filter(zoek_filter(zoek))
        qs = _met_huidige_klas(qs, request.rollen.schooljaar).order_by("achternaam", "voornaam")
        resultaten = list(qs[: MAX_ZOEKRESULTATEN + 1])
        meer = len(resultaten) > MAX_ZOEKRESULTATEN
        resultaten = resultaten[:MAX_ZOEKRESULTATEN]
    template = "leerlingen/_zoekresultaten.html" if request.htmx else "leerlingen/zoeken.html"
    context = {"zoek": zoek, "resultaten": resultaten, "meer": meer, "titel": _("Leerling zoeken")}
    return render(request, template, context)


@school_vereist()
def leerling_detail(request, pk):
    """The pupil's dossier: one timeline, filtered by soort, periode and text (htmx: the list only)."""
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    toegang.log_inzage(request, leerling, _("dossier"))
    schooljaar = request.rollen.schooljaar
    soort = request.GET.get("soort", "").strip()
    periode = request.GET.get("periode", "").strip()
    zoek = request.GET.get("q", "").strip()[:100]
    klassen = dossier.klassen_van(leerling)
    periodes = dossier.periode_keuzes(schooljaar, [klas.schooljaar for klas in klassen])
    try:
        tonen = min(max(int(request.GET.get("tonen", dossier.PAGINA)), dossier.PAGINA), 2000)
    except ValueError:
        tonen = dossier.PAGINA
    tijdlijn = dossier.tijdlijn(request.user, request.school, leerling, soort, periode, zoek, periodes, tonen)
    context = {
        "leerling": leerling,
        "tijdlijn": tijdlijn,
        "soort": soort,
        "periode": periode,
        "zoek": zoek,
        "volgende_pagina": urlencode({"soort": soort, "periode": periode, "q": zoek, "tonen": tonen + dossier.PAGINA}),
        "soorten": Dossieritem.Soort.choices,
        "periodes": [(waarde, label) for waarde, label, _begin, _einde in periodes],
        "mag_schrijven": toegang.mag_dossier_schrijven(request.user, request.school, leerling),
        "mag_signaleren": toegang.mag_signaleren(request.user, request.school, leerling),
        "mag_toestemming_lezen": toegang.mag_toestemming_lezen(request.user, request.school, leerling),
        "alleen_handelingstips": dossier.ziet_alleen_handelingstips(request.user, request.school, leerling),
    }
    if request.htmx:
        return render(request, "leerlingen/_tijdlijn.html", context)
    context.update(dossier.kopgegevens(leerling, schooljaar, klassen))
    context.update({
        "nieuwe_soorten": [(s, Dossieritem.Soort(s).label) for s in dossier.NIEUWE_SOORTEN],
        "titel": leerling.naam,
    })
    return render(request, "leerlingen/leerling.html", context)


@school_vereist("specialist")
def mijn_leerlingen(request):
    vandaag = timezone.localdate()
    qs = toegang.leerlingen_voor(request.user, request.school).filter(
        Q(case_manager=request.user)
        | Q(
            betrokkenen__gebruiker=request.user,
            betrokkenen__vanaf__lte=vandaag,
        )
        & (Q(betrokkenen__tot__isnull=True) | Q(betrokkenen__tot__gte=vandaag))
    ).distinct()
    leerlingen = list(_met_huidige_klas(qs, request.rollen.schooljaar).order_by("achternaam", "voornaam"))
    return render(request, "leerlingen/mijn_leerlingen.html", {"leerlingen": leerlingen, "titel": _("Mijn leerlingen")})
