"""Thin views for groepsplannen and handelingsplannen; the rules are in plannen/plannen.py.

Klassen, pupils and plans outside the user's scope answer 404 (through zorg.toegang); a plan the
user may read but not write answers 403.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerlingen import paginas
from leerlingen.models import Dossieritem
from zorg import toegang
from zorg.models import Lesopdracht, Periode, Vak
from zorg.views import school_vereist

from . import plannen
from .models import Groepsplan, GroepsplanRij, Handelingsplan
from .plan_forms import (
    BetrokkenheidFormSet,
    DoelFormSet,
    GroepsplanNieuwForm,
    GroepsplanRijForm,
    HandelingsplanEvaluatieForm,
    HandelingsplanForm,
    RijEvaluatieForm,
)

# --- Groepsplan -----------------------------------------------------------------------------


def _groepsplan_of_404(request, pk, schrijven=False):
    try:
        plan = Groepsplan.objects.select_related("klas", "periode", "vak", "auteur").get(pk=pk)
    except (Groepsplan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    plan.klas = toegang.groepsdocumenten_klas_of_404(request.user, request.school, plan.klas_id)
    plan.mag_schrijven = toegang.mag_groepsplan_schrijven(request.user, request.school, plan.klas, plan.vak)
    if schrijven and not plan.mag_schrijven:
        raise PermissionDenied(_("U kunt dit groepsplan niet wijzigen."))
    return plan


def _vakken_voor(request, klas):
    """Vakken the user may write a vakspecifiek plan for in this klas."""
    if "zorgcoordinator" in toegang.klas_relatie(request.user, request.school, klas):
        return Vak.objects.filter(school=request.school)
    return Vak.objects.filter(
        pk__in=Lesopdracht.objects.filter(docent=request.user, klas=klas).values("vak_id")
    )


@school_vereist()
@require_http_methods(["GET", "POST"])
def groepsplannen(request, klas_pk):
    """The klas's groepsplannen, and (for the mentor, docent of the vak, zorgcoördinator) a new one."""
    klas = toegang.groepsdocumenten_klas_of_404(request.user, request.school, klas_pk)
    vakken = _vakken_voor(request, klas)
    mag_maken = toegang.mag_groepsplan_schrijven(request.user, request.school, klas) or vakken.exists()
    form = None
    if mag_maken:
        periode = plannen.huidige_periode(klas)
        form = GroepsplanNieuwForm(request.POST or None, klas=klas, vakken=vakken,
                                   initial={"periode": periode.pk if periode else None})
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("U kunt voor deze klas geen groepsplan maken."))
        if form.is_valid():
            data = form.cleaned_data
            vak = data["vak"] if data["soort"] == "vakspecifiek" else None
            if not toegang.mag_groepsplan_schrijven(request.user, request.school, klas, vak):
                raise PermissionDenied(_("U kunt voor deze klas geen groepsplan maken."))
            try:
                nieuw = plannen.maak_groepsplan(request.user, klas, data["periode"], data["soort"], vak,
                                                data["differentiatie"])
            except plannen.PlanFout as fout:
                paginas.fouten(form, fout)
            else:
                messages.success(request, _("Het groepsplan is aangemaakt."))
                return redirect("groepsplan", nieuw[0].pk)
    lijst = Groepsplan.objects.filter(klas=klas).select_related("periode", "vak")
    context = {"klas": klas, "plannen": lijst, "form": form, "titel": _("Groepsplannen %(klas)s") % {"klas": klas}}
    return render(request, "plannen/groepsplannen.html", context)


@school_vereist()
@require_GET
def groepsplan(request, pk):
    plan = _groepsplan_of_404(request, pk)
    rijen = list(plan.rijen.select_related("interventie").prefetch_related("leerlingen"))
    for rij in rijen:
        rij.smart_hints = plannen.smart_hint(rij.doelen)
        rij.namen = sorted(leerling.naam for leerling in rij.leerlingen.all())
    context = {
        "plan": plan,
        "rijen": rijen,
        "delen": plannen.delen_van(plan),
        "overzicht": plannen.groepsoverzicht_van(plan),
        "wijzigingen": plannen.wijzigingen_groepsplan(plan),
        "titel": str(plan),
    }
    return render(request, "plannen/groepsplan.html", context)


def _rij_formulier(request, plan, rij):
    kandidaten = plannen.kandidaten(plan)
    initial = {}
    if rij is None and request.GET.get("rijsoort") in GroepsplanRij.Rijsoort.values:
        initial["rijsoort"] = request.GET["rijsoort"]
    form = GroepsplanRijForm(request.POST or None, instance=rij, kandidaten=kandidaten, initial=initial,
                             school=plan.klas.schooljaar.school_id)
    if request.method == "POST" and form.is_valid():
        try:
            rij = plannen.bewaar_rij(plan, rij, form.cleaned_data, list(form.cleaned_data["leerlingen"]))
        except plannen.PlanFout as fout:
            paginas.fouten(form, fout)
        else:
            hints = plannen.smart_hint(rij.doelen)
            for hint in hints:
                messages.warning(request, hint)
            messages.success(request, _("De rij is bewaard."))
            return redirect(reverse("groepsplan", args=[plan.pk]) + f"#rij-{rij.pk}")
    context = {
        "plan": plan, "rij": rij, "form": form, "smart_hints": plannen.smart_hint(form["doelen"].value()),
        "titel": _("Rij wijzigen") if rij else _("Rij toevoegen"),
    }
    return render(request, "plannen/groepsplan_rij.html", context)


@school_vereist()
@require_http_methods(["GET", "POST"])
def groepsplan_rij_nieuw(request, pk):
    plan = _groepsplan_of_404(request, pk, schrijven=True)
    return _rij_formulier(request, plan, None)


def _rij_of_404(request, pk):
    try:
        rij = GroepsplanRij.objects.get(pk=pk)
    except (GroepsplanRij.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    rij.groepsplan = _groepsplan_of_404(request, rij.groepsplan_id, schrijven=True)
    return rij


@school_vereist()
@require_http_methods(["GET", "POST"])
def groepsplan_rij(request, pk):
    rij = _rij_of_404(request, pk)
    return _rij_formulier(request, rij.groepsplan, rij)


@school_vereist()
@require_http_methods(["GET", "POST"])
def groepsplan_rij_evalueren(request, pk):
    rij = _rij_of_404(request, pk)
    plan = rij.groepsplan
    form = RijEvaluatieForm(request.POST or None, instance=rij)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plannen.evalueer_rij(rij, data["doel_bereikt"], data["aanpak_effectief"], data["vervolg"],
                                 data["evaluatie_toelichting"])
        except plannen.PlanFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("De evaluatie is bewaard."))
            return redirect(reverse("groepsplan", args=[plan.pk]) + f"#rij-{rij.pk}")
    context = {"plan": plan, "rij": rij, "form": form, "titel": _("Rij evalueren")}
    return render(request, "plannen/groepsplan_evalueren.html", context)


@school_vereist()
@require_POST
def groepsplan_status(request, pk):
    plan = _groepsplan_of_404(request, pk, schrijven=True)
    actie = request.POST.get("actie")
    try:
        if actie == "starten":
            plannen.start_groepsplan(plan)
            messages.success(request, _("Het groepsplan loopt."))
        elif actie == "afronden":
            plannen.rond_groepsplan_af(plan)
            messages.success(request, _("Het groepsplan is geëvalueerd."))
        else:
            messages.error(request, _("Onbekende actie."))
    except plannen.PlanFout as fout:
        for melding in fout.meldingen:
            messages.error(request, melding)
    return redirect("groepsplan", plan.pk)


# --- Handelingsplan -------------------------------------------------------------------------


def _plan_of_404(request, pk):
    """A handelingsplan the user may read; else 404."""
    try:
        plan = Handelingsplan.objects.select_related("leerling", "periode").get(pk=pk)
    except (Handelingsplan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    leerling = toegang.leerling_of_404(request.user, request.school, plan.leerling_id)
    if not toegang.handelingsplannen_voor(request.user, request.school, leerling).filter(pk=plan.pk).exists():
        raise Http404
    plan.leerling = leerling
    plan.mag_schrijven = toegang.mag_handelingsplan_schrijven(request.user, request.school, leerling, plan)
    return plan


def _schrijfplan_of_404(request, pk):
    plan = _plan_of_404(request, pk)
    if not plan.mag_schrijven:
        raise PermissionDenied(_("U kunt dit handelingsplan niet wijzigen."))
    return plan


def _perioden(leerling):
    klas = leerling.laatste_klas()
    return klas.schooljaar.perioden.all() if klas else Periode.objects.none()


def _formsets(request, plan):
    medewerkers = request.school.medewerkers()
    data = request.POST if request.method == "POST" else None
    doelen = DoelFormSet(data, instance=plan, prefix="doelen", form_kwargs={"school": plan.leerling.school_id})
    betrokkenen = BetrokkenheidFormSet(data, instance=plan, prefix="betrokkenen",
                                       form_kwargs={"medewerkers": medewerkers})
    return doelen, betrokkenen


def _formsets_geldig(doelen, betrokkenen):
    geldig = doelen.is_valid() & betrokkenen.is_valid()
    if geldig and not any(f.cleaned_data.get("doel") and not f.cleaned_data.get("DELETE") for f in doelen.forms):
        doelen._non_form_errors = doelen.error_class([_("Geef minstens één doel op.")])
        geldig = False
    return geldig


def _smart_meldingen(request, plan):
    """The SMART hint per goal, as a warning (never blocking)."""
    for doel in plan.doelen.all():
        for hint in plannen.smart_hint(doel.doel):
            messages.warning(request, f"{doel.doel[:60]}: {hint}")


def _alleen_vakken(request, leerling, plan=None):
    """For a docent without a care relation to the pupil: only vakspecifiek plans for their vakken."""
    relaties = toegang.relaties_met(request.user, request.school, leerling)
    if relaties & toegang.PLAN_SCHRIJVERS:
        return None
    return toegang.vakken_van_docent(request.user, request.school, leerling)


@school_vereist()
@require_http_methods(["GET", "POST"])
def handelingsplan_nieuw(request, leerling_pk):
    """A new plan from the dossier page, from a groepsplan row (?rij=) or an IZO/ZAT decision (?besluit=)."""
    leerling = toegang.leerling_of_404(request.user, request.school, leerling_pk)
    if not toegang.mag_handelingsplan_schrijven(request.user, request.school, leerling):
        raise PermissionDenied(_("U kunt voor deze leerling geen handelingsplan opstellen."))
    rij = besluit = None
    bron = request.POST.get("rij") or request.GET.get("rij")
    if bron:
        rij = GroepsplanRij.objects.filter(pk=bron if str(bron).isdigit() else 0, leerlingen=leerling).first()
        if rij is None:
            raise Http404
        toegang.groepsdocumenten_klas_of_404(request.user, request.school, rij.groepsplan.klas_id)
    bron = request.POST.get("besluit") or request.GET.get("besluit")
    if bron:
        besluit = toegang.dossieritems_voor(request.user, request.school, leerling).filter(
            pk=bron if str(bron).isdigit() else 0, soort=Dossieritem.Soort.ZORGNIVEAU
        ).first()
        if besluit is None:
            raise Http404
    initial = plannen.voorstel(request.user, request.school, leerling, rij=rij, besluit=besluit)
    leeg = Handelingsplan(leerling=leerling)
    form = HandelingsplanForm(request.POST or None, initial=initial, school=request.school,
                              perioden=_perioden(leerling), alleen_vakken=_alleen_vakken(request, leerling))
    doelen, betrokkenen = _formsets(request, leeg)
    if request.method == "GET" and rij is not None:
        uit_rij = [{"doel": d, "interventie": rij.interventie_id} for d in plannen.doelen_uit_rij(rij)]
        doelen = DoelFormSet(instance=leeg, prefix="doelen", initial=uit_rij,
                             form_kwargs={"school": leerling.school_id})
        doelen.extra = max(len(uit_rij), 2)
    if request.method == "POST":
        geldig = form.is_valid() & _formsets_geldig(doelen, betrokkenen)
        if geldig:
            teksten = [(f.cleaned_data["doel"], f.cleaned_data.get("interventie")) for f in doelen.forms
                       if f.cleaned_data.get("doel") and not f.cleaned_data.get("DELETE")]
            wie = [(f.cleaned_data["gebruiker"], f.cleaned_data["taak"]) for f in betrokkenen.forms
                   if f.cleaned_data.get("gebruiker") and not f.cleaned_data.get("DELETE")]
            try:
                plan = plannen.maak_handelingsplan(request.user, leerling, form.cleaned_data, teksten, wie,
                                                   groepsplan=rij.groepsplan if rij else None, besluit=besluit)
            except plannen.PlanFout as fout:
                paginas.fouten(form, fout)
            else:
                messages.success(request, _("Het handelingsplan is aangemaakt (concept)."))
                _smart_meldingen(request, plan)
                return redirect("handelingsplan", plan.pk)
    context = {
        "leerling": leerling, "form": form, "doelen": doelen, "betrokkenen": betrokkenen, "rij": rij,
        "besluit": besluit, "titel": _("Nieuw handelingsplan · %(leerling)s") % {"leerling": leerling.naam},
    }
    return render(request, "plannen/handelingsplan_formulier.html", context)


@school_vereist()
@require_GET
def handelingsplan(request, pk):
    plan = _plan_of_404(request, pk)
    toegang.log_inzage(request, plan.leerling, _("handelingsplan"), obj=plan)
    volledig = plannen.ziet_volledig(request.user, request.school, plan)
    eerder, later = plannen.keten(plan) if volledig else ([], [])
    context = {
        "plan": plan,
        "leerling": plan.leerling,
        "volledig": volledig,
        "doelen": list(plan.doelen.select_related("interventie")),
        "betrokkenen": list(plan.betrokkenen.select_related("gebruiker")) if volledig else [],
        "mijn_taken": plannen.taken_van(request.user, plan),
        "eerder": eerder,
        "later": later,
        "wijzigingen": plannen.wijzigingen_handelingsplan(plan) if volledig else [],
        "smart_hints": {d.pk: plannen.smart_hint(d.doel) for d in plan.doelen.all()},
        "inbreng_ouders_door": plannen.laatst_geschreven(plan, "inbreng_ouders") if volledig else (None, None),
        "inbreng_leerling_door": plannen.laatst_geschreven(plan, "inbreng_leerling") if volledig else (None, None),
        "titel": str(plan),
    }
    return render(request, "plannen/handelingsplan.html", context)


@school_vereist()
@require_http_methods(["GET", "POST"])
def handelingsplan_wijzigen(request, pk):
    plan = _schrijfplan_of_404(request, pk)
    if plan.status not in (Handelingsplan.Status.CONCEPT, Handelingsplan.Status.VASTGESTELD):
        messages.error(request, _("Een geëvalueerd of afgesloten plan kan niet meer worden gewijzigd."))
        return redirect("handelingsplan", plan.pk)
    form = HandelingsplanForm(request.POST or None, instance=plan, school=request.school,
                              perioden=_perioden(plan.leerling), alleen_vakken=_alleen_vakken(request, plan.leerling))
    doelen, betrokkenen = _formsets(request, plan)
    conflict = None
    if request.method == "POST" and form.is_valid() & _formsets_geldig(doelen, betrokkenen):
        try:
            with transaction.atomic():
                plannen.wijzig_handelingsplan(request.user, plan.pk, form.cleaned_data, form.gezien_op())
                doelen.save()
                betrokkenen.save()
        except plannen.Conflict as fout:
            conflict = fout.plan
            form.add_error(None, _(
                "%(wie)s heeft dit plan gewijzigd op %(wanneer)s, nadat u het opende. Uw tekst staat hieronder nog; "
                "vergelijk met de huidige versie en bewaar opnieuw."
            ) % {"wie": conflict.gewijzigd_door.naam if conflict.gewijzigd_door else _("iemand"),
                 "wanneer": conflict.gewijzigd_op.strftime("%d-%m-%Y %H:%M")})
            # The next save is against the version the user has now seen.
            form.data = form.data.copy()
            form.data["gewijzigd_op"] = conflict.gewijzigd_op.isoformat()
        except plannen.PlanFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("Het handelingsplan is bewaard."))
            _smart_meldingen(request, plan)
            return redirect("handelingsplan", plan.pk)
    context = {
        "leerling": plan.leerling, "plan": plan, "form": form, "doelen": doelen, "betrokkenen": betrokkenen,
        "conflict": conflict, "titel": _("Handelingsplan wijzigen"),
    }
    return render(request, "plannen/handelingsplan_formulier.html", context, status=409 if conflict else 200)


@school_vereist()
@require_POST
def handelingsplan_actie(request, pk):
    """vaststellen, voorleggen (aan ouders), ouders_akkoord, afsluiten, vervolgplan, opschalen."""
    plan = _schrijfplan_of_404(request, pk)
    actie = request.POST.get("actie")
    try:
        if actie == "vaststellen":
            plannen.stel_vast(request.user, plan)
            messages.success(request, _("Het handelingsplan is vastgesteld."))
        elif actie == "voorleggen":
            uitslag = plannen.leg_voor_aan_ouders(request.user, plan, _datum(request.POST.get("reactie_voor")))
            if uitslag["ouders"]:
                messages.success(request, _("Het concept is aan de ouders voorgelegd; %(aantal)s ouder(s) met een "
                                            "account kregen een bericht.") % {"aantal": uitslag["ouders"]})
            else:
                messages.warning(request, _("Het concept is voorgelegd, maar geen ouder heeft een account in het "
                                            "ouderportaal. Nodig de ouders uit of bespreek het plan op papier."))
        elif actie == "ouders_akkoord":
            plannen.ouders_akkoord(request.user, plan)
            messages.success(request, _("Het akkoord van de ouders is vastgelegd."))
        elif actie == "afsluiten":
            plannen.sluit_af(request.user, plan)
            messages.success(request, _("Het handelingsplan is afgesloten."))
        elif actie == "vervolgplan":
            nieuw = plannen.vervolgplan(request.user, plan)
            messages.success(request, _("Het vervolgplan is aangemaakt (concept)."))
            return redirect("handelingsplan", nieuw.pk)
        elif actie == "opschalen":
            return _opschalen(request, plan)
        else:
            messages.error(request, _("Onbekende actie."))
    except plannen.PlanFout as fout:
        for melding in fout.meldingen:
            messages.error(request, melding)
    return redirect("handelingsplan", plan.pk)


def _datum(tekst):
    """A date typed in an <input type=date> (YYYY-MM-DD), or None when empty; a wrong one is refused."""
    if not (tekst or "").strip():
        return None
    try:
        return datetime.date.fromisoformat(tekst.strip())
    except ValueError:
        raise plannen.PlanFout(_("Vul een geldige datum in (dag-maand-jaar).")) from None


def _opschalen(request, plan):
    if plan.besluit != Handelingsplan.Besluit.OPSCHALEN or plan.status != Handelingsplan.Status.GEEVALUEERD:
        raise plannen.PlanFout(_("Opschalen volgt op een evaluatie met besluit opschalen."))
    plannen.sluit_af(request.user, plan)
    messages.info(request, _("Het handelingsplan is afgesloten. Dien nu de hulpvraag naar het volgende "
                             "zorgniveau in."))
    return redirect(reverse("route_aanvragen", args=[plan.leerling.pk]))


@school_vereist()
@require_http_methods(["GET", "POST"])
def handelingsplan_evalueren(request, pk):
    plan = _schrijfplan_of_404(request, pk)
    if plan.status != Handelingsplan.Status.VASTGESTELD:
        messages.error(request, _("Alleen een vastgesteld plan kan worden geëvalueerd."))
        return redirect("handelingsplan", plan.pk)
    form = HandelingsplanEvaluatieForm(request.POST or None, doelen=plan.doelen.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plannen.evalueer(request.user, plan, form.resultaten(), data["besluit"], data["evaluatie_toelichting"])
            if plan.besluit == Handelingsplan.Besluit.OPSCHALEN:
                return _opschalen(request, plan)
            if plan.besluit in (Handelingsplan.Besluit.VOORTZETTEN, Handelingsplan.Besluit.BIJSTELLEN):
                nieuw = plannen.vervolgplan(request.user, plan)
                messages.success(request, _("Het plan is geëvalueerd; het vervolgplan staat klaar als concept."))
                return redirect("handelingsplan", nieuw.pk)
        except plannen.PlanFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("Het handelingsplan is geëvalueerd."))
            return redirect("handelingsplan", plan.pk)
    context = {"plan": plan, "leerling": plan.leerling, "form": form, "titel": _("Handelingsplan evalueren")}
    return render(request, "plannen/handelingsplan_evalueren.html", context)


@school_vereist()
@require_GET
def handelingsplannen(request, leerling_pk):
    """All plans of one pupil the user may read."""
    leerling = toegang.leerling_of_404(request.user, request.school, leerling_pk)
    lijst = toegang.handelingsplannen_voor(request.user, request.school, leerling).select_related("vak", "auteur")
    context = {
        "leerling": leerling, "plannen": lijst,
        "mag_schrijven": toegang.mag_handelingsplan_schrijven(request.user, request.school, leerling),
        "titel": _("Handelingsplannen · %(leerling)s") % {"leerling": leerling.naam},
    }
    return render(request, "plannen/handelingsplannen.html", context)


@school_vereist()
@require_GET
def mijn_taken(request, leerling_pk):
    """Fragment for the dossier page: the user's tasks in this pupil's plans and a link to all plans;
    empty when there is nothing to show."""
    leerling = toegang.leerling_of_404(request.user, request.school, leerling_pk)
    taken = list(plannen.mijn_taken(request.user, request.school, leerling).prefetch_related("betrokkenen"))
    for plan in taken:
        plan.mijn_taken = plannen.taken_van(request.user, plan)
    aantal = toegang.handelingsplannen_voor(request.user, request.school, leerling).count()
    mag_schrijven = toegang.mag_handelingsplan_schrijven(request.user, request.school, leerling)
    if not (taken or aantal or mag_schrijven):
        return HttpResponse("")
    context = {"leerling": leerling, "plantaken": taken, "plantaken_geladen": True, "aantal_plannen": aantal,
               "mag_plan_schrijven": mag_schrijven}
    return render(request, "plannen/_mijn_taken.html", context)
