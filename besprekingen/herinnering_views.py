"""Herinneringen on the zorgcoördinator dashboard (issue Herinneringen): what was sent (the
Herinnering ledger of the school, newest first), what is overdue (the dashboard's own querysets,
so every figure equals the list it links to) and who has not acted (recipients of a reminder
whose item is still overdue, counted per person).

Directie sees the page read-only without pupil names: no notice texts (they name pupils).
Every figure is an aggregate query; the page costs a fixed number of queries."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zorg.models import Herinnering
from zorg.views import school_vereist

from . import dashboard
from .afspraken_views import log_inzage_lijst

PER_PAGINA = 25
# Rules whose recipients are parents: their name would identify the pupil, so directie sees a role.
REGELS_VOOR_OUDERS = {"plan_voor_ouders", "reactie_ouders"}

# Rule names of zorg/herinnering_regels.py with their Dutch label; an unknown name is shown as is.
REGEL_LABELS = {
    "evaluatie_handelingsplan": gettext_lazy("evaluatie handelingsplan"),
    "evaluatie_groepsplan": gettext_lazy("evaluatie groepsplan"),
    "afspraak": gettext_lazy("afspraak"),
    "vervolg_izo_zat": gettext_lazy("vervolgdatum IZO/ZAT"),
    "groepsbespreking": gettext_lazy("groepsbespreking"),
    "groepsbespreking_agenda": gettext_lazy("agenda groepsbespreking"),
    "verwijzing_terugkoppeling": gettext_lazy("verwijzing zonder terugkoppeling"),
    "toestemming_verloopt": gettext_lazy("toestemming verloopt"),
    "toegang_verloopt": gettext_lazy("toegang extern verloopt"),
    "plan_voor_ouders": gettext_lazy("plan voor ouders"),
    "reactie_ouders": gettext_lazy("reactie ouders op een voorgelegd plan"),
}
STAP_LABELS = {
    "vooraf": gettext_lazy("vooraf"),
    "vandaag": gettext_lazy("op de dag"),
    "te_laat": gettext_lazy("te laat"),
    "te_laat_2": gettext_lazy("tweede escalatie"),
    "klaar": gettext_lazy("klaar"),
}

# (key, label, dashboard list, [(object_soort, overdue queryset, owner field or None, due date field or None)]).
# The owner field keeps "not acted" to the person who had to act: a teamleider who received an
# escalation is not counted for the mentor's afspraak. Verwijzingen have no owner: every recipient.
# The due date field leaves out reminders about an old date (the date was changed since).
SOORTEN = [
    ("evaluaties", gettext_lazy("Evaluaties te laat"), "evaluaties",
     [("handelingsplan", dashboard.handelingsplannen_te_laat, "auteur", "evaluatiedatum"),
      ("groepsplan", dashboard.groepsplannen_te_laat, "auteur", None)]),
    ("afspraken", gettext_lazy("Afspraken te laat"), "afspraken",
     [("afspraak", dashboard.afspraken_te_laat, "eigenaar", "uiterlijk")]),
    ("verwijzingen", gettext_lazy("Verwijzingen zonder terugkoppeling"), "verwijzingen",
     [("verwijzing", dashboard.verwijzingen_zonder_terugkoppeling, None, None)]),
]


def regel_label(naam):
    try:
        from zorg import herinnering_regels

        labels = getattr(herinnering_regels, "LABELS", {})
    except ImportError:  # pragma: no cover
        labels = {}
    return labels.get(naam) or REGEL_LABELS.get(naam) or naam


def te_laat(stand):
    """What is overdue now, per category: [(key, label, list name, count)] — one count query per
    queryset, the same querysets as the dashboard lists they link to."""
    uit = []
    for sleutel, label, lijst, delen in SOORTEN:
        uit.append({"sleutel": sleutel, "label": label, "lijst": lijst,
                    "n": sum(qs(stand).count() for _soort, qs, *_rest in delen)})
    return uit


def niet_opgepakt(stand):
    """Recipients of a reminder whose item is still overdue: [{naam, per category count, totaal}],
    most first. One grouped query per object kind."""
    personen = {}
    for sleutel, _label, _lijst, delen in SOORTEN:
        for soort, qs, eigenaar, datum in delen:
            nog_open = qs(stand).filter(pk=OuterRef("object_id"))
            if eigenaar:
                nog_open = nog_open.filter(**{eigenaar: OuterRef("ontvanger")})
            if datum:
                nog_open = nog_open.filter(**{datum: OuterRef("vervaldatum")})
            rijen = (
                Herinnering.objects.filter(school=stand.school, object_soort=soort)
                .filter(Exists(nog_open))
                .order_by()
                .values("ontvanger_id", "ontvanger__first_name", "ontvanger__last_name")
                .annotate(n=Count("object_id", distinct=True))
            )
            for rij in rijen:
                naam = " ".join(p for p in (rij["ontvanger__first_name"], rij["ontvanger__last_name"]) if p)
                persoon = personen.setdefault(rij["ontvanger_id"], {"naam": naam, "per": {}, "totaal": 0})
                persoon["per"][sleutel] = persoon["per"].get(sleutel, 0) + rij["n"]
                persoon["totaal"] += rij["n"]
    uit = sorted(personen.values(), key=lambda p: (-p["totaal"], p["naam"]))
    for persoon in uit:
        persoon["cellen"] = [persoon["per"].get(sleutel, 0) for sleutel, *_rest in SOORTEN]
    return uit


def verstuurd_per_regel(school):
    """Sent reminders per rule with how many were read (one grouped query)."""
    rijen = list(
        Herinnering.objects.filter(school=school).order_by().values("regel")
        .annotate(n=Count("id"), gelezen=Count("id", filter=Q(notificatie__gelezen_op__isnull=False)))
        .order_by("regel")
    )
    for rij in rijen:
        rij["label"] = regel_label(rij["regel"])
        rij["ongelezen"] = rij["n"] - rij["gelezen"]
    return rijen


def ledger(school):
    return (
        Herinnering.objects.filter(school=school)
        .select_related("ontvanger", "notificatie", "notificatie__leerling")
        .order_by("-aangemaakt_op", "-pk")
    )


@school_vereist("zorgcoordinator", "directie")
@require_GET
def herinneringen(request):
    stand = dashboard.Stand.van(request)
    met_namen = request.rollen.heeft("zorgcoordinator")
    pagina = Paginator(ledger(request.school), PER_PAGINA).get_page(request.GET.get("pagina"))
    rijen = list(pagina.object_list)
    for rij in rijen:
        rij.regel_label = regel_label(rij.regel)
        rij.stap_label = STAP_LABELS.get(rij.stap, rij.stap)
        rij.ontvanger_tekst = (rij.ontvanger.naam if met_namen or rij.regel not in REGELS_VOOR_OUDERS
                               else _("ouder/verzorger"))
    if met_namen:
        log_inzage_lijst(request, {r.notificatie.leerling for r in rijen if r.notificatie and r.notificatie.leerling},
                         _("herinneringen"))
    per_regel = verstuurd_per_regel(request.school)
    context = {
        "titel": _("Herinneringen"),
        "stand": stand,
        "met_namen": met_namen,
        "pagina": pagina,
        "rijen": rijen,
        "per_regel": per_regel,
        "verstuurd": sum(r["n"] for r in per_regel),
        "ongelezen": sum(r["ongelezen"] for r in per_regel),
        "te_laat": te_laat(stand),
        "niet_opgepakt": niet_opgepakt(stand),
        "kolommen": [label for _s, label, *_rest in SOORTEN],
        "school": request.school,
    }
    return render(request, "besprekingen/dashboard/herinneringen.html", context)
