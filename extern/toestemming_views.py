"""Thin views for consent (toestemming): the per-pupil page for staff, request, record from paper,
withdraw, the scan download, the consent letter PDF, and the parent's portal pages. The rules are in
extern/toestemming.py; access goes through zorg/toegang.py (out of scope is 404; in scope without
the right role is 403 with a Dutch explanation)."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leerlingen import dossier, paginas
from plannen.pdf import bestandsnaam, pdf_antwoord
from zorg import toegang
from zorg.views import school_vereist

from . import toestemming as regels
from .models import Toestemming
from .toestemming_forms import AanvraagForm, IntrekkenForm, PapierForm


def _toestemming_of_404(request, pk):
    """A consent of a pupil the staff member reads, or 404."""
    try:
        toestemming = Toestemming.objects.select_related("leerling", "instelling", "ouder").get(pk=pk)
    except (Toestemming.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    leerling = toegang.leerling_of_404(request.user, request.school, toestemming.leerling_id)
    toestemming.leerling = leerling
    return leerling, toestemming


def _band_tekst(leerling):
    beslist = regels.wie_beslist(leerling)
    if beslist == "leerling":
        return _("%(naam)s is %(jaren)s jaar en beslist zelf over toestemming.") % {
            "naam": leerling.voornaam, "jaren": regels.leeftijd(leerling, timezone.localdate())}
    if beslist == "samen":
        return _("Vanaf %(jaren)s jaar is naast een ouder met gezag ook de toestemming van de leerling nodig.") % {
            "jaren": leerling.school.toestemming_leerling_mee_vanaf}
    return _("Een ouder of verzorger met ouderlijk gezag beslist.")


@school_vereist()
@require_GET
def toestemmingen(request, pk):
    """All consents of one pupil: status, who/how/when, valid or not (and why), the full history."""
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    if not toegang.mag_toestemming_lezen(request.user, request.school, leerling):
        return paginas.geweigerd(
            request, leerling, _("Toestemmingen lezen de zorgcoördinator, de mentor, de teamleider, "
                                               "de zorgspecialisten en de directie."))
    vandaag = timezone.localdate()
    lijst = list(leerling.toestemmingen.select_related("instelling", "ouder", "aangevraagd_door", "vastgelegd_door"))
    geldig = {t.pk for t in regels.geldige_qs(leerling, Toestemming.Doel.values, op=vandaag)}
    for t in lijst:
        t.weergave = regels.weergave_status(t, vandaag)
        t.telt = t.pk in geldig
        t.waarom = "" if t.telt or t.status == Toestemming.Status.AANGEVRAAGD else regels.waarom_niet(
            leerling, [t.doel], t.instelling, vandaag)
        t.geschiedenis = list(t.history.select_related("history_user").order_by("-history_date", "-history_id"))
    toegang.log_inzage(request, leerling, _("toestemmingen"))
    zc = regels.is_zorgcoordinator(request.user, request.school, leerling)
    return render(request, "extern/toestemming/leerling.html", {
        **paginas.kop(leerling), "toestemmingen": lijst, "band": _band_tekst(leerling),
        "mag_aanvragen": toegang.mag_toestemming_beheren(request.user, request.school, leerling),
        "is_zorgcoordinator": zc, "titel": _("Toestemmingen"),
    })


@school_vereist()
@require_http_methods(["GET", "POST"])
def aanvragen(request, pk):
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    if not toegang.mag_toestemming_beheren(request.user, request.school, leerling):
        return paginas.geweigerd(request, leerling, _("Toestemming vragen doen de zorgcoördinator en de mentor."))
    form = AanvraagForm(request.POST or None, school=request.school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            regels.vraag_aan(request.user, request.school, leerling, data["doel"], data["toelichting"],
                             data["instelling"], data["geldig_tot"])
        except regels.ToestemmingFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("De toestemming is aangevraagd. Ouders met een account krijgen een bericht; "
                                        "druk anders de toestemmingsbrief af."))
            return redirect("toestemmingen", leerling.pk)
    return render(request, "extern/toestemming/aanvragen.html", {
        **paginas.kop(leerling), "form": form, "band": _band_tekst(leerling),
        "geen_ouders": not regels.ouders_met_gezag(leerling).exists(), "titel": _("Toestemming vragen"),
    })


@school_vereist()
@require_http_methods(["GET", "POST"])
def papier(request, pk):
    """Record a signed paper form: answering an open request (?aanvraag=<pk>) or new."""
    leerling = toegang.leerling_of_404(request.user, request.school, pk)
    if not regels.is_zorgcoordinator(request.user, request.school, leerling):
        return paginas.geweigerd(request, leerling, _("Toestemming van papier vastleggen doet de zorgcoördinator."))
    aanvraag = None
    aanvraag_pk = request.GET.get("aanvraag") or request.POST.get("aanvraag")
    if aanvraag_pk:
        aanvraag = leerling.toestemmingen.filter(pk=aanvraag_pk if str(aanvraag_pk).isdigit() else 0,
                                                 status=Toestemming.Status.AANGEVRAAGD).first()
        if aanvraag is None:
            raise Http404
    ouders = regels.ouders_met_gezag(leerling)
    form = PapierForm(request.POST or None, request.FILES or None, school=request.school, ouders=ouders,
                      aanvraag=aanvraag)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            regels.leg_papier_vast(
                request.user, request.school, leerling, ouder=data["ouder"], status=data["status"],
                datum=data["datum"], doel=data.get("doel") or None, instelling=data.get("instelling"),
                geldig_tot=data["geldig_tot"], leerling_akkoord=data["leerling_akkoord"] or None,
                bestand=data["bestand"], reden=data["reden"], aanvraag=aanvraag)
        except regels.ToestemmingFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("Het getekende formulier is vastgelegd."))
            return redirect("toestemmingen", leerling.pk)
    return render(request, "extern/toestemming/papier.html", {
        **paginas.kop(leerling), "form": form, "aanvraag": aanvraag, "band": _band_tekst(leerling),
        "geen_ouders": not ouders.exists(), "titel": _("Getekend formulier vastleggen"),
    })


@school_vereist()
@require_http_methods(["GET", "POST"])
def intrekken(request, pk):
    """The zorgcoördinator records a withdrawal by phone or letter (reason required)."""
    leerling, toestemming = _toestemming_of_404(request, pk)
    if not regels.is_zorgcoordinator(request.user, request.school, leerling):
        return paginas.geweigerd(request, leerling, _("Een intrekking vastleggen doet de zorgcoördinator."))
    form = IntrekkenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            regels.trek_in(request.user, toestemming, form.cleaned_data["reden"], school=request.school)
        except regels.ToestemmingFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("De toestemming is ingetrokken. Iedereen die ermee werkte, is op de hoogte "
                                        "gebracht."))
            return redirect("toestemmingen", leerling.pk)
    return render(request, "extern/toestemming/intrekken.html", {
        **paginas.kop(leerling), "form": form, "toestemming": toestemming, "titel": _("Toestemming intrekken"),
    })


@school_vereist()
@require_GET
def formulier(request, pk):
    """Download the scan of a signed form: only for staff who read the pupil's consents; logged."""
    leerling, toestemming = _toestemming_of_404(request, pk)
    if not toegang.mag_toestemming_lezen(request.user, request.school, leerling) or not toestemming.bestand:
        raise Http404
    try:
        bestand = toestemming.bestand.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    toegang.log_inzage(request, leerling, _("toestemmingsformulier"), obj=toestemming)
    extensie = toestemming.bestand.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(bestand, as_attachment=True,
                            filename=toestemming.bestandsnaam or f"toestemming.{extensie}",
                            content_type=dossier.TOEGESTANE_TYPES.get(extensie, "application/octet-stream"))
    return paginas.vergrendeld(response)


@school_vereist()
@require_GET
def brief(request, pk):
    """The consent letter as PDF, for parents without an account (zorgcoördinator and mentor)."""
    leerling, toestemming = _toestemming_of_404(request, pk)
    if not toegang.mag_toestemming_beheren(request.user, request.school, leerling):
        return paginas.geweigerd(
            request, leerling, _("De toestemmingsbrief drukken de zorgcoördinator en de mentor af."))
    pdf = regels.toestemmingsbrief_pdf(toestemming)
    toegang.log_inzage(request, leerling, "toestemmingsbrief", toestemming)
    return pdf_antwoord(pdf, bestandsnaam("toestemming", leerling.naam, toestemming.get_doel_display()), bijlage=True)
