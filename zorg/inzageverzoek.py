"""Inzageverzoek: everything the school holds about one pupil, as a PDF and a machine-readable ZIP.

A parent (or a pupil from 16) may ask what the school holds (AVG art. 15, answered within four
weeks: seed-003 §6, AVG art. 12 lid 3). The zorgcoördinator of the pupil's school produces the
export; it is meant to be complete, so it includes what the zorgcoördinator reads anyway and
more: confidential dossier entries (vertrouwelijk), anonymous meeting items about the pupil,
confidential groepsoverzicht columns, the inzagelog and the change history. The zorgcoördinator
reviews it before handing it over (refusal grounds, third parties: seed-003 L7424-7430).

JSON structure (`VERSIE` 1; keys are stable, new sections may be added):

    {
      "version": 1,
      "generated_at": "2026-11-26T06:00:00+01:00",     ISO 8601, local time with offset
      "generated_by": {"id": 3, "name": "..."},
      "school": {"id": 1, "name": "...", "code": "..."},
      "pupil": {"id": 7, "name": "...", "leerlingnummer": "..."},
      "sections": {
        "<key>": {                                       e.g. "dossieritems"
          "title": "Dossier",                            Dutch heading
          "model": "leerlingen.dossieritem",
          "fields": {"<name>": {"label": "...", "type": "CharField", "choices": {...}}},
          "records": [{"id": 1, "<name>": <value>, ...}]
        }, ...
        "historie": {"title": ..., "records": [{"model", "object_id", "history_id", "date",
                     "type" ("+" created, "~" changed, "-" deleted), "user", "reason",
                     "changes": [{"field", "label", "old", "new"}]}]}
      },
      "files": [{"path": "bestanden/dossieritems/12-verslag.pdf", "section", "record_id",
                 "name", "size"}],
      "missing_files": [{"section", "record_id", "name"}]
    }

Values: dates and datetimes ISO 8601; a foreign key is {"id": .., "label": ".."} (in "historie"
"changes" the stored id only); a choice field
keeps its stored value (its labels are in "fields"); an uploaded file is its path inside the ZIP
(or null when there is none). Secrets are never exported: password hashes, invitation code
hashes, session keys, second-factor devices.

Queries are bounded: one per section, one per model that foreign keys point to (labels), one per
history table; never one per record.
"""

import datetime
import json
import shutil
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext_lazy as _

from besprekingen.models import Aanmelding, Afspraak, Agendapunt
from extern.models import ExterneToegang, Terugkoppeling, Toestemming, Verwijzing
from leerlingen.models import (
    Betrokkene,
    Dossieritem,
    Klasplaatsing,
    Leerling,
    LeerlingGroupObjectPermission,
    LeerlingUserObjectPermission,
    Opschaling,
    Ouder,
    OuderRelatie,
)
from ouders.models import Correctieverzoek, Uitnodiging
from plannen.models import Betrokkenheid, Cel, Doel, GroepsplanRij, Handelingsplan, Observatie

from .models import Gebruiker, Herinnering, Inzage, Notificatie

VERSIE = 1
ONDERDEEL_PDF = _("inzageverzoek (PDF)")
ONDERDEEL_ZIP = _("inzageverzoek (ZIP)")
TERMIJN_WEKEN = 4

# Never exported, whatever the model.
GEHEIM = {"password", "code_hash", "sessiesleutel", "session_key", "session_data", "key", "token"}
# The pupil's own account: only these fields (no password hash, session key, 2FA devices).
ACCOUNT_VELDEN = [
    "username", "first_name", "last_name", "email", "is_active", "date_joined", "last_login", "taal",
    "email_voorkeur", "geblokkeerd_op", "geblokkeerd_reden",
]


@dataclass
class Sectie:
    sleutel: str
    titel: str
    model: type
    records: object  # callable(leerling) -> QuerySet
    velden: list | None = None  # None: every concrete field except secrets
    weglaten: set = field(default_factory=set)
    uitleg: str = ""
    # History rows of deleted records: an extra filter on the history table (callable(leerling) -> Q).
    historie: object = None


def _leerling_historie(leerling):
    return Q(leerling_id=leerling.pk)


def _plan_ids(leerling):
    """Ids of the pupil's handelingsplannen, also deleted ones (from their history)."""
    return Handelingsplan.history.filter(leerling_id=leerling.pk).values("id")


def _verwijzing_ids(leerling):
    return Verwijzing.history.filter(leerling_id=leerling.pk).values("id")


def _afspraken(leerling):
    return Afspraak.objects.filter(
        Q(leerling=leerling) | Q(agendapunt__leerling=leerling) | Q(handelingsplan__leerling=leerling)
    ).distinct()


def _notificaties(leerling):
    voorwaarde = Q(leerling=leerling)
    if leerling.gebruiker_id:
        voorwaarde |= Q(ontvanger_id=leerling.gebruiker_id)
    return Notificatie.objects.filter(voorwaarde)


def _uitnodigingen(leerling):
    return Uitnodiging.objects.filter(
        Q(leerling=leerling) | Q(ouder__relaties__leerling=leerling, school_id=leerling.school_id)
    ).distinct()


SECTIES = [
    Sectie("leerling", _("Gegevens van de leerling"), Leerling, lambda lln: Leerling.objects.filter(pk=lln.pk),
           uitleg=_("Naam, leerlingnummer, data van in- en uitschrijving, zorgniveau en case-manager.")),
    Sectie("account", _("Account van de leerling"), Gebruiker,
           lambda lln: Gebruiker.objects.filter(pk=lln.gebruiker_id) if lln.gebruiker_id else Gebruiker.objects.none(),
           velden=ACCOUNT_VELDEN, uitleg=_("Zonder wachtwoord en tweestapsgegevens.")),
    Sectie("klasplaatsingen", _("Klassen"), Klasplaatsing, lambda lln: Klasplaatsing.objects.filter(leerling=lln),
           historie=_leerling_historie),
    Sectie("ouders", _("Ouders en verzorgers"), Ouder, lambda lln: Ouder.objects.filter(relaties__leerling=lln)),
    Sectie("ouderrelaties", _("Relatie en ouderlijk gezag"), OuderRelatie,
           lambda lln: OuderRelatie.objects.filter(leerling=lln), historie=_leerling_historie),
    Sectie("betrokkenen", _("Betrokken zorgteamleden"), Betrokkene, lambda lln: Betrokkene.objects.filter(leerling=lln),
           historie=_leerling_historie),
    Sectie("gedeeld_met", _("Dossier gedeeld met medewerkers"), LeerlingUserObjectPermission,
           lambda lln: LeerlingUserObjectPermission.objects.filter(content_object=lln)),
    Sectie("gedeeld_met_groepen", _("Dossier gedeeld met groepen"), LeerlingGroupObjectPermission,
           lambda lln: LeerlingGroupObjectPermission.objects.filter(content_object=lln)),
    Sectie("dossieritems", _("Dossier (alle items, ook vertrouwelijke)"), Dossieritem,
           lambda lln: Dossieritem.objects.filter(leerling=lln).order_by("datum", "aangemaakt_op", "pk"),
           weglaten={"bestandsgrootte"}, historie=_leerling_historie),
    Sectie("opschalingen", _("Opschalingen in de zorgroute"), Opschaling,
           lambda lln: Opschaling.objects.filter(leerling=lln).order_by("aangevraagd_op", "pk"),
           historie=_leerling_historie),
    Sectie("handelingsplannen", _("Handelingsplannen (met reactie van ouders)"), Handelingsplan,
           lambda lln: Handelingsplan.objects.filter(leerling=lln).order_by("start", "pk"),
           historie=_leerling_historie),
    Sectie("doelen", _("Doelen van de handelingsplannen"), Doel,
           lambda lln: Doel.objects.filter(handelingsplan__leerling=lln),
           historie=lambda lln: Q(handelingsplan_id__in=_plan_ids(lln))),
    Sectie("planbetrokkenen", _("Uitvoerders van de handelingsplannen"), Betrokkenheid,
           lambda lln: Betrokkenheid.objects.filter(handelingsplan__leerling=lln),
           historie=lambda lln: Q(handelingsplan_id__in=_plan_ids(lln))),
    Sectie("groepsplanrijen", _("Groepsplannen waarin de leerling staat"), GroepsplanRij,
           lambda lln: GroepsplanRij.objects.filter(leerlingen=lln),
           uitleg=_("Zonder de namen van de andere leerlingen in dezelfde groep.")),
    Sectie("groepsoverzicht", _("Groepsoverzicht: gegevens van de leerling (ook vertrouwelijke kolommen)"), Cel,
           lambda lln: Cel.objects.filter(leerling=lln).order_by("groepsoverzicht_id", "kolom_id"),
           historie=_leerling_historie),
    Sectie("observaties", _("Observaties van docenten"), Observatie,
           lambda lln: Observatie.objects.filter(leerling=lln), historie=_leerling_historie),
    Sectie("aanmeldingen", _("Aanmeldingen voor leerlingbespreking, IZO en ZAT"), Aanmelding,
           lambda lln: Aanmelding.objects.filter(leerling=lln), historie=_leerling_historie),
    Sectie("agendapunten", _("Besprekingen: agendapunten over de leerling (ook anonieme)"), Agendapunt,
           lambda lln: Agendapunt.objects.filter(leerling=lln), historie=_leerling_historie),
    Sectie("afspraken", _("Afspraken en besluiten"), Afspraak, _afspraken, historie=_leerling_historie),
    Sectie("toestemmingen", _("Toestemmingen"), Toestemming, lambda lln: Toestemming.objects.filter(leerling=lln),
           historie=_leerling_historie),
    Sectie("verwijzingen", _("Verwijzingen naar externe instellingen"), Verwijzing,
           lambda lln: Verwijzing.objects.filter(leerling=lln), historie=_leerling_historie),
    Sectie("terugkoppelingen", _("Terugkoppelingen van instellingen"), Terugkoppeling,
           lambda lln: Terugkoppeling.objects.filter(verwijzing__leerling=lln),
           historie=lambda lln: Q(verwijzing_id__in=_verwijzing_ids(lln))),
    Sectie("externe_toegang", _("Toegang van externe partners"), ExterneToegang,
           lambda lln: ExterneToegang.objects.filter(verwijzing__leerling=lln),
           historie=lambda lln: Q(verwijzing_id__in=_verwijzing_ids(lln))),
    Sectie("correctieverzoeken", _("Correctieverzoeken"), Correctieverzoek,
           lambda lln: Correctieverzoek.objects.filter(leerling=lln), historie=_leerling_historie),
    Sectie("uitnodigingen", _("Uitnodigingen voor het portaal"), Uitnodiging, _uitnodigingen,
           uitleg=_("Zonder de eenmalige codes.")),
    Sectie("notificaties", _("Meldingen over de leerling"), Notificatie, _notificaties,
           uitleg=_("Meldingen aan medewerkers die over deze leerling gaan, en meldingen aan het account van de "
                    "leerling.")),
    Sectie("herinneringen", _("Verstuurde herinneringen"), Herinnering,
           lambda lln: Herinnering.objects.filter(notificatie__in=_notificaties(lln).values("pk"))),
    Sectie("inzagelog", _("Inzagelog: wie las wat, wanneer"), Inzage,
           lambda lln: Inzage.objects.filter(leerling=lln).order_by("op", "pk")),
]

# Models with a path to Leerling that the export deliberately leaves out (see the test that walks
# the model graph, tests/test_beveiliging_inzageverzoek.py). Historical* models are covered by
# the "historie" section and are not listed here.
UITGESLOTEN = {
    # The m2m history of groepsplan rows: the rows the pupil is in are exported, their own
    # history too (HistoricalGroepsplanRij); this table only repeats which pupils were members.
    "plannen.historicalgroepsplanrij_leerlingen": "lidmaatschap in de historie van groepsplanrijen",
}


def gedekte_modellen():
    """Labels (app.model, lower case) of the models the export covers: every section's model, the
    history table of each, and the auto-created m2m table between a section's model and Leerling."""
    gedekt = set()
    for sectie in SECTIES:
        gedekt.add(sectie.model._meta.label_lower)
        historie = _historiemodel(sectie.model)
        if historie is not None:
            gedekt.add(historie._meta.label_lower)
        for veld in sectie.model._meta.many_to_many:
            if veld.related_model is Leerling:
                gedekt.add(veld.remote_field.through._meta.label_lower)
    # Ouder links to Leerling through OuderRelatie (an explicit m2m through model, a section).
    return gedekt


def _historiemodel(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


# --- Values ---------------------------------------------------------------------------------


def _label_gebruiker(o):
    return o.naam


LABELS = {
    "zorg.gebruiker": (_label_gebruiker, []),
    "leerlingen.leerling": (lambda o: o.naam, []),
    "leerlingen.ouder": (lambda o: o.naam, []),
    "leerlingen.dossieritem": (
        lambda o: " ".join(p for p in (str(o.get_soort_display()), o.datum.isoformat(), o.titel) if p), []),
    "leerlingen.opschaling": (lambda o: f"{_('opschaling')} {timezone.localtime(o.aangevraagd_op):%Y-%m-%d}", []),
    "extern.toestemming": (lambda o: f"{o.get_doel_display()} ({o.get_status_display()}, {o.datum.isoformat()})", []),
    "extern.verwijzing": (lambda o: f"{o.instelling.naam} ({o.aangemeld_op.isoformat()})", ["instelling"]),
    "extern.contactpersoon": (lambda o: f"{o.naam} ({o.instelling.naam})", ["instelling"]),
    "besprekingen.bespreking": (lambda o: f"{o.naam} ({timezone.localtime(o.begin):%Y-%m-%d})", ["klas"]),
    "besprekingen.agendapunt": (
        lambda o: f"{o.bespreking.naam} ({timezone.localtime(o.bespreking.begin):%Y-%m-%d})", ["bespreking__klas"]),
    "besprekingen.aanmelding": (
        lambda o: f"{o.get_soort_display()} ({timezone.localtime(o.aangemeld_op):%Y-%m-%d})", []),
    "plannen.handelingsplan": (lambda o: f"{_('handelingsplan')} {o.start.isoformat()}", []),
    "plannen.groepsplan": (lambda o: f"{_('groepsplan')} {o.klas.naam} {o.periode}", ["klas", "periode"]),
    "plannen.groepsoverzicht": (lambda o: str(o), ["klas", "periode"]),
    "auth.permission": (lambda o: o.codename, []),
    "auth.group": (lambda o: o.name, []),
    "zorg.notificatie": (lambda o: o.tekst, []),
}


def _als_json(waarde):
    if isinstance(waarde, datetime.datetime):
        return timezone.localtime(waarde).isoformat() if timezone.is_aware(waarde) else waarde.isoformat()
    if isinstance(waarde, (datetime.date, datetime.time)):
        return waarde.isoformat()
    if isinstance(waarde, datetime.timedelta):
        return waarde.total_seconds()
    if isinstance(waarde, (bytes, memoryview)):
        return None
    return waarde


def _tonen(waarde, veld=None):
    """A value as the PDF shows it (Dutch, readable)."""
    if waarde is None or waarde == "" or waarde == []:
        return ""
    if isinstance(waarde, dict) and "label" in waarde:
        return str(waarde["label"])
    if isinstance(waarde, bool):
        return str(_("ja") if waarde else _("nee"))
    if veld is not None and veld.choices:
        return str(dict(veld.flatchoices).get(waarde, waarde))
    if isinstance(waarde, datetime.datetime):
        return f"{timezone.localtime(waarde) if timezone.is_aware(waarde) else waarde:%d-%m-%Y %H:%M}"
    if isinstance(waarde, datetime.date):
        return f"{waarde:%d-%m-%Y}"
    if isinstance(waarde, list):
        return ", ".join(str(w) for w in waarde)
    return str(waarde)


def _velden(sectie):
    """The concrete fields a section exports, in model order."""
    velden = [v for v in sectie.model._meta.concrete_fields if v.name not in GEHEIM and v.name not in sectie.weglaten]
    if sectie.velden is not None:
        gekozen = set(sectie.velden)
        velden = [v for v in velden if v.name in gekozen]
    return velden


# Dutch labels for fields of third-party models (django-guardian's grant rows).
VELDLABELS = {"permission": _("recht"), "user": _("medewerker"), "group": _("groep"),
              "content_object": _("leerling")}


def _veldlabel(veld):
    if veld.model.__module__.startswith("leerlingen") and veld.name in VELDLABELS:
        return str(VELDLABELS[veld.name])
    return str(veld.verbose_name)


def _veld_info(veld):
    info = {"label": _veldlabel(veld), "type": veld.get_internal_type()}
    if veld.choices:
        info["choices"] = {str(k): str(v) for k, v in veld.flatchoices}
    return info


def _labels(fk_ids):
    """{(model label, pk): label} with one query per target model."""
    labels = {}
    for label, ids in fk_ids.items():
        model = apps.get_model(label)
        maker, paden = LABELS.get(label, (str, []))
        qs = model._base_manager.filter(pk__in=ids)
        if paden:
            qs = qs.select_related(*paden)
        for obj in qs:
            labels[(label, obj.pk)] = str(maker(obj))
    return labels


@dataclass
class Bestand:
    pad: str  # inside the ZIP
    veldbestand: object
    sectie: str
    record_id: object
    naam: str


@dataclass
class Export:
    """The collected data: `data` is the JSON document; `pdf_secties` feed the PDF template;
    `bestanden` are the uploads to put in the ZIP."""

    data: dict
    pdf_secties: list
    bestanden: list
    leerling: Leerling


def _bestandspad(sectie, pk, veldbestand, naam):
    basis = get_valid_filename(naam or veldbestand.name.rsplit("/", 1)[-1]) or "bestand"
    return f"bestanden/{sectie}/{pk}-{basis}"


def verzamel(leerling, gebruiker, school):
    """Collect everything held about `leerling`. The caller checked access (toegang)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _verzamel(leerling, gebruiker, school)


def _verzamel(leerling, gebruiker, school):
    ruw = []  # (sectie, velden, objects)
    fk_ids = defaultdict(set)
    for sectie in SECTIES:
        velden = _velden(sectie)
        objecten = list(sectie.records(leerling))
        for veld in velden:
            if veld.is_relation and veld.many_to_one or veld.one_to_one:
                doel = veld.related_model._meta.label_lower
                for obj in objecten:
                    waarde = getattr(obj, veld.attname)
                    if waarde is not None:
                        fk_ids[doel].add(waarde)
        ruw.append((sectie, velden, objecten))
    labels = _labels(fk_ids)

    secties, pdf_secties, bestanden, ontbrekend = {}, [], [], []
    for sectie, velden, objecten in ruw:
        records, pdf_records = [], []
        for obj in objecten:
            record, regels = {"id": obj.pk}, []
            for veld in velden:
                if veld.primary_key:
                    continue
                if veld.is_relation:
                    pk = getattr(obj, veld.attname)
                    waarde = None if pk is None else {
                        "id": pk, "label": labels.get((veld.related_model._meta.label_lower, pk), str(pk))}
                    tekst = _tonen(waarde)
                elif isinstance(veld, models.FileField):
                    veldbestand = getattr(obj, veld.attname)
                    waarde, tekst = None, ""
                    if veldbestand:
                        naam = getattr(obj, "bestandsnaam", "") or veldbestand.name.rsplit("/", 1)[-1]
                        if veldbestand.storage.exists(veldbestand.name):
                            waarde = _bestandspad(sectie.sleutel, obj.pk, veldbestand, naam)
                            bestanden.append(Bestand(waarde, veldbestand, sectie.sleutel, obj.pk, naam))
                            tekst = str(_("bijlage in de ZIP: %(pad)s") % {"pad": waarde})
                        else:
                            ontbrekend.append({"section": sectie.sleutel, "record_id": obj.pk, "name": naam})
                            tekst = str(_("bestand ontbreekt: %(naam)s") % {"naam": naam})
                else:
                    ruwe = getattr(obj, veld.attname)
                    waarde = _als_json(ruwe)
                    tekst = _tonen(ruwe, veld)
                record[veld.name] = waarde
                over_leerling = veld.is_relation and veld.related_model is Leerling and waarde is not None \
                    and waarde["id"] == leerling.pk  # the PDF is about this pupil: not on every record
                if tekst and not over_leerling:
                    regels.append((_veldlabel(veld), tekst))
            records.append(record)
            pdf_records.append({"id": obj.pk, "regels": regels})
        secties[sectie.sleutel] = {
            "title": str(sectie.titel),
            "model": sectie.model._meta.label_lower,
            "fields": {veld.name: _veld_info(veld) for veld in velden if not veld.primary_key},
            "records": records,
        }
        pdf_secties.append({"sleutel": sectie.sleutel, "titel": str(sectie.titel), "uitleg": str(sectie.uitleg),
                            "records": pdf_records})

    historie = _historie(leerling, {s.sleutel: [o.pk for o in objs] for s, _v, objs in ruw})
    secties["historie"] = {
        "title": str(_("Wijzigingshistorie")),
        "model": None,
        "fields": {},
        "records": historie,
    }
    data = {
        "version": VERSIE,
        "generated_at": timezone.localtime().isoformat(),
        "generated_by": {"id": gebruiker.pk, "name": gebruiker.naam},
        "school": {"id": school.pk, "name": school.naam, "code": school.code},
        "pupil": {"id": leerling.pk, "name": leerling.naam, "leerlingnummer": leerling.leerlingnummer},
        "sections": secties,
        "files": [{"path": b.pad, "section": b.sectie, "record_id": b.record_id, "name": b.naam,
                   "size": _grootte(b.veldbestand)} for b in bestanden],
        "missing_files": ontbrekend,
    }
    return Export(data=data, pdf_secties=pdf_secties, bestanden=bestanden, leerling=leerling)


def _grootte(veldbestand):
    try:
        return veldbestand.size
    except OSError:
        return None


# --- History --------------------------------------------------------------------------------

HISTORIE_SOORT = {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}


def _historie(leerling, ids_per_sectie):
    """Every simple-history row of the exported records (and of deleted records that were about
    the pupil), oldest first, each with the fields it changed compared to the row before."""
    gebruikers = {}
    rijen = []
    for sectie in SECTIES:
        historiemodel = _historiemodel(sectie.model)
        if historiemodel is None:
            continue
        voorwaarde = Q(id__in=ids_per_sectie.get(sectie.sleutel, []))
        if sectie.historie is not None:
            voorwaarde |= sectie.historie(leerling)
        if sectie.model is GroepsplanRij:
            # Rows the pupil was once a member of (the m2m history keeps the members per version).
            leden = apps.get_model("plannen", "HistoricalGroepsplanRij_leerlingen")
            voorwaarde |= Q(history_id__in=leden.objects.filter(leerling_id=leerling.pk).values("history_id"))
        velden = [v for v in sectie.model._meta.concrete_fields
                  if v.name not in GEHEIM and v.name not in sectie.weglaten
                  and (sectie.velden is None or v.name in sectie.velden)]
        velden = [v for v in velden if not v.primary_key and _heeft_kolom(historiemodel, v.attname)]
        vorige = {}
        for rij in historiemodel.objects.filter(voorwaarde).order_by("id", "history_date", "history_id"):
            wijzigingen = []
            oud = vorige.get(rij.id)
            for veld in velden:
                nieuw = getattr(rij, veld.attname)
                oude = getattr(oud, veld.attname) if oud is not None else None
                ongewijzigd = nieuw == oude if oud is not None else nieuw in (None, "")
                if rij.history_type == "-" or ongewijzigd:
                    continue
                if isinstance(veld, models.FileField):
                    nieuw, oude = str(nieuw or ""), str(oude or "")
                wijzigingen.append({"field": veld.name, "label": str(veld.verbose_name),
                                    "old": _als_json(oude), "new": _als_json(nieuw)})
            vorige[rij.id] = rij
            if rij.history_user_id:
                gebruikers[rij.history_user_id] = None
            rijen.append({
                "model": sectie.model._meta.label_lower, "section": sectie.sleutel, "object_id": rij.id,
                "history_id": rij.history_id, "date": _als_json(rij.history_date), "type": rij.history_type,
                "user": rij.history_user_id, "reason": rij.history_change_reason or "", "changes": wijzigingen,
            })
    volledig = {g.pk: g.naam for g in Gebruiker.objects.filter(pk__in=list(gebruikers))}
    for rij in rijen:
        pk = rij["user"]
        rij["user"] = None if pk is None else {"id": pk, "label": volledig.get(pk, str(pk))}
    rijen.sort(key=lambda r: (r["date"], r["history_id"]))
    return rijen


def _heeft_kolom(model, attname):
    try:
        model._meta.get_field(attname)
    except Exception:
        return False
    return True


# --- Output ---------------------------------------------------------------------------------


def als_json(export):
    return json.dumps(export.data, ensure_ascii=False, indent=2, default=str)


def pdf_context(export):
    data = export.data
    historie = [
        {
            "datum": _tonen(datetime.datetime.fromisoformat(r["date"])),
            "soort": str(HISTORIE_SOORT.get(r["type"], r["type"])),
            "wat": f"{data['sections'][r['section']]['title']} #{r['object_id']}",
            "wie": r["user"]["label"] if r["user"] else "",
            "velden": ", ".join(w["label"] for w in r["changes"]),
        }
        for r in data["sections"]["historie"]["records"]
    ]
    return {
        "leerling": export.leerling,
        "titel": str(_("Inzageverzoek %(naam)s") % {"naam": export.leerling.naam}),
        "secties": export.pdf_secties,
        "historie": historie,
        "gemaakt_door": data["generated_by"]["name"],
        "gemaakt_op": timezone.localtime(),
        "termijn_weken": TERMIJN_WEKEN,
        "bestanden": data["files"],
        "ontbrekend": data["missing_files"],
    }


def als_pdf(export, school):
    from plannen.pdf import render_pdf

    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("zorg/pdf/inzageverzoek.html", {"school": school, **pdf_context(export)})


def bestandsnaam(leerling, extensie):
    return f"inzageverzoek-{slugify(leerling.naam) or leerling.pk}-{timezone.localdate().isoformat()}.{extensie}"


def als_zip(export, school, pdf=None):
    """The ZIP (export.json, the PDF, every uploaded file) in a temporary file that spills to disk
    beyond a few megabytes; returned at position 0. The caller closes it (FileResponse does)."""
    pdf = pdf if pdf is not None else als_pdf(export, school)
    tijdelijk = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (returned open)
    with zipfile.ZipFile(tijdelijk, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("export.json", als_json(export))
        zf.writestr(bestandsnaam(export.leerling, "pdf"), pdf)
        for bestand in export.bestanden:
            with bestand.veldbestand.open("rb") as bron, zf.open(bestand.pad, "w", force_zip64=True) as doel:
                shutil.copyfileobj(bron, doel, 1024 * 1024)
    tijdelijk.seek(0)
    return tijdelijk


def aantallen(leerling):
    """Records per section for the page (one count query per section)."""
    with translation.override(settings.LANGUAGE_CODE):
        return [(str(s.titel), str(s.uitleg), s.records(leerling).count()) for s in SECTIES]
