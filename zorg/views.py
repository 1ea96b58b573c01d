"""Start pages per role, school choice, and the applicatiebeheerder's overview."""

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, Window, prefetch_related_objects
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from besprekingen.afspraken import vandaag_voor as afspraken_vandaag
from leerlingen.models import Leerling

from . import notificaties, toegang, zorgroutes
from .forms import SchoolInstellingenForm, SchoolKeuzeForm, ZorgroutePresetForm
from .models import Afdeling, Klas, Lesopdracht
from .zoeken import zoek_filter


def school_vereist(*rolnamen):
    """Require a chosen school and (when given) one of the role names there; else 404."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.school is None:
                if len(request.scholen) > 1:
                    return redirect(f"{reverse('kies_school')}?{urlencode({'next': request.get_full_path()})}")
                raise Http404
            request.rollen = toegang.rollen(request.user, request.school)
            if rolnamen and not request.rollen.heeft(*rolnamen):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


STARTPAGINA = {
    "zorgcoordinator": "dashboard",
    "directie": "school_overzicht",
    "teamleider": "afdeling",
    "mentor": "mijn_klas",
    "specialist": "mijn_leerlingen",
    "docent": "mijn_klassen",
    "applicatiebeheerder": "beheer",
    "ouder": "ouder_start",
    "extern": "extern_start",
}


@login_required
def start(request):
    """Send each user to the start page of their strongest role."""
    if request.school is None and len(request.scholen) > 1:
        return redirect("kies_school")
    namen = toegang.rollen(request.user, request.school).namen
    if namen:
        return redirect(STARTPAGINA[namen[0]])
    if toegang.eigen_leerling(request.user) is not None:
        return redirect("leerling_start")
    return render(request, "zorg/geen_rol.html")


@login_required
@require_http_methods(["GET", "POST"])
def kies_school(request):
    form = SchoolKeuzeForm(request.POST or None, scholen=request.scholen)
    if request.method == "POST" and form.is_valid():
        request.session["school_id"] = form.cleaned_data["school"].pk
        volgende = request.POST.get("next") or ""
        # Only a path on this site; redirect() would take any other text for a view name.
        veilig = volgende.startswith("/") and url_has_allowed_host_and_scheme(
            volgende, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        if veilig:
            return HttpResponseRedirect(volgende)
        return redirect("start")
    return render(request, "zorg/kies_school.html", {"form": form, "next": request.GET.get("next", "")})


def _klas_leerlingen(klas, zoek="", niveau=""):
    """The klas's pupils with, in the same query, their open hulpvraag and the evaluation date of
    their active handelingsplan (the 'open items' of the mentor's start page)."""
    from leerlingen.models import Opschaling
    from plannen.models import Handelingsplan

    leerling = OuterRef("pk")
    actieve_plannen = Handelingsplan.objects.filter(
        leerling=leerling, status__in=[Handelingsplan.Status.CONCEPT, Handelingsplan.Status.VASTGESTELD]
    )
    leerlingen = (
        Leerling.objects.filter(plaatsingen__klas=klas)
        .select_related("zorgniveau", "case_manager")
        .annotate(
            hulpvraag_open=Exists(Opschaling.objects.filter(leerling=leerling, status=Opschaling.Status.AANGEVRAAGD)),
            plan_evaluatie=Subquery(actieve_plannen.order_by("evaluatiedatum").values("evaluatiedatum")[:1]),
            plan_status=Subquery(actieve_plannen.order_by("evaluatiedatum").values("status")[:1]),
        )
        .order_by("achternaam", "voornaam")
    )
    if zoek:
        leerlingen = leerlingen.filter(zoek_filter(zoek))
    if niveau:
        leerlingen = leerlingen.filter(zorgniveau__code=niveau)
    return leerlingen


def _klas_pagina(request, klas, titel):
    zoek = request.GET.get("q", "").strip()
    niveau = request.GET.get("niveau", "").strip()
    leerlingen = list(_klas_leerlingen(klas, zoek, niveau))
    schooljaar = klas.schooljaar
    is_mentor = klas.pk in request.rollen.mentor_klassen
    toon_zorg = is_mentor or request.rollen.heeft("teamleider", "zorgcoordinator", "directie")
    vandaag = timezone.localdate()
    for leerling in leerlingen:
        leerling.plan_te_laat = bool(leerling.plan_evaluatie and leerling.plan_evaluatie < vandaag)
    vandaag_voor_u = None
    if is_mentor and not request.htmx:
        binnenkort = vandaag + datetime.timedelta(days=14)
        # The 5 newest unread notices, each with the number of all unread ones (the bell's count, for which
        # the menu would otherwise count them again).
        meldingen = list(notificaties.ongelezen(request.user).annotate(totaal=Window(Count("pk")))
                         .order_by("-aangemaakt_op")[:5])
        ongelezen_aantal = meldingen[0].totaal if meldingen else 0
        vandaag_voor_u = {
            "meldingen": meldingen,
            "evaluaties": [lln for lln in leerlingen if lln.plan_evaluatie and lln.plan_evaluatie <= binnenkort],
            "hulpvragen": [lln for lln in leerlingen if lln.hulpvraag_open],
            "afspraken": afspraken_vandaag(request.user, request.school, vandaag),
        }
    periode = schooljaar.periode_op()
    groepsbespreking = None
    if periode is not None and not request.htmx:
        groepsbespreking = (
            klas.besprekingen.filter(soort="groepsbespreking", periode=periode).exclude(status="geannuleerd").first()
        )
    context = {
        "klas": klas,
        "titel": titel,
        "leerlingen": leerlingen,
        "groepsbespreking": groepsbespreking,
        "zoek": zoek,
        "niveau": niveau,
        "niveaus": zorgroutes.niveaus_van(request.school),
        "mentoren": list(klas.mentoren.all()),
        "periode": periode,
        "is_mentor": is_mentor,
        "toon_zorg": toon_zorg,
        "vandaag": vandaag,
        "vandaag_voor_u": vandaag_voor_u,
    }
    if vandaag_voor_u is not None:
        context["ongelezen_aantal"] = ongelezen_aantal
    template = "zorg/_klas_leerlingen.html" if request.htmx else "zorg/klas.html"
    return render(request, template, context)


@school_vereist("mentor")
def mijn_klas(request):
    klassen = list(
        Klas.objects.filter(pk__in=request.rollen.mentor_klassen).select_related("schooljaar", "afdeling")
    )
    if len(klassen) == 1:
        return _klas_pagina(request, klassen[0], _("Mijn klas %(klas)s") % {"klas": klassen[0]})
    return render(request, "zorg/klassen.html", {"titel": _("Mijn klassen"), "klassen": _met_tellingen(klassen)})


@school_vereist()
def klas_detail(request, pk):
    klas = toegang.klas_of_404(request.user, request.school, pk)
    return _klas_pagina(request, klas, _("Klas %(klas)s") % {"klas": klas})


def _met_tellingen(klassen):
    """Add the pupil count and the mentors to klassen already fetched (two queries in all)."""
    tellingen = dict(
        Klas.objects.filter(pk__in=[k.pk for k in klassen]).annotate(n=Count("plaatsingen")).values_list("pk", "n")
    )
    prefetch_related_objects(klassen, "mentoren")
    for klas in klassen:
        klas.aantal = tellingen.get(klas.pk, 0)
        klas.mentorlijst = list(klas.mentoren.all())
    return klassen


@school_vereist("docent")
def mijn_klassen(request):
    opdrachten = (
        Lesopdracht.objects.filter(docent=request.user, klas__schooljaar=request.rollen.schooljaar)
        .select_related("klas", "vak")
        .order_by("klas__naam", "vak__naam")
    )
    per_klas = {}
    for opdracht in opdrachten:
        per_klas.setdefault(opdracht.klas, []).append(opdracht.vak)
    klassen = _met_tellingen(list(per_klas))
    for klas in klassen:
        klas.vakken = per_klas[klas]
    return render(request, "zorg/klassen.html", {"titel": _("Mijn klassen"), "klassen": klassen, "toon_vakken": True})


def _afdelingen_overzicht(request, afdelingen):
    schooljaar = request.rollen.schooljaar
    klassen_qs = (
        Klas.objects.filter(schooljaar=schooljaar)
        .annotate(aantal=Count("plaatsingen", distinct=True))
        .prefetch_related("mentoren")
        .order_by("naam")
    )
    afdelingen = list(afdelingen.prefetch_related(Prefetch("klassen", queryset=klassen_qs, to_attr="huidige_klassen")))
    niveaus = zorgroutes.niveaus_van(request.school)
    tellingen = {}
    rijen = (
        Leerling.objects.filter(
            plaatsingen__klas__schooljaar=schooljaar, plaatsingen__klas__afdeling__in=afdelingen
        )
        .values_list("plaatsingen__klas__afdeling_id", "zorgniveau_id")
        .annotate(n=Count("id"))
    )
    for afdeling_id, niveau_id, n in rijen:
        tellingen[(afdeling_id, niveau_id)] = n
    for afdeling in afdelingen:
        afdeling.per_niveau = [(niveau, tellingen.get((afdeling.pk, niveau.pk), 0)) for niveau in niveaus]
        afdeling.zonder_niveau = tellingen.get((afdeling.pk, None), 0)
        afdeling.aantal = sum(k.aantal for k in afdeling.huidige_klassen)
    return afdelingen


@school_vereist("teamleider")
def afdeling(request):
    afdelingen = _afdelingen_overzicht(
        request, Afdeling.objects.filter(pk__in=request.rollen.teamleider_afdelingen)
    )
    return render(request, "zorg/afdelingen.html", {"titel": _("Mijn afdeling"), "afdelingen": afdelingen})


@school_vereist("zorgcoordinator", "directie")
def school_overzicht(request):
    afdelingen = _afdelingen_overzicht(request, Afdeling.objects.filter(school=request.school))
    niveaus = zorgroutes.niveaus_van(request.school)
    totalen = [(n, sum(dict((x.pk, c) for x, c in a.per_niveau)[n.pk] for a in afdelingen)) for n in niveaus]
    return render(
        request,
        "zorg/school.html",
        {
            "titel": request.school.naam,
            "afdelingen": afdelingen,
            "totalen": totalen,
            "maximum": max([c for _n, c in totalen] + [1]),
            "periode": request.rollen.schooljaar.periode_op() if request.rollen.schooljaar else None,
        },
    )


@school_vereist("applicatiebeheerder")
@require_http_methods(["GET", "POST"])
def beheer(request):
    school = request.school
    route = getattr(school, "zorgroute", None)
    is_instellingen = request.method == "POST" and "instellingen" in request.POST
    instellingen = SchoolInstellingenForm(request.POST if is_instellingen else None, instance=school)
    if is_instellingen and instellingen.is_valid():
        instellingen.save()
        messages.success(request, _("De instellingen zijn opgeslagen."))
        return redirect("beheer")
    form = ZorgroutePresetForm(request.POST if request.method == "POST" and not is_instellingen else None)
    if request.method == "POST" and not is_instellingen and form.is_valid():
        try:
            zorgroutes.pas_toe(school, form.cleaned_data["preset"])
        except zorgroutes.ZorgrouteInGebruik as fout:
            form.add_error("preset", str(fout))
        else:
            messages.success(request, _("De zorgroute is ingesteld."))
            return redirect("beheer")
    schooljaren = list(school.schooljaren.prefetch_related("perioden").annotate(n_klassen=Count("klassen")))
    context = {
        "titel": _("Beheer %(school)s") % {"school": school},
        "schooljaren": schooljaren,
        "afdelingen": list(school.afdelingen.all()),
        "route": route,
        "niveaus": zorgroutes.niveaus_van(school),
        "form": form,
        "instellingen": instellingen,
        "aantal_leerlingen": Leerling.objects.filter(school=school).count(),
    }
    return render(request, "zorg/beheer.html", context)
