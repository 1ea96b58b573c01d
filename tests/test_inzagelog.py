"""The inzagelog: the zorgcoördinator reads it per pupil from the dossier, a parent per own child;
the external partner's views show up there; nobody else reads it."""

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from extern.models import ExterneToegang, Instelling, Verwijzing
from tests import factories as f
from zorg.models import Inzage


def zc_url(leerling):
    return f"/extern/inzagelog/leerlingen/{leerling.pk}/"


def ouder_url(leerling):
    return f"/ouders/kinderen/{leerling.pk}/inzagelog/"


@pytest.fixture
def gelogd(personas):
    """The mentor read in_a's dossier; the partner of Jeugdteam Oost opened its referral file."""
    p = personas
    p.mentor_client = p.client(p.mentor)
    assert p.mentor_client.get(f"/leerlingen/{p.in_a.pk}/").status_code == 200
    instelling = Instelling.objects.create(school=p.school, naam="Jeugdteam Oost")
    contact = p.extern.contactpersoon
    contact.instelling = instelling
    contact.save()
    consent = f.ToestemmingFactory(leerling=p.in_a, doel="verwijzing", instelling=instelling, ouder=p.ouder)
    verwijzing = Verwijzing.objects.create(school=p.school, leerling=p.in_a, instelling=instelling, reden="Zorgen",
                                           secties=["hulpvraag"], toestemming=consent)
    ExterneToegang.objects.create(verwijzing=verwijzing, contactpersoon=contact,
                                  tot=timezone.localdate() + timezone.timedelta(days=10))
    assert p.client(p.extern).get(f"/extern/partner/verwijzingen/{verwijzing.pk}/").status_code == 200
    return p


def test_zorgcoordinator_sees_every_row(gelogd):
    p = gelogd
    response = p.client(p.zorgcoordinator).get(zc_url(p.in_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(p.mentor.naam) in html
    assert "externe partner (Jeugdteam Oost)" in html
    assert escape(p.extern.naam) in html
    assert "Verwijsdossier" in html


def test_zorgcoordinator_link_on_dossier(gelogd):
    p = gelogd
    assert zc_url(p.in_a) in p.client(p.zorgcoordinator).get(f"/leerlingen/{p.in_a.pk}/").content.decode()
    assert zc_url(p.in_a) not in p.mentor_client.get(f"/leerlingen/{p.in_a.pk}/").content.decode()


def test_zorgcoordinator_log_is_paginated(personas):
    p = personas
    Inzage.objects.bulk_create(Inzage(gebruiker=p.mentor, gebruiker_naam=f"Lezer {i}", rol="mentor",
                                      leerling=p.in_a, onderdeel="dossier") for i in range(120))
    client = p.client(p.zorgcoordinator)
    html = client.get(zc_url(p.in_a)).content.decode()
    assert html.count("<tr>") == 51  # header + 50 rows
    assert "pagina 1 van 3" in html
    assert client.get(zc_url(p.in_a) + "?pagina=3").content.decode().count("<tr>") == 21
    assert client.get(zc_url(p.in_a) + "?pagina=x").status_code == 200


def test_others_cannot_read_the_log(gelogd):
    p = gelogd
    for user in (p.mentor, p.docent, p.teamleider, p.specialist, p.andere_mentor, p.extern, p.zonder_rol,
                 p.ouder_user, p.beheerder):
        assert p.client(user).get(zc_url(p.in_a)).status_code == 404, user
    assert p.client(p.zorgcoordinator).get(zc_url(p.elders)).status_code == 404


def test_parent_reads_own_childs_log(gelogd):
    p = gelogd
    client = p.client(p.ouder_user)
    assert client.get(f"/ouders/kinderen/{p.in_a.pk}/").status_code == 200  # logs the parent's own visit
    html = client.get(f"/ouders/kinderen/{p.in_a.pk}/").content.decode()
    assert ouder_url(p.in_a) in html
    response = client.get(ouder_url(p.in_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "externe partner (Jeugdteam Oost)" in html
    assert escape(p.mentor.naam) in html
    assert "Ouderportaal" not in html  # own visits are left out


def test_parent_cannot_read_other_childs_log(gelogd):
    p = gelogd
    ander = f.GebruikerFactory()
    f.OuderRelatieFactory(ouder=f.OuderFactory(gebruiker=ander), leerling=p.in_b)
    assert p.client(ander).get(ouder_url(p.in_a)).status_code == 404
    assert p.client(p.ouder_user).get(ouder_url(p.in_b)).status_code == 404
    for user in (p.mentor, p.zorgcoordinator, p.extern, p.docent):
        assert p.client(user).get(ouder_url(p.in_a)).status_code == 404, user
    assert p.client(p.ouder_user).post(ouder_url(p.in_a)).status_code == 405


@pytest.mark.parametrize("taal", ["nl", "pap"])
def test_parent_log_is_exactly_the_log_written_by_staff_views(gelogd, taal):
    """Every row the staff views wrote (dossier, plan page, plan PDF, referral file) is on the
    parent's page, one card each, with name and role; the parent's own portal reads are not."""
    from plannen.models import Handelingsplan


    p = gelogd
    plan = Handelingsplan.objects.create(leerling=p.in_a, auteur=p.mentor, status="vastgesteld")
    zc = p.client(p.zorgcoordinator)
    assert zc.get(f"/plannen/handelingsplannen/{plan.pk}/").status_code == 200
    assert zc.get(f"/plannen/handelingsplannen/{plan.pk}/pdf/").status_code == 200
    p.ouder_user.taal = taal
    p.ouder_user.save()
    ouder = p.client(p.ouder_user)
    ouder.get(f"/ouders/kinderen/{p.in_a.pk}/")
    ouder.get(f"/ouders/plannen/{plan.pk}/")
    rijen = list(Inzage.objects.filter(leerling=p.in_a).exclude(gebruiker=p.ouder_user))
    assert len(rijen) >= 4 and Inzage.objects.filter(leerling=p.in_a, gebruiker=p.ouder_user).count() == 2
    html = ouder.get(ouder_url(p.in_a)).content.decode()
    assert html.count('class="portaal-kaart"') == len(rijen)
    for rij in rijen:
        assert escape(rij.gebruiker_naam) in html
    with translation.override(taal):
        assert escape(translation.gettext("zorgcoördinator")) in html
