"""The IZO/ZAT meeting screen and verslag: services (notes conflict, besluiten, zorgniveau change,
vaststellen), access per role (mentor, docent, extern contact), anonymous items without a name in
page and PDF, and the inzagelog."""

import datetime
import json
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from besprekingen import services, vergadering
from besprekingen.aanmelding import meld_aan
from besprekingen.models import Aanmelding, Afspraak, Agendapunt, Bespreking, Deelnemer
from extern.models import ExterneToegang, Verwijzing
from leerlingen.models import Dossieritem, Opschaling
from tests import factories as f
from zorg.models import Inzage, Zorgniveau

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

Z = Zorgniveau.Beslisser


class IZO:
    """Personas plus a four-level route, an IZO with the mentor's pupil Aafke (in_a) and Cor (in_b,
    other mentor), and a ZAT with an anonymous item (Bert, in_a2) and a named item with consent
    and a referral to the extern contact's instelling (Dirk, toegewezen)."""

    def __init__(self, p):
        self.p = p
        school = p.school
        self.niveau2 = f.ZorgniveauFactory(zorgroute=p.route, volgorde=2, code="2", naam="teamleider",
                                           besloten_door=Z.TEAMLEIDER)
        self.niveau3 = f.ZorgniveauFactory(zorgroute=p.route, volgorde=3, code="3", naam="IZO",
                                           besloten_door=Z.ZORGCOORDINATOR)
        self.niveau4 = f.ZorgniveauFactory(zorgroute=p.route, volgorde=4, code="4", naam="ZAT",
                                           besloten_door=Z.ZORGCOORDINATOR, toestemming_vereist=True)
        p.niveau1.besloten_door = Z.MENTOR
        p.niveau1.save()
        for lln in p.leerlingen:
            lln.zorgniveau = p.niveau1
            lln.save()
        self.instelling = f.InstellingFactory(school=school, naam="Jeugdteam Noord")
        self.contact = p.extern.contactpersoon
        self.contact.instelling = self.instelling
        self.contact.save()
        self.andere_instelling = f.InstellingFactory(school=school, naam="GGD")
        begin = timezone.now() + datetime.timedelta(hours=1)
        zc = p.zorgcoordinator
        self.izo = services.plan_bespreking(zc, school, Bespreking.Soort.IZO, begin, zc,
                                            deelnemers=[p.specialist], uitnodigen=False)
        self.a_aafke = meld_aan(p.mentor, school, p.in_a, Bespreking.Soort.IZO, "Piekert veel, slaapt slecht",
                                begeleidingsvraag="Hoe help ik haar in de klas?", ouders_geinformeerd=True)
        self.a_cor = meld_aan(zc, school, p.in_b, Bespreking.Soort.IZO, "Veel verzuim",
                              ouders_geinformeerd=True)
        self.aafke = services.zet_op_agenda(zc, school, self.a_aafke, self.izo)
        self.cor = services.zet_op_agenda(zc, school, self.a_cor, self.izo)

        self.zat = services.plan_bespreking(zc, school, Bespreking.Soort.ZAT, begin, zc,
                                            contactpersonen=[self.contact], uitnodigen=False)
        a_bert = meld_aan(zc, school, p.in_a2, Bespreking.Soort.ZAT, "Somber", anoniem=True,
                          ouders_geinformeerd=True)
        self.bert = services.zet_op_agenda(zc, school, a_bert, self.zat)
        self.geef_toestemming(p.toegewezen)
        a_dirk = meld_aan(zc, school, p.toegewezen, Bespreking.Soort.ZAT, "Thuis problemen",
                          ouders_geinformeerd=True)
        self.dirk = services.zet_op_agenda(zc, school, a_dirk, self.zat)
        vergadering.leg_besluit_vast(zc, school, self.dirk, Afspraak.Soort.VERWIJZING, "Aanmelden bij jeugdteam",
                                     zc, timezone.localdate() + datetime.timedelta(days=14),
                                     instelling=self.instelling)
        # The referral opens Dirk's item to the jeugdteam: a grant plus consent naming the instelling.
        verwijzing = Verwijzing.objects.get_or_create(
            school=school, leerling=p.toegewezen, instelling=self.instelling, defaults={"reden": "Thuis problemen"})[0]
        ExterneToegang.objects.create(verwijzing=verwijzing, contactpersoon=self.contact,
                                      tot=timezone.localdate() + datetime.timedelta(days=90))
        self.geef_toestemming(p.toegewezen, doel="verwijzing", instelling=self.instelling)

    def geef_toestemming(self, leerling, **extra):
        ouder = f.OuderFactory()
        f.OuderRelatieFactory(ouder=ouder, leerling=leerling, gezag=True)
        return f.ToestemmingFactory(leerling=leerling, ouder=ouder, datum=timezone.localdate(),
                                    **{"doel": "zat", **extra})


@pytest.fixture
def izo(benoemde_personas):
    return IZO(benoemde_personas)


def scherm(bespreking, punt=None):
    url = reverse("bespreking", args=[bespreking.pk])
    return url + (f"?punt={punt.pk}" if punt else "")


def pdf_tekst(data):
    """The text of a PDF (pdftotext from poppler-utils), whitespace-normalised."""
    uit = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(uit.stdout.decode().split())


# --- Services ------------------------------------------------------------------------------------------


def test_notes_version_check_conflict_keeps_both(izo):
    zc, school = izo.p.zorgcoordinator, izo.p.school
    punt = Agendapunt.objects.get(pk=izo.aafke.pk)
    oud = services.versie_van(punt)
    punt = vergadering.bewaar_notities(zc, school, punt, "Eerste tekst", oud)
    with pytest.raises(vergadering.NotitieConflict) as fout:
        vergadering.bewaar_notities(zc, school, punt, "Mijn tekst", oud)
    assert fout.value.actueel.notities == "Eerste tekst"
    punt.refresh_from_db()
    assert punt.notities == "Eerste tekst"
    # Saving against the current version (a deliberate choice) writes.
    vergadering.bewaar_notities(zc, school, punt, "Samengevoegd", services.versie_van(punt))
    punt.refresh_from_db()
    assert punt.notities == "Samengevoegd"


def test_notes_conflict_over_http_returns_both_texts(izo):
    c = izo.p.client(izo.p.zorgcoordinator)
    url = reverse("bespreking_notities", args=[izo.izo.pk, izo.aafke.pk])
    oud = services.versie_van(izo.aafke)
    r = c.post(url, {"notities": "Van collega", "versie": oud}, HTTP_X_REQUESTED_WITH="fetch")
    assert r.status_code == 200 and json.loads(r.content)["versie"]
    r = c.post(url, {"notities": "Van mij", "versie": oud}, HTTP_X_REQUESTED_WITH="fetch")
    assert r.status_code == 409
    assert json.loads(r.content)["tekst"] == "Van collega"
    # Without JS: the screen with both texts, the user's own text kept in the editor.
    r = c.post(url, {"notities": "Van mij", "versie": oud})
    assert r.status_code == 409
    html = r.content.decode()
    assert "Van collega" in html and "Van mij" in html


def test_readers_cannot_write(izo):
    p = izo.p
    r = p.client(p.mentor).post(reverse("bespreking_notities", args=[izo.izo.pk, izo.aafke.pk]),
                                {"notities": "x", "versie": ""})
    assert r.status_code == 403
    # An item the mentor may not read is 404, not 403.
    r = p.client(p.mentor).post(reverse("bespreking_notities", args=[izo.izo.pk, izo.cor.pk]),
                                {"notities": "x", "versie": ""})
    assert r.status_code == 404


def test_afspraak_validation_and_messages_keep_input(izo):
    p = izo.p
    zc, school = p.zorgcoordinator, p.school
    with pytest.raises(services.BesprekingFout) as fout:
        vergadering.leg_besluit_vast(zc, school, izo.aafke, Afspraak.Soort.AFSPRAAK, " ", None, None)
    assert len(fout.value.meldingen) == 3
    with pytest.raises(services.BesprekingFout):
        vergadering.leg_besluit_vast(zc, school, izo.aafke, Afspraak.Soort.ARRANGEMENT, "RT", zc,
                                     timezone.localdate())
    with pytest.raises(services.BesprekingFout):  # an owner from elsewhere
        vergadering.leg_besluit_vast(zc, school, izo.aafke, Afspraak.Soort.AFSPRAAK, "Iets", p.ouder_user,
                                     timezone.localdate())
    a = vergadering.leg_besluit_vast(zc, school, izo.aafke, Afspraak.Soort.ARRANGEMENT, "Faalangsttraining",
                                     p.specialist, timezone.localdate(), arrangement="faalangst")
    assert a.leerling == p.in_a and a.bespreking == izo.izo and a.arrangement == "faalangst"
    # Over http: a bad row is refused with messages and the typed text stays.
    r = p.client(zc).post(reverse("bespreking_besluit", args=[izo.izo.pk, izo.aafke.pk]),
                          {"soort": "afspraak", "wat": "Gesprek met ouders plannen", "eigenaar": "",
                           "uiterlijk": "31-02-2026"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Gesprek met ouders plannen" in html and "geldige datum" in html


def test_verwijzing_needs_consent_for_named_item(izo):
    p = izo.p
    zc, school = p.zorgcoordinator, p.school
    with pytest.raises(services.BesprekingFout) as fout:
        vergadering.leg_besluit_vast(zc, school, izo.aafke, Afspraak.Soort.VERWIJZING, "Naar jeugdteam", zc,
                                     timezone.localdate(), instelling=izo.instelling)
    assert "toestemming" in " ".join(fout.value.meldingen)
    izo.geef_toestemming(p.in_a)
    a = vergadering.leg_besluit_vast(zc, school, izo.aafke, Afspraak.Soort.VERWIJZING, "Naar jeugdteam", zc,
                                     timezone.localdate(), instelling=izo.instelling)
    assert a.instelling == izo.instelling
    # An instelling of another school is refused.
    vreemd = f.InstellingFactory()
    with pytest.raises(services.BesprekingFout):
        vergadering.leg_besluit_vast(zc, school, izo.aafke, Afspraak.Soort.VERWIJZING, "x", zc,
                                     timezone.localdate(), instelling=vreemd)


def test_zorgniveau_change_refused_without_consent_granted_with(izo):
    p = izo.p
    zc, school = p.zorgcoordinator, p.school
    with pytest.raises(services.BesprekingFout) as fout:
        vergadering.wijzig_zorgniveau(zc, school, izo.aafke, izo.niveau4)
    assert "toestemming" in " ".join(fout.value.meldingen)
    p.in_a.refresh_from_db()
    assert p.in_a.zorgniveau == p.niveau1
    izo.geef_toestemming(p.in_a)
    besluit = vergadering.wijzig_zorgniveau(zc, school, izo.aafke, izo.niveau4)
    p.in_a.refresh_from_db()
    assert p.in_a.zorgniveau == izo.niveau4 and p.in_a.case_manager == zc
    assert besluit.soort == Dossieritem.Soort.ZORGNIVEAU and besluit.van_niveau == p.niveau1
    izo.aafke.refresh_from_db()
    assert izo.aafke.zorgniveau_besluit == besluit
    # Down again (the zorgcoördinator decides the current level), several levels at once.
    vergadering.wijzig_zorgniveau(zc, school, izo.aafke, izo.niveau2, "Gaat beter")
    p.in_a.refresh_from_db()
    assert p.in_a.zorgniveau == izo.niveau2


def test_zorgniveau_change_only_by_decider_and_grants_open_request(izo):
    p = izo.p
    school = p.school
    # The mentor chairs nothing here: not allowed to lead the meeting.
    with pytest.raises(services.BesprekingFout):
        vergadering.wijzig_zorgniveau(p.mentor, school, izo.aafke, izo.niveau3)
    opschaling = Opschaling.objects.create(leerling=p.in_a, van_niveau=p.niveau1, naar_niveau=izo.niveau3,
                                           hulpvraag="Piekert", aangevraagd_door=p.mentor)
    besluit = vergadering.wijzig_zorgniveau(p.zorgcoordinator, school, izo.aafke, izo.niveau3)
    opschaling.refresh_from_db()
    assert opschaling.status == Opschaling.Status.TOEGEKEND and opschaling.besluit == besluit


def test_case_manager_and_vervolgdatum(izo):
    p = izo.p
    punt = vergadering.wijzig_punt(p.zorgcoordinator, p.school, izo.aafke, p.specialist,
                                   services.standaard_vervolgdatum(p.school), False)
    p.in_a.refresh_from_db()
    assert p.in_a.case_manager == p.specialist and punt.vervolgdatum


def test_vaststellen_writes_timeline_and_tasks_idempotently(izo):
    p = izo.p
    zc, school = p.zorgcoordinator, p.school
    vergadering.bewaar_notities(zc, school, izo.aafke, "Piekert minder sinds gesprekken.",
                                services.versie_van(izo.aafke))
    vergadering.leg_besluit_vast(zc, school, Agendapunt.objects.get(pk=izo.aafke.pk), Afspraak.Soort.COACHING,
                                 "Coaching mentor", p.specialist, timezone.localdate())
    Agendapunt.objects.filter(pk=izo.cor.pk).update(vertrouwelijk=True)
    vergadering.stel_verslag_vast(zc, school, izo.izo)
    izo.izo.refresh_from_db()
    assert izo.izo.status == Bespreking.Status.GEHOUDEN
    item = Dossieritem.objects.get(leerling=p.in_a, soort=Dossieritem.Soort.BESPREKING)
    assert "Piekert minder" in item.tekst and "Coaching mentor" in item.tekst
    assert item.vertrouwelijkheid == "team" and item.titel.startswith("IZO")
    cor_item = Dossieritem.objects.get(leerling=p.in_b, soort=Dossieritem.Soort.BESPREKING)
    assert cor_item.vertrouwelijkheid == "vertrouwelijk"
    assert Agendapunt.objects.get(pk=izo.aafke.pk).dossieritem == item
    assert Aanmelding.objects.get(pk=izo.a_aafke.pk).status == Aanmelding.Status.BESPROKEN
    taken = Afspraak.objects.filter(leerling=p.in_a, eigenaar=p.mentor,
                                    soort__in=[Afspraak.Soort.TERUGKOPPELING_DOCENTEN,
                                               Afspraak.Soort.TERUGKOPPELING_OUDERS])
    assert taken.count() == 2
    assert Afspraak.objects.filter(leerling=p.in_b, eigenaar=p.andere_mentor).count() == 2
    # Re-fixing updates the entry and creates no duplicates.
    punt = Agendapunt.objects.get(pk=izo.aafke.pk)
    vergadering.bewaar_notities(zc, school, punt, "Aangevuld.", services.versie_van(punt))
    vergadering.stel_verslag_vast(zc, school, izo.izo)
    assert Dossieritem.objects.filter(leerling=p.in_a, soort=Dossieritem.Soort.BESPREKING).count() == 1
    assert "Aangevuld." in Dossieritem.objects.get(pk=item.pk).tekst
    assert taken.count() == 2
    # The pupil's timeline shows it.
    r = p.client(p.mentor).get(reverse("leerling", args=[p.in_a.pk]))
    assert "Aangevuld." in r.content.decode()


def test_vaststellen_only_by_chair_or_zorgcoordinator(izo):
    p = izo.p
    assert p.client(p.mentor).post(reverse("bespreking_vaststellen", args=[izo.izo.pk])).status_code == 403
    assert p.client(p.docent).post(reverse("bespreking_vaststellen", args=[izo.izo.pk])).status_code == 404
    r = p.client(p.zorgcoordinator).post(reverse("bespreking_vaststellen", args=[izo.izo.pk]))
    assert r.status_code == 302


# --- Access ----------------------------------------------------------------------------------------------


def test_mentor_sees_only_own_pupils_items(izo):
    p = izo.p
    r = p.client(p.mentor).get(scherm(izo.izo))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Aafke Akkerman" in html and "Cor Cremers" not in html
    assert "Notities opslaan" not in html  # read-only
    assert p.client(p.mentor).get(scherm(izo.izo, izo.cor)).status_code == 404
    r = p.client(p.mentor).get(reverse("bespreking_verslag", args=[izo.izo.pk]))
    assert "Aafke Akkerman" in r.content.decode() and "Cor Cremers" not in r.content.decode()


def test_docent_and_others_see_nothing(izo):
    p = izo.p
    for user in (p.docent, p.ouder_user, p.zonder_rol, p.extern):
        assert p.client(user).get(scherm(izo.izo)).status_code == 404, user
        assert p.client(user).get(reverse("bespreking_verslag", args=[izo.izo.pk])).status_code == 404
        assert p.client(user).get(reverse("bespreking_verslag_pdf", args=[izo.izo.pk])).status_code == 404


def test_zorgcoordinator_screen_shows_summary_and_logs_inzage(izo):
    p = izo.p
    f.DossieritemFactory(leerling=p.in_a, soort="interventie", hulpvraag="Faalangst", effect="geen",
                         auteur=p.mentor)
    voor = Inzage.objects.filter(leerling=p.in_a).count()
    r = p.client(p.zorgcoordinator).get(scherm(izo.izo, izo.aafke))
    html = r.content.decode()
    assert r.status_code == 200
    assert "Piekert veel, slaapt slecht" in html and "Hoe help ik haar in de klas?" in html
    assert "1 interventie" in html and "Notities opslaan" in html
    assert Inzage.objects.filter(leerling=p.in_a, onderdeel="bespreking").count() == voor + 1


def test_extern_contact_sees_only_anonymous_and_referral_items(izo):
    p = izo.p
    c = p.client(p.extern)
    r = c.get(reverse("extern_start"))
    assert r.status_code == 200 and reverse("extern_bespreking", args=[izo.zat.pk]) in r.content.decode()
    assert reverse("extern_bespreking", args=[izo.izo.pk]) not in r.content.decode()
    r = c.get(reverse("extern_bespreking", args=[izo.zat.pk]))
    html = r.content.decode()
    assert r.status_code == 200
    assert "Dirk Doornbos" in html and "Aanmelden bij jeugdteam" in html
    assert "(anoniem) 1B" in html and "Bert" not in html and "Boomsma" not in html
    assert c.get(reverse("extern_bespreking", args=[izo.izo.pk])).status_code == 404
    assert Inzage.objects.filter(gebruiker=p.extern, leerling=p.toegewezen).exists()
    # A contact of another instelling of the school, not taking part: nothing.
    ander = f.ContactpersoonFactory(instelling=izo.andere_instelling).gebruiker
    assert p.client(ander).get(reverse("extern_bespreking", args=[izo.zat.pk])).status_code == 404
    # Taking part, but no referral to their instelling: only the anonymous item.
    Deelnemer.objects.create(bespreking=izo.zat, contactpersoon=ander.contactpersoon)
    html = p.client(ander).get(reverse("extern_bespreking", args=[izo.zat.pk])).content.decode()
    assert "(anoniem) 1B" in html and "Dirk Doornbos" not in html


def test_anonymous_item_never_shows_the_name(izo):
    p = izo.p
    zc = p.zorgcoordinator
    vergadering.bewaar_notities(zc, p.school, izo.bert, "Somber, trekt zich terug.", services.versie_van(izo.bert))
    vergadering.stel_verslag_vast(zc, p.school, izo.zat)
    c = p.client(zc)
    for url in (scherm(izo.zat), scherm(izo.zat, izo.bert), reverse("bespreking_verslag", args=[izo.zat.pk])):
        html = c.get(url).content.decode()
        assert "(anoniem) 1B" in html
        assert "Bert" not in html and "Boomsma" not in html, url
    r = c.get(reverse("bespreking_verslag_pdf", args=[izo.zat.pk]))
    assert r["Content-Type"] == "application/pdf"
    tekst = pdf_tekst(r.content)
    assert "Somber, trekt zich terug." in tekst and "Dirk Doornbos" in tekst
    assert "Bert" not in tekst and "Boomsma" not in tekst
    # The school's own dossier still gets the entry (team-visible).
    assert Dossieritem.objects.filter(leerling=p.in_a2, soort=Dossieritem.Soort.BESPREKING).exists()


def test_verslag_logs_inzage_per_item(izo):
    p = izo.p
    c = p.client(p.zorgcoordinator)
    c.get(reverse("bespreking_verslag_pdf", args=[izo.izo.pk]))
    assert Inzage.objects.filter(leerling=p.in_a, onderdeel="verslag bespreking").count() == 1
    assert Inzage.objects.filter(leerling=p.in_b, onderdeel="verslag bespreking").count() == 1


def test_full_http_flow_by_chair(izo):
    p = izo.p
    c = p.client(p.zorgcoordinator)
    izo.geef_toestemming(p.in_a)
    r = c.post(reverse("bespreking_zorgniveau", args=[izo.izo.pk, izo.aafke.pk]),
               {"naar_niveau": izo.niveau3.pk, "reden": ""})
    assert r.status_code == 302
    r = c.post(reverse("bespreking_punt", args=[izo.izo.pk, izo.aafke.pk]),
               {"case_manager": p.specialist.pk, "vervolgdatum": "", "vertrouwelijk": ""})
    assert r.status_code == 302
    d = Deelnemer.objects.get(bespreking=izo.izo, gebruiker=p.specialist)
    c.post(reverse("bespreking_aanwezig", args=[izo.izo.pk, d.pk]), {"aanwezig": "ja"})
    d.refresh_from_db()
    assert d.aanwezig is True
    r = c.post(reverse("bespreking_besproken", args=[izo.izo.pk, izo.aafke.pk]), {"richting": "volgende"})
    assert r["Location"].endswith(f"?punt={izo.cor.pk}")
    r = c.get(scherm(izo.izo, izo.aafke))
    assert f"?besluit={Agendapunt.objects.get(pk=izo.aafke.pk).zorgniveau_besluit_id}" in r.content.decode()
    # GET-only endpoints refuse a POST and vice versa.
    assert c.get(reverse("bespreking_vaststellen", args=[izo.izo.pk])).status_code == 405


def test_quick_handelingsplan_afspraak_for_mentor(izo):
    p = izo.p
    c = p.client(p.zorgcoordinator)
    assert "+ Handelingsplan (mentor" in c.get(scherm(izo.izo, izo.aafke)).content.decode()
    r = c.post(reverse("bespreking_besluit", args=[izo.izo.pk, izo.aafke.pk]),
               {"soort": "handelingsplan", "wat": "Handelingsplan opstellen of bijstellen", "eigenaar": p.mentor.pk,
                "uiterlijk": services.standaard_vervolgdatum(p.school).isoformat()})
    assert r.status_code == 302
    assert Afspraak.objects.filter(agendapunt=izo.aafke, soort="handelingsplan", eigenaar=p.mentor).exists()


def test_general_notes_autosave_and_conflict(izo):
    p = izo.p
    c = p.client(p.zorgcoordinator)
    url = reverse("bespreking_algemeen", args=[izo.izo.pk])
    oud = services.versie_van(Bespreking.objects.get(pk=izo.izo.pk))
    r = c.post(url, {"notities": "Mededeling", "samenvatting": "Kort", "versie": oud}, HTTP_X_REQUESTED_WITH="fetch")
    assert r.status_code == 200
    r = c.post(url, {"notities": "Anders", "samenvatting": "", "versie": oud}, HTTP_X_REQUESTED_WITH="fetch")
    assert r.status_code == 409 and json.loads(r.content)["tekst"] == "Mededeling"
    izo.izo.refresh_from_db()
    assert izo.izo.samenvatting == "Kort"
    assert p.client(p.mentor).post(url, {"notities": "x", "versie": ""}).status_code == 403


def test_leerlingbespreking_uses_the_same_screen(izo):
    p = izo.p
    lb = services.plan_bespreking(p.mentor, p.school, Bespreking.Soort.LEERLINGBESPREKING,
                                  timezone.now() + datetime.timedelta(days=2), p.mentor, uitnodigen=False)
    r = p.client(p.mentor).get(scherm(lb))
    assert r.status_code == 200 and "Nog geen leerlingen op de agenda" in r.content.decode()


def test_vertrouwelijk_item_notes_only_for_the_zorgteam(izo):
    p = izo.p
    zc = p.zorgcoordinator
    vergadering.bewaar_notities(zc, p.school, izo.aafke, "Zorgen over de thuissituatie.",
                                services.versie_van(izo.aafke))
    Agendapunt.objects.filter(pk=izo.aafke.pk).update(vertrouwelijk=True)
    for url in (scherm(izo.izo, izo.aafke), reverse("bespreking_verslag", args=[izo.izo.pk])):
        html = p.client(p.mentor).get(url).content.decode()
        assert "Zorgen over de thuissituatie." not in html and "alleen voor het zorgteam" in html
        assert "Zorgen over de thuissituatie." in p.client(zc).get(url).content.decode()
        # A zorgteam participant of the meeting reads it too.
        assert "Zorgen over de thuissituatie." in p.client(p.specialist).get(url).content.decode()
