"""The parent's overview per child and the shared verslagen: content on a constructed case, scope
(another child's ids, guessed ids, team and confidential entries → 404), bounded queries, downloads."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from besprekingen.models import Agendapunt, Bespreking
from ouders.overzicht import uitleg_zorgniveau
from plannen.models import Doel, Handelingsplan
from tests import factories as f
from zorg.models import Inzage, Zorgniveau


def plan(leerling, auteur, **kwargs):
    return Handelingsplan.objects.create(leerling=leerling, auteur=auteur, **kwargs)


@pytest.fixture
def geval(personas):
    """in_a with a fixed plan (evaluation in 3 weeks), a concept laid before the parents, an open
    consent request, an upcoming gesprek and entries of every vertrouwelijkheid."""
    p = personas
    vandaag = timezone.localdate()
    p.plan = plan(p.in_a, p.mentor, status="vastgesteld", vastgesteld_op=timezone.now(),
                  evaluatiedatum=vandaag + datetime.timedelta(days=21))
    Doel.objects.create(handelingsplan=p.plan, doel="Rustig blijven bij toetsen")
    p.concept = plan(p.in_a, p.mentor, status="concept", voorgelegd_op=timezone.now())
    p.verborgen_concept = plan(p.in_a, p.mentor, status="concept")
    p.toestemming = f.ToestemmingFactory(leerling=p.in_a, ouder=None, status="aangevraagd",
                                         aangevraagd_op=timezone.now())
    p.gesprek = Bespreking.objects.create(school=p.school, soort="gesprek", voorzitter=p.mentor, titel="Gesprek",
                                          begin=timezone.now() + datetime.timedelta(days=3), locatie="Lokaal 12")
    Agendapunt.objects.create(bespreking=p.gesprek, leerling=p.in_a)
    oud = Bespreking.objects.create(school=p.school, soort="gesprek", voorzitter=p.mentor,
                                    begin=timezone.now() - datetime.timedelta(days=3))
    Agendapunt.objects.create(bespreking=oud, leerling=p.in_a)
    p.gedeeld = f.DossieritemFactory(leerling=p.in_a, soort="gesprek", vertrouwelijkheid="ouders",
                                     titel="Gesprek over toetsangst", afspraken="Elke vrijdag even bijpraten")
    p.team = f.DossieritemFactory(leerling=p.in_a, vertrouwelijkheid="team", titel="Alleen voor het team")
    p.vertrouwelijk = f.DossieritemFactory(leerling=p.in_a, vertrouwelijkheid="vertrouwelijk", titel="Geheim")
    p.ander_kind = f.DossieritemFactory(leerling=p.in_b, vertrouwelijkheid="ouders", titel="Van een ander kind")
    return p


def test_overzicht_toont_plan_toestemming_en_gesprek(geval):
    p = geval
    html = p.client(p.ouder_user).get(reverse("ouder_kind", args=[p.in_a.pk])).content.decode()
    assert "Rustig blijven bij toetsen" in html
    assert reverse("ouder_plan", args=[p.plan.pk]) in html
    assert reverse("ouder_plan", args=[p.concept.pk]) in html
    assert reverse("ouder_plan", args=[p.verborgen_concept.pk]) not in html
    assert reverse("ouder_toestemming", args=[p.toestemming.pk]) in html
    assert "Uw reactie gevraagd (2)" in html
    assert "Lokaal 12" in html
    assert "Evaluatie van het plan op" in html
    for m in p.klas_a.mentoren.all():
        assert f"mailto:{m.email}" in html
    for naam in ("ouder_verslagen", "ouder_correcties", "inzagelog_kind", "ouder_toestemmingen"):
        assert reverse(naam, args=[p.in_a.pk]) in html

    start = p.client(p.ouder_user).get(reverse("ouder_start")).content.decode()
    assert "Uw reactie gevraagd (2)" in start
    assert reverse("ouder_plan", args=[p.plan.pk]) in start
    assert "Lokaal 12" in start
    assert escape(p.in_b.voornaam) not in start or p.in_b.voornaam == p.in_a.voornaam


def test_uitleg_zorgniveau_in_gewone_woorden(personas):
    assert uitleg_zorgniveau(None) == "Uw kind krijgt de begeleiding die alle leerlingen krijgen."
    izo = f.ZorgniveauFactory(zorgroute=personas.route, volgorde=3, code="3", naam="IZO", besloten_in="izo",
                              verwacht_plan="handelingsplan")
    assert "zorgteam" in uitleg_zorgniveau(izo)
    assert "3" not in uitleg_zorgniveau(izo)
    extern = Zorgniveau(extern=True, verwacht_plan="verwijzing")
    assert "buiten de school" in uitleg_zorgniveau(extern)
    personas.in_a.zorgniveau = izo
    personas.in_a.save()
    html = personas.client(personas.ouder_user).get(reverse("ouder_kind", args=[personas.in_a.pk])).content.decode()
    assert "zorgteam van de school" in html
    assert "niveau 3" not in html.lower()


def test_lege_staat(personas):
    html = personas.client(personas.ouder_user).get(reverse("ouder_start")).content.decode()
    assert "alle leerlingen krijgen" in html
    assert "geen plannen of vragen" in html


def test_ander_kind_en_geraden_ids_404(geval):
    p = geval
    c = p.client(p.ouder_user)
    for naam in ("ouder_kind", "ouder_verslagen", "ouder_correcties", "ouder_correctie_nieuw"):
        assert c.get(reverse(naam, args=[p.in_b.pk])).status_code == 404
        assert c.get(reverse(naam, args=[p.elders.pk])).status_code == 404
        assert c.get(reverse(naam, args=[999999])).status_code == 404
    for item in (p.team, p.vertrouwelijk, p.ander_kind):
        assert c.get(reverse("ouder_verslag", args=[item.pk])).status_code == 404
        assert c.get(reverse("ouder_verslag_bestand", args=[item.pk])).status_code == 404
    assert c.get(reverse("ouder_verslag", args=[999999])).status_code == 404
    # Staff and outsiders do not reach the portal's entries either.
    for user in (p.mentor, p.extern, p.zonder_rol):
        assert p.client(user).get(reverse("ouder_verslag", args=[p.gedeeld.pk])).status_code == 404
        assert p.client(user).get(reverse("ouder_verslagen", args=[p.in_a.pk])).status_code == 404


def test_verslagen_alleen_gedeelde(geval):
    p = geval
    c = p.client(p.ouder_user)
    html = c.get(reverse("ouder_verslagen", args=[p.in_a.pk])).content.decode()
    assert "Gesprek over toetsangst" in html
    assert "Elke vrijdag even bijpraten" in html
    assert "Alleen voor het team" not in html
    assert "Geheim" not in html
    assert "Van een ander kind" not in html
    assert "<table" not in html
    voor = Inzage.objects.count()
    html = c.get(reverse("ouder_verslag", args=[p.gedeeld.pk])).content.decode()
    assert "Elke vrijdag even bijpraten" in html
    assert Inzage.objects.count() == voor + 1
    inzage = Inzage.objects.latest("pk")
    assert inzage.gebruiker == p.ouder_user and inzage.object_id == str(p.gedeeld.pk)
    assert f"?verslag={p.gedeeld.pk}" in html


def test_bestand_downloaden(geval, settings, tmp_path):
    p = geval
    settings.MEDIA_ROOT = tmp_path / "media"
    doc = f.DossieritemFactory(leerling=p.in_a, soort="document", vertrouwelijkheid="ouders", titel="Rapport",
                               bestand=SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 test"),
                               bestandsnaam="rapport.pdf")
    team_doc = f.DossieritemFactory(leerling=p.in_a, soort="document", vertrouwelijkheid="team",
                                    bestand=SimpleUploadedFile("intern.pdf", b"%PDF-1.4 intern"))
    c = p.client(p.ouder_user)
    voor = Inzage.objects.count()
    r = c.get(reverse("ouder_verslag_bestand", args=[doc.pk]))
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in r["Content-Disposition"] and "rapport.pdf" in r["Content-Disposition"]
    assert Inzage.objects.count() == voor + 1
    assert c.get(reverse("ouder_verslag_bestand", args=[team_doc.pk])).status_code == 404
    assert c.get(reverse("ouder_verslag_bestand", args=[p.gedeeld.pk])).status_code == 404  # no file
    andere_ouder = f.GebruikerFactory()
    f.OuderRelatieFactory(ouder=f.OuderFactory(gebruiker=andere_ouder), leerling=p.in_b)
    assert p.client(andere_ouder).get(reverse("ouder_verslag_bestand", args=[doc.pk])).status_code == 404


def test_startpagina_queries_begrensd(geval, django_assert_max_num_queries):
    p = geval
    c = p.client(p.ouder_user)
    c.get(reverse("ouder_start"))  # warm up (session, caches)
    with django_assert_max_num_queries(16) as eerst:
        assert c.get(reverse("ouder_start")).status_code == 200
    # A second child with many plans, requests, meetings and answered correctieverzoeken.
    tweede = f.KlasplaatsingFactory(klas=p.klas_a2).leerling
    f.OuderRelatieFactory(ouder=p.ouder, leerling=tweede)
    for i in range(6):
        hp = plan(tweede, p.mentor, status="vastgesteld", evaluatiedatum=timezone.localdate() + datetime.timedelta(i))
        Doel.objects.create(handelingsplan=hp, doel=f"doel {i}")
        plan(p.in_a, p.mentor, status="concept", voorgelegd_op=timezone.now())
        f.ToestemmingFactory(leerling=tweede, ouder=None, status="aangevraagd", aangevraagd_op=timezone.now())
        b = Bespreking.objects.create(school=p.school, soort="gesprek", voorzitter=p.mentor,
                                      begin=timezone.now() + datetime.timedelta(i + 1))
        Agendapunt.objects.create(bespreking=b, leerling=tweede)
    with django_assert_max_num_queries(len(eerst.captured_queries)):
        html = c.get(reverse("ouder_start")).content.decode()
    assert "doel 5" in html
