"""The parent's handelingsplan pages: the plans of one child, one plan (inbreng ouders while it is
a concept, akkoord / niet akkoord after a confirmation step) and its PDF. The rules are in
plannen/plannen.py; access goes through zorg/toegang.py (anything else answers 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from leerlingen import paginas
from plannen import pdf
from plannen import plannen as regels
from zorg import toegang

from .plan_forms import InbrengOudersForm, ReactieForm

# Sections as parents read them: (field, heading, one-line explanation).
SECTIES_OUDERS = [
    ("ontwikkelingsperspectief", gettext_lazy("Waar werken we naartoe"),
     gettext_lazy("Wat de school op langere termijn voor uw kind verwacht.")),
    ("beginsituatie", gettext_lazy("Hoe het nu gaat"),
     gettext_lazy("Wat de school ziet op het moment dat het plan begint.")),
    ("onderwijsbehoeften", gettext_lazy("Wat uw kind nodig heeft"),
     gettext_lazy("Wat helpt uw kind om goed te leren.")),
    ("inhoud", gettext_lazy("Waaraan we werken"),
     gettext_lazy("Waar de extra hulp over gaat.")),
    ("aanpak", gettext_lazy("Hoe we dat doen"),
     gettext_lazy("De manier waarop de school uw kind helpt.")),
    ("organisatie", gettext_lazy("Wie, wanneer en waar"),
     gettext_lazy("Hoe vaak en wanneer de hulp plaatsvindt.")),
    ("evaluatie_afspraken", gettext_lazy("Hoe we kijken of het werkt"),
     gettext_lazy("Wanneer en hoe het plan wordt bekeken.")),
    ("afspraken_ouders", gettext_lazy("Afspraken met u"),
     gettext_lazy("Wat de school en u samen hebben afgesproken.")),
    ("inbreng_leerling", gettext_lazy("Wat uw kind zelf zegt"),
     gettext_lazy("De inbreng van uw kind over het plan.")),
]


def _correctie_url(kind, plan):
    try:
        return reverse("ouder_correctie_nieuw", args=[kind.pk]) + f"?plan={plan.pk}"
    except NoReverseMatch:
        return ""


@login_required
@require_GET
def ouder_plannen(request, pk):
    """The handelingsplannen of one child: current ones first, earlier ones below."""
    kind = toegang.kind_of_404(request.user, pk)
    lijst = list(toegang.plannen_voor_ouder(request.user, kind).prefetch_related("doelen").order_by("-start", "-pk"))
    for plan in lijst:
        plan.status_tekst = regels.status_voor_ouder(plan)
    toegang.log_inzage(request, kind, gettext_lazy("handelingsplannen (ouderportaal)"))
    return render(request, "ouders/plannen.html", {
        "kind": kind,
        "huidig": [p for p in lijst if p.status in regels.HUIDIG],
        "eerder": [p for p in lijst if p.status not in regels.HUIDIG],
        "titel": _("Plannen voor %(naam)s") % {"naam": kind.voornaam},
    })


@login_required
@require_http_methods(["GET", "POST"])
def ouder_plan(request, pk):
    """One plan as parents read it, with their inbreng and their reaction."""
    plan = toegang.plan_voor_ouder_of_404(request.user, pk)
    kind = plan.leerling
    inbreng_form = InbrengOudersForm(initial={"inbreng": plan.inbreng_ouders})
    reactie_form = ReactieForm()
    bevestigen = None
    formulier = request.POST.get("formulier") if request.method == "POST" else None
    if formulier == "inbreng":
        inbreng_form = InbrengOudersForm(request.POST)
        if inbreng_form.is_valid():
            try:
                regels.bewaar_inbreng_ouders(request.user, plan, inbreng_form.cleaned_data["inbreng"])
            except regels.PlanFout as fout:
                paginas.fouten(inbreng_form, fout)
            else:
                messages.success(request, _("Dank u wel. Uw inbreng is bewaard en de mentor is op de hoogte."))
                return redirect("ouder_plan", plan.pk)
    elif formulier == "reactie":
        reactie_form = ReactieForm(request.POST)
        if reactie_form.is_valid():
            keuze, reden = reactie_form.cleaned_data["keuze"], reactie_form.cleaned_data["reden"]
            try:
                if not reactie_form.cleaned_data["bevestigd"]:
                    regels.controleer_reactie(request.user, plan, keuze, reden)
                    bevestigen = keuze
                else:
                    regels.reageer_ouders(request.user, plan, keuze, reden)
            except regels.PlanFout as fout:
                paginas.fouten(reactie_form, fout)
            else:
                if not bevestigen:
                    messages.success(request, _("Dank u wel. Uw reactie is bewaard en de mentor is op de hoogte."))
                    return redirect("ouder_plan", plan.pk)
    toegang.log_inzage(request, kind, gettext_lazy("handelingsplan (ouderportaal)"), obj=plan)
    secties = [(kop, uitleg, getattr(plan, veld)) for veld, kop, uitleg in SECTIES_OUDERS]
    return render(request, "ouders/plan.html", {
        "kind": kind, "plan": plan, "status_tekst": regels.status_voor_ouder(plan), "secties": secties,
        "doelen": list(plan.doelen.all()), "betrokkenen": list(plan.betrokkenen.select_related("gebruiker")),
        "inbreng_form": inbreng_form, "reactie_form": reactie_form, "bevestigen": bevestigen,
        "reden": request.POST.get("reden", "") if formulier == "reactie" else "",
        "mag_reageren": toegang.heeft_gezag(request.user, kind), "reactie_open": plan.status in regels.HUIDIG,
        "correctie_url": _correctie_url(kind, plan), "titel": _("Plan voor %(naam)s") % {"naam": kind.voornaam},
    })


@login_required
@require_GET
def ouder_plan_pdf(request, pk):
    """The handelingsplan PDF in the parent's language, with the parents' reaction."""
    plan = toegang.plan_voor_ouder_of_404(request.user, pk)
    inhoud = pdf.handelingsplan_pdf_ouder(plan)
    toegang.log_inzage(request, plan.leerling, gettext_lazy("handelingsplan (PDF, ouderportaal)"), obj=plan)
    return pdf.pdf_antwoord(inhoud, pdf.handelingsplan_bestandsnaam(plan))
