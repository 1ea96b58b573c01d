"""The groepsbespreking (Bijlage 15/16/17): proposals from the periode calendar, the meeting
screen for the digibord (agenda with notes, the current groepsoverzicht, groepsplan evaluations,
afspraken, aanmeldingen), and the verslag as page and PDF. The rules are in groepsbespreking.py.

Out-of-scope meetings and klassen answer 404 (through zorg.toegang); a reader who may not write
gets 403 on the write URLs.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plannen import groepsoverzicht as go_svc
from plannen import pdf as plan_pdf
from zorg import interventies, toegang
from zorg.views import school_vereist

from . import groepsbespreking as svc
from . import services
from .groeps_forms import AanmeldingForm, AfspraakForm
from .models import Bespreking
from .services import BesprekingFout


def _groepsbespreking_of_404(request, pk):
    bespreking = toegang.bespreking_of_404(request.user, request.school, pk)
    if not svc.is_groepsbespreking(bespreking):
        raise Http404
    return bespreking


def _mag_schrijven(request, bespreking):
    return bespreking.status == Bespreking.Status.GEPLAND and toegang.mag_bespreking_leiden(
        request.user, request.school, bespreking)


def _scherm_url(bespreking, anker=""):
    url = reverse("bespreking", args=[bespreking.pk])
    return f"{url}#{anker}" if anker else url


# --- Proposals from the periode calendar ----------------------------------------------------


@require_GET
@school_vereist()
def groepsbesprekingen(request):
    if not svc.mag_plannen_voor_iets(request.user, request.school):
        raise Http404
    klas = None
    if request.GET.get("klas"):
        klas = toegang.klas_of_404(request.user, request.school, request.GET["klas"])
    blokken = svc.voorstellen(request.user, request.school, klas=klas)
    return render(request, "besprekingen/groeps/voorstellen.html", {
        "titel": _("Groepsbesprekingen plannen"),
        "blokken": blokken,
        "klas": klas,
        "open_aantal": sum(b.open_aantal for b in blokken),
    })


def _terug_naar_voorstellen(request):
    url = reverse("groepsbesprekingen")
    klas = request.POST.get("terug_klas", "")
    return redirect(f"{url}?klas={klas}" if klas.isdigit() else url)


@require_POST
@school_vereist()
def groepsbespreking_plannen(request):
    """Plan one proposed groepsbespreking (klas and periode from the proposal)."""
    if not svc.mag_plannen_voor_iets(request.user, request.school):
        raise Http404
    if not request.POST.get("klas"):
        messages.error(request, _("Kies de klas waarvoor u de groepsbespreking plant."))
        return _terug_naar_voorstellen(request)
    klas = toegang.klas_of_404(request.user, request.school, request.POST.get("klas"))
    perioden = {str(p.pk): p for p in svc.voorstelperioden(request.school)}
    periode = perioden.get(request.POST.get("periode", ""))
    if periode is None:
        messages.error(request, _("Kies de huidige of de volgende periode."))
        return _terug_naar_voorstellen(request)
    try:
        bespreking = svc.plan_groepsbespreking(request.user, request.school, klas, periode)
    except BesprekingFout as fout:
        for melding in fout.meldingen:
            messages.error(request, melding)
    else:
        messages.success(request, _("Groepsbespreking %(klas)s gepland op %(datum)s; de deelnemers zijn "
                                    "uitgenodigd.") % {
            "klas": klas.naam, "datum": svc.services.datum_tekst(timezone.localtime(bespreking.begin).date())})
    return _terug_naar_voorstellen(request)


@require_POST
@school_vereist()
def groepsbesprekingen_alle_plannen(request):
    if not svc.mag_plannen_voor_iets(request.user, request.school):
        raise Http404
    gepland, fouten = svc.plan_alle(request.user, request.school)
    if gepland:
        messages.success(request, _("%(aantal)s groepsbespreking(en) gepland; de deelnemers zijn uitgenodigd.") % {
            "aantal": len(gepland)})
    elif not fouten:
        messages.info(request, _("Alle voorgestelde groepsbesprekingen waren al gepland."))
    for melding in fouten:
        messages.error(request, melding)
    return redirect("groepsbesprekingen")


@require_GET
@school_vereist()
def groepsbespreking_klas(request, klas_pk):
    """The klas page's button: the groepsbespreking of this periode, or planning it."""
    klas = toegang.klas_of_404(request.user, request.school, klas_pk)
    bespreking = svc.bespreking_van_klas(request.user, request.school, klas)
    if bespreking is not None:
        return redirect("bespreking", bespreking.pk)
    if toegang.mag_bespreking_plannen(request.user, request.school, Bespreking.Soort.GROEPSBESPREKING, klas):
        return redirect(f"{reverse('groepsbesprekingen')}?klas={klas.pk}")
    messages.info(request, _("Voor klas %(klas)s is in deze periode nog geen groepsbespreking gepland. De mentor "
                             "of teamleider plant hem.") % {"klas": klas.naam})
    return redirect("klas", klas.pk)


# --- The meeting screen ---------------------------------------------------------------------


def _overzicht(request, bespreking, leerlingen):
    """The current groepsoverzicht, read-only, with the columns the user may see (as the PDF);
    `leerlingen`: the klas's pupils (svc.leerlingen_van)."""
    klas = bespreking.klas
    context = {
        "overzicht": None,
        "overzicht_leesbaar": toegang.mag_groepsoverzicht_lezen(request.user, request.school, klas),
        "overzicht_invullen": toegang.mag_groepsoverzicht_schrijven(request.user, request.school, klas),
        "overzicht_url": f"{reverse('groepsoverzicht', args=[klas.pk])}?periode={bespreking.periode_id}",
    }
    go = svc.groepsoverzicht_van(bespreking)
    if go is None or not context["overzicht_leesbaar"]:
        return context, go
    kolommen, rijen = go_svc.raster(go, request.user, request.school, schrijfbaar=False,
                                    kolommen=plan_pdf.zichtbare_kolommen(request.user, request.school, go),
                                    leerlingen=leerlingen)
    context.update({
        "overzicht": go,
        "kolommen": kolommen,
        "rijen": [(lln, cellen) for lln, cellen, _obs, _vo in rijen],
    })
    return context, go


def _scherm(request, bespreking, afspraak_form=None, aanmelding_form=None, conflicten=None, status=200):
    user, school = request.user, request.school
    schrijven = _mag_schrijven(request, bespreking)
    punten = svc.agenda(user, school, bespreking)
    leerlingen = svc.leerlingen_van(bespreking)
    overzicht_context, go = _overzicht(request, bespreking, leerlingen)
    afspraken = list(svc.afspraken_van(user, school, bespreking))
    eigenaren = svc.eigenaren(bespreking) if schrijven else []
    soorten = list(interventies.keuzes(school)) if schrijven else []
    conflicten = conflicten or {}
    for punt in punten:
        punt.afspraken_lijst = [a for a in afspraken if a.agendapunt_id == punt.pk]
        punt.conflict = conflicten.get(f"punt-{punt.pk}")
        if schrijven and punt.nummer != svc.PUNT_EIGEN_VAK:
            if afspraak_form is not None and str(afspraak_form.data.get("punt")) == str(punt.pk):
                punt.afspraak_form = afspraak_form
            else:
                punt.afspraak_form = AfspraakForm(initial={"punt": punt.pk}, eigenaren=eigenaren, school=school,
                                                  soorten=soorten)
    if afspraak_form is not None and not any(getattr(p, "afspraak_form", None) is afspraak_form for p in punten):
        # The form names no item on this agenda: say so, or the rejection would show nothing.
        messages.error(request, _("De afspraak is niet vastgelegd: het agendapunt bestaat niet (meer). "
                                  "Kies het agendapunt en vul de afspraak opnieuw in."))
    aanmeldingen = svc.aanmeldingen_van(user, school, bespreking)
    for aanmelding in aanmeldingen:
        toegang.log_inzage(request, aanmelding.leerling, _("aanmelding (groepsbespreking)"), obj=aanmelding)
    if schrijven and aanmelding_form is None:
        aanmelding_form = AanmeldingForm(leerlingen=leerlingen)
    volgende, nieuwe_plannen = svc.nieuwe_groepsplannen(bespreking)
    context = {
        "titel": bespreking.naam,
        "bespreking": bespreking,
        "klas": bespreking.klas,
        "punten": punten,
        "schrijven": schrijven,
        "mag_vaststellen": svc.mag_vaststellen(user, school, bespreking),
        "mentoren": sorted(bespreking.klas.mentoren.all(), key=lambda g: g.naam),
        "deelnemers": list(bespreking.deelnemers.select_related("gebruiker", "contactpersoon")),
        "evaluaties": svc.vorige_groepsplannen(bespreking),
        "gesignaleerd": svc.gesignaleerde_leerlingen(bespreking, go, leerlingen)
        if overzicht_context["overzicht_leesbaar"] else [],
        "volgende_periode": volgende,
        "nieuwe_plannen": nieuwe_plannen,
        "aanmeldingen": aanmeldingen,
        "aanmelding_form": aanmelding_form,
        "checklist": svc.CHECKLIST if bespreking.status == Bespreking.Status.GEPLAND else [],
        "samenvatting_conflict": conflicten.get("samenvatting"),
        "samenvatting_versie": services.versie_van(bespreking),
        "PUNT_EVALUATIE": svc.PUNT_EVALUATIE, "PUNT_SIGNALEREN": svc.PUNT_SIGNALEREN,
        "PUNT_GROEPSPLAN": svc.PUNT_GROEPSPLAN, "PUNT_AANMELDEN": svc.PUNT_AANMELDEN,
        **overzicht_context,
    }
    return render(request, "besprekingen/groeps/scherm.html", context, status=status)


def bespreking(request, bespreking):
    """Called by besprekingen.views.bespreking after toegang.bespreking_of_404."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _scherm(request, bespreking)


def _punt_of_404(bespreking, punt_pk):
    try:
        return bespreking.agendapunten.select_related("bespreking").get(pk=punt_pk, nummer__isnull=False)
    except (ValueError, TypeError, bespreking.agendapunten.model.DoesNotExist):
        raise Http404 from None


def _notities_antwoord(request, bespreking, sleutel, url, tekst_of_conflict, opgeslagen_obj):
    """htmx: the meta part after a save, or the whole form with the conflict box (HX-Retarget)."""
    if isinstance(tekst_of_conflict, svc.Conflict):
        response = render(request, "besprekingen/groeps/_notities.html", {
            "sleutel": sleutel, "url": url, "tekst": tekst_of_conflict.samen, "versie": tekst_of_conflict.versie,
            "conflict": tekst_of_conflict, "schrijven": True,
        })
        response["HX-Retarget"] = f"#notities-{sleutel}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "besprekingen/groeps/_notities_meta.html", {
        "sleutel": sleutel, "versie": services.versie_van(opgeslagen_obj), "opgeslagen": True,
    })


@require_POST
@school_vereist()
def groepsbespreking_notities(request, pk, punt_pk):
    """Autosave of one agenda item's notes (htmx), with the version check; plain POST works too."""
    bespreking = _groepsbespreking_of_404(request, pk)
    punt = _punt_of_404(bespreking, punt_pk)
    if not toegang.mag_bespreking_leiden(request.user, request.school, bespreking):
        raise PermissionDenied
    try:
        uitkomst = svc.bewaar_notities(request.user, request.school, punt, request.POST.get("tekst", ""),
                                       request.POST.get("versie", ""))
    except BesprekingFout as fout:
        if request.htmx:
            return HttpResponse(" ".join(fout.meldingen), status=422)
        for melding in fout.meldingen:
            messages.error(request, melding)
        return redirect(_scherm_url(bespreking, f"punt-{punt.nummer}"))
    sleutel = f"punt-{punt.pk}"
    if request.htmx:
        url = reverse("groepsbespreking_notities", args=[bespreking.pk, punt.pk])
        return _notities_antwoord(request, bespreking, sleutel, url, uitkomst, uitkomst)
    if isinstance(uitkomst, svc.Conflict):
        return _scherm(request, bespreking, conflicten={sleutel: uitkomst}, status=409)
    messages.success(request, _("De notities bij punt %(nummer)s zijn opgeslagen.") % {"nummer": punt.nummer})
    return redirect(_scherm_url(bespreking, f"punt-{punt.nummer}"))


@require_POST
@school_vereist()
def groepsbespreking_samenvatting(request, pk):
    bespreking = _groepsbespreking_of_404(request, pk)
    if not toegang.mag_bespreking_leiden(request.user, request.school, bespreking):
        raise PermissionDenied
    try:
        uitkomst = svc.bewaar_samenvatting(request.user, request.school, bespreking, request.POST.get("tekst", ""),
                                           request.POST.get("versie", ""))
    except BesprekingFout as fout:
        if request.htmx:
            return HttpResponse(" ".join(fout.meldingen), status=422)
        for melding in fout.meldingen:
            messages.error(request, melding)
        return redirect(_scherm_url(bespreking, "samenvatting"))
    if request.htmx:
        url = reverse("groepsbespreking_samenvatting", args=[bespreking.pk])
        return _notities_antwoord(request, bespreking, "samenvatting", url, uitkomst, uitkomst)
    if isinstance(uitkomst, svc.Conflict):
        return _scherm(request, bespreking, conflicten={"samenvatting": uitkomst}, status=409)
    messages.success(request, _("De samenvatting is opgeslagen."))
    return redirect(_scherm_url(bespreking, "samenvatting"))


@require_POST
@school_vereist()
def groepsbespreking_afspraak(request, pk):
    """Wie doet wat: an afspraak on an agenda item."""
    bespreking = _groepsbespreking_of_404(request, pk)
    if not _mag_schrijven(request, bespreking):
        raise PermissionDenied
    form = AfspraakForm(request.POST, eigenaren=svc.eigenaren(bespreking), school=request.school)
    punt = None
    if form.is_valid():
        punt = _punt_of_404(bespreking, form.cleaned_data["punt"])
        try:
            svc.maak_punt_afspraak(request.user, request.school, bespreking, punt, form.cleaned_data["wat"],
                                   form.cleaned_data["eigenaar"], form.cleaned_data["uiterlijk"],
                                   interventie=form.cleaned_data["interventie"])
        except BesprekingFout as fout:
            for melding in fout.meldingen:
                form.add_error(None, melding)
        else:
            messages.success(request, _("De afspraak is vastgelegd; %(wie)s krijgt een melding.") % {
                "wie": form.cleaned_data["eigenaar"].naam})
            return redirect(_scherm_url(bespreking, f"punt-{punt.nummer}"))
    return _scherm(request, bespreking, afspraak_form=form, status=422)


@require_POST
@school_vereist()
def groepsbespreking_groepsplan(request, pk):
    """Item 7: create (or open) the groepsplan of the next periode."""
    bespreking = _groepsbespreking_of_404(request, pk)
    if not _mag_schrijven(request, bespreking):
        raise PermissionDenied
    try:
        plannen, nieuw = svc.stel_groepsplan_op(request.user, request.school, bespreking)
    except BesprekingFout as fout:
        for melding in fout.meldingen:
            messages.error(request, melding)
        return redirect(_scherm_url(bespreking, f"punt-{svc.PUNT_GROEPSPLAN}"))
    if nieuw:
        messages.success(request, _("Het groepsplan voor %(periode)s is aangemaakt; de afspraak om het uit te werken "
                                    "staat bij de mentor.") % {"periode": plannen[0].periode})
    return redirect("groepsplan", plannen[0].pk)


@require_POST
@school_vereist()
def groepsbespreking_aanmelden(request, pk):
    """Item 9: aanmelden bij het intern zorgteam (IZO)."""
    bespreking = _groepsbespreking_of_404(request, pk)
    if not _mag_schrijven(request, bespreking):
        raise PermissionDenied
    form = AanmeldingForm(request.POST, leerlingen=svc.leerlingen_van(bespreking))
    if form.is_valid():
        data = form.cleaned_data
        try:
            svc.meld_aan_vanuit(request.user, request.school, bespreking, data["leerling"], data["hulpvraag"],
                                data["begeleidingsvraag"], ouders_geinformeerd=data["ouders_geinformeerd"],
                                ouders_niet_informeren_reden=data["ouders_niet_informeren_reden"])
        except BesprekingFout as fout:
            for melding in fout.meldingen:
                form.add_error(None, melding)
        else:
            messages.success(request, _("%(leerling)s is aangemeld bij het intern zorgteam.") % {
                "leerling": data["leerling"].naam})
            return redirect(_scherm_url(bespreking, f"punt-{svc.PUNT_AANMELDEN}"))
    return _scherm(request, bespreking, aanmelding_form=form, status=422)


# --- The verslag ----------------------------------------------------------------------------


def _verslag_context(request, bespreking):
    context = svc.verslag(request.user, request.school, bespreking)
    for aanmelding in context["aanmeldingen"]:
        toegang.log_inzage(request, aanmelding.leerling, _("aanmelding (verslag groepsbespreking)"), obj=aanmelding)
    context.update({
        "bespreking": bespreking,
        "klas": bespreking.klas,
        "school": request.school,
        "titel": _("Verslag groepsbespreking %(klas)s") % {"klas": bespreking.klas.naam},
    })
    return context


@require_GET
@school_vereist()
def groepsbespreking_verslag(request, pk):
    bespreking = _groepsbespreking_of_404(request, pk)
    context = _verslag_context(request, bespreking)
    context["mag_vaststellen"] = svc.mag_vaststellen(request.user, request.school, bespreking)
    return render(request, "besprekingen/groeps/verslag.html", context)


@require_GET
@school_vereist()
def groepsbespreking_verslag_pdf(request, pk):
    bespreking = _groepsbespreking_of_404(request, pk)
    inhoud = plan_pdf.render_pdf("besprekingen/pdf/groepsbespreking.html", _verslag_context(request, bespreking))
    naam = plan_pdf.bestandsnaam("verslag-groepsbespreking", bespreking.klas.naam,
                                 timezone.localtime(bespreking.begin).date().isoformat())
    return plan_pdf.pdf_antwoord(inhoud, naam)


@require_POST
@school_vereist()
def groepsbespreking_vaststellen(request, pk):
    bespreking = _groepsbespreking_of_404(request, pk)
    if not toegang.mag_bespreking_leiden(request.user, request.school, bespreking):
        raise PermissionDenied
    try:
        svc.stel_verslag_vast(request.user, request.school, bespreking)
    except BesprekingFout as fout:
        for melding in fout.meldingen:
            messages.error(request, melding)
    else:
        messages.success(request, _("Het verslag is vastgesteld; de deelnemers krijgen een melding."))
    return redirect("groepsbespreking_verslag", bespreking.pk)
