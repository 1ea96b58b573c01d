"""The parents' reaction deadline of a plan laid before them: set when laying it before them
(default two weeks, a past date refused), shown in the portal, a reminder to the parents shortly
before it (in their language, once) and a notice to the mentor after it when they did not react."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from plannen import plannen
from plannen.models import Doel, Handelingsplan
from zorg.herinneringen import scan_school
from zorg.models import Herinnering, Notificatie

D = datetime.timedelta


@pytest.fixture
def p(personas):
    personas.V = personas.jaar.begin + D(days=100)
    personas.plan = Handelingsplan.objects.create(leerling=personas.in_a, auteur=personas.mentor, status="concept")
    Doel.objects.create(handelingsplan=personas.plan, doel="Plant zijn huiswerk")
    return personas


def test_laying_before_sets_a_deadline_in_two_weeks_and_refuses_a_past_one(p):
    plannen.leg_voor_aan_ouders(p.mentor, p.plan)
    assert p.plan.reactie_voor == timezone.localdate() + D(days=14)
    with pytest.raises(plannen.PlanFout, match="na vandaag"):
        plannen.leg_voor_aan_ouders(p.mentor, p.plan, timezone.localdate())
    client = p.client(p.mentor)
    url = reverse("handelingsplan_actie", args=[p.plan.pk])
    antwoord = client.post(url, {"actie": "voorleggen", "reactie_voor": "31-02-2026"}, follow=True)
    assert "Vul een geldige datum in" in antwoord.content.decode()
    datum = timezone.localdate() + D(days=5)
    client.post(url, {"actie": "voorleggen", "reactie_voor": datum.isoformat()})
    p.plan.refresh_from_db()
    assert p.plan.reactie_voor == datum
    assert "reactie gevraagd vóór" in client.get(reverse("handelingsplan", args=[p.plan.pk])).content.decode()


def test_the_portal_shows_the_deadline_in_the_parents_language(p):
    plannen.leg_voor_aan_ouders(p.mentor, p.plan, timezone.localdate() + D(days=9))
    p.ouder_user.taal = "pap"
    p.ouder_user.save()
    ouder = p.client(p.ouder_user)
    with translation.override("pap"):
        graag = translation.gettext("Graag vóór %(datum)s.")
    assert graag != "Graag vóór %(datum)s."  # translated
    assert graag.split("%")[0].strip() in ouder.get(reverse("ouder_kind", args=[p.in_a.pk])).content.decode()
    assert "reactie" in ouder.get(reverse("ouder_plan", args=[p.plan.pk])).content.decode()


def test_reminder_to_parents_before_the_deadline_once_and_in_their_language(p):
    Handelingsplan.objects.filter(pk=p.plan.pk).update(voorgelegd_op=timezone.now(), reactie_voor=p.V + D(days=2))
    p.ouder_user.taal = "es"
    p.ouder_user.save()
    assert scan_school(p.school, p.V - D(days=2)) == 0  # outside the lead time (3 days)
    assert scan_school(p.school, p.V) == 1
    melding = Notificatie.objects.get(ontvanger=p.ouder_user)
    with translation.override("es"):
        verwacht = translation.gettext("De school vraagt uw reactie op het plan voor %(kind)s vóór %(datum)s.")
    assert verwacht != "De school vraagt uw reactie op het plan voor %(kind)s vóór %(datum)s."
    assert melding.tekst.startswith(verwacht.split("%")[0]) and melding.url == reverse("ouder_plan", args=[p.plan.pk])
    assert scan_school(p.school, p.V + D(days=1)) == 0  # once


def test_mentor_hears_after_the_deadline_unless_the_parents_reacted(p):
    Handelingsplan.objects.filter(pk=p.plan.pk).update(voorgelegd_op=timezone.now(), reactie_voor=p.V - D(days=1))
    tweede = Handelingsplan.objects.create(
        leerling=p.in_a, auteur=p.mentor, status="concept", voorgelegd_op=timezone.now(),
        reactie_voor=p.V - D(days=1), ouders_akkoord="akkoord", ouders_akkoord_op=timezone.now())
    assert scan_school(p.school, p.V) == 1
    herinnering = Herinnering.objects.get(regel="reactie_ouders")
    assert herinnering.stap == "te_laat" and herinnering.ontvanger == p.mentor
    assert herinnering.object_id == p.plan.pk != tweede.pk
    assert scan_school(p.school, p.V + D(days=1)) == 0
