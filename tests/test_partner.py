"""The external partner's own pages: only referral files to their instelling, while a grant runs and
consent counts (checked on every request); read-only apart from terugkoppeling, which notifies the
school; every view written to the inzagelog."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from extern.models import ExterneToegang, Instelling, Terugkoppeling, Toestemming, Verwijzing
from tests import factories as f
from zorg.models import Inzage, Notificatie


def _url(verwijzing):
    return f"/extern/partner/verwijzingen/{verwijzing.pk}/"


def verwijs(p, leerling, instelling, contact, secties=("hulpvraag", "interventies"), dagen=30, toestemming=True):
    """A referral of `leerling` to `instelling` with (by default) consent and a running grant."""
    consent = None
    if toestemming:
        consent = f.ToestemmingFactory(leerling=leerling, doel="verwijzing", instelling=instelling, ouder=p.ouder)
    verwijzing = Verwijzing.objects.create(
        school=leerling.school, leerling=leerling, instelling=instelling, contactpersoon=contact,
        reden="Zorgen over thuissituatie", hulpvraag="Hulp bij faalangst", secties=list(secties),
        toestemming=consent, taak_school="Mentor houdt wekelijks contact", aangemaakt_door=p.zorgcoordinator,
    )
    ExterneToegang.objects.create(verwijzing=verwijzing, contactpersoon=contact,
                                  tot=timezone.localdate() + datetime.timedelta(days=dagen))
    return verwijzing


@pytest.fixture
def opzet(personas):
    p = personas
    p.instelling = Instelling.objects.create(school=p.school, naam="Jeugdteam Oost", soort="jeugdzorg")
    p.contact = p.extern.contactpersoon
    p.contact.instelling = p.instelling
    p.contact.save()
    f.OuderRelatieFactory(ouder=p.ouder, leerling=p.in_b)
    p.in_a.case_manager = p.specialist
    p.in_a.save()
    p.verwijzing = verwijs(p, p.in_a, p.instelling, p.contact)
    # The same pupil's other school-side data and another instelling's referral.
    p.ander = Instelling.objects.create(school=p.school, naam="GGD West", soort="ggd")
    anders_contact = f.ContactpersoonFactory(instelling=p.ander)
    p.andere_verwijzing = verwijs(p, p.in_b, p.ander, anders_contact)
    return p


def test_start_lists_only_own_referrals(opzet):
    p = opzet
    html = p.client(p.extern).get("/extern/").content.decode()
    assert escape(p.in_a.naam) in html
    assert _url(p.verwijzing) in html
    assert p.in_b.naam not in html
    assert "Testcollege" in html


def test_start_empty_state(personas):
    html = personas.client(personas.extern).get("/extern/").content.decode()
    assert "geen leerlingen naar u verwezen" in html


def test_file_shows_referral_and_logs(opzet):
    p = opzet
    f.DossieritemFactory(leerling=p.in_a, soort="interventie", hulpvraag="Concentratie", acties="Extra uitleg",
                         auteur=p.mentor, titel="Interventie concentratie")
    response = p.client(p.extern).get(_url(p.verwijzing))
    assert response.status_code == 200
    html = response.content.decode()
    for tekst in ("Zorgen over thuissituatie", "Hulp bij faalangst", "Mentor houdt wekelijks contact", "Extra uitleg"):
        assert tekst in html
    rij = Inzage.objects.get(leerling=p.in_a, gebruiker=p.extern)
    assert rij.onderdeel == "verwijsdossier"
    assert rij.object_id == str(p.verwijzing.pk)
    assert "Jeugdteam Oost" in rij.rol


def test_other_instelling_other_school_and_dossier_are_404(opzet):
    p = opzet
    client = p.client(p.extern)
    assert client.get(_url(p.andere_verwijzing)).status_code == 404
    assert client.get(f"/leerlingen/{p.in_a.pk}/").status_code == 404
    assert client.get(f"/leerlingen/{p.in_b.pk}/").status_code == 404
    assert client.get("/extern/partner/verwijzingen/999999/").status_code == 404
    # A referral of the elders pupil by another school, to an instelling of that school.
    elders_inst = Instelling.objects.create(school=p.andere_school, naam="Jeugdteam Elders")
    elders = verwijs(p, p.elders, elders_inst, f.ContactpersoonFactory(instelling=elders_inst))
    assert client.get(_url(elders)).status_code == 404
    assert not Inzage.objects.filter(gebruiker=p.extern).exists()


def test_staff_and_parents_cannot_open_partner_page(opzet):
    p = opzet
    for user in (p.zorgcoordinator, p.mentor, p.docent, p.ouder_user, p.zonder_rol):
        assert p.client(user).get(_url(p.verwijzing)).status_code == 404, user


def test_referral_without_grant_for_this_contact_is_404(opzet):
    p = opzet
    collega = f.ContactpersoonFactory(instelling=p.instelling)  # same instelling, no grant
    assert p.client(collega.gebruiker).get(_url(p.verwijzing)).status_code == 404


def test_confidential_only_with_section_and_overdracht_consent(opzet):
    p = opzet
    f.DossieritemFactory(leerling=p.in_a, soort="notitie", vertrouwelijkheid="vertrouwelijk",
                         titel="Diagnose ADHD", tekst="Medische gegevens", auteur=p.zorgcoordinator)
    client = p.client(p.extern)
    assert "Diagnose ADHD" not in client.get(_url(p.verwijzing)).content.decode()
    p.verwijzing.secties = ["hulpvraag", "vertrouwelijk"]
    p.verwijzing.save()
    assert "Diagnose ADHD" not in client.get(_url(p.verwijzing)).content.decode()  # no overdracht consent
    f.ToestemmingFactory(leerling=p.in_a, doel="overdracht", instelling=p.instelling, ouder=p.ouder)
    assert "Diagnose ADHD" in p.client(p.extern).get(_url(p.verwijzing)).content.decode()


def test_expired_grant_cuts_access(opzet):
    p = opzet
    client = p.client(p.extern)
    assert client.get(_url(p.verwijzing)).status_code == 200
    ExterneToegang.objects.filter(verwijzing=p.verwijzing).update(tot=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(_url(p.verwijzing)).status_code == 404
    assert p.in_a.naam not in client.get("/extern/").content.decode()


def test_withdrawn_grant_cuts_access(opzet):
    p = opzet
    client = p.client(p.extern)
    ExterneToegang.objects.filter(verwijzing=p.verwijzing).update(ingetrokken_op=timezone.now())
    assert client.get(_url(p.verwijzing)).status_code == 404


def test_withdrawn_consent_cuts_access_at_once(opzet):
    p = opzet
    client = p.client(p.extern)
    assert client.get(_url(p.verwijzing)).status_code == 200
    Toestemming.objects.filter(pk=p.verwijzing.toestemming_id).update(status="ingetrokken",
                                                                       ingetrokken_op=timezone.now())
    assert client.get(_url(p.verwijzing)).status_code == 404
    response = client.post(_url(p.verwijzing), {"soort": "voortgang", "datum": timezone.localdate().isoformat(),
                                                 "tekst": "Nog iets"})
    assert response.status_code == 404
    assert not Terugkoppeling.objects.exists()


def test_consent_for_other_instelling_does_not_count(opzet):
    p = opzet
    Toestemming.objects.filter(pk=p.verwijzing.toestemming_id).update(instelling=p.ander)
    assert p.client(p.extern).get(_url(p.verwijzing)).status_code == 404


def test_terugkoppeling_is_stored_and_notifies(opzet):
    p = opzet
    vandaag = timezone.localdate()
    response = p.client(p.extern).post(_url(p.verwijzing), {
        "soort": "bevestiging", "datum": vandaag.isoformat(), "tekst": "Aanmelding bevestigd, intake 3 maart."})
    assert response.status_code == 302
    t = Terugkoppeling.objects.get(verwijzing=p.verwijzing)
    assert (t.soort, t.datum, t.door_partner, t.auteur) == ("bevestiging", vandaag, True, p.extern)
    for ontvanger in (p.zorgcoordinator, p.mentor, p.specialist):
        melding = Notificatie.objects.get(ontvanger=ontvanger)
        assert "Jeugdteam Oost" in melding.tekst and p.in_a.naam in melding.tekst
    assert not Notificatie.objects.filter(ontvanger__in=[p.extern, p.docent, p.andere_mentor]).exists()
    html = p.client(p.extern).get(_url(p.verwijzing)).content.decode()
    assert "Aanmelding bevestigd, intake 3 maart." in html


@pytest.mark.parametrize("data, melding", [
    ({"soort": "voortgang", "datum": "2999-01-01", "tekst": "Loopt goed"}, "De datum ligt in de toekomst"),
    ({"soort": "voortgang", "datum": "morgen", "tekst": "Loopt goed"}, "Vul een geldige datum in"),
    ({"soort": "voortgang", "datum": "2024-01-01", "tekst": "   "}, "Schrijf uw terugkoppeling"),
    ({"soort": "raar", "datum": "2024-01-01", "tekst": "Loopt goed"}, "Kies een soort uit de lijst"),
])
def test_terugkoppeling_bad_input_keeps_input(opzet, data, melding):
    p = opzet
    response = p.client(p.extern).post(_url(p.verwijzing), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert melding in html
    if data["tekst"].strip():
        assert data["tekst"] in html
    assert not Terugkoppeling.objects.exists()
    assert not Notificatie.objects.exists()


def test_partner_cannot_change_the_referral(opzet):
    p = opzet
    client = p.client(p.extern)
    client.post(_url(p.verwijzing), {"soort": "voortgang", "datum": timezone.localdate().isoformat(),
                                     "tekst": "Goed", "status": "afgesloten", "reden": "gewijzigd"})
    p.verwijzing.refresh_from_db()
    assert p.verwijzing.status == "aangemeld"
    assert p.verwijzing.reden == "Zorgen over thuissituatie"
    assert client.put(_url(p.verwijzing)).status_code == 405


def test_terugkoppeling_before_referral_is_refused(opzet):
    p = opzet
    Verwijzing.objects.filter(pk=p.verwijzing.pk).update(aangemeld_op=timezone.localdate())
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    response = p.client(p.extern).post(_url(p.verwijzing), {"soort": "gestart", "datum": gisteren.isoformat(),
                                                            "tekst": "Gestart"})
    assert "De datum ligt vóór de aanmelding" in response.content.decode()
    assert not Terugkoppeling.objects.exists()


def test_school_side_referral_pages_are_404_for_the_partner(opzet):
    p = opzet
    client = p.client(p.extern)
    pk = p.verwijzing.pk
    for url in (f"/extern/verwijzingen/{pk}/", f"/extern/verwijzingen/{pk}/pdf/", "/extern/verwijzingen/",
                f"/extern/leerlingen/{p.in_a.pk}/toestemming/"):
        assert client.get(url).status_code == 404, url
    for url in (f"/extern/verwijzingen/{pk}/status/", f"/extern/verwijzingen/{pk}/terugkoppeling/",
                f"/extern/verwijzingen/{pk}/toegang/"):
        assert client.post(url, {"status": "afgesloten", "soort": "voortgang", "tekst": "x"}).status_code == 404, url
    p.verwijzing.refresh_from_db()
    assert p.verwijzing.status == "aangemeld"
    assert not Terugkoppeling.objects.exists()
