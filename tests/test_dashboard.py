"""The zorgcoördinator dashboard: every figure equals the number of rows of the list it links to
(for the zorgcoördinator and for directie), directie sees no pupil names, other roles get 404,
the zorgniveau history, and a query count that does not grow with the school."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from besprekingen import dashboard
from besprekingen.models import Aanmelding, Afspraak, Agendapunt, Bespreking
from extern.models import Terugkoppeling, Verwijzing
from leerlingen.models import Dossieritem
from plannen.models import Groepsplan, Handelingsplan
from tests import factories as f

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

URL = "/besprekingen/dashboard/"
NAMEN = ["Aafke", "Akkerman", "Bert", "Boomsma", "Cor", "Cremers", "Dirk", "Doornbos"]


def dag(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def moment(d, uur=14):
    return timezone.make_aware(datetime.datetime.combine(d, datetime.time(uur, 0)))


def maandag():
    vandaag = timezone.localdate()
    return vandaag - datetime.timedelta(days=vandaag.weekday())


@pytest.fixture
def school(benoemde_personas):
    """The personas' school with something behind every figure."""
    p = benoemde_personas
    p.niveau2 = f.ZorgniveauFactory(zorgroute=p.route, volgorde=2, code="2", naam="zorgteam")
    p.niveau3 = f.ZorgniveauFactory(zorgroute=p.route, volgorde=3, code="3", naam="extern")
    p.klas_b.leerjaar = 4
    p.klas_b.save()
    for leerling, niveau, cm in [
        (p.in_a, p.niveau2, p.specialist), (p.in_a2, p.niveau1, None),
        (p.in_b, p.niveau3, p.specialist), (p.toegewezen, None, p.zorgcoordinator),
    ]:
        leerling.zorgniveau, leerling.case_manager = niveau, cm
        leerling.save()
    # Aanmeldingen: one waiting, one already on an agenda.
    for leerling, status in [(p.in_a, "aangemeld"), (p.in_b, "ingepland")]:
        Aanmelding.objects.create(school=p.school, leerling=leerling, hulpvraag="x", status=status,
                                  aangemeld_door=p.mentor)
    # Besprekingen: two planned this week, one held this week, one planned next week.
    izo = Bespreking.objects.create(school=p.school, soort="izo", begin=moment(maandag() + datetime.timedelta(days=2)),
                                    voorzitter=p.zorgcoordinator)
    Bespreking.objects.create(school=p.school, soort="leerlingbespreking", begin=moment(maandag(), 9),
                              voorzitter=p.mentor)
    oud = Bespreking.objects.create(school=p.school, soort="izo", begin=moment(dag(-40)), voorzitter=p.zorgcoordinator,
                                    status="gehouden")
    Bespreking.objects.create(school=p.school, soort="zat", begin=moment(maandag() + datetime.timedelta(days=8)),
                              voorzitter=p.zorgcoordinator)
    # Evaluations: two handelingsplannen overdue (one not), a concept does not count; a groepsplan of last year.
    for leerling, status, datum in [
        (p.in_a, "vastgesteld", dag(-3)), (p.in_b, "vastgesteld", dag(-30)),
        (p.in_a2, "vastgesteld", dag(5)), (p.toegewezen, "concept", dag(-10)),
    ]:
        Handelingsplan.objects.create(leerling=leerling, auteur=p.mentor, status=status, evaluatiedatum=datum)
    vorig = f.SchooljaarFactory(school=p.school, begin=p.jaar.begin.replace(year=p.jaar.begin.year - 1),
                                naam="vorig")
    oude_periode = f.PeriodeFactory(schooljaar=vorig, nummer=4)
    oude_klas = f.KlasFactory(schooljaar=vorig, afdeling=p.afdeling_a, naam="0A")
    Groepsplan.objects.create(klas=oude_klas, periode=oude_periode, auteur=p.mentor, status="lopend")
    Groepsplan.objects.create(klas=oude_klas, periode=oude_periode, auteur=p.mentor, status="geevalueerd")
    # Afspraken: three overdue (two owners), one due later, one done; one old referral.
    punt = Agendapunt.objects.create(bespreking=oud, leerling=p.in_b)
    anoniem = Agendapunt.objects.create(bespreking=oud, leerling=p.in_a2, anoniem=True)
    for eigenaar, uiterlijk, status, leerling, ap in [
        (p.mentor, dag(-2), "open", p.in_a, None), (p.mentor, dag(-9), "open", p.in_b, punt),
        (p.specialist, dag(-1), "open", p.in_a2, anoniem), (p.specialist, dag(4), "open", None, None),
        (p.mentor, dag(-20), "gedaan", None, None),
    ]:
        Afspraak.objects.create(school=p.school, bespreking=oud, agendapunt=ap, leerling=leerling, wat="Gesprek",
                                eigenaar=eigenaar, uiterlijk=uiterlijk, status=status)
    # Verwijzingen: only the open one aangemeld more than four weeks ago without terugkoppeling counts.
    p.instelling = f.InstellingFactory(school=p.school, naam="Jeugdteam Oost")
    for leerling, dagen, status in [(p.toegewezen, -35, "aangemeld"), (p.in_a, -3, "aangemeld"),
                                    (p.in_b, -40, "gestart"), (p.in_a2, -60, "afgesloten")]:
        v = Verwijzing.objects.create(school=p.school, leerling=leerling, instelling=p.instelling, reden="Thuis",
                                      status=status, aangemeld_op=dag(dagen))
        if leerling == p.in_b:
            Terugkoppeling.objects.create(verwijzing=v, soort="gestart", datum=dag(-10), tekst="Gestart",
                                          auteur=p.zorgcoordinator)
    # Groepsbesprekingen this periode: 1A held, 4H planned, 1B not planned.
    periode = p.jaar.periode_op()
    Bespreking.objects.create(school=p.school, soort="groepsbespreking", klas=p.klas_a, periode=periode,
                              begin=moment(dag(-5)), voorzitter=p.mentor, status="gehouden")
    Bespreking.objects.create(school=p.school, soort="groepsbespreking", klas=p.klas_b, periode=periode,
                              begin=moment(dag(5)), voorzitter=p.andere_mentor)
    p.izo = izo
    return p


def links(html):
    """Every figure on the dashboard: (url, number shown)."""
    return [(unescape(url), int(n)) for url, n in re.findall(r'href="([^"]+)" data-aantal="(\d+)"', html)]


def rijen(html):
    return html.count('<tr class="rij">')


def test_figures_are_what_the_school_holds(school):
    html = school.client(school.zorgcoordinator).get(URL).content.decode()
    cijfers = dict(links(html))
    assert cijfers[f"{URL}aanmeldingen/"] == 1
    assert cijfers[f"{URL}besprekingen/"] == 2
    assert cijfers[f"{URL}evaluaties/"] == 3
    assert cijfers[f"{URL}afspraken/"] == 3
    assert cijfers[f"{URL}afspraken/?eigenaar={school.mentor.pk}"] == 2
    assert cijfers[f"{URL}afspraken/?eigenaar={school.specialist.pk}"] == 1
    assert cijfers[f"{URL}verwijzingen/"] == 1
    assert cijfers[f"{URL}leerlingen/?niveau={school.niveau2.pk}"] == 1
    assert cijfers[f"{URL}leerlingen/?niveau=geen"] == 1
    assert cijfers[f"{URL}leerlingen/?afdeling={school.afdeling_a.pk}"] == 2
    assert cijfers[f"{URL}leerlingen/?leerjaar=4"] == 2
    assert cijfers[f"{URL}leerlingen/?case_manager={school.specialist.pk}"] == 2
    assert cijfers[f"{URL}groepsbesprekingen/"] == 3
    assert cijfers[f"{URL}groepsbesprekingen/?stand=gehouden"] == 1
    assert cijfers[f"{URL}groepsbesprekingen/?stand=gepland"] == 1
    assert cijfers[f"{URL}groepsbesprekingen/?stand=niet"] == 1
    assert "<svg" in html and 'style="' not in html
    # The chart has bars, and its coordinates are never localised ("12,5" is no SVG number).
    assert re.search(r'<rect class="n1" x="\d+" y="[\d.]+" width="\d+" height="[\d.]+"', html)
    assert not re.search(r'(?:x|y|width|height)="[\d.]*,', html)


@pytest.mark.parametrize("rol", ["zorgcoordinator", "directie"])
def test_every_figure_equals_the_list_behind_it(school, rol):
    client = school.client(getattr(school, rol))
    html = client.get(URL).content.decode()
    cijfers = links(html)
    assert len(cijfers) >= 20
    lijsten = {url.split("?")[0] for url, _n in cijfers}
    assert lijsten == {f"{URL}{naam}/" for naam in dashboard.LIJSTEN}
    for url, n in cijfers:
        response = client.get(url)
        assert response.status_code == 200, url
        assert rijen(response.content.decode()) == n, url


def test_directie_sees_no_pupil_names_the_zorgcoordinator_does(school):
    directie, zc = school.client(school.directie), school.client(school.zorgcoordinator)
    alles_zc = ""
    for naam in dashboard.LIJSTEN:
        html = directie.get(f"{URL}{naam}/").content.decode()
        for pupil in NAMEN:  # whole words: a generated staff name may contain "Cor" (Coreth)
            assert not re.search(rf"\b{pupil}\b", html), (naam, pupil)
        assert not re.search(r"/leerlingen/\d", html), naam
        alles_zc += zc.get(f"{URL}{naam}/").content.decode()
    assert escape("Akkerman, Aafke") in alles_zc and "Cor Cremers" in alles_zc
    # The anonymous agenda item's afspraak is never named, also not for the zorgcoördinator.
    afspraken = zc.get(f"{URL}afspraken/").content.decode()
    assert "(anoniem) 1B" in afspraken and "Boomsma" not in afspraken
    # Directie sees the klas instead.
    assert ">1A<" in directie.get(f"{URL}leerlingen/").content.decode()


@pytest.mark.parametrize("rol", ["mentor", "docent", "teamleider", "specialist", "beheerder", "ouder_user", "extern",
                                 "zonder_rol"])
def test_other_roles_get_404(personas, rol):
    client = personas.client(getattr(personas, rol))
    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}afspraken/").status_code == 404


def test_unknown_list_404_and_bad_filter_explained(school):
    client = school.client(school.zorgcoordinator)
    assert client.get(f"{URL}onbekend/").status_code == 404
    html = client.get(f"{URL}leerlingen/?niveau=abc").content.decode()
    assert "Onbekende waarde in het filter: abc" in html
    assert rijen(html) == 4
    html = client.get(f"{URL}groepsbesprekingen/?stand=vergeten").content.decode()
    assert "Onbekende waarde in het filter: vergeten" in html and rijen(html) == 3


def test_zorgcoordinator_starts_on_the_dashboard_directie_keeps_school(school):
    assert school.client(school.zorgcoordinator).get("/")["Location"] == URL
    client = school.client(school.directie)
    assert client.get("/")["Location"] == "/school/"
    assert f'href="{URL}"' in client.get("/school/").content.decode()


def test_empty_school_shows_what_to_do(personas):
    html = personas.client(personas.zorgcoordinator).get(URL).content.decode()
    assert "Nog geen leerling heeft een case-manager" in html
    html = personas.client(personas.zorgcoordinator).get(f"{URL}aanmeldingen/").content.decode()
    assert "Er wachten geen aanmeldingen" in html


def test_zorgniveau_history_follows_the_besluiten(school):
    p = school
    stand = dashboard.Stand(p.school, p.jaar, timezone.localdate())
    begin = p.jaar.begin
    eind_eerste_maand = begin.replace(day=28)
    # in_a went 1 -> 2 in the second month; in_b 1 -> 2 in the first month and 2 -> 3 later on.
    for leerling, datum, van, naar in [
        (p.in_a, begin + datetime.timedelta(days=40), p.niveau1, p.niveau2),
        (p.in_b, begin + datetime.timedelta(days=5), p.niveau1, p.niveau2),
        (p.in_b, begin + datetime.timedelta(days=70), p.niveau2, p.niveau3),
    ]:
        Dossieritem.objects.create(leerling=leerling, soort="zorgniveau", datum=datum, van_niveau=van,
                                   naar_niveau=naar, auteur=p.zorgcoordinator)
    peildata = [eind_eerste_maand, begin + datetime.timedelta(days=50), begin + datetime.timedelta(days=80)]
    per = dashboard.niveaus_op(stand, peildata, p.niveau1.pk)
    eerste, tweede, derde = (per[d] for d in peildata)
    # in_a2 (niveau 1, no besluit) and toegewezen (no level, no besluit: the first level) stay on 1.
    assert eerste == {p.niveau1.pk: 3, p.niveau2.pk: 1}
    assert tweede == {p.niveau1.pk: 2, p.niveau2.pk: 2}
    assert derde == {p.niveau1.pk: 2, p.niveau2.pk: 1, p.niveau3.pk: 1}
    # The chart has one column per month so far.
    verloop = dashboard.verloop(stand, [p.niveau1, p.niveau2, p.niveau3])
    assert len(verloop["kolommen"]) == len(dashboard._peildata(stand)) >= 1
    assert verloop["kolommen"][-1]["datum"] == min(stand.op, p.jaar.einde)


def _aantal_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_school(school, django_assert_max_num_queries):
    p = school
    client = p.client(p.zorgcoordinator)
    client.get(URL)  # the first request of a session costs extra queries
    urls = [URL] + [f"{URL}{naam}/" for naam in dashboard.LIJSTEN]

    def groei(n):
        for i in range(n):
            leerling = f.KlasplaatsingFactory(klas=[p.klas_a, p.klas_b][i % 2], leerling__school=p.school).leerling
            leerling.zorgniveau, leerling.case_manager = [p.niveau1, p.niveau2][i % 2], p.specialist
            leerling.save()
            Dossieritem.objects.create(leerling=leerling, soort="zorgniveau", datum=p.jaar.begin,
                                       van_niveau=p.niveau1, naar_niveau=leerling.zorgniveau, auteur=p.mentor)
            Afspraak.objects.create(school=p.school, bespreking=p.izo, leerling=leerling, wat="x",
                                    eigenaar=[p.mentor, p.specialist][i % 2], uiterlijk=dag(-1))
            Handelingsplan.objects.create(leerling=leerling, auteur=p.mentor, status="vastgesteld",
                                          evaluatiedatum=dag(-1))
            Aanmelding.objects.create(school=p.school, leerling=leerling, hulpvraag="x", aangemeld_door=p.mentor)
            Verwijzing.objects.create(school=p.school, leerling=leerling, instelling=p.instelling, reden="x",
                                      aangemeld_op=dag(-40))

    groei(3)
    weinig = [_aantal_queries(client, url) for url in urls]
    groei(27)
    veel = [_aantal_queries(client, url) for url in urls]
    assert weinig == veel
    with django_assert_max_num_queries(25):
        client.get(URL)
