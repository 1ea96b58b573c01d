"""Thin views for planning besprekingen (list, plan form, .ics, invite again) and for aanmeldingen
(the form from the dossier, the zorgcoördinator's queue, detail, terugsturen, aanvullen, intrekken).
The rules are in services.py, planning.py and aanmelding.py.

Out-of-scope pupils, besprekingen and aanmeldingen answer 404 (through zorg.toegang); an action the
user's role may not take on a record they can read answers 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerlingen import paginas, route
from zorg import toegang
from zorg.views import school_vereist

from . import aanmelding as aanmeldingen_service
from . import planning, services, uitnodiging
from .aanmelding_forms import AanmeldingForm, OpAgendaForm, PlanForm, TerugsturenForm
from .models import Aanmelding, Bespreking

Soort = Bespreking.Soort


# --- Besprekingen -------------------------------------------------------------------------------------


@school_vereist()
@require_GET
def besprekingen(request):
    soort = request.GET.get("soort", "")
    soort = soort if soort in Soort.values else ""
    komend, eerder = planning.besprekingen(request.user, request.school, soort)
    for b in komend:
        b.mag_uitnodigen = planning.mag_opnieuw_uitnodigen(request.user, request.school, b)
    context = {
        "komend": komend, "eerder": eerder, "soort": soort, "soorten": Soort.choices,
        "planbaar": planning.planbare_soorten(request.user, request.school),
        "titel": _("Besprekingen"),
    }
    return render(request, "besprekingen/planning/lijst.html", context)


@school_vereist()
@require_http_methods(["GET", "POST"])
def bespreking_nieuw(request):
    user, school = request.user, request.school
    soorten = planning.planbare_soorten(user, school)
    if not soorten:
        raise Http404
    medewerkers = school.medewerkers().order_by("last_name", "first_name", "pk")
    gevraagd = request.GET.get("soort", "")
    initial = {
        "soort": gevraagd if gevraagd in dict(soorten) else soorten[0][0],
        "voorzitter": user.pk if medewerkers.filter(pk=user.pk).exists() else None,
        "duur": 60,
    }
    for veld in ("klas", "periode"):  # e.g. from the groepsbespreking proposals
        if request.GET.get(veld):
            initial[veld] = request.GET[veld]
    # A gesprek met ouders/leerling is planned from the pupil's dossier: ?leerling=<pk>.
    leerling_pk = request.POST.get("leerling") or request.GET.get("leerling")
    leerling = toegang.leerling_of_404(user, school, leerling_pk) if leerling_pk else None
    form = PlanForm(
        request.POST or None, initial=initial, soorten=soorten, medewerkers=medewerkers,
        contactpersonen=planning.contactpersonen(school), klassen=planning.groepsbespreking_klassen(user, school),
        perioden=planning.perioden(school),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                bespreking = services.plan_bespreking(
                    user, school, d["soort"], d["begin"], d["voorzitter"], deelnemers=list(d["deelnemers"]),
                    contactpersonen=list(d["contactpersonen"]) if d["soort"] == Soort.ZAT else [],
                    klas=d["klas"] if d["soort"] == Soort.GROEPSBESPREKING else None,
                    periode=d["periode"] if d["soort"] == Soort.GROEPSBESPREKING else None,
                    titel=d["titel"], locatie=d["locatie"], duur=d["duur"],
                )
                if leerling is not None:
                    services.voeg_leerling_toe(user, school, bespreking, leerling)
        except services.BesprekingFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("%(naam)s is gepland; de deelnemers zijn uitgenodigd.") % {
                "naam": bespreking.naam})
            return redirect("bespreking", bespreking.pk)
    return render(request, "besprekingen/planning/nieuw.html",
                  {"form": form, "titel": _("Nieuwe bespreking"), "leerling": leerling})


@school_vereist()
@require_GET
def bespreking_ics(request, pk):
    bespreking = toegang.bespreking_of_404(request.user, request.school, pk)
    response = HttpResponse(uitnodiging.ics(bespreking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{uitnodiging.ics_bestandsnaam(bespreking)}"'
    return response


@school_vereist()
@require_POST
def bespreking_uitnodigen(request, pk):
    bespreking = toegang.bespreking_of_404(request.user, request.school, pk)
    if not planning.mag_opnieuw_uitnodigen(request.user, request.school, bespreking):
        raise PermissionDenied(_("Alleen de voorzitter of de zorgcoördinator nodigt opnieuw uit."))
    with transaction.atomic():
        services.nodig_uit(bespreking, afzender=request.user)
    messages.success(request, _("De deelnemers van %(naam)s zijn opnieuw uitgenodigd.") % {"naam": bespreking.naam})
    terug = request.POST.get("terug")
    return redirect("besprekingen" if terug == "lijst" else reverse("bespreking", args=[bespreking.pk]))


# --- Aanmelden ----------------------------------------------------------------------------------------


@school_vereist()
@require_http_methods(["GET", "POST"])
def aanmelden(request, leerling_pk):
    user, school = request.user, request.school
    leerling = toegang.leerling_of_404(user, school, leerling_pk)
    if not toegang.mag_aanmelden(user, school, leerling):
        raise Http404
    soort = request.GET.get("soort", Soort.IZO)
    if soort not in Bespreking.AANMELDBAAR:
        soort = Soort.IZO
    bestaand = aanmeldingen_service.open_aanmelding(leerling, soort)
    if bestaand is not None and request.method == "GET":
        messages.info(request, _("%(leerling)s is al aangemeld voor %(soort)s.") % {
            "leerling": leerling.naam, "soort": bestaand.get_soort_display()})
        return redirect("aanmelding", bestaand.pk)
    form = AanmeldingForm(request.POST or None, soort=soort,
                          initial={"hulpvraag": route.voorgestelde_hulpvraag(leerling)})
    if request.method == "POST" and form.is_valid():
        try:
            aanmelding = aanmeldingen_service.meld_aan(user, school, leerling, soort, **form.service_kwargs())
        except services.BesprekingFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("%(leerling)s is aangemeld voor %(soort)s; de zorgcoördinator krijgt "
                                        "bericht.") % {"leerling": leerling.naam,
                                                       "soort": aanmelding.get_soort_display()})
            return redirect("leerling", leerling.pk)
    if request.method == "GET":
        toegang.log_inzage(request, leerling, _("aanmelding opstellen"))
    context = {
        **paginas.kop(leerling), "form": form, "soort": soort, "soort_label": dict(Aanmelding._meta.get_field(
            "soort").choices)[soort],
        "geschiedenis": aanmeldingen_service.samengestelde_geschiedenis(leerling),
        "toestemming": services.zat_toestemming(leerling) if soort == Soort.ZAT else None,
        "is_zat": soort == Soort.ZAT,
        "titel": _("Aanmelden: %(leerling)s") % {"leerling": leerling.naam},
    }
    return render(request, "besprekingen/aanmelding/aanmelden.html", context)


# --- The queue ------------------------------------------------------------------------------------------


def _aanmelding_of_404(request, pk):
    try:
        return (
            toegang.aanmeldingen_voor(request.user, request.school)
            .select_related("leerling", "aangemeld_door", "toestemming__ouder", "opschaling__naar_niveau",
                            "agendapunt__bespreking")
            .get(pk=pk)
        )
    except (Aanmelding.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _wachtrij(request, fouten=None, invoer=None, status=200):
    """The queue page; `fouten`/`invoer` keep a failed row action's messages and input."""
    user, school = request.user, request.school
    soort = request.GET.get("soort", "")
    soort = soort if soort in Bespreking.AANMELDBAAR else ""
    keuzes = aanmeldingen_service.agenda_keuzes(user, school)
    behandelaar = aanmeldingen_service.mag_behandelen(user, school)
    rijen = list(aanmeldingen_service.wachtrij(user, school, soort))
    fouten, invoer = fouten or {}, invoer or {}
    for a in rijen:
        open_ = a.status in (Aanmelding.Status.AANGEMELD, Aanmelding.Status.TERUGGESTUURD)
        a.agenda_keuzes = keuzes.get(a.soort, []) if open_ else []
        a.mag_terugsturen = behandelaar and a.status == Aanmelding.Status.AANGEMELD
        a.mag_aanvullen = aanmeldingen_service.mag_aanvullen(user, a)
        a.fouten = fouten.get(a.pk, [])
        a.invoer = invoer.get(a.pk, {})
        a.zonder_toestemming = (a.soort == Soort.ZAT and not a.anoniem and open_
                                and services.zat_toestemming(a.leerling) is None)
    groepen = [
        (status, label, [a for a in rijen if a.status == status])
        for status, label in Aanmelding.Status.choices if status in Aanmelding.OPEN
    ]
    context = {
        "groepen": groepen, "aantal": len(rijen), "soort": soort, "behandelaar": behandelaar,
        "soorten": [(s.value, s.label) for s in Soort if s in Bespreking.AANMELDBAAR],
        "kan_plannen": bool(planning.planbare_soorten(user, school)),
        "titel": _("Aanmeldingen"),
    }
    return render(request, "besprekingen/aanmelding/wachtrij.html", context, status=status)


@school_vereist()
@require_GET
def aanmeldingen(request):
    return _wachtrij(request)


@school_vereist()
@require_POST
def aanmelding_op_agenda(request, pk):
    aanmelding = _aanmelding_of_404(request, pk)
    keuzes = aanmeldingen_service.agenda_keuzes(request.user, request.school).get(aanmelding.soort, [])
    if not keuzes and not aanmeldingen_service.mag_behandelen(request.user, request.school):
        raise PermissionDenied  # neither the zorgcoördinator nor the chair of a meeting of this kind
    form = OpAgendaForm(request.POST, besprekingen=Bespreking.objects.filter(pk__in=[b.pk for b in keuzes]))
    if form.is_valid():
        bespreking = form.cleaned_data["bespreking"]
        try:
            services.zet_op_agenda(request.user, request.school, aanmelding, bespreking)
        except services.BesprekingFout as fout:
            meldingen = fout.meldingen
        else:
            messages.success(request, _("%(leerling)s staat op de agenda van %(naam)s.") % {
                "leerling": aanmelding.leerling.naam, "naam": bespreking.naam})
            return redirect("aanmeldingen")
    else:
        meldingen = [e for lijst in form.errors.values() for e in lijst]
    return _wachtrij(request, fouten={aanmelding.pk: meldingen},
                     invoer={aanmelding.pk: {"bespreking": request.POST.get("bespreking", "")}}, status=400)


def _detail(request, aanmelding, terugsturen_form=None, status=200):
    user, school = request.user, request.school
    open_ = aanmelding.status in (Aanmelding.Status.AANGEMELD, Aanmelding.Status.TERUGGESTUURD)
    behandelaar = aanmeldingen_service.mag_behandelen(user, school)
    context = {
        **paginas.kop(aanmelding.leerling), "aanmelding": aanmelding,
        "mag_terugsturen": behandelaar and aanmelding.status == Aanmelding.Status.AANGEMELD,
        "terugsturen_form": terugsturen_form or TerugsturenForm(),
        "mag_aanvullen": aanmeldingen_service.mag_aanvullen(user, aanmelding),
        "mag_intrekken": aanmeldingen_service.mag_intrekken(user, school, aanmelding),
        "agenda_keuzes": aanmeldingen_service.agenda_keuzes(user, school).get(aanmelding.soort, []) if open_ else [],
        "toestemming": services.zat_toestemming(aanmelding.leerling) if aanmelding.soort == Soort.ZAT else None,
        "is_zat": aanmelding.soort == Soort.ZAT,
        "titel": _("Aanmelding %(leerling)s") % {"leerling": aanmelding.leerling.naam},
    }
    return render(request, "besprekingen/aanmelding/detail.html", context, status=status)


@school_vereist()
@require_GET
def aanmelding(request, pk):
    aanmelding = _aanmelding_of_404(request, pk)
    toegang.log_inzage(request, aanmelding.leerling, _("aanmelding"), aanmelding)
    return _detail(request, aanmelding)


@school_vereist()
@require_POST
def aanmelding_terugsturen(request, pk):
    aanmelding = _aanmelding_of_404(request, pk)
    if not aanmeldingen_service.mag_behandelen(request.user, request.school):
        raise PermissionDenied(_("Alleen de zorgcoördinator stuurt een aanmelding terug."))
    form = TerugsturenForm(request.POST)
    if form.is_valid():
        try:
            aanmeldingen_service.stuur_terug(request.user, request.school, aanmelding.pk, form.cleaned_data["reden"])
        except services.BesprekingFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("De aanmelding is teruggestuurd; %(wie)s krijgt bericht.") % {
                "wie": aanmelding.aangemeld_door.naam})
            return redirect("aanmeldingen")
    if request.POST.get("vanaf") == "wachtrij":
        meldingen = [e for lijst in form.errors.values() for e in lijst]
        return _wachtrij(request, fouten={aanmelding.pk: meldingen},
                         invoer={aanmelding.pk: {"reden": request.POST.get("reden", "")}}, status=400)
    return _detail(request, aanmelding, terugsturen_form=form, status=400)


@school_vereist()
@require_http_methods(["GET", "POST"])
def aanmelding_aanvullen(request, pk):
    aanmelding = _aanmelding_of_404(request, pk)
    if not aanmeldingen_service.mag_aanvullen(request.user, aanmelding):
        raise PermissionDenied(_("Alleen wie de leerling heeft aangemeld, vult een teruggestuurde aanmelding aan."))
    initial = {veld: getattr(aanmelding, veld) for veld in (
        "aard_probleem", "hulpvraag", "begeleidingsvraag", "sterke_kanten", "thuissituatie", "ouders_geinformeerd",
        "ouders_niet_informeren_reden", "anoniem")}
    form = AanmeldingForm(request.POST or None, soort=aanmelding.soort, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            aanmeldingen_service.vul_aan(request.user, request.school, aanmelding.pk, **form.service_kwargs())
        except services.BesprekingFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("De aanmelding is aangevuld en opnieuw ingediend."))
            return redirect("aanmelding", aanmelding.pk)
    if request.method == "GET":
        toegang.log_inzage(request, aanmelding.leerling, _("aanmelding"), aanmelding)
    leerling = aanmelding.leerling
    context = {
        **paginas.kop(leerling), "form": form, "aanmelding": aanmelding, "soort": aanmelding.soort,
        "soort_label": aanmelding.get_soort_display(),
        "geschiedenis": aanmeldingen_service.samengestelde_geschiedenis(leerling),
        "toestemming": services.zat_toestemming(leerling) if aanmelding.soort == Soort.ZAT else None,
        "is_zat": aanmelding.soort == Soort.ZAT,
        "titel": _("Aanmelding aanvullen: %(leerling)s") % {"leerling": leerling.naam},
    }
    return render(request, "besprekingen/aanmelding/aanmelden.html", context)


@school_vereist()
@require_POST
def aanmelding_intrekken(request, pk):
    aanmelding = _aanmelding_of_404(request, pk)
    if not aanmeldingen_service.mag_intrekken(request.user, request.school, aanmelding):
        raise PermissionDenied(_("Deze aanmelding kunt u niet intrekken."))
    try:
        aanmeldingen_service.trek_in(request.user, request.school, aanmelding.pk, request.POST.get("reden", ""))
    except services.BesprekingFout as fout:
        for melding in fout.meldingen:
            messages.error(request, melding)
        return redirect("aanmelding", aanmelding.pk)
    messages.success(request, _("De aanmelding van %(leerling)s is ingetrokken.") % {
        "leerling": aanmelding.leerling.naam})
    return redirect("aanmeldingen")
