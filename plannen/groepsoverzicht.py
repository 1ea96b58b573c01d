"""Groepsoverzicht: default templates (seed 002 Bijlage 3/4), the grid, scores from the dossier,
copying to a new periode and saving one cell with conflict detection.

The grid is rendered from a fixed number of queries (pupils, columns, cells, dossier scores,
previous scores, observaties, confidentiality), independent of the number of pupils.
"""

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerlingen.models import Betrokkene, Dossieritem, Leerling
from zorg import toegang
from zorg.models import Functie, Periode

from .models import Cel, Groepsoverzicht, Kolom, Observatie, Sjabloon, Soort

T = Kolom.Type

SEO_KEUZES = "goed, voldoende, aandacht, zorg"

# Bijlage 3: vakoverstijgend groepsoverzicht (after the pupil's name).
STANDAARD_VAKOVERSTIJGEND = [
    {"sleutel": "s", "titel": "S", "type": T.VLAG,
     "uitleg": _("Signaleren: leerling heeft de komende periode extra aandacht nodig.")},
    {"sleutel": "tl", "titel": "TL", "type": T.SCORE, "toets_onderdeel": "TL", "drempel": "C",
     "uitleg": _("Technisch lezen: vorige/huidige toets.")},
    {"sleutel": "bl", "titel": "BL", "type": T.SCORE, "toets_onderdeel": "BL", "drempel": "C",
     "uitleg": _("Begrijpend lezen: vorige/huidige toets.")},
    {"sleutel": "sp", "titel": "SP", "type": T.SCORE, "toets_onderdeel": "SP", "drempel": "C",
     "uitleg": _("Spelling: vorige/huidige toets.")},
    {"sleutel": "rk", "titel": "RK", "type": T.SCORE, "toets_onderdeel": "RK", "drempel": "C",
     "uitleg": _("Rekenen: vorige/huidige toets.")},
    {"sleutel": "seo-welbevinden", "titel": "SEO: welbevinden", "type": T.KEUZE, "keuzes": SEO_KEUZES,
     "drempel": "voldoende", "uitleg": _("Uitkomst instrument sociaal-emotionele ontwikkeling (bv. SVL).")},
    {"sleutel": "seo-sociaal-gedrag", "titel": "SEO: sociaal gedrag", "type": T.KEUZE, "keuzes": SEO_KEUZES,
     "drempel": "voldoende", "uitleg": _("Uitkomst instrument sociaal-emotionele ontwikkeling (bv. SVL).")},
    {"sleutel": "werkhouding", "titel": "Werkhouding / taakaanpak / motivatie", "type": T.TEKST,
     "uitleg": _("Taakgerichtheid, concentratie, tempo, planning, studievaardigheden, huiswerkattitude.")},
    {"sleutel": "observaties", "titel": "Observaties en gesprekken (leerling/ouders)", "type": T.TEKST,
     "uitleg": _("Belangrijkste uitkomsten; ook stimulerende en belemmerende factoren, "
                 "positieve kwaliteiten en talenten.")},
    {"sleutel": "bijzonderheden", "titel": "Bijzonderheden", "type": T.TEKST, "vertrouwelijk": True,
     "uitleg": _("Indien van toepassing: IQ, LGF-indicatie, talent, ingrijpende gebeurtenis, "
                 "diagnose, ziekte of handicap. Vertrouwelijk.")},
    {"sleutel": "onderwijsbehoeften", "titel": "Onderwijsbehoeften (doel + wat heeft de leerling nodig)",
     "type": T.TEKST, "uitleg": _("Eerst het doel voor de komende periode, dan wat de leerling extra nodig "
                                  "heeft (pedagogisch en didactisch).")},
]

# Bijlage 4: vakspecifiek groepsoverzicht.
STANDAARD_VAKSPECIFIEK = [
    {"sleutel": "s", "titel": "S", "type": T.VLAG,
     "uitleg": _("Signaleren: leerachterstand of grote leervoorsprong (extra uitdaging).")},
    {"sleutel": "methodeonafhankelijk", "titel": "Methodeonafhankelijke toets", "type": T.SCORE,
     "uitleg": _("(Genormeerde) methodeonafhankelijke toets, met de vorige meting.")},
    {"sleutel": "methodegebonden-1", "titel": "Methodegebonden toets 1", "type": T.SCORE,
     "uitleg": _("Methodegebonden of eigen toets, met de vorige meting.")},
    {"sleutel": "methodegebonden-2", "titel": "Methodegebonden toets 2", "type": T.SCORE,
     "uitleg": _("Methodegebonden of eigen toets, met de vorige meting.")},
    {"sleutel": "observaties", "titel": "Observaties, werkanalyses en gesprekken", "type": T.TEKST,
     "uitleg": _("Taakaanpak, leerstijl, oplossingsstrategieën, informatieverwerking, "
                 "profiteert de leerling van de instructie; ook sterke kanten.")},
    {"sleutel": "onderwijsbehoeften", "titel": "Vakspecifieke onderwijsbehoeften (doel + wat nodig)",
     "type": T.TEKST, "uitleg": _("Doel voor de komende periode, dan wat extra nodig is: verlengde instructie, "
                                  "meer leertijd, andere verwerkingsvormen, feedback, uitdaging en verdieping.")},
]

# Bijlage 7 (b): hulpzinnen voor het benoemen van onderwijsbehoeften.
HULPZIN_INLEIDING = "Om dit doel te bereiken heeft deze leerling"
HULPZINNEN = [
    ("een instructie", "die", [
        "kort en duidelijk is",
        "verlengd is, waarbij de docent voordoet en hardop denkt",
        "de oplossingsstrategie stap voor stap aanbiedt",
        "gebruikmaakt van zijn sterke visuele kant",
        "vooral auditief is",
        "de betekenis van begrippen verheldert",
        "voorkennis activeert en koppelt aan nieuwe leerstof",
        "deelname en meedenken stimuleert",
        "eigen oplossingen stimuleert",
        "hem ondersteunt bij het plannen van zijn eigen werk",
    ]),
    ("opdrachten", "die", [
        "op of net onder zijn niveau liggen (succeservaringen)",
        "net boven zijn niveau liggen (cognitieve uitdaging)",
        "duidelijk en gestructureerd zijn",
        "extra leer- en oefenstof bieden",
        "uitgewerkte voorbeelden bevatten",
        "aansluiten bij zijn belevingswereld en de actualiteit",
        "sober zijn, met zo min mogelijk afleiding",
        "gemaakt kunnen worden met een specifiek ICT-hulpmiddel op de laptop",
        "veel ruimte bieden voor 'doen'",
        "ruimte bieden om te automatiseren",
    ]),
    ("(leer)activiteiten", "die", [
        "aansluiten bij zijn interesses en talenten",
        "structuur bieden met een stappenplan of schema",
        "zijn denken concreet ondersteunen",
        "in kleine stappen zijn opgedeeld",
        "uitdagen en verdiepen",
        "ruimte laten voor eigen keuzes en inbreng",
        "hem aanzetten tot het plannen van zijn eigen werk",
        "motiveren en het leerplezier vergroten",
        "plaatsvinden op een rustige werkplek",
    ]),
    ("feedback", "die", [
        "direct aangeeft of zijn strategie juist is",
        "gericht is op taakaanpak en planning",
        "consequent en direct volgt op gewenst gedrag",
        "inzet beloont en niet alleen het resultaat",
        "de nadruk legt op successen",
        "hem uitnodigt te reflecteren op resultaat en aanpak",
    ]),
    ("groepsgenoten", "die", [
        "met hem willen samenwerken",
        "hem helpen bij moeilijke taken",
        "accepteren dat hij anders kan reageren",
        "hem uitnodigen om ook buiten de les mee te doen",
        "zijn gedrag negeren en er niet om lachen",
        "hem niet uitdagen",
    ]),
    ("een leeromgeving", "die", [
        "duidelijk en gestructureerd is",
        "uitdaagt en activeert",
        "uitnodigt tot initiatief",
        "duidelijke regels en routines heeft",
        "een time-out biedt om af te koelen",
        "een rustig werkklimaat biedt",
        "een vertrouwenspersoon heeft bij wie hij gemakkelijk terecht kan",
    ]),
    ("docenten", "die", [
        "belangstelling tonen en met hem praten",
        "nagaan of de instructie begrepen is",
        "verlengde instructie geven",
        "hem vertrouwen geven",
        "gewenst gedrag complimenteren",
        "veiligheid en structuur bieden in nieuwe situaties",
        "overgangen tussen activiteiten en lessen structureren",
        "zijn planning ondersteunen",
        "situaties creëren waarin hij zijn sterke kanten kan laten zien",
        "hem leren succes toe te schrijven aan eigen kunnen en inzet",
        "ruimte geven voor initiatief",
        "hem regie geven over zijn leerproces",
        "met hem evalueren of de doelen zijn bereikt",
        "hun aanpak goed en consequent op hem afstemmen",
    ]),
]


def hulpzinnen():
    """[(categorie, [(korte knoptekst, volledige zin), ...]), ...] ready to insert."""
    return [
        (categorie, [(f"… {zin}", f"{HULPZIN_INLEIDING} {categorie} nodig {voegwoord} {zin}.") for zin in zinnen])
        for categorie, voegwoord, zinnen in HULPZINNEN
    ]


# --- Templates ------------------------------------------------------------------------------


def _maak_kolommen(sjabloon, bron):
    Kolom.objects.bulk_create(
        Kolom(sjabloon=sjabloon, volgorde=(i + 1) * 10, **{k: str(v) if k in ("uitleg",) else v
                                                           for k, v in kolom.items()})
        for i, kolom in enumerate(bron)
    )


def standaard_sjabloon(school, soort, vak=None):
    """The school's template for this kind of overview, created from Bijlage 3/4 on first use.

    Vakspecifiek: a per-vak template when given a vak (a copy of the school's general
    vakspecifiek template, so the applicatiebeheerder can adapt it per vak).
    """
    if soort == Soort.VAKOVERSTIJGEND:
        vak = None
    sjabloon = Sjabloon.objects.filter(school=school, soort=soort, vak=vak).first()
    if sjabloon is not None:
        return sjabloon
    if soort == Soort.VAKOVERSTIJGEND:
        naam, bron = str(_("Vakoverstijgend groepsoverzicht")), STANDAARD_VAKOVERSTIJGEND
    elif vak is None:
        naam, bron = str(_("Vakspecifiek groepsoverzicht")), STANDAARD_VAKSPECIFIEK
    else:
        algemeen = standaard_sjabloon(school, soort, None)
        naam = f"{_('Vakspecifiek groepsoverzicht')} {vak.naam}"
        bron = list(algemeen.kolommen.values(
            "sleutel", "titel", "uitleg", "type", "keuzes", "drempel", "toets_onderdeel", "vertrouwelijk"
        ))
    try:
        with transaction.atomic():
            sjabloon = Sjabloon.objects.create(school=school, soort=soort, vak=vak, naam=naam)
            _maak_kolommen(sjabloon, bron)
    except IntegrityError:  # created concurrently
        return Sjabloon.objects.get(school=school, soort=soort, vak=vak)
    return sjabloon


def sjabloon_voor(school, soort, vak=None):
    """The template a new overview uses: the vak's own template if the applicatiebeheerder made
    one, else the school's general template of that soort."""
    if soort == Soort.VAKSPECIFIEK and vak is not None:
        eigen = Sjabloon.objects.filter(school=school, soort=soort, vak=vak).first()
        if eigen is not None:
            return eigen
    return standaard_sjabloon(school, soort, None)


# --- Overviews per periode ------------------------------------------------------------------


def vorige_periode(periode):
    return Periode.objects.filter(schooljaar=periode.schooljaar_id, begin__lt=periode.begin).order_by("-begin").first()


def groepsoverzicht_voor(klas, periode, soort=Soort.VAKOVERSTIJGEND, vak=None):
    """The overview of a klas in a periode; a new one starts as a copy of the previous periode's."""
    if soort == Soort.VAKOVERSTIJGEND:
        vak = None
    bestaand = Groepsoverzicht.objects.filter(klas=klas, periode=periode, soort=soort, vak=vak).first()
    if bestaand is not None:
        return bestaand
    school = klas.afdeling.school
    sjabloon = sjabloon_voor(school, soort, vak)
    vorige_p = vorige_periode(periode)
    vorige = (
        Groepsoverzicht.objects.filter(klas=klas, periode=vorige_p, soort=soort, vak=vak).first()
        if vorige_p else None
    )
    try:
        with transaction.atomic():
            go = Groepsoverzicht.objects.create(
                klas=klas, periode=periode, soort=soort, vak=vak, sjabloon=sjabloon, vorige=vorige
            )
            if vorige is not None:
                kopieer_cellen(vorige, go)
    except IntegrityError:
        return Groepsoverzicht.objects.get(klas=klas, periode=periode, soort=soort, vak=vak)
    return go


def kopieer_cellen(van, naar):
    """Copy the cells of the previous overview (score cells stay: their earlier value is shown)."""
    kolommen = {k.sleutel: k for k in naar.sjabloon.kolommen.all()}
    nieuw = []
    for cel in van.cellen.select_related("kolom"):
        kolom = kolommen.get(cel.kolom.sleutel)
        if kolom is None or kolom.type == T.SCORE or not cel.waarde:
            continue
        nieuw.append(Cel(groepsoverzicht=naar, leerling_id=cel.leerling_id, kolom=kolom, waarde=cel.waarde,
                         gewijzigd_door_id=cel.gewijzigd_door_id, gewijzigd_op=cel.gewijzigd_op))
    Cel.objects.bulk_create(nieuw)
    return len(nieuw)


# --- Scores and thresholds ------------------------------------------------------------------

_LETTER = re.compile(r"^[A-Ea-e][+-]?$")


def _getal(waarde):
    try:
        return float(str(waarde).strip().replace(",", "."))
    except ValueError:
        return None


_ROMEINS = re.compile(r"^(I|II|III|IV|V)[+-]?$", re.IGNORECASE)


def geldige_score(waarde):
    """A score as LVS tools write it: a letter A–E (with + or -), I–V, or a number; empty is fine."""
    waarde = (waarde or "").strip()
    return not waarde or bool(_LETTER.match(waarde) or _ROMEINS.match(waarde) or _getal(waarde) is not None)


def onder_drempel(waarde, drempel, keuzes=""):
    """Is the score worse than the school's norm? Letters A–E (A best), numbers, or a keuze list
    ordered best first."""
    waarde, drempel = (waarde or "").strip(), (drempel or "").strip()
    if not waarde or not drempel:
        return False
    opties = [k.strip().lower() for k in keuzes.split(",") if k.strip()]
    if opties and waarde.lower() in opties and drempel.lower() in opties:
        return opties.index(waarde.lower()) > opties.index(drempel.lower())
    if _LETTER.match(waarde) and _LETTER.match(drempel):
        return waarde[0].upper() > drempel[0].upper()
    w, d = _getal(waarde), _getal(drempel)
    if w is not None and d is not None:
        return w < d
    return False


def dossierscores(leerling_ids, onderdelen):
    """{(leerling_id, onderdeel): [latest item, previous item]} in one query."""
    result = {}
    if not onderdelen or not leerling_ids:
        return result
    items = (
        Dossieritem.objects.filter(
            soort=Dossieritem.Soort.TOETS, leerling_id__in=leerling_ids, toets_onderdeel__in=onderdelen
        )
        .exclude(toets_score="")
        .only("leerling_id", "toets_onderdeel", "toets_score", "datum")
        .order_by("leerling_id", "toets_onderdeel", "-datum", "-aangemaakt_op")
    )
    for item in items:
        lijst = result.setdefault((item.leerling_id, item.toets_onderdeel), [])
        if len(lijst) < 2:
            lijst.append(item)
    return result


# --- Access for confidential columns --------------------------------------------------------


def vertrouwelijk_zichtbaar(user, school, klas, leerling_ids):
    """Pupils whose confidential columns this user may read: all for the mentor of the klas and the
    zorgcoördinator; otherwise the pupils for whom the user is assigned specialist or zorgteam
    case-manager (as zorg.toegang.relaties_met decides 'specialist'), in one query."""
    relaties = toegang.klas_relatie(user, school, klas)
    if relaties & {"mentor", "zorgcoordinator"}:
        return set(leerling_ids)
    vandaag = timezone.localdate()
    voorwaarde = Q(
        id__in=Betrokkene.objects.filter(gebruiker=user, vanaf__lte=vandaag)
        .filter(Q(tot__isnull=True) | Q(tot__gte=vandaag))
        .values("leerling_id")
    )
    r = toegang.rollen(user, school)
    if r.functies & (Functie.SPECIALISTEN | Functie.SCHOOLBREED):
        voorwaarde |= Q(case_manager=user)
    return set(Leerling.objects.filter(voorwaarde, id__in=leerling_ids).values_list("id", flat=True))


# --- The grid -------------------------------------------------------------------------------


@dataclass(slots=True)
class Rastercel:
    """One rendered cell, with everything the template shows worked out beforehand: a grid has
    hundreds of cells, so the template only prints attributes (no properties, lookups through
    the column or pupil, or url reversing per cell)."""

    kolom: Kolom
    leerling: Leerling
    id: str  # "cel-<leerling>-<kolom>": the td's id, the target of htmx re-renders
    leerling_pk: str  # the pks and versie as text for the hidden inputs (no number formatting per cell)
    kolom_pk: str
    type: str  # the column's type
    invoer: str  # a writable cell's input: "tekst" (textarea; also any other type), "vlag", "keuze", "score"
    label: str  # accessible name of the input: "<column title> · <pupil's sorteernaam>"
    klasse: str = ""  # the td's classes: cel type-… [onder-norm] [verborgen] [in-conflict gewijzigd]
    waarde: str = ""
    versie: int = 0
    gewijzigd_door: str = ""
    gewijzigd_op: object = None
    uit_dossier: bool = False  # the score comes from the dossier (read-only in the grid)
    dossier_datum: object = None  # date of the latest dossier score
    huidige_score: str = ""
    eerdere_score: str = ""  # the previous measurement (dossier or the previous periode's overview)
    verborgen: bool = False  # confidential column this user may not read for this pupil
    schrijfbaar: bool = False
    bewerkbaar: bool = False  # an input with autosave is rendered: schrijfbaar, not from the dossier
    opties: list = field(default_factory=list)  # keuze: [(keuze, selected), ...] incl. a saved odd value
    behoeften: bool = False  # an onderwijsbehoeften cell (the hulpzinnen insert there)
    onder_norm: bool = False
    conflict: object = None  # a Conflict when the cell is re-rendered with the conflict box

    @property
    def versie_tekst(self):
        return str(self.versie)


@dataclass(slots=True)
class _Kolominfo:
    """Per-column data the cells share (worked out once per column, not per cell)."""

    kolom: Kolom
    klasse: str
    keuzelijst: list
    behoeften: bool
    score_uit_dossier: bool
    invoer: str


def _kolominfo(kolom):
    return _Kolominfo(
        kolom=kolom,
        klasse=f"cel type-{kolom.type}",
        keuzelijst=[k.strip() for k in kolom.keuzes.split(",") if k.strip()] if kolom.type == T.KEUZE else [],
        behoeften="onderwijsbehoeften" in kolom.sleutel,
        score_uit_dossier=kolom.type == T.SCORE and bool(kolom.toets_onderdeel),
        invoer=kolom.type if kolom.type in (T.VLAG, T.KEUZE, T.SCORE) else T.TEKST,
    )


def _opties(keuzelijst, waarde):
    """A keuze cell's options [(keuze, selected)]; a saved value that is no longer a keuze stays selectable."""
    opties = [(k, k == waarde) for k in keuzelijst]
    if waarde and waarde not in keuzelijst:
        opties.append((waarde, True))
    return opties


def maak_rastercel(go, kolom, leerling, cel=None, dossier=None, vorige_waarde="", verborgen=False, schrijfbaar=False,
                   info=None, sorteernaam=None):
    """A Rastercel; `info` (the column's _Kolominfo) and `sorteernaam` save work when a whole grid is built."""
    info = info or _kolominfo(kolom)
    schrijfbaar = schrijfbaar and not verborgen
    rc = Rastercel(
        kolom=kolom, leerling=leerling, id=f"cel-{leerling.pk}-{kolom.pk}", leerling_pk=str(leerling.pk),
        kolom_pk=str(kolom.pk), type=kolom.type, invoer=info.invoer,
        label=f"{kolom.titel} · {sorteernaam if sorteernaam is not None else leerling.sorteernaam}",
        verborgen=verborgen, schrijfbaar=schrijfbaar, behoeften=info.behoeften,
    )
    if cel is not None and not verborgen:
        rc.waarde, rc.versie, rc.gewijzigd_op = cel.waarde, cel.versie, cel.gewijzigd_op
        rc.gewijzigd_door = cel.gewijzigd_door.naam if cel.gewijzigd_door_id else ""
    elif cel is not None:
        rc.versie = cel.versie
    if dossier:
        rc.uit_dossier = True
        rc.dossier_datum = dossier[0].datum
        rc.huidige_score = dossier[0].toets_score
        rc.eerdere_score = dossier[1].toets_score if len(dossier) > 1 else ""
    else:
        rc.huidige_score = rc.waarde
        rc.eerdere_score = vorige_waarde
    rc.bewerkbaar = schrijfbaar and not rc.uit_dossier
    if kolom.type == T.KEUZE:
        rc.opties = _opties(info.keuzelijst, rc.waarde)
    if not verborgen and kolom.drempel:
        if kolom.type == T.SCORE:
            rc.onder_norm = onder_drempel(rc.huidige_score, kolom.drempel)
        elif kolom.type == T.KEUZE:
            rc.onder_norm = onder_drempel(rc.waarde, kolom.drempel, kolom.keuzes)
    rc.klasse = info.klasse
    if rc.onder_norm:
        rc.klasse += " onder-norm"
    if verborgen:
        rc.klasse += " verborgen"
    return rc


def raster(go, user, school, schrijfbaar=False, kolommen=None, leerlingen=None):
    """(kolommen, rijen) for the template; rijen = [(leerling, [Rastercel, ...], [Observatie, ...],
    vakoverstijgende onderwijsbehoeften (vakspecifiek only))].

    `kolommen`: only these of the sjabloon's columns (e.g. those the user may see), default all;
    `leerlingen`: the klas's pupils in name order when the caller already has them."""
    if kolommen is None:
        kolommen = Kolom.objects.filter(sjabloon_id=go.sjabloon_id)
    kolommen = sorted(kolommen, key=lambda k: (k.volgorde, k.pk))
    if leerlingen is None:
        leerlingen = go.klas.leerlingen_op_naam()
    ids = [lln.pk for lln in leerlingen]
    cellen = {
        (c.leerling_id, c.kolom_id): c
        for c in Cel.objects.filter(groepsoverzicht=go, leerling_id__in=ids).select_related("gewijzigd_door")
    }
    onderdelen = {k.toets_onderdeel for k in kolommen if k.type == T.SCORE and k.toets_onderdeel}
    scores = dossierscores(ids, onderdelen)
    vorige = {}
    if go.vorige_id and any(k.type == T.SCORE for k in kolommen):
        for lid, sleutel, waarde in Cel.objects.filter(
            groepsoverzicht_id=go.vorige_id, kolom__type=T.SCORE, leerling_id__in=ids
        ).values_list("leerling_id", "kolom__sleutel", "waarde"):
            vorige[(lid, sleutel)] = waarde
    zichtbaar = (
        vertrouwelijk_zichtbaar(user, school, go.klas, ids) if any(k.vertrouwelijk for k in kolommen) else set(ids)
    )
    observaties = {}
    if go.soort == Soort.VAKOVERSTIJGEND:
        for obs in Observatie.objects.filter(groepsoverzicht=go).select_related("auteur"):
            observaties.setdefault(obs.leerling_id, []).append(obs)
    # Bijlage 4: the docent aligns with the cross-subject needs of the same pupils.
    vo_behoeften = {}
    if go.soort == Soort.VAKSPECIFIEK:
        vo_behoeften = dict(
            Cel.objects.filter(
                groepsoverzicht__klas_id=go.klas_id, groepsoverzicht__periode_id=go.periode_id,
                groepsoverzicht__soort=Soort.VAKOVERSTIJGEND, kolom__sleutel="onderwijsbehoeften",
                kolom__vertrouwelijk=False, leerling_id__in=ids,
            ).exclude(waarde="").values_list("leerling_id", "waarde")
        )
    infos = [_kolominfo(k) for k in kolommen]
    rijen = []
    for leerling in leerlingen:
        lid, sorteernaam = leerling.pk, leerling.sorteernaam
        vakken = [
            maak_rastercel(
                go, i.kolom, leerling, cellen.get((lid, i.kolom.pk)),
                scores.get((lid, i.kolom.toets_onderdeel)) if i.score_uit_dossier else None,
                vorige.get((lid, i.kolom.sleutel), ""),
                verborgen=i.kolom.vertrouwelijk and lid not in zichtbaar,
                schrijfbaar=schrijfbaar, info=i, sorteernaam=sorteernaam,
            )
            for i in infos
        ]
        rijen.append((leerling, vakken, observaties.get(lid, []), vo_behoeften.get(lid, "")))
    return kolommen, rijen


def een_rastercel(go, kolom, leerling, user, school, schrijfbaar=True):
    """One cell, rendered after a save or a conflict resolution."""
    cel = Cel.objects.filter(groepsoverzicht=go, kolom=kolom, leerling=leerling).select_related(
        "gewijzigd_door").first()
    dossier = None
    if kolom.type == T.SCORE and kolom.toets_onderdeel:
        dossier = dossierscores([leerling.pk], [kolom.toets_onderdeel]).get((leerling.pk, kolom.toets_onderdeel))
    vorige_waarde = ""
    if kolom.type == T.SCORE and go.vorige_id:
        vorige_waarde = (
            Cel.objects.filter(groepsoverzicht_id=go.vorige_id, kolom__sleutel=kolom.sleutel, leerling=leerling)
            .values_list("waarde", flat=True).first() or ""
        )
    verborgen = kolom.vertrouwelijk and leerling.pk not in vertrouwelijk_zichtbaar(user, school, go.klas,
                                                                                   [leerling.pk])
    return maak_rastercel(go, kolom, leerling, cel, dossier, vorige_waarde, verborgen, schrijfbaar)


# --- Saving ---------------------------------------------------------------------------------


@dataclass
class Conflict:
    cel: Cel
    mijn_waarde: str

    @property
    def door(self):
        return self.cel.gewijzigd_door.naam if self.cel.gewijzigd_door_id else str(_("een collega"))


def sla_cel_op(go, leerling, kolom, waarde, versie, user):
    """Save a cell if `versie` is still current; otherwise return a Conflict (nothing is written)."""
    if kolom.type == T.VLAG:
        waarde = "S" if waarde else ""
    with transaction.atomic():
        cel = (
            Cel.objects.select_for_update(of=("self",))
            .filter(groepsoverzicht=go, leerling=leerling, kolom=kolom)
            .select_related("gewijzigd_door")
            .first()
        )
        if cel is None:
            try:
                with transaction.atomic():
                    cel = Cel.objects.create(
                        groepsoverzicht=go, leerling=leerling, kolom=kolom, waarde=waarde, versie=1,
                        gewijzigd_door=user, gewijzigd_op=timezone.now(),
                    )
            except IntegrityError:
                cel = (
                    Cel.objects.select_for_update(of=("self",))
                    .select_related("gewijzigd_door")
                    .get(groepsoverzicht=go, leerling=leerling, kolom=kolom)
                )
            else:
                _bijgewerkt(go)
                return cel
        if cel.versie != versie:
            if cel.waarde == waarde:
                return cel  # same text: nothing to resolve
            return Conflict(cel=cel, mijn_waarde=waarde)
        if cel.waarde != waarde:
            cel.waarde = waarde
            cel.versie += 1
            cel.gewijzigd_door = user
            cel.gewijzigd_op = timezone.now()
            cel.save()
            _bijgewerkt(go)
        return cel


def met_conflict(rc, conflict):
    """The cell re-rendered with the conflict box: the user's own text stays in the input (nothing of it
    was saved); the shading stays that of the saved value."""
    rc.conflict = conflict
    rc.waarde = conflict.mijn_waarde
    if rc.type == T.KEUZE:
        rc.opties = _opties(_kolominfo(rc.kolom).keuzelijst, rc.waarde)
    return rc


def _bijgewerkt(go):
    go.bijgewerkt_op = timezone.now()
    Groepsoverzicht.objects.filter(pk=go.pk).update(bijgewerkt_op=go.bijgewerkt_op)


def samengevoegd(zijne, mijne):
    if not zijne:
        return mijne
    if not mijne or mijne in zijne:
        return zijne
    return f"{zijne}\n{mijne}"
