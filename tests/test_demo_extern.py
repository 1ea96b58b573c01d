"""Demo data for issue 6 (zorg/demo_extern.py): partners, consents in every state, referrals in every
status, and the demo extern login seeing exactly the files with a running grant and valid consent."""

import datetime

import pytest
from django.utils import timezone

from extern import toestemming as regels
from extern.models import Contactpersoon, ExterneToegang, Instelling, Terugkoppeling, Toestemming, Verwijzing
from leerlingen.models import OuderRelatie
from zorg import demo, toegang
from zorg.models import Gebruiker, School

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


def test_register_has_the_dutch_partners_with_contacts(demo_school):
    school = demo_school.school
    soorten = set(Instelling.objects.filter(school=school).values_list("soort", flat=True))
    assert {"jeugdzorg", "ggd", "leerplicht", "smw", "swv", "veilig_thuis", "ambulant"} <= soorten
    for instelling in Instelling.objects.filter(school=school):
        assert instelling.contactpersonen.exists(), instelling
    extern = Gebruiker.objects.get(username="extern")
    assert extern.contactpersoon.instelling.soort == "jeugdzorg" and extern.contactpersoon.actief
    assert Contactpersoon.objects.filter(instelling__school=school, actief=False).exists()


def test_every_referral_status_and_consent_state_is_present(demo_school):
    school = demo_school.school
    statussen = set(Verwijzing.objects.filter(school=school).values_list("status", flat=True))
    assert statussen == set(Verwijzing.Status.values)
    toestemmingen = Toestemming.objects.filter(leerling__school=school).exclude(doel="zorgniveau")
    assert set(toestemmingen.values_list("status", flat=True)) == set(Toestemming.Status.values)
    assert set(toestemmingen.values_list("doel", flat=True)) >= {"zat", "verwijzing", "gegevens_delen", "overdracht"}
    gegeven = toestemmingen.filter(status="gegeven")
    assert set(gegeven.values_list("wijze", flat=True)) == {"papier", "digitaal"}
    vandaag = timezone.localdate()
    assert gegeven.filter(geldig_tot__lt=vandaag).exists()  # verlopen
    assert toestemmingen.filter(status="ingetrokken", ingetrokken_op__isnull=False).exists()
    assert toestemmingen.filter(status="geweigerd").exclude(reden="").exists()


def test_referral_dates_and_closure(demo_school):
    school = demo_school.school
    vandaag = timezone.localdate()
    for v in Verwijzing.objects.filter(school=school):
        datums = [d for d in (v.aangemeld_op, v.bevestigd_op, v.gestart_op, v.afgesloten_op) if d]
        assert datums == sorted(datums) and max(datums) <= vandaag, v
        assert v.secties and v.taak_school
        assert v.toestemming.doel == "verwijzing" and v.toestemming.instelling_id == v.instelling_id
        # Every referral's consent counts: given by an ouder with gezag (and the pupil where needed).
        assert regels.geldige(v.leerling, ["verwijzing"], instelling=v.instelling) is not None, v
    gesloten = Verwijzing.objects.filter(school=school, status="afgesloten").first()
    assert gesloten.nazorg and gesloten.terugkijken_op and gesloten.afgesloten_op
    assert Verwijzing.objects.get(school=school, status="wachtlijst").wachtlijst_op
    assert Verwijzing.objects.get(school=school, status="afgewezen").afgewezen_op
    koppelingen = Terugkoppeling.objects.filter(verwijzing__school=school)
    assert koppelingen.filter(door_partner=True).exists() and koppelingen.filter(door_partner=False).exists()


def test_consents_are_given_by_an_ouder_with_gezag(demo_school):
    for t in Toestemming.objects.filter(leerling__school=demo_school.school).exclude(status="aangevraagd"):
        assert t.ouder_id is not None
        assert OuderRelatie.objects.filter(ouder=t.ouder, leerling=t.leerling, gezag=True).exists(), t


def test_the_demo_parent_has_a_consent_to_answer(demo_school):
    open_ = Toestemming.objects.filter(status="aangevraagd",
                                       leerling__ouderrelaties__ouder__gebruiker__username="ouder")
    assert open_.exists()
    assert open_.first().toelichting


def test_zat_referral_afspraken_have_their_verwijzing(demo_school):
    from besprekingen.models import Afspraak

    afspraken = Afspraak.objects.filter(school=demo_school.school, soort="verwijzing")
    for afspraak in afspraken:
        v = afspraak.verwijzingen.get()
        assert v.leerling_id == afspraak.leerling_id and v.instelling_id == afspraak.instelling_id
        assert v.agendapunt_id == afspraak.agendapunt_id


def test_extern_login_sees_exactly_the_files_with_a_running_grant(demo_school):
    extern = Gebruiker.objects.get(username="extern")
    vandaag = timezone.localdate()
    zichtbaar = {v.pk for v in toegang.verwijzingen_extern(extern)}
    lopend = set(ExterneToegang.objects.filter(contactpersoon__gebruiker=extern, vanaf__lte=vandaag, tot__gte=vandaag,
                                               ingetrokken_op=None).values_list("verwijzing_id", flat=True))
    verlopen = set(ExterneToegang.objects.filter(contactpersoon__gebruiker=extern, tot__lt=vandaag)
                   .values_list("verwijzing_id", flat=True))
    assert len(zichtbaar) >= 2 and zichtbaar == lopend
    assert verlopen and not verlopen & zichtbaar
    jeugdteam = extern.contactpersoon.instelling
    assert Verwijzing.objects.filter(pk__in=zichtbaar).exclude(instelling=jeugdteam).count() == 0
    # One file shows the confidential part (overdracht given), the other does not (refused).
    overdracht = [regels.geldige(v.leerling, ["overdracht"], instelling=jeugdteam) is not None
                  for v in Verwijzing.objects.filter(pk__in=zichtbaar)]
    assert True in overdracht and False in overdracht


@pytest.mark.django_db
def test_extern_build_is_a_fixed_small_size_and_deterministic():
    # Bigger school, same number of external rows; no extra accounts.
    klein = demo.bouw_school(code="klein", klassen=2, leerlingen_per_klas=3, demo_logins=False)
    groot = demo.bouw_school(code="groot", klassen=6, leerlingen_per_klas=12, demo_logins=False)
    aantallen = [(Verwijzing.objects.filter(school=s.school).count(),
                  Instelling.objects.filter(school=s.school).count()) for s in (klein, groot)]
    assert aantallen[0][1] == aantallen[1][1] and aantallen[1][0] <= 12


@pytest.mark.django_db
def test_aruba_school_gets_dsz_and_wgk():
    from zorg import demo_extern

    gebouwd = demo.bouw_school(code="aw", klassen=2, leerlingen_per_klas=4, demo_logins=False)
    school = gebouwd.school
    # Build the partners again for an Aruban copy of the school's setup: only the register part matters.
    School.objects.filter(pk=school.pk).update(land="AW")
    school.refresh_from_db()
    Instelling.objects.filter(school=school).exclude(soort="jeugdzorg").update(actief=False)
    staf = type("Staf", (), {"zc": Gebruiker.objects.get(username="aw.zorgcoordinator")})
    demo_extern.bouw_extern(school, staf, datetime.date.today(), historie=False)
    assert {"dsz", "wgk"} <= set(Instelling.objects.filter(school=school, actief=True).values_list("soort", flat=True))
