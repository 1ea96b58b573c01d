"""Thin views for verwijzingen on the school side; the rules are in extern/verwijzing.py.

Everything is fetched through zorg.toegang: a verwijzing or pupil out of scope answers 404; a
reader who may not change it answers 403 with a Dutch explanation.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from besprekingen.models import Afspraak
from leerlingen import paginas
from plannen.pdf import bestandsnaam, pdf_antwoord, render_pdf
from zorg import toegang
from zorg.views import school_vereist

from . import verwijsdossier
from . import verwijzing as regels
from .models import Instelling, Verwijzing
from .verwijzing_forms import StatusForm, TerugkoppelingForm, ToegangForm, VerwijzingForm


def _leerling_lezer_of_404(request, pk):
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    if not regels.mag_lezen(request.user, request.school, leerling):
        raise Http404
    return leerling


def _verwijzing_of_404(request, pk):
    verwijzing = toegang.verwijzing_of_404(request.user, request.school, pk)
    verwijzing.leerling.school = request.school
    return verwijzing


def _met_wachttijd(verwijzingen):
    for v in verwijzingen:
        v.wachttijd = regels.wachttijden(v)
    return verwijzingen


# --- Lists -----------------------------------------------------------------------------------------------


@school_vereist("zorgcoordinator", "directie")
@require_GET
def verwijzingen(request):
    """All verwijzingen of the school, filtered by status and instelling, with waiting times."""
    qs = toegang.verwijzingen_voor(request.user, request.school).select_related("leerling", "instelling")
    status = request.GET.get("status", "")
    instelling_id = request.GET.get("instelling", "")
    fout = ""
    if status == "open":
        qs = qs.filter(status__in=Verwijzing.OPEN)
    elif status in Verwijzing.Status.values:
        qs = qs.filter(status=status)
    elif status:
        fout = _("Onbekende status in het filter: %(waarde)s") % {"waarde": status}
    if instelling_id:
        if instelling_id.isdigit() and Instelling.objects.filter(pk=instelling_id, school=request.school).exists():
            qs = qs.filter(instelling_id=instelling_id)
        else:
            fout = _("Onbekende instelling in het filter.")
    rijen = _met_wachttijd(list(qs.order_by("-aangemeld_op", "-pk")[:500]))
    return render(request, "extern/verwijzing/lijst.html", {
        "rijen": rijen, "fout": fout, "status": status, "instelling_id": instelling_id,
        "statussen": Verwijzing.Status.choices,
        "instellingen": Instelling.objects.filter(school=request.school).order_by("naam"),
        "titel": _("Verwijzingen"),
    })


@school_vereist()
@require_GET
def verwijzingen_leerling(request, pk):
    """The pupil's verwijzingen (a page, or the block on the dossier when asked by htmx)."""
    leerling = _leerling_lezer_of_404(request, pk)
    rijen = _met_wachttijd(list(
        toegang.verwijzingen_voor(request.user, request.school).filter(leerling=leerling)
        .select_related("instelling").order_by("-aangemeld_op", "-pk")
    ))
    context = {**paginas.kop(leerling), "rijen": rijen,
               "mag_opstellen": regels.mag_opstellen(request.user, request.school, leerling),
               "titel": _("Verwijzingen van %(naam)s") % {"naam": leerling.naam}}
    if request.headers.get("HX-Request"):
        return render(request, "extern/verwijzing/_leerling.html", context)
    return render(request, "extern/verwijzing/leerling.html", context)


# --- Create ----------------------------------------------------------------------------------------------


def _afspraak(request, leerling, waarde):
    """The meeting besluit (soort verwijzing) the new verwijzing comes from, if any and readable."""
    if not waarde:
        return None
    try:
        return toegang.afspraken_voor(request.user, request.school).select_related(
            "agendapunt__aanmelding", "instelling").get(pk=int(waarde), leerling=leerling,
                                                        soort=Afspraak.Soort.VERWIJZING)
    except (Afspraak.DoesNotExist, ValueError, TypeError):
        return None


@school_vereist()
@require_http_methods(["GET", "POST"])
def verwijzing_nieuw(request, pk):
    leerling = _leerling_lezer_of_404(request, pk)
    if not regels.mag_opstellen(request.user, request.school, leerling):
        return paginas.geweigerd(request, leerling, _("Een verwijzing wordt opgesteld door de zorgcoördinator of de "
                                               "case-manager van de leerling."))
    afspraak = _afspraak(request, leerling, request.POST.get("afspraak") or request.GET.get("afspraak"))
    if afspraak is not None:
        bestaand = afspraak.verwijzingen.first()
        if bestaand is not None and request.method == "GET":
            messages.info(request, _("Voor dit besluit is al een verwijzing opgesteld."))
            return redirect("verwijzing", bestaand.pk)
    initial = {"hulpvraag": regels.voorgestelde_hulpvraag(leerling, afspraak)}
    if afspraak is not None:
        initial.update({"afspraak": afspraak.pk, "reden": afspraak.wat, "instelling": afspraak.instelling_id})
    form = VerwijzingForm(request.POST or None, school=request.school, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                verwijzing = regels.stel_op(
                    request.user, request.school, leerling, d["instelling"], d["reden"], d["hulpvraag"],
                    d["secties"], d["taak_school"], contactpersoon=d["contactpersoon"], afspraak=afspraak,
                )
            except regels.VerwijzingFout as fout:
                paginas.fouten(form, fout)
            else:
                messages.success(request, _("De verwijzing naar %(instelling)s is vastgelegd.") % {
                    "instelling": verwijzing.instelling.naam})
                return redirect("verwijzing", verwijzing.pk)
        status = 400
    else:
        toegang.log_inzage(request, leerling, _("verwijzing opstellen"))
    return render(request, "extern/verwijzing/nieuw.html", {
        **paginas.kop(leerling), "form": form, "afspraak": afspraak,
        "toestemming_url": regels.toestemming_url(leerling),
        "titel": _("Verwijzing opstellen"),
    }, status=status)


@school_vereist()
@require_GET
def verwijzing_voorbeeld(request, pk):
    """Live preview of the chosen sections while creating (htmx)."""
    leerling = _leerling_lezer_of_404(request, pk)
    if not regels.mag_opstellen(request.user, request.school, leerling):
        return HttpResponse(status=403)
    waarde = request.GET.get("instelling") or ""
    instelling = regels.instellingen(request.school).filter(pk=waarde).first() if waarde.isdigit() else None
    voorbeeld = Verwijzing(
        school=request.school, leerling=leerling, instelling=instelling,
        reden=request.GET.get("reden", ""), hulpvraag=request.GET.get("hulpvraag", ""),
        secties=[s for s in request.GET.getlist("secties") if s in Verwijzing.Sectie.values],
    )
    gekozen = Verwijzing.Sectie.VERTROUWELIJK in voorbeeld.secties
    toegestaan = instelling is not None and verwijsdossier.vertrouwelijk_toegestaan(voorbeeld)
    if instelling is None:  # the overdracht consent names an instelling: nothing confidential without one
        _zonder_vertrouwelijk(voorbeeld)
    onderdelen = verwijsdossier.voor_medewerker(verwijsdossier.onderdelen(voorbeeld), request.user, request.school,
                                                leerling)
    return render(request, "extern/verwijzing/_voorbeeld.html", {
        "onderdelen": onderdelen, "verwijzing": voorbeeld,
        "vertrouwelijk_gekozen": gekozen, "vertrouwelijk_toegestaan": toegestaan,
    })


def _zonder_vertrouwelijk(verwijzing):
    verwijzing.secties = [s for s in verwijzing.secties if s != Verwijzing.Sectie.VERTROUWELIJK]
    return verwijzing


# --- The referral page ------------------------------------------------------------------------------------


def _pagina(request, verwijzing, status=200, **overrides):
    user, school, leerling = request.user, request.school, verwijzing.leerling
    beheer = toegang.mag_verwijzing_beheren(user, school, verwijzing)
    vandaag = timezone.localdate()
    toegangen = list(verwijzing.toegangen.select_related("contactpersoon", "verleend_door").order_by("-tot", "-pk"))
    for grant in toegangen:
        grant.stand = regels.toegang_status(grant, vandaag)
    context = {
        **paginas.kop(leerling),
        "verwijzing": verwijzing,
        "onderdelen": verwijsdossier.voor_medewerker(verwijsdossier.onderdelen(verwijzing), user, school, leerling),
        "terugkoppelingen": list(verwijzing.terugkoppelingen.select_related("auteur").order_by("-datum", "-pk")),
        "tijdlijn": regels.tijdlijn(verwijzing),
        "wachttijd": regels.wachttijden(verwijzing),
        "stappen": [(s, Verwijzing.Status(s).label) for s in regels.volgende_stappen(verwijzing)],
        "toegangen": toegangen,
        "beheer": beheer,
        "vandaag": vandaag,
        "titel": _("Verwijzing naar %(instelling)s") % {"instelling": verwijzing.instelling.naam},
    }
    if beheer:
        context["status_form"] = StatusForm(stappen=regels.volgende_stappen(verwijzing))
        context["terugkoppeling_form"] = TerugkoppelingForm(initial={"datum": vandaag})
        context["toegang_form"] = ToegangForm(verwijzing=verwijzing)
    context.update(overrides)
    return render(request, "extern/verwijzing/verwijzing.html", context, status=status)


@school_vereist()
@require_GET
def verwijzing(request, pk):
    verwijzing = _verwijzing_of_404(request, pk)
    toegang.log_inzage(request, verwijzing.leerling, _("verwijzing"), verwijzing)
    return _pagina(request, verwijzing)


@school_vereist()
@require_GET
def verwijzing_pdf(request, pk):
    verwijzing = _verwijzing_of_404(request, pk)
    leerling = verwijzing.leerling
    toegang.log_inzage(request, leerling, "verwijsdossier (export)", verwijzing)
    inhoud = render_pdf("extern/pdf/verwijsdossier.html", {
        **paginas.kop(leerling),
        "school": request.school,
        "verwijzing": verwijzing,
        "onderdelen": verwijsdossier.voor_medewerker(
            verwijsdossier.onderdelen(verwijzing), request.user, request.school, leerling),
        "terugkoppelingen": list(verwijzing.terugkoppelingen.select_related("auteur").order_by("-datum", "-pk")),
        "tijdlijn": regels.tijdlijn(verwijzing),
        "wachttijd": regels.wachttijden(verwijzing),
        "titel": _("Verwijsdossier %(naam)s") % {"naam": leerling.naam},
    })
    naam = bestandsnaam("verwijsdossier", leerling.naam, verwijzing.instelling.naam,
                        verwijzing.aangemeld_op.isoformat())
    return pdf_antwoord(inhoud, naam, bijlage=True)


def _beheer_of_403(request, verwijzing):
    if toegang.mag_verwijzing_beheren(request.user, request.school, verwijzing):
        return None
    return paginas.geweigerd(
        request, verwijzing.leerling, _("De verwijzing wordt bijgehouden door de zorgcoördinator of "
                                                      "de case-manager van de leerling."))


@school_vereist()
@require_POST
def verwijzing_status(request, pk):
    verwijzing = _verwijzing_of_404(request, pk)
    if (geweigerd := _beheer_of_403(request, verwijzing)) is not None:
        return geweigerd
    form = StatusForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            regels.wijzig_status(request.user, request.school, verwijzing, d["status"], d["datum"], d["nazorg"],
                                 d["terugkijken_op"])
        except regels.VerwijzingFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("De status is nu: %(status)s.") % {"status": verwijzing.get_status_display()})
            return redirect("verwijzing", verwijzing.pk)
    verwijzing.refresh_from_db()
    return _pagina(request, verwijzing, status=400, status_form=form)


@school_vereist()
@require_POST
def verwijzing_terugkoppeling(request, pk):
    verwijzing = _verwijzing_of_404(request, pk)
    if (geweigerd := _beheer_of_403(request, verwijzing)) is not None:
        return geweigerd
    form = TerugkoppelingForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            regels.leg_terugkoppeling_vast(request.user, request.school, verwijzing, d["soort"], d["datum"],
                                           d["tekst"])
        except regels.VerwijzingFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("De terugkoppeling is vastgelegd; mentor en case-manager zijn op de hoogte "
                                        "gebracht."))
            return redirect("verwijzing", verwijzing.pk)
    return _pagina(request, verwijzing, status=400, terugkoppeling_form=form)


@school_vereist()
@require_POST
def verwijzing_toegang(request, pk):
    """Grant access to (another) contactpersoon of the instelling."""
    verwijzing = _verwijzing_of_404(request, pk)
    if (geweigerd := _beheer_of_403(request, verwijzing)) is not None:
        return geweigerd
    form = ToegangForm(request.POST, verwijzing=verwijzing)
    if form.is_valid():
        try:
            grant = regels.verleen_toegang(request.user, request.school, verwijzing,
                                           form.cleaned_data["contactpersoon"])
        except regels.VerwijzingFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("%(naam)s heeft toegang tot en met %(tot)s.") % {
                "naam": grant.contactpersoon.naam, "tot": regels.datum_tekst(grant.tot)})
            return redirect("verwijzing", verwijzing.pk)
    return _pagina(request, verwijzing, status=400, toegang_form=form)


def _grant_actie(request, pk, toegang_pk, actie, melding):
    verwijzing = _verwijzing_of_404(request, pk)
    if (geweigerd := _beheer_of_403(request, verwijzing)) is not None:
        return geweigerd
    try:
        grant = actie(request.user, request.school, verwijzing, toegang_pk)
    except regels.VerwijzingFout as fout:
        for tekst in fout.meldingen:
            messages.error(request, tekst)
    else:
        messages.success(request, melding(grant))
    return redirect("verwijzing", verwijzing.pk)


@school_vereist()
@require_POST
def verwijzing_toegang_verlengen(request, pk, toegang_pk):
    return _grant_actie(request, pk, toegang_pk, regels.verleng_toegang, lambda g: _(
        "De toegang van %(naam)s loopt nu tot en met %(tot)s.") % {
        "naam": g.contactpersoon.naam, "tot": regels.datum_tekst(g.tot)})


@school_vereist()
@require_POST
def verwijzing_toegang_intrekken(request, pk, toegang_pk):
    return _grant_actie(request, pk, toegang_pk, regels.trek_toegang_in, lambda g: _(
        "De toegang van %(naam)s is ingetrokken.") % {"naam": g.contactpersoon.naam})
