"""Effect van interventies (issue 10): which kinds of intervention worked for which kinds of need.

A *case* is one use of a kind of intervention (Interventiesoort) with a goal that can be
evaluated; four sources give cases:

- a groepsplan row (GroepsplanRij.interventie): result doel_bereikt (ja/deels/nee); start = the
  groepsplan's periode begin, end = geevalueerd_op or the periode's einde; klas = the groepsplan's klas;
- a handelingsplan goal (Doel.interventie): result resultaat; start = the plan's start, end = the
  plan's geevalueerd_op (date) or evaluatiedatum; klas = the pupil's klas in the schooljaar;
- an afspraak (IZO/ZAT decision, arrangement): result resultaat; the kind is the afspraak's
  interventie or else the school's kind with the same arrangement code; start = aangemaakt_op,
  end = geevalueerd_op, afgehandeld_op or (not yet done) uiterlijk; klas via the pupil;
- a dossier interventie (Dossieritem.interventie): result effect (goed / deels / beperkt, geen);
  one date (datum), so no duration.

A case counts in a schooljaar/periode by its end date. Evaluated = a result is recorded. Escalated
afterwards = one of its pupils got an Opschaling that was not afgewezen within ESCALATIE_DAGEN after
the end (or, for a goal, the plan's besluit was opschalen). The figures per kind are computed with
one aggregate query per source (bounded, independent of the data size) and merged in Python.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from besprekingen.models import Afspraak
from leerlingen.models import Dossieritem, Klasplaatsing, Opschaling
from plannen.models import Doel, GroepsplanRij, Handelingsplan

from .kwaliteit import aandeel, deel_van, leerling_van_school, mediaan
from .models import Interventiesoort, Periode
from .templatetags.grafieken import Staaf

ESCALATIE_DAGEN = 182  # "escalated afterwards": an opschaling within half a year after the end
# Every opschaling counts except one that was afgewezen (a withdrawn request still shows the need).
TELT_ALS_OPSCHALING = [s for s in Opschaling.Status.values if s != Opschaling.Status.AFGEWEZEN]
PER_PAGINA = 50

BEHAALD, DEELS, NIET, OPEN = "behaald", "deels", "niet", ""
RESULTAATNAMEN = {
    BEHAALD: _("behaald"), DEELS: _("deels behaald"), NIET: _("niet behaald"), OPEN: _("nog niet geëvalueerd"),
}

GROEPSPLAN, DOEL, AFSPRAAK, DOSSIER = "groepsplan", "handelingsplan", "afspraak", "dossier"
BRONNAMEN = {
    GROEPSPLAN: _("groepsplan"), DOEL: _("handelingsplan"), AFSPRAAK: _("afspraak (bespreking)"),
    DOSSIER: _("dossier"),
}


def _resultaat(veld, behaald, deels, niet):
    """The source's own result values mapped onto behaald / deels / niet / '' (not evaluated)."""
    return Case(
        When(**{f"{veld}__in": behaald}, then=Value(BEHAALD)),
        When(**{f"{veld}__in": deels}, then=Value(DEELS)),
        When(**{f"{veld}__in": niet}, then=Value(NIET)),
        default=Value(OPEN), output_field=CharField(),
    )


def _na(datum_ref):
    return ExpressionWrapper(datum_ref + Value(ESCALATIE_DAGEN), output_field=DateField())


def _opschaling_na(leerling_ref):
    """Exists: the pupil got an opschaling (not afgewezen) within ESCALATIE_DAGEN after the end."""
    return Exists(Opschaling.objects.filter(
        leerling_id=leerling_ref, status__in=TELT_ALS_OPSCHALING, aangevraagd_op__date__gte=OuterRef("eind"),
        aangevraagd_op__date__lte=_na(OuterRef("eind")),
    ))


def _klas_van_leerling(schooljaar, leerling_veld, waarde="klas_id"):
    """Subquery: a value of the pupil's klas in the schooljaar (None when not placed)."""
    return Subquery(Klasplaatsing.objects.filter(
        leerling_id=OuterRef(leerling_veld), klas__schooljaar=schooljaar,
    ).order_by("pk").values(waarde)[:1])


def _in_klassen(filters, leerling_veld):
    """Q for a case counted via its pupil: their klas of the schooljaar lies within the filters."""
    if not filters.beperkt:
        return Q()
    return Q(Exists(Klasplaatsing.objects.filter(leerling_id=OuterRef(leerling_veld), klas__in=filters.klassen())))


def _periode(filters, qs):
    return qs.filter(eind__gte=filters.van, eind__lte=filters.tot)


def _groepsplanrijen(filters, soort_ids):
    Leden = GroepsplanRij.leerlingen.through
    qs = GroepsplanRij.objects.filter(
        interventie_id__in=soort_ids, groepsplan__klas__schooljaar__school=filters.school,
    ).exclude(Q(groepsplan__status="concept") & Q(doel_bereikt=""))
    if filters.afdelingen is not None:
        qs = qs.filter(groepsplan__klas__afdeling_id__in=filters.afdelingen)
    if filters.leerjaar:
        qs = qs.filter(groepsplan__klas__leerjaar=filters.leerjaar)
    qs = qs.annotate(
        soort_id=F("interventie_id"),
        begin=F("groepsplan__periode__begin"),
        eind=Coalesce("geevalueerd_op", "groepsplan__periode__einde"),
        res=_resultaat("doel_bereikt", ["ja"], ["deels"], ["nee"]),
    )
    qs = _periode(filters, qs)
    return qs.annotate(opgeschaald=Exists(Leden.objects.filter(
        groepsplanrij_id=OuterRef("pk"),
        leerling__opschalingen__aangevraagd_op__date__gte=OuterRef("eind"),
        leerling__opschalingen__aangevraagd_op__date__lte=_na(OuterRef("eind")),
        leerling__opschalingen__status__in=TELT_ALS_OPSCHALING,
    )))


def _doelen(filters, soort_ids):
    qs = Doel.objects.filter(
        leerling_van_school("handelingsplan__leerling_id", filters.school), interventie_id__in=soort_ids,
    ).exclude(Q(handelingsplan__status=Handelingsplan.Status.CONCEPT) & Q(resultaat=""))
    qs = qs.annotate(
        soort_id=F("interventie_id"),
        begin=F("handelingsplan__start"),
        eind=Coalesce(TruncDate("handelingsplan__geevalueerd_op"), "handelingsplan__evaluatiedatum"),
        res=_resultaat("resultaat", ["behaald"], ["deels"], ["niet"]),
    )
    qs = _periode(filters, qs).filter(_in_klassen(filters, "handelingsplan__leerling_id"))
    return qs.annotate(opgeschaald=ExpressionWrapper(
        Q(handelingsplan__besluit=Handelingsplan.Besluit.OPSCHALEN)
        | Q(_opschaling_na(OuterRef("handelingsplan__leerling_id"))), output_field=BooleanField()))


def _afspraken(filters, soort_ids):
    via_arrangement = Subquery(Interventiesoort.objects.filter(
        school_id=OuterRef("school_id"), arrangement=OuterRef("arrangement"),
    ).exclude(arrangement="").order_by("volgorde", "pk").values("pk")[:1])
    qs = Afspraak.objects.filter(school=filters.school, leerling__isnull=False).filter(
        Q(interventie_id__in=soort_ids) | (Q(interventie__isnull=True) & ~Q(arrangement=""))
    ).exclude(Q(status=Afspraak.Status.VERVALLEN) & Q(resultaat=""))
    qs = qs.annotate(
        soort_id=Coalesce("interventie_id", via_arrangement),
        begin=TruncDate("aangemaakt_op"),
        eind=Coalesce("geevalueerd_op", TruncDate("afgehandeld_op"), "uiterlijk"),
        res=_resultaat("resultaat", ["behaald"], ["deels"], ["niet"]),
    ).filter(soort_id__in=soort_ids)
    qs = _periode(filters, qs).filter(_in_klassen(filters, "leerling_id"))
    return qs.annotate(opgeschaald=_opschaling_na(OuterRef("leerling_id")))


def _dossieritems(filters, soort_ids):
    qs = Dossieritem.objects.filter(
        soort=Dossieritem.Soort.INTERVENTIE, interventie_id__in=soort_ids, leerling__school=filters.school,
    ).annotate(
        soort_id=F("interventie_id"),
        begin=Value(None, output_field=DateField()),
        eind=F("datum"),
        res=_resultaat("effect", ["goed"], ["deels"], ["beperkt", "geen"]),
    )
    qs = _periode(filters, qs).filter(_in_klassen(filters, "leerling_id"))
    return qs.annotate(opgeschaald=_opschaling_na(OuterRef("leerling_id")))


BRONNEN = [(GROEPSPLAN, _groepsplanrijen), (DOEL, _doelen), (AFSPRAAK, _afspraken), (DOSSIER, _dossieritems)]


# --- the figures per kind ---------------------------------------------------------------------


@dataclass
class Soortcijfers:
    soort: Interventiesoort
    ingezet: int = 0
    geevalueerd: int = 0
    behaald: int = 0
    deels: int = 0
    niet: int = 0
    opgeschaald: int = 0
    duren: list = field(default_factory=list)  # days start → end of the behaald cases with a start

    @property
    def aandeel_behaald(self):
        return aandeel(self.behaald, self.geevalueerd)

    @property
    def aandeel_opgeschaald(self):
        return aandeel(self.opgeschaald, self.geevalueerd)

    @property
    def mediaan_dagen(self):
        """Median days to a reached goal, in whole days (None below the minimum number of cases)."""
        m = mediaan(self.duren)
        return None if m is None else math.floor(m + 0.5)

    @property
    def behaald_tekst(self):
        """"67%" or, below the minimum number of cases, "3 van 4"."""
        return _tekst(self.behaald, self.geevalueerd, self.aandeel_behaald)

    @property
    def opgeschaald_tekst(self):
        return _tekst(self.opgeschaald, self.geevalueerd, self.aandeel_opgeschaald)

    @property
    def domein(self):
        return self.soort.get_domein_display() if self.soort.domein else _("overig")


def _tekst(deel, totaal, procent):
    if not totaal:
        return "–"
    if procent is None:
        return deel_van(deel, totaal)
    return f"{procent}%"


def _dagen(duur):
    if duur is None:
        return None
    return duur.days if isinstance(duur, datetime.timedelta) else int(duur)


def cijfers(filters):
    """The figures per kind of intervention (kinds with at least one case), ordered by need and
    the catalogue's order. One query for the school's kinds plus one aggregate query per source."""
    soorten = {s.pk: s for s in Interventiesoort.objects.filter(school=filters.school)}
    if not soorten:
        return []
    ids = list(soorten)  # a literal list: the planner then uses the kind's index on each source
    per_soort = {}
    for _bron, maak in BRONNEN:
        rijen = maak(filters, ids).values("soort_id").annotate(
            n_ingezet=Count("pk"),
            n_geevalueerd=Count("pk", filter=~Q(res=OPEN)),
            n_behaald=Count("pk", filter=Q(res=BEHAALD)),
            n_deels=Count("pk", filter=Q(res=DEELS)),
            n_niet=Count("pk", filter=Q(res=NIET)),
            n_opgeschaald=Count("pk", filter=~Q(res=OPEN) & Q(opgeschaald=True)),
            n_duren=ArrayAgg(F("eind") - F("begin"), filter=Q(res=BEHAALD) & Q(begin__isnull=False)),
        ).order_by()
        for r in rijen:
            totaal = per_soort.setdefault(r["soort_id"], {"ingezet": 0, "geevalueerd": 0, "behaald": 0, "deels": 0,
                                                          "niet": 0, "opgeschaald": 0, "duren": []})
            for sleutel in ("ingezet", "geevalueerd", "behaald", "deels", "niet", "opgeschaald"):
                totaal[sleutel] += r[f"n_{sleutel}"]
            totaal["duren"] += [_dagen(d) for d in r["n_duren"] or [] if d is not None]
    uit = [Soortcijfers(soort=soorten[pk], **cijfers) for pk, cijfers in per_soort.items() if pk in soorten]
    volgorde = {d: i for i, d in enumerate(Dossieritem.Domein.values)}
    uit.sort(key=lambda c: (volgorde.get(c.soort.domein, len(volgorde)), c.soort.volgorde, c.soort.naam))
    return uit


def staven(rijen):
    """The chart: share behaald per kind (no bar below the minimum number of evaluated cases)."""
    return [
        Staaf(c.soort.naam, c.aandeel_behaald,
              _("%(behaald)s van %(totaal)s geëvalueerd behaald") % {"behaald": c.behaald, "totaal": c.geevalueerd})
        for c in rijen if c.geevalueerd
    ]


def kolommen():
    return [
        _("Behoefte (domein)"), _("Soort interventie"), _("Ingezet"), _("Geëvalueerd"), _("Behaald"),
        _("Deels behaald"), _("Niet behaald"), _("Behaald (%)"), _("Mediane duur tot behaald (dagen)"),
        _("Daarna opgeschaald"), _("Daarna opgeschaald (%)"),
    ]


def exportrijen(rijen):
    """Rows for the CSV/XLSX download (percentages empty below the minimum number of cases)."""
    return [
        [str(c.domein), c.soort.naam, c.ingezet, c.geevalueerd, c.behaald, c.deels, c.niet, c.aandeel_behaald,
         c.mediaan_dagen, c.opgeschaald, c.aandeel_opgeschaald]
        for c in rijen
    ]


# --- the cases of one kind (drill-down) --------------------------------------------------------


@dataclass
class Geval:
    bron: str
    pk: int
    eind: datetime.date
    begin: datetime.date | None
    res: str
    opgeschaald: bool
    klas: str | None
    leerling_id: int | None = None
    leerling: str = ""
    doel_pk: int | None = None  # the handelingsplan / groepsplan / bespreking to link to
    periode: str = ""

    @property
    def bronnaam(self):
        return BRONNAMEN[self.bron]

    @property
    def resultaatnaam(self):
        return RESULTAATNAMEN[self.res]

    @property
    def dagen(self):
        return (self.eind - self.begin).days if self.begin else None

    @property
    def link(self):
        """The page of the plan, dossier entry or bespreking (which checks access itself)."""
        if self.bron == GROEPSPLAN:
            return reverse("groepsplan", args=[self.doel_pk])
        if self.bron == DOEL:
            return reverse("handelingsplan", args=[self.doel_pk])
        if self.bron == DOSSIER:
            return reverse("dossier_item", args=[self.leerling_id, self.pk])
        if self.doel_pk:
            return reverse("bespreking", args=[self.doel_pk])
        return reverse("leerling", args=[self.leerling_id])


def _naam(voornaam, tussenvoegsel, achternaam):
    return " ".join(p for p in (voornaam, tussenvoegsel, achternaam) if p)


LEERLING_VELDEN = ("voornaam", "tussenvoegsel", "achternaam")


def gevallen(filters, soort):
    """All cases of one kind within the filters, newest (end date) first. Four queries."""
    jaar = filters.schooljaar
    uit = []
    for r in _groepsplanrijen(filters, [soort.pk]).values(
            "pk", "eind", "begin", "res", "opgeschaald", "groepsplan_id", "groepsplan__klas__naam"):
        uit.append(Geval(GROEPSPLAN, r["pk"], r["eind"], r["begin"], r["res"], r["opgeschaald"],
                         r["groepsplan__klas__naam"], doel_pk=r["groepsplan_id"]))
    bronnen = [
        (DOEL, _doelen(filters, [soort.pk]), "handelingsplan__leerling", "handelingsplan_id"),
        (AFSPRAAK, _afspraken(filters, [soort.pk]), "leerling", "bespreking_id"),
        (DOSSIER, _dossieritems(filters, [soort.pk]), "leerling", None),
    ]
    for bron, qs, leerling, doel in bronnen:
        velden = ["pk", "eind", "begin", "res", "opgeschaald", "klasnaam", f"{leerling}_id"]
        velden += [f"{leerling}__{v}" for v in LEERLING_VELDEN] + ([doel] if doel else [])
        qs = qs.annotate(klasnaam=_klas_van_leerling(jaar, f"{leerling}_id", "klas__naam"))
        for r in qs.values(*velden):
            uit.append(Geval(bron, r["pk"], r["eind"], r["begin"], r["res"], r["opgeschaald"], r["klasnaam"],
                             leerling_id=r[f"{leerling}_id"],
                             leerling=_naam(*(r[f"{leerling}__{v}"] for v in LEERLING_VELDEN)),
                             doel_pk=r[doel] if doel else None))
    uit.sort(key=lambda g: (g.eind, g.bron, g.pk), reverse=True)
    return uit


def pagina(filters, soort, nummer):
    """One page of the kind's cases; names of groepsplan rows' pupils and the periode filled in
    for that page only (two more queries)."""
    pagina = Paginator(gevallen(filters, soort), PER_PAGINA).get_page(nummer)
    rijen = [g.pk for g in pagina.object_list if g.bron == GROEPSPLAN]
    if rijen:
        Leden = GroepsplanRij.leerlingen.through
        namen = {}
        for r in Leden.objects.filter(groepsplanrij_id__in=rijen).order_by(
                "leerling__achternaam", "leerling__voornaam").values(
                "groepsplanrij_id", *(f"leerling__{v}" for v in LEERLING_VELDEN)):
            namen.setdefault(r["groepsplanrij_id"], []).append(_naam(*(r[f"leerling__{v}"] for v in LEERLING_VELDEN)))
        for g in pagina.object_list:
            if g.bron == GROEPSPLAN:
                g.leerling = ", ".join(namen.get(g.pk, []))
    perioden = list(Periode.objects.filter(schooljaar=filters.schooljaar).order_by("begin"))
    for g in pagina.object_list:
        periode = next((p for p in perioden if p.begin <= g.eind <= p.einde), None)
        g.periode = f"{filters.schooljaar.naam} {periode}" if periode else filters.schooljaar.naam
    return pagina
