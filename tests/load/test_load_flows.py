"""The load test's building blocks, without locust or gunicorn: the sessions the runner prepares are
fully logged in (no second step asked), and each role's steps of tests/load/locustfile.py work on
the real pages with CSRF checks enforced (the same page parsing, the same form fields)."""

import json
import re

import pytest
from django.test import Client

from tests.load import pagina
from tests.load.runner import make_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessies(demo_school):
    return make_sessions("demo", {"mentor": 2, "docent": 2, "zorgcoordinator": 1, "ouder": 3})


def _browser(sessie):
    # As locust sends them: the session cookie, an Origin on every POST, CSRF checks on.
    client = Client(enforce_csrf_checks=True, HTTP_ORIGIN="http://testserver")
    client.cookies["sessionid"] = sessie["sessionid"]
    return client


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    return response.content.decode()


def test_sessions_for_distinct_people_of_every_role(sessies):
    for role in ("mentor", "docent", "zorgcoordinator", "ouder"):
        assert sessies[role], role
        names = [s["username"] for s in sessies[role]]
        assert len(names) == len(set(names)), role
    assert len({s["klas"] for s in sessies["mentor"]}) == len(sessies["mentor"])


def test_a_prepared_staff_session_is_past_the_second_step(sessies):
    client = _browser(sessies["mentor"][0])
    response = client.get("/account/")
    assert response.status_code == 200


def test_mentor_autosaves_cells_and_carries_the_versie_forward(sessies):
    sessie = sessies["mentor"][0]
    client = _browser(sessie)
    html = _page(client, f"/plannen/klas/{sessie['klas']}/groepsoverzicht/")
    cellen = pagina.tekstcellen(html)
    assert cellen
    cel, token = cellen[0], pagina.csrf_htmx(html)
    assert token
    # Without the token htmx sends, the save is refused: the CSRF check is really on.
    assert client.post(cel.action, cel.data(waarde="x"), HTTP_HX_REQUEST="true").status_code == 403
    versie = cel.fields["versie"]
    for tekst in ("werkt beter naast de deur", "en met een weekplanning"):
        response = client.post(cel.action, cel.data(waarde=tekst, versie=versie), HTTP_HX_REQUEST="true",
                               HTTP_X_CSRFTOKEN=token)
        assert response.status_code == 200
        assert "HX-Retarget" not in response  # no version conflict
        body = response.content.decode()
        assert "data-opgeslagen" in body
        versie = re.search(r'name="versie" value="(\d+)"', body).group(1)


def test_docent_signals_a_pupil_from_the_klas_list(sessies):
    client = _browser(sessies["docent"][0])
    klassen = pagina.links(_page(client, "/mijn-klassen/"), r"/klassen/\d+/")
    assert klassen
    formulieren = pagina.links(_page(client, klassen[0]), r"/leerlingen/\d+/signaleren/[^\"]*")
    assert formulieren
    form = pagina.signalering_form(_page(client, formulieren[0]))
    assert form is not None and "csrfmiddlewaretoken" in form.fields
    domeinen = [d for d in form.options["domein"] if d]
    data = form.data(domein=domeinen[0], tekst="Is stiller dan anders in de les.")
    response = client.post(form.attrs.get("action") or formulieren[0], data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith(klassen[0])


def test_zorgcoordinator_autosaves_notes_of_the_planned_izo(sessies):
    sessie = sessies["zorgcoordinator"][0]
    client = _browser(sessie)
    basis = f"/besprekingen/{sessie['izo']}/"
    punten = pagina.links(_page(client, basis), re.escape(basis) + r"\?punt=\d+")
    assert punten
    form = pagina.notities_form(_page(client, punten[0]))
    assert form is not None
    versie = form.fields["versie"]
    for tekst in ("Ouders melden dat het beter gaat.", "Afspraak: gesprek met de mentor."):
        response = client.post(form.action, form.data(notities=tekst, versie=versie),
                               HTTP_X_REQUESTED_WITH="fetch", HTTP_ACCEPT="application/json")
        assert response.status_code == 200, response.content
        versie = json.loads(response.content)["versie"]


def test_ouder_reads_home_and_a_plan(sessies):
    client = _browser(sessies["ouder"][0])  # the first ones have a child with a plan
    html = _page(client, "/ouders/")
    plannen = pagina.links(html, r"/ouders/plannen/\d+/")
    for kind in pagina.links(html, r"/ouders/kinderen/\d+/"):
        plannen = plannen or pagina.links(_page(client, kind + "plannen/"), r"/ouders/plannen/\d+/")
    assert plannen
    _page(client, plannen[0])


def test_form_parser_reads_fields_as_a_browser_submits_them():
    html = """<form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <select name="domein"><option value="">Kies</option><option value="gedrag">Gedrag</option></select>
      <select name="v"><option value="a">A<option value="b" selected>B</select>
      <textarea name="tekst">
regel</textarea><input type="checkbox" name="uit" value="1"><input type="checkbox" name="aan" value="1" checked>
      <button type="submit" name="knop">ok</button></form>
      <td class="cel type-tekst" hx-post="/plannen/groepsoverzicht/1/cel/"><textarea name="waarde">a &amp; b</textarea>
      <input type="hidden" name="leerling" value="5"><input type="hidden" name="kolom" value="6">
      <input type="hidden" name="versie" value="7"></td>"""
    form, cel = pagina.containers(html)
    assert form.fields == {"csrfmiddlewaretoken": "t", "domein": "", "v": "b", "tekst": "regel", "aan": "1"}
    assert form.options["domein"] == ["", "gedrag"]
    assert [c.action for c in pagina.tekstcellen(html)] == [cel.action] == ["/plannen/groepsoverzicht/1/cel/"]
    assert cel.data(waarde="c") == {"waarde": "c", "leerling": "5", "kolom": "6", "versie": "7"}
