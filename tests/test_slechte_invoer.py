"""Bad input never causes a server error: arbitrary text, numbers and missing fields on the
main forms answer with a page or fragment (a Dutch message), never a 500, and write nothing
when rejected."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leerlingen.models import Dossieritem
from plannen.models import Handelingsplan

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

tekst = st.text(max_size=300)
waarde = st.one_of(tekst, st.integers(min_value=-(10**12), max_value=10**12).map(str), st.just(""))
SNEL = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


AFGEWEZEN = (400, 409, 422)


def afgewezen_met_melding(response):
    """A rejected form shows the page again with a Dutch message next to the field."""
    html = response.content.decode()
    return response.status_code in AFGEWEZEN and ("veldfout" in html or 'class="fout"' in html)


def velden(*namen):
    # A browser always sends the CSRF token, so a submitted form is never an empty POST.
    return st.fixed_dictionaries(
        {"csrfmiddlewaretoken": st.just("x")}, optional={naam: waarde for naam in namen}
    )


@SNEL
@given(data=velden("domein", "tekst", "acties", "effect", "datum", "vertrouwelijkheid", "voor_docenten"))
def test_signaleren(personas, data):
    p = personas
    voor = Dossieritem.objects.count()
    response = p.client(p.docent).post(reverse("dossier_signaleren", args=[p.in_a.pk]), data)
    assert response.status_code == 302 or afgewezen_met_melding(response)
    if response.status_code != 302:
        assert Dossieritem.objects.count() == voor


@SNEL
@given(soort=st.sampled_from(["gesprek", "interventie", "bijzonderheid", "toets"]), data=velden(
    "gesprek_met", "titel", "tekst", "afspraken", "hulpvraag", "acties", "uitgevoerd_door", "effect", "categorie",
    "toets_onderdeel", "toets_score", "datum", "vertrouwelijkheid",
))
def test_dossieritems(personas, soort, data):
    p = personas
    response = p.client(p.mentor).post(reverse("dossier_nieuw", args=[p.in_a.pk, soort]), data)
    assert response.status_code == 302 or afgewezen_met_melding(response)


@SNEL
@given(data=velden(
    "soort", "vak", "periode", "start", "evaluatiedatum", "beginsituatie", "onderwijsbehoeften",
    "doelen-TOTAL_FORMS", "doelen-INITIAL_FORMS", "doelen-0-doel", "betrokkenen-TOTAL_FORMS",
    "betrokkenen-INITIAL_FORMS", "betrokkenen-0-gebruiker", "betrokkenen-0-taak",
))
def test_handelingsplan(personas, data):
    p = personas
    voor = Handelingsplan.objects.count()
    response = p.client(p.mentor).post(reverse("handelingsplan_nieuw", args=[p.in_a.pk]), data)
    assert response.status_code in (200, 302, *AFGEWEZEN)
    if response.status_code != 302:
        assert Handelingsplan.objects.count() == voor


@SNEL
@given(data=velden("leerling", "kolom", "waarde", "versie", "actie", "zijne"))
def test_groepsoverzicht_cel(personas, data):
    p = personas
    client = p.client(p.mentor)
    client.get(reverse("groepsoverzicht", args=[p.klas_a.pk]))
    from plannen.models import Groepsoverzicht

    go = Groepsoverzicht.objects.get(klas=p.klas_a, soort="vakoverstijgend")
    response = client.post(reverse("groepsoverzicht_cel", args=[go.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code < 500


@SNEL
@given(data=velden("hulpvraag", "begeleidingsvraag"))
def test_hulpvraag(personas, data):
    p = personas
    response = p.client(p.mentor).post(reverse("route_aanvragen", args=[p.in_a.pk]), data)
    assert response.status_code < 500
