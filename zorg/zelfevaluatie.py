"""Zelfevaluatie: the school rates its own zorgstructuur (Checklist Zorgstructuur, seed 000 appendix 5)
or its zorgoverleg (yearly evaluation, seed 003) with the staff, per role.

- standaard_vragenlijst(school, soort): the school's own editable copy of a standard questionnaire
  (created once; later calls return it).
- A round (Zelfevaluatie) is sent to staff by role: management (directie, teamleider), zorgfunctie
  (zorgcoördinator, intern begeleider, specialists), mentor (mentor of a klas), docent (other
  teachers). One Respondent per person, in their strongest role.
- Results: per rubriek the mean score 1-4 ('?' = 0 left out), overall and per role; a role with fewer
  than MIN_RESPONDENTEN respondents who submitted gets no figures of its own (anonymity). Individual
  answers are never shown.
- Verbeterpunten: improvements after a round, with an owner and a due date.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .checklist_zorgstructuur import STANDAARD
from .models import (
    Antwoord,
    Functie,
    Gebruiker,
    Klas,
    Lesopdracht,
    Respondent,
    Rubriek,
    Verbeterpunt,
    Vraag,
    Vragenlijst,
    Zelfevaluatie,
)
from .notificaties import notificeer

Rol = Respondent.Rol
Soort = Functie.Soort

# A role with fewer respondents than this gets no figures of its own.
MIN_RESPONDENTEN = 3

ROLVOLGORDE = [Rol.MANAGEMENT, Rol.ZORGFUNCTIE, Rol.MENTOR, Rol.DOCENT]  # strongest first

MANAGEMENT_FUNCTIES = {Soort.DIRECTIE, Soort.TEAMLEIDER}
ZORG_FUNCTIES = {Soort.ZORGCOORDINATOR, Soort.INTERN_BEGELEIDER} | Functie.SPECIALISTEN


class Fout(Exception):
    """A refused action, with a Dutch message for the user."""


# --- Questionnaires -------------------------------------------------------------------------------


@transaction.atomic
def standaard_vragenlijst(school, soort):
    """The school's questionnaire of this soort ("zorgstructuur" or "zorgoverleg"), created from the
    standard text the first time. Idempotent: an existing one (possibly edited) is returned as is."""
    bestaand = Vragenlijst.objects.filter(school=school, soort=soort).order_by("pk").first()
    if bestaand is not None:
        return bestaand
    naam, toelichting, rubrieken = STANDAARD[soort]
    lijst = Vragenlijst.objects.create(school=school, soort=soort, naam=naam, toelichting=toelichting)
    vragen = []
    for r_nr, (rubrieknaam, teksten) in enumerate(rubrieken, start=1):
        rubriek = Rubriek.objects.create(vragenlijst=lijst, volgorde=r_nr, naam=rubrieknaam)
        vragen += [Vraag(rubriek=rubriek, volgorde=v_nr, tekst=t) for v_nr, t in enumerate(teksten, start=1)]
    Vraag.objects.bulk_create(vragen)
    return lijst


def vraag_heeft_antwoorden(vraag):
    return Antwoord.objects.filter(vraag=vraag).exists()


def vraag_wijzigen(vraag, tekst=None, actief=None):
    """Reword and/or switch an item on/off. An item that has answers keeps its wording."""
    tekst = (tekst or "").strip() if tekst is not None else None
    if tekst is not None and tekst != vraag.tekst:
        if not tekst:
            raise Fout(_("Vul de tekst van de vraag in."))
        if vraag_heeft_antwoorden(vraag):
            raise Fout(_(
                "Deze vraag is al beantwoord en kan daarom niet meer anders geformuleerd worden; "
                "u kunt haar wel uitzetten en een nieuwe vraag toevoegen."
            ))
        vraag.tekst = tekst
    if actief is not None:
        vraag.actief = actief
    vraag.save()
    return vraag


def vraag_verwijderen(vraag):
    if vraag_heeft_antwoorden(vraag):
        raise Fout(_(
            "Deze vraag is al beantwoord en kan daarom niet verwijderd worden; u kunt haar wel uitzetten."
        ))
    vraag.delete()


def vraag_toevoegen(rubriek, tekst):
    tekst = (tekst or "").strip()
    if not tekst:
        raise Fout(_("Vul de tekst van de vraag in."))
    laatste = rubriek.vragen.order_by("-volgorde").values_list("volgorde", flat=True).first() or 0
    return Vraag.objects.create(rubriek=rubriek, volgorde=laatste + 1, tekst=tekst)


def rubriek_toevoegen(lijst, naam):
    naam = (naam or "").strip()
    if not naam:
        raise Fout(_("Vul de naam van de rubriek in."))
    laatste = lijst.rubrieken.order_by("-volgorde").values_list("volgorde", flat=True).first() or 0
    return Rubriek.objects.create(vragenlijst=lijst, volgorde=laatste + 1, naam=naam)


def rubriek_hernoemen(rubriek, naam):
    naam = (naam or "").strip()
    if not naam:
        raise Fout(_("Vul de naam van de rubriek in."))
    rubriek.naam = naam
    rubriek.save(update_fields=["naam"])
    return rubriek


# --- Staff by role ---------------------------------------------------------------------------------


def medewerkers_per_rol(schooljaar):
    """{user id: Respondent.Rol} for the staff of a schooljaar, each in their strongest role.
    Staff with only a technical role (applicatiebeheerder) are not asked."""
    rollen = {}

    def zet(uid, rol):
        huidig = rollen.get(uid)
        if huidig is None or ROLVOLGORDE.index(rol) < ROLVOLGORDE.index(huidig):
            rollen[uid] = rol

    for uid, soort in Functie.objects.filter(schooljaar=schooljaar).values_list("gebruiker_id", "soort"):
        if soort in MANAGEMENT_FUNCTIES:
            zet(uid, Rol.MANAGEMENT)
        elif soort in ZORG_FUNCTIES:
            zet(uid, Rol.ZORGFUNCTIE)
        elif soort == Soort.DOCENT:
            zet(uid, Rol.DOCENT)
    for uid in Klas.mentoren.through.objects.filter(klas__schooljaar=schooljaar).values_list(
        "gebruiker_id", flat=True
    ):
        zet(uid, Rol.MENTOR)
    for uid in Lesopdracht.objects.filter(klas__schooljaar=schooljaar).values_list("docent_id", flat=True):
        zet(uid, Rol.DOCENT)
    return rollen


def medewerkers(schooljaar):
    """The staff of a schooljaar (any role), by name: the possible owners of a verbeterpunt."""
    return Gebruiker.objects.filter(
        Q(functies__schooljaar=schooljaar)
        | Q(mentorklassen__schooljaar=schooljaar)
        | Q(lesopdrachten__klas__schooljaar=schooljaar)
    ).distinct().order_by("last_name", "first_name", "username")


# --- Rounds ----------------------------------------------------------------------------------------


def ronde_aanmaken(school, schooljaar, vragenlijst, titel, rollen, sluit_op, door):
    return Zelfevaluatie.objects.create(
        school=school, schooljaar=schooljaar, vragenlijst=vragenlijst, titel=titel, rollen=list(rollen),
        sluit_op=sluit_op, aangemaakt_door=door,
    )


@transaction.atomic
def versturen(ronde, door):
    """Send a concept round: a Respondent per staff member in the chosen roles, and a notice to each."""
    ronde = Zelfevaluatie.objects.select_for_update().get(pk=ronde.pk)
    if ronde.status != Zelfevaluatie.Status.CONCEPT:
        raise Fout(_("Deze zelfevaluatie is al verstuurd."))
    if not ronde.vragenlijst.rubrieken.filter(vragen__actief=True).exists():
        raise Fout(_("De vragenlijst heeft geen (actieve) vragen. Voeg eerst vragen toe."))
    gekozen = set(ronde.rollen)
    per_rol = {uid: rol for uid, rol in medewerkers_per_rol(ronde.schooljaar).items() if rol in gekozen}
    if not per_rol:
        raise Fout(_("Er zijn dit schooljaar geen medewerkers in de gekozen functies. Kies andere functies."))
    Respondent.objects.bulk_create(
        [Respondent(zelfevaluatie=ronde, gebruiker_id=uid, rol=rol) for uid, rol in per_rol.items()],
        ignore_conflicts=True,
    )
    ronde.status = Zelfevaluatie.Status.OPEN
    ronde.verstuurd_op = timezone.now()
    ronde.save(update_fields=["status", "verstuurd_op"])
    tekst = _("Wilt u de vragenlijst '%(titel)s' invullen?") % {"titel": ronde.titel}
    if ronde.sluit_op:
        tekst += " " + _("Dat kan tot en met %(datum)s.") % {"datum": ronde.sluit_op.strftime("%d-%m-%Y")}
    url = reverse("zelfevaluatie_invullen", args=[ronde.pk])
    notificeer(Gebruiker.objects.filter(pk__in=per_rol), tekst, url=url)
    return ronde


def sluiten(ronde):
    if ronde.status != Zelfevaluatie.Status.OPEN:
        raise Fout(_("Alleen een open zelfevaluatie kan gesloten worden."))
    ronde.status = Zelfevaluatie.Status.GESLOTEN
    ronde.gesloten_op = timezone.now()
    ronde.save(update_fields=["status", "gesloten_op"])
    return ronde


def is_open(ronde, op=None):
    op = op or timezone.localdate()
    return ronde.status == Zelfevaluatie.Status.OPEN and (ronde.sluit_op is None or op <= ronde.sluit_op)


@transaction.atomic
def antwoorden_opslaan(respondent, scores, opmerkingen, indienen):
    """Save a respondent's answers: scores = {vraag id: score or None (left blank)}."""
    ronde = respondent.zelfevaluatie
    if not is_open(ronde):
        raise Fout(_("Deze vragenlijst is gesloten; uw antwoorden kunnen niet meer worden gewijzigd."))
    geldig = set(
        Vraag.objects.filter(rubriek__vragenlijst_id=ronde.vragenlijst_id, actief=True).values_list("pk", flat=True)
    )
    Antwoord.objects.filter(respondent=respondent).exclude(
        vraag_id__in=[v for v, s in scores.items() if s is not None]
    ).filter(vraag_id__in=geldig).delete()
    for vraag_id, score in scores.items():
        if score is None or vraag_id not in geldig:
            continue
        Antwoord.objects.update_or_create(respondent=respondent, vraag_id=vraag_id, defaults={"score": score})
    respondent.opmerkingen = opmerkingen or ""
    respondent.gewijzigd_op = timezone.now()
    if indienen:
        respondent.ingediend_op = respondent.gewijzigd_op
    respondent.save(update_fields=["opmerkingen", "gewijzigd_op", "ingediend_op"])
    return respondent


# --- Results ---------------------------------------------------------------------------------------


@dataclass
class Rubriekscore:
    rubriek: Rubriek
    gemiddelde: float | None
    per_rol: dict = field(default_factory=dict)  # rol -> mean or None (too few respondents)
    vorige: float | None = None


@dataclass
class Vraagverdeling:
    vraag: Vraag
    aantallen: dict  # score -> count
    gemiddelde: float | None

    @property
    def totaal(self):
        return sum(self.aantallen.values())


@dataclass
class Resultaat:
    ronde: Zelfevaluatie
    respons: list  # (rol, label, gevraagd, ingediend, percentage)
    rollen_met_cijfers: list  # roles with enough respondents for figures of their own
    rollen_te_klein: list  # labels of roles with too few respondents
    rubrieken: list  # Rubriekscore
    vragen: dict  # rubriek id -> [Vraagverdeling]
    vorige_ronde: Zelfevaluatie | None

    @property
    def sterk(self):
        scores = [r for r in self.rubrieken if r.gemiddelde is not None]
        return sorted(scores, key=lambda r: (-r.gemiddelde, r.rubriek.volgorde))[:3]

    @property
    def zwak(self):
        scores = [r for r in self.rubrieken if r.gemiddelde is not None]
        return sorted(scores, key=lambda r: (r.gemiddelde, r.rubriek.volgorde))[:3]


def _gemiddelde(som, aantal):
    return round(som / aantal, 2) if aantal else None


def _rubriekgemiddelden(ronde, per_rol=False):
    """{(rubriek id, rol or None): mean} over submitted respondents, '?' (0) left out. One query."""
    qs = Antwoord.objects.filter(
        respondent__zelfevaluatie=ronde, respondent__ingediend_op__isnull=False, score__gt=0,
    )
    velden = ["vraag__rubriek_id"] + (["respondent__rol"] if per_rol else [])
    uitkomst = {}
    for rij in qs.values(*velden).annotate(som=Sum("score"), n=Count("pk")).order_by():
        sleutel = (rij["vraag__rubriek_id"], rij.get("respondent__rol"))
        uitkomst[sleutel] = _gemiddelde(rij["som"], rij["n"])
    return uitkomst


def vorige_ronde(ronde):
    return (
        Zelfevaluatie.objects.filter(vragenlijst_id=ronde.vragenlijst_id, aangemaakt_op__lt=ronde.aangemaakt_op)
        .exclude(status=Zelfevaluatie.Status.CONCEPT)
        .exclude(pk=ronde.pk)
        .order_by("-aangemaakt_op")
        .first()
    )


def resultaten(ronde):
    """The figures of a round, over respondents who submitted. A bounded number of queries."""
    labels = dict(Rol.choices)
    gevraagd = dict(
        ronde.respondenten.values("rol").annotate(n=Count("pk")).values_list("rol", "n").order_by()
    )
    ingediend = dict(
        ronde.respondenten.filter(ingediend_op__isnull=False)
        .values("rol").annotate(n=Count("pk")).values_list("rol", "n").order_by()
    )
    respons = []
    for rol in ROLVOLGORDE:
        if rol in gevraagd:
            n, k = gevraagd[rol], ingediend.get(rol, 0)
            respons.append((rol, labels[rol], n, k, round(100 * k / n) if n else None))
    totaal_n, totaal_k = sum(gevraagd.values()), sum(ingediend.values())
    respons.append(("", _("totaal"), totaal_n, totaal_k, round(100 * totaal_k / totaal_n) if totaal_n else None))
    met_cijfers = [rol for rol in ROLVOLGORDE if ingediend.get(rol, 0) >= MIN_RESPONDENTEN]
    te_klein = [labels[rol] for rol in ROLVOLGORDE if 0 < ingediend.get(rol, 0) < MIN_RESPONDENTEN]

    totaal = _rubriekgemiddelden(ronde)
    rol_gem = _rubriekgemiddelden(ronde, per_rol=True)
    vorige = vorige_ronde(ronde)
    vorig = _rubriekgemiddelden(vorige) if vorige else {}

    rubrieken = list(Rubriek.objects.filter(vragenlijst_id=ronde.vragenlijst_id).order_by("volgorde", "pk"))
    scores = [
        Rubriekscore(
            rubriek=r,
            gemiddelde=totaal.get((r.pk, None)),
            per_rol={rol: rol_gem.get((r.pk, rol)) for rol in met_cijfers},
            vorige=vorig.get((r.pk, None)),
        )
        for r in rubrieken
    ]

    verdeling = {}
    for rij in (
        Antwoord.objects.filter(respondent__zelfevaluatie=ronde, respondent__ingediend_op__isnull=False)
        .values("vraag_id", "score").annotate(n=Count("pk")).order_by()
    ):
        verdeling.setdefault(rij["vraag_id"], {})[rij["score"]] = rij["n"]
    vragen = {}
    for vraag in Vraag.objects.filter(rubriek__vragenlijst_id=ronde.vragenlijst_id).order_by("volgorde", "pk"):
        aantallen = {s: verdeling.get(vraag.pk, {}).get(s, 0) for s in (1, 2, 3, 4, 0)}
        if not vraag.actief and not any(aantallen.values()):
            continue
        n = sum(aantallen[s] for s in (1, 2, 3, 4))
        gem = _gemiddelde(sum(s * aantallen[s] for s in (1, 2, 3, 4)), n)
        vragen.setdefault(vraag.rubriek_id, []).append(Vraagverdeling(vraag, aantallen, gem))
    return Resultaat(ronde, respons, met_cijfers, te_klein, scores, vragen, vorige)


# --- Verbeterpunten --------------------------------------------------------------------------------


def verbeterpunt_toevoegen(ronde, rubriek, wat, eigenaar, uiterlijk, door):
    punt = Verbeterpunt.objects.create(
        school=ronde.school, zelfevaluatie=ronde, rubriek=rubriek, wat=wat, eigenaar=eigenaar,
        uiterlijk=uiterlijk, aangemaakt_door=door,
    )
    notificeer(
        [eigenaar],
        _("U bent eigenaar van een verbeterpunt uit '%(titel)s': %(wat)s") % {"titel": ronde.titel, "wat": wat},
        url=reverse("mijn_zelfevaluaties"),
        behalve=door,
    )
    return punt


def verbeterpunt_afhandelen(punt, status, toelichting):
    if punt.status != Verbeterpunt.Status.OPEN:
        raise Fout(_("Dit verbeterpunt is al afgehandeld."))
    if status not in (Verbeterpunt.Status.GEDAAN, Verbeterpunt.Status.VERVALLEN):
        raise Fout(_("Kies 'gedaan' of 'vervallen'."))
    punt.status = status
    punt.toelichting = toelichting or ""
    punt.afgehandeld_op = timezone.now()
    punt.save(update_fields=["status", "toelichting", "afgehandeld_op"])
    return punt
