"""Correctieverzoek end to end: the parent asks, the mentor gets a notice and answers, the parent
sees the answer and gets a notice; scope for parents and staff; bad input keeps what was typed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ouders.models import Correctieverzoek
from plannen.models import Handelingsplan
from tests import factories as f
from zorg.models import Notificatie


@pytest.fixture
def p(personas):
    personas.plan = Handelingsplan.objects.create(leerling=personas.in_a, auteur=personas.mentor,
                                                  status="vastgesteld", vastgesteld_op=timezone.now())
    personas.concept = Handelingsplan.objects.create(leerling=personas.in_a, auteur=personas.mentor, status="concept")
    personas.verslag = f.DossieritemFactory(leerling=personas.in_a, vertrouwelijkheid="ouders", soort="gesprek",
                                            titel="Oudergesprek")
    personas.team = f.DossieritemFactory(leerling=personas.in_a, vertrouwelijkheid="team")
    return personas


def test_end_to_end(p):
    ouder = p.client(p.ouder_user)
    url = reverse("ouder_correctie_nieuw", args=[p.in_a.pk])
    html = ouder.get(url + f"?plan={p.plan.pk}").content.decode()
    assert f'<option value="{p.plan.pk}" selected>' in html
    assert f'value="{p.concept.pk}"' not in html  # a concept not laid before them is not offered
    r = ouder.post(url, {"onderwerp": "handelingsplan", "plan": p.plan.pk, "verslag": "",
                         "tekst": "De geboortedatum in het plan klopt niet."})
    assert r.status_code == 302 and r.url == reverse("ouder_correcties", args=[p.in_a.pk])
    verzoek = Correctieverzoek.objects.get()
    assert verzoek.leerling == p.in_a and verzoek.handelingsplan == p.plan and verzoek.ingediend_door == p.ouder_user
    melding = Notificatie.objects.get(ontvanger=p.mentor)
    assert melding.url == reverse("correctieverzoek", args=[verzoek.pk])
    assert not Notificatie.objects.filter(ontvanger=p.andere_mentor).exists()

    mentor = p.client(p.mentor)
    lijst = mentor.get(reverse("correctieverzoeken")).content.decode()
    assert reverse("correctieverzoek", args=[verzoek.pk]) in lijst
    pagina = mentor.get(reverse("correctieverzoek", args=[verzoek.pk])).content.decode()
    assert "De geboortedatum in het plan klopt niet." in pagina
    r = mentor.post(reverse("correctieverzoek", args=[verzoek.pk]), {"antwoord": ""})
    assert r.status_code == 200 and "Schrijf een antwoord" in r.content.decode()
    r = mentor.post(reverse("correctieverzoek", args=[verzoek.pk]), {"antwoord": "Aangepast, dank u wel."})
    assert r.status_code == 302
    verzoek.refresh_from_db()
    assert verzoek.status == "beantwoord" and verzoek.beantwoord_door == p.mentor and verzoek.beantwoord_op
    melding = Notificatie.objects.get(ontvanger=p.ouder_user)
    assert melding.url == reverse("ouder_correcties", args=[p.in_a.pk])
    # Answering twice is refused.
    r = mentor.post(reverse("correctieverzoek", args=[verzoek.pk]), {"antwoord": "Nog eens"})
    assert "al beantwoord" in r.content.decode() or r.status_code == 200
    verzoek.refresh_from_db()
    assert verzoek.antwoord == "Aangepast, dank u wel."

    html = ouder.get(reverse("ouder_correcties", args=[p.in_a.pk])).content.decode()
    assert "Aangepast, dank u wel." in html
    assert "<table" not in html
    start = ouder.get(reverse("ouder_kind", args=[p.in_a.pk])).content.decode()
    assert "Uw reactie gevraagd (1)" in start


def test_fouten_houden_invoer(p):
    ouder = p.client(p.ouder_user)
    url = reverse("ouder_correctie_nieuw", args=[p.in_a.pk])
    r = ouder.post(url, {"onderwerp": "verslag", "verslag": p.verslag.pk, "tekst": ""})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Schrijf wat de school moet verbeteren" in html
    assert f'<option value="{p.verslag.pk}" selected>' in html
    r = ouder.post(url, {"onderwerp": "verslag", "tekst": "x" * 2001})
    assert r.status_code == 200 and "x" * 2001 in r.content.decode()
    # A team entry, a concept not laid before them, another child's entry: not accepted.
    ander = f.DossieritemFactory(leerling=p.in_b, vertrouwelijkheid="ouders")
    for veld, waarde in (("verslag", p.team.pk), ("plan", p.concept.pk), ("verslag", ander.pk), ("plan", "abc")):
        r = ouder.post(url, {"onderwerp": "anders", veld: waarde, "tekst": "Graag aanpassen"})
        assert r.status_code == 200
        assert "Graag aanpassen" in r.content.decode()
    # A guessed id in the prefill is ignored.
    assert ouder.get(url + f"?verslag={p.team.pk}").status_code == 200
    assert f'value="{p.team.pk}"' not in ouder.get(url + f"?verslag={p.team.pk}").content.decode()
    assert not Correctieverzoek.objects.exists()


def test_scope(p):
    verzoek = Correctieverzoek.objects.create(leerling=p.in_a, ingediend_door=p.ouder_user, onderwerp="anders",
                                              tekst="Iets")
    ander = Correctieverzoek.objects.create(leerling=p.in_b, ingediend_door=p.ouder_user, onderwerp="anders",
                                            tekst="Ander kind")
    ouder = p.client(p.ouder_user)
    assert ouder.get(reverse("ouder_correcties", args=[p.in_b.pk])).status_code == 404
    assert ouder.post(reverse("ouder_correctie_nieuw", args=[p.in_b.pk]),
                      {"onderwerp": "anders", "tekst": "x"}).status_code == 404
    assert "Ander kind" not in ouder.get(reverse("ouder_correcties", args=[p.in_a.pk])).content.decode()
    url = reverse("correctieverzoek", args=[verzoek.pk])
    for user in (p.mentor, p.teamleider, p.zorgcoordinator):
        assert p.client(user).get(url).status_code == 200
    for user in (p.andere_mentor, p.docent, p.specialist, p.directie, p.beheerder, p.ouder_user, p.extern,
                 p.zonder_rol):
        assert p.client(user).get(url).status_code == 404, user
        assert p.client(user).post(url, {"antwoord": "x"}).status_code == 404, user
    assert p.client(p.andere_mentor).get(reverse("correctieverzoek", args=[ander.pk])).status_code == 200
    assert "Ander kind" not in p.client(p.mentor).get(reverse("correctieverzoeken")).content.decode()
    verzoek.refresh_from_db()
    assert verzoek.status == "open"
    assert p.client(p.mentor).get(reverse("correctieverzoek", args=[999999])).status_code == 404
    for user in (p.mentor, p.docent, p.teamleider, p.zorgcoordinator, p.specialist):
        assert p.client(user).get(reverse("correctieverzoeken")).status_code == 200, user
    for user in (p.directie, p.beheerder, p.ouder_user, p.extern, p.zonder_rol):
        assert p.client(user).get(reverse("correctieverzoeken")).status_code == 404, user


def test_oude_verzoeken_gemarkeerd(p):
    oud = Correctieverzoek.objects.create(leerling=p.in_a, ingediend_door=p.ouder_user, onderwerp="anders",
                                          tekst="Oud")
    Correctieverzoek.objects.filter(pk=oud.pk).update(aangemaakt_op=timezone.now() - timezone.timedelta(days=25))
    Correctieverzoek.objects.create(leerling=p.in_a, ingediend_door=p.ouder_user, onderwerp="anders", tekst="Nieuw")
    html = p.client(p.mentor).get(reverse("correctieverzoeken")).content.decode()
    assert "langer dan 21 dagen" in html
    assert "25 dagen" in html
