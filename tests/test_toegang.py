"""The permission matrix of the access layer (domain.md, "Access"): who sees which pupil and klas.

Out of scope answers 404 (existence is not revealed); anonymous users are sent to the login page.
Every read of a pupil page is written to the inzagelog.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone
from guardian.shortcuts import assign_perm

from tests import factories as f
from tests.inloggen import wachtwoord_klopt
from zorg import toegang
from zorg.models import Functie, Inzage

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

PUPILS = ["in_a", "in_a2", "in_b", "toegewezen", "elders"]
HELE_SCHOOL = {"in_a", "in_a2", "in_b", "toegewezen"}

# Per role (attribute of Personas), the pupils in scope according to domain.md's Access table.
SCOPE = {
    "mentor": {"in_a"},  # own klas
    "andere_mentor": {"in_b", "toegewezen"},  # own klas
    "docent": {"in_a"},  # pupils they teach
    "teamleider": {"in_a", "in_a2"},  # own afdeling
    "zorgcoordinator": HELE_SCHOOL,  # whole school
    "specialist": {"toegewezen"},  # assigned pupils
    "directie": HELE_SCHOOL,  # whole school
    "beheerder": set(),  # applicatiebeheerder: configuration, no pupils
    "ouder_user": {"in_a"},  # own children
    "extern": set(),  # referred with consent: no referrals exist here
    "zonder_rol": set(),
}

# The role written to the inzagelog for an in-scope read.
ROL_IN_LOG = {
    "mentor": "mentor",
    "andere_mentor": "mentor",
    "docent": "docent",
    "teamleider": "teamleider",
    "zorgcoordinator": "zorgcoördinator",
    "specialist": "zorgteam",
    "directie": "directie",
    "ouder_user": "ouder/verzorger",
}


def pagina(rol, leerling):
    """The page on which this role reads a pupil: the staff's pupil page, or the parent portal's."""
    return f"/ouders/kinderen/{leerling.pk}/" if rol == "ouder_user" else f"/leerlingen/{leerling.pk}/"


def scope_van(p, user):
    """The pupils the access layer gives this user: at the school for staff, any school for parents."""
    school = None if user.is_authenticated and hasattr(user, "ouder") else p.school
    return set(toegang.leerlingen_voor(user, school).values_list("pk", flat=True))


def pks(p, namen):
    return {getattr(p, naam).pk for naam in namen}


@pytest.mark.parametrize("rol", sorted(SCOPE))
def test_matrix_scope_and_pupil_page(personas, rol):
    p = personas
    user = getattr(p, rol)
    assert scope_van(p, user) == pks(p, SCOPE[rol]), f"leerlingen_voor({rol}) wijkt af van domain.md"

    client = p.client(user)
    fouten = []
    for naam in PUPILS:
        leerling = getattr(p, naam)
        verwacht = 200 if naam in SCOPE[rol] else 404
        status = client.get(pagina(rol, leerling)).status_code
        if status != verwacht:
            fouten.append(f"{rol} → {naam}: {status}, verwacht {verwacht}")
        # The other page (staff page for a parent, parent page for staff) is never open.
        andere = f"/leerlingen/{leerling.pk}/" if rol == "ouder_user" else f"/ouders/kinderen/{leerling.pk}/"
        status = client.get(andere).status_code
        if status != 404:
            fouten.append(f"{rol} → {andere}: {status}, verwacht 404")
    assert not fouten, "\n".join(fouten)


def test_anonymous_sees_nothing_and_is_sent_to_login(personas):
    p = personas
    assert not toegang.leerlingen_voor(AnonymousUser(), p.school).exists()
    client = Client()
    for naam in PUPILS:
        url = f"/leerlingen/{getattr(p, naam).pk}/"
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/inloggen/?next={url}"


def test_parent_cannot_open_another_childs_id(personas):
    p = personas
    client = p.client(p.ouder_user)
    assert client.get(f"/ouders/kinderen/{p.in_a.pk}/").status_code == 200
    for naam in ["in_a2", "in_b", "toegewezen", "elders"]:
        assert client.get(f"/ouders/kinderen/{getattr(p, naam).pk}/").status_code == 404
    # A child of another parent: still not theirs, and no inzage is written for it.
    ander_kind = f.OuderRelatieFactory(leerling=p.in_a2).leerling
    assert client.get(f"/ouders/kinderen/{ander_kind.pk}/").status_code == 404
    assert ander_kind.pk not in toegang.kinderen_voor(p.ouder_user).values_list("pk", flat=True)
    assert not Inzage.objects.filter(leerling=ander_kind).exists()
    # The other parent does see that child, but not ours.
    andere_ouder = p.client(ander_kind.ouderrelaties.get().ouder.gebruiker)
    assert andere_ouder.get(f"/ouders/kinderen/{ander_kind.pk}/").status_code == 200
    assert andere_ouder.get(f"/ouders/kinderen/{p.in_a.pk}/").status_code == 404


def test_parent_at_a_school_where_they_also_work_keeps_both_views(personas):
    """A docent whose own child is at the school: staff scope and parent scope stay separate."""
    p = personas
    f.OuderRelatieFactory(ouder=f.OuderFactory(gebruiker=p.docent), leerling=p.in_b)
    client = p.client(p.docent)
    assert client.get(f"/ouders/kinderen/{p.in_b.pk}/").status_code == 200
    assert client.get(f"/leerlingen/{p.in_b.pk}/").status_code == 404  # not taught: no staff access
    assert client.get(f"/leerlingen/{p.in_a.pk}/").status_code == 200
    assert client.get(f"/ouders/kinderen/{p.in_a.pk}/").status_code == 404


def test_docent_cannot_open_a_pupil_they_do_not_teach(personas):
    p = personas
    client = p.client(p.docent)
    assert client.get(f"/leerlingen/{p.in_a.pk}/").status_code == 200
    assert client.get(f"/leerlingen/{p.in_a2.pk}/").status_code == 404  # same afdeling, not taught
    assert client.get(f"/leerlingen/{p.in_b.pk}/").status_code == 404
    # A nonsense id answers 404 too, not 500.
    assert client.get("/leerlingen/999999999/").status_code == 404


def test_pupil_of_another_school_is_invisible_even_for_school_wide_roles(personas):
    p = personas
    for user in (p.zorgcoordinator, p.directie):
        assert p.elders.pk not in scope_van(p, user)
        assert p.client(user).get(f"/leerlingen/{p.elders.pk}/").status_code == 404
    # A zorgcoördinator of the other school sees that pupil, and none of ours.
    zc_elders = f.GebruikerFactory()
    f.FunctieFactory(gebruiker=zc_elders, schooljaar=p.andere_klas.schooljaar, soort=Functie.Soort.ZORGCOORDINATOR)
    client = p.client(zc_elders)
    assert client.get(f"/leerlingen/{p.elders.pk}/").status_code == 200
    assert client.get(f"/leerlingen/{p.in_a.pk}/").status_code == 404


def test_last_years_klas_gives_no_access_this_year(personas):
    p = personas
    begin = p.jaar.begin
    vorig_jaar = f.SchooljaarFactory(
        school=p.school, begin=datetime.date(begin.year - 1, 8, 1), einde=datetime.date(begin.year, 7, 31)
    )
    oude_klas = f.KlasFactory(schooljaar=vorig_jaar, afdeling=p.afdeling_b, naam="3H", mentoren=[p.mentor])
    f.KlasplaatsingFactory(klas=oude_klas, leerling=p.in_b)  # in_b was in the mentor's klas last year
    oud_alleen = f.KlasplaatsingFactory(klas=oude_klas).leerling  # left after last year

    assert scope_van(p, p.mentor) == {p.in_a.pk}
    client = p.client(p.mentor)
    assert client.get(f"/leerlingen/{p.in_b.pk}/").status_code == 404
    assert client.get(f"/leerlingen/{oud_alleen.pk}/").status_code == 404
    assert client.get(f"/klassen/{oude_klas.pk}/").status_code == 404
    assert oude_klas.pk not in toegang.rollen(p.mentor, p.school).mentor_klassen


def test_ended_specialist_assignment_gives_no_access(personas):
    p = personas
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    f.BetrokkeneFactory(leerling=p.in_b, gebruiker=p.specialist, vanaf=p.jaar.begin, tot=gisteren)
    # Starting in the future: not yet.
    f.BetrokkeneFactory(
        leerling=p.in_a2, gebruiker=p.specialist, vanaf=timezone.localdate() + datetime.timedelta(days=3)
    )
    # Ending today: still valid today ("tot en met").
    f.BetrokkeneFactory(leerling=p.in_a, gebruiker=p.specialist, vanaf=p.jaar.begin, tot=timezone.localdate())

    assert scope_van(p, p.specialist) == {p.toegewezen.pk, p.in_a.pk}
    client = p.client(p.specialist)
    assert client.get(f"/leerlingen/{p.in_b.pk}/").status_code == 404
    assert client.get(f"/leerlingen/{p.in_a2.pk}/").status_code == 404
    assert client.get(f"/leerlingen/{p.in_a.pk}/").status_code == 200
    pagina = client.get("/mijn-leerlingen/").content.decode()
    assert f"/leerlingen/{p.in_b.pk}/" not in pagina
    assert f"/leerlingen/{p.in_a2.pk}/" not in pagina
    assert f"/leerlingen/{p.toegewezen.pk}/" in pagina


def test_explicit_guardian_grant_gives_access(personas):
    p = personas
    client = p.client(p.docent)
    assert client.get(f"/leerlingen/{p.in_b.pk}/").status_code == 404
    assign_perm("leerlingen.inzien_leerling", p.docent, p.in_b)
    assert p.in_b.pk in set(toegang.leerlingen_voor(p.docent, p.school).values_list("pk", flat=True))
    assert client.get(f"/leerlingen/{p.in_b.pk}/").status_code == 200
    assert Inzage.objects.get(leerling=p.in_b).rol == "gedeeld dossier"
    # The grant is for that one pupil only, and another permission does not count.
    assert client.get(f"/leerlingen/{p.in_a2.pk}/").status_code == 404
    assign_perm("leerlingen.change_leerling", p.docent, p.in_a2)
    assert client.get(f"/leerlingen/{p.in_a2.pk}/").status_code == 404


def test_grant_for_a_pupil_of_another_school_does_not_leak_into_this_school(personas):
    p = personas
    assign_perm("leerlingen.inzien_leerling", p.docent, p.elders)
    assert p.elders.pk not in scope_van(p, p.docent)
    assert p.client(p.docent).get(f"/leerlingen/{p.elders.pk}/").status_code == 404


def test_blocked_user_sees_nothing(personas):
    p = personas
    client = p.client(p.zorgcoordinator)
    assert client.get(f"/leerlingen/{p.in_a.pk}/").status_code == 200
    p.zorgcoordinator.is_active = False
    p.zorgcoordinator.save()
    assert not toegang.leerlingen_voor(p.zorgcoordinator, p.school).exists()
    # The existing session no longer counts: back to the login page.
    url = f"/leerlingen/{p.in_a.pk}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
    assert not wachtwoord_klopt(Client(), "zorgcoordinator", f.WACHTWOORD)


# --- klassen ---------------------------------------------------------------------------------

KLAS_SCOPE = {
    "mentor": {"klas_a"},
    "andere_mentor": {"klas_b"},
    "docent": {"klas_a"},
    "teamleider": {"klas_a", "klas_a2"},
    "zorgcoordinator": {"klas_a", "klas_a2", "klas_b"},
    "specialist": {"klas_b"},  # the klas of the pupil assigned to them (toegewezen)
    "directie": {"klas_a", "klas_a2", "klas_b"},
    "beheerder": set(),
    "ouder_user": set(),
    "extern": set(),
    "zonder_rol": set(),
}
KLASSEN = ["klas_a", "klas_a2", "klas_b", "andere_klas"]


@pytest.mark.parametrize("rol", sorted(KLAS_SCOPE))
def test_klas_pages_in_and_out_of_scope(personas, rol):
    p = personas
    user = getattr(p, rol)
    assert set(toegang.klassen_voor(user, p.school).values_list("pk", flat=True)) == pks(p, KLAS_SCOPE[rol])
    client = p.client(user)
    fouten = []
    for naam in KLASSEN:
        verwacht = 200 if naam in KLAS_SCOPE[rol] else 404
        status = client.get(f"/klassen/{getattr(p, naam).pk}/").status_code
        if status != verwacht:
            fouten.append(f"{rol} → {naam}: {status}, verwacht {verwacht}")
    assert not fouten, "\n".join(fouten)


def test_klas_page_anonymous_goes_to_login(personas):
    response = Client().get(f"/klassen/{personas.klas_a.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/?next=")


# --- inzagelog -------------------------------------------------------------------------------


@pytest.mark.parametrize("rol", sorted(ROL_IN_LOG))
def test_reading_a_pupil_page_writes_one_inzage_with_dutch_role(personas, rol):
    p = personas
    user = getattr(p, rol)
    leerling = getattr(p, sorted(SCOPE[rol])[0])
    assert not Inzage.objects.exists()
    response = p.client(user).get(pagina(rol, leerling))
    assert response.status_code == 200
    inzage = Inzage.objects.get()
    assert inzage.gebruiker == user
    assert inzage.gebruiker_naam == user.naam
    assert inzage.leerling == leerling
    assert inzage.rol == ROL_IN_LOG[rol]
    assert inzage.onderdeel == ("ouderportaal" if rol == "ouder_user" else "dossier")


def test_each_read_is_logged_again_and_404_writes_nothing(personas):
    p = personas
    client = p.client(p.mentor)
    client.get(f"/leerlingen/{p.in_a.pk}/")
    client.get(f"/leerlingen/{p.in_a.pk}/")
    assert Inzage.objects.filter(leerling=p.in_a, gebruiker=p.mentor).count() == 2
    for naam in ["in_a2", "in_b", "toegewezen", "elders"]:
        assert client.get(f"/leerlingen/{getattr(p, naam).pk}/").status_code == 404
    assert client.get("/leerlingen/999999999/").status_code == 404
    assert Inzage.objects.count() == 2
    Client().get(f"/leerlingen/{p.in_a.pk}/")  # anonymous
    assert Inzage.objects.count() == 2


# --- query count -----------------------------------------------------------------------------


@pytest.mark.parametrize("rol", ["mentor", "docent", "teamleider", "zorgcoordinator", "specialist", "beheerder"])
def test_leerlingen_voor_is_one_query_once_rollen_is_cached(personas, django_assert_num_queries, rol):
    p = personas
    user = getattr(p, rol)
    toegang.rollen(user, p.school)  # what the request does first (middleware, decorator)
    with django_assert_num_queries(1):
        gevonden = {lln.pk for lln in toegang.leerlingen_voor(user, p.school)}
    assert gevonden == pks(p, SCOPE[rol])


def test_leerlingen_voor_query_count_does_not_grow_with_pupils(personas, django_assert_num_queries):
    p = personas
    for _ in range(20):
        f.KlasplaatsingFactory(klas=p.klas_a)
    toegang.rollen(p.mentor, p.school)
    with django_assert_num_queries(1):
        assert len(list(toegang.leerlingen_voor(p.mentor, p.school))) == 21
