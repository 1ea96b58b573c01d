"""Start pages per role, the klas filter (also via htmx), pupil search, beheer, and empty states."""

import re

import pytest
from django.utils.html import escape

from tests import factories as f
from zorg import zorgroutes
from zorg.models import Functie, Zorgroute

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

# Pupil names from the benoemde_personas fixture, as class lists show them.
NAMEN = {
    "in_a": "Akkerman, Aafke",
    "in_a2": "Boomsma, Bert",
    "in_b": "Cremers, Cor",
    "toegewezen": "Doornbos, Dirk",
    "elders": "Elzinga, Eva",
}

START = [
    ("zorgcoordinator", "/besprekingen/dashboard/", "Dashboard zorg"),
    ("directie", "/school/", "Testcollege"),
    ("teamleider", "/afdeling/", "Mijn afdeling"),
    ("mentor", "/mijn-klas/", "Mijn klas 1A"),
    ("specialist", "/mijn-leerlingen/", "Mijn leerlingen"),
    ("docent", "/mijn-klassen/", "Mijn klassen"),
    ("beheerder", "/beheer/", "Beheer Testcollege"),
    ("ouder_user", "/ouders/", "Mijn kinderen"),
    ("extern", "/extern/", "Verwijzingen"),
]


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize(("rol", "url", "kop"), START)
def test_each_role_lands_on_its_own_start_page(benoemde_personas, rol, url, kop):
    client = benoemde_personas.client(getattr(benoemde_personas, rol))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == url
    html = html_of(client.get(url))
    assert f"<h1>{escape(kop)}" in html


def test_user_without_role_gets_a_dutch_explanation(benoemde_personas):
    html = html_of(benoemde_personas.client(benoemde_personas.zonder_rol).get("/"))
    assert "U hebt nog geen rol in Zorgroute" in html
    assert "Vraag de applicatiebeheerder" in html


# Which pupils each start page names (and, by omission, which it must not).
NAMEN_OP_START = {
    "mentor": ("/mijn-klas/", {"in_a"}),
    "specialist": ("/mijn-leerlingen/", {"toegewezen"}),
}


@pytest.mark.parametrize("rol", sorted(NAMEN_OP_START))
def test_start_page_names_exactly_the_pupils_in_scope(benoemde_personas, rol):
    url, zichtbaar = NAMEN_OP_START[rol]
    html = html_of(benoemde_personas.client(getattr(benoemde_personas, rol)).get(url))
    for naam, tekst in NAMEN.items():
        assert (escape(tekst) in html) == (naam in zichtbaar), f"{rol}: {tekst}"


def test_parent_sees_own_child_only(benoemde_personas):
    p = benoemde_personas
    html = html_of(p.client(p.ouder_user).get("/ouders/"))
    assert "Aafke (1A)" in re.sub(r"<[^>]+>", "", html)
    assert f'href="/ouders/kinderen/{p.in_a.pk}/"' in html
    assert p.school.naam in html
    tekst = re.sub(r"<[^>]+>", "", html)  # the page's text: attribute values (e.g. "allowEval") aside
    for naam in ("Bert", "Cor", "Dirk", "Eva", "Boomsma", "Cremers", "Doornbos", "Elzinga"):
        assert naam not in tekst
    # The mentor's contact details are there for the parent.
    assert p.mentor.email in html


def test_docent_start_lists_the_klassen_they_teach(benoemde_personas):
    p = benoemde_personas
    html = html_of(p.client(p.docent).get("/mijn-klassen/"))
    assert f'href="/klassen/{p.klas_a.pk}/"' in html
    assert f'href="/klassen/{p.klas_a2.pk}/"' not in html
    assert f'href="/klassen/{p.klas_b.pk}/"' not in html
    # ... and through the klas page, its pupils.
    html = html_of(p.client(p.docent).get(f"/klassen/{p.klas_a.pk}/"))
    assert escape(NAMEN["in_a"]) in html
    assert escape(NAMEN["in_a2"]) not in html


def test_teamleider_start_shows_own_afdeling_only(benoemde_personas):
    p = benoemde_personas
    html = html_of(p.client(p.teamleider).get("/afdeling/"))
    assert "Onderbouw" in html
    assert f'href="/klassen/{p.klas_a.pk}/"' in html and f'href="/klassen/{p.klas_a2.pk}/"' in html
    assert "Bovenbouw" not in html
    assert f'href="/klassen/{p.klas_b.pk}/"' not in html


@pytest.mark.parametrize("rol", ["zorgcoordinator", "directie"])
def test_school_start_shows_every_klas_of_this_school(benoemde_personas, rol):
    p = benoemde_personas
    html = html_of(p.client(getattr(p, rol)).get("/school/"))
    for klas in (p.klas_a, p.klas_a2, p.klas_b):
        assert f'href="/klassen/{klas.pk}/"' in html
    assert f'href="/klassen/{p.andere_klas.pk}/"' not in html
    assert "Leerlingen per zorgniveau" in html


def test_strongest_role_decides_the_start_page_and_menu_shows_the_others(benoemde_personas):
    p = benoemde_personas
    f.FunctieFactory(gebruiker=p.mentor, schooljaar=p.jaar, soort=Functie.Soort.TEAMLEIDER, afdeling=p.afdeling_b)
    client = p.client(p.mentor)
    assert client.get("/")["Location"] == "/afdeling/"
    html = html_of(client.get("/afdeling/"))
    assert 'href="/mijn-klas/"' in html and 'href="/mijn-klassen/"' in html


# --- the klas filter -------------------------------------------------------------------------


@pytest.fixture
def volle_klas(benoemde_personas):
    """klas 1A with three pupils: Aafke Akkerman (niveau 1), Hanna Akkers and Gijs Gerritsen."""
    p = benoemde_personas
    p.in_a.zorgniveau = p.niveau1
    p.in_a.save()
    f.KlasplaatsingFactory(klas=p.klas_a, leerling__voornaam="Hanna", leerling__achternaam="Akkers")
    p.gijs = f.KlasplaatsingFactory(
        klas=p.klas_a, leerling__voornaam="Gijs", leerling__achternaam="Gerritsen", leerling__leerlingnummer="777123"
    ).leerling
    return p


def namen_in(html):
    return {naam for naam in ("Akkerman, Aafke", "Akkers, Hanna", "Gerritsen, Gijs") if naam in html}


def test_klas_filter_on_name_and_niveau(volle_klas):
    client = volle_klas.client(volle_klas.mentor)
    assert namen_in(html_of(client.get("/mijn-klas/"))) == {"Akkerman, Aafke", "Akkers, Hanna", "Gerritsen, Gijs"}
    assert namen_in(html_of(client.get("/mijn-klas/?q=akker"))) == {"Akkerman, Aafke", "Akkers, Hanna"}
    assert namen_in(html_of(client.get("/mijn-klas/?q=777123"))) == {"Gerritsen, Gijs"}
    assert namen_in(html_of(client.get("/mijn-klas/?niveau=1"))) == {"Akkerman, Aafke"}
    assert namen_in(html_of(client.get("/mijn-klas/?q=akker&niveau=1"))) == {"Akkerman, Aafke"}
    html = html_of(client.get("/mijn-klas/?q=gijs&niveau=1"))
    assert namen_in(html) == set()
    assert "Geen leerlingen gevonden met dit filter." in html
    assert "Toon alle leerlingen" in html


def test_klas_filter_finds_a_pupil_by_full_name(volle_klas):
    """Typing the whole name in the klas filter, as in the pupil search, finds the pupil."""
    client = volle_klas.client(volle_klas.mentor)
    assert namen_in(html_of(client.get("/mijn-klas/", {"q": "Aafke Akkerman"}))) == {"Akkerman, Aafke"}


def test_klas_filter_via_htmx_returns_only_the_list(volle_klas):
    client = volle_klas.client(volle_klas.mentor)
    response = client.get("/mijn-klas/?q=akker", headers={"HX-Request": "true"})
    html = html_of(response)
    assert namen_in(html) == {"Akkerman, Aafke", "Akkers, Hanna"}
    assert "<html" not in html and "<header" not in html and 'id="klas-zoek"' not in html
    assert html.lstrip().startswith("<table")
    # The whole page for a normal request, with the filter field filled in.
    html = html_of(client.get("/mijn-klas/?q=akker"))
    assert "<html" in html and 'id="klaslijst"' in html and 'value="akker"' in html


def test_klas_filter_never_reaches_beyond_the_klas(volle_klas):
    p = volle_klas
    client = p.client(p.zorgcoordinator)
    html = html_of(client.get(f"/klassen/{p.klas_a.pk}/?q=o", headers={"HX-Request": "true"}))
    assert escape(NAMEN["in_b"]) not in html and escape(NAMEN["in_a2"]) not in html
    html = html_of(client.get(f"/klassen/{p.klas_b.pk}/?q=cor", headers={"HX-Request": "true"}))
    assert escape(NAMEN["in_b"]) in html


# --- pupil search ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rol", "gevonden"),
    [
        ("mentor", {"in_a"}),
        ("docent", {"in_a"}),
        ("teamleider", {"in_a", "in_a2"}),
        ("specialist", {"toegewezen"}),
        ("zorgcoordinator", {"in_a", "in_a2", "in_b", "toegewezen"}),
        ("directie", {"in_a", "in_a2", "in_b", "toegewezen"}),
    ],
)
def test_search_finds_only_pupils_in_scope(benoemde_personas, rol, gevonden):
    p = benoemde_personas
    client = p.client(getattr(p, rol))
    for naam, tekst in NAMEN.items():
        achternaam = tekst.split(",")[0]
        html = html_of(client.get(f"/leerlingen/zoeken/?q={achternaam}"))
        if naam in gevonden:
            assert escape(tekst) in html, f"{rol} vindt {tekst} niet"
        else:
            assert escape(tekst) not in html, f"{rol} vindt {tekst}, buiten bereik"
            assert "onder de leerlingen die u mag zien" in html


def test_search_by_full_name_and_leerlingnummer_and_htmx(benoemde_personas):
    p = benoemde_personas
    client = p.client(p.zorgcoordinator)
    assert escape(NAMEN["in_b"]) in html_of(client.get("/leerlingen/zoeken/?q=cor+cremers"))
    assert escape(NAMEN["in_b"]) in html_of(client.get(f"/leerlingen/zoeken/?q={p.in_b.leerlingnummer}"))
    html = html_of(client.get("/leerlingen/zoeken/?q=cremers", headers={"HX-Request": "true"}))
    assert escape(NAMEN["in_b"]) in html and "<html" not in html
    # Empty search: guidance, no list.
    html = html_of(client.get("/leerlingen/zoeken/"))
    assert "Typ een deel van de naam of het leerlingnummer." in html


def test_search_by_full_name_with_a_multi_word_tussenvoegsel(benoemde_personas):
    """'Sanne van der Berg' is how people type the name; each word must match a part of it."""
    p = benoemde_personas
    f.KlasplaatsingFactory(
        klas=p.klas_a, leerling__voornaam="Sanne", leerling__tussenvoegsel="van der", leerling__achternaam="Berg"
    )
    client = p.client(p.mentor)
    for zoek in ("Berg", "Sanne Berg", "van der Berg", "Sanne van der Berg"):
        html = html_of(client.get("/leerlingen/zoeken/", {"q": zoek}))
        assert "Berg, Sanne van der" in html, f"niet gevonden met '{zoek}'"


def test_search_does_not_interpret_html(benoemde_personas):
    p = benoemde_personas
    html = html_of(p.client(p.mentor).get("/leerlingen/zoeken/", {"q": "<script>alert(1)</script>"}))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- beheer: the zorgroute preset ------------------------------------------------------------


def test_beheer_switches_the_zorgroute_preset(benoemde_personas):
    p = benoemde_personas
    client = p.client(p.beheerder)
    html = html_of(client.get("/beheer/"))
    assert "Testroute" in html
    response = client.post("/beheer/", {"preset": "nl_lijnen"})
    assert response.status_code == 302
    assert response["Location"] == "/beheer/"
    route = Zorgroute.objects.get(school=p.school)
    assert route.naam == "NL: onderwijszorgroute eerste, tweede en derde lijn"
    assert [n.naam for n in zorgroutes.niveaus_van(p.school)] == ["eerste lijn", "tweede lijn", "derde lijn"]
    html = html_of(client.get("/beheer/"))
    assert "De zorgroute is ingesteld." in html
    assert "derde lijn" in html


def test_beheer_refuses_to_switch_while_pupils_hold_a_level(benoemde_personas):
    p = benoemde_personas
    p.in_b.zorgniveau = p.niveau1
    p.in_b.save()
    client = p.client(p.beheerder)
    html = html_of(client.post("/beheer/", {"preset": "aruba_avo"}))
    assert "Er zijn leerlingen met een zorgniveau uit de huidige route" in html
    route = Zorgroute.objects.get(school=p.school)
    assert route.naam == "Testroute"
    assert [n.pk for n in zorgroutes.niveaus_van(p.school)] == [p.niveau1.pk]


def test_beheer_rejects_an_unknown_preset_in_dutch(benoemde_personas):
    p = benoemde_personas
    html = html_of(p.client(p.beheerder).post("/beheer/", {"preset": "onzin"}))
    assert "Kies een van de voorbeeldroutes." in html
    assert Zorgroute.objects.get(school=p.school).naam == "Testroute"


@pytest.mark.parametrize("rol", ["mentor", "zorgcoordinator", "directie"])
def test_only_the_applicatiebeheerder_may_switch_the_route(benoemde_personas, rol):
    p = benoemde_personas
    assert p.client(getattr(p, rol)).post("/beheer/", {"preset": "nl_lijnen"}).status_code == 404
    assert Zorgroute.objects.get(school=p.school).naam == "Testroute"


# --- empty states ----------------------------------------------------------------------------


def _met_functie(p, soort, **kwargs):
    user = f.GebruikerFactory()
    f.FunctieFactory(gebruiker=user, schooljaar=p.jaar, soort=soort, **kwargs)
    return user


def test_empty_states_give_dutch_guidance(benoemde_personas):
    p = benoemde_personas
    docent = _met_functie(p, Functie.Soort.DOCENT)
    assert "U hebt dit schooljaar geen klassen." in html_of(p.client(docent).get("/mijn-klassen/"))

    smw = _met_functie(p, Functie.Soort.SMW)
    assert "Er zijn nog geen leerlingen aan u toegewezen." in html_of(p.client(smw).get("/mijn-leerlingen/"))

    mentor = f.GebruikerFactory()
    f.KlasFactory(schooljaar=p.jaar, afdeling=p.afdeling_b, naam="5V", mentoren=[mentor])
    html = html_of(p.client(mentor).get("/mijn-klas/"))
    assert "Er zijn nog geen leerlingen in deze klas geplaatst." in html
    assert "nog geen mentor" not in html

    ouder = f.OuderFactory().gebruiker
    assert "Er zijn geen kinderen aan uw account gekoppeld." in html_of(p.client(ouder).get("/ouders/"))

    html = html_of(p.client(p.extern).get("/extern/"))
    assert "Er zijn op dit moment geen leerlingen naar u verwezen." in html

    afdeling_c = f.AfdelingFactory(school=p.school, naam="Praktijkonderwijs")
    teamleider = _met_functie(p, Functie.Soort.TEAMLEIDER, afdeling=afdeling_c)
    html = html_of(p.client(teamleider).get("/afdeling/"))
    assert "Deze afdeling heeft dit schooljaar nog geen klassen." in html


def test_school_without_zorgroute_shows_guidance(benoemde_personas):
    p = benoemde_personas
    Zorgroute.objects.filter(school=p.school).delete()
    html = html_of(p.client(p.zorgcoordinator).get("/school/"))
    assert "De school heeft nog geen zorgroute." in html
    html = html_of(p.client(p.beheerder).get("/beheer/"))
    assert "Nog geen zorgroute ingesteld." in html


def test_mentor_of_two_klassen_gets_a_list(benoemde_personas):
    p = benoemde_personas
    p.klas_a2.mentoren.add(p.mentor)
    html = html_of(p.client(p.mentor).get("/mijn-klas/"))
    assert "<h1>Mijn klassen</h1>" in html
    assert f'href="/klassen/{p.klas_a.pk}/"' in html and f'href="/klassen/{p.klas_a2.pk}/"' in html
    assert f'href="/klassen/{p.klas_b.pk}/"' not in html


def test_beheer_sets_the_evaluation_term_after_an_izo_decision(personas):
    p = personas
    client = p.client(p.beheerder)
    response = client.post("/beheer/", {"instellingen": "1", "evaluatie_weken": "0"})
    assert "Kies minstens 1 week." in response.content.decode()
    assert 'value="0"' in response.content.decode()  # what was typed stays
    response = client.post("/beheer/", {"instellingen": "1", "evaluatie_weken": "8"})
    assert response.status_code == 302
    p.school.refresh_from_db()
    assert p.school.evaluatie_weken == 8

    import datetime

    from leerlingen.models import Dossieritem
    from plannen.plannen import standaard_evaluatiedatum

    besluit = Dossieritem(leerling=p.in_a, soort="zorgniveau", datum=datetime.date(2030, 1, 1))
    p.in_a.school = p.school
    assert standaard_evaluatiedatum(p.in_a, besluit=besluit) == datetime.date(2030, 2, 26)


def test_mijn_klas_shows_open_items_for_the_mentor(personas, django_assert_max_num_queries):
    import datetime

    from django.utils import timezone

    from leerlingen.models import Opschaling
    from plannen.models import Handelingsplan
    from zorg.notificaties import notificeer

    p = personas
    vandaag = timezone.localdate()
    Handelingsplan.objects.create(
        leerling=p.in_a, auteur=p.mentor, status="vastgesteld", evaluatiedatum=vandaag - datetime.timedelta(days=2)
    )
    Opschaling.objects.create(leerling=p.in_a, naar_niveau=p.niveau1, hulpvraag="Piekert", aangevraagd_door=p.mentor)
    notificeer([p.mentor], "Nieuwe signalering bij een leerling")
    client = p.client(p.mentor)
    html = client.get("/mijn-klas/").content.decode()
    assert "Vandaag voor u" in html
    assert "Nieuwe signalering bij een leerling" in html
    assert f"Evaluatie handelingsplan {p.in_a.naam}" in html and "te laat" in html
    assert f"Hulpvraag van {p.in_a.naam} wacht op een besluit" in html
    assert "hulpvraag open" in html
    # A docent of the klas sees the list without the care columns.
    assert "hulpvraag open" not in p.client(p.docent).get(f"/klassen/{p.klas_a.pk}/").content.decode()
    # The open items come with the pupil query: the page stays within the start-page budget
    # (12, plus one for the mentor's own afspraken due or overdue, one for the klas's groepsbespreking
    # and one for the session's verified two-factor device, django-otp).
    with django_assert_max_num_queries(15):
        client.get("/mijn-klas/")
