"""Retention pages: the applicatiebeheerder's terms, dry-run report, switch and tombstones; the
zorgcoördinator's legal hold on a pupil. The rules are in zorg/bewaartermijnen.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import bewaartermijnen, toegang
from .bewaar_forms import AanzettenForm, BewaarplichtForm, BewaartermijnenForm
from .views import school_vereist
from .zoeken import zoek_filter

TOMBSTONES_DAGEN = 30


def _beheerder(request):
    if not toegang.is_beheerder_van(request.user, request.school):
        raise Http404


def _regels(ronde):
    """The report of a Bewaarronde as rows for the template (label, term, counts)."""
    if ronde is None:
        return []
    r = ronde.rapport
    return [
        {"label": c.label, "termijn": r["termijnen"].get(code), **r["categorieen"][code]}
        for code, c in bewaartermijnen.CATEGORIEEN.items()
    ]


def _actueel(school, ronde):
    """A dry run made with today's terms (else a new one is needed before turning removal on)."""
    return ronde is not None and ronde.rapport.get("termijnen") == {
        c: bewaartermijnen.termijn(school, c) for c in bewaartermijnen.CATEGORIEEN
    }


@school_vereist("applicatiebeheerder")
@require_http_methods(["GET", "POST"])
def bewaartermijnen_beheer(request):
    _beheerder(request)
    school = request.school
    proef = bewaartermijnen.laatste_proef(school)
    proef_actueel = _actueel(school, proef)  # before the form touches the instance
    form = BewaartermijnenForm(request.POST if "termijnen" in request.POST else None, instance=school)
    if request.method == "POST":
        if "uitzetten" in request.POST:
            school.bewaartermijnen_actief = False
            school.save(update_fields=["bewaartermijnen_actief"])
            messages.success(request, _("Verwijderen staat uit: Zorgroute maakt elke nacht alleen een proefrapport."))
            return redirect("bewaartermijnen")
        if form.is_valid():
            verkort = form.verkort()
            form.save()
            if verkort and school.bewaartermijnen_actief:
                school.bewaartermijnen_actief = False
                school.save(update_fields=["bewaartermijnen_actief"])
                messages.warning(request, _(
                    "Een termijn is korter geworden. Verwijderen is daarom uitgezet: maak een nieuw proefrapport "
                    "en zet het daarna weer aan."
                ))
            messages.success(request, _("De bewaartermijnen zijn opgeslagen."))
            return redirect("bewaartermijnen")
    laatste = school.bewaarrondes.order_by("-op").first()
    verwijderd = (
        school.verwijderingen.annotate(dag=TruncDate("verwijderd_op")).values("dag", "categorie")
        .annotate(leerlingen=Count("leerling_sleutel", distinct=True), aantal=Sum("aantal"))
        .order_by("-dag", "categorie")[:TOMBSTONES_DAGEN * len(bewaartermijnen.CATEGORIEEN)]
    )
    labels = {code: c.label for code, c in bewaartermijnen.CATEGORIEEN.items()}
    return render(request, "zorg/bewaartermijnen.html", {
        "titel": _("Bewaartermijnen"),
        "form": form,
        "school": school,
        "laatste": laatste,
        "regels": _regels(laatste),
        "proef": proef,
        "proef_actueel": proef_actueel,
        "actief": type(school).objects.values_list("bewaartermijnen_actief", flat=True).get(pk=school.pk),
        "verwijderd": [{**v, "label": labels.get(v["categorie"], v["categorie"])} for v in verwijderd],
        "categorieen": bewaartermijnen.CATEGORIEEN.values(),
    })


@school_vereist("applicatiebeheerder")
@require_POST
def bewaartermijnen_proef(request):
    """Make a dry-run report now (nothing is removed)."""
    _beheerder(request)
    bewaartermijnen.rapport(request.school)
    messages.success(request, _("Het proefrapport is gemaakt. Er is niets verwijderd."))
    return redirect("bewaartermijnen")


@school_vereist("applicatiebeheerder")
@require_http_methods(["GET", "POST"])
def bewaartermijnen_aanzetten(request):
    """Turning removal on: only after a dry run with today's terms, and after confirming it."""
    _beheerder(request)
    school = request.school
    proef = bewaartermijnen.laatste_proef(school)
    if not _actueel(school, proef):
        messages.error(request, _(
            "Maak eerst een proefrapport met de huidige termijnen: dan ziet u wat er verwijderd wordt."
        ))
        return redirect("bewaartermijnen")
    form = AanzettenForm(request.POST or None, initial={"ronde": proef.pk})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["ronde"] != proef.pk:
            form.add_error(None, _("Er is intussen een nieuw proefrapport gemaakt. Lees dat en bevestig opnieuw."))
        else:
            school.bewaartermijnen_actief = True
            school.save(update_fields=["bewaartermijnen_actief"])
            messages.success(request, _(
                "Verwijderen staat aan: vannacht verwijdert Zorgroute de verlopen gegevens."
            ))
            return redirect("bewaartermijnen")
    return render(request, "zorg/bewaartermijnen_aanzetten.html", {
        "titel": _("Verwijderen aanzetten"), "form": form, "proef": proef, "regels": _regels(proef),
    })


def _wijzigingen(leerling):
    """The legal hold's history: who set or cleared it, when, with which reason."""
    rijen, vorige = [], None
    for h in leerling.history.select_related("history_user").order_by("history_date", "history_id"):
        stand = (h.bewaarplicht, h.bewaarplicht_reden)
        if stand != vorige and (vorige is not None or h.bewaarplicht):
            rijen.append(h)
        vorige = stand
    return list(reversed(rijen))


@school_vereist("zorgcoordinator")
@require_http_methods(["GET", "POST"])
def bewaarplicht(request, pk):
    leerling = toegang.schoolleerling_voor_zorgcoordinator_of_404(request.user, request.school, pk)
    huidig = {"bewaarplicht": leerling.bewaarplicht, "reden": leerling.bewaarplicht_reden}
    form = BewaarplichtForm(request.POST or None, instance=leerling)
    if request.method == "POST" and form.is_valid():
        form.save()
        if leerling.bewaarplicht:
            messages.success(request, _("Bewaarplicht gezet: de gegevens van %(naam)s worden niet verwijderd.")
                             % {"naam": leerling.naam})
        else:
            messages.success(request, _("Bewaarplicht opgeheven: de gewone bewaartermijnen gelden weer."))
        return redirect("bewaarplicht", pk=leerling.pk)
    return render(request, "leerlingen/bewaarplicht.html", {
        "titel": _("Bewaarplicht %(naam)s") % {"naam": leerling.naam},
        "leerling": leerling, "huidig": huidig, "form": form, "wijzigingen": _wijzigingen(leerling),
        "mag_dossier": toegang.leerlingen_voor(request.user, request.school).filter(pk=leerling.pk).exists(),
    })


@school_vereist("zorgcoordinator")
@require_http_methods(["GET"])
def bewaarplicht_overzicht(request):
    """Former pupils with the dates their data go, to find whom to put on hold."""
    if not toegang.is_zorgcoordinator_van(request.user, request.school):
        raise Http404
    school = request.school
    zoek = request.GET.get("q", "").strip()[:100]
    qs = toegang.uitgeschreven_leerlingen(request.user, school)
    if zoek:
        qs = qs.filter(zoek_filter(zoek))
    pagina = Paginator(qs.order_by("-bewaarplicht", "uitstroomdatum", "achternaam", "pk"), 50).get_page(
        request.GET.get("pagina"))
    for leerling in pagina.object_list:
        leerling.dossier_weg = bewaartermijnen.verwijderdatum(school, leerling, bewaartermijnen.ZORGDOSSIER)
        leerling.leerling_weg = bewaartermijnen.verwijderdatum(school, leerling, bewaartermijnen.LEERLING)
    return render(request, "leerlingen/bewaarplicht_overzicht.html", {
        "titel": _("Uitgeschreven leerlingen en bewaarplicht"), "pagina": pagina, "zoek": zoek,
        "actief": school.bewaartermijnen_actief,
    })
