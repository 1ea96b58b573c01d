"""The reminder rules (issue Herinneringen). Each rule is `regel(school, vandaag)` yielding
zorg.herinneringen.TeSturen items for due objects, found with indexed date filters.

Windows and steps (N = school.herinnering_dagen_vooraf, M = school.herinnering_te_laat_dagen):
- "vooraf": the due date lies 1..N days ahead; "vandaag": it is today.
- "te_laat": overdue by M days or more; "te_laat_2": overdue by 2M days or more (evaluations only).

Catch-up after a gap (the scan did not run for some days): an item gets the step that applies on
the day of the scan, once. A missed "vooraf" is not sent once the due date has come ("vandaag"
replaces it) and neither is sent for an item already overdue. Escalation steps are cumulative:
an evaluation seen for the first time when overdue by 2M days sends "te_laat" to the teamleider
and "te_laat_2" to the zorgcoördinator together, so nobody in the chain is skipped.

The ledger (zorg.herinneringen.registreer) makes every (rule, step, object, due date, recipient)
once; a changed due date is a new key, and the old one is no longer produced by any rule. Overdue
items whose last step is already in the ledger are left out in the database (a NOT EXISTS on the
ledger's unique index), so the scan's cost does not grow with long-overdue items either.

Handled items produce nothing: plans no longer vastgesteld/lopend, afspraken gedaan/vervallen,
follow-ups whose pupil is already aangemeld for or on the agenda of a later IZO/ZAT, cancelled or
held besprekingen, closed verwijzingen, consent not (or no longer) gegeven, withdrawn grants.
"""

import datetime
import zoneinfo
from collections import defaultdict

from django.db.models import DateField, Exists, ExpressionWrapper, OuterRef, Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .herinneringen import TeSturen
from .models import Functie, Herinnering


def _d(datum):
    return datum.strftime("%d-%m-%Y")


def _stap_vooraf(datum, vandaag):
    """'vooraf' or 'vandaag' for a date in the lead window, else None."""
    if datum == vandaag:
        return "vandaag"
    if datum > vandaag:
        return "vooraf"
    return None


def _nog_niet(qs, regel, stap, soort, datum_veld):
    """Leave out the objects whose (regel, stap, due date) already has a ledger row."""
    datum = OuterRef(datum_veld) if isinstance(datum_veld, str) else datum_veld
    return qs.exclude(Exists(Herinnering.objects.filter(
        regel=regel, stap=stap, object_soort=soort, object_id=OuterRef("pk"), vervaldatum=datum,
    )))


def _dag_grenzen(school, van, tot):
    """Aware datetimes for the start of `van` and the start of the day after `tot` in the school's timezone."""
    tz = zoneinfo.ZoneInfo(school.tijdzone)
    begin = datetime.datetime.combine(van, datetime.time.min, tzinfo=tz)
    einde = datetime.datetime.combine(tot + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return begin, einde


class _Kring:
    """Recipients shared by the rules of one scan: the zorgcoördinatoren and the teamleiders per
    afdeling of the current schooljaar, and the pupils' afdeling, each fetched once."""

    def __init__(self, school, vandaag):
        self.school = school
        self.schooljaar = school.huidig_schooljaar(vandaag)
        self._zc = None
        self._teamleiders = None

    def zorgcoordinatoren(self):
        if self._zc is None:
            from leerlingen.dossier import zorgcoordinatoren_van

            self._zc = zorgcoordinatoren_van(self.schooljaar)
        return self._zc

    def teamleiders(self, afdeling_id):
        if self._teamleiders is None:
            self._teamleiders = defaultdict(list)
            if self.schooljaar is not None:
                for functie in Functie.objects.filter(
                    schooljaar=self.schooljaar, soort=Functie.Soort.TEAMLEIDER, gebruiker__is_active=True,
                    afdeling__isnull=False,
                ).select_related("gebruiker"):
                    self._teamleiders[functie.afdeling_id].append(functie.gebruiker)
        return self._teamleiders.get(afdeling_id, [])

    def afdelingen(self, leerling_ids):
        """{leerling_id: afdeling_id} of the pupils' klas in the current schooljaar (one query)."""
        from leerlingen.models import Klasplaatsing

        if self.schooljaar is None or not leerling_ids:
            return {}
        return dict(Klasplaatsing.objects.filter(
            leerling_id__in=set(leerling_ids), klas__schooljaar=self.schooljaar,
        ).values_list("leerling_id", "klas__afdeling_id"))


def _kring(school, vandaag):
    return _Kring(school, vandaag)


# --- 1 + 2: evaluations due and overdue --------------------------------------------------------


def evaluatie_handelingsplan(school, vandaag, kring=None):
    """Handelingsplan evaluation due (N days ahead, on the day) → auteur and case-manager; overdue
    by M days → teamleider of the pupil's afdeling; by 2M days → zorgcoördinator(s)."""
    from plannen.models import Handelingsplan

    kring = kring or _kring(school, vandaag)
    n, m = school.herinnering_dagen_vooraf, school.herinnering_te_laat_dagen
    regel, soort = "evaluatie_handelingsplan", "handelingsplan"
    basis = Handelingsplan.objects.filter(
        leerling__school=school, status=Handelingsplan.Status.VASTGESTELD,
    ).select_related("leerling__case_manager", "auteur")

    komend = basis.filter(evaluatiedatum__gte=vandaag, evaluatiedatum__lte=vandaag + datetime.timedelta(days=n))
    for plan in komend:
        stap = _stap_vooraf(plan.evaluatiedatum, vandaag)
        if plan.evaluatiedatum == vandaag:
            tekst = _("Vandaag evalueren: het handelingsplan van %(leerling)s (evaluatiedatum %(datum)s).")
        else:
            tekst = _("Het handelingsplan van %(leerling)s moet op %(datum)s geëvalueerd worden.")
        yield TeSturen(
            regel=regel, stap=stap, obj=plan, vervaldatum=plan.evaluatiedatum,
            ontvangers=[plan.auteur, plan.leerling.case_manager],
            tekst=tekst % {"leerling": plan.leerling.naam, "datum": _d(plan.evaluatiedatum)},
            url=reverse("handelingsplan", args=[plan.pk]), leerling=plan.leerling, object_soort=soort,
        )

    te_laat = list(_nog_niet(basis.filter(
        evaluatiedatum__lte=vandaag - datetime.timedelta(days=m),
        evaluatiedatum__gt=vandaag - datetime.timedelta(days=2 * m),
    ), regel, "te_laat", soort, "evaluatiedatum"))
    te_laat_2 = list(_nog_niet(basis.filter(
        evaluatiedatum__lte=vandaag - datetime.timedelta(days=2 * m),
    ), regel, "te_laat_2", soort, "evaluatiedatum"))
    afdelingen = kring.afdelingen([p.leerling_id for p in te_laat + te_laat_2])
    for plan, stappen in [(p, ["te_laat"]) for p in te_laat] + [(p, ["te_laat", "te_laat_2"]) for p in te_laat_2]:
        dagen = (vandaag - plan.evaluatiedatum).days
        tekst = _("De evaluatie van het handelingsplan van %(leerling)s is %(dagen)s dagen te laat "
                  "(evaluatiedatum %(datum)s, auteur %(auteur)s).") % {
            "leerling": plan.leerling.naam, "dagen": dagen, "datum": _d(plan.evaluatiedatum),
            "auteur": plan.auteur.naam,
        }
        for stap in stappen:
            if stap == "te_laat":
                ontvangers = kring.teamleiders(afdelingen.get(plan.leerling_id))
            else:
                ontvangers = kring.zorgcoordinatoren()
            yield TeSturen(
                regel=regel, stap=stap, obj=plan, vervaldatum=plan.evaluatiedatum, ontvangers=ontvangers,
                tekst=tekst, url=reverse("handelingsplan", args=[plan.pk]), leerling=plan.leerling,
                object_soort=soort,
            )


def evaluatie_groepsplan(school, vandaag, kring=None):
    """A running groepsplan is evaluated at the end of its periode: due → its auteur; overdue by M
    days → the teamleider of the klas's afdeling; by 2M days → the zorgcoördinator(s)."""
    from plannen.models import Groepsplan

    kring = kring or _kring(school, vandaag)
    n, m = school.herinnering_dagen_vooraf, school.herinnering_te_laat_dagen
    regel, soort = "evaluatie_groepsplan", "groepsplan"
    basis = Groepsplan.objects.filter(
        klas__schooljaar__school=school, status=Groepsplan.Status.LOPEND,
    ).select_related("klas", "periode", "auteur")

    for plan in basis.filter(periode__einde__gte=vandaag, periode__einde__lte=vandaag + datetime.timedelta(days=n)):
        datum = plan.periode.einde
        if datum == vandaag:
            tekst = _("Vandaag evalueren: het groepsplan van klas %(klas)s (einde periode %(periode)s).")
        else:
            tekst = _("Het groepsplan van klas %(klas)s moet op %(datum)s geëvalueerd worden (einde periode "
                      "%(periode)s).")
        yield TeSturen(
            regel=regel, stap=_stap_vooraf(datum, vandaag), obj=plan, vervaldatum=datum, ontvangers=[plan.auteur],
            tekst=tekst % {"klas": plan.klas.naam, "datum": _d(datum), "periode": plan.periode.nummer},
            url=reverse("groepsplan", args=[plan.pk]), object_soort=soort,
        )

    te_laat = list(_nog_niet(basis.filter(
        periode__einde__lte=vandaag - datetime.timedelta(days=m),
        periode__einde__gt=vandaag - datetime.timedelta(days=2 * m),
    ), regel, "te_laat", soort, "periode__einde"))
    te_laat_2 = list(_nog_niet(basis.filter(
        periode__einde__lte=vandaag - datetime.timedelta(days=2 * m),
    ), regel, "te_laat_2", soort, "periode__einde"))
    for plan, stappen in [(p, ["te_laat"]) for p in te_laat] + [(p, ["te_laat", "te_laat_2"]) for p in te_laat_2]:
        datum = plan.periode.einde
        tekst = _("De evaluatie van het groepsplan van klas %(klas)s is %(dagen)s dagen te laat "
                  "(einde periode %(datum)s, auteur %(auteur)s).") % {
            "klas": plan.klas.naam, "dagen": (vandaag - datum).days, "datum": _d(datum), "auteur": plan.auteur.naam,
        }
        for stap in stappen:
            ontvangers = kring.teamleiders(plan.klas.afdeling_id) if stap == "te_laat" else kring.zorgcoordinatoren()
            yield TeSturen(
                regel=regel, stap=stap, obj=plan, vervaldatum=datum, ontvangers=ontvangers, tekst=tekst,
                url=reverse("groepsplan", args=[plan.pk]), object_soort=soort,
            )


# --- 3: afspraken ------------------------------------------------------------------------------


def afspraak(school, vandaag, kring=None):
    """An open afspraak due (N days ahead, on the day) → its eigenaar; overdue by M days → the
    chair of its bespreking (the zorgcoördinator(s) when it has none)."""
    from besprekingen.models import Afspraak

    kring = kring or _kring(school, vandaag)
    n, m = school.herinnering_dagen_vooraf, school.herinnering_te_laat_dagen
    regel, soort = "afspraak", "afspraak"
    basis = Afspraak.objects.filter(school=school, status=Afspraak.Status.OPEN).select_related(
        "eigenaar", "leerling", "bespreking__voorzitter")

    def over(a):
        return a.leerling.naam if a.leerling_id else (a.bespreking.titel or a.bespreking.get_soort_display()
                                                        if a.bespreking_id else "")

    for a in basis.filter(uiterlijk__gte=vandaag, uiterlijk__lte=vandaag + datetime.timedelta(days=n)):
        tekst = _("Afspraak %(wanneer)s af te ronden%(over)s: %(wat)s") % {
            "wanneer": _("vandaag") if a.uiterlijk == vandaag else _("uiterlijk %s") % _d(a.uiterlijk),
            "over": f" ({over(a)})" if over(a) else "", "wat": a.wat,
        }
        yield TeSturen(
            regel=regel, stap=_stap_vooraf(a.uiterlijk, vandaag), obj=a, vervaldatum=a.uiterlijk,
            ontvangers=[a.eigenaar], tekst=tekst[:300], url=reverse("mijn_afspraken"), leerling=a.leerling,
            object_soort=soort,
        )

    for a in _nog_niet(basis.filter(uiterlijk__lte=vandaag - datetime.timedelta(days=m)), regel, "te_laat", soort,
                       "uiterlijk"):
        ontvangers = [a.bespreking.voorzitter] if a.bespreking_id else kring.zorgcoordinatoren()
        tekst = _("De afspraak van %(eigenaar)s is %(dagen)s dagen te laat (uiterlijk %(datum)s)%(over)s: %(wat)s") % {
            "eigenaar": a.eigenaar.naam, "dagen": (vandaag - a.uiterlijk).days, "datum": _d(a.uiterlijk),
            "over": f" ({over(a)})" if over(a) else "", "wat": a.wat,
        }
        url = reverse("bespreking", args=[a.bespreking_id]) if a.bespreking_id else reverse("dashboard")
        yield TeSturen(
            regel=regel, stap="te_laat", obj=a, vervaldatum=a.uiterlijk, ontvangers=ontvangers, tekst=tekst[:300],
            url=url, leerling=a.leerling, object_soort=soort,
        )


# --- 4: IZO/ZAT follow-up ----------------------------------------------------------------------


def vervolg_izo_zat(school, vandaag, kring=None):
    """The follow-up date of a pupil discussed in an IZO/ZAT → the item's case-manager and the
    zorgcoördinator(s), asking to put the pupil on the next agenda. Nothing once the pupil is
    aangemeld again or on the agenda of a later IZO/ZAT."""
    from besprekingen.models import Aanmelding, Agendapunt, Bespreking

    kring = kring or _kring(school, vandaag)
    n = school.herinnering_dagen_vooraf
    soorten = [Bespreking.Soort.IZO, Bespreking.Soort.ZAT]
    later = Agendapunt.objects.filter(
        leerling=OuterRef("leerling"), bespreking__school=school, bespreking__soort__in=soorten,
        bespreking__begin__gt=OuterRef("bespreking__begin"),
    ).exclude(bespreking__status=Bespreking.Status.GEANNULEERD)
    aangemeld = Aanmelding.objects.filter(
        leerling=OuterRef("leerling"), school=school, soort__in=soorten, status__in=Aanmelding.OPEN,
        aangemeld_op__gt=OuterRef("bespreking__begin"),
    )
    punten = Agendapunt.objects.filter(
        bespreking__school=school, bespreking__soort__in=soorten,
        bespreking__status__in=[Bespreking.Status.GEPLAND, Bespreking.Status.GEHOUDEN],
        leerling__isnull=False, vervolgdatum__gte=vandaag, vervolgdatum__lte=vandaag + datetime.timedelta(days=n),
    ).exclude(Exists(later)).exclude(Exists(aangemeld)).select_related("leerling", "case_manager", "bespreking")
    for punt in punten:
        bespreking = punt.bespreking
        tekst = _("Vervolg %(wanneer)s voor %(leerling)s na het %(soort)s van %(datum)s: zet de leerling op de "
                  "agenda van het volgende overleg.") % {
            "wanneer": _("vandaag") if punt.vervolgdatum == vandaag else _("op %s") % _d(punt.vervolgdatum),
            "leerling": punt.leerling.naam, "soort": bespreking.soort.upper(),
            "datum": _d(bespreking.begin.astimezone(zoneinfo.ZoneInfo(school.tijdzone))),
        }
        url = reverse("aanmelden", args=[punt.leerling_id]) + f"?soort={bespreking.soort}"
        yield TeSturen(
            regel="vervolg_izo_zat", stap=_stap_vooraf(punt.vervolgdatum, vandaag), obj=punt,
            vervaldatum=punt.vervolgdatum, ontvangers=[punt.case_manager, *kring.zorgcoordinatoren()],
            tekst=tekst, url=url, leerling=punt.leerling, object_soort="agendapunt",
        )


# --- 5: before a groepsbespreking --------------------------------------------------------------


def groepsbespreking(school, vandaag, kring=None):
    """A planned groepsbespreking within N days → the klas's mentors and docenten are asked to bring
    the groepsoverzicht up to date; the chair gets the agenda."""
    from besprekingen.models import Bespreking

    n = school.herinnering_dagen_vooraf
    begin, einde = _dag_grenzen(school, vandaag, vandaag + datetime.timedelta(days=n))
    tz = zoneinfo.ZoneInfo(school.tijdzone)
    besprekingen = Bespreking.objects.filter(
        school=school, soort=Bespreking.Soort.GROEPSBESPREKING, status=Bespreking.Status.GEPLAND,
        begin__gte=begin, begin__lt=einde,
    ).select_related("klas", "voorzitter").prefetch_related(
        Prefetch("klas__mentoren"), Prefetch("klas__lesopdrachten__docent"))
    for b in besprekingen:
        datum = b.begin.astimezone(tz).date()
        wanneer = _("vandaag") if datum == vandaag else _("op %s") % _d(datum)
        if b.klas_id:
            klas = b.klas
            ontvangers = list(klas.mentoren.all()) + [lo.docent for lo in klas.lesopdrachten.all()]
            yield TeSturen(
                regel="groepsbespreking", stap="vooraf", obj=b, vervaldatum=datum, ontvangers=ontvangers,
                tekst=_("Groepsbespreking van klas %(klas)s %(wanneer)s: werk het groepsoverzicht bij.") % {
                    "klas": klas.naam, "wanneer": wanneer},
                url=reverse("groepsoverzicht", args=[klas.pk]), object_soort="bespreking",
            )
        yield TeSturen(
            regel="groepsbespreking_agenda", stap="vooraf", obj=b, vervaldatum=datum, ontvangers=[b.voorzitter],
            tekst=_("U zit de groepsbespreking %(klas)s %(wanneer)s voor: bekijk de agenda.") % {
                "klas": b.klas.naam if b.klas_id else (b.titel or ""), "wanneer": wanneer},
            url=reverse("bespreking", args=[b.pk]), object_soort="bespreking",
        )


# --- 6: verwijzing without terugkoppeling ------------------------------------------------------


def verwijzing_zonder_terugkoppeling(school, vandaag, kring=None):
    """An open verwijzing without terugkoppeling since it was aangemeld, herinnering_verwijzing_weken
    after it → the pupil's case-manager and the zorgcoördinator(s)."""
    from extern.verwijzing import zonder_terugkoppeling

    kring = kring or _kring(school, vandaag)
    weken = datetime.timedelta(weeks=school.herinnering_verwijzing_weken)
    regel, soort = "verwijzing_terugkoppeling", "verwijzing"
    verval = ExpressionWrapper(OuterRef("aangemeld_op") + weken, output_field=DateField())
    qs = _nog_niet(zonder_terugkoppeling(school, vandaag + datetime.timedelta(days=1)), regel, "te_laat", soort,
                   verval)
    for v in qs.select_related("leerling__case_manager", "instelling"):
        datum = v.aangemeld_op + weken
        yield TeSturen(
            regel=regel, stap="te_laat", obj=v, vervaldatum=datum,
            ontvangers=[v.leerling.case_manager, *kring.zorgcoordinatoren()],
            tekst=_("Geen terugkoppeling van %(instelling)s over %(leerling)s sinds de verwijzing van %(datum)s: "
                    "vraag de stand van zaken na.") % {
                "instelling": v.instelling.naam, "leerling": v.leerling.naam, "datum": _d(v.aangemeld_op)},
            url=reverse("verwijzing", args=[v.pk]), leerling=v.leerling, object_soort=soort,
        )


# --- 7: consent and external grants expiring ---------------------------------------------------


def toestemming_verloopt(school, vandaag, kring=None):
    """Given consent whose geldig_tot falls within N days → the zorgcoördinator(s) and whoever asked for it."""
    from extern.models import Toestemming

    kring = kring or _kring(school, vandaag)
    n = school.herinnering_dagen_vooraf
    qs = Toestemming.objects.filter(
        leerling__school=school, status=Toestemming.Status.GEGEVEN,
        geldig_tot__gte=vandaag, geldig_tot__lte=vandaag + datetime.timedelta(days=n),
    ).select_related("leerling", "aangevraagd_door", "instelling")
    for t in qs:
        yield TeSturen(
            regel="toestemming_verloopt", stap=_stap_vooraf(t.geldig_tot, vandaag), obj=t, vervaldatum=t.geldig_tot,
            ontvangers=[*kring.zorgcoordinatoren(), t.aangevraagd_door],
            tekst=_("De toestemming voor %(doel)s van %(leerling)s is geldig tot en met %(datum)s: vraag zo nodig "
                    "opnieuw toestemming.") % {
                "doel": t.get_doel_display(), "leerling": t.leerling.naam, "datum": _d(t.geldig_tot)},
            url=reverse("toestemmingen", args=[t.leerling_id]), leerling=t.leerling, object_soort="toestemming",
        )


def toegang_verloopt(school, vandaag, kring=None):
    """An external grant (not withdrawn, on an open verwijzing) ending within N days → the person who
    granted it (the zorgcoördinator(s) when unknown) and the partner's contactpersoon."""
    from extern.models import ExterneToegang, Verwijzing

    kring = kring or _kring(school, vandaag)
    n = school.herinnering_dagen_vooraf
    qs = ExterneToegang.objects.filter(
        verwijzing__school=school, verwijzing__status__in=Verwijzing.OPEN, ingetrokken_op__isnull=True,
        tot__gte=vandaag, tot__lte=vandaag + datetime.timedelta(days=n),
    ).select_related("verwijzing__leerling", "verwijzing__instelling", "contactpersoon__gebruiker", "verleend_door")
    for g in qs:
        v = g.verwijzing
        stap = _stap_vooraf(g.tot, vandaag)
        waarden = {"contact": g.contactpersoon.naam, "instelling": v.instelling.naam, "leerling": v.leerling.naam,
                   "datum": _d(g.tot)}
        yield TeSturen(
            regel="toegang_verloopt", stap=stap, obj=g, vervaldatum=g.tot,
            ontvangers=[g.verleend_door] if g.verleend_door_id else kring.zorgcoordinatoren(),
            tekst=_("De toegang van %(contact)s (%(instelling)s) tot het verwijsdossier van %(leerling)s loopt af "
                    "op %(datum)s: verleng of laat verlopen.") % waarden,
            url=reverse("verwijzing", args=[v.pk]), leerling=v.leerling, object_soort="externetoegang",
        )
        if g.contactpersoon.gebruiker_id:
            yield TeSturen(
                regel="toegang_verloopt", stap=stap, obj=g, vervaldatum=g.tot,
                ontvangers=[g.contactpersoon.gebruiker],
                tekst=_("Uw toegang tot het verwijsdossier van %(leerling)s loopt af op %(datum)s.") % waarden,
                url=reverse("extern_verwijzing", args=[v.pk]), object_soort="externetoegang",
            )


# --- 8: parents --------------------------------------------------------------------------------


def plan_voor_ouders(school, vandaag, kring=None):
    """A handelingsplan vastgesteld within the last N days → the ouders with gezag who have an
    account, once per plan (the ledger key is the day it was vastgesteld)."""
    from leerlingen.models import OuderRelatie
    from plannen.models import Handelingsplan

    n = school.herinnering_dagen_vooraf
    begin, einde = _dag_grenzen(school, vandaag - datetime.timedelta(days=n), vandaag)
    tz = zoneinfo.ZoneInfo(school.tijdzone)
    relaties = OuderRelatie.objects.filter(
        gezag=True, ouder__gebruiker__isnull=False, ouder__gebruiker__is_active=True,
    ).select_related("ouder__gebruiker")
    qs = Handelingsplan.objects.filter(
        leerling__school=school, status=Handelingsplan.Status.VASTGESTELD,
        vastgesteld_op__gte=begin, vastgesteld_op__lt=einde,
    ).select_related("leerling").prefetch_related(Prefetch("leerling__ouderrelaties", queryset=relaties))
    for plan in qs:
        leerling = plan.leerling
        for relatie in leerling.ouderrelaties.all():
            ouder = relatie.ouder.gebruiker
            with translation.override(ouder.taal or "nl"):  # the parent's language
                tekst = _("Er staat een nieuw handelingsplan voor %(leerling)s voor u klaar om in te zien.") % {
                    "leerling": leerling.naam}
            yield TeSturen(
                regel="plan_voor_ouders", stap="klaar", obj=plan,
                vervaldatum=plan.vastgesteld_op.astimezone(tz).date(), ontvangers=[ouder], tekst=tekst,
                url=reverse("ouder_kind", args=[leerling.pk]), leerling=leerling, object_soort="handelingsplan",
            )


def reactie_ouders(school, vandaag, kring=None):
    """A plan laid before the parents without their reaction yet: from N days before `reactie_voor`
    the ouders with an account hear it once, in their language; the day after it the mentor(s)
    hear that the parents have not reacted (once per deadline)."""
    from leerlingen.models import OuderRelatie
    from plannen.models import Handelingsplan

    n = school.herinnering_dagen_vooraf
    open_plannen = Handelingsplan.objects.filter(
        leerling__school=school, status=Handelingsplan.Status.CONCEPT, voorgelegd_op__isnull=False,
        ouders_akkoord="", reactie_voor__isnull=False,
    )
    relaties = OuderRelatie.objects.filter(
        ouder__gebruiker__isnull=False, ouder__gebruiker__is_active=True).select_related("ouder__gebruiker")
    binnenkort = _nog_niet(open_plannen.filter(
        reactie_voor__gte=vandaag, reactie_voor__lte=vandaag + datetime.timedelta(days=n)),
        "reactie_ouders", "vooraf", "handelingsplan", "reactie_voor",
    ).select_related("leerling").prefetch_related(Prefetch("leerling__ouderrelaties", queryset=relaties))
    for plan in binnenkort:
        leerling = plan.leerling
        for relatie in leerling.ouderrelaties.all():
            ouder = relatie.ouder.gebruiker
            with translation.override(ouder.taal or "nl"):
                tekst = _("De school vraagt uw reactie op het plan voor %(kind)s vóór %(datum)s.") % {
                    "kind": leerling.voornaam, "datum": date_format(plan.reactie_voor, "j F Y")}
            yield TeSturen(regel="reactie_ouders", stap="vooraf", obj=plan, vervaldatum=plan.reactie_voor,
                           ontvangers=[ouder], tekst=tekst, url=reverse("ouder_plan", args=[plan.pk]),
                           leerling=leerling, object_soort="handelingsplan")
    verlopen = list(_nog_niet(open_plannen.filter(reactie_voor__lt=vandaag), "reactie_ouders", "te_laat",
                              "handelingsplan", "reactie_voor").select_related("leerling", "auteur"))
    mentoren = _mentoren_per_leerling(kring or _kring(school, vandaag), [p.leerling_id for p in verlopen])
    for plan in verlopen:
        ontvangers = mentoren.get(plan.leerling_id) or [plan.auteur]
        yield TeSturen(
            regel="reactie_ouders", stap="te_laat", obj=plan, vervaldatum=plan.reactie_voor, ontvangers=ontvangers,
            tekst=_("De ouders van %(leerling)s hebben niet gereageerd op het voorgelegde plan (gevraagd vóór "
                    "%(datum)s). Neem contact op of stel het plan vast.") % {
                "leerling": plan.leerling.naam, "datum": _d(plan.reactie_voor)},
            url=reverse("handelingsplan", args=[plan.pk]), leerling=plan.leerling, object_soort="handelingsplan",
        )


def _mentoren_per_leerling(kring, leerling_ids):
    """{leerling_id: the active mentors of the pupil's klas this schooljaar} (two queries)."""
    from leerlingen.models import Klasplaatsing

    if kring.schooljaar is None or not leerling_ids:
        return {}
    plaatsingen = Klasplaatsing.objects.filter(
        klas__schooljaar=kring.schooljaar, leerling_id__in=set(leerling_ids)).prefetch_related("klas__mentoren")
    return {p.leerling_id: [m for m in p.klas.mentoren.all() if m.is_active] for p in plaatsingen}


REGELS = [
    evaluatie_handelingsplan,
    evaluatie_groepsplan,
    afspraak,
    vervolg_izo_zat,
    groepsbespreking,
    verwijzing_zonder_terugkoppeling,
    toestemming_verloopt,
    toegang_verloopt,
    plan_voor_ouders,
    reactie_ouders,
]
