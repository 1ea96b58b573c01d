"""The IZO/ZAT meeting screen (also leerlingbespreking and gesprek) and its verslag.

`bespreking` is called by the dispatcher in besprekingen/views.py after bespreking_of_404. The
other views fetch the meeting themselves. Everything is read through zorg.toegang: a meeting or
item the user may not read is 404; a reader who tries to write gets 403. The rules are in
besprekingen/vergadering.py; these views only call them.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from extern.models import Instelling
from plannen.pdf import bestandsnaam, pdf_antwoord, render_pdf
from zorg import toegang
from zorg.models import Zorgniveau
from zorg.views import school_vereist

from . import services, vergadering
from .models import Agendapunt, Bespreking
from .vergadering_forms import AlgemeenForm, BesluitForm, NotitiesForm, PuntForm, ZorgniveauForm

INZAGE_ONDERDEEL = "bespreking"
INZAGE_VERSLAG = "verslag bespreking"


def _vergadering_of_404(request, pk):
    bespreking = toegang.bespreking_of_404(request.user, request.school, pk)
    if not bespreking.per_leerling:
        raise Http404
    return bespreking


def _punten(request, bespreking):
    return list(
        toegang.agendapunten_voor(request.user, request.school, bespreking)
        .select_related("leerling__school", "leerling__zorgniveau", "aanmelding__aangemeld_door", "case_manager",
                        "zorgniveau_besluit__van_niveau", "zorgniveau_besluit__naar_niveau")
        .order_by("volgorde", "pk")
    )


def _punt_of_404(request, bespreking, punt_pk):
    try:
        return (
            toegang.agendapunten_voor(request.user, request.school, bespreking)
            .select_related("bespreking", "leerling__school", "leerling__zorgniveau", "aanmelding", "case_manager")
            .get(pk=punt_pk, leerling__isnull=False)
        )
    except (Agendapunt.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _leider_of_403(request, bespreking):
    if not toegang.mag_bespreking_leiden(request.user, request.school, bespreking):
        raise PermissionDenied(_("Alleen de voorzitter of de zorgcoördinator legt de bespreking vast."))


def _scherm_url(bespreking, punt=None, anker=""):
    url = reverse("bespreking", args=[bespreking.pk])
    if punt is not None:
        url += f"?punt={punt.pk}"
    return url + (f"#{anker}" if anker else "")


def _wil_json(request):
    return request.headers.get("X-Requested-With") == "fetch" or "application/json" in request.headers.get(
        "Accept", "")


def _medewerkers(school):
    return school.medewerkers().order_by("last_name", "first_name", "username")


def _besluit_form(request, punt, data=None, medewerkers=None, medewerkerlijst=None):
    """`medewerkers`/`medewerkerlijst`: the staff queryset and its rows when the caller shows
    several staff selects (the meeting screen fetches them once)."""
    school = request.school
    initial = {"uiterlijk": punt.vervolgdatum or services.standaard_vervolgdatum(
        school, vergadering.vergaderdatum(punt.bespreking))}
    return BesluitForm(data, initial=initial, medewerkers=medewerkers if medewerkers is not None else
                       _medewerkers(school), medewerkerlijst=medewerkerlijst,
                       instellingen=Instelling.objects.filter(school=school).order_by("naam"), school=school)


def _punt_form(request, punt, data=None, medewerkers=None, medewerkerlijst=None):
    initial = {
        "case_manager": punt.case_manager_id or punt.leerling.case_manager_id,
        "vervolgdatum": punt.vervolgdatum or services.standaard_vervolgdatum(
            request.school, vergadering.vergaderdatum(punt.bespreking)),
        "vertrouwelijk": punt.vertrouwelijk,
    }
    return PuntForm(data, initial=initial, medewerkerlijst=medewerkerlijst,
                    medewerkers=medewerkers if medewerkers is not None else _medewerkers(request.school))


def _niveau_form(request, punt, data=None):
    keuzes = vergadering.niveau_keuzes(request.user, request.school, punt.leerling)
    niveaus = Zorgniveau.objects.filter(pk__in=[n.pk for n in keuzes]).order_by("volgorde")
    return ZorgniveauForm(data, niveaus=niveaus)


def _scherm(request, bespreking, punt_pk=None, status=200, **overrides):
    """Render the meeting screen; `overrides` replace forms (bound, with errors) or add context."""
    school, user = request.school, request.user
    punten = _punten(request, bespreking)
    for punt in punten:
        punt.naam = services.punt_naam(punt)
    huidig = None
    if punt_pk is not None:
        huidig = next((p for p in punten if str(p.pk) == str(punt_pk)), None)
        if huidig is None:
            raise Http404
    if huidig is None and punten:
        huidig = next((p for p in punten if not p.besproken), punten[0])
    leiden = (toegang.mag_bespreking_leiden(user, school, bespreking)
              and bespreking.status != Bespreking.Status.GEANNULEERD)
    index = punten.index(huidig) if huidig else -1
    deelnemers = list(bespreking.deelnemers.select_related("gebruiker", "contactpersoon__instelling"))
    context = {
        "bespreking": bespreking,
        "punten": punten,
        "huidig": huidig,
        "positie": index + 1,
        "vorige": punten[index - 1] if index > 0 else None,
        "volgende": punten[index + 1] if 0 <= index < len(punten) - 1 else None,
        "leiden": leiden,
        "deelnemers": deelnemers,
        "aanwezig": sum(1 for d in deelnemers if d.aanwezig),
        "datum": vergadering.vergaderdatum(bespreking),
        "titel": f"{bespreking.naam} · {vergadering.vergaderdatum(bespreking):%d-%m-%Y}",
        "algemeen_form": overrides.pop("algemeen_form", None) or AlgemeenForm(initial={
            "notities": bespreking.notities, "samenvatting": bespreking.samenvatting,
            "versie": services.versie_van(bespreking)}),
    }
    if huidig is not None and huidig.leerling_id:
        vergadering.verberg_vertrouwelijk(user, school, bespreking, [huidig])
        huidig.besluiten = list(huidig.afspraken.select_related("eigenaar", "instelling").order_by("pk"))
        # The staff select appears in two forms: one query for both (unless a form is overridden).
        medewerkers = _medewerkers(school)
        medewerkerlijst = list(medewerkers)
        context.update({
            "samenvatting": vergadering.samenvatting(user, school, huidig),
            "notities_form": NotitiesForm(initial={"notities": huidig.notities,
                                                   "versie": services.versie_van(huidig)}),
            "besluit_form": _besluit_form(request, huidig, medewerkers=medewerkers, medewerkerlijst=medewerkerlijst),
            "punt_form": _punt_form(request, huidig, medewerkers=medewerkers, medewerkerlijst=medewerkerlijst),
            "niveau_form": _niveau_form(request, huidig),
            "handelingsplan_url": reverse("handelingsplan_nieuw", args=[huidig.leerling_id]) + (
                f"?besluit={huidig.zorgniveau_besluit_id}" if huidig.zorgniveau_besluit_id else ""),
            "dossier_url": None if huidig.anoniem else reverse("leerling", args=[huidig.leerling_id]),
            "mentoren": huidig.leerling.mentoren_in(school.huidig_schooljaar()),
            "standaard_uiterlijk": huidig.vervolgdatum or services.standaard_vervolgdatum(
                school, vergadering.vergaderdatum(bespreking)),
        })
        toegang.log_inzage(request, huidig.leerling, INZAGE_ONDERDEEL, huidig)
    context.update(overrides)
    return render(request, "besprekingen/vergadering/scherm.html", context, status=status)


def bespreking(request, bespreking):
    """The meeting screen (GET; the writes have their own URLs)."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _scherm(request, bespreking, request.GET.get("punt"))


# --- Notes ------------------------------------------------------------------------------------------


@school_vereist()
@require_POST
def notities(request, pk, punt_pk):
    """Autosave (fetch, JSON) or plain form post of one item's notes, with a version check."""
    bespreking = _vergadering_of_404(request, pk)
    punt = _punt_of_404(request, bespreking, punt_pk)
    _leider_of_403(request, bespreking)
    form = NotitiesForm(request.POST)
    form.is_valid()
    tekst = form.cleaned_data.get("notities", "")
    try:
        punt = vergadering.bewaar_notities(request.user, request.school, punt, tekst, form.cleaned_data.get("versie"))
    except vergadering.NotitieConflict as fout:
        actueel = fout.actueel
        melding = vergadering.conflict_melding(actueel)
        if _wil_json(request):
            return JsonResponse({"melding": melding, "tekst": actueel.notities,
                                 "versie": services.versie_van(actueel)}, status=409)
        data = request.POST.copy()
        data["versie"] = services.versie_van(actueel)  # saving again is a deliberate choice
        return _scherm(request, bespreking, punt.pk, status=409, notities_form=NotitiesForm(data),
                       conflict={"melding": melding, "tekst": actueel.notities})
    except services.BesprekingFout as fout:
        if _wil_json(request):
            return JsonResponse({"melding": " ".join(fout.meldingen)}, status=400)
        raise PermissionDenied(" ".join(fout.meldingen)) from None
    if _wil_json(request):
        return JsonResponse({"versie": services.versie_van(punt),
                             "melding": _("Opgeslagen om %(tijd)s") % {
                                 "tijd": timezone.localtime(punt.gewijzigd_op).strftime("%H:%M")}})
    messages.success(request, _("De notities zijn opgeslagen."))
    return redirect(_scherm_url(bespreking, punt, "bespreking-notities"))


@school_vereist()
@require_POST
def algemeen(request, pk):
    """The general notes and samenvatting of the meeting (autosave or plain post)."""
    bespreking = _vergadering_of_404(request, pk)
    _leider_of_403(request, bespreking)
    form = AlgemeenForm(request.POST)
    form.is_valid()
    velden = {k: form.cleaned_data.get(k, "") for k in ("notities", "samenvatting") if k in request.POST}
    try:
        actueel = vergadering.bewaar_algemeen(request.user, request.school, bespreking,
                                              form.cleaned_data.get("versie"), **velden)
    except vergadering.NotitieConflict as fout:
        actueel = fout.actueel
        melding = vergadering.conflict_melding(actueel)
        if _wil_json(request):
            return JsonResponse({"melding": melding, "tekst": actueel.notities, "samenvatting": actueel.samenvatting,
                                 "versie": services.versie_van(actueel)}, status=409)
        data = request.POST.copy()
        data["versie"] = services.versie_van(actueel)
        return _scherm(request, bespreking, request.POST.get("punt") or None, status=409,
                       algemeen_form=AlgemeenForm(data),
                       algemeen_conflict={"melding": melding, "tekst": actueel.notities,
                                          "samenvatting": actueel.samenvatting})
    except services.BesprekingFout as fout:
        if _wil_json(request):
            return JsonResponse({"melding": " ".join(fout.meldingen)}, status=400)
        raise PermissionDenied(" ".join(fout.meldingen)) from None
    if _wil_json(request):
        return JsonResponse({"versie": services.versie_van(actueel),
                             "melding": _("Opgeslagen om %(tijd)s") % {
                                 "tijd": timezone.localtime(actueel.gewijzigd_op).strftime("%H:%M")}})
    messages.success(request, _("De algemene notities zijn opgeslagen."))
    return redirect(reverse("bespreking", args=[bespreking.pk]) + "#algemeen")


# --- Participants, besluiten, the item ----------------------------------------------------------------


@school_vereist()
@require_POST
def aanwezig(request, pk, deelnemer_pk):
    bespreking = _vergadering_of_404(request, pk)
    _leider_of_403(request, bespreking)
    waarde = {"ja": True, "nee": False}.get(request.POST.get("aanwezig"))
    try:
        deelnemer = vergadering.zet_aanwezig(request.user, request.school, bespreking, deelnemer_pk, waarde)
    except services.BesprekingFout:
        raise Http404 from None
    if _wil_json(request):
        return JsonResponse({"aanwezig": deelnemer.aanwezig})
    terug = request.POST.get("punt")
    url = reverse("bespreking", args=[bespreking.pk]) + (f"?punt={int(terug)}" if (terug or "").isdigit() else "")
    return redirect(url + "#deelnemers")


@school_vereist()
@require_POST
def besluit(request, pk, punt_pk):
    """Add one besluit (afspraak, arrangement, coaching, verwijzing, handelingsplan) to a pupil item."""
    bespreking = _vergadering_of_404(request, pk)
    punt = _punt_of_404(request, bespreking, punt_pk)
    _leider_of_403(request, bespreking)
    form = _besluit_form(request, punt, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            afspraak = vergadering.leg_besluit_vast(
                request.user, request.school, punt, d["soort"], d["wat"], d["eigenaar"], d["uiterlijk"],
                arrangement=d["arrangement"], instelling=d["instelling"], interventie=d["interventie"])
        except services.BesprekingFout as fout:
            for melding in fout.meldingen:
                form.add_error(None, melding)
        else:
            messages.success(request, _("%(soort)s vastgelegd: %(wat)s (%(wie)s)") % {
                "soort": afspraak.get_soort_display().capitalize(), "wat": afspraak.wat,
                "wie": afspraak.eigenaar.korte_naam})
            return redirect(_scherm_url(bespreking, punt, "besluit-wat"))
    return _scherm(request, bespreking, punt.pk, status=400, besluit_form=form)


@school_vereist()
@require_POST
def punt_besluiten(request, pk, punt_pk):
    """Case-manager, vervolgdatum and vertrouwelijk of a pupil item."""
    bespreking = _vergadering_of_404(request, pk)
    punt = _punt_of_404(request, bespreking, punt_pk)
    _leider_of_403(request, bespreking)
    form = _punt_form(request, punt, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            vergadering.wijzig_punt(request.user, request.school, punt, d["case_manager"], d["vervolgdatum"],
                                    d["vertrouwelijk"])
        except services.BesprekingFout as fout:
            for melding in fout.meldingen:
                form.add_error(None, melding)
        else:
            messages.success(request, _("Case-manager en vervolgdatum zijn opgeslagen."))
            return redirect(_scherm_url(bespreking, punt, "punt-besluiten"))
    return _scherm(request, bespreking, punt.pk, status=400, punt_form=form)


@school_vereist()
@require_POST
def zorgniveau(request, pk, punt_pk):
    """Change the pupil's zorgniveau as a besluit of this meeting."""
    bespreking = _vergadering_of_404(request, pk)
    punt = _punt_of_404(request, bespreking, punt_pk)
    _leider_of_403(request, bespreking)
    form = _niveau_form(request, punt, request.POST)
    if form.is_valid():
        try:
            besluit = vergadering.wijzig_zorgniveau(request.user, request.school, punt,
                                                    form.cleaned_data["naar_niveau"], form.cleaned_data["reden"])
        except services.BesprekingFout as fout:
            for melding in fout.meldingen:
                form.add_error(None, melding)
        else:
            messages.success(request, _("%(titel)s; case-manager: %(cm)s.") % {
                "titel": besluit.titel, "cm": besluit.case_manager.korte_naam})
            return redirect(_scherm_url(bespreking, punt, "zorgniveau"))
    return _scherm(request, bespreking, punt.pk, status=400, niveau_form=form)


@school_vereist()
@require_POST
def besproken(request, pk, punt_pk):
    """Mark the item besproken (or not) and go to the next/previous readable item."""
    bespreking = _vergadering_of_404(request, pk)
    punt = _punt_of_404(request, bespreking, punt_pk)
    _leider_of_403(request, bespreking)
    vergadering.markeer_besproken(request.user, request.school, punt, request.POST.get("besproken", "1") == "1")
    punten = [p.pk for p in toegang.agendapunten_voor(request.user, request.school, bespreking).order_by(
        "volgorde", "pk")]
    index = punten.index(punt.pk)
    stap = -1 if request.POST.get("richting") == "vorige" else (0 if request.POST.get("richting") == "blijf" else 1)
    doel = punten[index + stap] if 0 <= index + stap < len(punten) else punt.pk
    if doel == punt.pk and stap == 1:
        messages.success(request, _("Dit was het laatste punt. Stel het verslag vast als alles besproken is."))
    return redirect(reverse("bespreking", args=[bespreking.pk]) + f"?punt={doel}")


# --- The verslag ---------------------------------------------------------------------------------------


def _verslag_context(request, bespreking):
    punten = vergadering.punten_met_afspraken(
        toegang.agendapunten_voor(request.user, request.school, bespreking)
        .select_related("leerling__school", "case_manager", "zorgniveau_besluit__van_niveau",
                        "zorgniveau_besluit__naar_niveau", "aanmelding")
        .order_by("volgorde", "pk")
    )
    vergadering.verberg_vertrouwelijk(request.user, request.school, bespreking, punten)
    for punt in punten:
        if punt.leerling_id:
            toegang.log_inzage(request, punt.leerling, INZAGE_VERSLAG, punt)
    deelnemers = list(bespreking.deelnemers.select_related("gebruiker", "contactpersoon__instelling"))
    return {
        "school": request.school,
        "bespreking": bespreking,
        "punten": punten,
        "deelnemers": deelnemers,
        **vergadering.aanwezigheid(deelnemers),
        "datum": vergadering.vergaderdatum(bespreking),
        "leiden": toegang.mag_bespreking_leiden(request.user, request.school, bespreking),
        "titel": _("Verslag %(naam)s %(datum)s") % {
            "naam": bespreking.naam, "datum": services.datum_tekst(vergadering.vergaderdatum(bespreking))},
    }


@school_vereist()
@require_GET
def verslag(request, pk):
    bespreking = _vergadering_of_404(request, pk)
    return render(request, "besprekingen/vergadering/verslag.html", _verslag_context(request, bespreking))


@school_vereist()
@require_GET
def verslag_pdf(request, pk):
    bespreking = _vergadering_of_404(request, pk)
    context = _verslag_context(request, bespreking)
    pdf = render_pdf("besprekingen/pdf/verslag.html", context)
    return pdf_antwoord(pdf, bestandsnaam("verslag", bespreking.naam, context["datum"].isoformat()), bijlage=True)


@school_vereist()
@require_POST
def vaststellen(request, pk):
    bespreking = _vergadering_of_404(request, pk)
    _leider_of_403(request, bespreking)
    try:
        vergadering.stel_verslag_vast(request.user, request.school, bespreking)
    except services.BesprekingFout as fout:
        for melding in fout.meldingen:
            messages.error(request, melding)
    else:
        messages.success(request, _("Het verslag is vastgesteld en staat bij elke besproken leerling in het dossier. "
                                    "De deelnemers hebben bericht gekregen."))
    return redirect("bespreking_verslag", pk=bespreking.pk)

