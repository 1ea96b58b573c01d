"""The mentor's start page within its query budget (issue 11): the user's roles in one query, and the bell's
count of unread notices taken from the page's own list of the newest ones; the count stays right there and on
every other page (the menu counts them itself when a template shows the bell)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from zorg import toegang
from zorg.models import Functie, Gebruiker, Notificatie

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


def _teller(html):
    start = html.find('<span class="teller">')
    if start < 0:
        return None
    return int(html[start + len('<span class="teller">'):html.index("</span>", start)])


def _meldingen(user, n):
    return [Notificatie.objects.create(ontvanger=user, tekst=f"Melding {i}") for i in range(n)]


@pytest.mark.parametrize("aantal", [0, 3, 7])
def test_the_bell_counts_every_unread_notice_on_the_klas_page_and_elsewhere(benoemde_personas, aantal):
    p = benoemde_personas
    _meldingen(p.mentor, aantal)
    Notificatie.objects.create(ontvanger=p.mentor, tekst="Al gelezen", gelezen_op=timezone.now())
    Notificatie.objects.create(ontvanger=p.docent, tekst="Van een ander")
    client = p.client(p.mentor)
    for url in ["/mijn-klas/", "/besprekingen/afspraken/", "/meldingen/"]:
        html = client.get(url).content.decode()
        assert _teller(html) == (aantal or None), url
    html = client.get("/mijn-klas/").content.decode()
    assert html.count("Melding ") >= min(aantal, 5)


def test_htmx_list_does_not_count_the_notices(benoemde_personas):
    """The klas list refreshed by htmx shows no bell: the count is not queried at all."""
    p = benoemde_personas
    _meldingen(p.mentor, 2)
    client = p.client(p.mentor)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/mijn-klas/?q=a", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert not any('COUNT(*)' in q["sql"] and "zorg_notificatie" in q["sql"] for q in ctx.captured_queries)


def test_roles_in_one_query(benoemde_personas):
    p = benoemde_personas
    # A user with everything at once: two functies (one teamleider of an afdeling), mentor and docent.
    user = p.mentor
    jaar = p.jaar
    Functie.objects.create(gebruiker=user, schooljaar=jaar, soort=Functie.Soort.TEAMLEIDER, afdeling=p.klas_a.afdeling)
    Functie.objects.create(gebruiker=user, schooljaar=jaar, soort=Functie.Soort.DIRECTIE)
    f.LesopdrachtFactory(docent=user, klas=p.klas_b)
    vers = Gebruiker.objects.get(pk=user.pk)
    toegang.huidig_schooljaar(vers, p.school)  # cached per request already by the middleware
    with CaptureQueriesContext(connection) as ctx:
        r = toegang.rollen(vers, p.school)
    assert len(ctx.captured_queries) == 1
    assert r.functies == {Functie.Soort.DOCENT, Functie.Soort.TEAMLEIDER, Functie.Soort.DIRECTIE}
    assert r.teamleider_afdelingen == {p.klas_a.afdeling_id}
    assert r.mentor_klassen == {p.klas_a.pk} and r.docent_klassen == {p.klas_b.pk}
    assert not r.is_ouder and not r.is_extern
    assert {"teamleider", "directie", "mentor", "docent"} <= set(r.namen)
    # Ouder and external contact, without a school.
    for persona, ouder, extern in [(p.ouder_user, True, False), (p.extern, False, True)]:
        r = toegang.rollen(Gebruiker.objects.get(pk=persona.pk), None)
        assert (r.is_ouder, r.is_extern) == (ouder, extern)
