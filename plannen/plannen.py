"""Business rules for groepsplannen and handelingsplannen (seed 002 Bijlage 9/10/12/13).

Views stay thin: they fetch objects through zorg.toegang and call these functions. A rule that
is broken raises PlanFout with Dutch messages for the form.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history import utils as history_utils

from leerlingen.models import Dossieritem, Leerling
from zorg import notificaties, toegang

from .models import Betrokkenheid, Cel, Doel, Groepsoverzicht, Groepsplan, GroepsplanRij, Handelingsplan, Kolom

ZES_WEKEN = timedelta(weeks=6)  # fallback when the pupil's school is not at hand


class PlanFout(Exception):
    def __init__(self, *meldingen):
        super().__init__(*meldingen)
        self.meldingen = list(meldingen)


class Conflict(Exception):
    """Someone else saved the plan after the user opened it."""

    def __init__(self, plan):
        super().__init__(str(plan))
        self.plan = plan


# --- SMART ----------------------------------------------------------------------------------

_MEETBAAR = re.compile(r"\d|%|\bprocent\b|\bscore\b|\bniveau\b|\b(één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien)"
                       r"\b|\bkeer\b|\bvan de\b", re.IGNORECASE)
_DATUM = re.compile(
    r"\d{1,2}[-/]\d{1,2}|\b(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    r"december|week|weken|periode|maand|maanden|eind|einde|uiterlijk|voor de|kerst|herfst|voorjaar|zomer|"
    r"toetsweek|schooljaar)\b",
    re.IGNORECASE,
)


def smart_hint(tekst):
    """Dutch hints when a goal lacks a measurable criterion or a date; empty when it looks SMART.

    Only a hint: plans are saved anyway.
    """
    tekst = (tekst or "").strip()
    if not tekst:
        return []
    hints = []
    # A date also contains digits; judge measurability on the text without date-like parts.
    zonder_datum = re.sub(r"\d{1,2}[-/]\d{1,2}([-/]\d{2,4})?", "", tekst)
    if not _MEETBAAR.search(zonder_datum):
        hints.append(_("Maak het doel meetbaar: noem een aantal, percentage of score (bv. ‘8 van de 10 goed’)."))
    if not _DATUM.search(tekst):
        hints.append(_("Noem wanneer het doel bereikt moet zijn: een datum of periode (bv. ‘eind periode 2’)."))
    return hints


# --- Groepsplan -----------------------------------------------------------------------------


def perioden(klas):
    return list(klas.schooljaar.perioden.all())


def huidige_periode(klas):
    return klas.schooljaar.periode_op()


def groepsoverzicht_van(plan):
    """The groepsoverzicht after whose groepsbespreking this plan was made, if there is one."""
    if plan.groepsoverzicht_id:
        return plan.groepsoverzicht
    return Groepsoverzicht.objects.filter(
        klas=plan.klas, periode=plan.periode, soort=plan.soort, vak=plan.vak
    ).first()


_NIET_GEZET = {"", "0", "nee", "n", "false", "-", "—"}


def gesignaleerd(overzicht):
    """Ids of pupils whose S-flag (the Kolom of type vlag) is set in the groepsoverzicht."""
    if overzicht is None:
        return set()
    cellen = Cel.objects.filter(groepsoverzicht=overzicht, kolom__type=Kolom.Type.VLAG).values_list(
        "leerling_id", "waarde"
    )
    return {leerling_id for leerling_id, waarde in cellen if (waarde or "").strip().lower() not in _NIET_GEZET}


def kandidaten(plan):
    """The klas's pupils for the clustering checkboxes: flagged pupils first."""
    vlaggen = gesignaleerd(groepsoverzicht_van(plan))
    leerlingen = plan.klas.leerlingen_op_naam()
    for leerling in leerlingen:
        leerling.gesignaleerd = leerling.pk in vlaggen
    return sorted(leerlingen, key=lambda leerling: not leerling.gesignaleerd)


@transaction.atomic
def maak_groepsplan(user, klas, periode, soort, vak=None, differentiatie=""):
    """Create the plan(s): vakoverstijgend gives two parts (pedagogisch domein and basisvaardigheden),
    vakspecifiek one plan, convergent or divergent. Returns the list of plans.

    Each part starts with a basisgroep row, except a divergent plan (groups at their own level).
    """
    if soort == "vakspecifiek" and vak is None:
        raise PlanFout(_("Kies het vak voor een vakspecifiek groepsplan."))
    if periode.schooljaar_id != klas.schooljaar_id:
        raise PlanFout(_("Deze periode hoort niet bij het schooljaar van de klas."))
    overzicht = Groepsoverzicht.objects.filter(klas=klas, periode=periode, soort=soort, vak=vak).first()
    if soort == "vakoverstijgend":
        delen = [Groepsplan.Deel.PEDAGOGISCH, Groepsplan.Deel.BASISVAARDIGHEDEN]
        vak, differentiatie = None, ""
    else:
        delen = [Groepsplan.Deel.GEHEEL]
        differentiatie = differentiatie or Groepsplan.Differentiatie.CONVERGENT
    bestaand = Groepsplan.objects.filter(klas=klas, periode=periode, soort=soort, vak=vak, deel__in=delen)
    if bestaand.exists():
        raise PlanFout(_("Er is al een groepsplan voor deze klas, periode en soort."))
    plannen = []
    for deel in delen:
        plan = Groepsplan.objects.create(
            klas=klas, periode=periode, soort=soort, vak=vak, deel=deel, differentiatie=differentiatie,
            groepsoverzicht=overzicht, auteur=user,
        )
        if differentiatie != Groepsplan.Differentiatie.DIVERGENT:
            rij = GroepsplanRij.objects.create(
                groepsplan=plan, volgorde=0, rijsoort=GroepsplanRij.Rijsoort.BASISGROEP, naam=_("basisgroep")
            )
            rij.leerlingen.set(klas.leerlingen_op_naam())
        plannen.append(plan)
    return plannen


def delen_van(plan):
    """The parts of the same vakoverstijgend plan (pedagogisch domein and basisvaardigheden)."""
    if not plan.deel:
        return [plan]
    return list(
        Groepsplan.objects.filter(klas=plan.klas, periode=plan.periode, soort=plan.soort, vak=plan.vak)
        .exclude(deel="")
        .order_by("-deel")
    )


def _controleer_leerlingen(plan, leerlingen):
    klas_ids = {leerling.pk for leerling in plan.klas.leerlingen_op_naam()}
    if any(leerling.pk not in klas_ids for leerling in leerlingen):
        raise PlanFout(_("Kies alleen leerlingen uit de klas."))


def _controleer_open(plan):
    if plan.status == Groepsplan.Status.GEEVALUEERD:
        raise PlanFout(_("Dit groepsplan is geëvalueerd en kan niet meer worden gewijzigd."))


def _controleer_interventie(soort, school_id):
    """A kind of intervention must come from the school's own catalogue."""
    if soort is not None and soort.school_id != school_id:
        raise PlanFout(_("Kies een soort interventie uit de lijst van de school."))
    return soort


@transaction.atomic
def bewaar_rij(plan, rij, data, leerlingen):
    """Create (rij None) or change a row. `data` holds the columns; `leerlingen` the clustered pupils."""
    _controleer_open(plan)
    _controleer_leerlingen(plan, leerlingen)
    if data.get("rijsoort") == GroepsplanRij.Rijsoort.INDIVIDUEEL and len(leerlingen) != 1:
        raise PlanFout(_("Een individuele rij is voor precies één leerling."))
    if rij is None:
        laatste = plan.rijen.order_by("-volgorde").values_list("volgorde", flat=True).first()
        rij = GroepsplanRij(groepsplan=plan, volgorde=(laatste or 0) + 1)
    if "interventie" in data:
        rij.interventie = _controleer_interventie(data["interventie"], plan.klas.schooljaar.school_id)
    for veld in ("rijsoort", "naam", "doelen", "inhoud", "aanpak", "organisatie", "evaluatie"):
        if veld in data:
            setattr(rij, veld, data[veld])
    rij.save()
    rij.leerlingen.set(leerlingen)
    plan.save(update_fields=["gewijzigd_op"])
    return rij


@transaction.atomic
def evalueer_rij(rij, doel_bereikt, aanpak_effectief, vervolg, toelichting):
    if rij.groepsplan.status == Groepsplan.Status.CONCEPT:
        raise PlanFout(_("Start het groepsplan eerst; evalueren kan aan het eind van de periode."))
    rij.doel_bereikt, rij.aanpak_effectief, rij.vervolg = doel_bereikt, aanpak_effectief, vervolg
    rij.evaluatie_toelichting = toelichting
    # The day of the first evaluation (kept on later changes); cleared with the evaluation itself.
    if not doel_bereikt:
        rij.geevalueerd_op = None
    elif rij.geevalueerd_op is None:
        rij.geevalueerd_op = timezone.localdate()
    rij.save()
    return rij


def start_groepsplan(plan):
    if plan.status != Groepsplan.Status.CONCEPT:
        raise PlanFout(_("Dit groepsplan is al gestart."))
    plan.status = Groepsplan.Status.LOPEND
    plan.save()


def rond_groepsplan_af(plan):
    """Status geëvalueerd, once every row is evaluated (doel bereikt? and vervolg)."""
    if plan.status != Groepsplan.Status.LOPEND:
        raise PlanFout(_("Alleen een lopend groepsplan kan worden afgerond."))
    open_ = [str(rij) for rij in plan.rijen.all() if not (rij.doel_bereikt and rij.vervolg)]
    if open_:
        raise PlanFout(
            _("Evalueer eerst elke rij (doel bereikt? en vervolg): %(rijen)s.") % {"rijen": ", ".join(open_)}
        )
    plan.status = Groepsplan.Status.GEEVALUEERD
    plan.save()


# --- History --------------------------------------------------------------------------------

_VERBORGEN = ["gewijzigd_op", "aangemaakt_op", "gewijzigd_door", "auteur", "volgorde"]


def _weergave(veld, waarde, leerlingen=None):
    if hasattr(veld, "choices") and veld.choices:
        return str(dict(veld.choices).get(waarde, waarde)) or "—"
    if waarde in (None, ""):
        return "—"
    if isinstance(waarde, list):  # m2m: list of dicts with the related ids
        # `leerlingen`: {pk: (achternaam, pk, naam)} of the pupils that still exist, read with the rows.
        ids = {next((v for k, v in item.items() if k.endswith("leerling")), None) for item in waarde}
        namen = sorted(leerlingen[i] for i in ids if i in (leerlingen or {}))
        return ", ".join(naam for _achternaam, _pk, naam in namen) or "—"
    return str(waarde)


def _m2m_rijen(records):
    """The historical m2m rows of `records` (history records of one model, of any number of objects) in one
    query per m2m field, instead of diff_against's two per record. Returns (rijen, leerlingen): rijen is
    {history_id: {field name: rows}}, each field's rows as diff_against compares them (the through fields
    without the ids of the row and the history record, sorted by the related object); leerlingen is
    {pk: (achternaam, pk, naam)} of the pupils named in the rows that still exist (read in the same query)."""
    rijen, leerlingen = {record.pk: {} for record in records}, {}
    if not records:
        return rijen, leerlingen
    historisch = type(records[0])
    for veld in historisch._history_m2m_fields:
        through = getattr(historisch, veld.name).model  # simple_history's manager of the historical m2m rows
        velden = [f.name for f in through._meta.fields
                  if f.editable and f.name not in ["id", "m2m_history_id", "history"]]
        for record in records:
            rijen[record.pk][veld.name] = []
        sortering = history_utils.get_m2m_reverse_field_name(veld)
        qs = through.objects.filter(history_id__in=list(rijen)).order_by("history_id", sortering)
        if veld.related_model is Leerling:
            # A subquery, not a join: a pupil deleted since is still part of the rows (and of the diff).
            qs = qs.annotate(_leerling=Subquery(
                Leerling.objects.filter(pk=OuterRef(f"{sortering}_id")).values(
                    j=JSONObject(voornaam="voornaam", tussenvoegsel="tussenvoegsel", achternaam="achternaam"))[:1],
                output_field=JSONField(),
            ))
        for rij in qs.values("history_id", *velden, *(["_leerling"] if veld.related_model is Leerling else [])):
            naam = rij.pop("_leerling", None)
            if naam is not None:
                leerling = Leerling(pk=rij[sortering], **naam)
                leerlingen[leerling.pk] = (leerling.achternaam, leerling.pk, leerling.naam)
            rijen[rij.pop("history_id")][veld.name].append(rij)
    return rijen, leerlingen


def _wijzigingen_van(records, prefix, model, m2m=None):
    """The regels of one object's history records (newest first). `m2m`: the records' historical m2m rows
    and pupils (_m2m_rijen), read beforehand for the records of all objects at once."""
    regels = []
    records = list(records)
    m2m_velden = [veld.name for veld in getattr(model.history.model, "_history_m2m_fields", [])]
    # By field name (hasattr on a foreign key such as gewijzigd_door would fetch the user per record).
    verborgen = [naam for naam in _VERBORGEN if naam in {veld.name for veld in model.history.model._meta.fields}]
    if m2m_velden and m2m is None:
        m2m = _m2m_rijen(records)
    m2m_rijen, leerlingen = m2m or ({}, {})
    for i, record in enumerate(records):
        vorige = records[i + 1] if i + 1 < len(records) else None
        wie = record.history_user.naam if record.history_user else _("onbekend")
        if vorige is None:
            if record.history_type == "+":
                regels.append({"wanneer": record.history_date, "wie": wie, "wat": prefix,
                               "veld": _("aangemaakt"), "oud": "", "nieuw": ""})
            continue
        if record.history_type == "-":
            regels.append({"wanneer": record.history_date, "wie": wie, "wat": prefix,
                           "veld": _("verwijderd"), "oud": "", "nieuw": ""})
            continue
        delta = record.diff_against(
            vorige, excluded_fields=verborgen + m2m_velden,
        )
        changes = [(change.field, change.old, change.new) for change in delta.changes]
        for naam in m2m_velden:  # as diff_against compares them, from the rows read beforehand
            oud, nieuw = m2m_rijen[vorige.pk][naam], m2m_rijen[record.pk][naam]
            if oud != nieuw:
                changes.append((naam, oud, nieuw))
        changes.sort(key=lambda change: change[0])  # diff_against's order: by field name
        for naam, oud, nieuw in changes:
            veld = model._meta.get_field(naam)
            regels.append({
                "wanneer": record.history_date, "wie": wie, "wat": prefix, "veld": str(veld.verbose_name),
                "oud": _weergave(veld, oud, leerlingen), "nieuw": _weergave(veld, nieuw, leerlingen),
            })
    return regels


def wijzigingen_groepsplan(plan):
    """Who changed what and when in the plan and its rows, newest first (interim changes stay visible)."""
    regels = _wijzigingen_van(
        plan.history.select_related("history_user").order_by("-history_date", "-history_id"), _("groepsplan"),
        Groepsplan,
    )
    rij_ids = set(plan.rijen.values_list("pk", flat=True)) | set(
        GroepsplanRij.history.filter(groepsplan_id=plan.pk).values_list("id", flat=True)
    )
    # Every row's history in one query, grouped per row (newest first).
    per_rij = {}
    for record in GroepsplanRij.history.filter(id__in=rij_ids).select_related("history_user").order_by(
        "id", "-history_date", "-history_id"
    ):
        per_rij.setdefault(record.id, []).append(record)
    # The pupils of every record of every row in one query (diff_against would read them per record, and
    # naming them took a query per change).
    m2m = _m2m_rijen([record for records in per_rij.values() for record in records])
    for records in per_rij.values():
        eerste = records[0]
        regels += _wijzigingen_van(records, eerste.naam or eerste.get_rijsoort_display(), GroepsplanRij, m2m)
    return sorted(regels, key=lambda r: r["wanneer"], reverse=True)


def wijzigingen_handelingsplan(plan):
    regels = _wijzigingen_van(
        plan.history.select_related("history_user").order_by("-history_date", "-history_id"), _("plan"),
        Handelingsplan,
    )
    # Every goal's history in one query (a goal never moves to another plan), grouped per goal.
    per_doel = {}
    for record in Doel.history.filter(handelingsplan_id=plan.pk).select_related("history_user").order_by(
        "id", "-history_date", "-history_id"
    ):
        per_doel.setdefault(record.id, []).append(record)
    for records in per_doel.values():
        regels += _wijzigingen_van(records, _("doel"), Doel)
    return sorted(regels, key=lambda r: r["wanneer"], reverse=True)


# --- Handelingsplan -------------------------------------------------------------------------

SECTIES = [
    "ontwikkelingsperspectief", "beginsituatie", "onderwijsbehoeften", "inhoud", "aanpak", "organisatie",
    "evaluatie_afspraken", "afspraken_ouders", "inbreng_leerling", "inbreng_ouders",
]
# What a docent who carries out part of the plan sees (besides their own task).
DOCENTDEEL = ["aanpak"]
VOLLEDIG_LEZEN = {"mentor", "teamleider", "zorgcoordinator", "specialist", "casemanager", "directie", "gedeeld"}


def ziet_volledig(user, school, plan):
    """Whole plan, or only the docent's part (their task, the goals and the aanpak)."""
    return plan.auteur_id == user.pk or bool(toegang.relaties_met(user, school, plan.leerling) & VOLLEDIG_LEZEN)


def standaard_evaluatiedatum(leerling, besluit=None, vandaag=None):
    """The school's term (default 6 weeks) after an IZO/ZAT decision; otherwise the end of the periode."""
    vandaag = vandaag or timezone.localdate()
    if besluit is not None:
        return max(besluit.datum, vandaag) + timedelta(weeks=leerling.school.evaluatie_weken)
    klas = leerling.laatste_klas()
    periode = klas.schooljaar.periode_op(vandaag) if klas else None
    if periode is not None and periode.einde >= vandaag:
        return periode.einde
    return vandaag + ZES_WEKEN


def voorstel(user, school, leerling, rij=None, besluit=None):
    """Initial values pre-filled from the dossier and the groepsoverzicht row."""
    klas = leerling.laatste_klas()
    periode = klas.schooljaar.periode_op() if klas else None
    initial = {"start": timezone.localdate(), "evaluatiedatum": standaard_evaluatiedatum(leerling, besluit)}
    leesbaar = toegang.dossieritems_voor(user, school, leerling)
    interventie = (
        leesbaar.filter(soort=Dossieritem.Soort.INTERVENTIE).exclude(hulpvraag="")
        .order_by("-datum", "-aangemaakt_op").first()
    )
    if interventie is not None:
        initial["beginsituatie"] = interventie.hulpvraag
    if besluit is not None and besluit.tekst:
        initial["beginsituatie"] = "\n\n".join(filter(None, [initial.get("beginsituatie"), besluit.tekst]))
    if rij is not None:
        plan = rij.groepsplan
        initial.update({"inhoud": rij.inhoud, "aanpak": rij.aanpak, "organisatie": rij.organisatie,
                        "evaluatie_afspraken": rij.evaluatie, "soort": plan.soort, "vak": plan.vak_id})
        overzicht = groepsoverzicht_van(plan)
        periode = plan.periode
    else:
        overzicht = (
            Groepsoverzicht.objects.filter(klas=klas, periode=periode, soort="vakoverstijgend").first()
            if klas and periode else None
        )
    if overzicht is not None:
        cel = Cel.objects.filter(groepsoverzicht=overzicht, leerling=leerling, kolom__sleutel="onderwijsbehoeften",
                                 kolom__vertrouwelijk=False).first()
        if cel is not None and cel.waarde:
            initial["onderwijsbehoeften"] = cel.waarde
    if periode is not None:
        initial["periode"] = periode.pk
    return initial


def doelen_uit_rij(rij):
    return [regel.strip(" -•\t") for regel in (rij.doelen or "").splitlines() if regel.strip(" -•\t")]


@transaction.atomic
def maak_handelingsplan(user, leerling, data, doelen, betrokkenen, groepsplan=None, besluit=None, vorige=None):
    """Create a concept plan with its goals ([text] or [(text, Interventiesoort|None)]) and
    betrokkenen ([(gebruiker, taak)])."""
    doelen = [(d, None) if isinstance(d, str) else tuple(d) for d in doelen]
    doelen = [(tekst.strip(), soort) for tekst, soort in doelen if tekst and tekst.strip()]
    for _tekst, soort in doelen:
        _controleer_interventie(soort, leerling.school_id)
    if not doelen:
        raise PlanFout(_("Geef minstens één doel op."))
    plan = Handelingsplan(leerling=leerling, auteur=user, gewijzigd_door=user, groepsplan=groepsplan,
                          zorgniveaubesluit=besluit, vorige=vorige)
    for veld in [*SECTIES, "soort", "vak", "periode", "start", "evaluatiedatum"]:
        if veld in data:
            setattr(plan, veld, data[veld])
    if plan.soort == "vakoverstijgend":
        plan.vak = None
    plan.save()
    for i, (tekst, soort) in enumerate(doelen):
        Doel.objects.create(handelingsplan=plan, volgorde=i, doel=tekst, interventie=soort)
    for gebruiker, taak in betrokkenen:
        Betrokkenheid.objects.create(handelingsplan=plan, gebruiker=gebruiker, taak=taak)
    return plan


@transaction.atomic
def wijzig_handelingsplan(user, plan_pk, data, gezien_op):
    """Save changed sections (concept or vastgesteld). Raises Conflict on a stale form."""
    plan = Handelingsplan.objects.select_for_update().get(pk=plan_pk)
    if plan.status not in (Handelingsplan.Status.CONCEPT, Handelingsplan.Status.VASTGESTELD):
        raise PlanFout(_("Een geëvalueerd of afgesloten plan kan niet meer worden gewijzigd."))
    if gezien_op is None or plan.gewijzigd_op != gezien_op:
        raise Conflict(plan)
    for veld in [*SECTIES, "soort", "vak", "periode", "start", "evaluatiedatum"]:
        if veld in data:
            setattr(plan, veld, data[veld])
    if plan.soort == "vakoverstijgend":
        plan.vak = None
    plan.gewijzigd_door = user
    plan.save()
    return plan


def stel_vast(user, plan):
    if plan.status != Handelingsplan.Status.CONCEPT:
        raise PlanFout(_("Alleen een concept kan worden vastgesteld."))
    if not plan.doelen.exists():
        raise PlanFout(_("Geef minstens één doel op voordat het plan wordt vastgesteld."))
    plan.status = Handelingsplan.Status.VASTGESTELD
    plan.vastgesteld_op = timezone.now()
    plan.gewijzigd_door = user
    plan.save()


def ouders_akkoord(user, plan):
    if plan.status == Handelingsplan.Status.CONCEPT:
        raise PlanFout(_("Stel het plan eerst vast; daarna kan het akkoord van de ouders worden vastgelegd."))
    if plan.ouders_akkoord == Handelingsplan.OudersReactie.AKKOORD:
        raise PlanFout(_("Het akkoord van de ouders is al vastgelegd."))
    plan.ouders_akkoord = Handelingsplan.OudersReactie.AKKOORD
    plan.ouders_akkoord_op = timezone.now()
    plan.ouders_reactie_door = None
    plan.ouders_reactie_toelichting = ""
    plan.gewijzigd_door = user
    plan.save()


@transaction.atomic
def evalueer(user, plan, resultaten, besluit, toelichting):
    """Evaluation per goal ({doel_pk: (resultaat, toelichting)}) and a besluit; status geëvalueerd."""
    if plan.status != Handelingsplan.Status.VASTGESTELD:
        raise PlanFout(_("Alleen een vastgesteld plan kan worden geëvalueerd."))
    doelen = list(plan.doelen.all())
    if any(not resultaten.get(doel.pk, ("", ""))[0] for doel in doelen):
        raise PlanFout(_("Geef bij elk doel aan of het behaald, deels behaald of niet behaald is."))
    if besluit not in {b for b, _label in Handelingsplan.Besluit.choices if b}:
        raise PlanFout(_("Kies een besluit: stoppen, voortzetten, bijstellen of opschalen."))
    for doel in doelen:
        doel.resultaat, doel.toelichting = resultaten[doel.pk]
        doel.save()
    plan.besluit, plan.evaluatie_toelichting = besluit, toelichting
    plan.status = Handelingsplan.Status.GEEVALUEERD
    plan.geevalueerd_op = timezone.now()
    plan.gewijzigd_door = user
    plan.save()
    return plan


def sluit_af(user, plan):
    if plan.status != Handelingsplan.Status.GEEVALUEERD:
        raise PlanFout(_("Evalueer het plan eerst; daarna kan het worden afgesloten."))
    plan.status = Handelingsplan.Status.AFGESLOTEN
    plan.afgesloten_op = timezone.now()
    plan.gewijzigd_door = user
    plan.save()


@transaction.atomic
def vervolgplan(user, plan):
    """Voortzetten/bijstellen: the next plan starts from the evaluated one (sections, betrokkenen
    and the goals not yet reached), with `vorige` set; the evaluated plan is closed."""
    if plan.status != Handelingsplan.Status.GEEVALUEERD or plan.besluit not in ("voortzetten", "bijstellen"):
        raise PlanFout(_("Een vervolgplan volgt op een evaluatie met besluit voortzetten of bijstellen."))
    vandaag = timezone.localdate()
    klas = plan.leerling.laatste_klas()
    periode = klas.schooljaar.periode_op(vandaag) if klas else plan.periode
    data = {veld: getattr(plan, veld) for veld in SECTIES}
    data.update({"soort": plan.soort, "vak": plan.vak, "periode": periode, "start": vandaag,
                 "evaluatiedatum": standaard_evaluatiedatum(plan.leerling, vandaag=vandaag)})
    doelen = [(doel.doel, doel.interventie) for doel in plan.doelen.select_related("interventie")
              if doel.resultaat != Doel.Resultaat.BEHAALD]
    if not doelen:
        doelen = [(doel.doel, doel.interventie) for doel in plan.doelen.select_related("interventie")]
    betrokkenen = [(b.gebruiker, b.taak) for b in plan.betrokkenen.select_related("gebruiker")]
    nieuw = maak_handelingsplan(user, plan.leerling, data, doelen, betrokkenen, groepsplan=plan.groepsplan,
                                besluit=plan.zorgniveaubesluit, vorige=plan)
    sluit_af(user, plan)
    return nieuw


def keten(plan):
    """The chain of plans: earlier plans (oldest first), this plan, and its follow-ups."""
    eerder = []
    huidig = plan.vorige
    gezien = {plan.pk}
    while huidig is not None and huidig.pk not in gezien:
        gezien.add(huidig.pk)
        eerder.insert(0, huidig)
        huidig = huidig.vorige
    later = []
    volgende = list(plan.vervolgen.all())
    while volgende:
        item = volgende.pop(0)
        if item.pk in gezien:
            continue
        gezien.add(item.pk)
        later.append(item)
        volgende.extend(item.vervolgen.all())
    return eerder, later


def mijn_taken(user, school, leerling):
    """Plans of this pupil (readable to the user) in which the user carries out a part."""
    return (
        toegang.handelingsplannen_voor(user, school, leerling)
        .filter(betrokkenen__gebruiker=user)
        .exclude(status=Handelingsplan.Status.AFGESLOTEN)
        .prefetch_related("doelen")
        .distinct()
    )


def taken_van(user, plan):
    return [b.taak for b in plan.betrokkenen.all() if b.gebruiker_id == user.pk]


# --- Ouderportaal: voorleggen, inbreng en reactie van ouders en leerling ------------------
#
# Messages raised here are read by parents and pupils in their own language: gettext with a Dutch
# msgid (the portal activates the user's language). Notices to parents and pupils go through
# notificeer_vertaald; notices to staff are Dutch.

# The current plans: listed first in the portal, and the parents can still react (or change their reaction).
HUIDIG = (Handelingsplan.Status.CONCEPT, Handelingsplan.Status.VASTGESTELD)


def status_voor_ouder(plan):
    """The plan's status in plain words for parents and pupils."""
    if plan.status == Handelingsplan.Status.CONCEPT:
        return _("Voorstel: uw inbreng gevraagd")
    if plan.status == Handelingsplan.Status.VASTGESTELD:
        if plan.evaluatiedatum:
            return _("Loopt tot %(datum)s") % {"datum": date_format(plan.evaluatiedatum, "j F Y")}
        return _("Loopt")
    if plan.status == Handelingsplan.Status.GEEVALUEERD:
        return _("Geëvalueerd")
    return _("Afgesloten")


def status_voor_leerling(plan):
    """The plan's status in simple words for the pupil (as for the parents, but a concept asks them)."""
    if plan.status == Handelingsplan.Status.CONCEPT:
        return _("Voorstel: wat vind jij ervan?")
    return status_voor_ouder(plan)


def _ouder_gebruikers(leerling):
    from leerlingen.models import Ouder

    return [o.gebruiker for o in Ouder.objects.filter(relaties__leerling=leerling, gebruiker__isnull=False,
                                                     gebruiker__is_active=True).select_related("gebruiker")]


def _mentor_en_auteur(plan):
    klas = plan.leerling.laatste_klas()
    ontvangers = list(klas.mentoren.all()) if klas else []
    return [*ontvangers, plan.auteur]


# Default time parents get to react to a plan laid before them.
REACTIETERMIJN = timedelta(days=14)


def leg_voor_aan_ouders(user, plan, reactie_voor=None):
    """A concept laid before the parents: they see it in the portal and can give their inbreng and
    akkoord, before `reactie_voor` (default: in two weeks)."""
    if plan.status != Handelingsplan.Status.CONCEPT:
        raise PlanFout(_("Alleen een concept kan aan de ouders worden voorgelegd."))
    if not plan.doelen.exists():
        raise PlanFout(_("Geef minstens één doel op voordat het plan aan de ouders wordt voorgelegd."))
    vandaag = timezone.localdate()
    if reactie_voor is not None and reactie_voor <= vandaag:
        raise PlanFout(_("Kies een datum na vandaag waarvóór de ouders kunnen reageren."))
    eerder = plan.voorgelegd_op is not None
    plan.reactie_voor = reactie_voor or vandaag + REACTIETERMIJN
    plan.voorgelegd_op = timezone.now()
    plan.gewijzigd_door = user
    plan._history_user = user
    plan.save()
    ouders = _ouder_gebruikers(plan.leerling)
    notificaties.notificeer_vertaald(
        ouders,
        gettext_noop("De school heeft een voorstel voor een handelingsplan voor %(naam)s klaargezet. "
                     "Wij horen graag wat u ervan vindt."),
        {"naam": plan.leerling.voornaam}, url=reverse("ouder_plan", args=[plan.pk]), leerling=plan.leerling,
    )
    leerling = plan.leerling
    if leerling.gebruiker_id and leerling.school.leerlingaccounts:
        notificaties.notificeer_vertaald(
            [leerling.gebruiker], gettext_noop("Er staat een nieuw plan voor je klaar. Wat vind jij ervan?"),
            url=reverse("leerling_plan", args=[plan.pk]), leerling=leerling,
        )
    return {"ouders": len(ouders), "opnieuw": eerder}


def _meld_school(user, plan, tekst):
    notificaties.notificeer(_mentor_en_auteur(plan), tekst, url=reverse("handelingsplan", args=[plan.pk]),
                            leerling=plan.leerling, behalve=user)


def _naam(user, plan):
    ouder = toegang.ouder_van(user, plan.leerling)
    return ouder.naam if ouder else user.naam


@transaction.atomic
def bewaar_inbreng_ouders(user, plan, tekst):
    """The parents' inbreng, while the plan is a concept laid before them."""
    if plan.status != Handelingsplan.Status.CONCEPT or plan.voorgelegd_op is None:
        raise PlanFout(_("Het plan is al vastgesteld, daarom kunt u uw inbreng niet meer wijzigen. "
                         "Wilt u toch iets laten aanpassen? Vraag de school dan om een correctie."))
    plan.inbreng_ouders = (tekst or "").strip()
    plan._history_user = user
    plan.save(update_fields=["inbreng_ouders", "gewijzigd_op"])
    with translation.override(settings.LANGUAGE_CODE):
        _meld_school(user, plan, _("%(ouder)s heeft inbreng gegeven op het handelingsplan van %(leerling)s.")
                     % {"ouder": _naam(user, plan), "leerling": plan.leerling.naam})
    return plan


@transaction.atomic
def bewaar_inbreng_leerling(user, plan, tekst):
    """The pupil's own inbreng, while the plan is a concept."""
    if plan.status != Handelingsplan.Status.CONCEPT:
        raise PlanFout(_("Dit plan staat al vast. Wil je nog iets zeggen? Praat erover met je mentor."))
    plan.inbreng_leerling = (tekst or "").strip()
    plan._history_user = user
    plan.save(update_fields=["inbreng_leerling", "gewijzigd_op"])
    with translation.override(settings.LANGUAGE_CODE):
        _meld_school(user, plan, _("%(leerling)s heeft zelf inbreng gegeven op zijn of haar handelingsplan.")
                     % {"leerling": plan.leerling.naam})
    return plan


def controleer_reactie(user, plan, keuze, reden):
    """Raise PlanFout when this parent may not give this reaction now (before the confirmation step)."""
    if not toegang.heeft_gezag(user, plan.leerling):
        raise PlanFout(_("Alleen een ouder of verzorger met ouderlijk gezag kan akkoord geven op het plan."))
    if plan.status not in HUIDIG:
        raise PlanFout(_("Dit plan is al geëvalueerd of afgesloten; uw reactie kan niet meer worden gewijzigd."))
    if keuze not in (Handelingsplan.OudersReactie.AKKOORD, Handelingsplan.OudersReactie.NIET_AKKOORD):
        raise PlanFout(_("Kies akkoord of niet akkoord."))
    if keuze == Handelingsplan.OudersReactie.NIET_AKKOORD and not (reden or "").strip():
        raise PlanFout(_("Schrijf waarom u niet akkoord bent, zodat de school erover met u in gesprek kan gaan."))


@transaction.atomic
def reageer_ouders(user, plan, keuze, reden):
    """Akkoord or niet akkoord (with a reason) by an ouder with gezag; timestamped. The reaction can
    be changed until the plan is evaluated; the history keeps the earlier one."""
    controleer_reactie(user, plan, keuze, reden)
    plan.ouders_akkoord = keuze
    plan.ouders_akkoord_op = timezone.now()
    plan.ouders_reactie_toelichting = (reden or "").strip()
    plan.ouders_reactie_door = toegang.ouder_van(user, plan.leerling)
    plan._history_user = user
    plan.save(update_fields=["ouders_akkoord", "ouders_akkoord_op", "ouders_reactie_toelichting",
                             "ouders_reactie_door", "gewijzigd_op"])
    with translation.override(settings.LANGUAGE_CODE):
        if keuze == Handelingsplan.OudersReactie.AKKOORD:
            tekst = _("%(ouder)s gaat akkoord met het handelingsplan van %(leerling)s.")
        else:
            tekst = _("%(ouder)s gaat niet akkoord met het handelingsplan van %(leerling)s.")
        _meld_school(user, plan, tekst % {"ouder": _naam(user, plan), "leerling": plan.leerling.naam})
    return plan


def laatst_geschreven(plan, veld):
    """(user, when) of the last change of a text field of the plan, from its history; (None, None)."""
    records = list(plan.history.select_related("history_user").order_by("-history_date", "-history_id")[:200])
    for i, record in enumerate(records):
        vorige = records[i + 1] if i + 1 < len(records) else None
        if getattr(record, veld) and (vorige is None or getattr(vorige, veld) != getattr(record, veld)):
            return record.history_user, record.history_date
    return None, None
