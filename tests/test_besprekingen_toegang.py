"""Who may see which meeting records (domain.md, Access: the "IZO/ZAT records" row), and the
ZAT consent gate, at the level of the access layer and the core services."""

import datetime

import pytest
from django.utils import timezone

from besprekingen import services
from besprekingen.aanmelding import meld_aan
from besprekingen.models import Bespreking
from extern.models import ExterneToegang, Verwijzing
from tests import factories as f
from zorg import toegang

pytestmark = pytest.mark.django_db


def _izo(p, soort="izo", leden=()):
    begin = timezone.now() + datetime.timedelta(days=7)
    return services.plan_bespreking(p.zorgcoordinator, p.school, soort, begin, p.zorgcoordinator,
                                    deelnemers=leden, uitnodigen=False)


def _op_agenda(p, bespreking, leerling, soort="izo", anoniem=False, door=None):
    door = door or p.zorgcoordinator
    aanmelding = meld_aan(door, p.school, leerling, soort, "Piekert veel", ouders_geinformeerd=True, anoniem=anoniem)
    return services.zet_op_agenda(p.zorgcoordinator, p.school, aanmelding, bespreking)


@pytest.fixture
def izo(personas):
    p = personas
    bespreking = _izo(p, leden=[p.specialist])
    punten = {lln: _op_agenda(p, bespreking, lln) for lln in (p.in_a, p.in_a2, p.in_b, p.toegewezen)}
    return bespreking, punten


def _zichtbaar(user, p, bespreking):
    return set(toegang.agendapunten_voor(user, p.school, bespreking).values_list("leerling_id", flat=True))


def test_zorgcoordinator_and_directie_read_every_item(personas, izo):
    p, (bespreking, punten) = personas, izo
    alle = {lln.pk for lln in punten}
    assert _zichtbaar(p.zorgcoordinator, p, bespreking) == alle
    assert _zichtbaar(p.directie, p, bespreking) == alle


def test_mentor_reads_only_own_pupils_items(personas, izo):
    p, (bespreking, _punten) = personas, izo
    assert _zichtbaar(p.mentor, p, bespreking) == {p.in_a.pk}
    assert _zichtbaar(p.andere_mentor, p, bespreking) == {p.in_b.pk, p.toegewezen.pk}
    assert toegang.mag_bespreking_lezen(p.mentor, p.school, bespreking)
    assert not toegang.mag_bespreking_leiden(p.mentor, p.school, bespreking)


def test_teamleider_reads_own_afdeling(personas, izo):
    p, (bespreking, _punten) = personas, izo
    assert _zichtbaar(p.teamleider, p, bespreking) == {p.in_a.pk, p.in_a2.pk}


def test_docent_reads_nothing(personas, izo):
    p, (bespreking, _punten) = personas, izo
    assert _zichtbaar(p.docent, p, bespreking) == set()
    assert not toegang.mag_bespreking_lezen(p.docent, p.school, bespreking)
    assert not toegang.besprekingen_voor(p.docent, p.school).exists()


def test_specialist_participant_reads_the_whole_meeting(personas, izo):
    p, (bespreking, punten) = personas, izo
    assert _zichtbaar(p.specialist, p, bespreking) == {lln.pk for lln in punten}
    # Not a participant of another IZO: only the assigned pupil there.
    ander = _izo(p)
    _op_agenda(p, ander, p.in_a, soort="leerlingbespreking")
    _op_agenda(p, ander, p.toegewezen, soort="leerlingbespreking")
    assert _zichtbaar(p.specialist, p, ander) == {p.toegewezen.pk}


def test_outsiders_and_other_schools_get_nothing(personas, izo):
    p, (bespreking, _punten) = personas, izo
    for user in (p.zonder_rol, p.ouder_user, p.beheerder):
        assert not toegang.besprekingen_voor(user, p.school).filter(pk=bespreking.pk).exists()
    from django.http import Http404

    with pytest.raises(Http404):
        toegang.bespreking_of_404(p.docent, p.school, bespreking.pk)


def test_extern_reads_only_referral_and_anonymous_items_of_meetings_they_attend(personas):
    p = personas
    contact = p.extern.contactpersoon
    contact.instelling.school = p.school
    contact.instelling.save()
    ouder_met_gezag = f.OuderRelatieFactory(leerling=p.in_b, gezag=True).ouder
    f.ToestemmingFactory(leerling=p.in_b, ouder=ouder_met_gezag, doel="zat")
    zat = services.plan_bespreking(p.zorgcoordinator, p.school, "zat", timezone.now(), p.zorgcoordinator,
                                   contactpersonen=[contact], uitnodigen=False)
    benoemd = _op_agenda(p, zat, p.in_b, soort="zat")
    anoniem = _op_agenda(p, zat, p.in_a2, soort="zat", anoniem=True)
    zonder_verwijzing = f.OuderRelatieFactory(leerling=p.toegewezen, gezag=True).ouder
    f.ToestemmingFactory(leerling=p.toegewezen, ouder=zonder_verwijzing, doel="zat")
    _op_agenda(p, zat, p.toegewezen, soort="zat")

    def zichtbaar():
        p.extern._toegang = {}
        return set(toegang.agendapunten_voor(p.extern, p.school, zat).values_list("pk", flat=True))

    assert zichtbaar() == {anoniem.pk}
    # A referral to their instelling with a running grant and consent naming the instelling opens the item.
    verwijzing = Verwijzing.objects.create(school=p.school, leerling=p.in_b, instelling=contact.instelling,
                                           reden="Gezinsbegeleiding")
    ExterneToegang.objects.create(verwijzing=verwijzing, contactpersoon=contact,
                                  tot=datetime.date.today() + datetime.timedelta(days=90))
    assert zichtbaar() == {anoniem.pk}  # no consent for the referral yet
    consent = f.ToestemmingFactory(leerling=p.in_b, ouder=ouder_met_gezag, doel="verwijzing",
                                   instelling=contact.instelling)
    assert zichtbaar() == {anoniem.pk, benoemd.pk}
    consent.status = "ingetrokken"
    consent.save()
    assert zichtbaar() == {anoniem.pk}
    assert list(toegang.besprekingen_voor(p.extern, p.school)) == [zat]
    # A meeting they do not attend shows nothing, even with a referral item.
    ander = _izo(p, soort="zat")
    assert not toegang.agendapunten_voor(p.extern, p.school, ander).exists()


def test_named_zat_item_without_consent_is_refused_and_anonymous_carries_no_name(personas):
    p = personas
    zat = _izo(p, soort="zat")
    with pytest.raises(services.BesprekingFout) as fout:
        meld_aan(p.mentor, p.school, p.in_a, "zat", "Piekert", ouders_geinformeerd=True)
    assert "toestemming" in str(fout.value)
    # An aanmelding for the IZO cannot be slipped onto a ZAT agenda by name either.
    aanmelding = meld_aan(p.mentor, p.school, p.in_a, "izo", "Piekert", ouders_geinformeerd=True)
    with pytest.raises(services.BesprekingFout):
        services.zet_op_agenda(p.zorgcoordinator, p.school, aanmelding, zat)
    punt = _op_agenda(p, zat, p.in_a, soort="zat", anoniem=True, door=p.mentor)
    assert punt.anoniem
    naam = services.punt_naam(punt)
    assert p.in_a.achternaam not in naam and p.in_a.voornaam not in naam
    assert "anoniem" in naam


def test_consent_of_a_parent_without_gezag_does_not_open_the_zat(personas):
    p = personas
    ouder = f.OuderRelatieFactory(leerling=p.in_a, gezag=False).ouder
    f.ToestemmingFactory(leerling=p.in_a, ouder=ouder, doel="zat")
    with pytest.raises(services.BesprekingFout):
        meld_aan(p.mentor, p.school, p.in_a, "zat", "Piekert", ouders_geinformeerd=True)


def test_only_care_roles_aanmelden_and_plan(personas):
    p = personas
    assert toegang.mag_aanmelden(p.mentor, p.school, p.in_a)
    assert not toegang.mag_aanmelden(p.docent, p.school, p.in_a)
    assert not toegang.mag_aanmelden(p.mentor, p.school, p.in_b)
    with pytest.raises(services.BesprekingFout):
        meld_aan(p.docent, p.school, p.in_a, "izo", "Piekert", ouders_geinformeerd=True)
    assert toegang.mag_bespreking_plannen(p.zorgcoordinator, p.school, "zat")
    assert not toegang.mag_bespreking_plannen(p.mentor, p.school, "izo")
    assert toegang.mag_bespreking_plannen(p.mentor, p.school, "groepsbespreking", p.klas_a)
    assert not toegang.mag_bespreking_plannen(p.mentor, p.school, "groepsbespreking", p.klas_b)
    with pytest.raises(services.BesprekingFout):
        services.plan_bespreking(p.mentor, p.school, "izo", timezone.now(), p.mentor, uitnodigen=False)


def test_aanmelding_needs_hulpvraag_and_informed_parents(personas):
    p = personas
    with pytest.raises(services.BesprekingFout) as fout:
        meld_aan(p.mentor, p.school, p.in_a, "izo", "  ")
    assert len(fout.value.meldingen) == 2
    meld_aan(p.mentor, p.school, p.in_a, "izo", "Piekert", ouders_niet_informeren_reden="Veiligheid leerling")
    with pytest.raises(services.BesprekingFout):  # one open aanmelding per kind
        meld_aan(p.mentor, p.school, p.in_a, "izo", "Piekert", ouders_geinformeerd=True)


def test_afspraken_visibility_and_who_closes_them(personas, izo):
    p, (_bespreking, punten) = personas, izo
    eigen = services.maak_afspraak(p.zorgcoordinator, p.school, "Oudergesprek", p.mentor, datetime.date.today(),
                                   agendapunt=punten[p.in_a])
    andere = services.maak_afspraak(p.zorgcoordinator, p.school, "Huisbezoek", p.specialist, datetime.date.today(),
                                    agendapunt=punten[p.in_b])
    assert set(toegang.afspraken_voor(p.mentor, p.school)) == {eigen}
    assert set(toegang.afspraken_voor(p.zorgcoordinator, p.school)) == {eigen, andere}
    assert not toegang.afspraken_voor(p.docent, p.school).exists()
    with pytest.raises(services.BesprekingFout):
        services.handel_af(p.mentor, p.school, andere.pk, "gedaan")
    with pytest.raises(services.BesprekingFout):  # dropping needs a reason
        services.handel_af(p.mentor, p.school, eigen.pk, "vervallen")
    klaar = services.handel_af(p.mentor, p.school, eigen.pk, "gedaan", "Gesprek gevoerd")
    assert klaar.status == "gedaan" and klaar.afgehandeld_door == p.mentor
    assert services.handel_af(p.zorgcoordinator, p.school, andere.pk, "vervallen", "Niet meer nodig").status == (
        "vervallen")


def test_afspraak_owner_must_work_at_the_school(personas, izo):
    p, (_bespreking, punten) = personas, izo
    buitenstaander = f.GebruikerFactory()
    with pytest.raises(services.BesprekingFout):
        services.maak_afspraak(p.zorgcoordinator, p.school, "Iets", buitenstaander, datetime.date.today(),
                               agendapunt=punten[p.in_a])


def test_one_groepsbespreking_per_klas_and_periode_with_nine_items(personas):
    p = personas
    periode = p.jaar.perioden.first()
    b = services.plan_bespreking(p.mentor, p.school, "groepsbespreking", timezone.now(), p.mentor, klas=p.klas_a,
                                 periode=periode, uitnodigen=False)
    assert list(b.agendapunten.values_list("nummer", flat=True)) == list(range(1, 10))
    with pytest.raises(services.BesprekingFout):
        services.plan_bespreking(p.mentor, p.school, "groepsbespreking", timezone.now(), p.mentor, klas=p.klas_a,
                                 periode=periode, uitnodigen=False)
    # The klas's docent reads it; a docent elsewhere does not.
    assert toegang.mag_bespreking_lezen(p.docent, p.school, b)
    assert not toegang.mag_bespreking_lezen(p.andere_mentor, p.school, b)
    assert toegang.mag_bespreking_leiden(p.mentor, p.school, b)
    assert not toegang.mag_bespreking_leiden(p.docent, p.school, b)
    assert Bespreking.objects.get(pk=b.pk).naam.endswith(p.klas_a.naam)


def test_a_withdrawn_or_refused_hulpvraag_takes_its_aanmelding_along(personas):
    from besprekingen.models import Aanmelding
    from leerlingen import route

    p = personas
    f.ZorgniveauFactory(zorgroute=p.route, volgorde=2, code="2", naam="IZO", besloten_in="izo",
                              besloten_door="zorgcoordinator")
    p.niveau1.besloten_door = "mentor"
    p.niveau1.save()
    for leerling, intrekken in ((p.in_a, True), (p.in_a2, False)):
        leerling.zorgniveau = p.niveau1
        leerling.save()
        aanvrager = p.mentor if intrekken else p.teamleider
        opschaling = route.vraag_aan(aanvrager, p.school, leerling, "Piekert veel")
        aanmelding = Aanmelding.objects.get(opschaling=opschaling)
        assert aanmelding.status == "aangemeld"
        if intrekken:
            route.trek_in(aanvrager, p.school, opschaling.pk)
        else:
            route.beslis(p.zorgcoordinator, p.school, opschaling.pk, False, "Eerst in de klas proberen")
        aanmelding.refresh_from_db()
        assert aanmelding.status == "ingetrokken"
        assert aanmelding.toelichting_status
