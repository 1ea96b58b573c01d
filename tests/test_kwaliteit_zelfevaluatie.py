"""Zelfevaluatie zorgstructuur (issue 10): the standard questionnaires, rounds sent by role, filling in,
results per rubriek and role (with the anonymity threshold), questionnaire editing, verbeterpunten."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from zorg import zelfevaluatie as ze
from zorg.checklist_zorgstructuur import CHECKLIST_ZORGSTRUCTUUR, EVALUATIE_ZORGOVERLEG
from zorg.models import (
    Antwoord,
    Functie,
    Notificatie,
    Respondent,
    Rubriek,
    Verbeterpunt,
    Vraag,
    Vragenlijst,
    Zelfevaluatie,
)

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


def test_checklist_heeft_20_rubrieken_en_121_vragen():
    assert len(CHECKLIST_ZORGSTRUCTUUR) == 20
    assert sum(len(vragen) for _, vragen in CHECKLIST_ZORGSTRUCTUUR) == 121
    assert CHECKLIST_ZORGSTRUCTUUR[5][0] == "De mentor"
    assert all(v.endswith(".") and "  " not in v for _, vragen in CHECKLIST_ZORGSTRUCTUUR for v in vragen)


def test_standaard_vragenlijst_is_idempotent(personas):
    lijst = ze.standaard_vragenlijst(personas.school, "zorgstructuur")
    assert Rubriek.objects.filter(vragenlijst=lijst).count() == 20
    assert Vraag.objects.filter(rubriek__vragenlijst=lijst).count() == 121
    assert ze.standaard_vragenlijst(personas.school, "zorgstructuur") == lijst
    assert Vraag.objects.filter(rubriek__vragenlijst=lijst).count() == 121
    overleg = ze.standaard_vragenlijst(personas.school, "zorgoverleg")
    assert overleg.rubrieken.count() == len(EVALUATIE_ZORGOVERLEG)
    assert Vragenlijst.objects.filter(school=personas.school).count() == 2
    assert not Vragenlijst.objects.filter(school=personas.andere_school).exists()


# --- Helpers ---------------------------------------------------------------------------------------

Rol = Respondent.Rol


def _kleine_lijst(school):
    """A small questionnaire: rubriek A (2 items), B (1 item), C (1 item)."""
    lijst = Vragenlijst.objects.create(school=school, soort="zorgoverleg", naam="Klein")
    a = Rubriek.objects.create(vragenlijst=lijst, volgorde=1, naam="A")
    b = Rubriek.objects.create(vragenlijst=lijst, volgorde=2, naam="B")
    c = Rubriek.objects.create(vragenlijst=lijst, volgorde=3, naam="C")
    vragen = {
        "a1": Vraag.objects.create(rubriek=a, volgorde=1, tekst="a1"),
        "a2": Vraag.objects.create(rubriek=a, volgorde=2, tekst="a2"),
        "b1": Vraag.objects.create(rubriek=b, volgorde=1, tekst="b1"),
        "c1": Vraag.objects.create(rubriek=c, volgorde=1, tekst="c1"),
    }
    return lijst, (a, b, c), vragen


def _ronde(p, lijst, status=Zelfevaluatie.Status.OPEN, titel="Ronde", **kw):
    return Zelfevaluatie.objects.create(
        school=p.school, schooljaar=p.jaar, vragenlijst=lijst, titel=titel, rollen=list(Rol.values),
        status=status, **kw,
    )


def _respondent(ronde, rol, scores, ingediend=True, gebruiker=None):
    r = Respondent.objects.create(
        zelfevaluatie=ronde, gebruiker=gebruiker or f.GebruikerFactory(), rol=rol,
        ingediend_op=timezone.now() if ingediend else None,
    )
    Antwoord.objects.bulk_create(Antwoord(respondent=r, vraag=v, score=s) for v, s in scores.items())
    return r


# --- Sending a round ---------------------------------------------------------------------------------


def test_versturen_maakt_een_respondent_per_medewerker_in_de_zwaarste_functie(personas):
    p = personas
    # The directie also teaches a klas: still answers as management.
    f.LesopdrachtFactory(docent=p.directie, klas=p.klas_b)
    lijst = ze.standaard_vragenlijst(p.school, "zorgstructuur")
    ronde = _ronde(p, lijst, status=Zelfevaluatie.Status.CONCEPT)
    p.client(p.zorgcoordinator).post(reverse("zelfevaluatie_versturen", args=[ronde.pk]))
    ronde.refresh_from_db()
    assert ronde.status == Zelfevaluatie.Status.OPEN and ronde.verstuurd_op
    rollen = dict(ronde.respondenten.values_list("gebruiker__username", "rol"))
    assert rollen == {
        "directie": Rol.MANAGEMENT, "teamleider": Rol.MANAGEMENT,
        "zorgcoordinator": Rol.ZORGFUNCTIE, "specialist": Rol.ZORGFUNCTIE,
        "mentor": Rol.MENTOR, "andere_mentor": Rol.MENTOR, "docent": Rol.DOCENT,
    }
    meldingen = Notificatie.objects.filter(url=reverse("zelfevaluatie_invullen", args=[ronde.pk]))
    assert set(meldingen.values_list("ontvanger__username", flat=True)) == set(rollen)
    # Sending twice does nothing more.
    p.client(p.zorgcoordinator).post(reverse("zelfevaluatie_versturen", args=[ronde.pk]))
    assert ronde.respondenten.count() == 7 and meldingen.count() == 7


def test_versturen_alleen_naar_de_gekozen_functies(personas):
    p = personas
    lijst = ze.standaard_vragenlijst(p.school, "zorgstructuur")
    ronde = _ronde(p, lijst, status=Zelfevaluatie.Status.CONCEPT)
    ronde.rollen = [Rol.MENTOR, Rol.DOCENT]
    ronde.save()
    ze.versturen(ronde, p.zorgcoordinator)
    assert set(ronde.respondenten.values_list("gebruiker__username", flat=True)) == {
        "mentor", "andere_mentor", "docent",
    }


def test_nieuwe_ronde_via_het_formulier(personas):
    p = personas
    lijst = ze.standaard_vragenlijst(p.school, "zorgstructuur")
    client = p.client(p.directie)
    fout = client.post(reverse("zelfevaluatie_nieuw"), {"vragenlijst": lijst.pk, "titel": "Checklist 2026"})
    assert fout.status_code == 200 and "Kies minstens één functie." in fout.content.decode()
    assert 'value="Checklist 2026"' in fout.content.decode()  # nothing lost
    r = client.post(reverse("zelfevaluatie_nieuw"), {
        "vragenlijst": lijst.pk, "titel": "Checklist 2026", "rollen": ["mentor", "docent"],
    })
    ronde = Zelfevaluatie.objects.get(titel="Checklist 2026")
    assert r.url == reverse("zelfevaluatie_resultaten", args=[ronde.pk])
    assert ronde.schooljaar == p.jaar and ronde.status == "concept" and ronde.rollen == ["mentor", "docent"]


# --- Filling in ---------------------------------------------------------------------------------------


def test_invullen_opslaan_en_indienen(personas):
    p = personas
    lijst, _r, v = _kleine_lijst(p.school)
    ronde = _ronde(p, lijst)
    resp = Respondent.objects.create(zelfevaluatie=ronde, gebruiker=p.mentor, rol=Rol.MENTOR)
    client = p.client(p.mentor)
    url = reverse("zelfevaluatie_invullen", args=[ronde.pk])
    assert client.get(url).status_code == 200
    client.post(url, {f"v{v['a1'].pk}": "4", f"v{v['b1'].pk}": "0", "opmerkingen": "Goed", "opslaan": "1"})
    resp.refresh_from_db()
    assert resp.ingediend_op is None and resp.opmerkingen == "Goed"
    assert dict(resp.antwoorden.values_list("vraag__tekst", "score")) == {"a1": 4, "b1": 0}
    # Submitting; a1 left blank now removes its answer.
    client.post(url, {f"v{v['b1'].pk}": "2", f"v{v['c1'].pk}": "3", "indienen": "1"})
    resp.refresh_from_db()
    assert resp.ingediend_op is not None
    assert dict(resp.antwoorden.values_list("vraag__tekst", "score")) == {"b1": 2, "c1": 3}


def test_invullen_foute_invoer_bewaart_niets_en_verliest_niets(personas):
    p = personas
    lijst, _r, v = _kleine_lijst(p.school)
    ronde = _ronde(p, lijst)
    resp = Respondent.objects.create(zelfevaluatie=ronde, gebruiker=p.mentor, rol=Rol.MENTOR)
    r = p.client(p.mentor).post(reverse("zelfevaluatie_invullen", args=[ronde.pk]), {
        f"v{v['a1'].pk}": "9", f"v{v['a2'].pk}": "3", "opmerkingen": "mijn tekst", "indienen": "1",
    })
    html = r.content.decode()
    assert r.status_code == 400 and "Kies een van de antwoorden" in html
    assert f'name="v{v["a2"].pk}" value="3" id="id_v{v["a2"].pk}_2" checked' in html  # a2's choice kept
    assert "mijn tekst" in html
    assert not resp.antwoorden.exists()
    resp.refresh_from_db()
    assert resp.ingediend_op is None


def test_invullen_alleen_eigen_en_alleen_open(personas):
    p = personas
    lijst, _r, v = _kleine_lijst(p.school)
    ronde = _ronde(p, lijst)
    Respondent.objects.create(zelfevaluatie=ronde, gebruiker=p.mentor, rol=Rol.MENTOR)
    url = reverse("zelfevaluatie_invullen", args=[ronde.pk])
    # Not asked: 404 (also the zorgcoördinator).
    assert p.client(p.docent).get(url).status_code == 404
    assert p.client(p.zorgcoordinator).get(url).status_code == 404
    # Closed: refused, nothing saved.
    ronde.status = Zelfevaluatie.Status.GESLOTEN
    ronde.save()
    r = p.client(p.mentor).post(url, {f"v{v['a1'].pk}": "4", "indienen": "1"})
    assert r.status_code == 400
    assert not Antwoord.objects.exists()
    # Past the closing date while still open: refused as well.
    ronde.status, ronde.sluit_op = Zelfevaluatie.Status.OPEN, timezone.localdate() - datetime.timedelta(days=1)
    ronde.save()
    p.client(p.mentor).post(url, {f"v{v['a1'].pk}": "4", "indienen": "1"})
    assert not Antwoord.objects.exists()


def test_mijn_zelfevaluaties(personas):
    p = personas
    lijst, _r, _v = _kleine_lijst(p.school)
    ronde = _ronde(p, lijst, titel="Evaluatie zorgoverleg")
    Respondent.objects.create(zelfevaluatie=ronde, gebruiker=p.mentor, rol=Rol.MENTOR)
    html = p.client(p.mentor).get(reverse("mijn_zelfevaluaties")).content.decode()
    assert "Evaluatie zorgoverleg" in html and reverse("zelfevaluatie_invullen", args=[ronde.pk]) in html
    leeg = p.client(p.docent).get(reverse("mijn_zelfevaluaties"))
    assert leeg.status_code == 200 and "Evaluatie zorgoverleg" not in leeg.content.decode()
    assert p.client(p.ouder_user).get(reverse("mijn_zelfevaluaties")).status_code == 404


# --- Results -------------------------------------------------------------------------------------------


def _ronde_met_antwoorden(p):
    """Known answers. Rubriek A = a1, a2; B = b1; C = c1.

    management (3 submitted): a1 4,4,2  a2 ?,3,3  b1 1,1,1
    mentor (2 submitted): a1 1,1  b1 4,?
    docent: 1 not submitted: a1 4 (not counted)
    """
    lijst, rub, v = _kleine_lijst(p.school)
    ronde = _ronde(p, lijst)
    _respondent(ronde, Rol.MANAGEMENT, {v["a1"]: 4, v["a2"]: 0, v["b1"]: 1})
    _respondent(ronde, Rol.MANAGEMENT, {v["a1"]: 4, v["a2"]: 3, v["b1"]: 1})
    _respondent(ronde, Rol.MANAGEMENT, {v["a1"]: 2, v["a2"]: 3, v["b1"]: 1})
    _respondent(ronde, Rol.MENTOR, {v["a1"]: 1, v["b1"]: 4})
    _respondent(ronde, Rol.MENTOR, {v["a1"]: 1, v["b1"]: 0})
    _respondent(ronde, Rol.DOCENT, {v["a1"]: 4}, ingediend=False)
    return ronde, rub, v


def test_gemiddelden_per_rubriek_en_functie(personas):
    p = personas
    ronde, (a, b, c), v = _ronde_met_antwoorden(p)
    u = ze.resultaten(ronde)
    per = {r.rubriek.naam: r for r in u.rubrieken}
    # A overall: 4+4+2+3+3+1+1 = 18 over 7 answers ('?' left out, the docent not submitted).
    assert per["A"].gemiddelde == round(18 / 7, 2)
    # B overall: 1+1+1+4 = 7 over 4.
    assert per["B"].gemiddelde == 1.75
    assert per["C"].gemiddelde is None
    # Per role: only management has >= 3 submitted respondents.
    assert u.rollen_met_cijfers == [Rol.MANAGEMENT]
    assert per["A"].per_rol == {Rol.MANAGEMENT: round(16 / 5, 2)}
    assert per["B"].per_rol == {Rol.MANAGEMENT: 1.0}
    assert u.rollen_te_klein == ["mentor"]
    # Response per role: (rol, label, asked, submitted, percent).
    respons = {r[0]: r[2:] for r in u.respons}
    assert respons[Rol.MANAGEMENT] == (3, 3, 100) and respons[Rol.MENTOR] == (2, 2, 100)
    assert respons[Rol.DOCENT] == (1, 0, 0) and respons[""] == (6, 5, 83)
    # Strong and weak rubrieken (C has no figures).
    assert [r.rubriek.naam for r in u.sterk] == ["A", "B"]
    assert [r.rubriek.naam for r in u.zwak] == ["B", "A"]
    # Distribution of a1: --:2, -:1, ++:2 (the docent's draft not counted).
    a1 = next(d for d in u.vragen[a.pk] if d.vraag == v["a1"])
    assert a1.aantallen == {1: 2, 2: 1, 3: 0, 4: 2, 0: 0}


def test_anonimiteit_op_de_resultatenpagina(personas):
    p = personas
    ronde, _rub, _v = _ronde_met_antwoorden(p)
    html = p.client(p.directie).get(reverse("zelfevaluatie_resultaten", args=[ronde.pk])).content.decode()
    assert "Geen aparte cijfers voor: mentor" in html
    assert '<th scope="col">Management</th>' in html
    assert '<th scope="col">Mentor</th>' not in html
    # A third submitting mentor gives the mentors figures of their own.
    _respondent(ronde, Rol.MENTOR, {})
    html = p.client(p.directie).get(reverse("zelfevaluatie_resultaten", args=[ronde.pk])).content.decode()
    assert '<th scope="col">Mentor</th>' in html and "Geen aparte cijfers" not in html


def test_vergelijking_met_de_vorige_ronde_en_download(personas):
    p = personas
    ronde, (a, b, c), v = _ronde_met_antwoorden(p)
    nieuw = _ronde(p, ronde.vragenlijst, titel="Nieuwe ronde")
    for _i in range(3):
        _respondent(nieuw, Rol.DOCENT, {v["a1"]: 3, v["b1"]: 2})
    u = ze.resultaten(nieuw)
    assert u.vorige_ronde == ronde
    per = {r.rubriek.naam: r for r in u.rubrieken}
    assert per["A"].gemiddelde == 3.0 and per["A"].vorige == round(18 / 7, 2)
    r = p.client(p.zorgcoordinator).get(reverse("zelfevaluatie_download", args=[nieuw.pk, "csv"]))
    regels = r.content.decode("utf-8-sig").splitlines()
    assert regels[0] == "Rubriek;Gemiddelde (alle functies);Gemiddelde docent;Vorige ronde"
    assert regels[1] == f"A;3.0;3.0;{round(18 / 7, 2)}"
    assert regels[3] == "C;;;"
    xlsx = p.client(p.zorgcoordinator).get(reverse("zelfevaluatie_download", args=[nieuw.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_resultaten_met_een_begrensd_aantal_queries(personas):
    p = personas
    ronde, _rub, _v = _ronde_met_antwoorden(p)
    client = p.client(p.zorgcoordinator)
    url = reverse("zelfevaluatie_resultaten", args=[ronde.pk])
    client.get(url)

    def aantal():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    weinig = aantal()
    lijst = ronde.vragenlijst
    extra = Rubriek.objects.create(vragenlijst=lijst, volgorde=9, naam="Extra")
    vragen = [Vraag.objects.create(rubriek=extra, volgorde=i, tekst=f"x{i}") for i in range(8)]
    for i in range(12):
        _respondent(ronde, [Rol.DOCENT, Rol.MENTOR][i % 2], {vr: 1 + (i % 4) for vr in vragen})
    Verbeterpunt.objects.create(school=p.school, zelfevaluatie=ronde, wat="x", eigenaar=p.mentor,
                                uiterlijk=timezone.localdate())
    assert aantal() == weinig


# --- Editing the questionnaire ------------------------------------------------------------------------


def test_beantwoorde_vraag_alleen_uitzetten(personas):
    p = personas
    ronde, (a, b, c), v = _ronde_met_antwoorden(p)
    client = p.client(p.zorgcoordinator)
    url = reverse("vragenlijst_bewerken", args=[ronde.vragenlijst.pk])
    r = client.post(url, {"actie": "vraag", "vraag": v["a1"].pk, "tekst": "Iets heel anders"})
    assert r.status_code == 400 and "al beantwoord" in r.content.decode()
    v["a1"].refresh_from_db()
    assert v["a1"].tekst == "a1"
    r = client.post(url, {"actie": "vraag_weg", "vraag": v["a1"].pk})
    assert r.status_code == 400 and Vraag.objects.filter(pk=v["a1"].pk).exists()
    client.post(url, {"actie": "vraag_uit", "vraag": v["a1"].pk})
    v["a1"].refresh_from_db()
    assert not v["a1"].actief
    # An unanswered item can be reworded and deleted.
    client.post(url, {"actie": "vraag", "vraag": v["c1"].pk, "tekst": "c1 beter"})
    v["c1"].refresh_from_db()
    assert v["c1"].tekst == "c1 beter"
    client.post(url, {"actie": "vraag_weg", "vraag": v["c1"].pk})
    assert not Vraag.objects.filter(pk=v["c1"].pk).exists()
    # Rubrieken: rename, add; an empty name is refused with the input kept.
    client.post(url, {"actie": "rubriek_naam", "rubriek": b.pk, "tekst": "B nieuw"})
    b.refresh_from_db()
    assert b.naam == "B nieuw"
    r = client.post(url, {"actie": "vraag_nieuw", "rubriek": b.pk, "tekst": "  "})
    assert r.status_code == 400 and "Vul de tekst van de vraag in." in r.content.decode()
    client.post(url, {"actie": "vraag_nieuw", "rubriek": b.pk, "tekst": "b2"})
    assert list(b.vragen.values_list("tekst", flat=True)) == ["b1", "b2"]
    # The switched-off item is not asked any more.
    Respondent.objects.create(zelfevaluatie=ronde, gebruiker=p.mentor, rol=Rol.MENTOR)
    html = p.client(p.mentor).get(reverse("zelfevaluatie_invullen", args=[ronde.pk])).content.decode()
    assert "<legend>1. a2</legend>" in html and ">1. a1<" not in html


# --- Verbeterpunten ----------------------------------------------------------------------------------


def test_verbeterpunt_eigenaar_en_afhandelen(personas):
    p = personas
    ronde, (a, b, c), v = _ronde_met_antwoorden(p)
    zc = p.client(p.zorgcoordinator)
    url = reverse("verbeterpunt_nieuw", args=[ronde.pk])
    datum = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    # Someone of another school cannot be the owner.
    vreemd = f.GebruikerFactory()
    f.FunctieFactory(gebruiker=vreemd, schooljaar=p.andere_klas.schooljaar, soort=Functie.Soort.DOCENT)
    r = zc.post(url, {"rubriek": b.pk, "wat": "Zorgteam vaker bij leerlingbesprekingen", "eigenaar": vreemd.pk,
                      "uiterlijk": datum})
    assert r.status_code == 200 and "Kies een medewerker van de school" in r.content.decode()
    assert "Zorgteam vaker bij leerlingbesprekingen" in r.content.decode()
    zc.post(url, {"rubriek": b.pk, "wat": "Zorgteam vaker bij leerlingbesprekingen", "eigenaar": p.mentor.pk,
                  "uiterlijk": datum})
    punt = Verbeterpunt.objects.get()
    assert punt.eigenaar == p.mentor and punt.rubriek == b and punt.school == p.school
    assert Notificatie.objects.filter(ontvanger=p.mentor, tekst__contains="verbeterpunt").exists()
    assert "Zorgteam vaker" in p.client(p.mentor).get(reverse("mijn_zelfevaluaties")).content.decode()
    afhandelen = reverse("verbeterpunt_afhandelen", args=[punt.pk])
    assert p.client(p.docent).get(afhandelen).status_code == 404
    assert p.client(p.teamleider).get(afhandelen).status_code == 404
    r = p.client(p.mentor).post(afhandelen, {"status": "vervallen"})
    assert "Licht toe waarom" in r.content.decode()
    p.client(p.mentor).post(afhandelen, {"status": "gedaan", "toelichting": "Staat in de jaarplanning"})
    punt.refresh_from_db()
    assert punt.status == "gedaan" and punt.afgehandeld_op and punt.toelichting == "Staat in de jaarplanning"


# --- Scope ---------------------------------------------------------------------------------------------


def test_beheerpaginas_alleen_voor_zorgcoordinator_en_directie(personas):
    p = personas
    lijst = ze.standaard_vragenlijst(p.school, "zorgstructuur")
    ronde = _ronde(p, lijst)
    urls = [
        reverse("zelfevaluaties"), reverse("zelfevaluatie_nieuw"), reverse("vragenlijst_bewerken", args=[lijst.pk]),
        reverse("zelfevaluatie_resultaten", args=[ronde.pk]), reverse("verbeterpunt_nieuw", args=[ronde.pk]),
        reverse("zelfevaluatie_download", args=[ronde.pk, "csv"]),
    ]
    for user in (p.zorgcoordinator, p.directie):
        client = p.client(user)
        assert [client.get(u).status_code for u in urls] == [200] * len(urls), user
    for user in (p.mentor, p.docent, p.teamleider, p.specialist, p.beheerder, p.ouder_user, p.extern):
        client = p.client(user)
        assert [client.get(u).status_code for u in urls] == [404] * len(urls), user
        assert client.post(reverse("zelfevaluatie_sluiten", args=[ronde.pk])).status_code == 404
    # Another school's round and questionnaire: 404 for this school's zorgcoördinator.
    ander = ze.standaard_vragenlijst(p.andere_school, "zorgstructuur")
    zc = p.client(p.zorgcoordinator)
    assert zc.get(reverse("vragenlijst_bewerken", args=[ander.pk])).status_code == 404


def test_lege_startpagina_biedt_de_standaardlijst(personas):
    p = personas
    client = p.client(p.zorgcoordinator)
    html = client.get(reverse("zelfevaluaties")).content.decode()
    assert "Begin met de standaard" in html
    r = client.post(reverse("zelfevaluatie_standaard", args=["zorgstructuur"]))
    lijst = Vragenlijst.objects.get(school=p.school)
    assert r.url == reverse("vragenlijst_bewerken", args=[lijst.pk])
    assert client.get(r.url).status_code == 200


def test_een_onzinnig_id_in_de_bewerking_vindt_niets(personas):
    """Found by the fuzzer: a non-numeric rubriek or vraag id was a server error."""
    p = personas
    ronde, _antwoorden, _v = _ronde_met_antwoorden(p)
    url = reverse("vragenlijst_bewerken", args=[ronde.vragenlijst.pk])
    client = p.client(p.zorgcoordinator)
    for veld, actie in (("rubriek", "rubriek_naam"), ("vraag", "vraag")):
        for onzin in ("abc", "²", "1" * 30, ""):
            assert client.post(url, {"actie": actie, veld: onzin, "tekst": "x"}).status_code == 404
