"""The audit of one school (issue 9, Audit): who viewed or changed what, in one timeline.

Five sources, each queried with the filters and a LIMIT in the database, merged newest first in
Python (heapq.merge), so a page never loads a whole table:
- ingezien: the inzagelog (zorg.models.Inzage) about the school's pupils;
- gewijzigd: the simple-history rows of the school's records (one UNION ALL query over the
  history tables in HISTORIE, each branch scoped to the school and limited);
- geweigerd: refused requests (zorg.models.Weigering) at the school, or without a chosen school
  by people of the school;
- inloggen: successful (axes AccessLog) and failed (AccessFailureLog, or AccessAttempt when the
  failure log is off) logins of the school's people;
- export: each export of this audit, recorded as an admin LogEntry on the school (no history of
  its own, no new table) and shown in the audit itself.
"""

import csv
import datetime
import heapq
import io
import itertools
import re
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField, F, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Functie, Gebruiker, Inzage, Klas, Lesopdracht, School, Weigering
from .tabelexport import veilige_cel

PER_PAGINA = 50
MAX_PAGINA = 200  # deeper than 10,000 rows a page makes no sense: narrow the filters instead
EXPORT_MAX = 10_000
EXPORT_OMSCHRIJVING = "Auditlog-export"

INGEZIEN, GEWIJZIGD, GEWEIGERD, INLOGGEN, EXPORT = "ingezien", "gewijzigd", "geweigerd", "inloggen", "export"
SOORTEN = [
    (INGEZIEN, gettext_lazy("ingezien")),
    (GEWIJZIGD, gettext_lazy("aangemaakt, gewijzigd of verwijderd")),
    (GEWEIGERD, gettext_lazy("geweigerde toegang")),
    (INLOGGEN, gettext_lazy("inloggen")),
    (EXPORT, gettext_lazy("export van de audit")),
]
# Short names for the rows of the timeline and the export.
SOORTNAMEN = {
    INGEZIEN: gettext_lazy("ingezien"), GEWIJZIGD: gettext_lazy("gewijzigd"), GEWEIGERD: gettext_lazy("geweigerd"),
    INLOGGEN: gettext_lazy("inloggen"), EXPORT: gettext_lazy("export"),
}
HISTORIE_SOORT = {"+": gettext_lazy("aangemaakt"), "~": gettext_lazy("gewijzigd"), "-": gettext_lazy("verwijderd")}

# The history tables in the audit: model label -> (path to the school, path to the pupil or None).
HISTORIE = {
    "zorg.Functie": ("schooljaar__school", None),
    "zorg.Zorgniveau": ("zorgroute__school", None),
    "leerlingen.Leerling": ("school", "id"),
    "leerlingen.Klasplaatsing": ("leerling__school", "leerling_id"),
    "leerlingen.OuderRelatie": ("leerling__school", "leerling_id"),
    "leerlingen.Betrokkene": ("leerling__school", "leerling_id"),
    "leerlingen.Dossieritem": ("leerling__school", "leerling_id"),
    "leerlingen.Opschaling": ("leerling__school", "leerling_id"),
    "besprekingen.Bespreking": ("school", None),
    "besprekingen.Aanmelding": ("school", "leerling_id"),
    "besprekingen.Agendapunt": ("bespreking__school", "leerling_id"),
    "besprekingen.Afspraak": ("school", "leerling_id"),
    "plannen.Cel": ("leerling__school", "leerling_id"),
    "plannen.Observatie": ("leerling__school", "leerling_id"),
    "plannen.Groepsplan": ("klas__schooljaar__school", None),
    "plannen.GroepsplanRij": ("groepsplan__klas__schooljaar__school", None),
    "plannen.Handelingsplan": ("leerling__school", "leerling_id"),
    "plannen.Doel": ("handelingsplan__leerling__school", "handelingsplan__leerling_id"),
    "plannen.Betrokkenheid": ("handelingsplan__leerling__school", "handelingsplan__leerling_id"),
    "extern.Instelling": ("school", None),
    "extern.Contactpersoon": ("instelling__school", None),
    "extern.Toestemming": ("leerling__school", "leerling_id"),
    "extern.Verwijzing": ("school", "leerling_id"),
    "extern.Terugkoppeling": ("verwijzing__school", "verwijzing__leerling_id"),
    "extern.ExterneToegang": ("verwijzing__school", "verwijzing__leerling_id"),
    "ouders.Correctieverzoek": ("leerling__school", "leerling_id"),
}
# History tables left out, with the reason (a test fails on a history table in neither list).
HISTORIE_NIET = {
    "leerlingen.Ouder": "a parent belongs to no school; their link to a pupil is OuderRelatie",
    "plannen.GroepsplanRij_leerlingen": "the m2m rows of a groepsplan row; the row's own history shows the change",
}


@dataclass
class Regel:
    """One line of the timeline."""

    op: datetime.datetime
    soort: str
    wie: str
    leerling: str
    wat: str
    detail: str = ""

    @property
    def soortnaam(self):
        return SOORTNAMEN[self.soort]


class AuditFilter(forms.Form):
    """The filters (GET). Wrong input gives a Dutch message and the form keeps what was typed."""

    gebruiker = forms.CharField(label=gettext_lazy("Gebruiker"), max_length=100, required=False,
                                help_text=gettext_lazy("Naam of gebruikersnaam (een deel is genoeg)."))
    leerling = forms.CharField(label=gettext_lazy("Leerling"), max_length=100, required=False,
                               help_text=gettext_lazy("Naam of leerlingnummer (een deel is genoeg)."))
    soort = forms.ChoiceField(label=gettext_lazy("Soort"), required=False,
                              choices=[("", gettext_lazy("alles"))] + SOORTEN)
    van = forms.DateField(label=gettext_lazy("Van"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(label=gettext_lazy("Tot en met"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def clean_gebruiker(self):
        return self.cleaned_data["gebruiker"].strip().replace("\x00", "")

    def clean_leerling(self):
        return self.cleaned_data["leerling"].strip().replace("\x00", "")

    def clean(self):
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        if van and tot and van > tot:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        for veld in ("van", "tot"):
            datum = data.get(veld)
            if datum and not (datetime.date(2000, 1, 1) <= datum <= datetime.date(2100, 12, 31)):
                self.add_error(veld, _("Kies een datum tussen 2000 en 2100."))
        return data


@dataclass
class Filters:
    gebruiker: str = ""
    leerling: str = ""
    soort: str = ""
    van: datetime.date | None = None
    tot: datetime.date | None = None

    @classmethod
    def uit(cls, form):
        return cls(**{k: form.cleaned_data.get(k) or ("" if k in ("gebruiker", "leerling", "soort") else None)
                      for k in ("gebruiker", "leerling", "soort", "van", "tot")})

    def bronnen(self):
        """The sources these filters can match (logins and exports are about no pupil)."""
        soorten = [self.soort] if self.soort else [s for s, _naam in SOORTEN]
        if self.leerling:
            soorten = [s for s in soorten if s in (INGEZIEN, GEWIJZIGD, GEWEIGERD)]
        return soorten

    def beschrijving(self):
        delen = [f"{k}={v}" for k, v in vars(self).items() if v]
        return ", ".join(str(d) for d in delen) or _("geen filters")


# --- Scope ---------------------------------------------------------------------------------


def personen(school):
    """Ids of the people of a school: staff in any of its schooljaren, the parents and accounts of
    its pupils, and the contact persons of its instellingen (a subquery, never a list)."""
    from extern.models import Contactpersoon
    from leerlingen.models import Leerling, OuderRelatie

    return Gebruiker.objects.filter(
        Q(pk__in=Functie.objects.filter(schooljaar__school=school).values("gebruiker_id"))
        | Q(pk__in=Klas.mentoren.through.objects.filter(klas__schooljaar__school=school).values("gebruiker_id"))
        | Q(pk__in=Lesopdracht.objects.filter(klas__schooljaar__school=school).values("docent_id"))
        | Q(pk__in=OuderRelatie.objects.filter(leerling__school=school).values("ouder__gebruiker_id"))
        | Q(pk__in=Leerling.objects.filter(school=school, gebruiker__isnull=False).values("gebruiker_id"))
        | Q(pk__in=Contactpersoon.objects.filter(instelling__school=school, gebruiker__isnull=False)
            .values("gebruiker_id"))
    ).values("pk")


def _gebruikers_met_naam(tekst):
    return (
        Gebruiker.objects.annotate(_volledig=Concat("first_name", Value(" "), "last_name"))
        .filter(Q(username__icontains=tekst) | Q(_volledig__icontains=tekst))
        .values("pk")
    )


def _leerlingen_met_naam(school, tekst):
    from leerlingen.models import Leerling

    return (
        Leerling.objects.filter(school=school)
        .annotate(_volledig=Concat("voornaam", Value(" "), "tussenvoegsel", Value(" "), "achternaam"))
        .filter(
            Q(_volledig__icontains=tekst) | Q(leerlingnummer__icontains=tekst)
            | Q(voornaam__icontains=tekst) | Q(achternaam__icontains=tekst)
        )
        .values("pk")
    )


def _periode(qs, veld, f):
    if f.van:
        qs = qs.filter(**{f"{veld}__gte": _dagbegin(f.van)})
    if f.tot:
        qs = qs.filter(**{f"{veld}__lt": _dagbegin(f.tot + datetime.timedelta(days=1))})
    return qs


def _dagbegin(datum):
    return timezone.make_aware(datetime.datetime.combine(datum, datetime.time.min))


def _leerlingnaam(voornaam, tussenvoegsel, achternaam):
    return " ".join(p for p in (voornaam, tussenvoegsel, achternaam) if p)


# --- The sources (each returns Regels newest first, at most `limiet`) -------------------------


def _inzagen(school, f, limiet):
    qs = Inzage.objects.filter(leerling__school=school)
    if f.gebruiker:
        qs = qs.filter(Q(gebruiker_naam__icontains=f.gebruiker) | Q(gebruiker__in=_gebruikers_met_naam(f.gebruiker)))
    if f.leerling:
        qs = qs.filter(leerling__in=_leerlingen_met_naam(school, f.leerling))
    qs = _periode(qs, "op", f).order_by("-op", "-pk").values_list(
        "op", "gebruiker_naam", "rol", "onderdeel", "leerling__voornaam", "leerling__tussenvoegsel",
        "leerling__achternaam",
    )[:limiet]
    return [
        Regel(op=op, soort=INGEZIEN, wie=naam, leerling=_leerlingnaam(v, t, a), wat=str(onderdeel), detail=rol)
        for op, naam, rol, onderdeel, v, t, a in qs
    ]


def historie_modellen():
    """The history models of the audit: (historical model, instance model, school path, pupil path)."""
    for label, (school_pad, leerling_pad) in HISTORIE.items():
        model = apps.get_model(label)
        yield model.history.model, model, school_pad, leerling_pad


def _wijzigingen(school, f, limiet):
    delen = []
    leerlingen = _leerlingen_met_naam(school, f.leerling) if f.leerling else None
    gebruikers = _gebruikers_met_naam(f.gebruiker) if f.gebruiker else None
    for historisch, model, school_pad, leerling_pad in historie_modellen():
        if leerlingen is not None and leerling_pad is None:
            continue
        qs = historisch.objects.filter(**{school_pad: school})
        if leerlingen is not None:
            qs = qs.filter(**{f"{leerling_pad.removesuffix('_id')}__in": leerlingen})
        if gebruikers is not None:
            qs = qs.filter(history_user__in=gebruikers)
        qs = _periode(qs, "history_date", f)
        # Only annotations, in one order: every branch of the UNION has the same columns.
        qs = qs.annotate(
            a_op=F("history_date"),
            a_soort=F("history_type"),
            a_user=F("history_user_id"),
            a_leerling=F(leerling_pad) if leerling_pad else Cast(Value(None), output_field=BigIntegerField()),
            a_model=Value(model._meta.label, output_field=CharField()),
            a_object=Cast(model._meta.pk.attname, output_field=BigIntegerField()),
        ).values_list("a_op", "a_soort", "a_user", "a_leerling", "a_model", "a_object")
        delen.append(qs.order_by("-a_op")[:limiet])
    if not delen:
        return []
    eerste, *rest = delen
    rijen = list(eerste.union(*rest, all=True).order_by("-a_op")[:limiet]) if rest else list(eerste)
    return _historie_regels(rijen)


def _historie_regels(rijen):
    """Names for the users and pupils of history rows: two queries for the whole page."""
    from leerlingen.models import Leerling

    users = Gebruiker.objects.only("first_name", "last_name", "username").in_bulk({r[2] for r in rijen if r[2]})
    pupils = Leerling.objects.only("voornaam", "tussenvoegsel", "achternaam").in_bulk({r[3] for r in rijen if r[3]})
    regels = []
    for op, soort, user_id, leerling_id, label, object_id in rijen:
        model = apps.get_model(label)
        wie = users[user_id].naam if user_id in users else _("systeem")
        leerling = pupils[leerling_id].naam if leerling_id in pupils else ""
        wat = f"{model._meta.verbose_name} #{object_id} {HISTORIE_SOORT.get(soort, soort)}"
        regels.append(Regel(op=op, soort=GEWIJZIGD, wie=wie, leerling=leerling, wat=wat))
    return regels


# Refused addresses that name a pupil (/leerlingen/12/..., /leerling/12/..., /kinderen/12/...).
LEERLING_IN_PAD = r"/(?:leerlingen|leerling|kinderen|aanmelden)/(\d+)(?:/|$)"
MAX_LEERLINGEN_IN_FILTER = 100


def _weigeringen(school, f, limiet):
    qs = Weigering.objects.filter(Q(school=school) | Q(school__isnull=True, gebruiker__in=personen(school)))
    namen = {}
    if f.leerling:
        # Refusals carry no pupil: match the pupils' ids in the refused address instead.
        namen = {str(pk): _leerlingnaam(v, t, a) for pk, v, t, a in _leerlingen_met_naam(school, f.leerling)
                 .values_list("pk", "voornaam", "tussenvoegsel", "achternaam")[:MAX_LEERLINGEN_IN_FILTER]}
        if not namen:
            return []
        ids = "|".join(namen)
        qs = qs.filter(pad__regex=rf"/(?:leerlingen|leerling|kinderen|aanmelden)/(?:{ids})(?:/|$)")
    if f.gebruiker:
        qs = qs.filter(gebruiker__in=_gebruikers_met_naam(f.gebruiker))
    qs = _periode(qs, "op", f).order_by("-op", "-pk").values_list(
        "op", "gebruiker__first_name", "gebruiker__last_name", "gebruiker__username", "pad", "status",
    )[:limiet]
    regels = []
    for op, voor, achter, username, pad, status in qs:
        gevonden = re.search(LEERLING_IN_PAD, pad)
        regels.append(Regel(
            op=op, soort=GEWEIGERD, wie=f"{voor} {achter}".strip() or username,
            leerling=namen.get(gevonden.group(1), "") if gevonden else "",
            wat=_("geweigerd (%(status)s)") % {"status": status}, detail=pad,
        ))
    return regels


def _inlogs(school, f, limiet):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    namen = Gebruiker.objects.filter(pk__in=personen(school)).values("username")
    if f.gebruiker:
        namen = namen.filter(pk__in=_gebruikers_met_naam(f.gebruiker))
    gelukt = _periode(AccessLog.objects.filter(username__in=namen), "attempt_time", f).order_by("-attempt_time")
    regels = [
        Regel(op=op, soort=INLOGGEN, wie=naam, leerling="", wat=_("ingelogd"), detail=ip or "")
        for op, naam, ip in gelukt.values_list("attempt_time", "username", "ip_address")[:limiet]
    ]
    if getattr(settings, "AXES_ENABLE_ACCESS_FAILURE_LOG", False):
        mislukt = AccessFailureLog.objects.filter(username__in=namen).values_list(
            "attempt_time", "username", "ip_address", Value(1))
    else:
        mislukt = AccessAttempt.objects.filter(username__in=namen).values_list(
            "attempt_time", "username", "ip_address", "failures_since_start")
    mislukt = _periode(mislukt, "attempt_time", f).order_by("-attempt_time")[:limiet]
    regels += [
        Regel(op=op, soort=INLOGGEN, wie=naam, leerling="", detail=ip or "",
              wat=_("inloggen mislukt") if n == 1 else _("inloggen mislukt (%(n)s keer)") % {"n": n})
        for op, naam, ip, n in mislukt
    ]
    regels.sort(key=lambda r: r.op, reverse=True)
    return regels[:limiet]


def _exports(school, f, limiet):
    qs = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(School), object_id=str(school.pk),
        object_repr=EXPORT_OMSCHRIJVING,
    )
    if f.gebruiker:
        qs = qs.filter(user__in=_gebruikers_met_naam(f.gebruiker))
    qs = _periode(qs, "action_time", f).order_by("-action_time").values_list(
        "action_time", "user__first_name", "user__last_name", "user__username", "change_message",
    )[:limiet]
    return [
        Regel(op=op, soort=EXPORT, wie=f"{voor} {achter}".strip() or username, leerling="",
              wat=_("audit geëxporteerd"), detail=bericht)
        for op, voor, achter, username, bericht in qs
    ]


BRONNEN = {INGEZIEN: _inzagen, GEWIJZIGD: _wijzigingen, GEWEIGERD: _weigeringen, INLOGGEN: _inlogs, EXPORT: _exports}


def regels(school, f, limiet):
    """The newest `limiet` lines of the school's audit under the filters."""
    lijsten = [BRONNEN[soort](school, f, limiet) for soort in f.bronnen()]
    samen = heapq.merge(*lijsten, key=lambda r: r.op, reverse=True)
    return list(itertools.islice(samen, limiet))


@dataclass
class Pagina:
    """A page of the timeline, without a total count (that would mean counting every source)."""

    nummer: int
    object_list: list
    has_next: bool
    te_diep: bool = False

    @property
    def has_previous(self):
        return self.nummer > 1

    @property
    def next_page_number(self):
        return self.nummer + 1

    @property
    def previous_page_number(self):
        return self.nummer - 1


def pagina(school, f, nummer):
    try:
        nummer = max(1, int(nummer or 1))
    except (TypeError, ValueError):
        nummer = 1
    if nummer > MAX_PAGINA:
        return Pagina(nummer=nummer, object_list=[], has_next=False, te_diep=True)
    begin = (nummer - 1) * PER_PAGINA
    alle = regels(school, f, begin + PER_PAGINA + 1)
    return Pagina(
        nummer=nummer, object_list=alle[begin:begin + PER_PAGINA],
        has_next=len(alle) > begin + PER_PAGINA and nummer < MAX_PAGINA,
    )


# --- Export --------------------------------------------------------------------------------

KOLOMMEN = [
    gettext_lazy("Tijdstip"), gettext_lazy("Soort"), gettext_lazy("Wie"), gettext_lazy("Leerling"),
    gettext_lazy("Wat"), gettext_lazy("Details"),
]


def exporteer(school, f, door):
    """The filtered audit as CSV text (at most EXPORT_MAX lines, newest first), and the export
    recorded as a LogEntry on the school. Returns (csv text, number of rows, truncated?)."""
    alle = regels(school, f, EXPORT_MAX + 1)
    afgekapt = len(alle) > EXPORT_MAX
    alle = alle[:EXPORT_MAX]
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";")
    schrijver.writerow([str(k) for k in KOLOMMEN])
    for r in alle:
        schrijver.writerow([
            veilige_cel(timezone.localtime(r.op).strftime("%Y-%m-%d %H:%M:%S")), veilige_cel(r.soortnaam),
            veilige_cel(r.wie), veilige_cel(r.leerling), veilige_cel(r.wat), veilige_cel(r.detail),
        ])
    LogEntry.objects.create(
        user=door, content_type=ContentType.objects.get_for_model(School), object_id=str(school.pk),
        object_repr=EXPORT_OMSCHRIJVING, action_flag=CHANGE,
        change_message=(_("%(n)s rijen%(afgekapt)s; filters: %(filters)s") % {
            "n": len(alle), "afgekapt": _(" (afgekapt)") if afgekapt else "", "filters": f.beschrijving(),
        })[:1000],
    )
    return uit.getvalue(), len(alle), afgekapt
