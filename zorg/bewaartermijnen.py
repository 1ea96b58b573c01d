"""Bewaartermijnen (retention): what is past each school's terms is removed nightly, history rows,
inzagelog entries and files included, leaving a tombstone (Verwijdering). Dry run until the school
turns removal on; a pupil with bewaarplicht (legal hold) is skipped.

The terms run from Leerling.uitstroomdatum: a pupil without one is enrolled and keeps everything,
except inzagelog rows older than the inzagelog term (those go for every pupil).

Categories (CATEGORIEEN, one place) and what each covers:

- zorgdossier: Dossieritem (and its uploaded files), Opschaling, Handelingsplan with Doel and
  Betrokkenheid, the pupil's Aanmelding, Agendapunt and Afspraak rows (the meeting itself stays),
  the pupil's cells and observations in groepsoverzichten and their place in groepsplan rows
  (a row only about them is removed; the klas's plan stays), notifications and reminder-ledger
  rows about the pupil, explicit per-pupil grants (guardian rows).
- extern: Toestemming (and the signed forms), Verwijzing, Terugkoppeling, ExterneToegang, the
  reminder-ledger rows about them.
- inzagelog: zorg.Inzage rows older than the term (every pupil), all rows about a pupil whose
  zorgdossier goes, and rows about removed referrals and consents.
- leerling: the Leerling row itself, its klasplaatsingen, ouderrelaties, betrokkenen,
  correctieverzoeken and uitnodigingen, an Ouder left without children (and their account when it
  is only a parent account), the pupil's own account. Removing the pupil removes every other
  category too.

Every removed record's simple-history rows go as well (also rows of records deleted earlier),
uploaded files are deleted from storage after the transaction commits, and per pupil per category
one Verwijdering is written: a keyed hash of the pupil id, the category, the count, the date.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, ProtectedError, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

ZORGDOSSIER, EXTERN, INZAGELOG, LEERLING = "zorgdossier", "extern", "inzagelog", "leerling"


@dataclass(frozen=True)
class Categorie:
    code: str
    label: str
    veld: str  # the School field with the term in years
    modellen: tuple  # "app.Model" labels this category removes (documentation)
    omschrijving: str = ""  # the same in plain Dutch, for the beheer page


CATEGORIEEN = {
    ZORGDOSSIER: Categorie(
        ZORGDOSSIER, _("zorgdossier en plannen"), "bewaren_zorgdossier_jaren",
        ("leerlingen.Dossieritem", "leerlingen.Opschaling", "plannen.Handelingsplan", "plannen.Doel",
         "plannen.Betrokkenheid", "besprekingen.Aanmelding", "besprekingen.Agendapunt", "besprekingen.Afspraak",
         "plannen.Cel", "plannen.Observatie", "plannen.GroepsplanRij (alleen de leerling)", "zorg.Notificatie",
         "zorg.Herinnering", "leerlingen.LeerlingUserObjectPermission", "leerlingen.LeerlingGroupObjectPermission"),
        _("dossieritems met documenten, opschalingen, handelingsplannen met doelen en betrokkenen, aanmeldingen, "
          "agendapunten en afspraken over de leerling, de cellen en observaties in groepsoverzichten, de plaats in "
          "groepsplannen, meldingen en herinneringen, gedeelde toegang tot het dossier"),
    ),
    EXTERN: Categorie(
        EXTERN, _("verwijzingen en toestemmingen"), "bewaren_extern_jaren",
        ("extern.Toestemming", "extern.Verwijzing", "extern.Terugkoppeling", "extern.ExterneToegang",
         "zorg.Herinnering"),
        _("toestemmingen met getekende formulieren, verwijzingen, terugkoppelingen, toegang van externe partners"),
    ),
    INZAGELOG: Categorie(
        INZAGELOG, _("inzagelog"), "bewaren_inzagelog_jaren", ("zorg.Inzage",),
        _("regels ouder dan de termijn (ook van ingeschreven leerlingen), en alle regels over een leerling van wie "
          "het zorgdossier wordt verwijderd"),
    ),
    LEERLING: Categorie(
        LEERLING, _("leerlinggegevens"), "bewaren_leerling_jaren",
        ("leerlingen.Leerling", "leerlingen.Klasplaatsing", "leerlingen.OuderRelatie", "leerlingen.Betrokkene",
         "leerlingen.Ouder (zonder andere kinderen)", "ouders.Correctieverzoek", "ouders.Uitnodiging",
         "zorg.Gebruiker (account van leerling of ouder)"),
        _("de leerling zelf, klasplaatsingen, ouders zonder andere kinderen en hun portaalaccount, betrokkenen, "
          "correctieverzoeken, uitnodigingen, het account van de leerling; en daarmee ook alle andere categorieën"),
    ),
}
# Per-pupil removal order: the pupil row last (it would cascade into the others).
VOLGORDE = (ZORGDOSSIER, EXTERN, INZAGELOG, LEERLING)


def termijn(school, categorie):
    return getattr(school, CATEGORIEEN[categorie].veld)


def jaren_terug(datum, jaren):
    """The date `jaren` years before `datum` (29 February becomes 28 February)."""
    try:
        return datum.replace(year=datum.year - jaren)
    except ValueError:
        return datum.replace(year=datum.year - jaren, day=28)


def verwijderdatum(school, leerling, categorie):
    """The first night a former pupil's data of this category go (None while enrolled)."""
    if leerling.uitstroomdatum is None:
        return None
    return jaren_terug(leerling.uitstroomdatum, -termijn(school, categorie))


def grens(school, categorie, op=None):
    """Pupils who left on or before this date are past the category's term."""
    return jaren_terug(op or timezone.localdate(), termijn(school, categorie))


def leerling_sleutel(leerling_id):
    """The keyed hash in a tombstone: answers 'was this pupil removed?' without naming anyone."""
    return salted_hmac("zorg.bewaartermijnen.leerling", str(leerling_id), algorithm="sha256").hexdigest()


# --- What would go: a plan per pupil per category ---------------------------------------------------


@dataclass
class Plan:
    """What removing one category of one pupil touches. `records` are live rows (model, ids) in a
    safe delete order; `historie` the history rows to purge afterwards; `extra` querysets of
    rows without history; `bestanden` file names in storage."""

    records: list = field(default_factory=list)
    historie: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    bestanden: set = field(default_factory=set)

    def voeg_toe(self, model, voorwaarde, bestandsveld=None):
        """Live ids matching the condition, plus ids that only the history still knows (records
        deleted earlier). Returns every id (live and historical), for child conditions."""
        live = set(model.objects.filter(voorwaarde).values_list("pk", flat=True))
        historisch = model.history.model.objects.filter(voorwaarde)
        alle = live | set(historisch.values_list("id", flat=True))
        if live:
            self.records.append((model, live))
        if alle:
            self.historie.append((model, alle))
        if bestandsveld:
            namen = set(model.objects.filter(pk__in=live).values_list(bestandsveld, flat=True))
            namen |= set(historisch.values_list(bestandsveld, flat=True))
            self.bestanden |= {n for n in namen if n}
        return alle

    def aantal(self):
        return sum(len(ids) for _m, ids in self.records) + sum(qs.count() for qs in self.extra)

    def leeg(self):
        return not self.aantal() and not self.historie


def _herinneringen(soort_ids):
    from .models import Herinnering

    voorwaarde = Q(pk__in=[])
    for soort, ids in soort_ids.items():
        if ids:
            voorwaarde |= Q(object_soort=soort, object_id__in=list(ids))
    return Herinnering.objects.filter(voorwaarde)


def plan_zorgdossier(leerling):
    from besprekingen.models import Aanmelding, Afspraak, Agendapunt
    from leerlingen.models import (
        Dossieritem,
        LeerlingGroupObjectPermission,
        LeerlingUserObjectPermission,
        Opschaling,
    )
    from plannen.models import Betrokkenheid, Cel, Doel, GroepsplanRij, Handelingsplan, Observatie

    from .models import Herinnering, Inzage, Notificatie

    lid = leerling.pk
    plan = Plan()
    # Children before parents; SET_NULL references from elsewhere are handled by delete().
    plannen = set(Handelingsplan.objects.filter(leerling_id=lid).values_list("pk", flat=True))
    plannen |= set(Handelingsplan.history.model.objects.filter(leerling_id=lid).values_list("id", flat=True))
    plan.voeg_toe(Doel, Q(handelingsplan_id__in=plannen))
    plan.voeg_toe(Betrokkenheid, Q(handelingsplan_id__in=plannen))
    punten = set(Agendapunt.objects.filter(leerling_id=lid).values_list("pk", flat=True))
    punten |= set(Agendapunt.history.model.objects.filter(leerling_id=lid).values_list("id", flat=True))
    afspraken = plan.voeg_toe(Afspraak, Q(leerling_id=lid) | Q(agendapunt_id__in=punten))
    plan.voeg_toe(Agendapunt, Q(leerling_id=lid))
    aanmeldingen = plan.voeg_toe(Aanmelding, Q(leerling_id=lid))
    plan.voeg_toe(Handelingsplan, Q(leerling_id=lid))
    opschalingen = plan.voeg_toe(Opschaling, Q(leerling_id=lid))
    plan.voeg_toe(Dossieritem, Q(leerling_id=lid), bestandsveld="bestand")
    plan.voeg_toe(Cel, Q(leerling_id=lid))
    plan.voeg_toe(Observatie, Q(leerling_id=lid))
    # Groepsplan rows: a row only about this pupil goes; in other rows only the pupil's place.
    rijen = GroepsplanRij.objects.filter(leerlingen=leerling)
    eigen = set(
        rijen.annotate(n=Count("leerlingen")).filter(n=1, rijsoort=GroepsplanRij.Rijsoort.INDIVIDUEEL)
        .values_list("pk", flat=True)
    )
    if eigen:
        plan.voeg_toe(GroepsplanRij, Q(pk__in=eigen))
    plan.extra.append(GroepsplanRij.leerlingen.through.objects.filter(leerling_id=lid).exclude(groepsplanrij_id__in=eigen))
    historische_plaatsen = apps.get_model("plannen", "HistoricalGroepsplanRij_leerlingen")
    plan.extra.append(historische_plaatsen.objects.filter(leerling_id=lid))
    notificaties = Notificatie.objects.filter(leerling_id=lid)
    plan.extra.append(
        _herinneringen({"handelingsplan": plannen, "afspraak": afspraken, "agendapunt": punten,
                        "aanmelding": aanmeldingen, "opschaling": opschalingen})
        | Herinnering.objects.filter(notificatie__in=notificaties)
    )
    plan.extra.append(notificaties)
    plan.extra.append(LeerlingUserObjectPermission.objects.filter(content_object_id=lid))
    plan.extra.append(LeerlingGroupObjectPermission.objects.filter(content_object_id=lid))
    plan.inzage = Inzage.objects.filter(leerling_id=lid)
    return plan


def plan_extern(leerling):
    from extern.models import ExterneToegang, Terugkoppeling, Toestemming, Verwijzing

    from .models import Inzage

    lid = leerling.pk
    plan = Plan()
    verwijzingen = set(Verwijzing.objects.filter(leerling_id=lid).values_list("pk", flat=True))
    verwijzingen |= set(Verwijzing.history.model.objects.filter(leerling_id=lid).values_list("id", flat=True))
    plan.voeg_toe(Terugkoppeling, Q(verwijzing_id__in=verwijzingen))
    toegangen = plan.voeg_toe(ExterneToegang, Q(verwijzing_id__in=verwijzingen))
    plan.voeg_toe(Verwijzing, Q(leerling_id=lid))
    toestemmingen = plan.voeg_toe(Toestemming, Q(leerling_id=lid), bestandsveld="bestand")
    plan.extra.append(_herinneringen(
        {"verwijzing": verwijzingen, "toestemming": toestemmingen, "externetoegang": toegangen}
    ))
    # Inzagelog rows about the removed referrals and consents (the rest of the log follows the
    # zorgdossier's or its own term).
    over = Q(pk__in=[])
    for woord, ids in (("verwijs", verwijzingen), ("verwijzing", verwijzingen), ("toestemming", toestemmingen)):
        if ids:
            over |= Q(onderdeel__icontains=woord, object_id__in=[str(i) for i in ids])
    plan.inzage = Inzage.objects.filter(over, leerling_id=lid)
    plan.toestemmingen = toestemmingen
    return plan


def _alleen_portaalaccount(gebruiker, als):
    """An account used only as this pupil's or this ouder's portal login (no school function,
    no partner contact, not staff, not also the other kind of portal account)."""
    from extern.models import Contactpersoon
    from leerlingen.models import Leerling, Ouder

    anders = (Ouder.objects.filter(gebruiker=gebruiker) if als == "leerling"
              else Leerling.objects.filter(gebruiker=gebruiker))
    return not (
        gebruiker.is_staff or gebruiker.is_superuser or gebruiker.functies.exists()
        or Contactpersoon.objects.filter(gebruiker=gebruiker).exists() or anders.exists()
    )


def plan_leerling(leerling):
    from extern.models import Toestemming
    from leerlingen.models import Betrokkene, Klasplaatsing, Leerling, Ouder, OuderRelatie
    from ouders.models import Correctieverzoek, Uitnodiging

    lid = leerling.pk
    plan = Plan()
    plan.voeg_toe(Correctieverzoek, Q(leerling_id=lid))
    plan.extra.append(Uitnodiging.objects.filter(leerling_id=lid))
    plan.voeg_toe(Klasplaatsing, Q(leerling_id=lid))
    plan.voeg_toe(Betrokkene, Q(leerling_id=lid))
    ouders = set(OuderRelatie.objects.filter(leerling_id=lid).values_list("ouder_id", flat=True))
    plan.voeg_toe(OuderRelatie, Q(leerling_id=lid))
    # Ouders left without children (and with no consent on record for another pupil).
    alleen = set(
        Ouder.objects.filter(pk__in=ouders)
        .exclude(pk__in=OuderRelatie.objects.exclude(leerling_id=lid).values("ouder_id"))
        .exclude(pk__in=Toestemming.objects.exclude(leerling_id=lid).filter(ouder__isnull=False).values("ouder_id"))
        .values_list("pk", flat=True)
    ) if ouders else set()
    plan.accounts = []
    if alleen:
        plan.extra.append(Uitnodiging.objects.filter(ouder_id__in=alleen))
        plan.voeg_toe(Ouder, Q(pk__in=alleen))
        plan.accounts += [o.gebruiker for o in Ouder.objects.filter(pk__in=alleen).select_related("gebruiker")
                          if o.gebruiker_id and _alleen_portaalaccount(o.gebruiker, "ouder")]
    if leerling.gebruiker_id and _alleen_portaalaccount(leerling.gebruiker, "leerling"):
        plan.accounts.append(leerling.gebruiker)
    plan.voeg_toe(Leerling, Q(pk=lid))
    return plan


PLANNERS = {ZORGDOSSIER: plan_zorgdossier, EXTERN: plan_extern, LEERLING: plan_leerling}


# --- Who is due --------------------------------------------------------------------------------


def verlopen_categorieen(school, leerling, op=None):
    """The per-pupil categories whose term has passed for this pupil (leerling implies all)."""
    if leerling.uitstroomdatum is None or leerling.uitstroomdatum > (op or timezone.localdate()):
        return []
    verlopen = [c for c in (ZORGDOSSIER, EXTERN, LEERLING) if leerling.uitstroomdatum <= grens(school, c, op)]
    if LEERLING in verlopen:
        return [ZORGDOSSIER, EXTERN, LEERLING]
    return verlopen


def kandidaten(school, op=None):
    """Pupils who left long enough ago for at least one category (holds included: the caller skips them)."""
    from leerlingen.models import Leerling

    # The shortest term gives the latest cut-off date.
    laatste = max(grens(school, c, op) for c in (ZORGDOSSIER, EXTERN, LEERLING))
    return Leerling.objects.filter(school=school, uitstroomdatum__isnull=False, uitstroomdatum__lte=laatste)


def oude_inzagen(school, op=None):
    """Inzagelog rows older than the term, for every pupil of the school (enrolled ones too)."""
    from .models import Inzage

    moment = timezone.make_aware(datetime.datetime.combine(grens(school, INZAGELOG, op), datetime.time.min))
    return Inzage.objects.filter(leerling__school=school, op__lt=moment)


# --- The run ------------------------------------------------------------------------------------


def _leeg_rapport(school, proef, op):
    return {
        "proef": proef,
        "op": timezone.now().isoformat(),
        "peildatum": (op or timezone.localdate()).isoformat(),
        "termijnen": {c: termijn(school, c) for c in CATEGORIEEN},
        "categorieen": {c: {"leerlingen": 0, "records": 0, "historie": 0, "bestanden": 0} for c in CATEGORIEEN},
        "bewaarplicht": [],
        "fouten": 0,
    }


def _verwijder(plan):
    """Delete one plan's rows (inside the caller's transaction). Returns the number of rows."""
    aantal = 0
    for qs in plan.extra:
        aantal += qs.delete()[0]
    for model, ids in plan.records:
        model.objects.filter(pk__in=ids).delete()
        aantal += len(ids)
    # After the deletes: simple-history wrote a '-' row for each deleted record; purge them all,
    # with the rows of records deleted long ago.
    for model, ids in plan.historie:
        model.history.model.objects.filter(id__in=ids).delete()
    for naam in plan.bestanden:
        transaction.on_commit(lambda naam=naam: _verwijder_bestand(naam))
    return aantal


def _verwijder_bestand(naam):
    try:
        default_storage.delete(naam)
    except OSError:
        logger.exception("Bewaartermijnen: een bestand kon niet worden verwijderd")


def _verwijder_accounts(accounts):
    for gebruiker in accounts:
        try:
            with transaction.atomic():
                gebruiker.delete()
        except ProtectedError:
            # Still referenced by a record that stays: block it instead (no login, no name kept).
            gebruiker.is_active = False
            gebruiker.set_unusable_password()
            gebruiker.first_name = gebruiker.last_name = gebruiker.email = ""
            gebruiker.username = f"verwijderd-{gebruiker.pk}"
            gebruiker.save()


def verwerk_leerling(school, leerling, proef, op=None, gezien=None):
    """Remove (or, in a dry run, count) what is due for one pupil, in its own transaction.
    Returns the pupil's counts per category ({categorie: {leerlingen, records, historie, bestanden}});
    `gezien` collects the inzagelog row ids counted, so the log's own term does not count them twice."""
    from leerlingen.models import Opschaling

    from .models import Verwijdering

    tellingen = {}
    categorieen = verlopen_categorieen(school, leerling, op)
    if not categorieen:
        return tellingen
    sleutel = leerling_sleutel(leerling.pk)
    with transaction.atomic():
        inzagen = 0
        tombstones = []
        for categorie in categorieen:
            plan = PLANNERS[categorie](leerling)
            inzage = getattr(plan, "inzage", None)
            if inzage is not None:
                ids = set(inzage.values_list("pk", flat=True))
                if gezien is not None:
                    ids -= gezien
                    gezien |= ids
                inzagen += len(ids)
                if ids and not proef:
                    inzage.model.objects.filter(pk__in=ids).delete()
            if plan.leeg():
                continue
            tellingen[categorie] = {
                "leerlingen": 1, "records": plan.aantal(), "historie": sum(len(i) for _m, i in plan.historie),
                "bestanden": len(plan.bestanden),
            }
            if proef:
                continue
            if categorie == EXTERN and ZORGDOSSIER not in categorieen:
                # Opschaling.toestemming is PROTECT: the step up stays, without its consent link.
                Opschaling.objects.filter(leerling=leerling, toestemming_id__in=plan.toestemmingen).update(
                    toestemming=None
                )
            aantal = _verwijder(plan)
            if categorie == LEERLING:
                _verwijder_accounts(plan.accounts)
            tombstones.append(Verwijdering(school=school, leerling_sleutel=sleutel, categorie=categorie,
                                           aantal=aantal))
        if inzagen:
            tellingen[INZAGELOG] = {"leerlingen": 1, "records": inzagen, "historie": 0, "bestanden": 0}
            tombstones.append(Verwijdering(school=school, leerling_sleutel=sleutel, categorie=INZAGELOG,
                                           aantal=inzagen))
        if tombstones and not proef:
            Verwijdering.objects.bulk_create(tombstones)
    return tellingen


def verwerk_oude_inzagen(school, proef, op=None, gezien=frozenset(), al_geteld=frozenset()):
    """The inzagelog term for every pupil (enrolled or not; holds excepted). Returns the counts."""
    from .models import Verwijdering

    qs = oude_inzagen(school, op).exclude(leerling__bewaarplicht=True).exclude(pk__in=list(gezien))
    per_leerling = dict(qs.order_by().values_list("leerling_id").annotate(n=Count("pk")))
    telling = {"leerlingen": len(set(per_leerling) - set(al_geteld)), "records": sum(per_leerling.values()),
               "historie": 0, "bestanden": 0}
    if proef or not per_leerling:
        return telling
    with transaction.atomic():
        qs.delete()
        Verwijdering.objects.bulk_create(
            Verwijdering(school=school, leerling_sleutel=leerling_sleutel(lid), categorie=INZAGELOG, aantal=n)
            for lid, n in per_leerling.items()
        )
    return telling


def _optellen(rapport, categorie, telling):
    for sleutel, waarde in telling.items():
        rapport["categorieen"][categorie][sleutel] += waarde


def ronde(school, proef=None, op=None):
    """One retention run for one school: a dry run while removal is off (or when asked), else
    the real removal. Writes a Bewaarronde with the report and returns it. Each pupil is done in
    its own transaction: a failure is logged and counted, the others go on."""
    from .models import Bewaarronde

    if proef is None:
        proef = not school.bewaartermijnen_actief
    rapport = _leeg_rapport(school, proef, op)
    gezien, inzage_leerlingen = set(), set()
    for leerling in kandidaten(school, op).select_related("gebruiker").order_by("pk"):
        if leerling.bewaarplicht:
            if verlopen_categorieen(school, leerling, op):
                rapport["bewaarplicht"].append(leerling.pk)
            continue
        try:
            tellingen = verwerk_leerling(school, leerling, proef, op, gezien=gezien)
        except Exception:
            rapport["fouten"] += 1
            logger.exception("Bewaartermijnen: leerling %s van school %s niet verwerkt", leerling.pk, school.pk)
            continue
        for categorie, telling in tellingen.items():
            _optellen(rapport, categorie, telling)
        if INZAGELOG in tellingen:
            inzage_leerlingen.add(leerling.pk)
    try:
        _optellen(rapport, INZAGELOG, verwerk_oude_inzagen(school, proef, op, gezien, inzage_leerlingen))
    except Exception:
        rapport["fouten"] += 1
        logger.exception("Bewaartermijnen: inzagelog van school %s niet opgeschoond", school.pk)
    return Bewaarronde.objects.create(school=school, proef=proef, rapport=rapport)


def rapport(school, op=None):
    """The dry-run report now: what would go, per category, without changing anything (only the
    Bewaarronde with the report is written)."""
    return ronde(school, proef=True, op=op)


def laatste_proef(school):
    return school.bewaarrondes.filter(proef=True).order_by("-op").first()


# Working files and logs about users rather than pupils: removed every night (not school-configurable).
EXPORT_DAGEN = 30  # bulk PDF exports (plannen.Export): a download, not a record
LOGBOEK_DAGEN = 365  # refused requests (Weigering) and django-axes login logs


def ruim_op(op=None):
    """Remove old bulk exports (with their files) and year-old security logs. Returns counts."""
    from axes.models import AccessFailureLog, AccessLog

    from plannen.models import Export

    from .models import Weigering

    op = op or timezone.now()
    exports = Export.objects.filter(aangemaakt_op__lt=op - datetime.timedelta(days=EXPORT_DAGEN))
    bestanden = [naam for naam in exports.values_list("bestand", flat=True) if naam]
    grens_logboek = op - datetime.timedelta(days=LOGBOEK_DAGEN)
    with transaction.atomic():
        telling = {
            "exports": exports.delete()[0],
            "weigeringen": Weigering.objects.filter(op__lt=grens_logboek).delete()[0],
            "inlogregels": AccessLog.objects.filter(attempt_time__lt=grens_logboek).delete()[0]
            + AccessFailureLog.objects.filter(attempt_time__lt=grens_logboek).delete()[0],
        }
        transaction.on_commit(lambda: [_verwijder_bestand(naam) for naam in bestanden])
    return telling


def nachtelijke_ronde():
    """The nightly task: every school, a dry run or the real removal per its switch; then old
    exports and security logs (ruim_op)."""
    from .models import School

    uitkomst = {"opgeruimd": ruim_op()}
    for school in School.objects.order_by("pk"):
        try:
            r = ronde(school)
        except Exception:
            logger.exception("Bewaartermijnen: school %s niet verwerkt", school.pk)
            uitkomst[school.code] = "fout"
            continue
        uitkomst[school.code] = {"proef": r.proef, "fouten": r.rapport["fouten"],
                                 **{c: v["records"] for c, v in r.rapport["categorieen"].items()}}
    return uitkomst
