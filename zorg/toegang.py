"""The access layer: the one door for authorisation.

Scope is derived from relationships in the current schooljaar (mentor of a klas, docent of a
lesopdracht, teamleider of an afdeling, a school-wide functie, case-manager or assigned
specialist, ouder of a child) plus explicit per-pupil grants kept with django-guardian's
direct foreign-key tables. Views fetch pupils and klassen only through these functions; an
object outside scope answers 404 so its existence is not revealed.

Per-request facts (which schooljaar is current, the user's functies) are cached on the user
object, which Django creates anew for every request.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from extern.models import Contactpersoon
from leerlingen.models import (
    Betrokkene,
    Klasplaatsing,
    Leerling,
    LeerlingUserObjectPermission,
    Ouder,
    OuderRelatie,
)

from .models import Functie, Gebruiker, Inzage, Klas, Lesopdracht, School, Schooljaar

Soort = Functie.Soort

# Roles a user can have at a school, strongest first; the start page follows this order.
ROLVOLGORDE = [
    "zorgcoordinator",
    "directie",
    "teamleider",
    "mentor",
    "specialist",
    "docent",
    "applicatiebeheerder",
]

ROLNAMEN = {
    "zorgcoordinator": _("zorgcoördinator"),
    "directie": _("directie"),
    "teamleider": _("teamleider"),
    "mentor": _("mentor"),
    "specialist": _("zorgteam"),
    "docent": _("docent"),
    "applicatiebeheerder": _("applicatiebeheerder"),
    "ouder": _("ouder/verzorger"),
    "extern": _("externe partner"),
}


@dataclass
class Rollen:
    """What one user is at one school in its current schooljaar."""

    school: School | None
    schooljaar: Schooljaar | None
    functies: set = field(default_factory=set)
    teamleider_afdelingen: set = field(default_factory=set)
    mentor_klassen: set = field(default_factory=set)
    docent_klassen: set = field(default_factory=set)
    is_ouder: bool = False
    is_extern: bool = False

    @property
    def namen(self):
        """Role names, strongest first."""
        namen = set()
        if self.functies & {Soort.ZORGCOORDINATOR, Soort.INTERN_BEGELEIDER}:
            namen.add("zorgcoordinator")
        if Soort.DIRECTIE in self.functies:
            namen.add("directie")
        if self.teamleider_afdelingen:
            namen.add("teamleider")
        if self.mentor_klassen:
            namen.add("mentor")
        if self.functies & Functie.SPECIALISTEN:
            namen.add("specialist")
        if self.docent_klassen or Soort.DOCENT in self.functies:
            namen.add("docent")
        if Soort.APPLICATIEBEHEERDER in self.functies:
            namen.add("applicatiebeheerder")
        geordend = [naam for naam in ROLVOLGORDE if naam in namen]
        if self.is_ouder:
            geordend.append("ouder")
        if self.is_extern:
            geordend.append("extern")
        return geordend

    @property
    def schoolbreed(self):
        return bool(self.functies & Functie.SCHOOLBREED)

    def heeft(self, *namen):
        return any(naam in self.namen for naam in namen)


def _cache(user):
    if not hasattr(user, "_toegang"):
        user._toegang = {}
    return user._toegang


def _lopende_schooljaren(user):
    """The running schooljaren (with their school) in which the user holds a staff role."""
    cache = _cache(user)
    if "lopend" not in cache:
        vandaag = timezone.localdate()
        jaar = OuterRef("pk")
        cache["lopend"] = list(
            Schooljaar.objects.filter(begin__lte=vandaag, einde__gte=vandaag)
            .filter(
                Exists(Functie.objects.filter(schooljaar=jaar, gebruiker=user))
                | Exists(Klas.mentoren.through.objects.filter(klas__schooljaar=jaar, gebruiker=user))
                | Exists(Lesopdracht.objects.filter(klas__schooljaar=jaar, docent=user))
            )
            .select_related("school")
            .order_by("school__naam")
        )
    return cache["lopend"]


def scholen_voor(user):
    """Schools where the user holds a staff role in the school's current schooljaar."""
    return [schooljaar.school for schooljaar in _lopende_schooljaren(user)]


def huidig_schooljaar(user, school):
    """The current schooljaar of a school, reusing what the request already fetched."""
    if school is None:
        return None
    for schooljaar in _lopende_schooljaren(user):
        if schooljaar.school_id == school.pk:
            return schooljaar
    return school.huidig_schooljaar()


def rollen(user, school):
    """The Rollen of a user at a school (cached per request)."""
    cache = _cache(user)
    key = ("rollen", school.pk if school else None)
    if key in cache:
        return cache[key]
    schooljaar = huidig_schooljaar(user, school) if user.is_authenticated else None
    result = Rollen(school=school, schooljaar=schooljaar)
    if user.is_authenticated:
        # One query for all of it (each a subquery of the user's row): the functies, the klassen of which the
        # user is mentor or docent, and whether the account is an ouder or an external contact.
        vragen = {}
        if schooljaar is not None:
            functies = Functie.objects.filter(gebruiker=user, schooljaar=schooljaar)
            vragen["rol_functies"] = ArraySubquery(functies.values("soort"))
            vragen["rol_afdelingen"] = ArraySubquery(
                functies.filter(soort=Soort.TEAMLEIDER, afdeling__isnull=False).values("afdeling_id"))
            vragen["rol_mentor_klassen"] = ArraySubquery(
                Klas.mentoren.through.objects.filter(gebruiker=user, klas__schooljaar=schooljaar).values("klas_id"))
            vragen["rol_docent_klassen"] = ArraySubquery(
                Lesopdracht.objects.filter(docent=user, klas__schooljaar=schooljaar).values("klas_id"))
        if "extern" not in cache:
            vragen["rol_is_ouder"] = Exists(Ouder.objects.filter(gebruiker=OuterRef("pk")))
            vragen["rol_is_extern"] = Exists(Contactpersoon.objects.filter(gebruiker=OuterRef("pk")))
        rij = (Gebruiker.objects.filter(pk=user.pk).annotate(**vragen).values(*vragen).first() or {}) if vragen else {}
        result.functies.update(rij.get("rol_functies") or [])
        result.teamleider_afdelingen.update(rij.get("rol_afdelingen") or [])
        result.mentor_klassen.update(rij.get("rol_mentor_klassen") or [])
        result.docent_klassen.update(rij.get("rol_docent_klassen") or [])
        if "extern" not in cache:
            cache["extern"] = (rij.get("rol_is_ouder", False), rij.get("rol_is_extern", False))
        result.is_ouder, result.is_extern = cache["extern"]
    cache[key] = result
    return result


def leerlingen_voor(user, school=None):
    """All pupils the user may see, at one school (staff) or at any school (ouder).

    One SQL query: each relationship is an id subquery, OR-ed together.
    """
    if not user.is_authenticated or not user.is_active:
        return Leerling.objects.none()
    voorwaarden = Q()
    vandaag = timezone.localdate()
    if school is not None:
        r = rollen(user, school)
        if r.schooljaar is not None:
            plaatsingen = Klasplaatsing.objects.filter(
                klas__schooljaar=r.schooljaar, leerling__school=school
            )
            if r.schoolbreed:
                voorwaarden |= Q(id__in=plaatsingen.values("leerling_id"))
            else:
                klassen = r.mentor_klassen | r.docent_klassen
                if klassen:
                    voorwaarden |= Q(id__in=plaatsingen.filter(klas_id__in=klassen).values("leerling_id"))
                if r.teamleider_afdelingen:
                    voorwaarden |= Q(
                        id__in=plaatsingen.filter(klas__afdeling_id__in=r.teamleider_afdelingen).values(
                            "leerling_id"
                        )
                    )
        betrokken = Betrokkene.objects.filter(
            gebruiker=user, leerling__school=school, vanaf__lte=vandaag
        ).filter(Q(tot__isnull=True) | Q(tot__gte=vandaag))
        voorwaarden |= Q(id__in=betrokken.values("leerling_id"))
        voorwaarden |= Q(case_manager=user, school=school)
        voorwaarden |= Q(
            id__in=LeerlingUserObjectPermission.objects.filter(
                user=user, permission__codename="inzien_leerling", content_object__school=school
            ).values("content_object_id")
        )
    else:
        voorwaarden |= Q(id__in=OuderRelatie.objects.filter(ouder__gebruiker=user).values("leerling_id"))
    if not voorwaarden:
        return Leerling.objects.none()
    return Leerling.objects.filter(voorwaarden)


def kinderen_voor(user):
    """An ouder's own children, at whatever school."""
    return leerlingen_voor(user, school=None)


def klassen_voor(user, school):
    """Klassen of the current schooljaar the user may open: own klassen, afdeling, or school."""
    r = rollen(user, school)
    if r.schooljaar is None:
        return Klas.objects.none()
    klassen = Klas.objects.filter(schooljaar=r.schooljaar)
    if r.schoolbreed:
        return klassen
    voorwaarde = Q(id__in=r.mentor_klassen | r.docent_klassen) | Q(afdeling_id__in=r.teamleider_afdelingen)
    if r.functies & Functie.SPECIALISTEN:
        # A zorgteam specialist reads the klassen of the pupils assigned to them (domain.md:
        # groepsoverzicht/-plan R); confidential columns stay per pupil.
        vandaag = timezone.localdate()
        toegewezen = Betrokkene.objects.filter(gebruiker=user, vanaf__lte=vandaag).filter(
            Q(tot__isnull=True) | Q(tot__gte=vandaag)
        )
        voorwaarde |= Q(plaatsingen__leerling__in=toegewezen.values("leerling_id"))
    return klassen.filter(voorwaarde).distinct()


def leerling_of_404(user, school, pk):
    """Fetch one pupil through the access layer; out of scope is 404. The same query reads how the user
    stands to the pupil (relaties_met, cached for the rest of the request)."""
    qs = leerlingen_voor(user, school).select_related("school", "zorgniveau", "case_manager")
    feiten = _relatie_feiten(user, school)
    try:
        leerling = qs.annotate(**feiten).get(pk=pk)
    except (Leerling.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    key = ("relaties", leerling.pk, getattr(school, "pk", None))
    cache = _cache(user)
    if key not in cache:
        cache[key] = _relaties_uit(user, school, leerling, {naam: getattr(leerling, naam) for naam in feiten})
    return leerling


def klas_of_404(user, school, pk):
    try:
        return klassen_voor(user, school).select_related("afdeling", "schooljaar").get(pk=pk)
    except (Klas.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _relatie_feiten(user, school):
    """What relaties_met needs to know about a pupil, as annotations of a Leerling query (subqueries on the
    pupil's row): parent of it, assigned to it, an explicit grant, and its klassen (and their afdelingen) in
    the user's current schooljaar at `school`."""
    vandaag = timezone.localdate()
    pupil = OuterRef("pk")
    feiten = {
        "rel_is_ouder": Exists(OuderRelatie.objects.filter(ouder__gebruiker=user, leerling=pupil)),
        "rel_is_betrokken": Exists(
            Betrokkene.objects.filter(
                Q(tot__isnull=True) | Q(tot__gte=vandaag), leerling=pupil, gebruiker=user, vanaf__lte=vandaag
            )
        ),
        "rel_heeft_grant": Exists(
            LeerlingUserObjectPermission.objects.filter(
                user=user, content_object=pupil, permission__codename="inzien_leerling"
            )
        ),
    }
    if school is not None:
        plaatsingen = Klasplaatsing.objects.filter(leerling=pupil, klas__schooljaar=rollen(user, school).schooljaar)
        feiten["rel_klassen"] = ArraySubquery(plaatsingen.values("klas_id"))
        feiten["rel_afdelingen"] = ArraySubquery(plaatsingen.values("klas__afdeling_id"))
    return feiten


def relaties_met(user, school, leerling):
    """How the user stands to this pupil: a set of relation names (cached per request).

    mentor, teamleider, zorgcoordinator, directie, specialist (assigned or case-manager),
    docent, gedeeld (explicit grant), ouder.
    """
    cache = _cache(user)
    key = ("relaties", leerling.pk, getattr(school, "pk", None))
    if key in cache:
        return cache[key]
    feiten = _relatie_feiten(user, school)
    rij = Leerling.objects.filter(pk=leerling.pk).annotate(**feiten).values(*feiten).get()
    cache[key] = _relaties_uit(user, school, leerling, rij)
    return cache[key]


def _relaties_uit(user, school, leerling, feiten):
    """relaties_met from the facts _relatie_feiten read."""
    relaties = set()
    if feiten["rel_is_ouder"]:
        relaties.add("ouder")
    if school is not None and leerling.school_id == school.pk:
        r = rollen(user, school)
        if r.functies & {Soort.ZORGCOORDINATOR, Soort.INTERN_BEGELEIDER}:
            relaties.add("zorgcoordinator")
        if Soort.DIRECTIE in r.functies:
            relaties.add("directie")
        klas_ids = set(feiten["rel_klassen"] or [])
        if klas_ids & r.mentor_klassen:
            relaties.add("mentor")
        if set(feiten["rel_afdelingen"] or []) & r.teamleider_afdelingen:
            relaties.add("teamleider")
        if klas_ids & r.docent_klassen:
            relaties.add("docent")
        if feiten["rel_is_betrokken"]:
            relaties.add("specialist")
        if leerling.case_manager_id == user.pk:
            # A case-manager from the zorgteam reads confidential entries; a mentor or teamleider
            # who is case-manager (moments 1-2) reads what their own role reads.
            zorgteam = r.functies & (Functie.SPECIALISTEN | Functie.SCHOOLBREED)
            relaties.add("specialist" if zorgteam else "casemanager")
        # An explicit grant shares the dossier with a colleague; an external contact never reads
        # the dossier through it (they get the referral file, issue Extern).
        if feiten["rel_heeft_grant"] and not (r.is_extern and not r.functies):
            relaties.add("gedeeld")
    return relaties


# Which relation may read which vertrouwelijkheid (domain.md, Access). The author always reads
# their own entries; docenten read only entries marked for them (handelingstips).
LEZEN = {
    "zorgcoordinator": {"team", "vertrouwelijk", "ouders"},
    "specialist": {"team", "vertrouwelijk", "ouders"},
    "mentor": {"team", "ouders"},
    "teamleider": {"team", "ouders"},
    "directie": {"team", "ouders"},
    "casemanager": {"team", "ouders"},
    "gedeeld": {"team", "ouders"},
    "ouder": {"ouders"},
}
# Relations that may add entries to the dossier (docenten: signaleringen only).
SCHRIJVEN = {"zorgcoordinator", "specialist", "casemanager", "mentor", "teamleider"}


def dossieritems_voor(user, school, leerling):
    """The entries of one pupil's dossier this user may read. Call after leerling_of_404."""
    from leerlingen.models import Dossieritem

    relaties = relaties_met(user, school, leerling)
    niveaus = set().union(*(LEZEN.get(relatie, set()) for relatie in relaties))
    voorwaarde = Q(auteur=user)
    if niveaus:
        voorwaarde |= Q(vertrouwelijkheid__in=sorted(niveaus))
    if "docent" in relaties:
        voorwaarde |= Q(voor_docenten=True) & ~Q(vertrouwelijkheid="vertrouwelijk")
    return Dossieritem.objects.filter(voorwaarde, leerling=leerling)


def mag_dossier_schrijven(user, school, leerling):
    return bool(relaties_met(user, school, leerling) & SCHRIJVEN)


def mag_signaleren(user, school, leerling):
    relaties = relaties_met(user, school, leerling)
    return bool(relaties & (SCHRIJVEN | {"docent"}))


def mag_item_wijzigen(user, school, item):
    """The author, or the zorgcoördinator, may change an entry."""
    return item.auteur_id == user.pk or "zorgcoordinator" in relaties_met(user, school, item.leerling)


ROL_VOOR_LOG = [
    "zorgcoordinator", "directie", "mentor", "teamleider", "specialist", "casemanager", "docent", "ouder", "gedeeld",
]


def rol_bij(user, school, leerling):
    """The role under which the user sees this pupil, in Dutch, for the inzagelog."""
    if leerling.gebruiker_id is not None and leerling.gebruiker_id == user.pk:
        return str(_("leerling zelf"))
    contact = _contactpersoon(user)
    if contact is not None and not rollen(user, school).functies:
        return str(_("externe partner (%(instelling)s)") % {"instelling": contact.instelling.naam})
    relaties = relaties_met(user, school, leerling)
    for naam in ROL_VOOR_LOG:
        if naam in relaties:
            if naam in ("specialist", "casemanager") and leerling.case_manager_id == user.pk:
                return str(_("case-manager"))
            if naam == "gedeeld":
                return str(_("gedeeld dossier"))
            return str(ROLNAMEN[naam])
    return str(_("onbekend"))


def log_inzage(request, leerling, onderdeel, obj=None):
    """Write one inzagelog row for the request's user at the request's school."""
    return log_inzage_voor(request.user, getattr(request, "school", None), leerling, onderdeel, obj)


def log_inzage_voor(user, school, leerling, onderdeel, obj=None):
    """Write one inzagelog row: who read which part of which pupil's records, in which role
    (also for reads outside a request, such as a bulk export in the worker)."""
    with translation.override(settings.LANGUAGE_CODE):  # the log is Dutch, whatever the page's language
        return Inzage.objects.create(
            gebruiker=user,
            gebruiker_naam=user.naam,
            rol=rol_bij(user, school, leerling),
            leerling=leerling,
            onderdeel=str(onderdeel),
            object_id=str(obj.pk) if obj is not None else "",
        )


# --- Plans (domain.md, Access: groepsoverzicht/-plan and handelingsplan rows) ---------------


def klas_relatie(user, school, klas):
    """How the user stands to a klas of this schooljaar: a set of relation names."""
    r = rollen(user, school)
    relaties = set()
    if klas.schooljaar_id != getattr(r.schooljaar, "pk", None):
        return relaties
    if r.functies & {Soort.ZORGCOORDINATOR, Soort.INTERN_BEGELEIDER}:
        relaties.add("zorgcoordinator")
    if Soort.DIRECTIE in r.functies:
        relaties.add("directie")
    if klas.pk in r.mentor_klassen:
        relaties.add("mentor")
    if klas.afdeling_id in r.teamleider_afdelingen:
        relaties.add("teamleider")
    if klas.pk in r.docent_klassen:
        relaties.add("docent")
    if r.functies & Functie.SPECIALISTEN:
        relaties.add("specialist")
    return relaties


def mag_groepsoverzicht_lezen(user, school, klas):
    return bool(klas_relatie(user, school, klas))


def groepsdocumenten_klas_of_404(user, school, pk):
    """A klas whose groepsoverzicht and groepsplannen the user may read; else 404."""
    klas = klas_of_404(user, school, pk)
    if not mag_groepsoverzicht_lezen(user, school, klas):
        raise Http404
    return klas


def mag_groepsoverzicht_schrijven(user, school, klas, vak=None):
    """Vakoverstijgend (vak None): the mentor and the zorgcoördinator. Vakspecifiek: the docent
    who teaches that vak to this klas, and the zorgcoördinator."""
    relaties = klas_relatie(user, school, klas)
    if "zorgcoordinator" in relaties:
        return True
    if vak is None:
        return "mentor" in relaties
    return Lesopdracht.objects.filter(docent=user, klas=klas, vak=vak).exists()


def mag_observatie_toevoegen(user, school, klas):
    """Docenten of the klas add attributed observations to the vakoverstijgend overview."""
    return bool(klas_relatie(user, school, klas) & {"docent", "mentor", "zorgcoordinator"})


def mag_groepsplan_schrijven(user, school, klas, vak=None):
    return mag_groepsoverzicht_schrijven(user, school, klas, vak)


def handelingsplannen_voor(user, school, leerling):
    """The handelingsplannen of one pupil the user may read (call after leerling_of_404).

    mentor, teamleider, zorgcoördinator, specialist, case-manager, directie: all; a docent only
    plans in which they carry out a part; an ouder only plans that were vastgesteld.
    """
    from plannen.models import Handelingsplan

    relaties = relaties_met(user, school, leerling)
    plannen = Handelingsplan.objects.filter(leerling=leerling)
    if relaties & {"mentor", "teamleider", "zorgcoordinator", "specialist", "casemanager", "directie", "gedeeld"}:
        return plannen
    voorwaarde = Q(auteur=user)
    if "docent" in relaties:
        voorwaarde |= Q(betrokkenen__gebruiker=user)
    if "ouder" in relaties:
        voorwaarde |= OUDER_PLANNEN
    return plannen.filter(voorwaarde).distinct()


PLAN_SCHRIJVERS = {"mentor", "teamleider", "zorgcoordinator", "specialist", "casemanager"}


def mag_handelingsplan_schrijven(user, school, leerling, plan=None):
    """R/W: mentor, teamleider, zorgcoördinator, assigned specialist and case-manager. A docent
    of the pupil may draw up a vakspecifiek plan (Bijlage 13) and change the ones they wrote.
    Without `plan`: may the user start a new plan for this pupil?"""
    relaties = relaties_met(user, school, leerling)
    if relaties & PLAN_SCHRIJVERS:
        return True
    if "docent" not in relaties:
        return False
    return plan is None or (plan.auteur_id == user.pk and plan.soort == "vakspecifiek")


def vakken_van_docent(user, school, leerling):
    """The vakken the user teaches to the pupil's klas this schooljaar (for a vakspecifiek plan)."""
    from .models import Vak

    r = rollen(user, school)
    return Vak.objects.filter(
        lesopdrachten__docent=user, lesopdrachten__klas__schooljaar=r.schooljaar,
        lesopdrachten__klas__plaatsingen__leerling=leerling,
    ).distinct()


HELE_PLAN_LEZERS = {"mentor", "teamleider", "zorgcoordinator", "specialist", "casemanager", "directie", "gedeeld"}


def mag_hele_handelingsplan_lezen(user, school, plan):
    """The whole plan (PDF included): its author and the care relations. A docent who carries
    out a part reads only that part, on the plan page."""
    return plan.auteur_id == user.pk or bool(relaties_met(user, school, plan.leerling) & HELE_PLAN_LEZERS)


# --- Meetings (domain.md, Access: the "IZO/ZAT records" row) ---------------------------------
#
# A pupil's agenda item of a leerlingbespreking, IZO, ZAT or gesprek is read by the
# zorgcoördinator and directie (whole school), the teamleider of the pupil's afdeling, the
# mentor and case-manager of the pupil, an assigned zorgteam specialist, and the zorgteam
# participants of that meeting. A docent reads none. An external contact reads, in a meeting
# they take part in, the anonymous items and the items with a referral to their instelling.
# A groepsbespreking is about a klas: whoever may read its groepsoverzicht reads it.

ZORGTEAM_DEELNEMERS = Functie.SPECIALISTEN | Functie.SCHOOLBREED | {Soort.TEAMLEIDER}


def _is_zorgcoordinator(r):
    return bool(r.functies & {Soort.ZORGCOORDINATOR, Soort.INTERN_BEGELEIDER})


def bespreking_leerlingen(user, school):
    """Pupils whose meeting items the user reads through their own relation (not through taking
    part in a meeting): None means the whole school, else an id subquery."""
    r = rollen(user, school)
    if r.functies & Functie.SCHOOLBREED:
        return None
    vandaag = timezone.localdate()
    plaatsingen = Klasplaatsing.objects.filter(klas__schooljaar=r.schooljaar, leerling__school=school)
    voorwaarde = Q(case_manager=user, school=school)
    if r.mentor_klassen:
        voorwaarde |= Q(id__in=plaatsingen.filter(klas_id__in=r.mentor_klassen).values("leerling_id"))
    if r.teamleider_afdelingen:
        voorwaarde |= Q(
            id__in=plaatsingen.filter(klas__afdeling_id__in=r.teamleider_afdelingen).values("leerling_id")
        )
    if r.functies & Functie.SPECIALISTEN:
        voorwaarde |= Q(
            id__in=Betrokkene.objects.filter(gebruiker=user, leerling__school=school, vanaf__lte=vandaag)
            .filter(Q(tot__isnull=True) | Q(tot__gte=vandaag))
            .values("leerling_id")
        )
    return Leerling.objects.filter(voorwaarde).values("id")


def _contactpersoon(user):
    cache = _cache(user)
    if "contactpersoon" not in cache and "extern" in cache and not cache["extern"][1]:
        cache["contactpersoon"] = None  # rollen() found no Contactpersoon for the account in this request
    if "contactpersoon" not in cache:
        cache["contactpersoon"] = (
            Contactpersoon.objects.filter(gebruiker=user, actief=True, instelling__actief=True)
            .select_related("instelling__school").first()
            if user.is_authenticated and user.is_active else None
        )
    return cache["contactpersoon"]


def contactpersoon_van(user):
    """The active external contact behind this account, or None."""
    return _contactpersoon(user)


def agendapunten_voor(user, school, bespreking):
    """The agenda items of one bespreking the user may read (call after bespreking_of_404)."""
    from besprekingen.models import Agendapunt, Deelnemer

    punten = Agendapunt.objects.filter(bespreking=bespreking)
    if bespreking.soort == "groepsbespreking":
        return punten if mag_bespreking_lezen(user, school, bespreking) else punten.none()
    contact = _contactpersoon(user)
    if contact is not None and not rollen(user, school).functies:
        if not Deelnemer.objects.filter(bespreking=bespreking, contactpersoon=contact).exists():
            return punten.none()
        verwezen = [v.leerling_id for v in verwijzingen_extern(user)]
        return punten.filter(Q(anoniem=True) | Q(leerling_id__in=verwezen))
    r = rollen(user, school)
    if bespreking.school_id != school.pk:
        return punten.none()
    if bespreking.voorzitter_id == user.pk or (
        r.functies & ZORGTEAM_DEELNEMERS
        and Deelnemer.objects.filter(bespreking=bespreking, gebruiker=user).exists()
    ):
        return punten
    eigen = bespreking_leerlingen(user, school)
    if eigen is None:
        return punten
    return punten.filter(leerling_id__in=eigen)


def besprekingen_voor(user, school):
    """The besprekingen of a school the user may open: as chair or participant, as reader of one
    of its pupil items, or (groepsbespreking) as reader of the klas."""
    from besprekingen.models import Agendapunt, Bespreking, Deelnemer

    alle = Bespreking.objects.filter(school=school)
    r = rollen(user, school)
    contact = _contactpersoon(user)
    if contact is not None and not r.functies:
        return alle.filter(
            Exists(Deelnemer.objects.filter(bespreking=OuterRef("pk"), contactpersoon=contact))
        ).exclude(soort="groepsbespreking")
    if r.functies & Functie.SCHOOLBREED:
        return alle
    voorwaarde = Q(voorzitter=user) | Exists(Deelnemer.objects.filter(bespreking=OuterRef("pk"), gebruiker=user))
    voorwaarde |= Q(soort="groepsbespreking", klas__in=_groepsbespreking_klassen(user, school))
    eigen = bespreking_leerlingen(user, school)
    voorwaarde |= Exists(Agendapunt.objects.filter(bespreking=OuterRef("pk"), leerling_id__in=eigen))
    return alle.filter(voorwaarde)


def _groepsbespreking_klassen(user, school):
    r = rollen(user, school)
    if r.schooljaar is None:
        return Klas.objects.none()
    return klassen_voor(user, school).values("id")


def mag_bespreking_lezen(user, school, bespreking):
    return besprekingen_voor(user, school).filter(pk=bespreking.pk).exists()


def bespreking_of_404(user, school, pk):
    try:
        return besprekingen_voor(user, school).select_related("voorzitter", "klas", "periode").get(pk=pk)
    except (ValueError, TypeError, ObjectDoesNotExist):
        raise Http404 from None


def mag_bespreking_leiden(user, school, bespreking):
    """Write the agenda, notes and decisions: the chair and the zorgcoördinator; for a
    groepsbespreking also the mentor of the klas (Bijlage 15: the mentor leads it)."""
    if bespreking.school_id != school.pk:
        return False
    r = rollen(user, school)
    if bespreking.voorzitter_id == user.pk or _is_zorgcoordinator(r):
        return True
    if bespreking.soort == "groepsbespreking" and bespreking.klas_id:
        return bespreking.klas_id in r.mentor_klassen or (
            bespreking.klas.afdeling_id in r.teamleider_afdelingen
        )
    return False


def mag_bespreking_plannen(user, school, soort, klas=None):
    """IZO and ZAT: the zorgcoördinator; a groepsbespreking: the mentor, the teamleider of the
    afdeling or the zorgcoördinator; a leerlingbespreking or gesprek: any care role."""
    r = rollen(user, school)
    if _is_zorgcoordinator(r):
        return True
    if soort in ("izo", "zat"):
        return False
    if soort == "groepsbespreking":
        return klas is not None and (klas.pk in r.mentor_klassen or klas.afdeling_id in r.teamleider_afdelingen)
    return bool(r.mentor_klassen or r.teamleider_afdelingen or r.functies & Functie.SPECIALISTEN)


AANMELDERS = {"mentor", "teamleider", "zorgcoordinator", "specialist", "casemanager"}


def mag_aanmelden(user, school, leerling):
    """Aanmelden for IZO/ZAT: mentor, teamleider, zorgcoördinator, specialist, case-manager."""
    return bool(relaties_met(user, school, leerling) & AANMELDERS)


def aanmeldingen_voor(user, school):
    """Aanmeldingen the user may read: the zorgcoördinator all of the school, others those about
    pupils whose meeting items they read, and their own while the pupil is still in their scope
    (a mentor whose pupil moved to another klas or left no longer reads what they wrote, like
    their dossier entries)."""
    from besprekingen.models import Aanmelding

    alle = Aanmelding.objects.filter(school=school)
    eigen = bespreking_leerlingen(user, school)
    if eigen is None:
        return alle
    zichtbaar = leerlingen_voor(user, school).values("id")
    return alle.filter(Q(aangemeld_door=user, leerling_id__in=zichtbaar) | Q(leerling_id__in=eigen))


def afspraken_voor(user, school):
    """Afspraken the user may read: their own, the ones of meetings they chair, and those about
    pupils whose meeting items they read (the zorgcoördinator and directie: all)."""
    from besprekingen.models import Afspraak

    alle = Afspraak.objects.filter(school=school)
    eigen = bespreking_leerlingen(user, school)
    if eigen is None:
        return alle
    return alle.filter(Q(eigenaar=user) | Q(bespreking__voorzitter=user) | Q(leerling_id__in=eigen))


def mag_afspraak_afhandelen(user, school, afspraak):
    """The owner, the chair of its meeting, or the zorgcoördinator marks it done or dropped."""
    if afspraak.school_id != school.pk:
        return False
    if afspraak.eigenaar_id == user.pk or _is_zorgcoordinator(rollen(user, school)):
        return True
    return afspraak.bespreking_id is not None and afspraak.bespreking.voorzitter_id == user.pk



# --- External partners and referrals (domain.md, External; the "extern" column) -------------------
#
# An external contact sees a verwijsdossier only while (1) the verwijzing is to their own
# instelling, (2) a grant (ExterneToegang) for them is running, and (3) a consent that counts
# (extern.toestemming.geldige: doel verwijzing or gegevens delen, naming that instelling) exists.
# All three are checked on every request, so a withdrawal or an expired grant cuts access at once.

EXTERN_DOELEN = ("verwijzing", "gegevens_delen")


def verwijzingen_extern(user):
    """The verwijzingen whose file the external contact may open now (a list; cached per request)."""
    from extern import toestemming as toestemming_regels
    from extern.models import Verwijzing

    cache = _cache(user)
    if "verwijzingen_extern" in cache:
        return cache["verwijzingen_extern"]
    contact = _contactpersoon(user)
    result = []
    if contact is not None:
        vandaag = timezone.localdate()
        kandidaten = list(
            Verwijzing.objects.filter(
                instelling_id=contact.instelling_id, toegangen__contactpersoon=contact,
                toegangen__ingetrokken_op__isnull=True, toegangen__vanaf__lte=vandaag, toegangen__tot__gte=vandaag,
            )
            .select_related("leerling__school", "instelling")
            .distinct()
        )
        # The consent of every candidate in one query (the rule of extern.toestemming.geldige).
        geldig = toestemming_regels.geldige_voor_verwijzingen(kandidaten, EXTERN_DOELEN, op=vandaag)
        result = [v for v in kandidaten if geldig[v.pk] is not None]
    cache["verwijzingen_extern"] = result
    return result


def verwijzing_extern_of_404(user, pk):
    for verwijzing in verwijzingen_extern(user):
        if str(verwijzing.pk) == str(pk):
            return verwijzing
    raise Http404


def verwijzingen_voor(user, school):
    """Verwijzingen staff may read: the zorgcoördinator and directie all of the school, others
    those about pupils whose meeting records they read (mentor, teamleider, case-manager, zorgteam)."""
    from extern.models import Verwijzing

    alle = Verwijzing.objects.filter(school=school)
    eigen = bespreking_leerlingen(user, school)
    if eigen is None:
        return alle
    return alle.filter(leerling_id__in=eigen)


def verwijzing_of_404(user, school, pk):
    try:
        return verwijzingen_voor(user, school).select_related("leerling", "instelling", "contactpersoon").get(pk=pk)
    except (ValueError, TypeError, ObjectDoesNotExist):
        raise Http404 from None


def mag_verwijzing_beheren(user, school, verwijzing):
    """Status, terugkoppeling, grants and closure: the zorgcoördinator and the pupil's case-manager."""
    if verwijzing.school_id != school.pk:
        return False
    return _is_zorgcoordinator(rollen(user, school)) or verwijzing.leerling.case_manager_id == user.pk


def mag_toestemming_beheren(user, school, leerling):
    """Request consent: the zorgcoördinator and the mentor; record paper consent: the zorgcoördinator
    (domain.md, Access: consent R/W zorgcoördinator, R mentor, teamleider, specialist, directie)."""
    return bool(relaties_met(user, school, leerling) & {"zorgcoordinator", "mentor"})


def mag_toestemming_lezen(user, school, leerling):
    return bool(relaties_met(user, school, leerling) & {
        "zorgcoordinator", "mentor", "teamleider", "specialist", "casemanager", "directie", "ouder"})


# --- Portal: ouders and pupils (domain.md, Access: column ouder) ------------------------------
#
# An ouder/verzorger linked to a pupil sees that child (at whatever school), and of it only: the
# entries "gedeeld met ouders", the handelingsplannen that were vastgesteld or laid before them as
# a concept, their consent requests and the inzagelog. Giving consent or a plan's akkoord needs
# gezag. A pupil with an account (when their school enables it) sees the goals of their own plans
# and writes their own inbreng; nothing else. Anything else answers 404.

# Plans an ouder (or pupil) sees: fixed ones, and concepts laid before them for their inbreng.
OUDER_PLANNEN = Q(status__in=["vastgesteld", "geevalueerd", "afgesloten"]) | Q(
    status="concept", voorgelegd_op__isnull=False
)


def kind_of_404(user, pk):
    """One of the ouder's own children, else 404."""
    try:
        return kinderen_voor(user).select_related("school").get(pk=pk)
    except (Leerling.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def heeft_gezag(user, leerling):
    """Is the user an ouder with ouderlijk gezag over this pupil (consent, akkoord)?"""
    return OuderRelatie.objects.filter(ouder__gebruiker=user, leerling=leerling, gezag=True).exists()


def ouder_van(user, leerling):
    """The user's Ouder record linked to this pupil, or None."""
    return Ouder.objects.filter(gebruiker=user, relaties__leerling=leerling).first()


def plannen_voor_ouder(user, kind):
    """The handelingsplannen of one child its ouder sees (call after kind_of_404)."""
    from plannen.models import Handelingsplan

    return Handelingsplan.objects.filter(OUDER_PLANNEN, leerling=kind)


def plan_voor_ouder_of_404(user, pk):
    """A handelingsplan of one of the ouder's children that is shared with them, else 404."""
    from plannen.models import Handelingsplan

    try:
        return Handelingsplan.objects.filter(OUDER_PLANNEN, leerling__in=kinderen_voor(user)).select_related(
            "leerling__school", "vak", "auteur").get(pk=pk)
    except (Handelingsplan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def items_voor_ouder(user, kind):
    """The dossier entries of one child marked "gedeeld met ouders" (call after kind_of_404)."""
    from leerlingen.models import Dossieritem

    return Dossieritem.objects.filter(leerling=kind, vertrouwelijkheid=Dossieritem.Vertrouwelijkheid.OUDERS)


def item_voor_ouder_of_404(user, pk):
    """An entry shared with the ouder, of one of their children, else 404."""
    from leerlingen.models import Dossieritem

    try:
        return Dossieritem.objects.filter(
            leerling__in=kinderen_voor(user), vertrouwelijkheid=Dossieritem.Vertrouwelijkheid.OUDERS
        ).select_related("leerling__school", "auteur").get(pk=pk)
    except (Dossieritem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def eigen_leerling(user):
    """The pupil whose own account this is, when their school enables pupil accounts; else None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return Leerling.objects.filter(gebruiker=user, school__leerlingaccounts=True).select_related("school").first()


def plannen_voor_leerling(user):
    """A pupil's own handelingsplannen, as far as shared (the same rule as for their ouders)."""
    from plannen.models import Handelingsplan

    leerling = eigen_leerling(user)
    if leerling is None:
        return Handelingsplan.objects.none()
    return Handelingsplan.objects.filter(OUDER_PLANNEN, leerling=leerling)


def correctieverzoeken_voor(user, school):
    """The correctieverzoeken staff answer: the mentor, teamleider, case-manager and specialist of
    the pupil (their scope), the zorgcoördinator all of the school."""
    from ouders.models import Correctieverzoek

    verzoeken = Correctieverzoek.objects.filter(leerling__school=school)
    if _is_zorgcoordinator(rollen(user, school)):
        return verzoeken
    return verzoeken.filter(leerling__in=_zorgrelatie_leerlingen(user, school))


def _zorgrelatie_leerlingen(user, school):
    """Ids of pupils with whom the user has a care relation (not only as docent)."""
    r = rollen(user, school)
    plaatsingen = Klasplaatsing.objects.filter(klas__schooljaar=r.schooljaar, leerling__school=school)
    vandaag = timezone.localdate()
    betrokken = Betrokkene.objects.filter(gebruiker=user, vanaf__lte=vandaag).filter(
        Q(tot__isnull=True) | Q(tot__gte=vandaag))
    voorwaarden = Q(case_manager=user) | Q(id__in=betrokken.values("leerling_id"))
    if r.mentor_klassen:
        voorwaarden |= Q(id__in=plaatsingen.filter(klas_id__in=r.mentor_klassen).values("leerling_id"))
    if r.teamleider_afdelingen:
        voorwaarden |= Q(id__in=plaatsingen.filter(klas__afdeling_id__in=r.teamleider_afdelingen)
                         .values("leerling_id"))
    return Leerling.objects.filter(voorwaarden, school=school).values("id")


def mag_correctieverzoek_beantwoorden(user, school, verzoek):
    return correctieverzoeken_voor(user, school).filter(pk=verzoek.pk).exists()


def mag_uitnodigen(user, school, leerling):
    """Inviting a pupil's ouders (or the pupil) to the portal: the applicatiebeheerder of the
    school, the zorgcoördinator, and the pupil's mentor or teamleider."""
    r = rollen(user, school)
    if leerling.school_id != school.pk:
        return False
    if Soort.APPLICATIEBEHEERDER in r.functies or _is_zorgcoordinator(r):
        return True
    return bool(relaties_met(user, school, leerling) & {"mentor", "teamleider"})


def plannen_voor_kinderen(user, kinderen):
    """The shared handelingsplannen of several of the ouder's children at once (the portal home;
    `kinderen` from kinderen_voor / kind_of_404, like plannen_voor_ouder)."""
    from plannen.models import Handelingsplan

    return Handelingsplan.objects.filter(OUDER_PLANNEN, leerling__in=[k.pk for k in kinderen])


def correctieverzoeken_voor_ouder(user, kinderen):
    """The correctieverzoeken about the ouder's children, any ouder of the child may read them
    (`kinderen` from kinderen_voor / kind_of_404)."""
    from ouders.models import Correctieverzoek

    return Correctieverzoek.objects.filter(leerling__in=[k.pk for k in kinderen])


def mag_uitnodigen_klas(user, school, klas):
    """Inviting all ouders of a klas: its mentor, the teamleider of its afdeling, the zorgcoördinator
    and the applicatiebeheerder."""
    r = rollen(user, school)
    if klas.schooljaar.school_id != school.pk:
        return False
    if Soort.APPLICATIEBEHEERDER in r.functies or _is_zorgcoordinator(r):
        return True
    return klas.pk in r.mentor_klassen or klas.afdeling_id in r.teamleider_afdelingen


def mag_portaal(user):
    """May the user use the portal's own pages (notices, settings)? An ouder, or a pupil with an account."""
    return user.is_authenticated and (rollen(user, None).is_ouder or eigen_leerling(user) is not None)


def is_portaalgebruiker(user):
    """An ouder or pupil with an account who works at no school: their e-mails link into the portal."""
    return mag_portaal(user) and not scholen_voor(user)


# --- Audit and unusual-access alerts (issue 9) ---------------------------------------------
# The school's audit (who viewed or changed what) and its alarms are read by the zorgcoördinator
# (and intern begeleider) and the applicatiebeheerder of the school; everyone else gets 404.

AUDIT_LEZERS = ("zorgcoordinator", "applicatiebeheerder")


def mag_audit(user, school):
    return school is not None and user.is_authenticated and rollen(user, school).heeft(*AUDIT_LEZERS)


def alarm_of_404(user, school, pk):
    """An alarm of the user's school, for someone who may read the audit; else 404."""
    from .models import Alarm

    alarm = Alarm.objects.filter(pk=pk, school=school).first() if mag_audit(user, school) else None
    if alarm is None:
        raise Http404
    return alarm


# --- Accounts (issue 9) -------------------------------------------------------------------------
#
# The applicatiebeheerder of a school manages the accounts of that school: blocking, unblocking,
# resetting two-factor authentication, lifting a login lockout. "The school's accounts" are: staff
# with a functie, a klas as mentor or a lesopdracht in the school's current schooljaar; the ouders
# of its pupils; its pupils' own accounts; the contacts of the external partners in its register.
# Superusers are managed in /systeembeheer/, not here. Any other account answers 404.


def is_beheerder_van(user, school):
    """The school's applicatiebeheerder: accounts, retention terms (never care data)."""
    return school is not None and Soort.APPLICATIEBEHEERDER in rollen(user, school).functies



def accounts_van_school(user, school):
    """The accounts the school's applicatiebeheerder manages (empty for anyone else)."""
    if not is_beheerder_van(user, school):
        return Gebruiker.objects.none()
    jaar = rollen(user, school).schooljaar
    ids = (
        Q(id__in=Functie.objects.filter(schooljaar=jaar).values("gebruiker_id"))
        | Q(id__in=Klas.mentoren.through.objects.filter(klas__schooljaar=jaar).values("gebruiker_id"))
        | Q(id__in=Lesopdracht.objects.filter(klas__schooljaar=jaar).values("docent_id"))
        | Q(id__in=Ouder.objects.filter(relaties__leerling__school=school).values("gebruiker_id"))
        | Q(id__in=Leerling.objects.filter(school=school).values("gebruiker_id"))
        | Q(id__in=Contactpersoon.objects.filter(instelling__school=school).values("gebruiker_id"))
    )
    return Gebruiker.objects.filter(ids, is_superuser=False)


def account_of_404(user, school, pk):
    try:
        return accounts_van_school(user, school).get(pk=pk)
    except (Gebruiker.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Inzageverzoek (issue 9) ------------------------------------------------------------------
#
# The export of everything held about one pupil (AVG art. 15) is made by the zorgcoördinator (or
# intern begeleider) of the pupil's school only: it includes confidential entries, which the
# zorgcoördinator reads anyway (LEZEN above). Former pupils count too (a request can come after
# leaving, within the retention terms). Everyone else, the applicatiebeheerder included: 404.


def is_zorgcoordinator_van(user, school):
    """The school's zorgcoördinator (or intern begeleider): inzageverzoek, bewaarplicht."""
    return school is not None and _is_zorgcoordinator(rollen(user, school))


def schoolleerling_voor_zorgcoordinator_of_404(user, school, pk):
    """A pupil (current or former) of the school, for its zorgcoördinator's export or legal hold;
    else 404. Former pupils count: a request or a hold can come after leaving."""
    if not is_zorgcoordinator_van(user, school):
        raise Http404
    try:
        return Leerling.objects.select_related("school", "zorgniveau", "case_manager").get(pk=pk, school=school)
    except (Leerling.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Bewaartermijnen (issue 9) ------------------------------------------------------------------
#
# The retention terms, the switch that turns removal on, the dry-run reports and the tombstones
# are the applicatiebeheerder's (of the school): counts only, no names. The legal hold on a pupil
# (bewaarplicht) is set and cleared by the zorgcoördinator (or intern begeleider) of the pupil's
# school, for current and former pupils alike. Everyone else: 404.


def uitgeschreven_leerlingen(user, school):
    """The school's former pupils (uitstroomdatum set), for the zorgcoördinator's legal holds."""
    if not is_zorgcoordinator_van(user, school):
        return Leerling.objects.none()
    return Leerling.objects.filter(school=school, uitstroomdatum__isnull=False)


# --- Kwaliteitszorg (issue 10) ------------------------------------------------------------------
#
# The quality figures (effect of interventions, route lead times, the jaarverslag) are read by:
# the zorgcoördinator (or intern begeleider): the whole school, with pupil names and links to the
# underlying plans; the directie: the whole school, figures only (no names, no drill-down to
# pupils); a teamleider: their own afdeling(en) only, with the pupils they already see. The
# jaarverslag and the zelfevaluatie (questionnaires, rounds, results, verbeterpunten) are the
# zorgcoördinator's and the directie's. Filling in a zelfevaluatie: the staff it was sent to.
# The catalogue of intervention kinds is kept by the zorgcoördinator. Everyone else: 404.


@dataclass(frozen=True)
class Kwaliteitsscope:
    school: School
    afdelingen: frozenset | None  # None: the whole school
    namen: bool  # may see pupil names and open the underlying plans


def kwaliteit_scope(user, school):
    """The Kwaliteitsscope of a user at a school, or None (no access to the quality figures)."""
    if school is None or not user.is_authenticated:
        return None
    r = rollen(user, school)
    if _is_zorgcoordinator(r):
        return Kwaliteitsscope(school, None, True)
    if Soort.DIRECTIE in r.functies:
        return Kwaliteitsscope(school, None, False)
    if r.teamleider_afdelingen:
        return Kwaliteitsscope(school, frozenset(r.teamleider_afdelingen), True)
    return None


def kwaliteit_scope_of_404(user, school):
    scope = kwaliteit_scope(user, school)
    if scope is None:
        raise Http404
    return scope


def mag_kwaliteitsbeleid(user, school):
    """Jaarverslag and zelfevaluatie: the zorgcoördinator and the directie of the school."""
    scope = kwaliteit_scope(user, school)
    return scope is not None and scope.afdelingen is None


def mag_interventiecatalogus(user, school):
    """The catalogue of intervention kinds: the zorgcoördinator (or intern begeleider)."""
    return is_zorgcoordinator_van(user, school)
