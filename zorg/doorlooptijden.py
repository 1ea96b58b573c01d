"""Route lead times (doorlooptijden): the indicators an inspectie asks about.

- wait between an aanmelding and the bespreking where it was discussed (the aanmelding's
  agendapunt; discussed = the agendapunt is marked besproken or the bespreking was held);
- wait between the decision to refer (the verwijzing's agendapunt's bespreking, else the
  verwijzing's aangemeld_op) and the start of the external help (gestart_op);
- evaluations on time: handelingsplannen with an evaluatiedatum in the range, evaluated no later
  than evaluatiedatum + HANDELINGSPLAN_MARGE days; groepsplan rows of the periods ending in the
  range, evaluated (doel_bereikt set) no later than the periode's einde + GROEPSPLAN_MARGE days;
- groepsbesprekingen held per periode against the number of klassen in scope.

Cases that are still waiting are counted apart ("wacht nog") and never in a median. Each
indicator costs one query, whatever the size of the school; the rows fetched are dates only.
"""

import datetime
import statistics
from dataclasses import asdict, dataclass

from django.db.models import BooleanField, Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from besprekingen.models import Aanmelding, Bespreking
from extern.models import Verwijzing
from leerlingen.models import Klasplaatsing
from plannen.models import Groepsplan, GroepsplanRij, Handelingsplan

from .kwaliteit import MIN_AANTAL, aandeel, deel_van, leerling_van_school, mediaan

HANDELINGSPLAN_MARGE = 7  # days of grace after a handelingsplan's evaluatiedatum
GROEPSPLAN_MARGE = 14  # days after the periode's einde for evaluating a groepsplan's rows
NA_CONCEPT = [s for s in Handelingsplan.Status.values if s != Handelingsplan.Status.CONCEPT]


def _rond(waarde):
    """Days as shown: 7 rather than 7.0, else one decimal."""
    if waarde is None:
        return None
    waarde = round(float(waarde), 1)
    return int(waarde) if waarde.is_integer() else waarde


def p90(waarden):
    """The 90th percentile (None below MIN_AANTAL values, like the median)."""
    waarden = sorted(w for w in waarden if w is not None)
    if len(waarden) < MIN_AANTAL:
        return None
    return _rond(statistics.quantiles(waarden, n=10, method="inclusive")[-1])


@dataclass
class Wachttijd:
    """A waiting-time indicator: n cases with a known wait, median and p90 in days, and the
    cases still waiting."""

    sleutel: str
    label: str
    n: int
    mediaan: float | None
    p90: float | None
    wacht_nog: int

    def als_dict(self):
        return asdict(self)


@dataclass
class OpTijd:
    """An on-time indicator: of `totaal` evaluations due, `op_tijd` on time, `te_laat` late
    (evaluated late or not at all while the deadline passed); `wacht_nog` not yet due."""

    sleutel: str
    label: str
    totaal: int
    op_tijd: int
    te_laat: int
    wacht_nog: int

    @property
    def aandeel(self):
        return aandeel(self.op_tijd, self.totaal)

    def als_dict(self):
        return {**asdict(self), "aandeel": self.aandeel}


def _lokale_datum(moment):
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _in_scope(filters, leerling_veld="leerling"):
    """An Exists() condition: the pupil is placed in a klas within the filters (None: no limit)."""
    if not filters.beperkt:
        return None
    return Exists(Klasplaatsing.objects.filter(leerling=OuterRef(leerling_veld), klas__in=filters.klassen()))


def _beperk(qs, filters, leerling_veld="leerling"):
    conditie = _in_scope(filters, leerling_veld)
    return qs if conditie is None else qs.filter(conditie)


def aanmelding_tot_bespreking(filters):
    """Aanmeldingen made in the range: days from aangemeld_op to the bespreking that discussed it."""
    qs = Aanmelding.objects.filter(
        school=filters.school, aangemeld_op__date__gte=filters.van, aangemeld_op__date__lte=filters.tot,
    ).exclude(status=Aanmelding.Status.INGETROKKEN)
    qs = _beperk(qs, filters)
    besproken = Q(agendapunt__besproken=True) | Q(agendapunt__bespreking__status=Bespreking.Status.GEHOUDEN)
    dagen, wacht = [], 0
    for aangemeld, besproken_op, is_besproken, status in qs.annotate(
        is_besproken=ExpressionWrapper(besproken, output_field=BooleanField()),
    ).values_list("aangemeld_op", "agendapunt__bespreking__begin", "is_besproken", "status"):
        if is_besproken and besproken_op:
            dagen.append(max(0, (_lokale_datum(besproken_op) - _lokale_datum(aangemeld)).days))
        elif status in Aanmelding.OPEN:
            wacht += 1
    return Wachttijd("aanmelding", _("Van aanmelding tot bespreking"), len(dagen), _rond(mediaan(dagen)),
                     p90(dagen), wacht)


def verwijzing_tot_start(filters):
    """Referrals decided in the range: days from the decision to the start of the external help."""
    qs = Verwijzing.objects.filter(school=filters.school).filter(
        Q(agendapunt__bespreking__begin__date__gte=filters.van, agendapunt__bespreking__begin__date__lte=filters.tot)
        | Q(agendapunt__isnull=True, aangemeld_op__gte=filters.van, aangemeld_op__lte=filters.tot)
        | Q(agendapunt__isnull=False, agendapunt__bespreking__isnull=True, aangemeld_op__gte=filters.van,
            aangemeld_op__lte=filters.tot)
    )
    qs = _beperk(qs, filters)
    dagen, wacht = [], 0
    for besluit, aangemeld, gestart, status in qs.values_list(
        "agendapunt__bespreking__begin", "aangemeld_op", "gestart_op", "status",
    ):
        beslist = _lokale_datum(besluit) if besluit else aangemeld
        if gestart:
            dagen.append(max(0, (gestart - beslist).days))
        elif status in (Verwijzing.Status.AANGEMELD, Verwijzing.Status.WACHTLIJST, Verwijzing.Status.BEVESTIGD):
            wacht += 1
    return Wachttijd("verwijzing", _("Van besluit tot verwijzen tot start externe hulp"), len(dagen),
                     _rond(mediaan(dagen)), p90(dagen), wacht)


def handelingsplannen_op_tijd(filters, vandaag=None):
    vandaag = vandaag or timezone.localdate()
    grens = vandaag - datetime.timedelta(days=HANDELINGSPLAN_MARGE)
    # Only the school's plans (read through the pupil index, see leerling_van_school), and past
    # concept as a list of statuses: a join on the pupil's school scanned every school's plans.
    qs = Handelingsplan.objects.filter(
        leerling_van_school("leerling_id", filters.school), evaluatiedatum__gte=filters.van,
        evaluatiedatum__lte=filters.tot, status__in=NA_CONCEPT,
    )
    qs = _beperk(qs, filters)
    # geevalueerd_op is a moment; the plan was on time when its local date (TruncDate: the active
    # time zone, as timezone.localtime) is at most evaluatiedatum + marge. Counted in SQL.
    uiterst = ExpressionWrapper(F("evaluatiedatum") + Value(HANDELINGSPLAN_MARGE), output_field=DateField())
    datum = TruncDate("geevalueerd_op")
    op_tijd_q = Q(geevalueerd_op__isnull=False) & Q(LessThanOrEqual(datum, uiterst))
    te_laat_q = Q(geevalueerd_op__isnull=False) & Q(GreaterThan(datum, uiterst))
    tellingen = qs.aggregate(
        op_tijd=Count("pk", filter=op_tijd_q),
        te_laat=Count("pk", filter=te_laat_q | Q(geevalueerd_op__isnull=True, evaluatiedatum__lt=grens)),
        wacht=Count("pk", filter=Q(geevalueerd_op__isnull=True, evaluatiedatum__gte=grens)),
    )
    op_tijd, te_laat, wacht = tellingen["op_tijd"], tellingen["te_laat"], tellingen["wacht"]
    return OpTijd("handelingsplannen", _("Handelingsplannen op tijd geëvalueerd"), op_tijd + te_laat, op_tijd,
                  te_laat, wacht)


def groepsplannen_op_tijd(filters, vandaag=None):
    """Groepsplan rows of the periodes ending in the range (plans past concept). Evaluated on time:
    doel_bereikt set and geevalueerd_op at most periode einde + marge (a row evaluated without a
    recorded date counts as on time: older rows have none)."""
    vandaag = vandaag or timezone.localdate()
    marge = datetime.timedelta(days=GROEPSPLAN_MARGE)
    plannen = Groepsplan.objects.filter(
        klas__in=filters.klassen(), periode__einde__gte=filters.van, periode__einde__lte=filters.tot,
    ).exclude(status=Groepsplan.Status.CONCEPT)
    # One aggregate per periode einde (a handful of rows), counted in SQL.
    rijen = (
        GroepsplanRij.objects.filter(groepsplan__in=plannen)
        .values("groepsplan__periode__einde")
        .annotate(
            geevalueerd=Count("pk", filter=~Q(doel_bereikt="")),
            zonder_datum=Count("pk", filter=~Q(doel_bereikt="") & Q(geevalueerd_op__isnull=True)),
            totaal=Count("pk"),
        )
        .order_by()
    )
    op_tijd = te_laat = wacht = 0
    per_einde = {r["groepsplan__periode__einde"]: r for r in rijen}
    # On time per einde compares two dates: grouped by (einde, evaluation date), still a few rows.
    binnen = {}
    for r in (
        GroepsplanRij.objects.filter(groepsplan__in=plannen, geevalueerd_op__isnull=False).exclude(doel_bereikt="")
        .values("groepsplan__periode__einde", "geevalueerd_op").annotate(n=Count("pk")).order_by()
    ):
        einde = r["groepsplan__periode__einde"]
        if r["geevalueerd_op"] <= einde + marge:
            binnen[einde] = binnen.get(einde, 0) + r["n"]
    for einde, r in per_einde.items():
        goed = binnen.get(einde, 0) + r["zonder_datum"]
        open_ = r["totaal"] - r["geevalueerd"]
        op_tijd += goed
        te_laat += r["geevalueerd"] - goed
        if einde + marge < vandaag:
            te_laat += open_
        else:
            wacht += open_
    return OpTijd("groepsplannen", _("Groepsplanrijen op tijd geëvalueerd"), op_tijd + te_laat, op_tijd, te_laat,
                  wacht)


@dataclass
class Groepsbesprekingen:
    periode: str
    klassen: int
    gehouden: int
    gepland: int
    nog_niet: bool = False  # the periode has not started yet: nothing to hold

    @property
    def aandeel(self):
        return None if self.nog_niet else aandeel(self.gehouden, self.klassen)

    def als_dict(self):
        return {**asdict(self), "aandeel": self.aandeel}


def groepsbesprekingen(filters, vandaag=None):
    """Per periode (the chosen one, or all of the schooljaar): klassen in scope, how many had
    their groepsbespreking held and how many are still planned. A periode that has not started
    yet gets no share (it is not 0% held)."""
    vandaag = vandaag or timezone.localdate()
    perioden = [filters.periode] if filters.periode else list(filters.schooljaar.perioden.order_by("nummer"))
    klassen = filters.klassen()
    aantal_klassen = klassen.count()
    telling = {
        r["periode"]: r
        for r in Bespreking.objects.filter(
            school=filters.school, soort=Bespreking.Soort.GROEPSBESPREKING, klas__in=klassen,
            periode__in=perioden,
        ).values("periode").annotate(
            gehouden=Count("klas", distinct=True, filter=Q(status=Bespreking.Status.GEHOUDEN)),
            gepland=Count("klas", distinct=True, filter=Q(status=Bespreking.Status.GEPLAND)),
        ).order_by()
    }
    return [
        Groepsbesprekingen(str(p), aantal_klassen, telling.get(p.pk, {}).get("gehouden", 0),
                           telling.get(p.pk, {}).get("gepland", 0), nog_niet=p.begin > vandaag)
        for p in perioden
    ]


@dataclass
class Doorlooptijden:
    wachttijden: list
    evaluaties: list
    groepsbesprekingen: list

    def als_dict(self):
        return {
            "wachttijden": [w.als_dict() for w in self.wachttijden],
            "evaluaties": [e.als_dict() for e in self.evaluaties],
            "groepsbesprekingen": [g.als_dict() for g in self.groepsbesprekingen],
        }


def bereken(filters, vandaag=None):
    return Doorlooptijden(
        wachttijden=[aanmelding_tot_bespreking(filters), verwijzing_tot_start(filters)],
        evaluaties=[handelingsplannen_op_tijd(filters, vandaag), groepsplannen_op_tijd(filters, vandaag)],
        groepsbesprekingen=groepsbesprekingen(filters, vandaag),
    )


def tabel(d):
    """Columns and rows of the export (and the page's table), from a Doorlooptijden.als_dict()."""
    kolommen = [_("Indicator"), _("Aantal"), _("Mediaan (dagen)"), _("P90 (dagen)"), _("Op tijd"),
                _("Op tijd (%)"), _("Wacht nog")]
    rijen = []
    for w in d["wachttijden"]:
        rijen.append([w["label"], w["n"], w["mediaan"], w["p90"], None, None, w["wacht_nog"]])
    for e in d["evaluaties"]:
        rijen.append([e["label"], e["totaal"], None, None, e["op_tijd"], e["aandeel"], e["wacht_nog"]])
    for g in d["groepsbesprekingen"]:
        rijen.append([_("Groepsbesprekingen gehouden, %(periode)s") % {"periode": g["periode"]}, g["klassen"], None,
                      None, g["gehouden"], g["aandeel"], g["gepland"]])
    return kolommen, rijen


def staven(d):
    """The charts' bars from a Doorlooptijden.als_dict(): waits (median days), evaluations on time
    (%) and groepsbesprekingen held (%)."""
    from .templatetags.grafieken import Staaf

    return {
        "wachttijden": [
            Staaf(w["label"], w["mediaan"], _("%(n)s gevallen, p90 %(p90)s dagen, wacht nog: %(wacht)s") % {
                "n": w["n"], "p90": "–" if w["p90"] is None else w["p90"], "wacht": w["wacht_nog"]})
            for w in d["wachttijden"]
        ],
        "evaluaties": [Staaf(e["label"], e["aandeel"], deel_van(e["op_tijd"], e["totaal"])) for e in d["evaluaties"]],
        "groepsbesprekingen": [
            Staaf(str(g["periode"]), g["aandeel"],
                  _("nog niet begonnen") if g.get("nog_niet") else deel_van(g["gehouden"], g["klassen"]))
            for g in d["groepsbesprekingen"]
        ],
    }
