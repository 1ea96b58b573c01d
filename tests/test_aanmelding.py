"""Aanmelden for IZO/ZAT/leerlingbespreking: the rules, the assembled history, the zorgcoördinator's
queue (op agenda, terugsturen, aanvullen, intrekken), the zorgroute hook and the views."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from besprekingen import aanmelding as svc
from besprekingen import services
from besprekingen.models import Aanmelding, Agendapunt, Bespreking
from leerlingen import route
from leerlingen.models import Dossieritem
from plannen.models import Doel, Handelingsplan
from tests import factories as f
from zorg.models import Inzage, Notificatie
from zorg.zorgroutes import niveaus_van, pas_toe

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

Soort = Bespreking.Soort
GOED = {"hulpvraag": "Hoe houdt Aafke overzicht over haar huiswerk?", "ouders_geinformeerd": True}


def meld(p, leerling=None, soort=Soort.IZO, user=None, **kwargs):
    velden = {**GOED, **kwargs}
    return svc.meld_aan(user or p.mentor, p.school, leerling or p.in_a, soort, **velden)


def plan(p, soort=Soort.IZO, dagen=7):
    return services.plan_bespreking(
        p.zorgcoordinator, p.school, soort, timezone.now() + datetime.timedelta(days=dagen), p.zorgcoordinator,
        uitnodigen=False)


def toestemming(p, leerling=None):
    leerling = leerling or p.in_a
    return f.ToestemmingFactory(leerling=leerling, ouder=p.ouder, doel="zat")


# --- Rules ------------------------------------------------------------------------------------------


def test_meld_aan_lists_every_missing_piece_at_once(personas):
    with pytest.raises(services.BesprekingFout) as fout:
        svc.meld_aan(personas.mentor, personas.school, personas.in_a, Soort.IZO, "  ")
    tekst = " ".join(fout.value.meldingen)
    assert "Vul de hulpvraag van de leerling in" in tekst
    assert "Informeer de ouders" in tekst
    assert not Aanmelding.objects.exists()


def test_reason_not_to_inform_parents_is_accepted_and_zorgcoordinator_is_notified(personas):
    a = meld(personas, ouders_geinformeerd=False, ouders_niet_informeren_reden="Veiligheid thuis",
             aard_probleem="Concentratie", sterke_kanten="Sportief", thuissituatie="Verhuisd")
    assert a.status == Aanmelding.Status.AANGEMELD and a.ouders_niet_informeren_reden == "Veiligheid thuis"
    assert a.aard_probleem == "Concentratie" and a.sterke_kanten == "Sportief"
    assert Notificatie.objects.filter(ontvanger=personas.zorgcoordinator, url=reverse("aanmeldingen")).exists()


def test_one_open_aanmelding_per_kind(personas):
    meld(personas)
    with pytest.raises(services.BesprekingFout, match="al aangemeld voor"):
        meld(personas)
    meld(personas, soort=Soort.LEERLINGBESPREKING)  # another kind is fine


def test_who_may_aanmelden(personas):
    for user in (personas.docent, personas.andere_mentor, personas.beheerder):
        with pytest.raises(services.BesprekingFout, match="Alleen de mentor"):
            meld(personas, user=user)
    meld(personas, user=personas.teamleider)
    meld(personas, leerling=personas.toegewezen, user=personas.specialist)


def test_named_zat_needs_consent_anonymous_does_not(personas):
    with pytest.raises(services.BesprekingFout, match="toestemming van een ouder met gezag"):
        meld(personas, soort=Soort.ZAT)
    anoniem = meld(personas, soort=Soort.ZAT, anoniem=True)
    assert anoniem.anoniem and anoniem.toestemming is None
    svc.trek_in(personas.mentor, personas.school, anoniem.pk)
    t = toestemming(personas)
    benoemd = meld(personas, soort=Soort.ZAT)
    assert not benoemd.anoniem and benoemd.toestemming == t


def test_anonymous_only_means_something_for_zat(personas):
    assert not meld(personas, soort=Soort.IZO, anoniem=True).anoniem


def test_zat_agenda_refuses_named_item_without_consent_and_anonymous_item_carries_no_name(benoemde_personas):
    p = benoemde_personas
    zat = plan(p, Soort.ZAT)
    t = toestemming(p)
    benoemd = meld(p, soort=Soort.ZAT)
    t.status = "ingetrokken"
    t.save()
    with pytest.raises(services.BesprekingFout, match="niet op naam in het ZAT"):
        services.zet_op_agenda(p.zorgcoordinator, p.school, benoemd, zat)
    svc.trek_in(p.mentor, p.school, benoemd.pk)
    anoniem = meld(p, soort=Soort.ZAT, anoniem=True)
    punt = services.zet_op_agenda(p.zorgcoordinator, p.school, anoniem, zat)
    assert punt.anoniem and "Akkerman" not in services.punt_naam(punt)


# --- The assembled history ---------------------------------------------------------------------------


def test_history_lists_plans_evaluations_and_earlier_besluiten_never_vertrouwelijk(personas):
    p = personas
    f.DossieritemFactory(leerling=p.in_a, soort="interventie", hulpvraag="Plannen", effect="deels",
                         acties="Weekplanner", auteur=p.mentor)
    f.DossieritemFactory(leerling=p.in_a, soort="interventie", hulpvraag="GEHEIM-HULPVRAAG",
                         vertrouwelijkheid=Dossieritem.Vertrouwelijkheid.VERTROUWELIJK, auteur=p.specialist)
    plan_ = Handelingsplan.objects.create(leerling=p.in_a, auteur=p.mentor, status="geevalueerd",
                                          besluit="bijstellen", evaluatie_toelichting="Loopt beter")
    Doel.objects.create(handelingsplan=plan_, doel="Huiswerk elke dag plannen", resultaat="deels")
    Handelingsplan.objects.create(leerling=p.in_a, auteur=p.mentor, status="concept", inhoud="CONCEPTPLAN")
    izo = plan(p)
    punt = Agendapunt.objects.create(bespreking=izo, leerling=p.in_a, case_manager=p.specialist)
    services.maak_afspraak(p.zorgcoordinator, p.school, "Gesprek met ouders", p.mentor,
                           timezone.localdate(), agendapunt=punt)
    geheim = Agendapunt.objects.create(bespreking=izo, leerling=p.in_a, vertrouwelijk=True)
    services.maak_afspraak(p.zorgcoordinator, p.school, "GEHEIME-AFSPRAAK", p.mentor, timezone.localdate(),
                           agendapunt=geheim)

    tekst = svc.samengestelde_geschiedenis(p.in_a)
    assert "Weekplanner" in tekst
    assert "Handelingsplannen en evaluaties" in tekst
    assert "Huiswerk elke dag plannen → deels behaald" in tekst
    assert "bijstellen" in tekst and "Loopt beter" in tekst
    assert "Besluiten in eerdere besprekingen" in tekst
    assert "Gesprek met ouders" in tekst and "open" in tekst
    assert f"case-manager: {p.specialist.korte_naam}" in tekst
    for geheim_stuk in ("GEHEIM-HULPVRAAG", "GEHEIME-AFSPRAAK", "CONCEPTPLAN"):
        assert geheim_stuk not in tekst
    assert svc.samengestelde_geschiedenis(p.in_a2).count("geen") >= 3  # an empty dossier says so


# --- The queue ---------------------------------------------------------------------------------------


def test_queue_visibility_per_role(personas):
    p = personas
    eigen = meld(p)
    ander = meld(p, leerling=p.in_b, user=p.andere_mentor)
    door_teamleider = meld(p, leerling=p.in_a2, user=p.teamleider)

    def zichtbaar(user):
        return set(svc.wachtrij(user, p.school).values_list("pk", flat=True))

    assert zichtbaar(p.zorgcoordinator) == {eigen.pk, ander.pk, door_teamleider.pk}
    assert zichtbaar(p.directie) == {eigen.pk, ander.pk, door_teamleider.pk}
    assert zichtbaar(p.mentor) == {eigen.pk}
    assert zichtbaar(p.andere_mentor) == {ander.pk}
    assert zichtbaar(p.teamleider) == {eigen.pk, door_teamleider.pk}  # afdeling A
    assert zichtbaar(p.docent) == set()
    assert zichtbaar(p.beheerder) == set()


def test_terugsturen_aanvullen_and_intrekken(personas):
    p = personas
    a = meld(p)
    with pytest.raises(services.BesprekingFout, match="Alleen de zorgcoördinator"):
        svc.stuur_terug(p.mentor, p.school, a.pk, "Graag aanvullen")
    with pytest.raises(services.BesprekingFout, match="Geef aan wat er aangevuld moet worden"):
        svc.stuur_terug(p.zorgcoordinator, p.school, a.pk, " ")
    svc.stuur_terug(p.zorgcoordinator, p.school, a.pk, "Beschrijf de thuissituatie")
    a.refresh_from_db()
    assert a.status == Aanmelding.Status.TERUGGESTUURD and a.toelichting_status == "Beschrijf de thuissituatie"
    assert Notificatie.objects.filter(ontvanger=p.mentor, tekst__contains="teruggestuurd").exists()
    with pytest.raises(services.BesprekingFout, match="wachtende aanmelding"):
        svc.stuur_terug(p.zorgcoordinator, p.school, a.pk, "Nog eens")

    with pytest.raises(services.BesprekingFout, match="Alleen wie de leerling heeft aangemeld"):
        svc.vul_aan(p.teamleider, p.school, a.pk, hulpvraag="x", ouders_geinformeerd=True)
    with pytest.raises(services.BesprekingFout, match="Vul de hulpvraag"):
        svc.vul_aan(p.mentor, p.school, a.pk, hulpvraag="", ouders_geinformeerd=True)
    svc.vul_aan(p.mentor, p.school, a.pk, hulpvraag="Nieuwe hulpvraag", ouders_geinformeerd=True,
                thuissituatie="Twee huizen")
    a.refresh_from_db()
    assert a.status == Aanmelding.Status.AANGEMELD and a.thuissituatie == "Twee huizen" and not a.toelichting_status
    with pytest.raises(services.BesprekingFout, match="kan niet meer worden aangevuld"):
        svc.vul_aan(p.mentor, p.school, a.pk, hulpvraag="x", ouders_geinformeerd=True)

    services.zet_op_agenda(p.zorgcoordinator, p.school, a, plan(p))
    with pytest.raises(services.BesprekingFout, match="niet meer worden ingetrokken"):
        svc.trek_in(p.mentor, p.school, a.pk)
    b = meld(p, soort=Soort.LEERLINGBESPREKING)
    with pytest.raises(services.BesprekingFout, match="trekt een aanmelding in"):
        svc.trek_in(p.teamleider, p.school, b.pk)
    svc.trek_in(p.mentor, p.school, b.pk)
    b.refresh_from_db()
    assert b.status == Aanmelding.Status.INGETROKKEN
    meld(p, soort=Soort.LEERLINGBESPREKING)  # withdrawn: a new one may be made


def test_agenda_choices_only_planned_future_of_the_users_meetings(personas):
    p = personas
    izo = plan(p)
    plan(p, dagen=-3)  # past
    zat = plan(p, Soort.ZAT)
    assert svc.agenda_keuzes(p.zorgcoordinator, p.school) == {Soort.IZO: [izo], Soort.ZAT: [zat]}
    assert svc.agenda_keuzes(p.mentor, p.school) == {}


# --- The zorgroute hook -------------------------------------------------------------------------------


@pytest.fixture
def route_p(personas):
    pas_toe(personas.school, "nl_momenten")
    personas.n1, personas.n2, personas.n3, personas.n4 = niveaus_van(personas.school)
    return personas


def test_request_to_an_izo_level_also_lands_in_the_queue(route_p):
    p = route_p
    assert p.n3.besloten_in == "izo"
    p.in_a.zorgniveau = p.n2
    p.in_a.save()
    for _i in range(2):
        f.DossieritemFactory(leerling=p.in_a, soort="interventie", effect="deels", hulpvraag="h", auteur=p.mentor)
    opschaling = route.vraag_aan(p.mentor, p.school, p.in_a, "Faalangst bij toetsen", "Tips voor de klas")
    a = Aanmelding.objects.get(opschaling=opschaling)
    assert (a.soort, a.hulpvraag, a.begeleidingsvraag, a.aangemeld_door) == (
        "izo", "Faalangst bij toetsen", "Tips voor de klas", p.mentor)
    assert a.status == Aanmelding.Status.AANGEMELD and a.school == p.school
    assert a in svc.wachtrij(p.zorgcoordinator, p.school)


def test_request_to_a_level_not_decided_in_izo_or_zat_makes_no_aanmelding(route_p):
    p = route_p
    p.in_a.zorgniveau = p.n1
    p.in_a.save()
    f.DossieritemFactory(leerling=p.in_a, soort="interventie", effect="deels", hulpvraag="h", auteur=p.mentor)
    route.vraag_aan(p.mentor, p.school, p.in_a, "Hulp bij rekenen")
    assert not Aanmelding.objects.exists()


# --- Views ---------------------------------------------------------------------------------------------


def test_aanmelden_form_prefills_and_previews_and_logs(personas):
    p = personas
    f.DossieritemFactory(leerling=p.in_a, soort="interventie", hulpvraag="Vorige hulpvraag", effect="deels",
                         auteur=p.mentor)
    r = p.client(p.mentor).get(reverse("aanmelden", args=[p.in_a.pk]) + "?soort=zat")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Vorige hulpvraag" in html and "Handelingsplannen en evaluaties" in html
    assert "geen geldige toestemming" in html and "Anoniem bespreken" in html
    assert Inzage.objects.filter(leerling=p.in_a, gebruiker=p.mentor, onderdeel="aanmelding opstellen").exists()
    izo = p.client(p.mentor).get(reverse("aanmelden", args=[p.in_a.pk]) + "?soort=izo").content.decode()
    assert "Anoniem bespreken" not in izo and "Toestemming voor het ZAT" not in izo


def test_aanmelden_errors_rerender_with_input_kept(personas):
    p = personas
    url = reverse("aanmelden", args=[p.in_a.pk]) + "?soort=zat"
    r = p.client(p.mentor).post(url, {"hulpvraag": "Hulp bij plannen", "aard_probleem": "MIJN-INVOER",
                                      "ouders_geinformeerd": "on"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "toestemming van een ouder met gezag" in html and "MIJN-INVOER" in html and "Hulp bij plannen" in html
    r = p.client(p.mentor).post(url, {"hulpvraag": "", "aard_probleem": "NOG-EENS"})
    html = r.content.decode()
    assert "Vul de hulpvraag van de leerling in" in html and "NOG-EENS" in html
    assert not Aanmelding.objects.exists()
    r = p.client(p.mentor).post(url, {"hulpvraag": "Hulp bij plannen", "ouders_geinformeerd": "on", "anoniem": "on"})
    assert r.status_code == 302 and r["Location"] == reverse("leerling", args=[p.in_a.pk])
    assert Aanmelding.objects.get().anoniem


@pytest.mark.parametrize("wie", ["docent", "andere_mentor", "beheerder", "directie", "ouder_user", "extern",
                                 "zonder_rol"])
def test_aanmelden_is_404_for_others(personas, wie):
    r = personas.client(getattr(personas, wie)).get(reverse("aanmelden", args=[personas.in_a.pk]))
    assert r.status_code == 404


def test_dossier_page_shows_the_aanmelden_menu_only_to_aanmelders(personas):
    p = personas
    url = reverse("leerling", args=[p.in_a.pk])
    assert "Aanmelden IZO ▾" in p.client(p.mentor).get(url).content.decode()
    assert reverse("aanmelden", args=[p.in_a.pk]) + "?soort=zat" in p.client(p.mentor).get(url).content.decode()
    assert "Aanmelden IZO" not in p.client(p.docent).get(url).content.decode()


def test_queue_page_op_agenda_and_consent_refusal_message(personas):
    p = personas
    leeg = p.client(p.zorgcoordinator).get(reverse("aanmeldingen")).content.decode()
    assert "Er wachten geen aanmeldingen" in leeg
    izo, zat = plan(p), plan(p, Soort.ZAT)
    a_izo = meld(p)
    t = toestemming(p)
    a_zat = meld(p, soort=Soort.ZAT)
    t.delete()
    html = p.client(p.zorgcoordinator).get(reverse("aanmeldingen")).content.decode()
    assert reverse("aanmelding", args=[a_izo.pk]) in html and "geen toestemming ouders" in html
    r = p.client(p.zorgcoordinator).post(reverse("aanmelding_op_agenda", args=[a_zat.pk]), {"bespreking": zat.pk})
    assert r.status_code == 400
    assert "kan niet op naam in het ZAT worden besproken" in r.content.decode()
    r = p.client(p.zorgcoordinator).post(reverse("aanmelding_op_agenda", args=[a_izo.pk]), {"bespreking": zat.pk})
    assert r.status_code == 400 and "Kies een geplande bespreking uit de lijst" in r.content.decode()
    r = p.client(p.zorgcoordinator).post(reverse("aanmelding_op_agenda", args=[a_izo.pk]), {"bespreking": izo.pk})
    assert r.status_code == 302
    a_izo.refresh_from_db()
    assert a_izo.status == Aanmelding.Status.INGEPLAND and a_izo.agendapunt.bespreking == izo
    mentor = p.client(p.mentor).get(reverse("aanmeldingen")).content.decode()
    assert "Ingepland" in mentor and "Op agenda" not in mentor


def test_queue_terugsturen_keeps_input_and_aanvullen_view(personas):
    p = personas
    a = meld(p)
    zc = p.client(p.zorgcoordinator)
    r = zc.post(reverse("aanmelding_terugsturen", args=[a.pk]), {"reden": "", "vanaf": "wachtrij"})
    assert r.status_code == 400 and "Geef aan wat er aangevuld moet worden" in r.content.decode()
    r = zc.post(reverse("aanmelding_terugsturen", args=[a.pk]), {"reden": "Thuissituatie ontbreekt"})
    assert r.status_code == 302
    teamleider = p.client(p.teamleider)
    assert teamleider.post(reverse("aanmelding_terugsturen", args=[a.pk]), {"reden": "x"}).status_code == 403
    assert p.client(p.teamleider).get(reverse("aanmelding_aanvullen", args=[a.pk])).status_code == 403
    mentor = p.client(p.mentor)
    r = mentor.get(reverse("aanmelding_aanvullen", args=[a.pk]))
    assert r.status_code == 200 and "Thuissituatie ontbreekt" in r.content.decode()
    r = mentor.post(reverse("aanmelding_aanvullen", args=[a.pk]), {"hulpvraag": "", "thuissituatie": "BEWAARD"})
    assert r.status_code == 200 and "BEWAARD" in r.content.decode()
    r = mentor.post(reverse("aanmelding_aanvullen", args=[a.pk]),
                    {"hulpvraag": "Aangevuld", "thuissituatie": "Bij moeder", "ouders_geinformeerd": "on"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == Aanmelding.Status.AANGEMELD and a.thuissituatie == "Bij moeder"
    assert mentor.post(reverse("aanmelding_intrekken", args=[a.pk])).status_code == 302
    a.refresh_from_db()
    assert a.status == Aanmelding.Status.INGETROKKEN


def test_detail_logs_inzage_and_is_404_for_outsiders(personas):
    p = personas
    a = meld(p)
    r = p.client(p.zorgcoordinator).get(reverse("aanmelding", args=[a.pk]))
    assert r.status_code == 200 and GOED["hulpvraag"] in r.content.decode()
    assert Inzage.objects.filter(leerling=p.in_a, gebruiker=p.zorgcoordinator, onderdeel="aanmelding",
                                 object_id=str(a.pk)).exists()
    for user in (p.docent, p.andere_mentor, p.beheerder, p.ouder_user, p.extern):
        assert p.client(user).get(reverse("aanmelding", args=[a.pk])).status_code == 404
        assert p.client(user).post(reverse("aanmelding_intrekken", args=[a.pk])).status_code == 404
    assert p.client(p.mentor).get(reverse("aanmelding_op_agenda", args=[a.pk])).status_code == 405


def test_queue_page_for_roles(personas):
    p = personas
    meld(p)
    for user, status in [(p.zorgcoordinator, 200), (p.mentor, 200), (p.docent, 200), (p.ouder_user, 404),
                         (p.extern, 404), (p.zonder_rol, 404)]:
        assert p.client(user).get(reverse("aanmeldingen")).status_code == status, user
    assert "U hebt geen open aanmeldingen" in p.client(p.docent).get(reverse("aanmeldingen")).content.decode()
