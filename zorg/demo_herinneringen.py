"""Demo reminders for zorg/demo.py (issue Herinneringen): a short history of sent reminders in the
ledger, with their in-app notices, some read and some unread, about the demo's real objects:

- the mentor: a handelingsplan evaluation coming due (reminded yesterday), and an afspraak past
  its date;
- the teamleider: an escalation for an evaluation overdue by more than `herinnering_te_laat_dagen`;
- the zorgcoördinator: an IZO/ZAT follow-up date, and a consent that expires.

Three of the mentor's plans get their evaluation date moved so these exist (and one more comes
due today, for the live scan). When the rules of
zorg/herinnering_regels.py are there, the history is their real output (a scan as of yesterday);
the beat's first scan after `make run` then sends what comes due today, so notices arrive live.
Without rules the same reminders are written through the ledger (zorg.herinneringen.registreer).

Deterministic and a fixed small number of rows per school (plus what the rules find due)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from besprekingen.models import Afspraak, Agendapunt
from extern.models import Toestemming
from leerlingen.models import Klasplaatsing
from plannen.models import Handelingsplan

from . import herinnering_regels
from .herinneringen import TeSturen, registreer, scan_school
from .models import Herinnering, Notificatie

D = datetime.timedelta
DAGEN_HISTORIE = 14


def _toestemming_verloopt_binnenkort(school, vandaag):
    """The first given consent with an end date expires in two days (reminded yesterday)."""
    t = (Toestemming.objects.filter(leerling__school=school, status=Toestemming.Status.GEGEVEN,
                                    geldig_tot__gte=vandaag).order_by("geldig_tot", "pk").first())
    if t:
        Toestemming.objects.filter(pk=t.pk).update(geldig_tot=vandaag + D(days=2))


def _datum(d):
    return d.strftime("%d-%m-%Y")


def _vervolg_binnenkort(school, vandaag):
    """One IZO/ZAT follow-up date falls tomorrow (reminded yesterday): the first of the latest
    meetings' agenda items that the rule would remind about (not yet back on an agenda)."""
    from besprekingen.models import Bespreking

    kandidaten = (
        Agendapunt.objects.filter(bespreking__school=school, leerling__isnull=False, vervolgdatum__isnull=False,
                                  bespreking__soort__in=[Bespreking.Soort.IZO, Bespreking.Soort.ZAT],
                                  bespreking__begin__lt=_op(vandaag, 0))
        .order_by("-bespreking__begin", "pk")[:5]
    )
    gisteren = vandaag - D(days=1)
    regel = getattr(herinnering_regels, "vervolg_izo_zat", None)
    if regel is None:
        return
    for punt in kandidaten:
        oud = punt.vervolgdatum
        Agendapunt.objects.filter(pk=punt.pk).update(vervolgdatum=vandaag + D(days=1))
        if any(item.obj.pk == punt.pk for item in regel(school, gisteren)):
            return
        Agendapunt.objects.filter(pk=punt.pk).update(vervolgdatum=oud)


def _teamleider_van(leerling, staf):
    plaatsing = Klasplaatsing.objects.filter(leerling=leerling).select_related("klas__afdeling").order_by("-pk").first()
    if plaatsing and plaatsing.klas.afdeling:
        gevonden = staf.teamleiders.get(plaatsing.klas.afdeling.naam)
        if gevonden:
            return gevonden
    return next(iter(staf.teamleiders.values()), None)


def _plannen_van_de_mentor(school):
    plannen = list(
        Handelingsplan.objects.filter(leerling__school=school, status=Handelingsplan.Status.VASTGESTELD)
        .select_related("leerling", "auteur").order_by("pk")
    )
    mentor_id = next((p.auteur_id for p in plannen if p.auteur.username == "mentor"), None)
    if mentor_id is None and plannen:
        mentor_id = plannen[0].auteur_id
    return [p for p in plannen if p.auteur_id == mentor_id]


def _items(school, staf, vandaag, plan_vooraf, plan_te_laat):
    """The reminders to write when there are no rules yet: (item, sent on, read)."""
    uit = []
    if plan_vooraf:
        uit.append((TeSturen(
            "evaluatie_handelingsplan", "vooraf", plan_vooraf, plan_vooraf.evaluatiedatum, [plan_vooraf.auteur],
            f"Het handelingsplan van {plan_vooraf.leerling.naam} moet op {_datum(plan_vooraf.evaluatiedatum)} "
            "geëvalueerd worden.",
            url=reverse("handelingsplan", args=[plan_vooraf.pk]), leerling=plan_vooraf.leerling,
        ), vandaag - D(days=1), False))
    if plan_te_laat:
        teamleider = _teamleider_van(plan_te_laat.leerling, staf)
        dagen = (vandaag - plan_te_laat.evaluatiedatum).days
        uit.append((TeSturen(
            "evaluatie_handelingsplan", "te_laat", plan_te_laat, plan_te_laat.evaluatiedatum, [teamleider],
            f"De evaluatie van het handelingsplan van {plan_te_laat.leerling.naam} is {dagen} dagen te laat "
            f"(eigenaar {plan_te_laat.auteur.naam}).",
            url=reverse("handelingsplan", args=[plan_te_laat.pk]), leerling=plan_te_laat.leerling,
        ), vandaag - D(days=1), False))
    mentor = plan_vooraf.auteur if plan_vooraf else None
    afspraak = (
        Afspraak.objects.filter(school=school, eigenaar=mentor, status=Afspraak.Status.OPEN, uiterlijk__lt=vandaag)
        .select_related("leerling").order_by("uiterlijk", "pk").first()
    ) if mentor else None
    if afspraak:
        uit.append((TeSturen(
            "afspraak", "te_laat", afspraak, afspraak.uiterlijk, [afspraak.eigenaar],
            f"Uw afspraak '{afspraak.wat[:120]}' stond op {_datum(afspraak.uiterlijk)} en is nog niet afgehandeld.",
            url=reverse("mijn_afspraken"), leerling=afspraak.leerling,
        ), max(afspraak.uiterlijk + D(days=1), vandaag - D(days=5)), True))
    punt = (
        Agendapunt.objects.filter(bespreking__school=school, case_manager=staf.zc, vervolgdatum__isnull=False,
                                  leerling__isnull=False)
        .select_related("leerling").order_by("vervolgdatum", "pk")
    )
    punt = punt.filter(vervolgdatum__gte=vandaag).first() or punt.last()
    if punt:
        uit.append((TeSturen(
            "vervolg_izo_zat", "vooraf" if punt.vervolgdatum >= vandaag else "te_laat", punt, punt.vervolgdatum,
            [staf.zc],
            f"Vervolgdatum {_datum(punt.vervolgdatum)} voor {punt.leerling.naam}: zet de leerling op de agenda van "
            "de volgende bespreking.",
            url=reverse("bespreking", args=[punt.bespreking_id]), leerling=punt.leerling,
        ), min(vandaag, max(punt.vervolgdatum - D(days=school.herinnering_dagen_vooraf), vandaag - D(days=3))),
            True))
    toestemming = (
        Toestemming.objects.filter(leerling__school=school, status=Toestemming.Status.GEGEVEN,
                                   geldig_tot__gte=vandaag)
        .select_related("leerling").order_by("geldig_tot", "pk").first()
    )
    if toestemming:
        uit.append((TeSturen(
            "toestemming_verloopt", "vooraf", toestemming, toestemming.geldig_tot, [staf.zc],
            f"De toestemming ({toestemming.get_doel_display()}) voor {toestemming.leerling.naam} verloopt op "
            f"{_datum(toestemming.geldig_tot)}.",
            url=reverse("toestemmingen", args=[toestemming.leerling_id]), leerling=toestemming.leerling,
        ), vandaag - D(days=2), False))
    return uit


def _op(datum, uur, minuut=0):
    return timezone.make_aware(datetime.datetime.combine(datum, datetime.time(uur, minuut)))


def bouw_herinneringen(school, staf, vandaag):
    """Move three of the mentor's evaluations into the reminder windows and fill the ledger."""
    n, m = school.herinnering_dagen_vooraf, school.herinnering_te_laat_dagen
    plannen = _plannen_van_de_mentor(school)
    # Reminded yesterday (then N days ahead); overdue past the escalation; due in exactly N days:
    # the last one is reminded by the first scan of `make run`, so a notice arrives live.
    data = [vandaag + D(days=max(n - 1, 0)), vandaag - D(days=m + 2), vandaag + D(days=n)]
    for plan, datum in zip(plannen, data, strict=False):
        plan.evaluatiedatum = datum
        Handelingsplan.objects.filter(pk=plan.pk).update(evaluatiedatum=datum)
    plan_vooraf = plannen[0] if plannen else None
    plan_te_laat = plannen[1] if len(plannen) > 1 else None

    if herinnering_regels.REGELS:
        _toestemming_verloopt_binnenkort(school, vandaag)
        _vervolg_binnenkort(school, vandaag)
        # The real rules, as if the beat had scanned every morning of the last two weeks up to yesterday;
        # today's reminders come with the first scan of `make run`.
        for terug in range(DAGEN_HISTORIE, 0, -1):
            dag = vandaag - D(days=terug)
            vorige = Herinnering.objects.filter(school=school).order_by("-pk").values_list("pk", flat=True).first()
            scan_school(school, dag)
            nieuw = Herinnering.objects.filter(school=school, pk__gt=vorige or 0).order_by("pk")
            for i, rij in enumerate(nieuw):
                # Older notices mostly read, yesterday's unread.
                _markeer(rij, _op(dag, 7, i % 60), gelezen=terug > 1 and (rij.pk % 3 != 0))
        return
    for i, (item, verstuurd, gelezen) in enumerate(_items(school, staf, vandaag, plan_vooraf, plan_te_laat)):
        if None in item.ontvangers:
            continue
        registreer(school, item)
        for rij in Herinnering.objects.filter(school=school, regel=item.regel, stap=item.stap,
                                              object_soort=item.soort(), object_id=item.obj.pk):
            _markeer(rij, _op(verstuurd, 7, i), gelezen)


def _markeer(rij, op, gelezen):
    """Date a ledger row and its notice back to when it was sent; the e-mail went out then too."""
    Herinnering.objects.filter(pk=rij.pk).update(aangemaakt_op=op)
    if rij.notificatie_id:
        Notificatie.objects.filter(pk=rij.notificatie_id).update(
            aangemaakt_op=op, email=Notificatie.Email.VERSTUURD, gemaild_op=op,
            gelezen_op=op + D(hours=3) if gelezen else None,
        )
