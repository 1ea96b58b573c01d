"""Route lead times (issue 10): the indicators on a constructed dataset with known answers, the
still-waiting cases counted apart, scope (teamleider: own afdeling), export, bounded queries."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from besprekingen.models import Aanmelding, Agendapunt, Bespreking
from extern.models import Verwijzing
from plannen.models import Groepsplan, GroepsplanRij, Handelingsplan
from tests import factories as f
from zorg import doorlooptijden as dl
from zorg import toegang
from zorg.kwaliteit import KwaliteitFilter

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

D = datetime.date
# After the whole dataset year: every deadline has passed except where a test passes its own date.
NA_HET_JAAR = D(2021, 8, 15)


def moment(datum, uur=10):
    return timezone.make_aware(datetime.datetime.combine(datum, datetime.time(uur)))


class Dataset:
    """Schooljaar 2020-2021 of the personas' school, periodes P1 (aug-dec) and P2 (jan-jul),
    klas ka in afdeling A (the teamleider's) and kb in afdeling B."""

    def __init__(self, p):
        self.p = p
        self.jaar = f.SchooljaarFactory(school=p.school, naam="2020-2021", begin=D(2020, 8, 1), einde=D(2021, 7, 31))
        self.p1 = f.PeriodeFactory(schooljaar=self.jaar, nummer=1, begin=D(2020, 8, 1), einde=D(2020, 12, 31))
        self.p2 = f.PeriodeFactory(schooljaar=self.jaar, nummer=2, begin=D(2021, 1, 1), einde=D(2021, 7, 31))
        self.ka = f.KlasFactory(schooljaar=self.jaar, afdeling=p.afdeling_a, naam="2A")
        self.kb = f.KlasFactory(schooljaar=self.jaar, afdeling=p.afdeling_b, naam="5H")
        self.instelling = f.InstellingFactory(school=p.school, naam="Jeugdteam Noord")

    def leerling(self, klas=None):
        return f.KlasplaatsingFactory(klas=klas or self.ka).leerling

    def bespreking(self, soort, datum, status=Bespreking.Status.GEHOUDEN, **kw):
        return Bespreking.objects.create(school=self.p.school, soort=soort, begin=moment(datum, 14),
                                         voorzitter=self.p.zorgcoordinator, status=status, **kw)

    def aanmelding(self, aangemeld, wacht=None, klas=None, status=None):
        """An aanmelding on `aangemeld`; discussed `wacht` days later (None: not discussed)."""
        leerling = self.leerling(klas)
        a = Aanmelding.objects.create(
            school=self.p.school, leerling=leerling, hulpvraag="Hulp", aangemeld_door=self.p.mentor,
            aangemeld_op=moment(aangemeld),
            status=status or (Aanmelding.Status.BESPROKEN if wacht is not None else Aanmelding.Status.AANGEMELD),
        )
        if wacht is not None:
            b = self.bespreking(Bespreking.Soort.IZO, aangemeld + datetime.timedelta(days=wacht))
            Agendapunt.objects.create(bespreking=b, leerling=leerling, aanmelding=a, besproken=True)
        return a

    def verwijzing(self, besluit, start=None, via_bespreking=True, status=None, klas=None):
        leerling = self.leerling(klas)
        agendapunt = None
        if via_bespreking:
            b = self.bespreking(Bespreking.Soort.ZAT, besluit)
            agendapunt = Agendapunt.objects.create(bespreking=b, leerling=leerling, besproken=True)
        return Verwijzing.objects.create(
            school=self.p.school, leerling=leerling, instelling=self.instelling, reden="Zorgen",
            agendapunt=agendapunt, aangemeld_op=besluit + datetime.timedelta(days=3 if via_bespreking else 0),
            gestart_op=start, status=status or (Verwijzing.Status.GESTART if start else Verwijzing.Status.WACHTLIJST),
        )

    def handelingsplan(self, evaluatiedatum, geevalueerd=None, status=Handelingsplan.Status.VASTGESTELD, klas=None):
        return Handelingsplan.objects.create(
            leerling=self.leerling(klas), auteur=self.p.mentor, status=status, start=D(2020, 9, 1),
            evaluatiedatum=evaluatiedatum, geevalueerd_op=moment(geevalueerd, 23) if geevalueerd else None,
        )

    def groepsplan(self, klas, periode, rijen):
        plan = Groepsplan.objects.create(klas=klas, periode=periode, auteur=self.p.mentor,
                                         status=Groepsplan.Status.LOPEND)
        for doel_bereikt, geevalueerd in rijen:
            GroepsplanRij.objects.create(groepsplan=plan, doel_bereikt=doel_bereikt, geevalueerd_op=geevalueerd)
        return plan

    def vul(self):
        # Aanmeldingen: afdeling A waits 2, 4, 6, 8, 10 days, one still waiting, one withdrawn;
        # afdeling B one wait of 100 days.
        for i, wacht in enumerate([2, 4, 6, 8, 10]):
            self.aanmelding(D(2020, 9, 1 + i), wacht)
        self.aanmelding(D(2020, 10, 1))
        self.aanmelding(D(2020, 10, 2), status=Aanmelding.Status.INGETROKKEN)
        self.aanmelding(D(2020, 10, 3), 100, klas=self.kb)
        # Verwijzingen: decided at a ZAT (start after 10..50 days) and one without a meeting (5 days);
        # one still waiting, one refused.
        for wacht in (10, 20, 30, 40, 50):
            self.verwijzing(D(2020, 11, 2), D(2020, 11, 2) + datetime.timedelta(days=wacht))
        self.verwijzing(D(2020, 11, 20), D(2020, 11, 25), via_bespreking=False)
        self.verwijzing(D(2020, 12, 1))
        self.verwijzing(D(2020, 12, 2), status=Verwijzing.Status.AFGEWEZEN)
        # Handelingsplannen due 1 October: evaluated +0, +7, +3, +1 (on time), +8 (late), never (late);
        # a concept plan does not count; one due 30 July is not yet due on 2 August.
        due = D(2020, 10, 1)
        for dagen in (0, 7, 3, 1, 8, None):
            self.handelingsplan(due, None if dagen is None else due + datetime.timedelta(days=dagen))
        self.handelingsplan(due, status=Handelingsplan.Status.CONCEPT)
        self.handelingsplan(D(2021, 7, 30))
        # Groepsplan rows of P1 (deadline 14 January): 3 on time, 1 late, 1 without date, 1 never.
        self.groepsplan(self.ka, self.p1, [("ja", D(2021, 1, 10)), ("deels", D(2021, 1, 14)), ("nee", D(2021, 1, 2)),
                                           ("ja", D(2021, 1, 20)), ("ja", None), ("", None)])
        # Groepsbesprekingen in P1: ka held, kb planned.
        self.bespreking(Bespreking.Soort.GROEPSBESPREKING, D(2020, 12, 10), klas=self.ka, periode=self.p1)
        self.bespreking(Bespreking.Soort.GROEPSBESPREKING, D(2020, 12, 11), klas=self.kb, periode=self.p1,
                        status=Bespreking.Status.GEPLAND)
        return self


def filters_voor(user, p, jaar, **data):
    scope = toegang.kwaliteit_scope(user, p.school)
    form = KwaliteitFilter({"schooljaar": jaar.pk, **data}, scope)
    assert form.is_valid(), form.errors
    return form.filters()


@pytest.fixture
def data(personas):
    return Dataset(personas).vul()


def test_wait_from_aanmelding_to_bespreking(personas, data):
    w = dl.aanmelding_tot_bespreking(filters_voor(personas.zorgcoordinator, personas, data.jaar))
    assert (w.n, w.mediaan, w.wacht_nog) == (6, 7, 1)  # 2,4,6,8,10,100; the withdrawn one not at all
    w = dl.aanmelding_tot_bespreking(filters_voor(personas.teamleider, personas, data.jaar))
    assert (w.n, w.mediaan, w.p90, w.wacht_nog) == (5, 6, 9.2, 1)


def test_wait_from_referral_decision_to_start(personas, data):
    w = dl.verwijzing_tot_start(filters_voor(personas.zorgcoordinator, personas, data.jaar))
    # From the ZAT date (not the later aangemeld_op): 10..50; without a meeting from aangemeld_op: 5.
    assert (w.n, w.mediaan, w.wacht_nog) == (6, 25, 1)


def test_evaluations_on_time(personas, data):
    filters = filters_voor(personas.zorgcoordinator, personas, data.jaar)
    hp = dl.handelingsplannen_op_tijd(filters, vandaag=D(2021, 8, 2))
    assert (hp.totaal, hp.op_tijd, hp.te_laat, hp.wacht_nog, hp.aandeel) == (6, 4, 2, 1, 67)
    hp = dl.handelingsplannen_op_tijd(filters, vandaag=NA_HET_JAAR)
    assert (hp.totaal, hp.op_tijd, hp.te_laat, hp.wacht_nog) == (7, 4, 3, 0)
    gp = dl.groepsplannen_op_tijd(filters, vandaag=NA_HET_JAAR)
    assert (gp.totaal, gp.op_tijd, gp.te_laat, gp.wacht_nog, gp.aandeel) == (6, 4, 2, 0, 67)
    gp = dl.groepsplannen_op_tijd(filters, vandaag=D(2021, 1, 5))
    assert (gp.op_tijd, gp.te_laat, gp.wacht_nog) == (4, 1, 1)


def test_evaluation_on_time_by_local_date(personas):
    """The deadline is compared with the local date of geevalueerd_op (counted in SQL since the
    regio work): 00:30 in Amsterdam on the day after the deadline is late although it is still
    the deadline's date in UTC; 23:30 on the deadline is on time."""
    d = Dataset(personas)
    due = D(2020, 10, 1)  # deadline 8 October (HANDELINGSPLAN_MARGE 7 days)
    op_tijd = d.handelingsplan(due)
    te_laat = d.handelingsplan(due)
    Handelingsplan.objects.filter(pk=op_tijd.pk).update(geevalueerd_op=moment(D(2020, 10, 8), 23) + datetime.timedelta(
        minutes=30))
    Handelingsplan.objects.filter(pk=te_laat.pk).update(geevalueerd_op=timezone.make_aware(
        datetime.datetime(2020, 10, 9, 0, 30)))
    assert timezone.make_aware(datetime.datetime(2020, 10, 9, 0, 30)).astimezone(datetime.UTC).date() == D(2020, 10, 8)
    hp = dl.handelingsplannen_op_tijd(filters_voor(personas.zorgcoordinator, personas, d.jaar), vandaag=NA_HET_JAAR)
    assert (hp.totaal, hp.op_tijd, hp.te_laat, hp.wacht_nog) == (2, 1, 1, 0)


def test_groepsbesprekingen_per_periode(personas, data):
    rijen = dl.groepsbesprekingen(filters_voor(personas.zorgcoordinator, personas, data.jaar))
    assert [(g.periode, g.klassen, g.gehouden, g.gepland) for g in rijen] == [
        ("periode 1", 2, 1, 1), ("periode 2", 2, 0, 0)]
    rijen = dl.groepsbesprekingen(filters_voor(personas.teamleider, personas, data.jaar, periode=data.p1.pk))
    assert [(g.klassen, g.gehouden, g.gepland) for g in rijen] == [(1, 1, 0)]


def test_a_periode_not_yet_begun_is_not_counted_as_zero_held(personas, data):
    filters = filters_voor(personas.zorgcoordinator, personas, data.jaar)
    rijen = dl.groepsbesprekingen(filters, vandaag=D(2020, 12, 1))
    assert [(g.periode, g.nog_niet) for g in rijen] == [("periode 1", False), ("periode 2", True)]
    assert rijen[1].aandeel is None
    assert not dl.groepsbesprekingen(filters, vandaag=NA_HET_JAAR)[1].nog_niet


def test_small_numbers_give_no_median(personas, data):
    # Periode 2 holds no aanmeldingen: no median, no percentages.
    filters = filters_voor(personas.zorgcoordinator, personas, data.jaar, periode=data.p2.pk)
    w = dl.aanmelding_tot_bespreking(filters)
    assert (w.n, w.mediaan, w.p90) == (0, None, None)
    assert dl.p90([1, 2, 3, 4]) is None and dl.p90([1, 2, 3, 4, 5]) == 4.6


def test_page_scope_teamleider_sees_own_afdeling_others_404(personas, data):
    p = personas
    url = f"/kwaliteit/doorlooptijden/?schooljaar={data.jaar.pk}"
    zc = p.client(p.zorgcoordinator).get(url)
    assert zc.status_code == 200
    assert zc.context["cijfers"]["wachttijden"][0]["n"] == 6
    teamleider = p.client(p.teamleider).get(url)
    assert teamleider.status_code == 200 and teamleider.context["cijfers"]["wachttijden"][0]["n"] == 5
    assert "eigen afdeling" in teamleider.content.decode()
    # The teamleider cannot ask for the other afdeling.
    assert p.client(p.teamleider).get(url + f"&afdeling={p.afdeling_b.pk}").status_code == 400
    assert p.client(p.directie).get(url).status_code == 200
    for user in (p.mentor, p.docent, p.specialist, p.ouder_user, p.extern):
        assert p.client(user).get(url).status_code == 404
        assert p.client(user).get("/kwaliteit/doorlooptijden/export/").status_code == 404


def test_page_shows_no_pupil_names(personas, data):
    p = personas
    # Names no staff member can share (generated surnames may: the logged-in user's name is on every page).
    for aanmelding in Aanmelding.objects.select_related("leerling"):
        leerling = aanmelding.leerling
        leerling.voornaam, leerling.achternaam = f"Voornaam{leerling.pk}", f"Leerlingnaam{leerling.pk}"
        leerling.save()
    html = p.client(p.zorgcoordinator).get(f"/kwaliteit/doorlooptijden/?schooljaar={data.jaar.pk}").content.decode()
    assert "Van aanmelding tot bespreking" in html and "<svg" in html
    assert "Leerlingnaam" not in html and "Voornaam" not in html


def test_export_csv_and_xlsx(personas, data):
    client = personas.client(personas.zorgcoordinator)
    csv = client.get(f"/kwaliteit/doorlooptijden/export/?schooljaar={data.jaar.pk}&formaat=csv")
    assert csv.status_code == 200 and 'filename="doorlooptijden-2020-2021.csv"' in csv["Content-Disposition"]
    regels = csv.content.decode("utf-8-sig").splitlines()
    assert regels[1] == "Van aanmelding tot bespreking;6;7;55;;;1"
    xlsx = client.get(f"/kwaliteit/doorlooptijden/export/?schooljaar={data.jaar.pk}&formaat=xlsx")
    blad = load_workbook(io.BytesIO(xlsx.content)).active
    assert blad["A3"].value == "Van besluit tot verwijzen tot start externe hulp" and blad["C3"].value == 25


def test_bounded_queries(personas, django_assert_max_num_queries):
    p = personas
    data = Dataset(p).vul()
    client = p.client(p.zorgcoordinator)
    url = f"/kwaliteit/doorlooptijden/?schooljaar={data.jaar.pk}"
    with django_assert_max_num_queries(30) as klein:
        assert client.get(url).status_code == 200
    for i in range(15):
        data.aanmelding(D(2020, 11, 1 + i), i, klas=data.kb)
        data.verwijzing(D(2021, 2, 1 + i), D(2021, 3, 1))
        data.handelingsplan(D(2021, 3, 1), D(2021, 3, 2))
        data.groepsplan(data.kb, data.p2, [("ja", D(2021, 7, 1))])
    with django_assert_max_num_queries(len(klein.captured_queries)):
        assert client.get(url).status_code == 200
