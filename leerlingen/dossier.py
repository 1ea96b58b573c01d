"""Dossier services: the timeline, recording and changing entries, and checking uploads.

Authorisation itself lives in `zorg.toegang`; this module builds on it (which entries a user
may read, whether they may write) and holds the business rules of the dossier: defaults per
kind, who is notified of a signalering, optimistic concurrency on edits, and what an uploaded
file must look like before it is stored.
"""

import datetime
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zorg import notificaties, toegang
from zorg.models import Functie, Klas, Periode, Zorgniveau

from .models import Dossieritem

Soort = Dossieritem.Soort
Vertrouwelijkheid = Dossieritem.Vertrouwelijkheid

# Kinds a user records through the dossier forms (zorgniveau-besluit and overdracht are made
# by the zorgroute services, and are not edited through the generic entry form).
NIEUWE_SOORTEN = [Soort.GESPREK, Soort.INTERVENTIE, Soort.BIJZONDERHEID, Soort.DOCUMENT, Soort.TOETS]
BEWERKBARE_SOORTEN = {Soort.SIGNALERING, *NIEUWE_SOORTEN}

# Sensitive kinds start out confidential (domain.md: bijzonderheden are sensitive by default).
STANDAARD_VERTROUWELIJKHEID = {Soort.BIJZONDERHEID: Vertrouwelijkheid.VERTROUWELIJK}

# Short names for the change reason kept in history.
KORTE_VERTROUWELIJKHEID = {
    Vertrouwelijkheid.TEAM: gettext_lazy("team"),
    Vertrouwelijkheid.VERTROUWELIJK: gettext_lazy("vertrouwelijk"),
    Vertrouwelijkheid.OUDERS: gettext_lazy("gedeeld met ouders"),
}

# Text fields searched by the timeline's search box.
ZOEKVELDEN = ["titel", "tekst", "hulpvraag", "acties", "uitgevoerd_door", "afspraken", "bestandsnaam",
              "toets_onderdeel", "toets_score"]


def standaard_vertrouwelijkheid(soort):
    return STANDAARD_VERTROUWELIJKHEID.get(soort, Vertrouwelijkheid.TEAM)


def mag_soort_vastleggen(user, school, leerling, soort):
    """Docenten record signaleringen only; the other kinds need write access to the dossier."""
    if soort == Soort.SIGNALERING:
        return toegang.mag_signaleren(user, school, leerling)
    return soort in NIEUWE_SOORTEN and toegang.mag_dossier_schrijven(user, school, leerling)


def ziet_alleen_handelingstips(user, school, leerling):
    """A docent with no other relation to the pupil reads handelingstips and own entries only."""
    relaties = toegang.relaties_met(user, school, leerling)
    return "docent" in relaties and not relaties & (toegang.SCHRIJVEN | set(toegang.LEZEN))


def mag_signaleren_in_klas(rollen, klas):
    """Whether a user may record signaleringen for the pupils of a klas list they opened.

    Mirrors `toegang.mag_signaleren` for a whole klas at once (no query per row): docent or
    mentor of the klas, teamleider of its afdeling, or the zorgcoördinator.
    """
    if rollen is None or klas is None:
        return False
    return (
        klas.pk in rollen.mentor_klassen
        or klas.pk in rollen.docent_klassen
        or klas.afdeling_id in rollen.teamleider_afdelingen
        or rollen.heeft("zorgcoordinator")
    )


# --- The timeline ---------------------------------------------------------------------------


@dataclass
class Maand:
    begin: datetime.date
    items: list = field(default_factory=list)


@dataclass
class Tijdlijn:
    maanden: list
    aantal: int
    gefilterd: bool
    getoond: int = 0
    meer: bool = False


def periode_keuzes(schooljaar, schooljaren):
    """Choices for the timeline's period filter: the periods of the current schooljaar, then
    the pupil's schooljaren as a whole (newest first). Values are 'p<id>' and 'j<id>'.
    Each choice is (value, label, begin, einde)."""
    keuzes = []
    if schooljaar is not None:
        for periode in Periode.objects.filter(schooljaar=schooljaar).order_by("nummer"):
            keuzes.append((
                f"p{periode.pk}",
                _("periode %(nummer)s (%(begin)s – %(einde)s)") % {
                    "nummer": periode.nummer,
                    "begin": periode.begin.strftime("%d-%m"),
                    "einde": periode.einde.strftime("%d-%m-%Y"),
                },
                periode.begin,
                periode.einde,
            ))
    uniek = {jaar.pk: jaar for jaar in [*schooljaren, *([schooljaar] if schooljaar else [])]}
    for jaar in sorted(uniek.values(), key=lambda j: j.begin, reverse=True):
        keuzes.append((f"j{jaar.pk}", _("schooljaar %(naam)s") % {"naam": jaar.naam}, jaar.begin, jaar.einde))
    return keuzes


PAGINA = 50  # entries shown at once; "Toon meer" adds another page

# The levels of a zorgniveau decision as values of the timeline's one query (the timeline shows their code and
# name only). Two more joins (on top of the four people/kind joins) made Postgres spend ≈ 4 ms planning the
# query on every timeline request, far more than executing it; a subquery per shown row costs nothing to plan.
_NIVEAU_VELDEN = {
    f"_{kant}_{veld}": Subquery(Zorgniveau.objects.filter(pk=OuterRef(f"{kant}_niveau_id")).values(veld)[:1])
    for kant in ("van", "naar") for veld in ("code", "naam")
}


def _zet_niveaus(item):
    """Attach the decision's levels (code and name, as read by _NIVEAU_VELDEN) without a query per row."""
    for kant in ("van", "naar"):
        pk = getattr(item, f"{kant}_niveau_id")
        if pk is not None:
            setattr(item, f"{kant}_niveau", Zorgniveau(pk=pk, code=getattr(item, f"_{kant}_code"),
                                                       naam=getattr(item, f"_{kant}_naam")))


def tijdlijn(user, school, leerling, soort="", periode="", zoek="", periodes=None, tonen=PAGINA):
    """The newest `tonen` entries of one pupil this user may read, grouped by month.

    A fixed number of queries whatever the number of entries: one for the entries (with
    their people and levels joined), one count when there are more, none per row.
    """
    qs = (
        toegang.dossieritems_voor(user, school, leerling)
        .select_related("auteur", "gewijzigd_door", "case_manager", "interventie")
        .annotate(**_NIVEAU_VELDEN)
        .order_by("-datum", "-aangemaakt_op", "-pk")
    )
    gefilterd = False
    if soort in Soort.values:
        qs = qs.filter(soort=soort)
        gefilterd = True
    if periode and periodes:
        for waarde, _label, begin, einde in periodes:
            if waarde == periode:
                qs = qs.filter(datum__gte=begin, datum__lte=einde)
                gefilterd = True
                break
    if zoek:
        voorwaarde = Q()
        for veld in ZOEKVELDEN:
            voorwaarde |= Q(**{f"{veld}__icontains": zoek})
        qs = qs.filter(voorwaarde)
        gefilterd = True
    items = list(qs[: tonen + 1])
    meer = len(items) > tonen
    items = items[:tonen]
    aantal = qs.count() if meer else len(items)
    is_zorgcoordinator = "zorgcoordinator" in toegang.relaties_met(user, school, leerling)
    maanden = []
    for item in items:
        item.leerling = leerling  # the pupil is already loaded: no query per row
        _zet_niveaus(item)
        item.mag_wijzigen = item.soort in BEWERKBARE_SOORTEN and (
            item.auteur_id == user.pk or is_zorgcoordinator
        )
        begin = item.datum.replace(day=1)
        if not maanden or maanden[-1].begin != begin:
            maanden.append(Maand(begin=begin))
        maanden[-1].items.append(item)
    return Tijdlijn(maanden=maanden, aantal=aantal, gefilterd=gefilterd, getoond=len(items), meer=meer)


def item_van(user, school, leerling, pk):
    """One entry of this pupil the user may read, or None."""
    try:
        item = (
            toegang.dossieritems_voor(user, school, leerling)
            .select_related("auteur", "gewijzigd_door", "van_niveau", "naar_niveau", "case_manager", "interventie")
            .get(pk=pk)
        )
    except (Dossieritem.DoesNotExist, ValueError, TypeError):
        return None
    item.leerling = leerling
    return item


def mag_wijzigen(user, school, item):
    return item.soort in BEWERKBARE_SOORTEN and toegang.mag_item_wijzigen(user, school, item)


# --- Recording entries ------------------------------------------------------------------------


def zorgcoordinatoren_van(schooljaar):
    from zorg.models import Gebruiker

    if schooljaar is None:
        return []
    soorten = [Functie.Soort.ZORGCOORDINATOR, Functie.Soort.INTERN_BEGELEIDER]
    return list(
        Gebruiker.objects.filter(functies__schooljaar=schooljaar, functies__soort__in=soorten, is_active=True)
        .distinct()
    )


def klassen_van(leerling):
    """The pupil's klassen over the years (with their schooljaar), newest first."""
    return list(
        Klas.objects.filter(plaatsingen__leerling=leerling).select_related("schooljaar").order_by("-schooljaar__begin")
    )


def kopgegevens(leerling, schooljaar, klassen=None):
    """Context for the pupil header (templates/leerlingen/_kop.html): current klas and its mentors,
    plus the klas history. Two queries."""
    klassen = klassen_van(leerling) if klassen is None else klassen
    klas = next((k for k in klassen if schooljaar is not None and k.schooljaar_id == schooljaar.pk), None)
    return {"klas": klas, "mentoren": list(klas.mentoren.all()) if klas else [], "geschiedenis": klassen}


def dossier_url(leerling):
    return reverse("leerling", args=[leerling.pk])


def leg_vast(item, user, leerling, bestand=None):
    """Save a new entry (from a validated form's unsaved instance) for a pupil.

    With `bestand` (a checked upload, see `controleer_bestand`) the file is stored under a
    random name first; when saving the row fails, the file is removed again.
    """
    item.leerling = leerling
    item.auteur = user
    item._history_user = user  # gewijzigd_door stays empty until someone changes the entry
    if bestand is None:
        item.save()
        return item
    item.bestandsnaam = bestand.naam
    item.bestandsgrootte = bestand.grootte
    item.bestand.save(bestand.opslagnaam, bestand.upload, save=False)
    opgeslagen = item.bestand.name
    try:
        with transaction.atomic():
            item.save()
    except BaseException:
        item.bestand.storage.delete(opgeslagen)
        raise
    return item


def leg_signalering_vast(item, request, leerling):
    """Record a signalering and notify who should act on it: the mentor(s) of the pupil's klas,
    or, for a confidential signal the mentor may not read, the zorgcoördinator(s)."""
    item.soort = Soort.SIGNALERING
    leg_vast(item, request.user, leerling)
    schooljaar = toegang.huidig_schooljaar(request.user, request.school)
    if item.vertrouwelijkheid == Vertrouwelijkheid.VERTROUWELIJK:
        ontvangers = zorgcoordinatoren_van(schooljaar)
    else:
        ontvangers = leerling.mentoren_in(schooljaar)
    tekst = _("Nieuwe signalering (%(domein)s) voor %(leerling)s door %(auteur)s") % {
        "domein": item.get_domein_display(),
        "leerling": leerling.naam,
        "auteur": request.user.korte_naam,
    }
    notificaties.notificeer(ontvangers, tekst, dossier_url(leerling), leerling=leerling, behalve=request.user)
    return item


# --- Changing entries (optimistic concurrency) --------------------------------------------


class Conflict(Exception):
    """The entry was changed by someone else since the form was loaded."""

    def __init__(self, actueel):
        super().__init__("conflict")
        self.actueel = actueel


def versie_van(item):
    """The version token an edit form carries: the entry's gewijzigd_op."""
    return item.gewijzigd_op.isoformat() if item.gewijzigd_op else ""


def _lees_versie(waarde):
    try:
        return datetime.datetime.fromisoformat(waarde or "")
    except ValueError:
        return None


def wijzig(item_pk, velden, user, versie):
    """Apply changed field values to an entry, unless it changed since `versie` was read.

    The row is locked while comparing, so two concurrent saves cannot both pass the check.
    A change of vertrouwelijkheid is named in the history record's change reason.
    Raises Conflict(actueel) on a stale version; nothing is written then.
    """
    with transaction.atomic():
        actueel = (
            Dossieritem.objects.select_for_update(of=("self",))
            .select_related("gewijzigd_door")
            .get(pk=item_pk)
        )
        if _lees_versie(versie) != actueel.gewijzigd_op:
            raise Conflict(actueel)
        oud_niveau = actueel.vertrouwelijkheid
        for naam, waarde in velden.items():
            setattr(actueel, naam, waarde)
        actueel.gewijzigd_door = user
        actueel._history_user = user
        if actueel.vertrouwelijkheid != oud_niveau:
            actueel._change_reason = _("vertrouwelijkheid gewijzigd van %(van)s naar %(naar)s") % {
                "van": KORTE_VERTROUWELIJKHEID.get(oud_niveau, oud_niveau),
                "naar": KORTE_VERTROUWELIJKHEID.get(actueel.vertrouwelijkheid, actueel.vertrouwelijkheid),
            }
        else:
            actueel._change_reason = _("gewijzigd")
        actueel.save()
    return actueel


def conflict_melding(actueel):
    """'Dit item is intussen gewijzigd door X om HH:MM'."""
    wie = actueel.gewijzigd_door.korte_naam if actueel.gewijzigd_door else _("een collega")
    tijd = timezone.localtime(actueel.gewijzigd_op).strftime("%H:%M")
    return _("Dit item is intussen gewijzigd door %(wie)s om %(tijd)s.") % {"wie": wie, "tijd": tijd}


# --- History --------------------------------------------------------------------------------

VERBORGEN_IN_GESCHIEDENIS = {"gewijzigd_door", "bestand", "bestandsgrootte", "aangemaakt_op", "leerling", "auteur"}


@dataclass
class Versie:
    record: object
    wijzigingen: list  # of (label, oud, nieuw)


def _toon(record, veld, waarde):
    if waarde in (None, ""):
        return "—"
    model_veld = Dossieritem._meta.get_field(veld)
    if model_veld.choices:
        return str(dict(model_veld.flatchoices).get(waarde, waarde))
    if isinstance(waarde, bool):
        return _("ja") if waarde else _("nee")
    if model_veld.is_relation:
        gerelateerd = getattr(record, veld, None)
        return str(gerelateerd) if gerelateerd is not None else "—"
    if isinstance(waarde, datetime.date):
        return waarde.strftime("%d-%m-%Y")
    return str(waarde)


def geschiedenis(item):
    """The entry's versions, newest first, each with the fields changed since the one before."""
    records = list(item.history.select_related("history_user").order_by("-history_date", "-history_id"))
    versies = []
    for index, record in enumerate(records):
        vorige = records[index + 1] if index + 1 < len(records) else None
        wijzigingen = []
        if vorige is not None:
            delta = record.diff_against(vorige, excluded_fields=VERBORGEN_IN_GESCHIEDENIS)
            for change in delta.changes:
                label = Dossieritem._meta.get_field(change.field).verbose_name
                wijzigingen.append((
                    str(label), _toon(vorige, change.field, change.old), _toon(record, change.field, change.new)
                ))
        versies.append(Versie(record=record, wijzigingen=wijzigingen))
    return versies


# --- Uploads --------------------------------------------------------------------------------

MAX_BESTANDSGROOTTE = 10 * 1024 * 1024

# Allowed extensions, each with the content type we serve it with (never the client's).
TOEGESTANE_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
TOEGESTAAN_TEKST = "PDF, PNG, JPG, DOCX, XLSX, ODT"

_OOXML_MAP = {"docx": "word/", "xlsx": "xl/"}


class BestandFout(ValueError):
    pass


@dataclass
class GecontroleerdBestand:
    upload: object
    naam: str  # cleaned original name, for display and download
    extensie: str
    opslagnaam: str  # random name the file is stored under
    grootte: int


def schoon_bestandsnaam(naam):
    """A safe display name: no path, no control or reserved characters, no leading dots."""
    naam = unicodedata.normalize("NFKC", str(naam or ""))
    naam = re.split(r"[\\/]", naam)[-1]
    naam = "".join(c for c in naam if unicodedata.category(c)[0] != "C")
    naam = re.sub(r'[<>:"|?*]', "_", naam)
    naam = re.sub(r"\s+", " ", naam).strip().lstrip(".").strip()
    stam, ext = os.path.splitext(naam)
    if len(naam) > 150:
        naam = stam[: 150 - len(ext)].rstrip() + ext
    return naam


def _heeft_inhoud_van(upload, extensie):
    """Content sniffing: does the file start like the type its extension claims?"""
    upload.seek(0)
    kop = upload.read(8)
    upload.seek(0)
    if extensie == "pdf":
        return kop.startswith(b"%PDF-")
    if extensie == "png":
        return kop == b"\x89PNG\r\n\x1a\n"
    if extensie in ("jpg", "jpeg"):
        return kop.startswith(b"\xff\xd8\xff")
    if not kop.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(upload) as archief:
            namen = archief.namelist()
            if extensie == "odt":
                return "mimetype" in namen and archief.read("mimetype").strip() == TOEGESTANE_TYPES["odt"].encode()
            voorvoegsel = _OOXML_MAP[extensie]
            return "[Content_Types].xml" in namen and any(n.startswith(voorvoegsel) for n in namen)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return False
    finally:
        upload.seek(0)


def controleer_bestand(upload):
    """Check an upload's name, size and content; returns a GecontroleerdBestand or raises BestandFout."""
    naam = schoon_bestandsnaam(getattr(upload, "name", ""))
    stam, ext = os.path.splitext(naam)
    extensie = ext[1:].lower()
    if not stam or extensie not in TOEGESTANE_TYPES:
        raise BestandFout(
            _("Dit soort bestand kan niet worden opgeslagen. Toegestaan zijn: %(typen)s.") % {"typen": TOEGESTAAN_TEKST}
        )
    grootte = upload.size or 0
    if grootte == 0:
        raise BestandFout(_("Het bestand is leeg."))
    if grootte > MAX_BESTANDSGROOTTE:
        raise BestandFout(
            _("Het bestand is te groot (%(mb).1f MB); het maximum is 10 MB.") % {"mb": grootte / 1024 / 1024}
        )
    if not _heeft_inhoud_van(upload, extensie):
        raise BestandFout(
            _("De inhoud van het bestand past niet bij de extensie .%(ext)s. Sla het opnieuw op als echt "
              "%(type)s-bestand.") % {"ext": extensie, "type": extensie.upper()}
        )
    return GecontroleerdBestand(
        upload=upload, naam=naam, extensie=extensie, opslagnaam=f"{uuid.uuid4().hex}.{extensie}", grootte=grootte
    )


def content_type_van(item):
    extensie = os.path.splitext(item.bestand.name)[1][1:].lower()
    return TOEGESTANE_TYPES.get(extensie, "application/octet-stream")
