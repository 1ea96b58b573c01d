"""The zorgcoördinator's dashboard: the figures and the lists behind them.

Each figure is computed by an aggregate query (values/annotate/Count) and each list behind a
figure is built from the very same base queryset (`basis`), so a list always has exactly as many
rows as the number that links to it. The page costs a fixed number of queries, whatever the size
of the school.

"Current pupils" are the pupils of the school placed in a klas of the current schooljaar and not
uitgeschreven; their klas is the placement of this schooljaar (the latest one if they moved).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from extern.verwijzing import zonder_terugkoppeling
from leerlingen.models import Dossieritem, Klasplaatsing, Leerling
from plannen.models import Groepsplan, Handelingsplan
from zorg import zorgroutes
from zorg.kwaliteit import leerling_van_school
from zorg.models import Afdeling, Klas

from .models import Aanmelding, Afspraak, Bespreking

LIJSTEN = {
    "aanmeldingen": gettext_lazy("Aanmeldingen wachtend"),
    "besprekingen": gettext_lazy("Besprekingen deze week"),
    "evaluaties": gettext_lazy("Evaluaties te laat"),
    "afspraken": gettext_lazy("Afspraken te laat"),
    "leerlingen": gettext_lazy("Leerlingen"),
    "groepsbesprekingen": gettext_lazy("Groepsbesprekingen deze periode"),
    "verwijzingen": gettext_lazy("Verwijzingen zonder terugkoppeling"),
}

STANDEN = {
    "gehouden": gettext_lazy("gehouden"),
    "gepland": gettext_lazy("gepland"),
    "niet": gettext_lazy("niet gepland"),
}


@dataclass
class Stand:
    """What the figures are about: a school in its current schooljaar, on a date."""

    school: object
    schooljaar: object
    op: datetime.date

    @classmethod
    def van(cls, request, op=None):
        return cls(request.school, request.rollen.schooljaar, op or timezone.localdate())

    @property
    def week(self):
        """Monday 00:00 up to the next Monday 00:00, local time."""
        maandag = self.op - datetime.timedelta(days=self.op.weekday())
        begin = timezone.make_aware(datetime.datetime.combine(maandag, datetime.time.min))
        return begin, begin + datetime.timedelta(days=7)

    @property
    def periode(self):
        if not hasattr(self, "_periode"):
            self._periode = self.schooljaar.periode_op(self.op) if self.schooljaar else None
        return self._periode


# --- Base querysets: each figure counts one of these, each list shows its rows ----------------------


def _huidige_plaatsing(leerling_ref, schooljaar):
    return Klasplaatsing.objects.filter(leerling=leerling_ref, klas__schooljaar=schooljaar).order_by("-pk")


def met_klas(qs, schooljaar, leerling_veld="leerling"):
    """Annotate the current klas (name, afdeling) of the pupil behind each row."""
    plaatsing = _huidige_plaatsing(OuterRef(leerling_veld), schooljaar)
    return qs.annotate(
        klasnaam=Subquery(plaatsing.values("klas__naam")[:1]),
        afdelingnaam=Subquery(plaatsing.values("klas__afdeling__naam")[:1]),
    )


def huidige_leerlingen(stand):
    plaatsing = _huidige_plaatsing(OuterRef("pk"), stand.schooljaar)
    return (
        Leerling.objects.filter(school=stand.school)
        .filter(Q(uitstroomdatum__isnull=True) | Q(uitstroomdatum__gte=stand.op))
        .annotate(
            klas_id_nu=Subquery(plaatsing.values("klas_id")[:1]),
            klasnaam=Subquery(plaatsing.values("klas__naam")[:1]),
            afdeling_id_nu=Subquery(plaatsing.values("klas__afdeling_id")[:1]),
            afdelingnaam=Subquery(plaatsing.values("klas__afdeling__naam")[:1]),
            leerjaar_nu=Subquery(plaatsing.values("klas__leerjaar")[:1]),
        )
        .filter(klas_id_nu__isnull=False)
    )


def wachtende_aanmeldingen(stand):
    return Aanmelding.objects.filter(school=stand.school, status__in=Aanmelding.WACHTEND)


def besprekingen_deze_week(stand):
    begin, einde = stand.week
    return Bespreking.objects.filter(
        school=stand.school, status=Bespreking.Status.GEPLAND, begin__gte=begin, begin__lt=einde
    )


def handelingsplannen_te_laat(stand):
    return Handelingsplan.objects.filter(
        leerling__school=stand.school, status=Handelingsplan.Status.VASTGESTELD, evaluatiedatum__lt=stand.op
    )


def groepsplannen_te_laat(stand):
    """Running groepsplannen whose periode ended without an evaluation."""
    return Groepsplan.objects.filter(
        klas__schooljaar__school=stand.school, status=Groepsplan.Status.LOPEND, periode__einde__lt=stand.op
    )


def afspraken_te_laat(stand):
    return Afspraak.objects.filter(school=stand.school, status=Afspraak.Status.OPEN, uiterlijk__lt=stand.op)


def verwijzingen_zonder_terugkoppeling(stand):
    """Open verwijzingen aangemeld more than four weeks ago without any terugkoppeling since."""
    return zonder_terugkoppeling(stand.school, stand.op)


def klassen_met_groepsbespreking(stand):
    """The klassen of the schooljaar with the stand of their groepsbespreking in the current periode."""
    if stand.schooljaar is None:
        return Klas.objects.none()
    besprekingen = Bespreking.objects.filter(
        soort=Bespreking.Soort.GROEPSBESPREKING, klas=OuterRef("pk"), periode=stand.periode
    ).exclude(status=Bespreking.Status.GEANNULEERD).order_by("-begin")
    return Klas.objects.filter(schooljaar=stand.schooljaar).annotate(
        bespreking_status=Subquery(besprekingen.values("status")[:1]),
        bespreking_id=Subquery(besprekingen.values("pk")[:1]),
        bespreking_begin=Subquery(besprekingen.values("begin")[:1]),
    )


def _stand_filter(stand_naam):
    return {
        "gehouden": Q(bespreking_status=Bespreking.Status.GEHOUDEN),
        "gepland": Q(bespreking_status=Bespreking.Status.GEPLAND),
        "niet": Q(bespreking_status__isnull=True),
    }.get(stand_naam, Q())


# --- The figures -----------------------------------------------------------------------------------------


def _per(rijen, sleutel):
    uit = {}
    for rij in rijen:
        uit[rij[sleutel]] = uit.get(rij[sleutel], 0) + rij["n"]
    return uit


def per_plaatsing(stand):
    """Current pupils counted per afdeling, leerjaar and zorgniveau, grouped over each pupil's
    latest klasplaatsing of the schooljaar (the same pupils as huidige_leerlingen, as a join:
    correlated subqueries per pupil cost ~100 ms at 1,500 pupils)."""
    laatste = (
        Klasplaatsing.objects.filter(klas__schooljaar=stand.schooljaar).order_by()
        .values("leerling_id").annotate(m=Max("pk")).values("m")
    )
    return (
        Klasplaatsing.objects.filter(pk__in=laatste, leerling__school=stand.school)
        .filter(Q(leerling__uitstroomdatum__isnull=True) | Q(leerling__uitstroomdatum__gte=stand.op))
        .order_by()
        .values(afdeling_id_nu=F("klas__afdeling_id"), afdelingnaam=F("klas__afdeling__naam"),
                leerjaar_nu=F("klas__leerjaar"), zorgniveau_id=F("leerling__zorgniveau_id"))
        .annotate(n=Count("id"))
    )


def cijfers(stand):
    """All figures of the dashboard (a fixed number of aggregate queries)."""
    niveaus = zorgroutes.niveaus_van(stand.school)
    c = {"niveaus": niveaus, "stand": stand}
    c["aanmeldingen"] = wachtende_aanmeldingen(stand).count()
    c["besprekingen"] = besprekingen_deze_week(stand).count()
    c["handelingsplannen_te_laat"] = handelingsplannen_te_laat(stand).count()
    c["groepsplannen_te_laat"] = groepsplannen_te_laat(stand).count()
    c["evaluaties"] = c["handelingsplannen_te_laat"] + c["groepsplannen_te_laat"]

    per_eigenaar = list(
        afspraken_te_laat(stand).values("eigenaar_id", "eigenaar__first_name", "eigenaar__last_name")
        .annotate(n=Count("id")).order_by("-n", "eigenaar__last_name", "eigenaar__first_name")
    )
    for rij in per_eigenaar:
        rij["naam"] = " ".join(p for p in (rij["eigenaar__first_name"], rij["eigenaar__last_name"]) if p)
    c["afspraken_per_eigenaar"] = per_eigenaar
    c["afspraken"] = sum(rij["n"] for rij in per_eigenaar)
    c["verwijzingen"] = verwijzingen_zonder_terugkoppeling(stand).count()

    # Pupils per zorgniveau per afdeling and per leerjaar: one grouped query.
    rijen = list(per_plaatsing(stand)) if stand.schooljaar else []
    c["totaal_leerlingen"] = sum(r["n"] for r in rijen)
    kolommen = [(n.pk, n) for n in niveaus]
    if any(r["zorgniveau_id"] is None for r in rijen):
        kolommen.append((None, None))
    c["niveau_kolommen"] = kolommen

    def tabel(sleutel, label):
        groepen = {}
        for r in rijen:
            groep = groepen.setdefault(r[sleutel], {"sleutel": r[sleutel], "naam": label(r), "per": {}, "totaal": 0})
            groep["per"][r["zorgniveau_id"]] = groep["per"].get(r["zorgniveau_id"], 0) + r["n"]
            groep["totaal"] += r["n"]
        uit = sorted(groepen.values(), key=lambda g: str(g["naam"]))
        for g in uit:
            g["cellen"] = [(pk, g["per"].get(pk, 0)) for pk, _n in kolommen]
        return uit

    c["per_afdeling"] = tabel("afdeling_id_nu", lambda r: r["afdelingnaam"])
    c["per_leerjaar"] = sorted(
        tabel("leerjaar_nu", lambda r: r["leerjaar_nu"]), key=lambda g: g["sleutel"]
    )
    totalen = _per(rijen, "zorgniveau_id")
    maximum = max(list(totalen.values()) + [1])
    c["niveau_totalen"] = [
        (pk, niveau, totalen.get(pk, 0), round(100 * totalen.get(pk, 0) / maximum)) for pk, niveau in kolommen
    ]

    caseload = list(
        huidige_leerlingen(stand).filter(case_manager__isnull=False).order_by()
        .values("case_manager_id", "case_manager__first_name", "case_manager__last_name")
        .annotate(n=Count("id")).order_by("-n", "case_manager__last_name")
    ) if stand.schooljaar else []
    grootste = max([r["n"] for r in caseload] + [1])
    for rij in caseload:
        rij["naam"] = " ".join(p for p in (rij["case_manager__first_name"], rij["case_manager__last_name"]) if p)
        rij["procent"] = round(100 * rij["n"] / grootste)
    c["caseload"] = caseload

    standen = {"gehouden": 0, "gepland": 0, "niet": 0}
    for status, n in (
        klassen_met_groepsbespreking(stand).order_by().values_list("bespreking_status").annotate(n=Count("id"))
    ):
        standen[{Bespreking.Status.GEHOUDEN: "gehouden", Bespreking.Status.GEPLAND: "gepland"}.get(status, "niet")] += n
    c["groepsbesprekingen"] = standen
    c["klassen"] = sum(standen.values())
    c["verloop"] = verloop(stand, niveaus)
    return c


# --- The chart: pupils per zorgniveau per month over the schooljaar ----------------------------------------


def _peildata(stand):
    """The last day of each month of the schooljaar up to today (today for the current month)."""
    if stand.schooljaar is None:
        return []
    data = []
    jaar, maand = stand.schooljaar.begin.year, stand.schooljaar.begin.month
    laatste = min(stand.op, stand.schooljaar.einde)
    while datetime.date(jaar, maand, 1) <= laatste:
        einde = datetime.date(jaar, maand, calendar.monthrange(jaar, maand)[1])
        data.append(min(einde, laatste))
        jaar, maand = (jaar + 1, 1) if maand == 12 else (jaar, maand + 1)
    return data


def niveaus_op(stand, peildata, eerste_niveau):
    """{peildatum: {niveau_id: n}} for the pupils placed in this schooljaar and enrolled on that
    date. A pupil's level on a date is the naar_niveau of their latest zorgniveau-besluit on or
    before it; before their first besluit it is that besluit's van_niveau (else the route's first
    level); a pupil without any besluit is counted at their current level (else the first)."""
    # Unordered: the model's name ordering would make DISTINCT sort by name.
    leerlingen = list(
        Leerling.objects.filter(school=stand.school, plaatsingen__klas__schooljaar=stand.schooljaar)
        .distinct().order_by().values_list("id", "zorgniveau_id", "instroomdatum", "uitstroomdatum")
    )
    besluiten = {}
    # The decisions of all the school's pupils (those not placed this year are not looked up below), read
    # through the pupil index: a list of 1,500 literal ids, or a subquery of the placed pupils, let the
    # planner read every school's decisions instead.
    for leerling_id, datum, van, naar in (
        Dossieritem.objects.filter(
            leerling_van_school("leerling_id", stand.school), soort=Dossieritem.Soort.ZORGNIVEAU,
            naar_niveau__isnull=False,
        ).order_by("leerling_id", "datum", "pk").values_list("leerling_id", "datum", "van_niveau_id", "naar_niveau_id")
    ):
        besluiten.setdefault(leerling_id, []).append((datum, van, naar))
    uit = {d: {} for d in peildata}
    for leerling_id, huidig, instroom, uitstroom in leerlingen:
        eigen = besluiten.get(leerling_id)
        for d in peildata:
            if (instroom and instroom > d) or (uitstroom and uitstroom < d):
                continue
            if not eigen:
                niveau = huidig or eerste_niveau
            else:
                eerder = [naar for datum, _van, naar in eigen if datum <= d]
                niveau = eerder[-1] if eerder else (eigen[0][1] or eerste_niveau)
            uit[d][niveau] = uit[d].get(niveau, 0) + 1
    return uit


def verloop(stand, niveaus):
    """The chart's data: one stacked column per month, as SVG coordinates (no inline styles)."""
    peildata = _peildata(stand)
    if not peildata or not niveaus:
        return None
    per_datum = niveaus_op(stand, peildata, niveaus[0].pk)
    hoogte, breedte, marge = 160, 36, 12
    hoogste = max([sum(v.values()) for v in per_datum.values()] + [1])
    kolommen = []
    for i, d in enumerate(peildata):
        y = hoogte
        segmenten = []
        for niveau in niveaus:
            n = per_datum[d].get(niveau.pk, 0)
            h = round(hoogte * n / hoogste, 1)
            y = round(y - h, 1)
            # Strings, so the template never localises the decimal point into a comma.
            segmenten.append({"niveau": niveau, "n": n, "y": f"{y:.1f}", "h": f"{h:.1f}"})
        geen = per_datum[d].get(None, 0)
        kolommen.append({
            "datum": d, "x": marge + i * (breedte + marge), "breedte": breedte, "segmenten": segmenten,
            "zonder": geen, "totaal": sum(per_datum[d].values()),
            "label": date_format(d, "M"),
        })
    return {
        "kolommen": kolommen, "niveaus": niveaus, "hoogte": hoogte, "tekst_y": hoogte + 16,
        "breedte": marge + len(peildata) * (breedte + marge), "svg_hoogte": hoogte + 24, "hoogste": hoogste,
    }


# --- The lists behind the figures --------------------------------------------------------------------------


class FilterFout(ValueError):
    pass


def _int(waarde):
    try:
        return int(waarde)
    except (TypeError, ValueError):
        raise FilterFout(_("Onbekende waarde in het filter: %(waarde)s") % {"waarde": waarde}) from None


def lijst(naam, stand, params):
    """The rows behind one figure: (rows, filter description). Raises KeyError for an unknown
    list and FilterFout for an unusable filter value."""
    filters = []
    if naam == "aanmeldingen":
        rijen = met_klas(wachtende_aanmeldingen(stand), stand.schooljaar).select_related(
            "leerling", "aangemeld_door").order_by("aangemeld_op", "pk")
    elif naam == "besprekingen":
        rijen = besprekingen_deze_week(stand).select_related("voorzitter", "klas").order_by("begin", "pk")
    elif naam == "evaluaties":
        plannen = list(
            met_klas(handelingsplannen_te_laat(stand), stand.schooljaar)
            .select_related("leerling", "auteur").order_by("evaluatiedatum", "pk")
        )
        for plan in plannen:
            plan.dagen_te_laat = (stand.op - plan.evaluatiedatum).days
            plan.soort_rij = "handelingsplan"
        groepsplannen = list(groepsplannen_te_laat(stand).select_related("klas", "periode").order_by(
            "periode__einde", "klas__naam"))
        for plan in groepsplannen:
            plan.dagen_te_laat = (stand.op - plan.periode.einde).days
            plan.soort_rij = "groepsplan"
        rijen = plannen + groepsplannen
    elif naam == "verwijzingen":
        rijen = list(met_klas(verwijzingen_zonder_terugkoppeling(stand), stand.schooljaar).select_related(
            "leerling", "instelling").order_by("aangemeld_op", "pk"))
        for v in rijen:
            v.weken = (stand.op - v.aangemeld_op).days // 7
    elif naam == "afspraken":
        basis = afspraken_te_laat(stand)
        if params.get("eigenaar"):
            basis = basis.filter(eigenaar_id=_int(params["eigenaar"]))
        rijen = list(met_klas(basis, stand.schooljaar).select_related(
            "bespreking__klas", "agendapunt", "leerling", "eigenaar", "instelling").order_by("uiterlijk", "pk"))
        if params.get("eigenaar"):
            # The name comes from the rows: no names of users outside the list are revealed.
            filters.append(_("eigenaar: %(naam)s") % {"naam": rijen[0].eigenaar.naam if rijen else "?"})
    elif naam == "leerlingen":
        basis = huidige_leerlingen(stand).select_related("zorgniveau", "case_manager")
        if "niveau" in params:
            if params["niveau"] == "geen":
                basis = basis.filter(zorgniveau__isnull=True)
                filters.append(_("zonder zorgniveau"))
            else:
                basis = basis.filter(zorgniveau_id=_int(params["niveau"]))
                niveau = next((n for n in zorgroutes.niveaus_van(stand.school) if n.pk == _int(params["niveau"])), None)
                tekst = f"{niveau.code} {niveau.naam}" if niveau else "?"
                filters.append(_("zorgniveau %(niveau)s") % {"niveau": tekst})
        if "afdeling" in params:
            basis = basis.filter(afdeling_id_nu=_int(params["afdeling"]))
            afdeling = Afdeling.objects.filter(pk=_int(params["afdeling"]), school=stand.school).first()
            filters.append(_("afdeling %(naam)s") % {"naam": afdeling.naam if afdeling else "?"})
        if "leerjaar" in params:
            basis = basis.filter(leerjaar_nu=_int(params["leerjaar"]))
            filters.append(_("leerjaar %(n)s") % {"n": _int(params["leerjaar"])})
        if "case_manager" in params:
            basis = basis.filter(case_manager_id=_int(params["case_manager"]))
        rijen = list(basis.order_by("klasnaam", "achternaam", "voornaam", "pk"))
        if "case_manager" in params:
            filters.append(_("case-manager %(naam)s") % {"naam": rijen[0].case_manager.naam if rijen else "?"})
    elif naam == "groepsbesprekingen":
        basis = klassen_met_groepsbespreking(stand)
        stand_naam = params.get("stand", "")
        if stand_naam:
            if stand_naam not in STANDEN:
                raise FilterFout(_("Onbekende waarde in het filter: %(waarde)s") % {"waarde": stand_naam})
            basis = basis.filter(_stand_filter(stand_naam))
            filters.append(STANDEN[stand_naam])
        rijen = list(basis.select_related("afdeling").order_by("afdeling__naam", "naam"))
        for klas in rijen:
            klas.stand = {Bespreking.Status.GEHOUDEN: "gehouden", Bespreking.Status.GEPLAND: "gepland"}.get(
                klas.bespreking_status, "niet")
            klas.stand_label = STANDEN[klas.stand]
    else:
        raise KeyError(naam)
    return rijen, filters


def met_afspraakdetails(rijen, stand):
    """Afspraak rows get the display facts of Mijn afspraken (anonymous items never named)."""
    from .afspraken import vul_aan

    return vul_aan(rijen, stand.school, stand.op)


def leerlingen_in(rijen):
    """The pupils named in a list of afspraken (for the inzagelog), anonymous items left out."""
    from .afspraken import is_anoniem

    return {a.leerling for a in rijen if a.leerling_id and not is_anoniem(a)}
