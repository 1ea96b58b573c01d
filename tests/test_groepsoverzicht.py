"""Groepsoverzicht: default templates, the grid, autosave, conflicts, confidentiality, observaties,
copy to the next periode, scores from the dossier, thresholds and query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from leerlingen.models import Dossieritem
from plannen import groepsoverzicht as svc
from plannen.models import Cel, Groepsoverzicht, Kolom, Observatie, Sjabloon, Soort
from tests import factories as f
from zorg.models import Lesopdracht, Periode

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


def _url(p, klas=None):
    return reverse("groepsoverzicht", args=[(klas or p.klas_a).pk])


def _open(p, user=None, klas=None, **params):
    response = p.client(user or p.mentor).get(_url(p, klas), params)
    assert response.status_code == 200
    return response


def _go(p, klas=None):
    return Groepsoverzicht.objects.get(klas=klas or p.klas_a, soort=Soort.VAKOVERSTIJGEND)


def _post_cel(client, go, leerling, kolom, waarde, versie=None, **extra):
    if versie is None:
        versie = Cel.objects.filter(groepsoverzicht=go, leerling=leerling, kolom=kolom).values_list(
            "versie", flat=True).first() or 0
    data = {"leerling": leerling.pk, "kolom": kolom.pk, "waarde": waarde, "versie": versie, **extra}
    return client.post(reverse("groepsoverzicht_cel", args=[go.pk]), data, HTTP_HX_REQUEST="true")


def _kolom(go, sleutel):
    return go.sjabloon.kolommen.get(sleutel=sleutel)


# --- Templates ------------------------------------------------------------------------------


def test_default_templates_follow_bijlage_3_and_4(personas):
    school = personas.school
    vo = svc.standaard_sjabloon(school, Soort.VAKOVERSTIJGEND)
    sleutels = list(vo.kolommen.values_list("sleutel", flat=True))
    assert sleutels == [
        "s", "tl", "bl", "sp", "rk", "seo-welbevinden", "seo-sociaal-gedrag", "werkhouding", "observaties",
        "bijzonderheden", "onderwijsbehoeften",
    ]
    tl = vo.kolommen.get(sleutel="tl")
    assert (tl.type, tl.toets_onderdeel, tl.drempel) == ("score", "TL", "C")
    assert vo.kolommen.get(sleutel="s").type == "vlag"
    assert vo.kolommen.get(sleutel="bijzonderheden").vertrouwelijk
    assert "positieve kwaliteiten" in vo.kolommen.get(sleutel="observaties").uitleg
    assert "doel" in vo.kolommen.get(sleutel="onderwijsbehoeften").titel.lower()
    # Lazily created once per school.
    assert svc.standaard_sjabloon(school, Soort.VAKOVERSTIJGEND) == vo
    assert Sjabloon.objects.filter(school=school, soort=Soort.VAKOVERSTIJGEND).count() == 1

    vs = svc.standaard_sjabloon(school, Soort.VAKSPECIFIEK)
    assert [k.sleutel for k in vs.kolommen.all()] == [
        "s", "methodeonafhankelijk", "methodegebonden-1", "methodegebonden-2", "observaties", "onderwijsbehoeften",
    ]
    vak = Lesopdracht.objects.get(klas=personas.klas_a).vak
    per_vak = svc.standaard_sjabloon(school, Soort.VAKSPECIFIEK, vak)
    assert per_vak != vs and per_vak.vak == vak
    assert per_vak.kolommen.count() == vs.kolommen.count()


def test_hulpzinnen_from_the_begrijpwijzer():
    zinnen = {categorie: [vol for _kort, vol in lijst] for categorie, lijst in svc.hulpzinnen()}
    assert len(zinnen) == 7
    assert "Om dit doel te bereiken heeft deze leerling een instructie nodig die kort en duidelijk is." in (
        zinnen["een instructie"])
    assert any("time-out" in z for z in zinnen["een leeromgeving"])
    assert sum(len(v) for v in zinnen.values()) == 10 + 10 + 9 + 6 + 6 + 7 + 14


# --- Rendering and round trips --------------------------------------------------------------


WAARDEN = {
    "s": "S", "tl": "B", "bl": "D", "sp": "A", "rk": "C", "seo-welbevinden": "aandacht",
    "seo-sociaal-gedrag": "goed", "werkhouding": "plant slecht, wel gemotiveerd",
    "observaties": "faalangst bij toetsen; sterk in samenwerken", "bijzonderheden": "dyslexieverklaring",
    "onderwijsbehoeften": "Doel: zelfstandig plannen. Heeft een instructie nodig die kort en duidelijk is.",
}


def test_every_default_column_round_trips_through_the_ui(personas):
    p = personas
    client = p.client(p.mentor)
    pagina = _open(p)
    html = pagina.content.decode()
    assert "Groepsoverzicht vakoverstijgend" in html
    assert 'src="/static/js/groepsoverzicht.js" defer' in html or "groepsoverzicht.js" in html
    assert "<script>" not in html.split("<main", 1)[1]  # no inline script
    go = _go(p)
    for sleutel, waarde in WAARDEN.items():
        response = _post_cel(client, go, p.in_a, _kolom(go, sleutel), waarde)
        assert response.status_code == 200, sleutel
        assert "✓ opgeslagen" in response.content.decode()
    html = client.get(_url(p)).content.decode()
    for sleutel, waarde in WAARDEN.items():
        cel = Cel.objects.get(groepsoverzicht=go, leerling=p.in_a, kolom=_kolom(go, sleutel))
        assert cel.waarde == waarde and cel.versie == 1 and cel.gewijzigd_door == p.mentor
        if sleutel == "s":
            assert re.search(rf'id="{re.escape(f"cel-{p.in_a.pk}-{cel.kolom_id}")}"[^>]*>.*?checked', html, re.S)
        else:
            assert waarde in html, sleutel
    assert 'data-hulpzinnen' in html and "Om dit doel te bereiken" in html


def test_vakspecifiek_round_trip_by_the_docent(personas):
    p = personas
    vak = Lesopdracht.objects.get(klas=p.klas_a, docent=p.docent).vak
    client = p.client(p.docent)
    url = reverse("groepsoverzicht_vak", args=[p.klas_a.pk, vak.pk])
    html = client.get(url).content.decode()
    assert vak.naam in html
    go = Groepsoverzicht.objects.get(klas=p.klas_a, soort=Soort.VAKSPECIFIEK, vak=vak)
    assert go.sjabloon == svc.standaard_sjabloon(p.school, Soort.VAKSPECIFIEK)  # no own template for this vak
    for kolom in go.sjabloon.kolommen.all():
        waarde = "S" if kolom.type == "vlag" else ("7,5" if kolom.type == "score" else f"tekst {kolom.sleutel}")
        assert _post_cel(client, go, p.in_a, kolom, waarde).status_code == 200
    html = client.get(url).content.decode()
    assert "tekst observaties" in html and "tekst onderwijsbehoeften" in html and "7,5" in html
    # The docent sees the mentor's cross-subject onderwijsbehoeften of the same pupils (Bijlage 4).
    _open(p)
    vo = _go(p)
    _post_cel(p.client(p.mentor), vo, p.in_a, _kolom(vo, "onderwijsbehoeften"), "Doel: plannen; nodig: stappenplan")
    assert "Doel: plannen; nodig: stappenplan" in client.get(url).content.decode()
    # A vak not taught in this klas has no overview; a second docent of the vak is no problem.
    ander_vak = f.VakFactory(school=p.school)
    assert client.get(reverse("groepsoverzicht_vak", args=[p.klas_a.pk, ander_vak.pk])).status_code == 404
    f.LesopdrachtFactory(docent=p.andere_mentor, klas=p.klas_a, vak=vak)
    assert client.get(url).status_code == 200
    # The mentor may read, not write, the docent's vakspecifiek overview.
    mentor = p.client(p.mentor)
    assert mentor.get(url).status_code == 200
    assert _post_cel(mentor, go, p.in_a, _kolom(go, "observaties"), "x").status_code == 403


def test_autosave_updates_versie_and_datum_bijgewerkt(personas):
    p = personas
    client = p.client(p.mentor)
    _open(p)
    go = _go(p)
    voor = go.bijgewerkt_op
    kolom = _kolom(go, "werkhouding")
    response = _post_cel(client, go, p.in_a, kolom, "eerste", versie=0)
    body = response.content.decode()
    assert 'name="versie" value="1"' in body and 'id="bijgewerkt" hx-swap-oob="true"' in body
    response = _post_cel(client, go, p.in_a, kolom, "tweede", versie=1)
    assert 'name="versie" value="2"' in response.content.decode()
    go.refresh_from_db()
    assert go.bijgewerkt_op > voor
    cel = Cel.objects.get(groepsoverzicht=go, leerling=p.in_a, kolom=kolom)
    assert (cel.waarde, cel.versie) == ("tweede", 2)
    assert cel.history.count() == 2


def test_two_clients_editing_the_same_cell_get_a_conflict_and_nothing_is_overwritten(personas):
    p = personas
    mentor, zc = p.client(p.mentor), p.client(p.zorgcoordinator)
    _open(p)
    go = _go(p)
    kolom = _kolom(go, "observaties")
    # Both opened the page at versie 0; the zorgcoördinator saves first.
    assert _post_cel(zc, go, p.in_a, kolom, "werkt beter naast de deur", versie=0).status_code == 200
    response = _post_cel(mentor, go, p.in_a, kolom, "concentratie beter met koptelefoon", versie=0)
    assert response.status_code == 200
    body = response.content.decode()
    assert response["HX-Retarget"] == f"#cel-{p.in_a.pk}-{kolom.pk}"
    assert "Deze cel is gewijzigd door" in body and escape(p.zorgcoordinator.naam) in body
    assert "werkt beter naast de deur" in body and "concentratie beter met koptelefoon" in body
    for knop in ("Beide bewaren", "De mijne bewaren", "De zijne bewaren"):
        assert knop in body
    cel = Cel.objects.get(groepsoverzicht=go, leerling=p.in_a, kolom=kolom)
    assert (cel.waarde, cel.versie) == ("werkt beter naast de deur", 1)

    # "Beide bewaren" concatenates, with the current versie.
    response = _post_cel(mentor, go, p.in_a, kolom, "concentratie beter met koptelefoon", versie=1,
                         actie="beide", zijne="werkt beter naast de deur")
    assert response.status_code == 200 and "Deze cel is gewijzigd" not in response.content.decode()
    cel.refresh_from_db()
    assert cel.waarde == "werkt beter naast de deur\nconcentratie beter met koptelefoon" and cel.versie == 2

    # "De zijne bewaren" writes nothing; "De mijne bewaren" writes mine at the current versie.
    _post_cel(zc, go, p.in_a, kolom, "alleen dit", versie=2)
    _post_cel(mentor, go, p.in_a, kolom, "mijn tekst", versie=2, actie="zijne")
    cel.refresh_from_db()
    assert (cel.waarde, cel.versie) == ("alleen dit", 3)
    _post_cel(mentor, go, p.in_a, kolom, "mijn tekst", versie=3, actie="mijne")
    cel.refresh_from_db()
    assert (cel.waarde, cel.versie) == ("mijn tekst", 4)
    # Editing the text inside an open conflict box and leaving the cell saves it and closes the box.
    response = _post_cel(mentor, go, p.in_a, kolom, "mijn tekst, aangepast", versie=4, zijne="mijn tekst")
    assert "conflictbox" not in response.content.decode() and response["HX-Retarget"].startswith("#cel-")
    cel.refresh_from_db()
    assert (cel.waarde, cel.versie) == ("mijn tekst, aangepast", 5)
    _post_cel(mentor, go, p.in_a, kolom, "mijn tekst", versie=5)
    # A resolution with a stale versie is itself a conflict again.
    response = _post_cel(zc, go, p.in_a, kolom, "nog iets", versie=4, actie="mijne")
    assert "Deze cel is gewijzigd door" in response.content.decode()
    cel.refresh_from_db()
    assert cel.waarde == "mijn tekst"


def test_every_writable_cell_carries_its_autosave_and_label(personas):
    """The grid renders its cells in one loop from precomputed data: each writable cell still has the
    autosave attributes, the hidden leerling/kolom/versie, and an accessible name; read-only viewers
    get none of it."""
    p = personas
    _open(p)
    go = _go(p)
    kolommen = list(go.sjabloon.kolommen.order_by("volgorde", "pk"))
    _post_cel(p.client(p.mentor), go, p.in_a, _kolom(go, "werkhouding"), "eerste")
    # A keuze that is no longer in the column's list stays selected (nothing is lost on the next save).
    Cel.objects.filter(groepsoverzicht=go, leerling=p.in_a, kolom=_kolom(go, "werkhouding")).update(versie=3)
    Cel.objects.create(groepsoverzicht=go, leerling=p.in_a, kolom=_kolom(go, "seo-welbevinden"), waarde="oud",
                       versie=1, gewijzigd_door=p.mentor)
    html = _open(p).content.decode()
    cel_url = reverse("groepsoverzicht_cel", args=[go.pk])
    for kolom in kolommen:
        td = re.search(rf'<td id="cel-{p.in_a.pk}-{kolom.pk}" class="cel type-{kolom.type}[^"]*"([^>]*)>(.*?)</td>',
                       html, re.S)
        assert td, kolom.sleutel
        attrs, inhoud = td.groups()
        assert f'hx-post="{cel_url}" hx-trigger="change" hx-include="this" hx-target="find .celmeta"' in attrs
        assert f'aria-label="{escape(kolom.titel)} · {escape(p.in_a.sorteernaam)}"' in inhoud, kolom.sleutel
        assert (f'<input type="hidden" name="leerling" value="{p.in_a.pk}"><input type="hidden" name="kolom" '
                f'value="{kolom.pk}">') in inhoud
    werkhouding = re.search(rf'<td id="cel-{p.in_a.pk}-{_kolom(go, "werkhouding").pk}".*?</td>', html, re.S).group(0)
    assert 'name="versie" value="3"' in werkhouding and ">eerste</textarea>" in werkhouding
    seo = re.search(rf'<td id="cel-{p.in_a.pk}-{_kolom(go, "seo-welbevinden").pk}".*?</td>', html, re.S).group(0)
    assert "<option selected>oud</option>" in seo and "<option>goed</option>" in seo
    behoeften = re.search(rf'<td id="cel-{p.in_a.pk}-{_kolom(go, "onderwijsbehoeften").pk}".*?</td>', html,
                          re.S).group(0)
    assert "data-hulpzinnen" in behoeften

    # A docent reads the same grid without inputs or autosave.
    docent_html = _open(p, p.docent).content.decode()
    assert docent_html.count('class="cel ') == html.count('class="cel ')
    assert "hx-post=\"" + cel_url not in docent_html and 'name="versie"' not in docent_html
    assert ">eerste</span>" in docent_html


def test_a_conflict_on_a_keuze_keeps_my_choice_selected(personas):
    p = personas
    mentor, zc = p.client(p.mentor), p.client(p.zorgcoordinator)
    _open(p)
    go = _go(p)
    kolom = _kolom(go, "seo-welbevinden")
    assert _post_cel(zc, go, p.in_a, kolom, "goed", versie=0).status_code == 200
    body = _post_cel(mentor, go, p.in_a, kolom, "zorg", versie=0).content.decode()
    assert "conflictbox" in body and "in-conflict gewijzigd" in body
    assert "<option selected>zorg</option>" in body and "<option>goed</option>" in body
    assert '<input type="hidden" name="zijne" value="goed">' in body and 'name="versie" value="1"' in body


# --- Access ---------------------------------------------------------------------------------


def test_confidential_column_hidden_for_a_docent(personas):
    p = personas
    _open(p)
    go = _go(p)
    kolom = _kolom(go, "bijzonderheden")
    _post_cel(p.client(p.mentor), go, p.in_a, kolom, "geheim-XYZ diagnose ADHD")
    docent_html = _open(p, p.docent).content.decode()
    assert "geheim-XYZ" not in docent_html and "🔒 vertrouwelijk" in docent_html
    assert _post_cel(p.client(p.docent), go, p.in_a, kolom, "x").status_code == 403
    for user in (p.mentor, p.zorgcoordinator):
        assert "geheim-XYZ" in _open(p, user).content.decode()
    teamleider_html = _open(p, p.teamleider).content.decode()
    assert "geheim-XYZ" not in teamleider_html
    # An assigned specialist of this pupil may read it (klas_of_404 keeps specialists out of the
    # klas overview itself; the rule is what the PDF export and others reuse).
    assert svc.vertrouwelijk_zichtbaar(p.specialist, p.school, p.klas_a, [p.in_a.pk]) == set()
    f.BetrokkeneFactory(leerling=p.in_a, gebruiker=p.specialist)
    assert svc.vertrouwelijk_zichtbaar(p.specialist, p.school, p.klas_a, [p.in_a.pk]) == {p.in_a.pk}
    assert svc.vertrouwelijk_zichtbaar(p.docent, p.school, p.klas_a, [p.in_a.pk]) == set()


def test_access_out_of_scope_is_404_and_readers_cannot_write(personas):
    p = personas
    _open(p)
    go = _go(p)
    kolom = _kolom(go, "werkhouding")
    assert p.client(p.andere_mentor).get(_url(p)).status_code == 404
    assert _post_cel(p.client(p.andere_mentor), go, p.in_a, kolom, "x").status_code == 404
    assert p.client(p.ouder_user).get(_url(p)).status_code == 404
    assert _post_cel(p.client(p.teamleider), go, p.in_a, kolom, "x").status_code == 403
    assert _post_cel(p.client(p.docent), go, p.in_a, kolom, "x").status_code == 403
    # A pupil outside the klas is 404, a column of another template too.
    assert _post_cel(p.client(p.mentor), go, p.in_b, kolom, "x").status_code == 404
    ander = svc.standaard_sjabloon(p.school, Soort.VAKSPECIFIEK).kolommen.first()
    assert _post_cel(p.client(p.mentor), go, p.in_a, ander, "x").status_code == 404
    assert p.client(p.mentor).get(reverse("groepsoverzicht_cel", args=[go.pk])).status_code == 405
    assert not Cel.objects.exists()


def test_docent_observation_is_attributed(personas):
    p = personas
    _open(p)
    go = _go(p)
    client = p.client(p.docent)
    html = _open(p, p.docent).content.decode()
    assert "+ observatie" in html
    response = client.post(reverse("groepsoverzicht_observatie", args=[go.pk]),
                           {"leerling": p.in_a.pk, "tekst": "werkt goed samen bij practicum"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "werkt goed samen bij practicum" in response.content.decode()
    obs = Observatie.objects.get()
    assert obs.auteur == p.docent and obs.leerling == p.in_a
    html = _open(p, p.mentor).content.decode()
    assert "werkt goed samen bij practicum" in html and f"— {p.docent.naam}" in html
    # Out of scope: another mentor cannot add; the teamleider reads but may not add.
    assert p.client(p.andere_mentor).post(reverse("groepsoverzicht_observatie", args=[go.pk]),
                                          {"leerling": p.in_a.pk, "tekst": "x"}).status_code == 404
    assert p.client(p.teamleider).post(reverse("groepsoverzicht_observatie", args=[go.pk]),
                                       {"leerling": p.in_a.pk, "tekst": "x"}).status_code == 403


# --- Periods, scores, thresholds ------------------------------------------------------------


def test_new_periode_starts_from_a_copy_of_the_previous_overview(personas):
    p = personas
    client = p.client(p.mentor)
    _open(p)
    go1 = _go(p)
    _post_cel(client, go1, p.in_a, _kolom(go1, "onderwijsbehoeften"), "Doel: plannen")
    _post_cel(client, go1, p.in_a, _kolom(go1, "tl"), "B")
    periode1 = go1.periode
    periode2 = Periode.objects.create(
        schooljaar=p.jaar, nummer=2, begin=periode1.begin + datetime.timedelta(days=100), einde=periode1.einde
    )
    html = _open(p, periode=periode2.pk).content.decode()
    go2 = Groepsoverzicht.objects.get(klas=p.klas_a, periode=periode2)
    assert go2.vorige == go1 and go2.sjabloon == go1.sjabloon
    assert "Doel: plannen" in html and "voortgezet uit de vorige periode" in html
    kopie = Cel.objects.get(groepsoverzicht=go2, leerling=p.in_a, kolom=_kolom(go2, "onderwijsbehoeften"))
    assert kopie.waarde == "Doel: plannen"
    # Scores are not copied as current: the previous score is shown as the earlier measurement.
    assert not Cel.objects.filter(groepsoverzicht=go2, kolom__sleutel="tl").exists()
    assert '<span class="eerder" title="vorige meting">B/</span>' in html
    # The old overview is unchanged by edits in the new one.
    _post_cel(client, go2, p.in_a, _kolom(go2, "onderwijsbehoeften"), "Doel: plannen en leren")
    assert Cel.objects.get(groepsoverzicht=go1, kolom__sleutel="onderwijsbehoeften").waarde == "Doel: plannen"


def test_scores_come_from_the_dossier_with_the_earlier_score_and_shading(personas):
    p = personas
    vandaag = datetime.date.today()
    for datum, score in [(vandaag - datetime.timedelta(days=200), "A"), (vandaag - datetime.timedelta(days=100), "B"),
                         (vandaag, "D")]:
        f.DossieritemFactory(leerling=p.in_a, soort=Dossieritem.Soort.TOETS, toets_onderdeel="BL",
                             toets_score=score, datum=datum)
    f.DossieritemFactory(leerling=p.in_a, soort=Dossieritem.Soort.TOETS, toets_onderdeel="RK", toets_score="B")
    html = _open(p).content.decode()
    go = _go(p)
    bl, rk = _kolom(go, "bl"), _kolom(go, "rk")
    cel_bl = re.search(rf'<td id="cel-{p.in_a.pk}-{bl.pk}"[^>]*>.*?</td>', html, re.S).group(0)
    assert "onder-norm" in cel_bl and "B/</span><strong>D</strong>" in cel_bl and "<textarea" not in cel_bl
    cel_rk = re.search(rf'<td id="cel-{p.in_a.pk}-{rk.pk}"[^>]*>.*?</td>', html, re.S).group(0)
    assert "onder-norm" not in cel_rk and "<strong>B</strong>" in cel_rk
    # No double entry: a dossier-fed score cannot be typed over.
    assert _post_cel(p.client(p.mentor), go, p.in_a, bl, "A").status_code == 403


@pytest.mark.parametrize(("waarde", "drempel", "keuzes", "onder"), [
    ("D", "C", "", True), ("C", "C", "", False), ("A", "C", "", False), ("c", "C", "", False),
    ("5,4", "5.5", "", True), ("6", "5.5", "", False), ("", "C", "", False), ("B", "", "", False),
    ("zorg", "voldoende", svc.SEO_KEUZES, True), ("goed", "voldoende", svc.SEO_KEUZES, False),
    ("onleesbaar", "C", "", False),
])
def test_threshold(waarde, drempel, keuzes, onder):
    assert svc.onder_drempel(waarde, drempel, keuzes) is onder


def test_threshold_shading_of_typed_scores_and_keuzes(personas):
    p = personas
    client = p.client(p.mentor)
    _open(p)
    go = _go(p)
    _post_cel(client, go, p.in_a, _kolom(go, "sp"), "E")
    _post_cel(client, go, p.in_a, _kolom(go, "seo-welbevinden"), "zorg")
    _post_cel(client, go, p.in_a, _kolom(go, "rk"), "A")
    html = _open(p).content.decode()
    for sleutel, onder in [("sp", True), ("seo-welbevinden", True), ("rk", False)]:
        td = re.search(rf'<td id="cel-{p.in_a.pk}-{_kolom(go, sleutel).pk}" class="([^"]*)"', html).group(1)
        assert ("onder-norm" in td) is onder, sleutel


def test_a_score_cell_refuses_text_that_is_no_score_and_saves_nothing(personas):
    p = personas
    client = p.client(p.mentor)
    _open(p)
    go = _go(p)
    response = _post_cel(client, go, p.in_a, _kolom(go, "sp"), "werkt goed")
    assert response.status_code == 422
    assert "Geen geldige score" in response.content.decode()
    assert not Cel.objects.filter(groepsoverzicht=go, leerling=p.in_a, kolom=_kolom(go, "sp")).exists()
    for score in ["B+", "iv", "7,5", "42", ""]:
        assert _post_cel(client, go, p.in_a, _kolom(go, "sp"), score).status_code == 200, score


# --- Performance ----------------------------------------------------------------------------


def _vul_klas(p, aantal):
    go = _go(p)
    kolommen = list(go.sjabloon.kolommen.all())
    for _i in range(aantal):
        leerling = f.KlasplaatsingFactory(klas=p.klas_a, leerling__school=p.school).leerling
        f.DossieritemFactory(leerling=leerling, soort=Dossieritem.Soort.TOETS, toets_onderdeel="TL", toets_score="C")
        Cel.objects.bulk_create(
            Cel(groepsoverzicht=go, leerling=leerling, kolom=k, waarde="x", versie=1, gewijzigd_door=p.mentor)
            for k in kolommen if k.type != "score"
        )
        Observatie.objects.create(groepsoverzicht=go, leerling=leerling, auteur=p.docent, tekst="obs")


@pytest.mark.parametrize("user", ["mentor", "docent"])
def test_render_query_count_does_not_depend_on_the_number_of_pupils(personas, user):
    p = personas
    _open(p)
    client = p.client(getattr(p, user))
    client.get(_url(p))  # warm up session/user caches

    def tel():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url(p))
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    _vul_klas(p, 4)
    weinig, _r = tel()
    _vul_klas(p, 25)
    veel, response = tel()
    assert veel == weinig, f"{weinig} queries for 5 pupils, {veel} for 30"
    assert response.content.decode().count('class="cel ') == 30 * Kolom.objects.filter(
        sjabloon=_go(p).sjabloon).count()
    assert veel < 30


# --- Templates page (applicatiebeheerder) ---------------------------------------------------


def test_applicatiebeheerder_adapts_columns(personas):
    p = personas
    client = p.client(p.beheerder)
    assert client.get(reverse("sjablonen")).status_code == 200
    sjabloon = svc.standaard_sjabloon(p.school, Soort.VAKOVERSTIJGEND)
    url = reverse("sjabloon", args=[sjabloon.pk])
    response = client.get(url)
    assert response.status_code == 200
    formset = response.context["formset"]
    data = {}
    for key, value in formset.management_form.initial.items():
        data[f"kolom-{key}"] = value
    kolommen = list(sjabloon.kolommen.order_by("volgorde"))
    data["kolom-TOTAL_FORMS"] = len(kolommen) + 1
    for i, k in enumerate(kolommen):
        for veld in ("volgorde", "titel", "sleutel", "type", "keuzes", "drempel", "toets_onderdeel", "uitleg"):
            data[f"kolom-{i}-{veld}"] = getattr(k, veld)
        if k.vertrouwelijk:
            data[f"kolom-{i}-vertrouwelijk"] = "on"
        data[f"kolom-{i}-id"] = k.pk
    i_tl = [k.sleutel for k in kolommen].index("tl")
    i_rk = [k.sleutel for k in kolommen].index("rk")
    i_sp = [k.sleutel for k in kolommen].index("sp")
    data[f"kolom-{i_tl}-titel"] = "Technisch lezen"
    data[f"kolom-{i_tl}-drempel"] = "D"
    data[f"kolom-{i_rk}-volgorde"] = 1  # move RK to the front
    data[f"kolom-{i_sp}-DELETE"] = "on"
    n = len(kolommen)
    data[f"kolom-{n}-titel"] = "Huiswerkattitude"
    data[f"kolom-{n}-type"] = "tekst"
    data[f"kolom-{n}-volgorde"] = 500
    response = client.post(url, data)
    assert response.status_code == 302, response.context["formset"].errors if response.context else ""
    sleutels = list(sjabloon.kolommen.order_by("volgorde").values_list("sleutel", flat=True))
    assert sleutels[0] == "rk" and "sp" not in sleutels and sleutels[-1] == "huiswerkattitude"
    tl = sjabloon.kolommen.get(sleutel="tl")
    assert (tl.titel, tl.drempel) == ("Technisch lezen", "D")
    # The overview follows the template.
    html = _open(p).content.decode()
    assert "Technisch lezen" in html and "Huiswerkattitude" in html

    # Per vak.
    vak = Lesopdracht.objects.get(klas=p.klas_a).vak
    response = client.post(reverse("sjabloon_vak", args=[vak.pk]))
    assert response.status_code == 302
    eigen = Sjabloon.objects.get(school=p.school, vak=vak)
    assert svc.sjabloon_voor(p.school, Soort.VAKSPECIFIEK, vak) == eigen
    assert svc.groepsoverzicht_voor(p.klas_a, p.jaar.periode_op(), Soort.VAKSPECIFIEK, vak).sjabloon == eigen
    # Others may not.
    assert p.client(p.mentor).get(reverse("sjablonen")).status_code == 404
    assert p.client(p.mentor).get(url).status_code == 404


def test_links_from_klas_page_and_klassen_list(personas):
    p = personas
    html = p.client(p.mentor).get(reverse("klas", args=[p.klas_a.pk])).content.decode()
    assert f'href="{_url(p)}"' in html and "Groepsoverzicht bijwerken" in html
    vak = Lesopdracht.objects.get(klas=p.klas_a).vak
    html = p.client(p.docent).get(reverse("mijn_klassen")).content.decode()
    assert reverse("groepsoverzicht_vak", args=[p.klas_a.pk, vak.pk]) in html
