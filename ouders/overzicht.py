"""The parent's overview of their children: what the school and the parents do together now, what
is coming up, and what needs the parent's reaction. Everything for all children in a fixed number
of queries (not one per plan or item): the parent home lists every child."""

import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from zorg import toegang
from zorg.models import Zorgniveau

# An answered correctieverzoek stays under "Uw reactie gevraagd" this many days (there is no
# "seen" mark on the model).
BEANTWOORD_TONEN_DAGEN = 14


def uitleg_zorgniveau(niveau):
    """The child's zorgniveau in one sentence a parent understands (never the internal code)."""
    if niveau is None:
        return _("Uw kind krijgt de begeleiding die alle leerlingen krijgen.")
    if niveau.verwacht_plan == Zorgniveau.Plan.OVERDRACHT:
        return _("Uw kind krijgt onderwijs of hulp op een andere school of instelling. De school zorgt samen met "
                 "u voor een goede overdracht.")
    if niveau.extern:
        return _("Uw kind krijgt hulp van een deskundige buiten de school. De school werkt daarbij samen met "
                 "die hulpverlener en met u.")
    if niveau.besloten_in in (Zorgniveau.Bespreking.IZO, Zorgniveau.Bespreking.ZAT):
        return _("Het zorgteam van de school begeleidt uw kind extra, volgens een eigen plan.")
    if niveau.verwacht_plan == Zorgniveau.Plan.HANDELINGSPLAN:
        return _("De mentor begeleidt uw kind extra, samen met andere begeleiders op school, volgens een eigen "
                 "plan.")
    if niveau.verwacht_plan == Zorgniveau.Plan.GROEPSPLAN:
        return _("De mentor en de docenten geven uw kind extra aandacht in de klas.")
    return _("Uw kind krijgt de begeleiding die alle leerlingen krijgen.")


def _per_kind(objecten, attribuut="leerling_id"):
    groepen = {}
    for obj in objecten:
        groepen.setdefault(getattr(obj, attribuut), []).append(obj)
    return groepen


def vul_overzicht(user, kinderen):
    """Attach the overview to each child (a list from views.kinderen(), i.e. toegang.kinderen_voor):
    uitleg, plannen (active), evaluaties, gesprekken, open_toestemmingen, voorgelegde_plannen,
    beantwoorde_correcties, reactie_gevraagd (count). Five queries for any number of children."""
    from besprekingen.models import Agendapunt, Bespreking
    from extern.models import Toestemming
    from ouders.models import Correctieverzoek
    from plannen.models import Doel, Handelingsplan

    if not kinderen:
        return kinderen
    nu = timezone.now()
    vandaag = timezone.localdate()
    ids = [k.pk for k in kinderen]
    eerste_doel = Doel.objects.filter(handelingsplan=OuterRef("pk")).order_by("volgorde", "pk").values("doel")[:1]
    plannen = _per_kind(
        toegang.plannen_voor_kinderen(user, kinderen)
        .filter(status__in=[Handelingsplan.Status.CONCEPT, Handelingsplan.Status.VASTGESTELD])
        .select_related("vak")
        .only("id", "leerling_id", "status", "start", "evaluatiedatum", "ouders_akkoord", "reactie_voor", "vak__naam")
        .annotate(eerste_doel=Subquery(eerste_doel))
        .order_by("evaluatiedatum", "-start", "pk")
    )
    # The open consent requests of these children (extern.toestemming.open_aanvragen, per child).
    toestemmingen = _per_kind(
        Toestemming.objects.filter(status=Toestemming.Status.AANGEVRAAGD, leerling__in=ids)
        .select_related("instelling").order_by("aangevraagd_op", "pk")
    )
    gesprekken = _per_kind(
        Agendapunt.objects.filter(
            leerling__in=ids, bespreking__soort=Bespreking.Soort.GESPREK,
            bespreking__status=Bespreking.Status.GEPLAND, bespreking__begin__gte=nu,
        ).select_related("bespreking").only("leerling_id", "bespreking__begin", "bespreking__locatie")
        .order_by("bespreking__begin")
    )
    correcties = _per_kind(
        toegang.correctieverzoeken_voor_ouder(user, kinderen).filter(
            status=Correctieverzoek.Status.BEANTWOORD,
            beantwoord_op__gte=nu - datetime.timedelta(days=BEANTWOORD_TONEN_DAGEN),
        ).only("id", "leerling_id")
    )
    for kind in kinderen:
        kind.uitleg = uitleg_zorgniveau(kind.zorgniveau)
        eigen = plannen.get(kind.pk, [])
        kind.plannen = [p for p in eigen if p.status == Handelingsplan.Status.VASTGESTELD]
        kind.voorgelegde_plannen = [p for p in eigen if p.status == Handelingsplan.Status.CONCEPT
                                    and not p.ouders_akkoord]
        kind.evaluaties = [p for p in kind.plannen if p.evaluatiedatum and p.evaluatiedatum >= vandaag]
        # One entry per meeting, even when the child is on its agenda twice.
        kind.gesprekken = list({a.bespreking_id: a.bespreking for a in gesprekken.get(kind.pk, [])}.values())
        kind.open_toestemmingen = toestemmingen.get(kind.pk, [])
        kind.beantwoorde_correcties = correcties.get(kind.pk, [])
        kind.reactie_gevraagd = (len(kind.open_toestemmingen) + len(kind.voorgelegde_plannen)
                                 + len(kind.beantwoorde_correcties))
    return kinderen
