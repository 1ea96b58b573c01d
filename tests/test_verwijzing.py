"""Verwijzingen on the school side: the consent gate, the status flow with dates, terugkoppeling,
access grants, the referral page and PDF, and who may use which URL."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from besprekingen import dashboard
from besprekingen.models import Afspraak, Agendapunt, Bespreking
from extern import verwijzing as regels
from extern.models import ExterneToegang, Terugkoppeling, Verwijzing
from tests import factories as f
from zorg import toegang
from zorg.models import Inzage, Notificatie

VANDAAG = timezone.localdate


def dag(n):
    return VANDAAG() + datetime.timedelta(days=n)


def vers(user):
    """A fresh user object: the access layer caches per user object (per request)."""
    return type(user).objects.get(pk=user.pk)


class Opzet:
    """in_a (mentor's klas) with the specialist as case-manager; a jeugdteam with the persona
    `extern` as contactpersoon and a colleague; another instelling of the same school."""

    def __init__(self, p):
        self.p = p
        self.school = p.school
        self.instelling = f.InstellingFactory(school=p.school, naam="Jeugdteam Oost")
        self.ander = f.InstellingFactory(school=p.school, naam="GGD West")
        self.contact = p.extern.contactpersoon
        self.contact.instelling = self.instelling
        self.contact.save()
        self.collega = f.ContactpersoonFactory(instelling=self.instelling, naam="Carla Collega")
        self.elders_contact = f.ContactpersoonFactory(instelling=self.ander)
        self.lln = p.in_a
        self.lln.case_manager = p.specialist
        self.lln.save()

    def toestemming(self, doel="verwijzing", instelling=None, leerling=None):
        leerling = leerling or self.lln
        ouder = f.OuderFactory()
        f.OuderRelatieFactory(ouder=ouder, leerling=leerling, gezag=True)
        return f.ToestemmingFactory(leerling=leerling, ouder=ouder, doel=doel, instelling=instelling or self.instelling)

    def verwijzing(self, secties=("hulpvraag",), contactpersoon=None, **extra):
        return regels.stel_op(self.p.zorgcoordinator, self.school, self.lln, self.instelling, "Zorgen thuis",
                              "Hoe helpen we haar?", list(secties), "Mentor houdt contact",
                              contactpersoon=contactpersoon, **extra)


@pytest.fixture
def o(personas):
    return Opzet(personas)


# --- The consent gate -----------------------------------------------------------------------------------


def test_no_consent_refused_with_message_and_input_kept(o):
    with pytest.raises(regels.VerwijzingFout) as fout:
        o.verwijzing()
    assert "toestemming" in fout.value.meldingen[0] and "Jeugdteam Oost" in fout.value.meldingen[0]
    r = o.p.client(o.p.zorgcoordinator).post(reverse("verwijzing_nieuw", args=[o.lln.pk]), {
        "instelling": o.instelling.pk, "reden": "Zorgen over de thuissituatie", "secties": ["hulpvraag"]})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Zorgen over de thuissituatie" in html and "nog geen toestemming" in html
    assert not Verwijzing.objects.exists()


def test_consent_for_another_instelling_refused(o):
    o.toestemming(instelling=o.ander)
    with pytest.raises(regels.VerwijzingFout):
        o.verwijzing()
    o.toestemming(doel="gegevens_delen")
    assert o.verwijzing().status == "aangemeld"


def test_vertrouwelijk_needs_overdracht_consent(o):
    toestemming = o.toestemming()
    with pytest.raises(regels.VerwijzingFout) as fout:
        o.verwijzing(secties=["hulpvraag", "vertrouwelijk"])
    assert "overdracht" in " ".join(fout.value.meldingen)
    o.toestemming(doel="overdracht")
    v = o.verwijzing(secties=["hulpvraag", "vertrouwelijk"], contactpersoon=o.contact)
    assert v.toestemming == toestemming and v.secties == ["hulpvraag", "vertrouwelijk"]
    # The contactpersoon got access for the school's period and a notice.
    grant = ExterneToegang.objects.get(verwijzing=v)
    assert grant.contactpersoon == o.contact and grant.vanaf == VANDAAG()
    assert grant.tot == regels.plus_maanden(VANDAAG(), o.school.toegang_extern_maanden)
    assert Notificatie.objects.filter(ontvanger=o.p.extern).exists()
    assert v in toegang.verwijzingen_extern(vers(o.p.extern))


def test_only_zorgcoordinator_or_case_manager_creates(o):
    o.toestemming()
    with pytest.raises(regels.VerwijzingFout):
        regels.stel_op(o.p.mentor, o.school, o.lln, o.instelling, "x")
    assert regels.stel_op(o.p.specialist, o.school, o.lln, o.instelling, "x").aangemaakt_door == o.p.specialist


def test_created_from_a_meeting_besluit_prefilled_and_linked(o):
    o.toestemming()
    p = o.p
    bespreking = Bespreking.objects.create(school=o.school, soort="izo", begin=timezone.now(),
                                           voorzitter=p.zorgcoordinator)
    punt = Agendapunt.objects.create(bespreking=bespreking, leerling=o.lln)
    afspraak = Afspraak.objects.create(school=o.school, bespreking=bespreking, agendapunt=punt, leerling=o.lln,
                                       soort="verwijzing", instelling=o.instelling, wat="Aanmelden bij jeugdteam",
                                       eigenaar=p.zorgcoordinator, uiterlijk=dag(14))
    client = p.client(p.zorgcoordinator)
    url = reverse("verwijzing_nieuw", args=[o.lln.pk])
    scherm = reverse("bespreking", args=[bespreking.pk]) + f"?punt={punt.pk}"
    assert f"{url}?afspraak={afspraak.pk}" in client.get(scherm).content.decode()
    html = client.get(url, {"afspraak": afspraak.pk}).content.decode()
    assert "Aanmelden bij jeugdteam" in html and f'value="{o.instelling.pk}" selected' in html
    r = client.post(url, {"afspraak": afspraak.pk, "instelling": o.instelling.pk, "reden": "Aanmelden bij jeugdteam",
                          "secties": ["hulpvraag", "interventies"], "contactpersoon": o.contact.pk})
    v = Verwijzing.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("verwijzing", args=[v.pk])
    assert v.afspraak == afspraak and v.agendapunt == punt
    # The meeting screen links to it now; a second visit of the form goes to the verwijzing.
    assert client.get(url, {"afspraak": afspraak.pk})["Location"] == reverse("verwijzing", args=[v.pk])
    assert reverse("verwijzing", args=[v.pk]) in client.get(scherm).content.decode()


# --- Status flow and dates --------------------------------------------------------------------------------


def test_transitions_allowed_and_refused_with_the_next_steps(o):
    o.toestemming()
    zc = o.p.zorgcoordinator
    v = o.verwijzing(contactpersoon=o.contact)
    v.aangemeld_op = dag(-30)
    v.save()
    with pytest.raises(regels.VerwijzingFout) as fout:
        regels.wijzig_status(zc, o.school, v, "gestart")
    assert "Van aangemeld naar gestart kan niet" in fout.value.meldingen[0]
    assert "wachtlijst, bevestigd, afgewezen" in fout.value.meldingen[0]
    regels.wijzig_status(zc, o.school, v, "wachtlijst", dag(-20))
    regels.wijzig_status(zc, o.school, v, "bevestigd", dag(-10))
    regels.wijzig_status(zc, o.school, v, "gestart", dag(-5))
    assert regels.wachttijden(v) == {"bevestigd": 20, "gestart": 25, "wacht": None}
    with pytest.raises(regels.VerwijzingFout) as fout:
        regels.wijzig_status(zc, o.school, v, "afgesloten", dag(0))
    assert "nazorg" in fout.value.meldingen[0]
    regels.wijzig_status(zc, o.school, v, "afgesloten", dag(0), nazorg="Mentor volgt haar")
    v.refresh_from_db()
    assert v.status == "afgesloten" and v.afgesloten_op == dag(0) and v.terugkijken_op == dag(42)
    # Closing ended the partner's access.
    assert v.toegangen.get().ingetrokken_op is not None
    assert toegang.verwijzingen_extern(vers(o.p.extern)) == []
    with pytest.raises(regels.VerwijzingFout) as fout:
        regels.wijzig_status(zc, o.school, v, "gestart")
    assert "kan niet meer veranderen" in fout.value.meldingen[0]


def test_afgewezen_from_wachtlijst_not_from_gestart(o):
    o.toestemming()
    zc = o.p.zorgcoordinator
    v = o.verwijzing()
    regels.wijzig_status(zc, o.school, v, "wachtlijst")
    regels.wijzig_status(zc, o.school, v, "afgewezen")
    assert v.afgewezen_op == VANDAAG()
    w = o.verwijzing()
    for stap in ("bevestigd", "gestart"):
        regels.wijzig_status(zc, o.school, w, stap)
    with pytest.raises(regels.VerwijzingFout) as fout:
        regels.wijzig_status(zc, o.school, w, "afgewezen")
    assert "afgesloten" in fout.value.meldingen[0]


def test_dates_not_in_the_future_nor_before_aangemeld(o):
    o.toestemming()
    v = o.verwijzing()
    v.aangemeld_op = dag(-3)
    v.save()
    zc = o.p.zorgcoordinator
    with pytest.raises(regels.VerwijzingFout) as fout:
        regels.wijzig_status(zc, o.school, v, "bevestigd", dag(1))
    assert "toekomst" in fout.value.meldingen[0]
    with pytest.raises(regels.VerwijzingFout) as fout:
        regels.wijzig_status(zc, o.school, v, "bevestigd", dag(-4))
    assert "vóór de aanmelding" in fout.value.meldingen[0]
    r = o.p.client(zc).post(reverse("verwijzing_status", args=[v.pk]), {"status": "bevestigd",
                                                                          "datum": dag(1).isoformat()})
    assert r.status_code == 400 and "toekomst" in r.content.decode()
    r = o.p.client(zc).post(reverse("verwijzing_status", args=[v.pk]), {"status": "gestart"})
    assert r.status_code == 400 and "Mogelijke volgende stappen" in r.content.decode()
    r = o.p.client(zc).post(reverse("verwijzing_status", args=[v.pk]), {"status": "bevestigd"})
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.status == "bevestigd" and v.bevestigd_op == VANDAAG()


# --- Terugkoppeling -----------------------------------------------------------------------------------------


def test_terugkoppeling_notifies_mentor_and_case_manager_and_is_listed(o):
    o.toestemming()
    v = o.verwijzing()
    zc = o.p.zorgcoordinator
    r = o.p.client(zc).post(reverse("verwijzing_terugkoppeling", args=[v.pk]),
                            {"soort": "bevestiging", "datum": VANDAAG().isoformat(), "tekst": "Telefonisch bevestigd"})
    assert r.status_code == 302
    t = Terugkoppeling.objects.get()
    assert not t.door_partner and t.auteur == zc
    ontvangers = set(Notificatie.objects.values_list("ontvanger_id", flat=True))
    assert {o.p.mentor.pk, o.p.specialist.pk} <= ontvangers and zc.pk not in ontvangers
    Terugkoppeling.objects.create(verwijzing=v, soort="gestart", datum=VANDAAG(), tekst="Eerste gesprek gehad",
                                  auteur=o.p.extern, door_partner=True)
    html = o.p.client(o.p.mentor).get(reverse("verwijzing", args=[v.pk])).content.decode()
    assert html.index("Eerste gesprek gehad") < html.index("Telefonisch bevestigd")
    # Bad input: a Dutch message, the text kept.
    r = o.p.client(zc).post(reverse("verwijzing_terugkoppeling", args=[v.pk]),
                            {"soort": "voortgang", "datum": dag(2).isoformat(), "tekst": "Mijn tekst"})
    assert r.status_code == 400 and "toekomst" in r.content.decode() and "Mijn tekst" in r.content.decode()


# --- Grants ---------------------------------------------------------------------------------------------------


def test_grants_renew_revoke_and_another_contact(o):
    o.toestemming()
    v = o.verwijzing(contactpersoon=o.contact)
    zc = o.p.zorgcoordinator
    client = o.p.client(zc)
    grant = v.toegangen.get()
    grant.vanaf, grant.tot = dag(-100), dag(-1)
    grant.save()
    assert toegang.verwijzingen_extern(vers(o.p.extern)) == []
    r = client.post(reverse("verwijzing_toegang_verlengen", args=[v.pk, grant.pk]))
    assert r.status_code == 302
    grant.refresh_from_db()
    assert grant.tot == regels.plus_maanden(VANDAAG(), o.school.toegang_extern_maanden)
    assert [x.pk for x in toegang.verwijzingen_extern(vers(o.p.extern))] == [v.pk]
    client.post(reverse("verwijzing_toegang_intrekken", args=[v.pk, grant.pk]))
    grant.refresh_from_db()
    assert grant.ingetrokken_op is not None
    assert toegang.verwijzingen_extern(vers(o.p.extern)) == []
    # Another contactpersoon of the same instelling; one of another instelling is refused.
    r = client.post(reverse("verwijzing_toegang", args=[v.pk]), {"contactpersoon": o.collega.pk})
    assert r.status_code == 302 and v.toegangen.filter(contactpersoon=o.collega).exists()
    r = client.post(reverse("verwijzing_toegang", args=[v.pk]), {"contactpersoon": o.elders_contact.pk})
    assert r.status_code == 400 and "Kies een contactpersoon van deze instelling" in r.content.decode()
    html = client.get(reverse("verwijzing", args=[v.pk])).content.decode()
    assert "ingetrokken op" in html and "Carla Collega" in html


# --- Pages, PDF, dashboard ----------------------------------------------------------------------------------


def test_page_logs_and_pdf_renders_and_is_logged_as_export(o):
    o.toestemming()
    f.DossieritemFactory(leerling=o.lln, soort="interventie", titel="Extra gesprekken", auteur=o.p.mentor)
    v = o.verwijzing(secties=["hulpvraag", "interventies", "plannen"])
    client = o.p.client(o.p.zorgcoordinator)
    html = client.get(reverse("verwijzing", args=[v.pk])).content.decode()
    assert "Hoe helpen we haar?" in html and "Mentor houdt contact" in html and "Extra gesprekken" in html
    assert Inzage.objects.filter(leerling=o.lln, onderdeel="verwijzing", object_id=str(v.pk)).exists()
    r = client.get(reverse("verwijzing_pdf", args=[v.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert Inzage.objects.filter(leerling=o.lln, onderdeel="verwijsdossier (export)", object_id=str(v.pk)).exists()


def test_lists_and_filters(o):
    o.toestemming()
    v = o.verwijzing()
    client = o.p.client(o.p.zorgcoordinator)
    assert o.lln.naam in client.get(reverse("verwijzingen")).content.decode()
    assert o.lln.naam not in client.get(reverse("verwijzingen"), {"status": "gestart"}).content.decode()
    assert o.lln.naam in client.get(reverse("verwijzingen"), {"instelling": o.instelling.pk}).content.decode()
    html = client.get(reverse("verwijzingen"), {"status": "onzin"}).content.decode()
    assert "Onbekende status" in html
    blok = o.p.client(o.p.mentor).get(reverse("verwijzingen_leerling", args=[o.lln.pk]), HTTP_HX_REQUEST="true")
    assert blok.status_code == 200 and reverse("verwijzing", args=[v.pk]) in blok.content.decode()
    blok_url = reverse("verwijzingen_leerling", args=[o.lln.pk])
    assert f'hx-get="{blok_url}"' in o.p.client(o.p.mentor).get(reverse("leerling", args=[o.lln.pk])).content.decode()


def test_preview_follows_the_chosen_sections(o):
    o.toestemming()
    client = o.p.client(o.p.zorgcoordinator)
    url = reverse("verwijzing_voorbeeld", args=[o.lln.pk])
    html = client.get(url, {"instelling": o.instelling.pk, "hulpvraag": "Slaapt slecht",
                            "secties": ["hulpvraag", "vertrouwelijk"]}).content.decode()
    assert "Slaapt slecht" in html and "geen geldige toestemming voor overdracht" in html
    assert o.p.client(o.p.mentor).get(url).status_code == 403


def test_dashboard_figure_equals_its_list(o):
    o.toestemming()
    oud, nieuw, met = o.verwijzing(), o.verwijzing(), o.verwijzing()
    Verwijzing.objects.filter(pk__in=[oud.pk, met.pk]).update(aangemeld_op=dag(-40))
    Terugkoppeling.objects.create(verwijzing=met, datum=dag(-2), tekst="x", auteur=o.p.zorgcoordinator)
    stand = dashboard.Stand(o.school, o.p.jaar, VANDAAG())
    assert list(dashboard.verwijzingen_zonder_terugkoppeling(stand)) == [oud]
    client = o.p.client(o.p.zorgcoordinator)
    lijst = client.get(reverse("dashboard_lijst", args=["verwijzingen"])).content.decode()
    assert lijst.count('<tr class="rij">') == 1 and reverse("verwijzing", args=[oud.pk]) in lijst
    assert nieuw.pk != oud.pk


# --- Who may use which URL --------------------------------------------------------------------------------


LEZERS = {"zorgcoordinator": 200, "directie": 200, "mentor": 200, "teamleider": 200, "specialist": 200}


@pytest.mark.parametrize("rol", ["zorgcoordinator", "directie", "mentor", "teamleider", "specialist", "docent",
                                 "andere_mentor", "beheerder", "ouder_user", "extern", "zonder_rol"])
def test_permission_matrix(o, rol):
    """Readers: whoever reads the pupil's meeting records (the specialist as case-manager here).
    Changing: the zorgcoördinator and the case-manager; other readers 403; everyone else 404."""
    o.toestemming()
    v = o.verwijzing(contactpersoon=o.contact)
    grant = v.toegangen.get()
    user = getattr(o.p, rol)
    client = o.p.client(user)
    lezer = rol in LEZERS
    beheer = rol in ("zorgcoordinator", "specialist")
    verwacht_lezen = 200 if lezer else 404
    verwacht_wijzigen = 302 if beheer else (403 if lezer else 404)
    assert client.get(reverse("verwijzing", args=[v.pk])).status_code == verwacht_lezen
    assert client.get(reverse("verwijzingen_leerling", args=[o.lln.pk])).status_code == verwacht_lezen
    assert client.get(reverse("verwijzing_nieuw", args=[o.lln.pk])).status_code == (
        200 if beheer else (403 if lezer else 404))
    assert client.get(reverse("verwijzingen")).status_code == (
        200 if rol in ("zorgcoordinator", "directie") else 404)
    assert client.post(reverse("verwijzing_terugkoppeling", args=[v.pk]), {
        "soort": "voortgang", "datum": VANDAAG().isoformat(), "tekst": "x"}).status_code == verwacht_wijzigen
    assert client.post(reverse("verwijzing_toegang_verlengen", args=[v.pk, grant.pk])).status_code == (
        verwacht_wijzigen)
    assert client.post(reverse("verwijzing_status", args=[v.pk]), {"status": "bevestigd"}).status_code == (
        verwacht_wijzigen)
    if lezer:
        assert client.get(reverse("verwijzing_pdf", args=[v.pk])).status_code == 200
    else:
        assert client.get(reverse("verwijzing_pdf", args=[v.pk])).status_code == 404
    assert client.get(reverse("verwijzing_status", args=[v.pk])).status_code in (404, 405)
