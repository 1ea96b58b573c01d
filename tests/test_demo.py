"""The shared demo-school builder and its two management commands."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from leerlingen.models import Betrokkene, Klasplaatsing, Leerling, OuderRelatie
from tests.inloggen import inloggen, tweede_stap
from zorg import demo
from zorg.models import Gebruiker, Klas, School, Schooljaar

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


def _bouw_en_lees(**kwargs):
    """Build a demo school inside a savepoint, read what identifies it, then roll it all back."""
    with transaction.atomic():
        demo.bouw_school(**kwargs)
        leerlingen = list(
            Leerling.objects.order_by("leerlingnummer").values_list(
                "leerlingnummer", "voornaam", "tussenvoegsel", "achternaam", "geboortedatum", "zorgniveau__code",
                "plaatsingen__klas__naam",
            )
        )
        personeel = sorted(Gebruiker.objects.values_list("username", "first_name", "last_name"))
        ouders = sorted(OuderRelatie.objects.values_list("leerling__leerlingnummer", "ouder__voornaam", "relatie"))
        transaction.set_rollback(True)
    assert not School.objects.exists()  # really rolled back: the next build starts from an empty database
    return leerlingen, personeel, ouders


@pytest.mark.django_db
def test_builder_is_deterministic_per_seed():
    eerste = _bouw_en_lees(klassen=4, leerlingen_per_klas=6, seed=7)
    tweede = _bouw_en_lees(klassen=4, leerlingen_per_klas=6, seed=7)
    assert eerste == tweede
    ander = _bouw_en_lees(klassen=4, leerlingen_per_klas=6, seed=8)
    assert [r[1:4] for r in ander[0]] != [r[1:4] for r in eerste[0]]


@pytest.mark.django_db
@pytest.mark.parametrize(("klassen", "per_klas", "jaren"), [(3, 3, 1), (5, 4, 3)])
def test_builder_is_sized_by_its_parameters(klassen, per_klas, jaren):
    school = demo.bouw_school(klassen=klassen, leerlingen_per_klas=per_klas, schooljaren=jaren).school
    assert Leerling.objects.filter(school=school).count() == klassen * per_klas
    assert Schooljaar.objects.filter(school=school).count() == jaren
    huidig = school.huidig_schooljaar()
    assert Klas.objects.filter(schooljaar=huidig).count() == klassen
    assert Klas.objects.filter(schooljaar__school=school).count() == klassen * jaren
    # Every pupil has exactly one klas per schooljaar; every klas has per_klas pupils and a mentor.
    assert Klasplaatsing.objects.filter(klas__schooljaar=huidig).count() == klassen * per_klas
    assert Klasplaatsing.objects.count() == klassen * per_klas * jaren
    for klas in Klas.objects.filter(schooljaar=huidig):
        assert klas.plaatsingen.count() == per_klas
        assert klas.mentoren.count() == 1
    # Pupils at the higher levels have an assigned specialist; every pupil has an ouder.
    assert not Leerling.objects.filter(ouderrelaties__isnull=True).exists()
    hoog = Leerling.objects.filter(zorgniveau__volgorde__gte=3)
    assert Betrokkene.objects.filter(leerling__in=hoog).count() == hoog.count()


@pytest.mark.django_db
def test_builder_works_with_two_klassen():
    """With two klassen the demo mentor's klas is also the last one: the demo parent's "other" child
    must still be a different pupil (it was the same one twice: IntegrityError on ouderrelatie_uniek)."""
    demo.bouw_school(klassen=2, leerlingen_per_klas=2)
    kinderen = Leerling.objects.filter(ouderrelaties__ouder__gebruiker__username="ouder")
    assert kinderen.count() == 2


@pytest.mark.django_db
def test_region_has_one_set_of_demo_logins():
    scholen = demo.bouw_regio(scholen=2, klassen=3, leerlingen_per_klas=2)
    assert [s.school.code for s in scholen] == ["demo", "school2"]
    assert scholen[0].logins and not scholen[1].logins
    assert Gebruiker.objects.filter(username="mentor").count() == 1


DEMO_START = {
    "mentor": "/mijn-klas/",
    "docent": "/mijn-klassen/",
    "teamleider": "/afdeling/",
    "zorgcoordinator": "/besprekingen/dashboard/",
    "specialist": "/mijn-leerlingen/",
    "directie": "/school/",
    "beheer": "/beheer/",
    "ouder": "/ouders/",
    "extern": "/extern/",
    "mama": "/ouders/",
    "leerling": "/leerling/",
}


@pytest.mark.parametrize("username", sorted(DEMO_START))
def test_demo_logins_land_on_their_own_start_page(demo_school, username):
    client = Client()
    response = client.post("/inloggen/", {"username": username, "password": demo.DEMO_WACHTWOORD})
    assert response["Location"] == "/"
    tweede_stap(client, username)  # staff and partners: the demo TOTP code (zorg/demo_tweestaps.py)
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert [url for url, _status in response.redirect_chain] == [DEMO_START[username]]


def test_demo_logins_dict_names_every_role(demo_school):
    assert set(demo_school.logins) == {
        "mentor", "docent", "teamleider", "zorgcoördinator", "zorgteam specialist", "directie",
        "applicatiebeheerder", "ouder", "externe partner", "ouder (Papiamento)", "leerling",
    }
    assert set(demo_school.logins.values()) == set(DEMO_START)


def test_demo_mentor_sees_exactly_the_pupils_of_their_klas(demo_school):
    mentor = Gebruiker.objects.get(username="mentor")
    huidig = demo_school.school.huidig_schooljaar()
    klas = Klas.objects.get(schooljaar=huidig, mentoren=mentor)
    verwacht = set(Leerling.objects.filter(plaatsingen__klas=klas).values_list("pk", flat=True))
    assert len(verwacht) == 5

    client = Client()
    assert inloggen(client, "mentor", demo.DEMO_WACHTWOORD)
    html = client.get("/mijn-klas/").content.decode()
    assert f"Mijn klas {klas.naam}" in html
    gelinkt = {int(pk) for pk in re.findall(r'href="/leerlingen/(\d+)/"', html)}
    assert gelinkt == verwacht


def test_demo_parent_has_two_children_in_different_klassen(demo_school):
    ouder = Gebruiker.objects.get(username="ouder")
    kinderen = Leerling.objects.filter(ouderrelaties__ouder__gebruiker=ouder)
    assert kinderen.count() == 2
    huidig = demo_school.school.huidig_schooljaar()
    klassen = set(Klas.objects.filter(schooljaar=huidig, plaatsingen__leerling__in=kinderen).values_list("pk"))
    assert len(klassen) == 2


def test_demo_school_command_if_empty_builds_once(db):
    out = io.StringIO()
    args = ["--if-empty", "--klassen", "3", "--leerlingen-per-klas", "2", "--schooljaren", "1"]
    call_command("demo_school", *args, stdout=out)
    assert "Demo gebouwd" in out.getvalue()
    assert School.objects.count() == 1
    aantallen = (Leerling.objects.count(), Gebruiker.objects.count(), Klas.objects.count())
    # The enrolled pupils; the served demo also has three former pupils (zorg/demo_beveiliging.py).
    assert Leerling.objects.filter(uitstroomdatum__isnull=True).count() == 6
    assert Leerling.objects.filter(uitstroomdatum__isnull=False).count() == 3

    out = io.StringIO()
    call_command("demo_school", *args, stdout=out)
    assert "niet opnieuw gebouwd" in out.getvalue()
    assert School.objects.count() == 1
    assert (Leerling.objects.count(), Gebruiker.objects.count(), Klas.objects.count()) == aantallen


def test_demo_logins_command_prints_all_nine_roles(demo_school):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    tekst = out.getvalue()
    assert demo.DEMO_WACHTWOORD in tekst
    regels = [r.split() for r in tekst.splitlines()[1:]]
    gevonden = {regel[-1] for regel in regels if regel}
    assert gevonden == set(DEMO_START)
    for rol in ("mentor", "docent", "teamleider", "zorgcoördinator", "zorgteam specialist", "directie", "ouder",
                "externe partner", "applicatiebeheerder"):
        assert re.search(rf"^\s+{rol}\s+\S+$", tekst, re.MULTILINE), rol


def test_no_history_row_lies_in_the_future(demo_school):
    """Demo entries of today get a time of day; the audit (newest first) must not show them above
    what really happened since the demo was built. The builder's last step pulls such rows back."""
    from django.apps import apps
    from django.utils import timezone

    from leerlingen.models import Dossieritem

    later = timezone.now() + datetime.timedelta(hours=5)
    Dossieritem.history.filter(pk__in=Dossieritem.history.values("pk")[:3]).update(history_date=later)
    demo._geen_geschiedenis_in_de_toekomst()
    nu = timezone.now()
    historisch = [m for m in apps.get_models() if any(v.name == "history_date" for v in m._meta.fields)]
    assert len(historisch) > 20
    te_laat = {m.__name__: m.objects.filter(history_date__gt=nu).count() for m in historisch}
    assert not any(te_laat.values()), te_laat
