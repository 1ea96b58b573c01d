"""Benchmark harness (`make bench`): server time and query count per page on a realistic dataset.

    python -m tests.bench [--scenario both|school|regio] [--n 30] [--warmup 3] [-k TEXT] [--sql]
                          [--rebuild] [--drop-stale]

Scenarios follow docs quality.md (Performance): *school* is one school of 1,500 pupils in 60
klassen with 5 schooljaren of history; *regio* is 10 such schools in one database. Each scenario
lives in its own database on the server of DATABASE_URL, named after its parameters and a
fingerprint of the builder (zorgroute_bench_<scenario>_<hash>): built once, then reused. A
marker table written after a successful build makes an interrupted build count as absent, so it
is dropped and rebuilt. Change BUILDER_VERSION to force a rebuild everywhere; the fingerprint
also covers zorg/demo*.py, zorg/zorgroutes.py and the migrations, so a changed builder or schema
gets a fresh database by itself (old ones are listed; --drop-stale removes them).

Measurement is in-process with django.test.Client against Postgres (sessions in Redis/db as
configured): every user is force_login'ed once, each page gets a few warm-up requests, then N
rounds each request every page once (interleaved, so background noise hits all pages alike),
timing client.get with time.perf_counter and counting its queries (CaptureQueriesContext).
Figures: median, p95 (nearest rank), queries min–max, and the ratio to the *floor*: a bare
view doing one indexed query, requested the same way by a logged-in user, so the ratio shows
what a page costs on top of the unavoidable request/session/middleware work.
Budgets of quality.md are printed as a reference; speed is shown, never asserted.

To add a page: one Page(...) row in PAGES. `url` is a path or a callable taking the Fixtures.
Results go to bench-results/<scenario>.json (gitignored).
"""

import argparse
import datetime
import gc
import hashlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"

# Bump to force every cached bench database to be rebuilt (e.g. the build recipe below changes).
BUILDER_VERSION = 1

# ≈ 30 dossier entries per pupil per year (quality.md); their history rows are skipped: they halve the
# build time (≈ 27 s instead of ≈ 60 s per school) and no measured page reads them.
SCHOOL = {"klassen": 60, "leerlingen_per_klas": 25, "schooljaren": 5, "seed": 1,
          "items_per_leerling_per_jaar": 30, "dossier_historie": False}
SCENARIOS = {
    "school": {"scholen": 1, **SCHOOL},
    "regio": {"scholen": 10, **SCHOOL},
}
# What the cached data depends on besides the parameters (globs relative to the project root).
FINGERPRINT_FILES = ["zorg/demo*.py", "zorg/zorgroutes.py", "*/migrations/0*.py"]
DEFAULT_DATABASE_URL = "postgres://zorgroute@127.0.0.1:5432/zorgroute"  # as zorg/settings.py


# --- the pages ------------------------------------------------------------------------------


@dataclass
class Page:
    label: str
    user: str | None  # username of a demo login; None = anonymous
    url: str | Callable  # a path, or a callable taking Fixtures and returning a path
    ms: float | None = None  # quality.md's budget for the median, shown next to the figures (never asserted)
    queries: int | None = None  # quality.md's query budget
    note: str = ""  # e.g. "bounded" or what the budget is for
    post: Callable | None = None  # for an action: a callable (Fixtures) -> POST data, built before each request

    @property
    def budget(self):
        parts = [f"≤ {self.ms:g} ms" if self.ms else "", f"≤ {self.queries} q" if self.queries else "", self.note]
        return " · ".join(p for p in parts if p)


class Fixtures:
    """Objects of the demo school that page URLs point at (looked up once, after setup)."""

    def __init__(self):
        from django.db.models import Count

        from leerlingen.models import Leerling
        from zorg.models import Gebruiker, Klas, School

        self.school = School.objects.get(code="demo")
        self.schooljaar = self.school.schooljaren.order_by("-begin").first()
        mentor = Gebruiker.objects.get(username="mentor")
        self.mentor_klas = Klas.objects.filter(schooljaar=self.schooljaar, mentoren=mentor).order_by("naam").first()
        self.eigen_leerling = (
            Leerling.objects.filter(plaatsingen__klas=self.mentor_klas).order_by("leerlingnummer").first()
        )
        # The mentor's pupil with the longest timeline (the builder gives one ≥ 100 entries at bench volume).
        self.lange_tijdlijn = (
            Leerling.objects.filter(plaatsingen__klas=self.mentor_klas)
            .annotate(n=Count("dossieritems"))
            .order_by("-n", "leerlingnummer")
            .first()
        )
        print(f"timeline pupil {self.lange_tijdlijn.leerlingnummer}: {self.lange_tijdlijn.n} dossier entries",
              file=sys.stderr)
        self.klas_25 = (
            Klas.objects.filter(schooljaar=self.schooljaar)
            .exclude(pk=self.mentor_klas.pk)
            .annotate(n=Count("plaatsingen"))
            .filter(n=25)
            .order_by("naam")
            .first()
        )
        # The groepsoverzicht of the mentor's klas (made once in the cached database) and one text cell.
        from plannen import groepsoverzicht as go

        self.groepsoverzicht = go.groepsoverzicht_voor(self.mentor_klas, self.schooljaar.periode_op())
        self.tekstkolom = self.groepsoverzicht.sjabloon.kolommen.filter(type="tekst", vertrouwelijk=False).first()
        # Meetings: next week's IZO (first item), the latest held IZO, the mentor's groepsbespreking.
        from besprekingen.models import Bespreking

        izos = Bespreking.objects.filter(school=self.school, soort="izo")
        self.izo = izos.filter(status="gepland").order_by("begin").first()
        self.izo_punt = self.izo.agendapunten.order_by("volgorde").first()
        self.gehouden_izo = izos.filter(status="gehouden").order_by("-begin").first()
        self.groepsbespreking = Bespreking.objects.filter(school=self.school, klas=self.mentor_klas).first()
        # Extern: a referral file the demo partner may open now, and a pupil with consents.
        from extern.models import Verwijzing
        from zorg import toegang

        extern = Gebruiker.objects.get(username="extern")
        self.verwijzing = toegang.verwijzingen_extern(extern)[0]
        self.toestemming_leerling = Verwijzing.objects.filter(school=self.school).order_by("pk").first().leerling
        # Kwaliteitszorg: the closed checklist round of last year (zorg/demo_kwaliteit.py).
        from zorg.models import Zelfevaluatie

        self.zelfevaluatie = Zelfevaluatie.objects.filter(school=self.school).order_by("aangemaakt_op").first()
        # The parent portal: the plan the demo mentor laid before the demo parent.
        from plannen.models import Handelingsplan

        self.ouder_plan = Handelingsplan.objects.get(
            leerling__ouders__gebruiker__username="ouder", status="concept", voorgelegd_op__isnull=False)
        from plannen.models import Doel, Groepsplan, Handelingsplan

        # The mentor's klas's groepsplan of the running periode (the latest one when that has none yet).
        groepsplannen = Groepsplan.objects.filter(klas=self.mentor_klas)
        self.groepsplan = (groepsplannen.filter(periode=self.schooljaar.periode_op()).order_by("pk").first()
                           or groepsplannen.order_by("-periode__begin", "pk").first())
        # The handelingsplan PDF row: the pupil's first plan, or one with 6 goals made once in the cached database.
        self.handelingsplan = self.eigen_leerling.handelingsplannen.order_by("pk").first()
        if self.handelingsplan is None:
            self.handelingsplan = Handelingsplan.objects.create(
                leerling=self.eigen_leerling, auteur=mentor, beginsituatie="Moeite met plannen. " * 20,
                onderwijsbehoeften="Korte instructie en een weekplanning. " * 10, aanpak="Wekelijks gesprek. " * 15,
            )
            Doel.objects.bulk_create(Doel(handelingsplan=self.handelingsplan, volgorde=i, doel=f"Doel {i + 1}: "
                                          + "maakt en volgt een weekplanning. " * 3) for i in range(6))


def _notitiedata(f):
    """POST data for one autosave of an IZO item's notes, with the item's current version."""
    from besprekingen.models import Agendapunt
    from besprekingen.services import versie_van

    punt = Agendapunt.objects.get(pk=f.izo_punt.pk)
    return {"notities": f"piekert minder sinds de training ({time.perf_counter():.6f})", "versie": versie_van(punt)}


def _celdata(f):
    """POST data for one autosave of a text cell, with the cell's current version."""
    from plannen.models import Cel

    cel = Cel.objects.filter(groepsoverzicht=f.groepsoverzicht, leerling=f.eigen_leerling, kolom=f.tekstkolom).first()
    return {
        "kolom": f.tekstkolom.pk, "leerling": f.eigen_leerling.pk, "versie": cel.versie if cel else 0,
        "waarde": f"werkt beter naast de deur ({time.perf_counter():.6f})",
    }


PAGES = [
    Page("mentor start: mijn klas", "mentor", "/mijn-klas/", ms=40, queries=12),
    Page("docent: mijn klassen", "docent", "/mijn-klassen/"),
    Page("teamleider: afdeling", "teamleider", "/afdeling/"),
    Page("zorgcoördinator: school", "zorgcoordinator", "/school/", ms=80, note="bounded"),
    Page("directie: school", "directie", "/school/"),
    Page("specialist: mijn leerlingen", "specialist", "/mijn-leerlingen/"),
    Page("klas page (25 pupils), zc", "zorgcoordinator", lambda f: f"/klassen/{f.klas_25.pk}/"),
    Page("pupil page (own), mentor", "mentor", lambda f: f"/leerlingen/{f.eigen_leerling.pk}/",
         ms=60, queries=15, note="dossier timeline"),
    Page("pupil timeline (100+ entries)", "mentor", lambda f: f"/leerlingen/{f.lange_tijdlijn.pk}/", ms=60, queries=15,
         note="independent of entry count"),
    Page("pupil search ?q=de, zc", "zorgcoordinator", "/leerlingen/zoeken/?q=de"),
    Page("groepsplan (current periode), mentor", "mentor", lambda f: f"/plannen/groepsplannen/{f.groepsplan.pk}/",
         note="bounded, with the rows' history"),
    Page("handelingsplan page, mentor", "mentor", lambda f: f"/plannen/handelingsplannen/{f.handelingsplan.pk}/",
         note="bounded"),
    Page("handelingsplan PDF, mentor", "mentor",
         lambda f: f"/plannen/handelingsplannen/{f.handelingsplan.pk}/pdf/", ms=1000, note="WeasyPrint render"),
    Page("groepsoverzicht (25 pupils), mentor", "mentor",
         lambda f: f"/plannen/klas/{f.mentor_klas.pk}/groepsoverzicht/", ms=80, note="bounded"),
    Page("groepsoverzicht: one cell autosave", "mentor",
         lambda f: f"/plannen/groepsoverzicht/{f.groepsoverzicht.pk}/cel/", ms=25, note="htmx POST", post=_celdata),
    Page("zorgcoördinator: dashboard", "zorgcoordinator", "/besprekingen/dashboard/", ms=80, note="bounded"),
    Page("dashboard list: afspraken te laat", "zorgcoordinator", "/besprekingen/dashboard/afspraken/"),
    Page("aanmeldingen queue, zc", "zorgcoordinator", "/besprekingen/aanmeldingen/"),
    Page("besprekingen list, zc", "zorgcoordinator", "/besprekingen/"),
    Page("IZO meeting screen (current pupil)", "zorgcoordinator",
         lambda f: f"/besprekingen/{f.izo.pk}/?punt={f.izo_punt.pk}", ms=80, note="bounded"),
    Page("IZO meeting: notes autosave", "zorgcoordinator",
         lambda f: f"/besprekingen/{f.izo.pk}/punten/{f.izo_punt.pk}/notities/", ms=25, note="POST",
         post=_notitiedata),
    Page("IZO verslag PDF (held IZO)", "zorgcoordinator", lambda f: f"/besprekingen/{f.gehouden_izo.pk}/verslag.pdf",
         ms=1000, note="WeasyPrint render"),
    Page("groepsbespreking screen, mentor", "mentor", lambda f: f"/besprekingen/{f.groepsbespreking.pk}/",
         ms=80, note="with the groepsoverzicht"),
    Page("Mijn afspraken, mentor", "mentor", "/besprekingen/afspraken/", ms=40),
    Page("partner: referral file", "extern", lambda f: f"/extern/partner/verwijzingen/{f.verwijzing.pk}/",
         ms=60, note="grant + consent checked"),
    Page("partner start", "extern", "/extern/"),
    Page("verwijzing page, zc", "zorgcoordinator", lambda f: f"/extern/verwijzingen/{f.verwijzing.pk}/"),
    Page("verwijzingen list, zc", "zorgcoordinator", "/extern/verwijzingen/"),
    Page("toestemmingen of a pupil, zc", "zorgcoordinator",
         lambda f: f"/extern/leerlingen/{f.toestemming_leerling.pk}/toestemming/"),
    Page("verwijsdossier PDF, zc", "zorgcoordinator", lambda f: f"/extern/verwijzingen/{f.verwijzing.pk}/pdf/",
         ms=1000, note="WeasyPrint render"),
    Page("parent home", "ouder", "/ouders/", ms=40, note="bounded"),
    Page("parent: child overview", "ouder", lambda f: f"/ouders/kinderen/{f.ouder_plan.leerling_id}/", ms=40),
    Page("parent: plan page", "ouder", lambda f: f"/ouders/plannen/{f.ouder_plan.pk}/", ms=40),
    Page("parent: plan PDF", "ouder", lambda f: f"/ouders/plannen/{f.ouder_plan.pk}/pdf/", ms=1000,
         note="WeasyPrint render, parent's language"),
    Page("pupil: own plans", "leerling", "/leerling/", ms=40),
    Page("kwaliteit: effect van interventies, zc", "zorgcoordinator", "/kwaliteit/effect/",
         note="bounded: 1 aggregate per source, 5 years of history"),
    Page("kwaliteit: doorlooptijden, zc", "zorgcoordinator", "/kwaliteit/doorlooptijden/", note="bounded"),
    Page("kwaliteit: jaarverslag (current year, live figures), zc", "zorgcoordinator",
         lambda f: f"/kwaliteit/jaarverslag/{f.schooljaar.pk}/", note="bounded"),
    Page("kwaliteit: zelfevaluatie results, zc", "zorgcoordinator",
         lambda f: f"/kwaliteit/zelfevaluatie/{f.zelfevaluatie.pk}/resultaten/", note="bounded"),
    Page("beheer", "beheer", "/beheer/"),
    Page("login page (anonymous)", None, "/inloggen/"),
]

# The floor, requested the same way (measured under tests.bench_urls). The first is the
# denominator of every ratio; the anonymous one shows the cost of session + login middleware.
FLOOR = Page("floor: 1 indexed query", "mentor", lambda f: f"/__bench__/floor/{f.eigen_leerling.pk}/")
FLOOR_ANONYMOUS = Page("floor, anonymous", None, lambda f: f"/__bench__/floor/{f.eigen_leerling.pk}/")


# --- the cached scenario database -----------------------------------------------------------


def fingerprint(params):
    digest = hashlib.sha256()
    digest.update(json.dumps({"builder_version": BUILDER_VERSION, **params}, sort_keys=True).encode())
    for pattern in FINGERPRINT_FILES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _schooljaar_begin(datum):
    # The demo's current schooljaar depends on today: a cache built before 1 August is stale after.
    return datetime.date(datum.year if datum.month >= 8 else datum.year - 1, 8, 1)


def database_url(base_url, dbname):
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path="/" + dbname))


def _is_complete(base_url, dbname, fp):
    import psycopg

    try:
        with psycopg.connect(database_url(base_url, dbname), autocommit=True) as conn:
            if not conn.execute("SELECT to_regclass('bench_build') IS NOT NULL").fetchone()[0]:
                return None
            return conn.execute(
                "SELECT build_seconds, built_at FROM bench_build WHERE fingerprint = %s", [fp]
            ).fetchone()
    except psycopg.OperationalError:
        return None


def prepare_database(scenario, params, base_url, rebuild=False, drop_stale=False):
    """Create (or find) the scenario's database; return (dbname, state, admin connection holding a lock).

    state: None when it must be built, else (build_seconds, built_at) of the cached build.
    The advisory lock serialises concurrent bench runs on the same server until build() is done.
    """
    import psycopg
    from psycopg import sql

    fp = fingerprint(params)
    dbname = f"zorgroute_bench_{scenario}_{fp}"
    admin = psycopg.connect(base_url, autocommit=True)
    lock = int.from_bytes(hashlib.sha256(dbname.encode()).digest()[:8], "big", signed=True)
    admin.execute("SELECT pg_advisory_lock(%s)", [lock])
    others = [
        r[0] for r in admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s ORDER BY datname",
            [f"zorgroute_bench_{scenario}_%", dbname],
        )
    ]
    for other in others:
        if drop_stale:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(other)))
            print(f"dropped stale bench database {other}")
        else:
            print(f"note: stale bench database {other} (--drop-stale removes it)")
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone() is not None
    state = None if rebuild or not exists else _is_complete(base_url, dbname, fp)
    if exists and state is None:
        print(f"{dbname}: {'--rebuild' if rebuild else 'incomplete build'}, dropping it")
        admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(dbname)))
    if state is None:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    return dbname, fp, state, admin


def build(scenario, params, fp, t_migrate):
    """Fill the freshly migrated database; write the completion marker last."""
    from django.db import connection

    from zorg import demo

    t0 = time.perf_counter()
    kwargs = {k: v for k, v in params.items() if k != "scholen"}
    if params["scholen"] == 1:
        demo.bouw_school(**kwargs)
    else:
        demo.bouw_regio(scholen=params["scholen"], **kwargs)
    t_build = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # realistic planner statistics; no autovacuum during the run
    t_total = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_build (fingerprint text PRIMARY KEY, scenario text, params jsonb,"
            " builder_version int, build_seconds double precision, built_at timestamptz DEFAULT now())"
        )
        cursor.execute(
            "INSERT INTO bench_build (fingerprint, scenario, params, builder_version, build_seconds)"
            " VALUES (%s, %s, %s, %s, %s)",
            [fp, scenario, json.dumps(params), BUILDER_VERSION, t_migrate + t_total],
        )
    return t_build, t_total


def sizes():
    """Row counts of every non-empty model table (new care data shows up without changes here)."""
    from django.apps import apps
    from django.db import connection

    from leerlingen.models import Leerling
    from zorg.models import Klas, School

    project_apps = {"zorg", "leerlingen", "besprekingen", "plannen", "extern"}
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label not in project_apps:
                continue
            cursor.execute(f'SELECT count(*) FROM "{model._meta.db_table}"')  # noqa: S608 (model table names)
            n = cursor.fetchone()[0]
            if n:
                counts[model._meta.db_table] = n
    demo_school = School.objects.get(code="demo")
    huidig = demo_school.schooljaren.order_by("-begin").first()
    counts["_demo_school_klassen_dit_jaar"] = Klas.objects.filter(schooljaar=huidig).count()
    counts["_demo_school_leerlingen"] = Leerling.objects.filter(school=demo_school).count()
    return counts


# --- measuring ------------------------------------------------------------------------------


def _p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _timed_get(client, url, data=None):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # The query log is a bounded deque: once full (after a build), counting by its length gives 0.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        t0 = time.perf_counter()
        response = client.get(url) if data is None else client.post(url, data, HTTP_HX_REQUEST="true")
        elapsed = time.perf_counter() - t0
    return elapsed * 1000, captured.captured_queries, response


def _summary(times, queries, statuses, size):
    return {
        "median_ms": statistics.median(times),
        "p95_ms": _p95(times),
        "mean_ms": statistics.fmean(times),
        "min_ms": min(times),
        "max_ms": max(times),
        "queries_min": min(queries),
        "queries_max": max(queries),
        "status": sorted(statuses),
        "bytes": size,
    }


def run_pages(pages, fixtures, n, warmup, show_sql=0):
    """Warm every page, then time N rounds; each round requests every page once.

    Interleaving the rounds spreads any background noise (other processes on this machine)
    over all pages and the floor alike, so the ratios stay meaningful. The whole run uses the
    bench URLconf (the app's URLs included under "" plus the floor): one include level more,
    microseconds, the same for every page.
    """
    from django.test import Client, override_settings

    from zorg.models import Gebruiker

    clients = {}

    def client_for(username):
        if username not in clients:
            # ALLOWED_HOSTS has no "testserver" outside the test runner; use a host it allows.
            client = Client(HTTP_HOST="localhost", raise_request_exception=True)
            if username:
                from tests.inloggen import markeer_geverifieerd

                user = Gebruiker.objects.get(username=username)
                client.force_login(user)
                markeer_geverifieerd(client, user)  # past the second step (TOTP), as after a real login
            clients[username] = client
        return clients[username]

    rows = []
    for page in [FLOOR, FLOOR_ANONYMOUS, *pages]:
        url = page.url(fixtures) if callable(page.url) else page.url
        rows.append({
            "label": page.label, "user": page.user or "", "url": url, "budget": page.budget,
            "budget_ms": page.ms, "budget_queries": page.queries,
            "_client": client_for(page.user), "_times": [], "_queries": [], "_status": set(),
            "_post": page.post,
        })

    def request(row):
        try:
            data = row["_post"](fixtures) if row["_post"] else None
            elapsed, queries, response = _timed_get(row["_client"], row["url"], data)
        except Exception as exc:  # noqa: BLE001 (report the page as broken, measure the rest)
            row["error"] = f"{type(exc).__name__}: {exc}"
            return None
        row["_bytes"] = len(response.content)
        return elapsed, queries, response

    with override_settings(ROOT_URLCONF="tests.bench_urls"):
        for row in rows:
            for _ in range(warmup):
                if "error" not in row:
                    request(row)
        gc.collect()
        for i in range(n):
            for row in rows:
                if "error" in row:
                    continue
                result = request(row)
                if result:
                    elapsed, queries, response = result
                    row["_times"].append(elapsed)
                    row["_queries"].append(len(queries))
                    row["_status"].add(response.status_code)
                    if show_sql and i == n - 1:
                        print(f"\n-- {row['label']} {row['url']}: {len(queries)} queries", file=sys.stderr)
                        for query in queries:
                            print(f"  {float(query['time']) * 1000:5.0f} ms  {query['sql'][:show_sql]}",
                                  file=sys.stderr)
            print(".", end="", flush=True, file=sys.stderr)
    print(file=sys.stderr)

    results = []
    for row in rows:
        result = {k: v for k, v in row.items() if not k.startswith("_")}
        if "error" not in row:
            result.update(_summary(row["_times"], row["_queries"], row["_status"], row["_bytes"]))
        results.append(result)
    floor = results[0].get("median_ms")
    for row in results:
        if floor and "median_ms" in row:
            row["ratio_to_floor"] = row["median_ms"] / floor
    return results


# --- output ---------------------------------------------------------------------------------


def _fmt_queries(row):
    lo, hi = row["queries_min"], row["queries_max"]
    return str(lo) if lo == hi else f"{lo}–{hi}"


def print_table(report):
    b = report["build"]
    s = report["sizes"]
    print()
    print(f"Zorgroute benchmark — scenario {report['scenario']}  (database {b['database']})")
    if b["cached"]:
        print(f"  dataset: cached, built {b['built_at']} in {b['build_seconds']:.1f} s;"
              f" migrate check {b['migrate_seconds']:.1f} s")
    else:
        print(f"  dataset: built now: create+migrate {b['migrate_seconds']:.1f} s, demo builder"
              f" {b['builder_seconds']:.1f} s, + VACUUM ANALYZE = {b['build_seconds']:.1f} s")
    p = report["params"]
    print(f"  params: {p['scholen']} school(s) × {p['klassen']} klassen × {p['leerlingen_per_klas']} pupils,"
          f" {p['schooljaren']} schooljaren, seed {p['seed']}")
    big = {k: v for k, v in s.items() if not k.startswith("_")}
    print(f"  sizes: demo school {s['_demo_school_leerlingen']:,} pupils,"
          f" {s['_demo_school_klassen_dit_jaar']} klassen this year; rows in the database:")
    rows = ", ".join(f"{k} {v:,}" for k, v in sorted(big.items(), key=lambda kv: -kv[1]))
    print(textwrap.fill(rows, width=110, initial_indent="    ", subsequent_indent="    "))
    e = report["env"]
    print(f"  n={report['n']} per page (interleaved rounds) after {report['warmup']} warm-up requests;"
          f" DEBUG={e['debug']}; Python {e['python']}, Django {e['django']},"
          f" PostgreSQL {e['postgres']}")
    print(f"  machine: {e['cpus']} CPUs, load average {e['load_average_1min'][0]:.2f} before and"
          f" {e['load_average_1min'][1]:.2f} after the run (other processes make p95 noisy)")
    print()
    header = f"{'page':<32} {'user':<16} {'median ms':>9} {'p95 ms':>8} {'queries':>8} {'× floor':>8}  budget"
    print(header)
    print("-" * (len(header) + 22))
    for row in report["pages"]:
        if "error" in row:
            print(f"{row['label']:<32} {row['user']:<16} ERROR {row['error']}")
            continue
        flags = []
        if row["status"] != [200]:
            flags.append(f"HTTP {','.join(map(str, row['status']))}")
        if row["budget_ms"] and row["median_ms"] > row["budget_ms"]:
            flags.append("over time budget")
        if row["budget_queries"] and row["queries_max"] > row["budget_queries"]:
            flags.append("over query budget")
        if row["queries_min"] != row["queries_max"]:
            flags.append("query count varies")
        flag = f"  [{'; '.join(flags)}]" if flags else ""
        print(
            f"{row['label']:<32} {row['user']:<16} {row['median_ms']:>9.1f} {row['p95_ms']:>8.1f}"
            f" {_fmt_queries(row):>8} {row.get('ratio_to_floor', 0):>8.1f}  {row['budget']}{flag}"
        )
    print()
    print("Server time in-process (test client, no network/WSGI server); DEBUG adds query logging.\n"
          "Floor = same request path (session, auth, middleware) + 1 pk query, no template. "
          "Budgets are a reference, never asserted.")


def print_scale(school, regio):
    print()
    print("Scale ratio: the demo school's page on regio (10 schools, one database) over school (goal ≤ 1.3)")
    header = f"{'page':<32} {'school ms':>9} {'regio ms':>9} {'ratio':>6}  {'queries school → regio':>22}"
    print(header)
    print("-" * len(header))
    regio_rows = {r["label"]: r for r in regio["pages"]}
    ratios = []
    for row in school["pages"]:
        other = regio_rows.get(row["label"])
        if not other or "median_ms" not in row or "median_ms" not in other:
            print(f"{row['label']:<32} {'(missing or error)':>20}")
            continue
        ratio = other["median_ms"] / row["median_ms"]
        ratios.append({"label": row["label"], "school_ms": row["median_ms"], "regio_ms": other["median_ms"],
                       "ratio": ratio})
        flag = "" if ratio <= 1.3 else "  > 1.3"
        print(f"{row['label']:<32} {row['median_ms']:>9.1f} {other['median_ms']:>9.1f} {ratio:>6.2f}"
              f"  {_fmt_queries(row) + ' → ' + _fmt_queries(other):>22}{flag}")
    return ratios


# --- main -----------------------------------------------------------------------------------


def measure_scan(rounds):
    """The reminder scan over every school of the scenario: a first scan (sends what is due) and
    a repeat scan straight after (everything already in the ledger), each in a transaction that is
    rolled back so every round sees the same data. Medians of the rounds."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from zorg import herinneringen

    class Terugdraaien(Exception):
        pass

    eerste, herhaling = [], []
    for _ in range(rounds):
        try:
            with transaction.atomic():
                for lijst in (eerste, herhaling):
                    with CaptureQueriesContext(connection) as ctx:
                        start = time.perf_counter()
                        nieuw = herinneringen.scan()
                        lijst.append(((time.perf_counter() - start) * 1000, len(ctx.captured_queries), nieuw))
                raise Terugdraaien
        except Terugdraaien:
            pass

    def mediaan(rijen):
        rijen = sorted(rijen)
        return {"ms": round(rijen[len(rijen) // 2][0], 1), "queries": rijen[len(rijen) // 2][1],
                "notificaties": rijen[len(rijen) // 2][2]}

    from zorg.models import School

    return {"schools": School.objects.count(), "first": mediaan(eerste), "repeat": mediaan(herhaling),
            "rounds": rounds}


def print_scan(scan):
    print(f"\nreminder scan over {scan['schools']} school(s), median of {scan['rounds']} rounds (rolled back):")
    for naam, label in (("first", "first scan (sends what is due)"), ("repeat", "repeat scan (all in the ledger)")):
        rij = scan[naam]
        print(f"  {label:<34} {rij['ms']:>8.1f} ms  {rij['queries']:>5} queries  "
              f"{rij['notificaties']:>5} notifications")


def run_scenario(args):
    scenario = args.scenario
    params = SCENARIOS[scenario]
    base_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    key_params = {**params, "schooljaar": _schooljaar_begin(datetime.date.today()).isoformat()}
    print(f"== bench scenario {scenario}: preparing database", file=sys.stderr)
    dbname, fp, state, admin = prepare_database(scenario, key_params, base_url, args.rebuild, args.drop_stale)
    try:
        # Settings read DATABASE_URL at import: switch before django.setup().
        os.environ["DATABASE_URL"] = database_url(base_url, dbname)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zorg.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        t_migrate = time.perf_counter() - t0
        info = {"database": dbname, "fingerprint": fp, "cached": state is not None, "migrate_seconds": t_migrate}
        if state is None:
            print(f"== building {scenario} dataset in {dbname} (one-off)", file=sys.stderr)
            t_builder, t_total = build(scenario, params, fp, t_migrate)
            info.update(builder_seconds=t_builder, build_seconds=t_total + t_migrate, built_at="now")
        else:
            info.update(build_seconds=state[0], built_at=state[1].strftime("%Y-%m-%d %H:%M"))
    finally:
        admin.close()  # releases the advisory lock

    from django.db import connection

    fixtures = Fixtures()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    pages = [p for p in PAGES if not args.k or args.k.lower() in p.label.lower()]
    print(f"== measuring {len(pages) + 2} pages: {args.warmup} warm-up requests each, then {args.n} rounds",
          file=sys.stderr)
    load_before = os.getloadavg()[0]
    results = run_pages(pages, fixtures, args.n, args.warmup, args.sql)
    load_after = os.getloadavg()[0]

    report = {
        "scenario": scenario,
        "params": params,
        "n": args.n,
        "warmup": args.warmup,
        "build": info,
        "sizes": sizes(),
        "env": {
            "debug": settings.DEBUG,
            "python": platform.python_version(),
            "django": django.get_version(),
            "postgres": pg_version.split()[0],
            "cpus": os.cpu_count(),
            "load_average_1min": [round(load_before, 2), round(load_after, 2)],
            "when": datetime.datetime.now().isoformat(timespec="seconds"),
        },
        "pages": results,
    }
    report["scan"] = measure_scan(3)
    print_table(report)
    print_scan(report["scan"])
    RESULTS.mkdir(exist_ok=True)
    # A filtered run (-k) must not overwrite the full results of the scenario.
    out = RESULTS / (f"{scenario}.partial.json" if args.k else f"{scenario}.json")
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"results: {out.relative_to(ROOT)}")
    return report


def run_both(args):
    """Each scenario in its own process (the database is chosen before django.setup())."""
    for scenario in ("school", "regio"):
        cmd = [sys.executable, "-m", "tests.bench", "--scenario", scenario, "--n", str(args.n),
               "--warmup", str(args.warmup)]
        if args.k:
            cmd += ["-k", args.k]
        if args.rebuild:
            cmd.append("--rebuild")
        if args.drop_stale:
            cmd.append("--drop-stale")
        if args.sql:
            cmd += ["--sql", str(args.sql)]
        subprocess.run(cmd, cwd=ROOT, check=True)
    suffix = ".partial.json" if args.k else ".json"
    school = json.loads((RESULTS / f"school{suffix}").read_text())
    regio = json.loads((RESULTS / f"regio{suffix}").read_text())
    ratios = print_scale(school, regio)
    out = RESULTS / f"both{suffix}"
    out.write_text(json.dumps({"school": school, "regio": regio, "scale_ratio": ratios}, indent=2,
                              ensure_ascii=False) + "\n")
    print(f"results: {out.relative_to(ROOT)}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=["school", "regio", "both"], default="both",
                        help="both (the default): school, then regio, and the scale ratio")
    parser.add_argument("--n", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("-k", default="", help="only pages whose label contains this text (floor always runs)")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the scenario's database")
    parser.add_argument("--drop-stale", action="store_true", help="drop this scenario's outdated bench databases")
    parser.add_argument("--sql", type=int, nargs="?", const=200, default=0, metavar="CHARS",
                        help="print the SQL of each page's last request (first CHARS characters, default 200)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    if args.scenario == "both":
        run_both(args)
    else:
        run_scenario(args)


if __name__ == "__main__":
    main()
