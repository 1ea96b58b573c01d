"""Mijn afspraken: grouping, anonymous items, marking gedaan/vervallen (also via htmx), who may
close whose afspraak, the zorgcoördinator's view of all open afspraken, the mentor's "Vandaag
voor u" and bounded query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from besprekingen.models import Afspraak, Agendapunt, Bespreking
from tests import factories as f
from zorg.models import Inzage

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

URL = "/besprekingen/afspraken/"


def dag(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def bespreking(p, soort="izo", dagen=-13, **extra):
    begin = timezone.make_aware(datetime.datetime.combine(dag(dagen), datetime.time(14, 0)))
    return Bespreking.objects.create(school=p.school, soort=soort, begin=begin, voorzitter=p.zorgcoordinator, **extra)


def afspraak(p, eigenaar, uiterlijk, wat="Oudergesprek voeren", leerling=None, anoniem=False, b=None, **extra):
    b = b or bespreking(p)
    punt = Agendapunt.objects.create(bespreking=b, leerling=leerling, anoniem=anoniem) if leerling else None
    return Afspraak.objects.create(
        school=p.school, bespreking=b, agendapunt=punt, leerling=leerling, wat=wat, eigenaar=eigenaar,
        uiterlijk=uiterlijk, **extra,
    )


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_own_afspraken_grouped_with_pupil_bespreking_and_lateness(benoemde_personas):
    p = benoemde_personas
    b = bespreking(p)
    afspraak(p, p.mentor, dag(-2), "Oudergesprek Aafke plannen", leerling=p.in_a, b=b)
    afspraak(p, p.mentor, dag(3), "Handelingstips doorgeven")
    afspraak(p, p.mentor, dag(20), "Evaluatie voorbereiden")
    afspraak(p, p.mentor, dag(-5), "Al gedaan", status="gedaan", afgehandeld_op=timezone.now())
    afspraak(p, p.mentor, dag(-90), "Lang geleden", status="gedaan",
             afgehandeld_op=timezone.now() - datetime.timedelta(days=60))
    afspraak(p, p.andere_mentor, dag(1), "Van iemand anders")
    html = html_of(p.client(p.mentor).get(URL))
    secties = {key: html.index(f'id="groep-{key}"') for key in ("te_laat", "binnenkort", "later", "afgehandeld")}
    assert secties["te_laat"] < secties["binnenkort"] < secties["later"] < secties["afgehandeld"]
    assert html.index("Oudergesprek Aafke plannen") < secties["binnenkort"]
    assert secties["binnenkort"] < html.index("Handelingstips doorgeven") < secties["later"]
    assert secties["later"] < html.index("Evaluatie voorbereiden") < secties["afgehandeld"]
    assert html.index("Al gedaan") > secties["afgehandeld"]
    assert "Lang geleden" not in html and "Van iemand anders" not in html
    assert "te laat (2 d)" in html
    assert f'href="{reverse("bespreking", args=[b.pk])}"' in html
    assert escape("Aafke Akkerman") in html and f'href="/leerlingen/{p.in_a.pk}/"' in html


def test_anonymous_item_shows_klas_never_the_name(benoemde_personas):
    p = benoemde_personas
    afspraak(p, p.mentor, dag(2), "Advies schoolmaatschappelijk werk navragen", leerling=p.in_a, anoniem=True)
    html = html_of(p.client(p.mentor).get(URL))
    assert "(anoniem) 1A" in html
    assert "Akkerman" not in html and "Aafke" not in html
    assert f"/leerlingen/{p.in_a.pk}/" not in html


def test_empty_state_tells_what_happens_next(personas):
    html = html_of(personas.client(personas.docent).get(URL))
    assert "U hebt geen open afspraken" in html


@pytest.mark.parametrize("rol", ["ouder_user", "extern", "zonder_rol"])
def test_non_staff_get_404(personas, rol):
    assert personas.client(getattr(personas, rol)).get(URL).status_code == 404


def test_mark_done_and_dropped(personas):
    p = personas
    a = afspraak(p, p.mentor, dag(-1))
    client = p.client(p.mentor)
    url = reverse("afspraak_afhandelen", args=[a.pk])
    response = client.post(url, {"status": "gedaan", "notitie": "Gesprek gevoerd op dinsdag"})
    assert response.status_code == 302 and response["Location"] == URL
    a.refresh_from_db()
    assert (a.status, a.notitie, a.afgehandeld_door) == ("gedaan", "Gesprek gevoerd op dinsdag", p.mentor)
    html = html_of(client.get(URL))
    assert "De afspraak is afgehandeld als gedaan." in html and "Gesprek gevoerd op dinsdag" in html

    b = afspraak(p, p.mentor, dag(4))
    url = reverse("afspraak_afhandelen", args=[b.pk])
    html = html_of(client.post(url, {"status": "vervallen", "notitie": "   "}))
    assert "Geef aan waarom de afspraak vervalt." in html
    b.refresh_from_db()
    assert b.status == "open"
    response = client.post(url, {"status": "vervallen", "notitie": "Leerling is verhuisd"})
    assert response.status_code == 302
    b.refresh_from_db()
    assert (b.status, b.notitie) == ("vervallen", "Leerling is verhuisd")
    # ... and back open.
    client.post(url, {"status": "open"})
    b.refresh_from_db()
    assert (b.status, b.afgehandeld_op) == ("open", None)


def test_bad_input_keeps_the_note_and_explains(personas):
    p = personas
    a = afspraak(p, p.mentor, dag(4))
    url = reverse("afspraak_afhandelen", args=[a.pk])
    html = html_of(p.client(p.mentor).post(url, {"status": "weg", "notitie": "mijn uitleg"}))
    assert "Kies gedaan of vervallen." in html
    assert ">mijn uitleg</textarea>" in html


def test_htmx_swaps_the_row(personas):
    p = personas
    a = afspraak(p, p.mentor, dag(4), "Terugkoppelen aan docenten")
    client = p.client(p.mentor)
    url = reverse("afspraak_afhandelen", args=[a.pk])
    html = html_of(client.post(url, {"status": "vervallen", "notitie": ""}, HTTP_HX_REQUEST="true"))
    assert html.lstrip().startswith('<li class="afspraak') and f'id="afspraak-{a.pk}"' in html
    assert "<html" not in html
    assert "Geef aan waarom de afspraak vervalt." in html
    html = html_of(client.post(url, {"status": "gedaan", "notitie": "Mail gestuurd"}, HTTP_HX_REQUEST="true"))
    assert "is-afgehandeld" in html and "Mail gestuurd" in html and "Heropenen" in html
    assert "<html" not in html


def test_someone_elses_afspraak_cannot_be_closed(benoemde_personas):
    p = benoemde_personas
    # About the mentor's own pupil: the mentor may read it, but not close it (refusal).
    van_ander = afspraak(p, p.specialist, dag(2), leerling=p.in_a)
    response = p.client(p.mentor).post(reverse("afspraak_afhandelen", args=[van_ander.pk]), {"status": "gedaan"})
    assert response.status_code == 403
    assert "Alleen de eigenaar, de voorzitter of de zorgcoördinator" in response.content.decode()
    # Outside the docent's reach altogether: 404.
    response = p.client(p.docent).post(reverse("afspraak_afhandelen", args=[van_ander.pk]), {"status": "gedaan"})
    assert response.status_code == 404
    van_ander.refresh_from_db()
    assert van_ander.status == "open"
    # Another school's afspraak: 404 even for the zorgcoördinator.
    elders = Afspraak.objects.create(
        school=p.andere_school, wat="x", eigenaar=p.zorgcoordinator, uiterlijk=dag(1)
    )
    response = p.client(p.zorgcoordinator).post(reverse("afspraak_afhandelen", args=[elders.pk]), {"status": "gedaan"})
    assert response.status_code == 404
    # The zorgcoördinator may close anyone's.
    response = p.client(p.zorgcoordinator).post(
        reverse("afspraak_afhandelen", args=[van_ander.pk]), {"status": "gedaan", "weergave": "alle"}
    )
    assert response.status_code == 302 and response["Location"] == URL + "?weergave=alle"
    # GET is not allowed.
    assert p.client(p.mentor).get(reverse("afspraak_afhandelen", args=[van_ander.pk])).status_code == 405


def test_zorgcoordinator_sees_all_open_afspraken_by_owner(benoemde_personas):
    p = benoemde_personas
    afspraak(p, p.mentor, dag(-3), "Gesprek met Aafke", leerling=p.in_a)
    afspraak(p, p.specialist, dag(5), "Toets afnemen bij Dirk", leerling=p.toegewezen)
    afspraak(p, p.specialist, dag(5), "Anoniem punt", leerling=p.in_b, anoniem=True)
    afspraak(p, p.mentor, dag(-3), "Al gedaan", status="gedaan", afgehandeld_op=timezone.now())
    html = html_of(p.client(p.zorgcoordinator).get(URL + "?weergave=alle"))
    assert "Alle open afspraken" in html
    assert escape(p.mentor.naam) in html and escape(p.specialist.naam) in html
    assert "Gesprek met Aafke" in html and "Toets afnemen bij Dirk" in html and "Al gedaan" not in html
    assert "1 te laat" in html
    assert "Cremers" not in html and "(anoniem) 4H" in html
    # Reading other people's afspraken about named pupils is logged (one row per pupil).
    assert set(Inzage.objects.filter(gebruiker=p.zorgcoordinator).values_list("leerling", flat=True)) == {
        p.in_a.pk, p.toegewezen.pk}
    # A mentor asking for the school's list gets their own list.
    html = html_of(p.client(p.mentor).get(URL + "?weergave=alle"))
    assert "Alle open afspraken" not in html and "Toets afnemen bij Dirk" not in html


def test_mentor_start_page_lists_own_afspraken_due_and_overdue(benoemde_personas):
    p = benoemde_personas
    b = bespreking(p, dagen=-20)
    afspraak(p, p.mentor, dag(-2), "oudergesprek Aafke Akkerman", b=b)
    afspraak(p, p.mentor, dag(6), "mail aan docenten", b=b)
    afspraak(p, p.mentor, dag(12), "later werk", b=b)
    afspraak(p, p.andere_mentor, dag(1), "niet van mij", b=b)
    html = html_of(p.client(p.mentor).get("/mijn-klas/"))
    datum = b.begin.astimezone(timezone.get_current_timezone())
    from django.utils.formats import date_format

    kop = f"Afspraak uit IZO {date_format(datum, 'j b')}: "
    assert escape(kop + "oudergesprek Aafke Akkerman") + " — " in html
    assert "te laat (2 d)" in html
    assert escape(kop + "mail aan docenten") in html
    assert "later werk" not in html and "niet van mij" not in html
    assert f'href="{URL}"' in html


def _aantal_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_number_of_afspraken(personas, django_assert_max_num_queries):
    p = personas
    b = bespreking(p)

    def maak(n):
        for _i in range(n):
            leerling = f.KlasplaatsingFactory(klas=p.klas_a, leerling__school=p.school).leerling
            afspraak(p, p.mentor, dag(-1), leerling=leerling, b=b)
            afspraak(p, p.mentor, dag(2), leerling=leerling, anoniem=True, b=b)
            afspraak(p, p.mentor, dag(30), b=b, status="gedaan", afgehandeld_op=timezone.now())

    mentor, zc = p.client(p.mentor), p.client(p.zorgcoordinator)
    mentor.get(URL), zc.get(URL)  # the first request of a session costs extra queries
    maak(3)
    weinig = [_aantal_queries(mentor, URL), _aantal_queries(zc, URL + "?weergave=alle"),
              _aantal_queries(mentor, "/mijn-klas/")]
    maak(27)
    veel = [_aantal_queries(mentor, URL), _aantal_queries(zc, URL + "?weergave=alle"),
            _aantal_queries(mentor, "/mijn-klas/")]
    assert weinig == veel
    with django_assert_max_num_queries(12):
        mentor.get(URL)


@pytest.mark.browser
def test_browser_mark_dropped_with_htmx_row_swap(page, live_server, demo_school_live):
    """In Chromium: dropping without a note shows the error in the row; with a note the row is
    swapped in place (no page load) and shows the new status."""
    from playwright.sync_api import expect

    from tests.browser import tweede_stap
    from zorg import demo
    from zorg.models import Gebruiker

    mentor = Gebruiker.objects.get(username="mentor")
    a = Afspraak.objects.create(school=demo_school_live.school, wat="Oudergesprek plannen", eigenaar=mentor,
                                uiterlijk=dag(-2))
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("mentor")
    page.get_by_label("Wachtwoord").fill(demo.DEMO_WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    tweede_stap(page, "mentor")  # the demo TOTP code
    page.goto(f"{live_server.url}{URL}")
    rij = page.locator(f"#afspraak-{a.pk}")
    expect(rij).to_contain_text("te laat (2 d)")
    page.evaluate("window.geenHerlaad = true")
    rij.get_by_role("button", name="Vervallen").click()
    expect(page.locator(f"#afspraak-{a.pk}")).to_contain_text("Geef aan waarom de afspraak vervalt.")
    page.locator(f"#notitie-{a.pk}").fill("Ouders hebben zelf contact gezocht")
    page.locator(f"#afspraak-{a.pk}").get_by_role("button", name="Vervallen").click()
    expect(page.locator(f"#afspraak-{a.pk}")).to_contain_text("De afspraak is vervallen.")
    expect(page.locator(f"#afspraak-{a.pk}")).to_contain_text("Ouders hebben zelf contact gezocht")
    assert page.evaluate("window.geenHerlaad") is True  # swapped by htmx, not reloaded
    a.refresh_from_db()
    assert (a.status, a.notitie) == ("vervallen", "Ouders hebben zelf contact gezocht")
