"""Zelfevaluatie pages: the zorgcoördinator's and directie's questionnaires, rounds, results and
verbeterpunten (toegang.mag_kwaliteitsbeleid); every staff member's own questionnaires to fill in
and verbeterpunten they own. The rules are in zorg/zelfevaluatie.py."""

import re

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import toegang
from . import zelfevaluatie as ze
from .models import Antwoord, Respondent, Rubriek, Verbeterpunt, Vraag, Vragenlijst, Zelfevaluatie
from .tabelexport import FORMATEN, tabel_download
from .templatetags.grafieken import Staaf
from .views import school_vereist
from .zelfevaluatie_forms import UITLEG, AfhandelForm, ConclusieForm, InvulForm, RondeForm, VerbeterpuntForm

LABELS = dict(Respondent.Rol.choices)


def _beleid(request):
    if not toegang.mag_kwaliteitsbeleid(request.user, request.school):
        raise Http404


def _ronde_of_404(request, pk):
    return get_object_or_404(
        Zelfevaluatie.objects.select_related("vragenlijst", "schooljaar"), pk=pk, school=request.school,
    )


def _schooljaar(request):
    return toegang.huidig_schooljaar(request.user, request.school)


def _id(waarde):
    """A posted id as a number (anything else finds nothing: 404, never a server error)."""
    return int(waarde) if re.fullmatch(r"[0-9]{1,9}", waarde or "") else 0


# --- Management -------------------------------------------------------------------------------------


@school_vereist()
def zelfevaluaties(request):
    _beleid(request)
    school = request.school
    rondes = (
        Zelfevaluatie.objects.filter(school=school)
        .select_related("vragenlijst", "schooljaar")
        .annotate(
            gevraagd=Count("respondenten", distinct=True),
            ingediend=Count("respondenten", filter=Q(respondenten__ingediend_op__isnull=False), distinct=True),
        )
        .order_by("-aangemaakt_op")
    )
    lijsten = Vragenlijst.objects.filter(school=school).annotate(
        rubrieken_n=Count("rubrieken", distinct=True),
        vragen_n=Count("rubrieken__vragen", filter=Q(rubrieken__vragen__actief=True), distinct=True),
    ).order_by("soort", "naam")
    punten = (
        Verbeterpunt.objects.filter(school=school)
        .select_related("eigenaar", "rubriek", "zelfevaluatie")
        .order_by("status", "uiterlijk", "pk")
    )
    bestaande_soorten = {lijst.soort for lijst in lijsten}
    standaard = [(s, label) for s, label in Vragenlijst.Soort.choices if s not in bestaande_soorten]
    return render(request, "zorg/kwaliteit/zelfevaluaties.html", {
        "titel": _("Zelfevaluatie zorgstructuur"),
        "rondes": rondes, "lijsten": lijsten, "punten": punten, "standaard": standaard,
    })


@school_vereist()
@require_POST
def zelfevaluatie_standaard(request, soort):
    _beleid(request)
    if soort not in Vragenlijst.Soort.values:
        raise Http404
    lijst = ze.standaard_vragenlijst(request.school, soort)
    messages.success(request, _("De vragenlijst '%(naam)s' staat klaar. U kunt haar aanpassen aan uw school.")
                     % {"naam": lijst.naam})
    return redirect("vragenlijst_bewerken", lijst.pk)


def _vragenlijst_context(lijst, invoer=None):
    rubrieken = list(lijst.rubrieken.order_by("volgorde", "pk"))
    vragen = (
        Vraag.objects.filter(rubriek__vragenlijst=lijst)
        .annotate(beantwoord=Exists(Antwoord.objects.filter(vraag=OuterRef("pk"))))
        .order_by("volgorde", "pk")
    )
    per_rubriek = {}
    for vraag in vragen:
        per_rubriek.setdefault(vraag.rubriek_id, []).append(vraag)
    for rubriek in rubrieken:
        rubriek.lijst_vragen = per_rubriek.get(rubriek.pk, [])
    return {"lijst": lijst, "rubrieken": rubrieken, "invoer": invoer or {}}


@school_vereist()
@require_http_methods(["GET", "POST"])
def vragenlijst_bewerken(request, pk):
    """Rename and add rubrieken, add/reword/switch off/delete items (answered items: switch off only)."""
    _beleid(request)
    lijst = get_object_or_404(Vragenlijst, pk=pk, school=request.school)
    if request.method == "POST":
        actie = request.POST.get("actie", "")
        tekst = request.POST.get("tekst", "")
        try:
            if actie == "lijst":
                naam = tekst.strip()
                if not naam:
                    raise ze.Fout(_("Vul de naam van de vragenlijst in."))
                lijst.naam, lijst.toelichting = naam, request.POST.get("toelichting", "")
                lijst.save(update_fields=["naam", "toelichting"])
            elif actie == "rubriek_nieuw":
                ze.rubriek_toevoegen(lijst, tekst)
            elif actie in ("rubriek_naam", "vraag_nieuw"):
                rubriek = get_object_or_404(Rubriek, pk=_id(request.POST.get("rubriek")), vragenlijst=lijst)
                if actie == "rubriek_naam":
                    ze.rubriek_hernoemen(rubriek, tekst)
                else:
                    ze.vraag_toevoegen(rubriek, tekst)
            elif actie in ("vraag", "vraag_uit", "vraag_aan", "vraag_weg"):
                vraag = get_object_or_404(Vraag, pk=_id(request.POST.get("vraag")), rubriek__vragenlijst=lijst)
                if actie == "vraag":
                    ze.vraag_wijzigen(vraag, tekst=tekst)
                elif actie == "vraag_weg":
                    ze.vraag_verwijderen(vraag)
                else:
                    ze.vraag_wijzigen(vraag, actief=actie == "vraag_aan")
            else:
                raise ze.Fout(_("Onbekende actie."))
        except ze.Fout as fout:
            invoer = {
                "actie": actie, "tekst": tekst, "fout": str(fout),
                "rubriek": request.POST.get("rubriek", ""), "vraag": request.POST.get("vraag", ""),
            }
            context = _vragenlijst_context(lijst, invoer)
            context["titel"] = _("Vragenlijst aanpassen")
            return render(request, "zorg/kwaliteit/zelfevaluatie_vragenlijst.html", context, status=400)
        messages.success(request, _("De vragenlijst is bijgewerkt."))
        return redirect("vragenlijst_bewerken", lijst.pk)
    context = _vragenlijst_context(lijst)
    context["titel"] = _("Vragenlijst aanpassen")
    return render(request, "zorg/kwaliteit/zelfevaluatie_vragenlijst.html", context)


@school_vereist()
@require_http_methods(["GET", "POST"])
def zelfevaluatie_nieuw(request):
    _beleid(request)
    school = request.school
    schooljaar = _schooljaar(request)
    initial = {"rollen": list(Respondent.Rol.values)}
    if request.GET.get("vragenlijst"):
        initial["vragenlijst"] = request.GET["vragenlijst"]
    form = RondeForm(request.POST or None, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ronde = ze.ronde_aanmaken(school, schooljaar, d["vragenlijst"], d["titel"], d["rollen"], d["sluit_op"],
                                  request.user)
        messages.success(request, _("De zelfevaluatie is aangemaakt. Controleer de gegevens en verstuur haar."))
        return redirect("zelfevaluatie_resultaten", ronde.pk)
    heeft_lijst = Vragenlijst.objects.filter(school=school).exists()
    return render(request, "zorg/kwaliteit/zelfevaluatie_nieuw.html", {
        "titel": _("Nieuwe zelfevaluatie"), "form": form, "schooljaar": schooljaar, "heeft_lijst": heeft_lijst,
    })


@school_vereist()
@require_POST
def zelfevaluatie_versturen(request, pk):
    _beleid(request)
    ronde = _ronde_of_404(request, pk)
    try:
        ronde = ze.versturen(ronde, request.user)
    except ze.Fout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, _("De vragenlijst is verstuurd naar %(n)s collega's.")
                         % {"n": ronde.respondenten.count()})
    return redirect("zelfevaluatie_resultaten", ronde.pk)


@school_vereist()
@require_POST
def zelfevaluatie_sluiten(request, pk):
    _beleid(request)
    ronde = _ronde_of_404(request, pk)
    try:
        ze.sluiten(ronde)
    except ze.Fout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, _("De zelfevaluatie is gesloten; er kan niet meer worden ingevuld."))
    return redirect("zelfevaluatie_resultaten", ronde.pk)


def _fmt(waarde):
    return "" if waarde is None else f"{waarde:.2f}".replace(".", ",")


@school_vereist()
@require_http_methods(["GET", "POST"])
def zelfevaluatie_resultaten(request, pk):
    _beleid(request)
    ronde = _ronde_of_404(request, pk)
    form = ConclusieForm(request.POST or None, initial={"conclusie": ronde.conclusie})
    if request.method == "POST" and form.is_valid():
        ronde.conclusie = form.cleaned_data["conclusie"]
        ronde.save(update_fields=["conclusie"])
        messages.success(request, _("De conclusie is opgeslagen."))
        return redirect("zelfevaluatie_resultaten", ronde.pk)
    uitslag = ze.resultaten(ronde)
    grafiek = [Staaf(r.rubriek.naam, r.gemiddelde) for r in uitslag.rubrieken]
    per_rol = [
        (capfirst(LABELS[rol]), [Staaf(r.rubriek.naam, r.per_rol.get(rol)) for r in uitslag.rubrieken])
        for rol in uitslag.rollen_met_cijfers
    ]
    tabel = [
        {"rubriek": r.rubriek, "gemiddelde": r.gemiddelde, "vorige": r.vorige,
         "rollen": [r.per_rol.get(rol) for rol in uitslag.rollen_met_cijfers],
         "vragen": uitslag.vragen.get(r.rubriek.pk, [])}
        for r in uitslag.rubrieken
    ]
    punten = ronde.verbeterpunten.select_related("eigenaar", "rubriek").order_by("status", "uiterlijk", "pk")
    return render(request, "zorg/kwaliteit/zelfevaluatie_resultaten.html", {
        "titel": ronde.titel, "ronde": ronde, "uitslag": uitslag, "grafiek": grafiek, "per_rol": per_rol,
        "tabel": tabel, "rol_labels": [LABELS[rol] for rol in uitslag.rollen_met_cijfers],
        "form": form, "punten": punten, "min_respondenten": ze.MIN_RESPONDENTEN,
        "gevraagde_rollen": [LABELS[rol] for rol in ze.ROLVOLGORDE if rol in ronde.rollen],
        "uitleg": [(s, UITLEG[s]) for s in (1, 2, 3, 4, 0)], "formaten": FORMATEN,
    })


@school_vereist()
def zelfevaluatie_download(request, pk, formaat):
    _beleid(request)
    if formaat not in FORMATEN:
        raise Http404
    ronde = _ronde_of_404(request, pk)
    uitslag = ze.resultaten(ronde)
    kolommen = [_("Rubriek"), _("Gemiddelde (alle functies)")]
    kolommen += [_("Gemiddelde %(rol)s") % {"rol": LABELS[rol]} for rol in uitslag.rollen_met_cijfers]
    if uitslag.vorige_ronde:
        kolommen.append(_("Vorige ronde"))
    rijen = []
    for r in uitslag.rubrieken:
        rij = [r.rubriek.naam, r.gemiddelde] + [r.per_rol.get(rol) for rol in uitslag.rollen_met_cijfers]
        if uitslag.vorige_ronde:
            rij.append(r.vorige)
        rijen.append(rij)
    return tabel_download(f"zelfevaluatie-{ronde.pk}", kolommen, rijen, formaat, blad=_("Rubrieken"))


# --- Verbeterpunten ---------------------------------------------------------------------------------


@school_vereist()
@require_http_methods(["GET", "POST"])
def verbeterpunt_nieuw(request, pk):
    _beleid(request)
    ronde = _ronde_of_404(request, pk)
    form = VerbeterpuntForm(
        request.POST or None,
        rubrieken=Rubriek.objects.filter(vragenlijst_id=ronde.vragenlijst_id).order_by("volgorde", "pk"),
        medewerkers=ze.medewerkers(_schooljaar(request)),
        initial={"rubriek": request.GET.get("rubriek")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ze.verbeterpunt_toevoegen(ronde, d["rubriek"], d["wat"], d["eigenaar"], d["uiterlijk"], request.user)
        messages.success(request, _("Het verbeterpunt is toegevoegd; de eigenaar heeft een melding gekregen."))
        return redirect("zelfevaluatie_resultaten", ronde.pk)
    return render(request, "zorg/kwaliteit/zelfevaluatie_verbeterpunt.html", {
        "titel": _("Verbeterpunt toevoegen"), "ronde": ronde, "form": form,
    })


@school_vereist()
@require_http_methods(["GET", "POST"])
def verbeterpunt_afhandelen(request, pk):
    """The owner, or the zorgcoördinator / directie, marks a verbeterpunt done or dropped."""
    punt = get_object_or_404(
        Verbeterpunt.objects.select_related("eigenaar", "rubriek", "zelfevaluatie"), pk=pk, school=request.school,
    )
    beleid = toegang.mag_kwaliteitsbeleid(request.user, request.school)
    if punt.eigenaar_id != request.user.pk and not beleid:
        raise Http404
    form = AfhandelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ze.verbeterpunt_afhandelen(punt, form.cleaned_data["status"], form.cleaned_data["toelichting"])
        except ze.Fout as fout:
            form.add_error(None, str(fout))
        else:
            messages.success(request, _("Het verbeterpunt is afgehandeld."))
            return redirect("zelfevaluaties" if beleid else "mijn_zelfevaluaties")
    return render(request, "zorg/kwaliteit/zelfevaluatie_afhandelen.html", {
        "titel": _("Verbeterpunt afhandelen"), "punt": punt, "form": form, "beleid": beleid,
    })


# --- Filling in -------------------------------------------------------------------------------------


def _is_medewerker(request):
    return bool(set(request.rollen.namen) - {"ouder", "extern"})


@school_vereist()
def mijn_zelfevaluaties(request):
    """The questionnaires sent to me (open first) and the verbeterpunten I own."""
    mijn = (
        Respondent.objects.filter(gebruiker=request.user, zelfevaluatie__school=request.school)
        .exclude(zelfevaluatie__status=Zelfevaluatie.Status.CONCEPT)
        .select_related("zelfevaluatie")
        .order_by("-zelfevaluatie__aangemaakt_op")
    )
    punten = (
        Verbeterpunt.objects.filter(school=request.school, eigenaar=request.user)
        .select_related("rubriek", "zelfevaluatie").order_by("status", "uiterlijk", "pk")
    )
    if not _is_medewerker(request) and not mijn and not punten:
        raise Http404
    rijen = [(r, ze.is_open(r.zelfevaluatie)) for r in mijn]
    return render(request, "zorg/kwaliteit/zelfevaluatie_mijn.html", {
        "titel": _("Mijn vragenlijsten"), "rijen": rijen, "punten": punten,
    })


@school_vereist()
@require_http_methods(["GET", "POST"])
def zelfevaluatie_invullen(request, pk):
    respondent = get_object_or_404(
        Respondent.objects.select_related("zelfevaluatie__vragenlijst"),
        zelfevaluatie_id=pk, gebruiker=request.user, zelfevaluatie__school=request.school,
    )
    ronde = respondent.zelfevaluatie
    if ronde.status == Zelfevaluatie.Status.CONCEPT:
        raise Http404
    rubrieken = list(Rubriek.objects.filter(vragenlijst_id=ronde.vragenlijst_id).order_by("volgorde", "pk"))
    vragen = list(
        Vraag.objects.filter(rubriek__vragenlijst_id=ronde.vragenlijst_id, actief=True).order_by("volgorde", "pk")
    )
    open_ = ze.is_open(ronde)
    bestaande = dict(respondent.antwoorden.values_list("vraag_id", "score"))
    initial = {f"v{v}": str(s) for v, s in bestaande.items()}
    initial["opmerkingen"] = respondent.opmerkingen
    form = InvulForm(request.POST or None, vragen=vragen, initial=initial)
    status = 200
    if request.method == "POST":
        if not open_:
            messages.error(request, _("Deze vragenlijst is gesloten; uw antwoorden kunnen niet meer worden gewijzigd."))
            status = 400
        elif form.is_valid():
            indienen = "indienen" in request.POST
            try:
                ze.antwoorden_opslaan(respondent, form.scores(), form.cleaned_data["opmerkingen"], indienen)
            except ze.Fout as fout:
                form.add_error(None, str(fout))
                status = 400
            else:
                messages.success(request, _(
                    "Uw antwoorden zijn ingediend. Zolang de vragenlijst open is, kunt u ze nog wijzigen."
                ) if indienen else _("Uw antwoorden zijn opgeslagen (nog niet ingediend)."))
                if indienen:
                    return redirect("mijn_zelfevaluaties")
                return redirect("zelfevaluatie_invullen", ronde.pk)
        else:
            form.add_error(None, _("Niet alles kon worden opgeslagen: bekijk de gemarkeerde vragen."))
            status = 400
    per_rubriek = {}
    for vraag in vragen:
        per_rubriek.setdefault(vraag.rubriek_id, []).append(form[f"v{vraag.pk}"])
    secties = [(r, per_rubriek[r.pk]) for r in rubrieken if r.pk in per_rubriek]
    return render(request, "zorg/kwaliteit/zelfevaluatie_invullen.html", {
        "titel": ronde.titel, "ronde": ronde, "respondent": respondent, "form": form, "secties": secties,
        "open": open_, "beantwoord": len(bestaande), "totaal": len(vragen),
        "uitleg": [UITLEG[s] for s in (4, 3, 2, 1, 0)],
    }, status=status)
