"""Query counts of the often-opened pages: bounded, independent of list sizes, and not above the
committed expectations in tests/querycounts.json (issue 11, quality.md Performance).

Each page is requested on two demo schools built by zorg.demo.bouw_school: *klein* and *groot*, where
*groot* has 3–4× the lists a page shows (pupils per klas, klassen, dossier entries of the timeline pupil,
and, topped up after the build, IZO agenda items, the mentor's afspraken, handelingsplan goals, groepsplan
rows, the parent's children and a referral's feedback). Every page must make the same number of queries
on both (a query per row is a bug) and no more than committed. The datasets are built once per module,
each in a transaction that is rolled back afterwards.

Re-record the expectations deliberately (after a change that really needs more or allows fewer queries):

    QUERYCOUNTS_OPNEMEN=1 pytest tests/test_querycounts.py

Without it the test compares. `-s` prints the table page → queries (klein / groot / committed);
QUERYCOUNTS_SQL=<characters> shows more of each query that differs (default 300).
"""

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

# The mark makes pytest-django set up the test database (it looks for marked tests); the datasets
# themselves are built once per module by the `metingen` fixture and rolled back.
pytestmark = pytest.mark.django_db

VERWACHT_BESTAND = Path(__file__).with_name("querycounts.json")
OPNEMEN = os.environ.get("QUERYCOUNTS_OPNEMEN") == "1"

# Both schools have two schooljaren (history is also read by the kwaliteit pages) and a timeline pupil
# with ≥ 110 entries (more than one page of the timeline). *groot* has 3.5× the pupils per klas, 2× the
# klassen, 3× the dossier entries per pupil, and its timeline pupil gets FACTOR× the entries.
MATEN = {
    "klein": {"klassen": 4, "leerlingen_per_klas": 8, "schooljaren": 2, "items_per_leerling_per_jaar": 10},
    "groot": {"klassen": 8, "leerlingen_per_klas": 28, "schooljaren": 2, "items_per_leerling_per_jaar": 30},
}
FACTOR = 4  # how many times the topped-up lists are multiplied in *groot*


@dataclass
class Pagina:
    label: str
    user: str | None
    url: object  # callable(Fixtures) -> path
    post: object = None  # callable(Fixtures) -> POST data
    marks: list = field(default_factory=list)


def _bench():
    from tests import bench

    return bench


def _pagina_uit_bench(label, **kwargs):
    page = next(p for p in _bench().PAGES if p.label == label)
    url = page.url if callable(page.url) else (lambda f, u=page.url: u)
    return Pagina(label, page.user, url, post=page.post, **kwargs)


def _groepsplan(f):
    from plannen.models import Groepsplan

    return Groepsplan.objects.filter(klas=f.mentor_klas, periode=f.schooljaar.periode_op()).order_by("pk").first()


PAGINAS = [
    lambda: _pagina_uit_bench("mentor start: mijn klas"),
    lambda: Pagina("klas page (mentor's klas), zc", "zorgcoordinator", lambda f: f"/klassen/{f.mentor_klas.pk}/"),
    lambda: _pagina_uit_bench("zorgcoördinator: school"),
    lambda: _pagina_uit_bench("pupil timeline (100+ entries)"),
    lambda: _pagina_uit_bench("groepsoverzicht (25 pupils), mentor"),
    lambda: _pagina_uit_bench("groepsoverzicht: one cell autosave"),
    lambda: Pagina("groepsplan (current periode), mentor", "mentor",
                   lambda f: f"/plannen/groepsplannen/{_groepsplan(f).pk}/"),
    lambda: Pagina("handelingsplan page, mentor", "mentor",
                   lambda f: f"/plannen/handelingsplannen/{f.handelingsplan.pk}/"),
    lambda: _pagina_uit_bench("handelingsplan PDF, mentor"),
    lambda: _pagina_uit_bench("IZO meeting screen (current pupil)"),
    lambda: _pagina_uit_bench("zorgcoördinator: dashboard"),
    lambda: _pagina_uit_bench("Mijn afspraken, mentor"),
    lambda: _pagina_uit_bench("parent home"),
    lambda: _pagina_uit_bench("partner: referral file"),
    lambda: _pagina_uit_bench("kwaliteit: effect van interventies, zc"),
    lambda: _pagina_uit_bench("kwaliteit: doorlooptijden, zc"),
    lambda: _pagina_uit_bench("kwaliteit: jaarverslag (current year, live figures), zc"),
]
SCAN_REGELS = "reminder scan: the rules (finding due items)"
SCAN_PER_ITEM = "reminder scan: repeat, minus 1 ledger read per due item"

# Pages whose count grows with a list (each names the loop that queries per row; H4 or a later fix removes
# the cause, then strict xfail turns the pass into a failure and the mark must go).
BEKEND_AFHANKELIJK = {}  # none at present


# --- the datasets ---------------------------------------------------------------------------


def _kloon(objecten, n, **velden):
    """n copies of each object (new primary keys), with `velden` set on every copy (a callable gets the
    copy number and the original)."""
    nieuw = []
    for i in range(n):
        for obj in objecten:
            kopie = type(obj).objects.get(pk=obj.pk)
            kopie.pk = None
            kopie.id = None
            kopie._state.adding = True
            for naam, waarde in velden.items():
                setattr(kopie, naam, waarde(i, obj) if callable(waarde) else waarde)
            nieuw.append(kopie)
    for kopie in nieuw:
        kopie.save()
    return nieuw


def _minstens_een(f):
    """Both schools: every topped-up list has at least one row (so *groot* compares rows with rows)."""
    from extern.models import Terugkoppeling
    from plannen.models import Doel

    if not Doel.objects.filter(handelingsplan=f.handelingsplan).exists():
        Doel.objects.create(handelingsplan=f.handelingsplan, volgorde=0, doel="Maakt een weekplanning.")
    if not Terugkoppeling.objects.filter(verwijzing=f.verwijzing).exists():
        Terugkoppeling.objects.create(verwijzing=f.verwijzing, tekst="Aanmelding ontvangen.",
                                      auteur=f.verwijzing.aangemaakt_door, door_partner=True)
    # The referral file with every section, the confidential one included (consent for overdracht), so both
    # schools show the same sections (the demo chooses them at random).
    _alle_secties(f.verwijzing)


def _alle_secties(verwijzing):
    from extern import toestemming as regels
    from extern.models import Toestemming, Verwijzing

    verwijzing.secties = list(Verwijzing.Sectie.values)
    verwijzing.save(update_fields=["secties"])
    leerling = verwijzing.leerling
    overdracht = [Toestemming.Doel.OVERDRACHT]
    if regels.geldige(leerling, overdracht, instelling=verwijzing.instelling) is None:
        ouder = regels.ouders_met_gezag(leerling).first()
        Toestemming.objects.create(leerling=leerling, doel=Toestemming.Doel.OVERDRACHT,
                                   instelling=verwijzing.instelling, ouder=ouder, leerling_akkoord=True,
                                   status=Toestemming.Status.GEGEVEN, toelichting="Overdracht aan de partner.")
    assert regels.geldige(leerling, overdracht, instelling=verwijzing.instelling) is not None


def _vergroot(f):
    """Top up the lists the builder does not grow with the school's size: FACTOR× each."""
    from besprekingen.models import Afspraak, Agendapunt
    from extern.models import Terugkoppeling
    from leerlingen.models import Dossieritem, Leerling, OuderRelatie
    from plannen.models import Doel, GroepsplanRij

    # Timeline: FACTOR× the entries of the timeline pupil (copies, without history rows).
    items = list(Dossieritem.objects.filter(leerling=f.lange_tijdlijn))
    kopieen = []
    for _ in range(FACTOR - 1):
        for item in items:
            kopieen.append(Dossieritem(**{v.attname: getattr(item, v.attname) for v in Dossieritem._meta.concrete_fields
                                          if not v.primary_key}))
    Dossieritem.objects.bulk_create(kopieen)

    # IZO: more pupils on the agenda (other pupils of the school, each once).
    punten = list(f.izo.agendapunten.filter(leerling__isnull=False))
    al = {p.leerling_id for p in punten}
    extra = list(Leerling.objects.filter(school=f.school).exclude(pk__in=al)
                 .order_by("pk")[:len(punten) * (FACTOR - 1)])
    laatste = max((p.volgorde for p in f.izo.agendapunten.all()), default=0)
    Agendapunt.objects.bulk_create([
        Agendapunt(bespreking=f.izo, volgorde=laatste + 1 + i, titel="", leerling=lln, notities="Extra punt.")
        for i, lln in enumerate(extra)
    ])
    # Mijn afspraken: the mentor's open afspraken, FACTOR×.
    eigen = list(Afspraak.objects.filter(eigenaar__username="mentor"))
    assert eigen, "the demo mentor has no afspraken to multiply"
    _kloon(eigen, FACTOR - 1)
    # Handelingsplan: FACTOR× the goals.
    doelen = list(Doel.objects.filter(handelingsplan=f.handelingsplan))
    assert doelen, "the measured handelingsplan has no goals to multiply"
    _kloon(doelen, FACTOR - 1, volgorde=lambda i, d: d.volgorde + (i + 1) * 100)
    # Groepsplan: FACTOR× the rows, each with its pupils.
    plan = _groepsplan(f)
    for rij in list(GroepsplanRij.objects.filter(groepsplan=plan)):
        leerlingen = list(rij.leerlingen.all())
        for kopie in _kloon([rij], FACTOR - 1, volgorde=lambda i, r: r.volgorde + (i + 1) * 100):
            kopie.leerlingen.set(leerlingen)
    # Parent home: the demo parent gets FACTOR× the children (pupils of the mentor's klas).
    relaties = list(OuderRelatie.objects.filter(ouder__gebruiker__username="ouder"))
    kinderen = {r.leerling_id for r in relaties}
    nieuwe = list(Leerling.objects.filter(plaatsingen__klas=f.mentor_klas).exclude(pk__in=kinderen)
                  .order_by("pk")[:len(relaties) * (FACTOR - 1)])
    OuderRelatie.objects.bulk_create([
        OuderRelatie(ouder=relaties[0].ouder, leerling=lln, relatie=relaties[0].relatie, gezag=True) for lln in nieuwe
    ])
    # Referral file: FACTOR× the feedback, and FACTOR× the partner's open referrals (each with a running grant
    # and consent: the access check reads the consent of every referral the partner may open).
    terug = list(Terugkoppeling.objects.filter(verwijzing=f.verwijzing))
    assert terug, "the partner's referral has no feedback to multiply"
    _kloon(terug, FACTOR - 1)
    _meer_verwijzingen(f)


def _meer_verwijzingen(f):
    from extern import toestemming as regels
    from extern.models import ExterneToegang, Toestemming, Verwijzing
    from leerlingen.models import Leerling
    from zorg import toegang
    from zorg.models import Gebruiker

    extern = Gebruiker.objects.get(username="extern")
    toegang_ = ExterneToegang.objects.filter(verwijzing=f.verwijzing, contactpersoon__gebruiker=extern).first()
    voor = len(toegang.verwijzingen_extern(Gebruiker.objects.get(pk=extern.pk)))
    al = set(Verwijzing.objects.filter(instelling=f.verwijzing.instelling).values_list("leerling_id", flat=True))
    leerlingen = (Leerling.objects.filter(school=f.verwijzing.school, ouderrelaties__gezag=True).exclude(pk__in=al)
                  .distinct().order_by("pk")[:voor * (FACTOR - 1)])
    for leerling in leerlingen:
        v = Verwijzing.objects.create(school=f.verwijzing.school, leerling=leerling,
                                      instelling=f.verwijzing.instelling, reden="Extra verwijzing.")
        ExterneToegang.objects.create(verwijzing=v, contactpersoon=toegang_.contactpersoon, tot=toegang_.tot)
        Toestemming.objects.create(leerling=leerling, doel=Toestemming.Doel.VERWIJZING,
                                   instelling=f.verwijzing.instelling, ouder=regels.ouders_met_gezag(leerling).first(),
                                   leerling_akkoord=True, status=Toestemming.Status.GEGEVEN, toelichting="Extra.")
    na = len(toegang.verwijzingen_extern(Gebruiker.objects.get(pk=extern.pk)))
    assert na == voor * FACTOR, (voor, na)


def _tel(client, url, data=None):
    """The request's queries (their SQL)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data) if data is not None else client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    return [q["sql"] for q in ctx.captured_queries]


def _vorm(sql):
    """A query's shape: literals and parameters replaced, so a query per row shows as one shape counted n times."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\((\?, )+\?\)", "(?...)", sql)


def _verschil(klein, groot):
    """The query shapes that run more often on the large school (the loop to look for)."""
    a, b = Counter(map(_vorm, klein)), Counter(map(_vorm, groot))
    n = int(os.environ.get("QUERYCOUNTS_SQL", 300))  # characters of each query shown
    regels = [f"  {a[v]} → {b[v]}×  {v[:n]}" for v in b if b[v] != a[v]]
    regels += [f"  {a[v]} → 0×  {v[:n]}" for v in a if v not in b]
    return "\n".join(regels)


def _meet_scan():
    """Rules alone (materialise every rule's due items), then a first and a repeat scan."""
    from zorg import herinnering_regels, herinneringen
    from zorg.models import School

    school = School.objects.get(code="demo")
    vandaag = herinneringen.vandaag_op(school)
    with CaptureQueriesContext(connection) as ctx:
        items = [item for regel in herinnering_regels.REGELS for item in regel(school, vandaag)]
    regels = len(ctx.captured_queries)
    # registreer() reads the ledger once for an item with an active recipient, and nothing for the rest.
    met_ontvanger = sum(1 for item in items if any(o is not None and o.is_active for o in item.ontvangers))
    herinneringen.scan()
    with CaptureQueriesContext(connection) as ctx:
        herinneringen.scan()
    herhaling = len(ctx.captured_queries)
    return {"regels": regels, "items": len(items), "met_ontvanger": met_ontvanger, "herhaling": herhaling}


def _meet(maat):
    """Build one school, measure every page as its user (one warm-up request, then one counted)."""
    from zorg import demo

    demo.bouw_school(**MATEN[maat], wachtwoord_hash=make_password(None))
    f = _bench().Fixtures()
    _minstens_een(f)
    if maat == "groot":
        _vergroot(f)
    from zorg.models import Gebruiker

    clients, uitkomst = {}, {}
    for maak in PAGINAS:
        pagina = maak()
        try:
            if pagina.user not in clients:
                clients[pagina.user] = Client()
                if pagina.user:
                    clients[pagina.user].force_login(Gebruiker.objects.get(username=pagina.user))
            client = clients[pagina.user]
            url = pagina.url(f)
            _tel(client, url, pagina.post(f) if pagina.post else None)  # warm-up
            sql = _tel(client, url, pagina.post(f) if pagina.post else None)
            uitkomst[pagina.label] = len(sql)
            uitkomst.setdefault("_sql", {})[pagina.label] = sql
        except Exception as exc:  # noqa: BLE001 (reported by that page's test)
            uitkomst[pagina.label] = f"{type(exc).__name__}: {exc}"
    scan = _meet_scan()
    uitkomst[SCAN_REGELS] = scan["regels"]
    # The repeat scan reads the ledger once per due item (linear in due items, by design, see
    # zorg/herinneringen.registreer); all the rest must not grow with the school.
    uitkomst[SCAN_PER_ITEM] = scan["herhaling"] - scan["met_ontvanger"]
    uitkomst["_scan"] = scan
    return uitkomst


class _Terugdraaien(Exception):
    pass


@pytest.fixture(scope="module")
def metingen(django_db_setup, django_db_blocker, request):
    from zorg import notificaties

    resultaten = {}
    stuur_later = notificaties.stuur_later
    notificaties.stuur_later = lambda notificatie_id: None  # never reach the shared Redis
    try:
        with django_db_blocker.unblock():
            for maat in MATEN:
                try:
                    with transaction.atomic():
                        resultaten[maat] = _meet(maat)
                        raise _Terugdraaien
                except _Terugdraaien:
                    pass
    finally:
        notificaties.stuur_later = stuur_later
    verwacht = _lees_verwacht()
    if OPNEMEN:
        nieuw = {label: resultaten["groot"][label] for label in _labels()
                 if isinstance(resultaten["groot"][label], (int, float))}
        VERWACHT_BESTAND.write_text(json.dumps(nieuw, indent=2, ensure_ascii=False) + "\n")
        verwacht = nieuw
    request.addfinalizer(lambda: _print_tabel(resultaten, verwacht))
    return resultaten, verwacht


def _labels():
    return [maak().label for maak in PAGINAS] + [SCAN_REGELS, SCAN_PER_ITEM]


def _lees_verwacht():
    return json.loads(VERWACHT_BESTAND.read_text()) if VERWACHT_BESTAND.exists() else {}


def _print_tabel(resultaten, verwacht):
    print()
    print(f"{'page (queries per request)':<58} {'klein':>6} {'groot':>6} {'committed':>9}")
    print("-" * 82)
    for label in _labels():
        klein, groot = resultaten["klein"].get(label), resultaten["groot"].get(label)

        def fmt(n):
            return f"{n:g}" if isinstance(n, (int, float)) else "ERROR"

        flag = "" if klein == groot else "  ≠ grows with the list"
        print(f"{label:<58} {fmt(klein):>6} {fmt(groot):>6} {fmt(verwacht.get(label)):>9}{flag}")
    for maat in MATEN:
        s = resultaten[maat]["_scan"]
        print(f"scan {maat}: {s['items']} due items ({s['met_ontvanger']} with a recipient), rules"
              f" {s['regels']} queries, repeat scan {s['herhaling']} queries")


def _param(label):
    marks = [pytest.mark.xfail(strict=True, reason=BEKEND_AFHANKELIJK[label])] if label in BEKEND_AFHANKELIJK else []
    return pytest.param(label, id=label, marks=marks)


@pytest.mark.parametrize("label", [_param(label) for label in _labels()])
def test_querycount(metingen, label):
    resultaten, verwacht = metingen
    klein, groot = resultaten["klein"][label], resultaten["groot"][label]
    for maat, n in (("klein", klein), ("groot", groot)):
        assert isinstance(n, (int, float)), f"{label} ({maat}): {n}"
    sql = [resultaten[maat].get("_sql", {}).get(label, []) for maat in MATEN]
    assert klein == groot, (
        f"{label}: {klein} queries on the small school, {groot} on the large one: the count grows with the list;"
        f" query shapes that differ (small → large):\n{_verschil(*sql)}"
    )
    assert label in verwacht, (
        f"{label}: no committed count in {VERWACHT_BESTAND.name}; record with QUERYCOUNTS_OPNEMEN=1"
    )
    assert groot <= verwacht[label], (
        f"{label}: {groot} queries, committed {verwacht[label]} (tests/{VERWACHT_BESTAND.name}); find the extra "
        f"query, or re-record deliberately with QUERYCOUNTS_OPNEMEN=1"
    )
