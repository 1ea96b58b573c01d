"""Consent (toestemming): request → give / refuse / withdraw / expire with the access effect of each
(the named ZAT item and the external contact's access), gezag and age rules, permissions, bad input,
the consent letter PDF and the notices on withdrawal."""

import datetime
import subprocess
import types

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from besprekingen import services as bespreking_services
from extern import toestemming as regels
from extern.models import ExterneToegang, Toestemming, Verwijzing
from leerlingen import route
from leerlingen.models import OuderRelatie
from tests import factories as f
from zorg import toegang
from zorg.models import Gebruiker, Inzage, Notificatie

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

VANDAAG = timezone.localdate()
Status = Toestemming.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def dag(n):
    return VANDAAG + datetime.timedelta(days=n)


def html_of(response):
    return response.content.decode()


def jaren_oud(leerling, jaren):
    leerling.geboortedatum = VANDAAG.replace(year=VANDAAG.year - jaren) - datetime.timedelta(days=10)
    leerling.save()


def zat_punt(leerling):
    return types.SimpleNamespace(anoniem=False, leerling=leerling)


def zat_mag(leerling):
    try:
        bespreking_services.controleer_zat_toestemming(zat_punt(leerling))
    except bespreking_services.BesprekingFout:
        return False
    return True


@pytest.fixture
def p(benoemde_personas):
    jaren_oud(benoemde_personas.in_a, 10)  # "ouders" band unless a test changes it
    return benoemde_personas


@pytest.fixture
def partner(p):
    """An instelling of the school with a contact that holds a running grant on a verwijzing of in_a."""
    instelling = f.InstellingFactory(school=p.school, naam="Jeugdteam Oost")
    gebruiker = f.GebruikerFactory(username="jeugdteam")
    contact = f.ContactpersoonFactory(instelling=instelling, gebruiker=gebruiker)
    verwijzing = Verwijzing.objects.create(school=p.school, leerling=p.in_a, instelling=instelling,
                                           reden="Steun thuis")
    ExterneToegang.objects.create(verwijzing=verwijzing, contactpersoon=contact, tot=dag(90))
    return types.SimpleNamespace(instelling=instelling, gebruiker=gebruiker, verwijzing=verwijzing)


def vers(user):
    """The account as a new request sees it (the access layer caches per request on the user object)."""
    return Gebruiker.objects.get(pk=user.pk)


def partner_ziet(partner):
    try:
        toegang.verwijzing_extern_of_404(vers(partner.gebruiker), partner.verwijzing.pk)
    except Http404:
        return False
    return True


def vraag(p, doel="zat", instelling=None, user=None, **kwargs):
    return regels.vraag_aan(user or p.zorgcoordinator, p.school, p.in_a, doel, "Wij willen Aafke in het ZAT "
                            "bespreken met de jeugdarts, om hulp te vinden.", instelling, **kwargs)


# --- The state machine and its access effect ------------------------------------------------------


def test_request_then_give_opens_the_zat_item_and_notifies_the_parent(p):
    t = vraag(p)
    assert (t.status, t.aangevraagd_door, t.ouder) == (Status.AANGEVRAAGD, p.zorgcoordinator, None)
    notice = Notificatie.objects.get(ontvanger=p.ouder_user)
    assert notice.url == reverse("ouder_toestemming", args=[t.pk]) and "Aafke" in notice.tekst
    assert not zat_mag(p.in_a) and route.geldige_toestemming(p.in_a) is None

    ouder = p.client(p.ouder_user)
    url = reverse("ouder_toestemming", args=[t.pk])
    assert "Ik geef toestemming" in html_of(ouder.get(url))
    r = ouder.post(url, {"keuze": "geven"})  # the confirmation step
    assert "Weet u het zeker? U geeft toestemming." in html_of(r)
    t.refresh_from_db()
    assert t.status == Status.AANGEVRAAGD
    r = ouder.post(url, {"keuze": "geven", "bevestigd": "1"})
    assert r.status_code == 302
    t.refresh_from_db()
    assert (t.status, t.wijze, t.ouder, t.beslist_op is not None) == (
        Status.GEGEVEN, Toestemming.Wijze.DIGITAAL, p.ouder, True)
    assert zat_mag(p.in_a) and route.geldige_toestemming(p.in_a) == t
    assert Notificatie.objects.filter(ontvanger=p.zorgcoordinator, tekst__contains="gaf toestemming").exists()
    # answered: a second answer is refused
    with pytest.raises(regels.ToestemmingFout, match="al geantwoord"):
        regels.beslis(p.ouder_user, t, False)


def test_refuse_keeps_the_zat_item_closed_and_the_reason(p):
    t = vraag(p)
    ouder = p.client(p.ouder_user)
    url = reverse("ouder_toestemming", args=[t.pk])
    r = ouder.post(url, {"keuze": "weigeren", "reden": "Liever eerst een gesprek"})
    html = html_of(r)
    assert "U geeft geen toestemming" in html and "Liever eerst een gesprek" in html
    ouder.post(url, {"keuze": "weigeren", "reden": "Liever eerst een gesprek", "bevestigd": "1"})
    t.refresh_from_db()
    assert (t.status, t.reden) == (Status.GEWEIGERD, "Liever eerst een gesprek")
    assert not zat_mag(p.in_a)
    assert "De laatst vastgelegde toestemming is geweigerd" in regels.waarom_niet(p.in_a, ["zat"])


def test_expired_consent_shows_as_verlopen_and_closes_access(p, partner):
    t = Toestemming.objects.create(leerling=p.in_a, doel="verwijzing", instelling=partner.instelling, ouder=p.ouder,
                                   status=Status.GEGEVEN, datum=dag(-30), geldig_tot=dag(1))
    z = Toestemming.objects.create(leerling=p.in_a, doel="zat", ouder=p.ouder, status=Status.GEGEVEN,
                                   datum=dag(-30), geldig_tot=dag(1))
    assert partner_ziet(partner) and zat_mag(p.in_a)
    Toestemming.objects.filter(pk__in=[t.pk, z.pk]).update(geldig_tot=dag(-1))
    assert not partner_ziet(partner) and not zat_mag(p.in_a)
    t.refresh_from_db()
    assert regels.weergave_status(t) == "verlopen"
    html = html_of(p.client(p.zorgcoordinator).get(reverse("toestemmingen", args=[p.in_a.pk])))
    assert "verlopen" in html and "De vastgelegde toestemming is verlopen op" in html


def test_withdrawal_by_parent_cuts_external_access_at_once_and_tells_everyone(p, partner):
    case_manager = f.GebruikerFactory(username="casemanager")
    p.in_a.case_manager = case_manager
    p.in_a.save()
    t = vraag(p, doel="verwijzing", instelling=partner.instelling)
    assert not partner_ziet(partner)  # requested is not given
    regels.beslis(p.ouder_user, t, True)
    assert partner_ziet(partner)
    assert partner.verwijzing in toegang.verwijzingen_extern(vers(partner.gebruiker))

    ouder = p.client(p.ouder_user)
    url = reverse("ouder_toestemming", args=[t.pk])
    assert "Intrekken" in html_of(ouder.get(url))
    assert "Weet u het zeker? U trekt uw toestemming in" in html_of(ouder.post(url, {"keuze": "intrekken"}))
    assert partner_ziet(partner)
    r = ouder.post(url, {"keuze": "intrekken", "bevestigd": "1"})
    assert r.status_code == 302
    # the same second: the next request of the partner is refused
    assert not partner_ziet(partner)
    assert toegang.verwijzingen_extern(vers(partner.gebruiker)) == []
    t.refresh_from_db()
    assert t.status == Status.INGETROKKEN and t.ingetrokken_op is not None
    ontvangers = set(Notificatie.objects.filter(tekst__contains="ingetrokken").values_list("ontvanger__username",
                                                                                          flat=True))
    assert {"zorgcoordinator", "mentor", "casemanager", "jeugdteam"} <= ontvangers
    assert "ouder" not in ontvangers and "docent" not in ontvangers
    partnerbericht = Notificatie.objects.get(ontvanger=partner.gebruiker)
    assert "geen toegang meer" in partnerbericht.tekst and partnerbericht.leerling is None
    # the staff page shows it, with its history
    html = html_of(p.client(p.mentor).get(reverse("toestemmingen", args=[p.in_a.pk])))
    assert "ingetrokken" in html and "Geschiedenis (3)" in html


def test_withdrawal_recorded_by_the_zorgcoordinator_needs_a_reason(p, partner):
    t = Toestemming.objects.create(leerling=p.in_a, doel="verwijzing", instelling=partner.instelling, ouder=p.ouder,
                                   status=Status.GEGEVEN)
    assert partner_ziet(partner)
    url = reverse("toestemming_intrekken", args=[t.pk])
    zc = p.client(p.zorgcoordinator)
    assert "De laatst" not in html_of(zc.get(url))
    r = zc.post(url, {"reden": "  "})
    assert "Schrijf op hoe en waarom" in html_of(r)
    assert partner_ziet(partner)
    r = zc.post(url, {"reden": "Moeder belde op 3 maart"})
    assert r.status_code == 302
    assert not partner_ziet(partner)
    assert Notificatie.objects.filter(ontvanger=partner.gebruiker).exists()
    assert Notificatie.objects.filter(ontvanger=p.mentor, tekst__contains="ingetrokken").exists()
    # only the zorgcoördinator records it
    t2 = Toestemming.objects.create(leerling=p.in_a, doel="zat", ouder=p.ouder, status=Status.GEGEVEN)
    assert p.client(p.mentor).post(reverse("toestemming_intrekken", args=[t2.pk]), {"reden": "x"}).status_code == 403
    assert p.client(p.andere_mentor).get(reverse("toestemming_intrekken", args=[t2.pk])).status_code == 404
    # a refused consent cannot be withdrawn
    t2.status = Status.GEWEIGERD
    t2.save()
    assert "Alleen een gegeven toestemming" in html_of(zc.post(reverse("toestemming_intrekken", args=[t2.pk]),
                                                                {"reden": "x"}))


# --- Gezag and the age rule -------------------------------------------------------------------------


def test_parent_without_gezag_sees_the_request_but_cannot_decide(p):
    OuderRelatie.objects.filter(ouder=p.ouder, leerling=p.in_a).update(gezag=False)
    t = vraag(p)
    assert not Notificatie.objects.filter(ontvanger=p.ouder_user).exists()  # only ouders with gezag are asked
    ouder = p.client(p.ouder_user)
    html = html_of(ouder.get(reverse("ouder_start")))
    assert "Uw reactie gevraagd" in html
    url = reverse("ouder_toestemming", args=[t.pk])
    html = html_of(ouder.get(url))
    assert "Alleen een ouder of verzorger met ouderlijk gezag kan hierover beslissen" in html
    assert "Ik geef toestemming" not in html
    html = html_of(ouder.post(url, {"keuze": "geven", "bevestigd": "1"}))
    assert "Alleen een ouder of verzorger met ouderlijk gezag" in html
    t.refresh_from_db()
    assert t.status == Status.AANGEVRAAGD


def test_parent_only_sees_own_child(p):
    t = Toestemming.objects.create(leerling=p.in_b, doel="zat", status=Status.AANGEVRAAGD)
    ouder = p.client(p.ouder_user)
    assert ouder.get(reverse("ouder_toestemming", args=[t.pk])).status_code == 404
    assert ouder.post(reverse("ouder_toestemming", args=[t.pk]), {"keuze": "geven", "bevestigd": "1"}
                      ).status_code == 404
    assert ouder.get(reverse("ouder_toestemmingen", args=[p.in_b.pk])).status_code == 404
    assert ouder.get(reverse("ouder_toestemmingen", args=[p.in_a.pk])).status_code == 200
    # staff pages are not for parents
    assert ouder.get(reverse("toestemmingen", args=[p.in_a.pk])).status_code == 404


@pytest.mark.parametrize("jaren, band", [(11, "ouders"), (12, "samen"), (15, "samen"), (16, "leerling")])
def test_age_bands(p, jaren, band):
    jaren_oud(p.in_a, jaren)
    assert regels.wie_beslist(p.in_a) == band
    t = vraag(p)
    regels.beslis(p.ouder_user, t, True)
    # the parent's digital answer alone counts only under 12
    assert zat_mag(p.in_a) == (band == "ouders")
    html = html_of(p.client(p.ouder_user).get(reverse("ouder_toestemming", args=[t.pk])))
    if band == "samen":
        assert "ook de toestemming van" in html
    if band == "leerling":
        assert "beslist zelf" in html
    # the pupil's signature (recorded from paper) completes it
    t.leerling_akkoord = True
    t.save()
    assert zat_mag(p.in_a)


def test_pupil_of_16_decides_alone(p):
    jaren_oud(p.in_a, 17)
    t = regels.leg_papier_vast(p.zorgcoordinator, p.school, p.in_a, ouder=None, status=Status.GEGEVEN, datum=VANDAAG,
                               doel="zat", leerling_akkoord=True)
    assert t.ouder is None and zat_mag(p.in_a)
    with pytest.raises(regels.ToestemmingFout, match="ouder of verzorger met gezag die het formulier tekende"):
        jaren_oud(p.in_a, 10)
        regels.leg_papier_vast(p.zorgcoordinator, p.school, p.in_a, ouder=None, status=Status.GEGEVEN,
                               datum=VANDAAG, doel="zat")


def test_school_fields_change_the_bands(p):
    jaren_oud(p.in_a, 13)
    assert regels.wie_beslist(p.in_a) == "samen"
    p.school.toestemming_leerling_mee_vanaf = 14
    p.school.save()
    p.in_a.school.refresh_from_db()
    assert regels.wie_beslist(p.in_a) == "ouders"
    p.school.toestemming_leerling_zelf_vanaf = 13
    p.school.save()
    p.in_a.school.refresh_from_db()
    assert regels.wie_beslist(p.in_a) == "leerling"


# --- Permissions ------------------------------------------------------------------------------------


def test_who_may_request_record_and_read(p):
    aanvragen = reverse("toestemming_aanvragen", args=[p.in_a.pk])
    papier = reverse("toestemming_papier", args=[p.in_a.pk])
    lijst = reverse("toestemmingen", args=[p.in_a.pk])
    data = {"doel": "zat", "toelichting": "Bespreken in het ZAT met de jeugdarts."}
    # the mentor may request, not record paper
    mentor = p.client(p.mentor)
    assert mentor.post(aanvragen, data).status_code == 302
    assert mentor.get(papier).status_code == 403
    with pytest.raises(regels.ToestemmingFout, match="zorgcoördinator"):
        regels.leg_papier_vast(p.mentor, p.school, p.in_a, ouder=p.ouder, status=Status.GEGEVEN, datum=VANDAAG,
                               doel="zat")
    assert mentor.get(lijst).status_code == 200
    # docent: nothing
    docent = p.client(p.docent)
    for url in (aanvragen, papier, lijst):
        assert docent.get(url).status_code == 403, url
    with pytest.raises(regels.ToestemmingFout):
        regels.vraag_aan(p.docent, p.school, p.in_a, "zat", "x")
    # teamleider, directie read only
    for user in (p.teamleider, p.directie):
        assert p.client(user).get(lijst).status_code == 200
        assert p.client(user).get(aanvragen).status_code == 403
    # out of scope: 404
    for url in (aanvragen, papier, lijst):
        assert p.client(p.andere_mentor).get(url).status_code == 404
        assert p.client(p.extern).get(url).status_code == 404
    t = Toestemming.objects.get()
    assert p.client(p.docent).get(reverse("toestemming_brief", args=[t.pk])).status_code == 403
    assert p.client(p.andere_mentor).get(reverse("toestemming_brief", args=[t.pk])).status_code == 404


# --- Bad input ---------------------------------------------------------------------------------------


def test_request_bad_input_keeps_what_was_typed(p, partner):
    zc = p.client(p.zorgcoordinator)
    url = reverse("toestemming_aanvragen", args=[p.in_a.pk])
    r = zc.post(url, {"doel": "verwijzing", "toelichting": "Naar het jeugdteam voor hulp thuis."})
    html = html_of(r)
    assert "Kies de instelling waarvoor de toestemming geldt" in html and "Naar het jeugdteam voor hulp thuis." in html
    r = zc.post(url, {"doel": "zat", "toelichting": "  ", "geldig_tot": dag(-2).isoformat()})
    html = html_of(r)
    assert "Schrijf in gewone taal" in html and "ligt in het verleden" in html and dag(-2).isoformat() in html
    r = zc.post(url, {"doel": "geheim", "toelichting": "x"})
    assert "Kies een doel uit de lijst" in html_of(r)
    ander = f.InstellingFactory(naam="Elders")  # another school's instelling
    r = zc.post(url, {"doel": "verwijzing", "instelling": ander.pk, "toelichting": "x"})
    assert "Kies een instelling uit de lijst" in html_of(r)
    assert not Toestemming.objects.exists()
    assert zc.post(url, {"doel": "verwijzing", "instelling": partner.instelling.pk,
                         "toelichting": "Naar het jeugdteam."}).status_code == 302
    r = zc.post(url, {"doel": "verwijzing", "instelling": partner.instelling.pk, "toelichting": "Nog eens."})
    assert "staat al een aanvraag open" in html_of(r)


def test_paper_answers_a_request_with_a_scan(p):
    jaren_oud(p.in_a, 13)
    t = vraag(p)
    zonder_gezag = f.OuderFactory(gebruiker=None, achternaam="Stiefvader")
    f.OuderRelatieFactory(ouder=zonder_gezag, leerling=p.in_a, gezag=False)
    zc = p.client(p.zorgcoordinator)
    url = reverse("toestemming_papier", args=[p.in_a.pk]) + f"?aanvraag={t.pk}"
    html = html_of(zc.get(url))
    assert escape(p.ouder.naam) in html and "Stiefvader" not in html
    fout = {"ouder": p.ouder.pk, "status": "gegeven", "datum": dag(1).isoformat(),
            "geldig_tot": dag(-5).isoformat(), "reden": "bewaard"}
    html = html_of(zc.post(url, fout))
    assert "De datum ligt in de toekomst" in html and "ligt vóór de datum van ondertekening" in html
    assert dag(1).isoformat() in html
    html = html_of(zc.post(url, {**fout, "datum": VANDAAG.isoformat(), "geldig_tot": "",
                                 "bestand": SimpleUploadedFile("scan.exe", b"MZ...")}))
    assert "Dit soort bestand kan niet worden opgeslagen" in html
    html = html_of(zc.post(url, {**fout, "datum": VANDAAG.isoformat(), "geldig_tot": "",
                                 "bestand": SimpleUploadedFile("scan.docx", b"PK\x03\x04rest")}))
    assert "PDF, JPEG of PNG" in html or "past niet bij de extensie" in html
    html = html_of(zc.post(url, {"status": "gegeven", "ouder": zonder_gezag.pk, "datum": VANDAAG.isoformat()}))
    assert "Kies een ouder of verzorger met gezag uit de lijst" in html
    t.refresh_from_db()
    assert t.status == Status.AANGEVRAAGD
    r = zc.post(url, {"ouder": p.ouder.pk, "status": "gegeven", "datum": VANDAAG.isoformat(),
                      "leerling_akkoord": "on", "bestand": SimpleUploadedFile("Formulier Aafke.pdf", PDF)})
    assert r.status_code == 302
    t.refresh_from_db()
    assert (t.status, t.wijze, t.leerling_akkoord, t.vastgelegd_door, t.bestandsnaam) == (
        Status.GEGEVEN, Toestemming.Wijze.PAPIER, True, p.zorgcoordinator, "Formulier Aafke.pdf")
    assert zat_mag(p.in_a)
    assert "/media/" not in html_of(zc.get(reverse("toestemmingen", args=[p.in_a.pk])))
    # the scan only through the checked download view, logged
    download = reverse("toestemming_formulier", args=[t.pk])
    r = zc.get(download)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert r["Content-Disposition"].startswith("attachment")
    assert Inzage.objects.filter(gebruiker=p.zorgcoordinator, onderdeel="toestemmingsformulier").exists()
    assert p.client(p.docent).get(download).status_code == 404
    assert p.client(p.andere_mentor).get(download).status_code == 404
    assert p.client(p.ouder_user).get(download).status_code == 404


def test_old_route_page_records_through_the_service_with_a_scan(p):
    url = reverse("route_toestemming", args=[p.in_a.pk])
    r = p.client(p.zorgcoordinator).post(url, {"ouder": p.ouder.pk, "doel": "zat", "datum": VANDAAG.isoformat(),
                                               "bestand": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\nrest")})
    assert r.status_code == 302
    t = Toestemming.objects.get()
    assert t.bestand and t.bestandsnaam == "scan.png" and t.status == Status.GEGEVEN


# --- The consent letter ---------------------------------------------------------------------------


def test_consent_letter_pdf(p, partner, tmp_path):
    jaren_oud(p.in_a, 13)
    t = vraag(p, doel="verwijzing", instelling=partner.instelling)
    r = p.client(p.mentor).get(reverse("toestemming_brief", args=[t.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    pad = tmp_path / "brief.pdf"
    pad.write_bytes(r.content)
    tekst = subprocess.run(["pdftotext", str(pad), "-"], capture_output=True, text=True, check=True).stdout
    for woord in (p.in_a.naam, "Jeugdteam Oost", "Testcollege", p.ouder.naam, "Naam leerling"):
        assert woord in tekst, woord
    assert Inzage.objects.filter(gebruiker=p.mentor, onderdeel="toestemmingsbrief", object_id=str(t.pk)).exists()


def test_staff_page_lists_everything_and_parent_start_shows_the_request(p):
    t = vraag(p)
    html = html_of(p.client(p.ouder_user).get(reverse("ouder_start")))
    assert "Uw reactie gevraagd" in html and reverse("ouder_toestemming", args=[t.pk]) in html
    html = html_of(p.client(p.ouder_user).get(reverse("ouder_kind", args=[p.in_a.pk])))
    assert "Uw reactie gevraagd" in html
    html = html_of(p.client(p.zorgcoordinator).get(reverse("leerling", args=[p.in_a.pk])))
    assert reverse("toestemmingen", args=[p.in_a.pk]) in html
    html = html_of(p.client(p.docent).get(reverse("leerling", args=[p.in_a.pk])))
    assert reverse("toestemmingen", args=[p.in_a.pk]) not in html
    html = html_of(p.client(p.zorgcoordinator).get(reverse("toestemmingen", args=[p.in_a.pk])))
    assert "aangevraagd" in html and "Antwoord van papier vastleggen" in html
    assert Inzage.objects.filter(gebruiker=p.zorgcoordinator, onderdeel="toestemmingen").exists()


def test_empty_states(p):
    html = html_of(p.client(p.zorgcoordinator).get(reverse("toestemmingen", args=[p.in_a.pk])))
    assert "Er is nog geen toestemming gevraagd of vastgelegd" in html
    html = html_of(p.client(p.ouder_user).get(reverse("ouder_toestemmingen", args=[p.in_a.pk])))
    assert "De school vraagt op dit moment niets van u" in html
