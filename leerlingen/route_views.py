"""Thin views for the zorgroute: request a step, decide it, step down, record paper consent,
the queue of open hulpvragen, and the overdracht. The rules are in leerlingen/route.py.

Out-of-scope pupils answer 404 (through zorg.toegang); a pupil in scope but a step the user's
role may not take answers 403 with a Dutch explanation.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from extern import toestemming as toestemming_regels
from extern.models import Toestemming
from zorg import toegang
from zorg.models import Zorgniveau
from zorg.views import school_vereist

from . import paginas, route
from .models import Opschaling, Ouder
from .route_forms import AfschalenForm, BesluitForm, OpschalingForm, ToestemmingForm


def _opschaling_of_404(request, pk):
    try:
        opschaling = Opschaling.objects.select_related(
            "van_niveau", "naar_niveau", "aangevraagd_door", "besloten_door", "case_manager", "toestemming__ouder"
        ).get(pk=pk)
    except (Opschaling.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    opschaling.leerling = toegang.leerling_of_404(request.user, request.school, opschaling.leerling_id)
    return opschaling


@school_vereist()
@require_http_methods(["GET", "POST"])
def aanvragen(request, pk):
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    naar = route.volgend_niveau(leerling)
    if naar is None:
        return paginas.geweigerd(request, leerling, _("Deze leerling staat al op het hoogste niveau van de zorgroute."))
    if not route.mag_aanvragen(request.user, request.school, leerling, naar):
        wie = _(" of ").join(sorted(route.rollabel(r) for r in route.aanvragers_voor(leerling.zorgniveau, naar)))
        return paginas.geweigerd(
            request, leerling, _("Een hulpvraag naar %(niveau)s wordt ingediend door %(wie)s van de "
                                               "leerling.") % {"niveau": naar.naam, "wie": wie})
    bestaand = route.open_opschaling(leerling)
    if bestaand is not None:
        messages.info(request, _("Er staat al een hulpvraag open voor deze leerling."))
        return redirect("route_beoordelen", bestaand.pk)
    form = OpschalingForm(request.POST or None, initial={"hulpvraag": route.voorgestelde_hulpvraag(leerling)})
    if request.method == "POST" and form.is_valid():
        try:
            route.vraag_aan(request.user, request.school, leerling, form.cleaned_data["hulpvraag"],
                            form.cleaned_data["begeleidingsvraag"])
        except route.RouteFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("De hulpvraag is doorgezet naar %(niveau)s.") % {"niveau": naar.naam})
            return redirect("leerling", leerling.pk)
    if request.method == "GET":
        toegang.log_inzage(request, leerling, _("hulpvraag opstellen"))
    context = {
        **paginas.kop(leerling),
        "form": form,
        "naar": naar,
        "ontbrekend": route.ontbrekend(leerling, naar),
        "geschiedenis": route.geschiedenis(leerling),
        "titel": _("Hulpvraag naar %(niveau)s") % {"niveau": naar.naam},
    }
    return render(request, "leerlingen/route_aanvragen.html", context)


@school_vereist()
@require_http_methods(["GET", "POST"])
def beoordelen(request, pk):
    opschaling = _opschaling_of_404(request, pk)
    leerling = opschaling.leerling
    if not route.mag_opschaling_lezen(request.user, request.school, opschaling):
        return paginas.geweigerd(request, leerling, _("U kunt deze hulpvraag niet inzien."))
    mag_beslissen = route.mag_beslissen(request.user, request.school, leerling, opschaling.naar_niveau)
    open_ = opschaling.status == Opschaling.Status.AANGEVRAAGD
    if request.method == "POST" and not mag_beslissen:
        naar = opschaling.naar_niveau
        melding = _("Over een opschaling naar %(niveau)s beslist %(wie)s van de leerling.") % {
            "niveau": naar.naam, "wie": route.rollabel(naar.besloten_door)
        }
        return paginas.geweigerd(request, leerling, melding)
    form = None
    if mag_beslissen and (open_ or request.method == "POST"):
        standaard = route.standaard_case_manager(leerling, opschaling.naar_niveau, request.user)
        form = BesluitForm(request.POST or None, medewerkers=request.school.medewerkers(),
                           initial={"case_manager": standaard.pk if standaard else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            route.beslis(request.user, request.school, opschaling.pk, data["besluit"] == BesluitForm.TOEKENNEN,
                         data["reden"], data["case_manager"])
        except route.RouteFout as fout:
            paginas.fouten(form, fout)
        else:
            if data["besluit"] == BesluitForm.TOEKENNEN:
                messages.success(request, _("Opschaling toegekend: %(leerling)s staat nu op %(niveau)s.") % {
                    "leerling": leerling.naam, "niveau": opschaling.naar_niveau.naam})
            else:
                messages.success(request, _("De hulpvraag is afgewezen; de aanvrager krijgt bericht."))
            return redirect("leerling", leerling.pk)
    if request.method == "GET":
        toegang.log_inzage(request, leerling, _("opschaling"), opschaling)
    context = {
        **paginas.kop(leerling),
        "opschaling": opschaling,
        "form": form,
        "ontbrekend": route.ontbrekend(leerling, opschaling.naar_niveau) if open_ and mag_beslissen else [],
        "mag_intrekken": open_ and opschaling.aangevraagd_door_id == request.user.pk,
        "titel": _("Opschaling beoordelen"),
    }
    return render(request, "leerlingen/route_beoordelen.html", context)


@school_vereist()
@require_POST
def intrekken(request, pk):
    opschaling = _opschaling_of_404(request, pk)
    if opschaling.aangevraagd_door_id != request.user.pk:
        return paginas.geweigerd(request, opschaling.leerling, _("Alleen wie de hulpvraag heeft ingediend, kan haar "
                                                          "intrekken."))
    try:
        route.trek_in(request.user, request.school, opschaling.pk)
    except route.RouteFout as fout:
        for melding in fout.meldingen:
            messages.error(request, melding)
        return redirect("route_beoordelen", opschaling.pk)
    messages.success(request, _("De hulpvraag is ingetrokken."))
    return redirect("leerling", opschaling.leerling.pk)


@school_vereist()
@require_http_methods(["GET", "POST"])
def afschalen(request, pk):
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    if leerling.zorgniveau is None:
        return paginas.geweigerd(request, leerling, _("Deze leerling heeft geen zorgniveau; afschalen kan niet."))
    if not route.mag_afschalen(request.user, request.school, leerling):
        return paginas.geweigerd(request, leerling, _("Afschalen van %(niveau)s doet %(wie)s van de leerling.") % {
            "niveau": leerling.zorgniveau.naam, "wie": route.rollabel(leerling.zorgniveau.besloten_door)})
    lager = route.lagere_niveaus(leerling)
    vorig = lager[-1] if lager else None
    standaard = route.standaard_case_manager(leerling, vorig, request.user)
    form = AfschalenForm(
        request.POST or None,
        niveaus=Zorgniveau.objects.filter(pk__in=[n.pk for n in lager]).order_by("volgorde"),
        medewerkers=request.school.medewerkers(),
        initial={"naar_niveau": vorig.pk if vorig else None, "case_manager": standaard.pk if standaard else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            route.schaal_af(request.user, request.school, leerling, data["naar_niveau"], data["reden"],
                            data["case_manager"])
        except route.RouteFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("De leerling is afgeschaald."))
            return redirect("leerling", leerling.pk)
    context = {**paginas.kop(leerling), "form": form, "titel": _("Afschalen")}
    return render(request, "leerlingen/route_afschalen.html", context)


@school_vereist()
@require_http_methods(["GET", "POST"])
def toestemming(request, pk):
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    if not route.mag_toestemming_vastleggen(request.user, request.school, leerling):
        return paginas.geweigerd(request, leerling, _("Toestemming vastleggen doet de zorgcoördinator."))
    ouders = Ouder.objects.filter(relaties__leerling=leerling, relaties__gezag=True).distinct()
    form = ToestemmingForm(request.POST or None, request.FILES or None, ouders=ouders)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:  # the consent service of extern (with the scan upload); the zat/zorgniveau doelen need no instelling
            toestemming_regels.leg_papier_vast(
                request.user, request.school, leerling, ouder=data["ouder"], status=Toestemming.Status.GEGEVEN,
                datum=data["datum"], doel=data["doel"], geldig_tot=data["geldig_tot"],
                leerling_akkoord=data["leerling_akkoord"] or None, bestand=data["bestand"])
        except toestemming_regels.ToestemmingFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("De toestemming is vastgelegd."))
            return redirect("leerling", leerling.pk)
    context = {
        **paginas.kop(leerling),
        "form": form,
        "geen_ouders": not ouders.exists(),
        "toestemmingen": leerling.toestemmingen.select_related("ouder", "vastgelegd_door").order_by("-datum"),
        "titel": _("Toestemming vastleggen"),
    }
    return render(request, "leerlingen/route_toestemming.html", context)


@school_vereist("mentor", "teamleider", "zorgcoordinator")
def hulpvragen(request):
    context = {
        "te_beoordelen": list(route.te_beoordelen(request.user, request.school)),
        "mijn_aanvragen": list(route.mijn_aanvragen(request.user, request.school)),
        "titel": _("Hulpvragen"),
    }
    return render(request, "leerlingen/route_hulpvragen.html", context)


@school_vereist()
def overdracht(request, pk):
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    if not route.mag_overdracht_lezen(request.user, request.school, leerling):
        return paginas.geweigerd(
            request, leerling, _("De overdracht is voor mentor, teamleider, zorgteam en directie."))
    toegang.log_inzage(request, leerling, _("overdracht"))
    samenvatting = route.overdracht(request.user, request.school, leerling)
    context = {
        **paginas.kop(leerling),
        "s": samenvatting,
        "mag_vastleggen": route.mag_overdracht_vastleggen(request.user, request.school, leerling),
        "titel": _("Overdracht %(leerling)s") % {"leerling": leerling.naam},
    }
    return render(request, "leerlingen/overdracht.html", context)


@school_vereist()
@require_POST
def overdracht_vastleggen(request, pk):
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    try:
        item = route.leg_overdracht_vast(request.user, request.school, leerling)
    except route.RouteFout as fout:
        return paginas.geweigerd(request, leerling, " ".join(fout.meldingen))
    if item.vertrouwelijkheid == item.Vertrouwelijkheid.VERTROUWELIJK:
        messages.success(request, _("De overdracht is vastgelegd in het dossier, als vertrouwelijk item omdat zij "
                                    "vertrouwelijke gegevens bevat."))
    else:
        messages.success(request, _("De overdracht is vastgelegd in het dossier."))
    return redirect("overdracht", leerling.pk)
