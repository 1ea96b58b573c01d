"""Import of pupils (with klassen, mentoren and ouders) and staff from the school administration.

Files are CSV or XLSX as exported by Magister, SOMtoday and similar systems. The flow is:

1. ``lees_bestand`` turns the bytes into a ``Tabel`` (headings + rows with their row numbers);
2. ``standaard_koppeling`` maps each column to a target field by its heading (editable by the user);
3. ``importeer`` validates every row (Dutch messages with row numbers) and, only when the whole
   file is valid, writes everything in one transaction. ``dry_run=True`` runs the same writes and
   rolls them back, so the preview shows exactly what a real import would do.

Re-importing a file is idempotent: pupils are matched by (school, leerlingnummer), klassen by name
in the schooljaar, ouders by e-mail (or by name when there is no e-mail), staff by username or
e-mail. Nothing is deleted: pupils, ouders, functies and lesopdrachten missing from a file stay.
"""

import csv
import datetime
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerlingen.models import Klasplaatsing, Leerling, Ouder, OuderRelatie

from .models import Afdeling, Functie, Gebruiker, Klas, Lesopdracht, Vak

MAX_RIJEN = 20_000
MAX_KOLOMMEN = 200
EXTENSIES = (".csv", ".xlsx")
AANTAL_VERZORGERS = 2


class ImportFout(Exception):
    """The file as a whole cannot be read; the message is Dutch and meant for the user."""


# --------------------------------------------------------------------------- reading files


@dataclass
class Tabel:
    kopjes: list[str]
    rijen: list[tuple[int, list[str]]]  # (row number in the file, cell texts)


def lees_bestand(bestandsnaam: str, data: bytes) -> Tabel:
    """Read a CSV or XLSX file into a Tabel; raise ImportFout with a Dutch message if impossible."""
    naam = (bestandsnaam or "").lower()
    if naam.endswith(".xlsx"):
        rijen = _lees_xlsx(data)
    elif naam.endswith(".csv"):
        rijen = _lees_csv(data)
    else:
        raise ImportFout(_("Alleen CSV- en Excel-bestanden (.csv, .xlsx) kunnen worden geïmporteerd."))
    rijen = [(nummer, [_tekst(c) for c in cellen][:MAX_KOLOMMEN]) for nummer, cellen in rijen]
    rijen = [(nummer, cellen) for nummer, cellen in rijen if any(cellen)]
    if not rijen:
        raise ImportFout(_("Het bestand is leeg."))
    (_kopnummer, kopjes), data_rijen = rijen[0], rijen[1:]
    if not data_rijen:
        raise ImportFout(_("Het bestand bevat alleen een kopregel en geen gegevens."))
    if len(data_rijen) > MAX_RIJEN:
        raise ImportFout(_("Het bestand heeft meer dan %(max)s rijen.") % {"max": MAX_RIJEN})
    breedte = len(kopjes)
    data_rijen = [(nummer, (cellen + [""] * breedte)[:breedte]) for nummer, cellen in data_rijen]
    return Tabel(kopjes=kopjes, rijen=data_rijen)


def _tekst(waarde) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, datetime.datetime):
        return waarde.date().isoformat() if waarde.time() == datetime.time() else waarde.isoformat(sep=" ")
    if isinstance(waarde, datetime.date):
        return waarde.isoformat()
    if isinstance(waarde, float) and waarde.is_integer():
        return str(int(waarde))
    return str(waarde).replace("\x00", "").strip()


def _lees_csv(data: bytes):
    if b"\x00" in data[:4096]:
        raise ImportFout(_("Dit is geen leesbaar CSV-bestand."))
    if data.startswith(b"\xef\xbb\xbf"):
        tekst = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            tekst = data.decode("utf-8")
        except UnicodeDecodeError:
            tekst = data.decode("cp1252", errors="replace")
    eerste = next((regel for regel in tekst.splitlines() if regel.strip()), "")
    scheiding = max(";,\t", key=eerste.count)
    try:
        lezer = csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding)
        rijen = []
        for cellen in lezer:
            rijen.append((lezer.line_num, cellen))
            if len(rijen) > MAX_RIJEN + 1:
                break
        return rijen
    except csv.Error as fout:
        raise ImportFout(_("Het CSV-bestand kan niet worden gelezen (%(fout)s).") % {"fout": fout}) from fout


def _lees_xlsx(data: bytes):
    import openpyxl

    try:
        boek = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as fout:  # openpyxl raises many kinds on damaged files
        raise ImportFout(_("Het Excel-bestand kan niet worden gelezen. Sla het op als .xlsx of .csv.")) from fout
    try:
        blad = boek.worksheets[0] if boek.worksheets else None
        if blad is None:
            raise ImportFout(_("Het bestand is leeg."))
        rijen = []
        for nummer, cellen in enumerate(blad.iter_rows(values_only=True, max_col=MAX_KOLOMMEN), start=1):
            rijen.append((nummer, list(cellen)))
            if len(rijen) > MAX_RIJEN + 1:
                break
        return rijen
    except ImportFout:
        raise
    except Exception as fout:
        raise ImportFout(_("Het Excel-bestand kan niet worden gelezen. Sla het op als .xlsx of .csv.")) from fout
    finally:
        boek.close()


# --------------------------------------------------------------------------- column mapping


def _norm(tekst: str) -> str:
    """'Tussenvoegsel(s)' -> 'tussenvoegsels', 'E-mail' -> 'email'."""
    tekst = unicodedata.normalize("NFKD", str(tekst)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", tekst.lower())


@dataclass(frozen=True)
class Veld:
    naam: str
    label: str
    aliassen: tuple[str, ...]
    verplicht: bool = False


def _verzorger_velden():
    delen = [
        ("naam", gettext_lazy("naam"), ("naam", "volledigenaam", "aanhef")),
        ("voornaam", gettext_lazy("voornaam"), ("voornaam", "roepnaam", "voorletters")),
        ("tussenvoegsel", gettext_lazy("tussenvoegsel"), ("tussenvoegsel", "tussenvoegsels", "voorvoegsel")),
        ("achternaam", gettext_lazy("achternaam"), ("achternaam", "geslachtsnaam")),
        ("email", gettext_lazy("e-mail"), ("email", "emailadres", "mail", "mailadres")),
        ("telefoon", gettext_lazy("telefoon"), ("telefoon", "telefoonnummer", "mobiel", "mobielnummer", "tel")),
        ("relatie", gettext_lazy("relatie"), ("relatie", "relatietype", "soortrelatie", "rol")),
        ("gezag", gettext_lazy("gezag"), ("gezag", "ouderlijkgezag", "wettelijkgezag", "gezagsdrager")),
    ]
    velden = []
    for n in range(1, AANTAL_VERZORGERS + 1):
        for deel, label, aliassen in delen:
            namen = []
            for prefix in ("verzorger", "ouder", "ouderverzorger", "contactpersoon"):
                for alias in aliassen:
                    namen += [f"{prefix}{n}{alias}", f"{alias}{prefix}{n}"]
            velden.append(
                Veld(f"verzorger{n}_{deel}", format_lazy(gettext_lazy("Verzorger {n} {deel}"), n=n, deel=label),
                     tuple(namen))
            )
    return velden


LEERLING_VELDEN = [
    Veld("leerlingnummer", gettext_lazy("Leerlingnummer"),
         ("leerlingnummer", "stamnummer", "llnr", "leerlingnr", "leerlingid", "studentnummer", "stamnr"), True),
    Veld("voornaam", gettext_lazy("Roepnaam"), ("roepnaam", "voornaam", "voornamen"), True),
    Veld("tussenvoegsel", gettext_lazy("Tussenvoegsel"),
         ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels", "tussenv")),
    Veld("achternaam", gettext_lazy("Achternaam"), ("achternaam", "geslachtsnaam", "familienaam"), True),
    Veld("geboortedatum", gettext_lazy("Geboortedatum"), ("geboortedatum", "gebdatum", "geboren", "geboortedag")),
    Veld("klas", gettext_lazy("Klas"), ("klas", "stamgroep", "stamklas", "basisgroep", "groep", "klasnaam"), True),
    Veld("afdeling", gettext_lazy("Afdeling"), ("afdeling", "team", "afdelingsnaam")),
    Veld("leerjaar", gettext_lazy("Leerjaar"), ("leerjaar", "jaarlaag")),
    Veld("mentor", gettext_lazy("Mentor"),
         ("mentor", "mentoren", "mentorcode", "mentorgebruikersnaam", "mentoremail", "mentorcodes")),
    Veld("instroomdatum", gettext_lazy("Datum inschrijving"),
         ("datuminschrijving", "inschrijfdatum", "inschrijvingsdatum", "datuminschool", "instroomdatum", "begindatum")),
    Veld("uitstroomdatum", gettext_lazy("Datum uitschrijving"),
         ("datumuitschrijving", "uitschrijfdatum", "uitschrijvingsdatum", "datumuitschool", "uitstroomdatum",
          "einddatum")),
    *_verzorger_velden(),
]

MEDEWERKER_VELDEN = [
    Veld("gebruikersnaam", gettext_lazy("Gebruikersnaam"),
         ("gebruikersnaam", "username", "inlognaam", "login", "code", "docentcode", "medewerkercode", "afkorting")),
    Veld("email", gettext_lazy("E-mail"), ("email", "emailadres", "mail", "mailadres", "emailschool")),
    Veld("naam", gettext_lazy("Naam"), ("naam", "volledigenaam", "medewerker", "medewerkernaam")),
    Veld("voornaam", gettext_lazy("Roepnaam"), ("roepnaam", "voornaam")),
    Veld("tussenvoegsel", gettext_lazy("Tussenvoegsel"),
         ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels")),
    Veld("achternaam", gettext_lazy("Achternaam"), ("achternaam", "geslachtsnaam")),
    Veld("functies", gettext_lazy("Functie(s)"), ("functie", "functies", "rol", "rollen")),
    Veld("afdeling", gettext_lazy("Afdeling (teamleider)"), ("afdeling", "afdelingen", "team")),
    Veld("klas", gettext_lazy("Mentor van klas"),
         ("mentorvan", "mentorklas", "mentorklassen", "mentorvanklas", "klas", "klassen", "stamgroep")),
    Veld("lesopdrachten", gettext_lazy("Lesopdrachten (vak:klas)"),
         ("lesopdrachten", "lesopdracht", "lessen", "vakklas", "vakken")),
]

SOORTEN = {
    "leerlingen": (gettext_lazy("leerlingen, klassen en ouders"), LEERLING_VELDEN),
    "medewerkers": (gettext_lazy("medewerkers"), MEDEWERKER_VELDEN),
}


def velden_van(soort: str) -> list[Veld]:
    if soort not in SOORTEN:
        raise ImportFout(_("Onbekende importsoort."))
    return SOORTEN[soort][1]


def standaard_koppeling(soort: str, kopjes: list[str]) -> list[str]:
    """Per column the target field name ('' = ignore), matched on the normalised heading."""
    genormaliseerd = [_norm(k) for k in kopjes]
    koppeling = [""] * len(kopjes)
    for veld in velden_van(soort):
        for alias in veld.aliassen:
            index = next((i for i, k in enumerate(genormaliseerd) if k == alias and not koppeling[i]), None)
            if index is not None:
                koppeling[index] = veld.naam
                break
    return koppeling


def controleer_koppeling(soort: str, koppeling: list[str]) -> list[str]:
    """File-level errors of a mapping: unknown fields, a field twice, a required field missing."""
    velden = {v.naam: v for v in velden_van(soort)}
    fouten = []
    for naam, aantal in Counter(k for k in koppeling if k).items():
        if naam not in velden:
            fouten.append(_("Onbekend doelveld: %(veld)s.") % {"veld": naam})
        elif aantal > 1:
            fouten.append(_("Het veld ‘%(veld)s’ is aan meer dan één kolom gekoppeld.") % {"veld": velden[naam].label})
    for veld in velden.values():
        if veld.verplicht and veld.naam not in koppeling:
            fouten.append(_("Er is geen kolom gekoppeld aan het verplichte veld ‘%(veld)s’.") % {"veld": veld.label})
    if soort == "medewerkers" and not {"gebruikersnaam", "email"} & set(koppeling):
        fouten.append(_("Koppel een kolom aan ‘Gebruikersnaam’ of ‘E-mail’."))
    if soort == "medewerkers" and not {"naam", "achternaam"} & set(koppeling):
        fouten.append(_("Koppel een kolom aan ‘Naam’ of ‘Achternaam’."))
    return fouten


# --------------------------------------------------------------------------- results


@dataclass
class Rijfout:
    rij: int
    melding: str

    def __str__(self):
        return _("Rij %(rij)s: %(melding)s") % {"rij": self.rij, "melding": self.melding}


SAMENVATTING_LABELS = {
    "leerlingen": gettext_lazy("leerlingen"),
    "afdelingen": gettext_lazy("afdelingen"),
    "klassen": gettext_lazy("klassen"),
    "plaatsingen": gettext_lazy("klasplaatsingen"),
    "mentoren": gettext_lazy("mentoren van klassen"),
    "ouders": gettext_lazy("ouders/verzorgers"),
    "ouderrelaties": gettext_lazy("koppelingen ouder–leerling"),
    "medewerkers": gettext_lazy("medewerkers"),
    "functies": gettext_lazy("functies"),
    "vakken": gettext_lazy("vakken"),
    "lesopdrachten": gettext_lazy("lesopdrachten"),
}


@dataclass
class Resultaat:
    soort: str
    aantal_rijen: int = 0
    algemene_fouten: list[str] = field(default_factory=list)
    fouten: list[Rijfout] = field(default_factory=list)
    waarschuwingen: list[Rijfout] = field(default_factory=list)
    samenvatting: dict = field(default_factory=lambda: defaultdict(Counter))
    geschreven: bool = False

    @property
    def ok(self):
        return not self.algemene_fouten and not self.fouten

    def fout(self, rij, melding):
        self.fouten.append(Rijfout(rij, melding))

    def tel(self, soort, status):
        self.samenvatting[soort][status] += 1

    def regels(self):
        """Summary rows for display: (label, aangemaakt, bijgewerkt, ongewijzigd)."""
        volgorde = list(SAMENVATTING_LABELS)
        return [
            (SAMENVATTING_LABELS.get(soort, soort), telling["aangemaakt"], telling["bijgewerkt"],
             telling["ongewijzigd"])
            for soort, telling in sorted(self.samenvatting.items(), key=lambda i: volgorde.index(i[0]))
        ]


# --------------------------------------------------------------------------- value parsing


DATUMFORMATEN = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d-%m-%y")


def _datum(tekst):
    """Parse dd-mm-jjjj or ISO (a time part is ignored); None for empty; ValueError when invalid."""
    tekst = tekst.strip()
    if not tekst:
        return None
    tekst = re.split(r"[ T]", tekst, maxsplit=1)[0]
    for formaat in DATUMFORMATEN:
        try:
            datum = datetime.datetime.strptime(tekst, formaat).date()
        except ValueError:
            continue
        if 1900 <= datum.year <= 2100:
            return datum
    raise ValueError(tekst)


JA = {"ja", "j", "yes", "y", "true", "waar", "1", "x", "gezag", "wel"}
NEE = {"nee", "n", "no", "false", "onwaar", "0", "geen", "niet", "geengezag"}


def _ja_nee(tekst, standaard=True):
    waarde = _norm(tekst)
    if not waarde:
        return standaard
    if waarde in JA:
        return True
    if waarde in NEE:
        return False
    raise ValueError(tekst)


RELATIES = {
    "moeder": OuderRelatie.Relatie.MOEDER, "mama": OuderRelatie.Relatie.MOEDER, "mevrouw": OuderRelatie.Relatie.MOEDER,
    "vader": OuderRelatie.Relatie.VADER, "papa": OuderRelatie.Relatie.VADER,
    "verzorger": OuderRelatie.Relatie.VERZORGER, "verzorgster": OuderRelatie.Relatie.VERZORGER,
    "verzorgerster": OuderRelatie.Relatie.VERZORGER, "ouder": OuderRelatie.Relatie.VERZORGER,
    "ouderverzorger": OuderRelatie.Relatie.VERZORGER, "stiefouder": OuderRelatie.Relatie.VERZORGER,
    "stiefmoeder": OuderRelatie.Relatie.VERZORGER, "stiefvader": OuderRelatie.Relatie.VERZORGER,
    "voogd": OuderRelatie.Relatie.VOOGD, "gezinsvoogd": OuderRelatie.Relatie.VOOGD,
    "pleegouder": OuderRelatie.Relatie.PLEEGOUDER, "pleegmoeder": OuderRelatie.Relatie.PLEEGOUDER,
    "pleegvader": OuderRelatie.Relatie.PLEEGOUDER, "anders": OuderRelatie.Relatie.ANDERS,
    "overig": OuderRelatie.Relatie.ANDERS, "anderszins": OuderRelatie.Relatie.ANDERS,
}

TUSSENVOEGSELS = {"van", "de", "der", "den", "het", "'t", "t", "ter", "ten", "te", "in", "op", "la", "le", "da",
                  "di", "du", "del", "von", "vom", "zu", "el", "al", "'s", "d'", "uit", "bij", "aan"}
AANHEF = {"dhr", "dhr.", "mevr", "mevr.", "mw", "mw.", "de heer", "heer", "mevrouw", "fam", "fam."}


def splits_naam(naam):
    """'Jan de Vries', 'Vries, Jan de', 'Dhr. J. de Vries' -> (voornaam, tussenvoegsel, achternaam)."""
    naam = " ".join(naam.split())
    if "," in naam:
        achter, _sep, voor = naam.partition(",")
        woorden = voor.split()
        tussen = []
        while woorden and woorden[-1].lower() in TUSSENVOEGSELS:
            tussen.insert(0, woorden.pop())
        return " ".join(woorden), " ".join(tussen), achter.strip()
    woorden = naam.split()
    while woorden and woorden[0].lower() in AANHEF | {"de"} and len(woorden) > 1 and (
        woorden[0].lower() != "de" or woorden[1].lower() == "heer"
    ):
        woorden.pop(0)
        if woorden and woorden[0].lower() == "heer":
            woorden.pop(0)
    if len(woorden) <= 1:
        return "", "", " ".join(woorden)
    voornaam = woorden.pop(0)
    tussen = []
    while len(woorden) > 1 and woorden[0].lower() in TUSSENVOEGSELS:
        tussen.append(woorden.pop(0))
    return voornaam, " ".join(tussen), " ".join(woorden)


def _lijst(tekst):
    return [deel.strip() for deel in re.split(r"[,;|/\n]+", tekst) if deel.strip()]


def _te_lang(res, rij, label, waarde, maximum):
    if len(waarde) > maximum:
        res.fout(rij, _("%(veld)s is te lang (maximaal %(max)s tekens).") % {"veld": label, "max": maximum})
        return True
    return False


class _Rij:
    def __init__(self, nummer, cellen, kolommen):
        self.nummer = nummer
        self._cellen = cellen
        self._kolommen = kolommen

    def __getitem__(self, veld):
        index = self._kolommen.get(veld)
        return self._cellen[index].strip() if index is not None and index < len(self._cellen) else ""


def _rijen(tabel, koppeling):
    kolommen = {veld: i for i, veld in enumerate(koppeling) if veld}
    return [_Rij(nummer, cellen, kolommen) for nummer, cellen in tabel.rijen]


# --------------------------------------------------------------------------- staff lookups


def _medewerkers_van(school):
    """Users who work (or worked) at the school: a functie, a mentor klas or a lesopdracht there."""
    return Gebruiker.objects.filter(
        Q(functies__schooljaar__school=school)
        | Q(mentorklassen__schooljaar__school=school)
        | Q(lesopdrachten__klas__schooljaar__school=school)
    ).distinct()


class _Medewerkerzoeker:
    """Find staff of the school by username or e-mail (case-insensitive), one query."""

    def __init__(self, school):
        self.op_naam, self.op_email = {}, defaultdict(list)
        for user in _medewerkers_van(school):
            self.op_naam[user.username.lower()] = user
            if user.email:
                self.op_email[user.email.lower()].append(user)

    def zoek(self, sleutel):
        sleutel = sleutel.strip().lower()
        if sleutel in self.op_naam:
            return self.op_naam[sleutel], None
        gevonden = self.op_email.get(sleutel, [])
        if len(gevonden) == 1:
            return gevonden[0], None
        if len(gevonden) > 1:
            return None, _("meerdere medewerkers hebben e-mailadres %(email)s") % {"email": sleutel}
        return None, _("mentor ‘%(mentor)s’ is geen bekende medewerker van deze school") % {"mentor": sleutel}


# --------------------------------------------------------------------------- the import


def importeer(school, soort, tabel, koppeling=None, *, dry_run=False, schooljaar=None) -> Resultaat:
    """Validate every row; when all are valid, write everything in one transaction.

    With dry_run the writes happen and are rolled back, so the summary is exactly what a real
    import would do. Nothing is written when any row has an error.
    """
    resultaat = Resultaat(soort=soort, aantal_rijen=len(tabel.rijen))
    koppeling = list(koppeling) if koppeling is not None else standaard_koppeling(soort, tabel.kopjes)
    koppeling = (koppeling + [""] * len(tabel.kopjes))[: len(tabel.kopjes)]
    resultaat.algemene_fouten = controleer_koppeling(soort, koppeling)
    schooljaar = schooljaar or school.huidig_schooljaar()
    if schooljaar is None:
        resultaat.algemene_fouten.append(
            _("De school heeft nog geen schooljaar. Maak eerst een schooljaar aan.")
        )
    if not resultaat.ok:
        return resultaat
    rijen = _rijen(tabel, koppeling)
    if soort == "leerlingen":
        plan = _controleer_leerlingen(school, schooljaar, rijen, resultaat)
        schrijf = _schrijf_leerlingen
    else:
        plan = _controleer_medewerkers(school, schooljaar, rijen, resultaat)
        schrijf = _schrijf_medewerkers
    if not resultaat.ok:
        return resultaat
    try:
        with transaction.atomic():
            schrijf(school, schooljaar, plan, resultaat)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        resultaat.samenvatting.clear()
        resultaat.algemene_fouten.append(
            _("De gegevens zijn tijdens het importeren door iemand anders gewijzigd. Probeer het opnieuw.")
        )
        return resultaat
    resultaat.geschreven = not dry_run
    return resultaat


def importeer_bestand(school, soort, bestandsnaam, data, koppeling=None, **kwargs) -> Resultaat:
    """Read and import in one call; a file that cannot be read gives a Resultaat with the reason."""
    try:
        tabel = lees_bestand(bestandsnaam, data)
    except ImportFout as fout:
        return Resultaat(soort=soort, algemene_fouten=[str(fout)])
    return importeer(school, soort, tabel, koppeling, **kwargs)


# --------------------------------------------------------------------------- leerlingen


@dataclass
class _Verzorger:
    voornaam: str
    tussenvoegsel: str
    achternaam: str
    email: str
    telefoon: str
    relatie: str
    gezag: bool

    @property
    def naamsleutel(self):
        return _norm(f"{self.voornaam}{self.tussenvoegsel}{self.achternaam}")


@dataclass
class _LeerlingRij:
    nummer: int
    leerlingnummer: str
    velden: dict
    klas: str
    mentoren: list
    verzorgers: list


def _controleer_leerlingen(school, schooljaar, rijen, res):
    zoeker = _Medewerkerzoeker(school) if any(r["mentor"] for r in rijen) else None
    bestaande_klassen = {k.naam.lower(): k for k in schooljaar.klassen.select_related("afdeling")}
    gezien_nummers = {}
    klassen = {}  # lower name -> {"naam", "afdeling", "leerjaar", "rij"}
    plan = []
    for rij in rijen:
        n = rij.nummer
        fouten_voor = len(res.fouten)
        nummer = rij["leerlingnummer"]
        if not nummer:
            res.fout(n, _("Leerlingnummer ontbreekt."))
        elif not _te_lang(res, n, _("Leerlingnummer"), nummer, 30):
            if nummer in gezien_nummers:
                res.fout(n, _("Leerlingnummer %(nr)s staat ook in rij %(rij)s.") % {
                    "nr": nummer, "rij": gezien_nummers[nummer]})
            else:
                gezien_nummers[nummer] = n
        velden = {}
        for veld, label, maximum, verplicht in [
            ("voornaam", _("Roepnaam"), 100, True),
            ("tussenvoegsel", _("Tussenvoegsel"), 30, False),
            ("achternaam", _("Achternaam"), 100, True),
        ]:
            if veld not in rij._kolommen:
                continue  # column not imported: keep what is stored
            waarde = rij[veld]
            if verplicht and not waarde:
                res.fout(n, _("%(veld)s ontbreekt.") % {"veld": label})
            _te_lang(res, n, label, waarde, maximum)
            velden[veld] = waarde
        for veld, label in [
            ("geboortedatum", _("Geboortedatum")),
            ("instroomdatum", _("Datum inschrijving")),
            ("uitstroomdatum", _("Datum uitschrijving")),
        ]:
            if veld not in rij._kolommen:
                continue  # column not imported: keep what is stored
            try:
                velden[veld] = _datum(rij[veld])
            except ValueError:
                res.fout(n, _("%(veld)s ‘%(waarde)s’ is geen geldige datum (gebruik dd-mm-jjjj).") % {
                    "veld": label, "waarde": rij[veld]})
        if velden.get("geboortedatum") and velden["geboortedatum"] > datetime.date.today():
            res.fout(n, _("Geboortedatum ligt in de toekomst."))
        if velden.get("instroomdatum") and velden.get("uitstroomdatum") and (
            velden["uitstroomdatum"] < velden["instroomdatum"]
        ):
            res.fout(n, _("Datum uitschrijving ligt vóór datum inschrijving."))

        klasnaam = rij["klas"]
        afdeling = rij["afdeling"]
        leerjaar = None
        if not klasnaam:
            res.fout(n, _("Klas ontbreekt."))
        else:
            _te_lang(res, n, _("Klas"), klasnaam, 20)
        _te_lang(res, n, _("Afdeling"), afdeling, 100)
        if rij["leerjaar"]:
            try:
                leerjaar = int(rij["leerjaar"])
                if not 1 <= leerjaar <= 8:
                    raise ValueError
            except ValueError:
                res.fout(n, _("Leerjaar ‘%(waarde)s’ is geen getal van 1 tot en met 8.") % {"waarde": rij["leerjaar"]})
                leerjaar = None
        if klasnaam:
            sleutel = klasnaam.lower()
            eerder = klassen.get(sleutel)
            if eerder is None:
                klassen[sleutel] = {"naam": klasnaam, "afdeling": afdeling, "leerjaar": leerjaar, "rij": n,
                                    "mentoren": set(), "mentorkolom": False}
            else:
                if afdeling and eerder["afdeling"] and afdeling.lower() != eerder["afdeling"].lower():
                    res.fout(n, _("Klas %(klas)s hoort in rij %(rij)s bij afdeling %(afdeling)s.") % {
                        "klas": klasnaam, "rij": eerder["rij"], "afdeling": eerder["afdeling"]})
                eerder["afdeling"] = eerder["afdeling"] or afdeling
                if leerjaar and eerder["leerjaar"] and leerjaar != eerder["leerjaar"]:
                    res.fout(n, _("Klas %(klas)s heeft in rij %(rij)s leerjaar %(leerjaar)s.") % {
                        "klas": klasnaam, "rij": eerder["rij"], "leerjaar": eerder["leerjaar"]})
                eerder["leerjaar"] = eerder["leerjaar"] or leerjaar

        mentoren = []
        for sleutel in _lijst(rij["mentor"]):
            user, fout = zoeker.zoek(sleutel)
            if fout:
                res.fout(n, fout[0].upper() + fout[1:] + ".")
            else:
                mentoren.append(user)
        if klasnaam and rij._kolommen.get("mentor") is not None and rij["mentor"]:
            klassen[klasnaam.lower()]["mentorkolom"] = True
            klassen[klasnaam.lower()]["mentoren"].update(mentoren)

        verzorgers = []
        for i in range(1, AANTAL_VERZORGERS + 1):
            verzorger = _controleer_verzorger(rij, i, res)
            if verzorger:
                verzorgers.append(verzorger)
        if len(res.fouten) == fouten_voor:
            plan.append(_LeerlingRij(n, nummer, velden, klasnaam.lower(), mentoren, verzorgers))
    for klas in klassen.values():
        if klas["naam"].lower() not in bestaande_klassen and not klas["leerjaar"]:
            cijfer = re.match(r"\d", klas["naam"])
            klas["leerjaar"] = int(cijfer.group()) if cijfer and cijfer.group() != "0" else None
    return {"rijen": plan, "klassen": klassen, "bestaande_klassen": bestaande_klassen}


def _controleer_verzorger(rij, i, res):
    def waarde(deel):
        return rij[f"verzorger{i}_{deel}"]

    delen = ("naam", "voornaam", "tussenvoegsel", "achternaam", "email", "telefoon", "relatie", "gezag")
    if not any(waarde(d) for d in delen):
        return None
    n = rij.nummer
    label = _("Verzorger %(i)s") % {"i": i}
    voornaam, tussenvoegsel, achternaam = waarde("voornaam"), waarde("tussenvoegsel"), waarde("achternaam")
    if not achternaam and waarde("naam"):
        voornaam2, tussenvoegsel2, achternaam = splits_naam(waarde("naam"))
        voornaam, tussenvoegsel = voornaam or voornaam2, tussenvoegsel or tussenvoegsel2
    ok = True
    if not achternaam:
        res.fout(n, _("%(wie)s: naam ontbreekt.") % {"wie": label})
        ok = False
    for deel, tekst, maximum in [("voornaam", voornaam, 100), ("tussenvoegsel", tussenvoegsel, 30),
                                 ("achternaam", achternaam, 100), ("telefoon", waarde("telefoon"), 30),
                                 ("e-mail", waarde("email"), 254)]:
        if _te_lang(res, n, f"{label} {deel}", tekst, maximum):
            ok = False
    email = waarde("email").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            res.fout(n, _("%(wie)s: ‘%(email)s’ is geen geldig e-mailadres.") % {"wie": label, "email": email})
            ok = False
    relatie = OuderRelatie.Relatie.VERZORGER
    if waarde("relatie"):
        relatie = RELATIES.get(_norm(waarde("relatie")))
        if relatie is None:
            res.fout(n, _("%(wie)s: onbekende relatie ‘%(relatie)s’ (kies uit moeder, vader, verzorger, voogd, "
                          "pleegouder, anders).") % {"wie": label, "relatie": waarde("relatie")})
            ok = False
    try:
        gezag = _ja_nee(waarde("gezag"))
    except ValueError:
        res.fout(n, _("%(wie)s: gezag ‘%(waarde)s’ moet ja of nee zijn.") % {"wie": label, "waarde": waarde("gezag")})
        ok = False
    if not ok:
        return None
    return _Verzorger(voornaam, tussenvoegsel, achternaam, email, waarde("telefoon"), relatie, gezag)


def _bijwerken(obj, waarden):
    """Set changed attributes; return True when anything changed."""
    gewijzigd = False
    for attr, waarde in waarden.items():
        if getattr(obj, attr) != waarde:
            setattr(obj, attr, waarde)
            gewijzigd = True
    return gewijzigd


def _schrijf_leerlingen(school, schooljaar, plan, res):
    afdelingen = {a.naam.lower(): a for a in school.afdelingen.all()}
    klassen = plan["bestaande_klassen"]

    def afdeling_voor(naam):
        sleutel = naam.lower()
        if sleutel not in afdelingen:
            afdelingen[sleutel] = Afdeling.objects.create(school=school, naam=naam)
            res.tel("afdelingen", "aangemaakt")
        return afdelingen[sleutel]

    for sleutel, info in plan["klassen"].items():
        klas = klassen.get(sleutel)
        if klas is None:
            afdelingnaam = info["afdeling"] or (
                _("Leerjaar %(n)s") % {"n": info["leerjaar"]} if info["leerjaar"] else _("Algemeen")
            )
            klas = Klas.objects.create(schooljaar=schooljaar, naam=info["naam"], afdeling=afdeling_voor(afdelingnaam),
                                       leerjaar=info["leerjaar"] or 1)
            klassen[sleutel] = klas
            res.tel("klassen", "aangemaakt")
        else:
            waarden = {}
            if info["afdeling"]:
                waarden["afdeling"] = afdeling_voor(info["afdeling"])
            if info["leerjaar"]:
                waarden["leerjaar"] = info["leerjaar"]
            if _bijwerken(klas, waarden):
                klas.save()
                res.tel("klassen", "bijgewerkt")
            else:
                res.tel("klassen", "ongewijzigd")
        if info["mentorkolom"]:
            huidig = set(klas.mentoren.all())
            if huidig != info["mentoren"]:
                klas.mentoren.set(info["mentoren"])
                res.tel("mentoren", "bijgewerkt" if huidig else "aangemaakt")
            else:
                res.tel("mentoren", "ongewijzigd")

    rijen = plan["rijen"]
    bestaand = {ll.leerlingnummer: ll for ll in Leerling.objects.filter(
        school=school, leerlingnummer__in=[r.leerlingnummer for r in rijen])}
    plaatsingen = defaultdict(list)
    for p in Klasplaatsing.objects.filter(leerling__in=bestaand.values(), klas__schooljaar=schooljaar):
        plaatsingen[p.leerling_id].append(p)
    relaties = defaultdict(list)
    for r in OuderRelatie.objects.filter(leerling__in=bestaand.values()).select_related("ouder"):
        relaties[r.leerling_id].append(r)
    emails = {v.email for r in rijen for v in r.verzorgers if v.email}
    ouders_op_email = {}
    for ouder in Ouder.objects.annotate(e=Lower("email")).filter(e__in=emails).order_by("pk"):
        ouders_op_email.setdefault(ouder.e, ouder)
    gedeeld = set(  # parents with children at other schools: linked, but not changed from here
        OuderRelatie.objects.filter(ouder__in=list(ouders_op_email.values()))
        .exclude(leerling__school=school).values_list("ouder_id", flat=True)
    )
    ouders_op_naam = {}  # parents without e-mail created or matched in this run
    for ouder in Ouder.objects.filter(email="", relaties__leerling__school=school).distinct().order_by("pk"):
        ouders_op_naam.setdefault(_norm(ouder.naam), ouder)

    for rij in rijen:
        leerling = bestaand.get(rij.leerlingnummer)
        if leerling is None:
            leerling = Leerling.objects.create(school=school, leerlingnummer=rij.leerlingnummer, **rij.velden)
            res.tel("leerlingen", "aangemaakt")
        elif _bijwerken(leerling, rij.velden):
            leerling.save()
            res.tel("leerlingen", "bijgewerkt")
        else:
            res.tel("leerlingen", "ongewijzigd")

        klas = klassen[rij.klas]
        huidige = plaatsingen.get(leerling.pk, [])
        if any(p.klas_id == klas.pk for p in huidige):
            res.tel("plaatsingen", "ongewijzigd")
            for p in huidige:
                if p.klas_id != klas.pk:
                    p.delete()
        elif huidige:
            eerste, *rest = huidige
            eerste.klas = klas
            eerste.save()
            for p in rest:
                p.delete()
            res.tel("plaatsingen", "bijgewerkt")
        else:
            Klasplaatsing.objects.create(leerling=leerling, klas=klas)
            res.tel("plaatsingen", "aangemaakt")

        eigen = relaties.get(leerling.pk, [])
        for v in rij.verzorgers:
            _schrijf_verzorger(leerling, v, eigen, ouders_op_email, ouders_op_naam, gedeeld, res)


def _schrijf_verzorger(leerling, v, eigen, ouders_op_email, ouders_op_naam, gedeeld, res):
    ouder = None
    if v.email:
        ouder = ouders_op_email.get(v.email) or next(
            (r.ouder for r in eigen if r.ouder.email.lower() == v.email), None)
    if ouder is None:
        ouder = next((r.ouder for r in eigen if _norm(r.ouder.naam) == v.naamsleutel
                      and (not v.email or not r.ouder.email)), None)
    if ouder is None and not v.email:
        ouder = ouders_op_naam.get(v.naamsleutel)
    waarden = {"voornaam": v.voornaam, "tussenvoegsel": v.tussenvoegsel, "achternaam": v.achternaam}
    if v.email:
        waarden["email"] = v.email
    if v.telefoon:
        waarden["telefoon"] = v.telefoon
    if ouder is None:
        ouder = Ouder.objects.create(**waarden)
        res.tel("ouders", "aangemaakt")
    elif ouder.pk not in gedeeld and _bijwerken(ouder, {k: w for k, w in waarden.items() if w or k == "tussenvoegsel"}):
        ouder.save()
        res.tel("ouders", "bijgewerkt")
    else:
        res.tel("ouders", "ongewijzigd")
    if v.email:
        ouders_op_email[v.email] = ouder
    else:
        ouders_op_naam[v.naamsleutel] = ouder

    relatie = next((r for r in eigen if r.ouder_id == ouder.pk), None)
    if relatie is None:
        relatie = OuderRelatie.objects.create(ouder=ouder, leerling=leerling, relatie=v.relatie, gezag=v.gezag)
        eigen.append(relatie)
        res.tel("ouderrelaties", "aangemaakt")
    elif _bijwerken(relatie, {"relatie": v.relatie, "gezag": v.gezag}):
        relatie.save()
        res.tel("ouderrelaties", "bijgewerkt")
    else:
        res.tel("ouderrelaties", "ongewijzigd")


# --------------------------------------------------------------------------- medewerkers


def _functiesoort(tekst):
    sleutel = _norm(tekst)
    for soort in Functie.Soort:
        if sleutel in (_norm(soort.value), _norm(soort.label)):
            return soort
    extra = {"zoco": Functie.Soort.ZORGCOORDINATOR, "ib": Functie.Soort.INTERN_BEGELEIDER,
             "ibber": Functie.Soort.INTERN_BEGELEIDER, "rt": Functie.Soort.REMEDIAL_TEACHER,
             "smw": Functie.Soort.SMW, "schoolmaatschappelijkwerk": Functie.Soort.SMW,
             "directeur": Functie.Soort.DIRECTIE, "beheerder": Functie.Soort.APPLICATIEBEHEERDER,
             "leraar": Functie.Soort.DOCENT, "leerkracht": Functie.Soort.DOCENT}
    return extra.get(sleutel)


@dataclass
class _MedewerkerRij:
    nummer: int
    gebruikersnaam: str
    email: str
    naam: dict
    functies: list  # (soort, afdeling name or None)
    klassen: list
    lessen: list  # (vak code, klas)


def _zoek_gebruiker(gebruikersnaam, email):
    user = None
    if gebruikersnaam:
        user = Gebruiker.objects.filter(username__iexact=gebruikersnaam).first()
    if user is None and email:
        kandidaten = list(Gebruiker.objects.filter(email__iexact=email)[:2])
        user = kandidaten[0] if len(kandidaten) == 1 else None
    return user


def _controleer_medewerkers(school, schooljaar, rijen, res):
    klassen = {k.naam.lower(): k for k in schooljaar.klassen.all()}
    eigen_ids = set(_medewerkers_van(school).values_list("pk", flat=True))
    plan, gezien = [], {}
    for rij in rijen:
        n = rij.nummer
        fouten_voor = len(res.fouten)
        gebruikersnaam, email = rij["gebruikersnaam"], rij["email"].lower()
        if not gebruikersnaam and not email:
            res.fout(n, _("Gebruikersnaam en e-mail ontbreken; vul er minstens één in."))
        if gebruikersnaam and (len(gebruikersnaam) > 150 or not re.fullmatch(r"[\w.@+-]+", gebruikersnaam)):
            res.fout(n, _("Gebruikersnaam ‘%(naam)s’ mag alleen letters, cijfers en @ . + - _ bevatten "
                          "(maximaal 150 tekens).") % {"naam": gebruikersnaam})
        if email:
            try:
                validate_email(email)
            except ValidationError:
                res.fout(n, _("‘%(email)s’ is geen geldig e-mailadres.") % {"email": email})
        bestaand = _zoek_gebruiker(gebruikersnaam, email) if (gebruikersnaam or email) else None
        if bestaand is not None and bestaand.pk not in eigen_ids:
            res.fout(n, _("Account ‘%(naam)s’ bestaat al, maar niet als medewerker van deze school. Laat de "
                          "systeembeheerder dit account koppelen.") % {"naam": gebruikersnaam or email})
        sleutel = (gebruikersnaam or email).lower()
        if sleutel in gezien:
            res.fout(n, _("Deze medewerker staat ook in rij %(rij)s.") % {"rij": gezien[sleutel]})
        gezien.setdefault(sleutel, n)
        voornaam, tussenvoegsel, achternaam = rij["voornaam"], rij["tussenvoegsel"], rij["achternaam"]
        if not achternaam and rij["naam"]:
            v, t, achternaam = splits_naam(rij["naam"])
            voornaam, tussenvoegsel = voornaam or v, tussenvoegsel or t
        if not achternaam:
            res.fout(n, _("Naam ontbreekt."))
        achternaam = " ".join(p for p in (tussenvoegsel, achternaam) if p)
        _te_lang(res, n, _("Roepnaam"), voornaam, 150)
        _te_lang(res, n, _("Achternaam"), achternaam, 150)

        functies = []
        afdelingen = _lijst(rij["afdeling"])
        for tekst in _lijst(rij["functies"]):
            if _norm(tekst) == "mentor":
                continue  # mentor follows from the klas column
            soort = _functiesoort(tekst)
            if soort is None:
                res.fout(n, _("Onbekende functie ‘%(functie)s’.") % {"functie": tekst})
            elif soort == Functie.Soort.TEAMLEIDER:
                if not afdelingen:
                    res.fout(n, _("Een teamleider heeft een afdeling nodig."))
                functies += [(soort, a) for a in afdelingen]
            else:
                functies.append((soort, None))
        mentorklassen = []
        for naam in _lijst(rij["klas"]):
            if naam.lower() in klassen:
                mentorklassen.append(klassen[naam.lower()])
            else:
                res.fout(n, _("Klas %(klas)s bestaat niet in schooljaar %(jaar)s; importeer eerst de leerlingen.")
                         % {"klas": naam, "jaar": schooljaar})
        lessen = []
        for opdracht in re.split(r"[,;\s]+", rij["lesopdrachten"]):
            if not opdracht:
                continue
            vak, sep, klasnaam = opdracht.partition(":")
            if not sep or not vak or not klasnaam:
                res.fout(n, _("Lesopdracht ‘%(opdracht)s’ moet de vorm vak:klas hebben.") % {"opdracht": opdracht})
            elif klasnaam.lower() not in klassen:
                res.fout(n, _("Klas %(klas)s bestaat niet in schooljaar %(jaar)s; importeer eerst de leerlingen.")
                         % {"klas": klasnaam, "jaar": schooljaar})
            elif len(vak) > 20:
                res.fout(n, _("Vakcode ‘%(vak)s’ is te lang (maximaal 20 tekens).") % {"vak": vak})
            else:
                lessen.append((vak, klassen[klasnaam.lower()]))
        if not functies and not mentorklassen and not lessen and len(res.fouten) == fouten_voor:
            res.fout(n, _("Geen functie, mentorklas of lesopdracht opgegeven."))
        if len(res.fouten) == fouten_voor:
            plan.append(_MedewerkerRij(
                n, gebruikersnaam, email,
                {"first_name": voornaam, "last_name": achternaam},
                functies, mentorklassen, lessen,
            ))
    return plan


def _schrijf_medewerkers(school, schooljaar, plan, res):
    afdelingen = {a.naam.lower(): a for a in school.afdelingen.all()}
    vakken = {v.code.lower(): v for v in school.vakken.all()}
    eigen_ids = set(_medewerkers_van(school).values_list("pk", flat=True))
    for rij in plan:
        user = _zoek_gebruiker(rij.gebruikersnaam, rij.email)
        waarden = dict(rij.naam)
        if rij.email:
            waarden["email"] = rij.email
        if user is None:
            user = Gebruiker(username=rij.gebruikersnaam or rij.email, **waarden)
            user.set_unusable_password()
            user.save()
            res.tel("medewerkers", "aangemaakt")
        elif not _beheerbaar(user, school, eigen_ids):
            # Also works elsewhere (or a system account): never change the account from here.
            res.waarschuwingen.append(Rijfout(rij.nummer, _(
                "%(naam)s werkt ook buiten deze school; naam en e-mail zijn niet aangepast.") % {"naam": user}))
            res.tel("medewerkers", "ongewijzigd")
        elif _bijwerken(user, waarden):
            user.save()
            res.tel("medewerkers", "bijgewerkt")
        else:
            res.tel("medewerkers", "ongewijzigd")

        for soort, afdelingnaam in rij.functies:
            afdeling = None
            if afdelingnaam:
                afdeling = afdelingen.get(afdelingnaam.lower())
                if afdeling is None:
                    afdeling = afdelingen[afdelingnaam.lower()] = Afdeling.objects.create(
                        school=school, naam=afdelingnaam[:100])
                    res.tel("afdelingen", "aangemaakt")
            _obj, nieuw = Functie.objects.get_or_create(gebruiker=user, schooljaar=schooljaar, soort=soort,
                                                     afdeling=afdeling)
            res.tel("functies", "aangemaakt" if nieuw else "ongewijzigd")
        for klas in rij.klassen:
            if klas.mentoren.filter(pk=user.pk).exists():
                res.tel("mentoren", "ongewijzigd")
            else:
                klas.mentoren.add(user)
                res.tel("mentoren", "aangemaakt")
        for code, klas in rij.lessen:
            vak = vakken.get(code.lower())
            if vak is None:
                vak = vakken[code.lower()] = Vak.objects.create(school=school, code=code, naam=code)
                res.tel("vakken", "aangemaakt")
            _obj, nieuw = Lesopdracht.objects.get_or_create(docent=user, vak=vak, klas=klas)
            res.tel("lesopdrachten", "aangemaakt" if nieuw else "ongewijzigd")


def _beheerbaar(user, school, eigen_ids):
    """May this school's import change the account? Only plain staff who work only here."""
    if user.is_superuser or user.is_staff or user.pk not in eigen_ids:
        return False
    return not Functie.objects.filter(gebruiker=user).exclude(schooljaar__school=school).exists()
