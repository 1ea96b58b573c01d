"""The jaarverslag leerlingenzorg: the figures of one schooljaar for the whole school, the
school's own conclusions, and a comparison with up to three earlier schooljaren.

The figures are a plain JSON-able dict (`bereken`): the page, the PDF and the export all render
that dict, so a vastgesteld jaarverslag shows exactly the figures frozen in `Jaarverslag.cijfers`
and later changes in the data never alter it. No pupil names: only counts.

Where the figures come from:
- pupils per zorgniveau at the start and the end of the year (the end: today while the year
  runs) by the dashboard's rule (`besprekingen.dashboard.niveaus_op`: the latest zorgniveau
  Dossieritem on or before the date); moves up/down are the year's zorgniveau Dossieritems whose
  naar_niveau is higher/lower in the route than their van_niveau;
- handelingsplannen made (start in the year, past concept) and evaluated (geevalueerd_op in the
  year); groepsplannen made (periode of the year) and evaluated (status geëvalueerd);
- the doorlooptijden of the year (zorg.doorlooptijden);
- referrals made in the year (aangemeld_op) per instelling and status;
- care hours: the sum of Afspraak.zorguren for afspraken due in the year, per intervention kind
  (the catalogue's naam, else the arrangement); "niet bijgehouden" when no hours were recorded;
- a short effect summary per kind of intervention from zorg.effect (share of goals behaald).
"""

import datetime
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from besprekingen.dashboard import niveaus_op
from besprekingen.models import Afspraak
from extern.models import Verwijzing
from leerlingen.models import Dossieritem
from plannen.models import Groepsplan, Handelingsplan

from . import doorlooptijden, zorgroutes
from .kwaliteit import Filters, leerling_van_school
from .models import Jaarverslag, Schooljaar

VERGELIJK_JAREN = 3
FORMAAT = 1  # the layout version of the frozen `cijfers` dict


class Vastgesteld(Exception):
    """The jaarverslag is vastgesteld: reopen it first."""


def jaarverslag_van(schooljaar):
    """The Jaarverslag of a schooljaar, or None when nobody wrote or fixed one yet."""
    return Jaarverslag.objects.filter(schooljaar=schooljaar).first()


def _peildata(schooljaar, vandaag):
    return schooljaar.begin, min(schooljaar.einde, max(vandaag, schooljaar.begin))


def zorgniveaus(school, schooljaar, vandaag, niveaus=None):
    """`niveaus`: the school's route levels when the caller has them (several years at once)."""
    niveaus = zorgroutes.niveaus_van(school) if niveaus is None else niveaus
    begin, einde = _peildata(schooljaar, vandaag)
    stand = SimpleNamespace(school=school, schooljaar=schooljaar)  # what niveaus_op reads of a Stand
    per_datum = niveaus_op(stand, [begin, einde], niveaus[0].pk if niveaus else None)
    rijen = [
        {"code": n.code, "naam": n.naam, "begin": per_datum[begin].get(n.pk, 0), "einde": per_datum[einde].get(n.pk, 0)}
        for n in niveaus
    ]
    if per_datum[begin].get(None) or per_datum[einde].get(None):
        rijen.append({"code": "", "naam": _("zonder zorgniveau"), "begin": per_datum[begin].get(None, 0),
                      "einde": per_datum[einde].get(None, 0)})
    bewegingen = Dossieritem.objects.filter(
        leerling_van_school("leerling_id", school), soort=Dossieritem.Soort.ZORGNIVEAU, datum__gte=schooljaar.begin,
        datum__lte=schooljaar.einde, van_niveau__isnull=False, naar_niveau__isnull=False,
    ).aggregate(
        omhoog=Count("pk", filter=Q(naar_niveau__volgorde__gt=F("van_niveau__volgorde"))),
        omlaag=Count("pk", filter=Q(naar_niveau__volgorde__lt=F("van_niveau__volgorde"))),
    )
    return {"peildatum_begin": begin.isoformat(), "peildatum_einde": einde.isoformat(), "rijen": rijen,
            "totaal_begin": sum(r["begin"] for r in rijen), "totaal_einde": sum(r["einde"] for r in rijen),
            **bewegingen}


def plannen(school, schooljaar):
    hp = Handelingsplan.objects.filter(leerling_van_school("leerling_id", school)).aggregate(
        gemaakt=Count("pk", filter=Q(start__gte=schooljaar.begin, start__lte=schooljaar.einde)
                      & ~Q(status=Handelingsplan.Status.CONCEPT)),
        geevalueerd=Count("pk", filter=Q(geevalueerd_op__date__gte=schooljaar.begin,
                                         geevalueerd_op__date__lte=schooljaar.einde)),
    )
    gp = Groepsplan.objects.filter(periode__schooljaar=schooljaar, klas__schooljaar__school=school).aggregate(
        gemaakt=Count("pk", filter=~Q(status=Groepsplan.Status.CONCEPT)),
        geevalueerd=Count("pk", filter=Q(status=Groepsplan.Status.GEEVALUEERD)),
    )
    return {"handelingsplannen_gemaakt": hp["gemaakt"], "handelingsplannen_geevalueerd": hp["geevalueerd"],
            "groepsplannen_gemaakt": gp["gemaakt"], "groepsplannen_geevalueerd": gp["geevalueerd"]}


def verwijzingen(school, schooljaar):
    statussen = list(Verwijzing.Status.choices)
    per = {}
    for r in (
        Verwijzing.objects.filter(school=school, aangemeld_op__gte=schooljaar.begin, aangemeld_op__lte=schooljaar.einde)
        .values("instelling__naam", "status").annotate(n=Count("pk")).order_by()
    ):
        rij = per.setdefault(r["instelling__naam"], {"instelling": r["instelling__naam"], "totaal": 0,
                                                     "per_status": {code: 0 for code, _label in statussen}})
        rij["per_status"][r["status"]] = rij["per_status"].get(r["status"], 0) + r["n"]
        rij["totaal"] += r["n"]
    rijen = sorted(per.values(), key=lambda r: (-r["totaal"], r["instelling"].lower()))
    for rij in rijen:
        rij["aantallen"] = [rij["per_status"][code] for code, _label in statussen]
    return {"statussen": [[code, str(label)] for code, label in statussen], "rijen": rijen,
            "totaal": sum(r["totaal"] for r in rijen)}


def zorguren(school, schooljaar):
    labels = dict(Afspraak.Arrangement.choices)
    per = {}
    for r in (
        Afspraak.objects.filter(school=school, uiterlijk__gte=schooljaar.begin, uiterlijk__lte=schooljaar.einde)
        .exclude(interventie__isnull=True, arrangement="")
        .values("interventie__naam", "arrangement")
        .annotate(afspraken=Count("pk"), met_uren=Count("zorguren"), uren=Sum("zorguren")).order_by()
    ):
        soort = r["interventie__naam"] or str(labels.get(r["arrangement"], r["arrangement"]))
        rij = per.setdefault(soort, {"soort": soort, "afspraken": 0, "met_uren": 0, "uren": 0.0})
        rij["afspraken"] += r["afspraken"]
        rij["met_uren"] += r["met_uren"]
        rij["uren"] += float(r["uren"] or 0)
    rijen = sorted(per.values(), key=lambda r: (-r["uren"], r["soort"].lower()))
    bijgehouden = any(r["met_uren"] for r in rijen)
    return {"bijgehouden": bijgehouden, "rijen": rijen if bijgehouden else [],
            "totaal": round(sum(r["uren"] for r in rijen), 1)}


def effect_samenvatting(filters):
    """A short summary of zorg.effect (the effect of interventions, written alongside): per kind
    of intervention with evaluated cases, the share behaald ("3 van 4" below 5 cases), as a
    JSON-able list of {"label", "waarde", "toelichting"}. If zorg.effect offers
    `jaarverslag_samenvatting(filters)` that is used instead. None without zorg.effect."""
    try:
        from . import effect
    except ImportError:
        return None
    eigen = getattr(effect, "jaarverslag_samenvatting", None)
    if eigen is not None:
        return [{"label": str(r["label"]), "waarde": r.get("waarde"), "toelichting": str(r.get("toelichting", ""))}
                for r in eigen(filters)]
    if not hasattr(effect, "cijfers"):
        return None
    return [
        {"label": f"{c.soort.naam} ({c.domein})", "waarde": str(c.behaald_tekst),
         "toelichting": _("%(ingezet)s keer ingezet, %(geevalueerd)s geëvalueerd, daarna opgeschaald: %(op)s") % {
             "ingezet": c.ingezet, "geevalueerd": c.geevalueerd, "op": str(c.opgeschaald_tekst)}}
        for c in effect.cijfers(filters) if c.geevalueerd
    ]


def _kern(c):
    """The key figures compared over the years: [(sleutel, label, waarde)]."""
    kern = []
    for r in c["zorgniveaus"]["rijen"]:
        kern.append((f"niveau:{r['code']}", _("Leerlingen op %(niveau)s (einde jaar)") % {"niveau": r["naam"]},
                     r["einde"]))
    zn = c["zorgniveaus"]
    kern += [
        ("omhoog", _("Opgeschaald naar een hoger zorgniveau"), zn["omhoog"]),
        ("omlaag", _("Afgeschaald naar een lager zorgniveau"), zn["omlaag"]),
        ("hp_gemaakt", _("Handelingsplannen gemaakt"), c["plannen"]["handelingsplannen_gemaakt"]),
        ("hp_geevalueerd", _("Handelingsplannen geëvalueerd"), c["plannen"]["handelingsplannen_geevalueerd"]),
        ("gp_gemaakt", _("Groepsplannen gemaakt"), c["plannen"]["groepsplannen_gemaakt"]),
        ("gp_geevalueerd", _("Groepsplannen geëvalueerd"), c["plannen"]["groepsplannen_geevalueerd"]),
    ]
    for w in c["doorlooptijden"]["wachttijden"]:
        kern.append((f"mediaan:{w['sleutel']}", _("%(label)s: mediaan (dagen)") % {"label": w["label"]},
                     w["mediaan"]))
    for e in c["doorlooptijden"]["evaluaties"]:
        kern.append((f"optijd:{e['sleutel']}", _("%(label)s (%%)") % {"label": e["label"]}, e["aandeel"]))
    kern += [
        ("verwijzingen", _("Verwijzingen"), c["verwijzingen"]["totaal"]),
        ("zorguren", _("Zorguren (waar bijgehouden)"),
         c["zorguren"]["totaal"] if c["zorguren"]["bijgehouden"] else None),
    ]
    return [{"sleutel": s, "label": str(label), "waarde": w} for s, label, w in kern]


def bereken(school, schooljaar, vandaag=None):
    """All figures of the schooljaar as a JSON-able dict (the whole school)."""
    vandaag = vandaag or timezone.localdate()
    filters = Filters(school=school, schooljaar=schooljaar, periode=None, afdelingen=None, leerjaar=None)
    c = {
        "formaat": FORMAAT,
        "schooljaar": schooljaar.naam,
        "berekend_op": vandaag.isoformat(),
        "zorgniveaus": zorgniveaus(school, schooljaar, vandaag),
        "plannen": plannen(school, schooljaar),
        "doorlooptijden": doorlooptijden.bereken(filters, vandaag).als_dict(),
        "verwijzingen": verwijzingen(school, schooljaar),
        "zorguren": zorguren(school, schooljaar),
        "effect": effect_samenvatting(filters),
    }
    c["kern"] = _kern(c)
    return c


def kerncijfers(school, schooljaar, vandaag=None, niveaus=None):
    """Only the key figures of a schooljaar (`_kern` of `bereken`), for the comparison columns:
    the same functions as `bereken`, without what the key figures do not show (the effect
    summary, the groepsbesprekingen per periode). tests/test_kwaliteit_jaarverslag.py checks that
    this equals bereken(...)["kern"]."""
    vandaag = vandaag or timezone.localdate()
    filters = Filters(school=school, schooljaar=schooljaar, periode=None, afdelingen=None, leerjaar=None)
    c = {
        "zorgniveaus": zorgniveaus(school, schooljaar, vandaag, niveaus),
        "plannen": plannen(school, schooljaar),
        "doorlooptijden": {
            "wachttijden": [w.als_dict() for w in (doorlooptijden.aanmelding_tot_bespreking(filters),
                                                   doorlooptijden.verwijzing_tot_start(filters))],
            "evaluaties": [e.als_dict() for e in (doorlooptijden.handelingsplannen_op_tijd(filters, vandaag),
                                                  doorlooptijden.groepsplannen_op_tijd(filters, vandaag))],
        },
        "verwijzingen": verwijzingen(school, schooljaar),
        "zorguren": zorguren(school, schooljaar),
    }
    return _kern(c)


def cijfers_van(school, schooljaar, jaarverslag=None, vandaag=None):
    """The frozen figures of a vastgesteld jaarverslag, else the figures computed now."""
    if _bevroren(jaarverslag):
        return jaarverslag.cijfers
    return bereken(school, schooljaar, vandaag)


def _bevroren(jaarverslag):
    return jaarverslag is not None and bool(jaarverslag.vastgesteld_op and jaarverslag.cijfers)


def kern_van(school, schooljaar, jaarverslag=None, vandaag=None, niveaus=None):
    """The key figures of a schooljaar: frozen if its jaarverslag is vastgesteld, else computed now."""
    if _bevroren(jaarverslag):
        return jaarverslag.cijfers["kern"]
    return kerncijfers(school, schooljaar, vandaag, niveaus)


def eerdere_jaren(schooljaar):
    return list(
        Schooljaar.objects.filter(school_id=schooljaar.school_id, begin__lt=schooljaar.begin)
        .select_related("jaarverslag").order_by("-begin")[:VERGELIJK_JAREN]
    )


def _jaarverslag_of_none(jaar):
    try:
        return jaar.jaarverslag
    except Jaarverslag.DoesNotExist:
        return None


def vergelijking(school, schooljaar, cijfers, vandaag=None):
    """Key figures of this year next to up to three earlier years (oldest right):
    {"jaren": [naam, ...], "rijen": [{"label", "waarden": [this, earlier...]}]}."""
    eerder = eerdere_jaren(schooljaar)
    # Only the key figures of the earlier years (frozen ones as they are): the whole `bereken` per
    # year made this page compute four full jaarverslagen.
    niveaus = zorgroutes.niveaus_van(school) if eerder else []
    kernen = [{k["sleutel"]: k["waarde"] for k in kern_van(school, j, _jaarverslag_of_none(j), vandaag, niveaus)}
              for j in eerder]
    rijen = [{"label": k["label"], "waarden": [k["waarde"]] + [kern.get(k["sleutel"]) for kern in kernen]}
             for k in cijfers["kern"]]
    return {"jaren": [cijfers["schooljaar"]] + [j.naam for j in eerder], "rijen": rijen}


def overzicht(school):
    """The school's schooljaren (newest first) with their jaarverslag (or None)."""
    return [(jaar, _jaarverslag_of_none(jaar))
            for jaar in Schooljaar.objects.filter(school=school).select_related("jaarverslag").order_by("-begin")]


# --- Changes -------------------------------------------------------------------------------


def bewaar_conclusies(school, schooljaar, tekst, versie, user):
    """Save the conclusions if nobody saved since `versie` was read. Returns (True, jaarverslag)
    or (False, jaarverslag as it is now: the other person's text) on a conflict."""
    if versie != 1 and not Jaarverslag.objects.filter(school=school, schooljaar=schooljaar).exists():
        return False, Jaarverslag(school=school, schooljaar=schooljaar)  # a version nobody saved: nothing written
    jaarverslag, _nieuw = Jaarverslag.objects.get_or_create(school=school, schooljaar=schooljaar)
    if jaarverslag.vastgesteld_op:
        raise Vastgesteld
    bijgewerkt = Jaarverslag.objects.filter(pk=jaarverslag.pk, versie=versie, vastgesteld_op__isnull=True).update(
        conclusies=tekst, versie=F("versie") + 1, gewijzigd_op=timezone.now(), gewijzigd_door=user,
    )
    jaarverslag.refresh_from_db()
    if not bijgewerkt and jaarverslag.vastgesteld_op:
        raise Vastgesteld
    return bool(bijgewerkt), jaarverslag


def vaststellen(school, schooljaar, user, vandaag=None):
    """Freeze the figures as they are now. Raises Vastgesteld when already done."""
    with transaction.atomic():
        Jaarverslag.objects.get_or_create(school=school, schooljaar=schooljaar)
        jaarverslag = Jaarverslag.objects.select_for_update().get(school=school, schooljaar=schooljaar)
        if jaarverslag.vastgesteld_op:
            raise Vastgesteld
        jaarverslag.cijfers = bereken(school, schooljaar, vandaag)
        jaarverslag.vastgesteld_op = timezone.now()
        jaarverslag.vastgesteld_door = user
        jaarverslag.versie = F("versie") + 1
        jaarverslag.save()
        jaarverslag.refresh_from_db()
    return jaarverslag


def heropenen(school, schooljaar):
    """Undo vaststellen: the figures are computed live again and the conclusions can be edited."""
    bijgewerkt = Jaarverslag.objects.filter(school=school, schooljaar=schooljaar, vastgesteld_op__isnull=False).update(
        cijfers=None, vastgesteld_op=None, vastgesteld_door=None, versie=F("versie") + 1,
    )
    return bool(bijgewerkt)


def tabel(cijfers, vergelijk):
    """Columns and rows of the export: the key figures with the earlier years as columns, then the
    detail tables (zorgniveaus, referrals, hours)."""
    kolommen = [_("Cijfer")] + vergelijk["jaren"]
    rijen = [[r["label"]] + r["waarden"] for r in vergelijk["rijen"]]
    leeg = [None] * (len(kolommen) - 2)
    for r in cijfers["zorgniveaus"]["rijen"]:
        rijen.append([_("%(niveau)s: begin jaar") % {"niveau": r["naam"]}, r["begin"], *leeg])
    for r in cijfers["verwijzingen"]["rijen"]:
        rijen.append([_("Verwijzingen naar %(instelling)s") % {"instelling": r["instelling"]}, r["totaal"], *leeg])
    for r in cijfers["zorguren"]["rijen"]:
        rijen.append([_("Zorguren %(soort)s") % {"soort": r["soort"]}, round(r["uren"], 1), *leeg])
    return kolommen, rijen


def datum(iso):
    return datetime.date.fromisoformat(iso) if iso else None
