"""`make bench-load`: a bounded locust run against gunicorn with production settings on loopback.

    python -m tests.load [--scenario school|regio|both] [--seconds 120] [--users 40] [--spawn-rate 4]
                         [--workers 3] [--threads 2] [--scan-interval 15] [--keep-db]

(defaults from BENCH_LOAD_SCENARIO (both), BENCH_LOAD_SECONDS, BENCH_LOAD_USERS, BENCH_LOAD_SPAWN_RATE,
BENCH_LOAD_WORKERS, BENCH_LOAD_THREADS, BENCH_LOAD_SCAN_INTERVAL). "both" runs *school*, then *regio*,
each in its own process with the same settings, so the two reports compare like with like.

1. Data: the cached bench database of the scenario (tests/bench.py; *school*: one school of 1,500
   pupils, *regio*: 10 such schools in one database; built through its own functions when
   missing), copied to zorgroute_load_<scenario> (CREATE DATABASE ... TEMPLATE) so the writes of
   the run (cells, signaleringen, notes, reminders, sessions) never change the bench data and
   every run starts from the same state. The copy is dropped at the end (--keep-db keeps it).
2. Sessions: for many distinct people of the school (on *regio* shared out over all ten
   schools: mentors each with their own klas, docenten, a zorgcoördinator per school, ouders) a
   ready session is created server-side, as a real login leaves it: the user id, backend and
   session auth hash (django.contrib.auth), for staff the verified TOTP device
   (django_otp.DEVICE_ID_SESSION_KEY, a confirmed device is added where the account has none).
   Locust users get them as the `sessionid` cookie (tests/load/locustfile.py).
3. Server: gunicorn, --workers × --threads (gthread), with production settings: DJANGO_DEBUG=0, a
   fresh secret key, collectstatic + whitenoise's compressed manifest storage, persistent database
   connections as zorg/settings.py configures them (DATABASE_CONN_MAX_AGE, default 60 s; no pool),
   sessions and cache in Redis. No TLS on loopback: locust plays the TLS-terminating proxy by
   sending X-Forwarded-Proto: https, so the SSL redirect, secure cookies and the HTTPS CSRF checks
   stay as in production. Redis: its own database number (BENCH_LOAD_REDIS_DB, default 11) for
   cache, sessions and the Celery broker, emptied before and after. E-mail: the dummy backend.
4. The reminder scan: a side process calls the Celery task's function
   (zorg.tasks.scan_herinneringen) every --scan-interval seconds during the run, as beat + a worker
   would every 15 minutes; its durations are reported. (No Celery worker: the e-mail tasks the app
   enqueues stay in the run's own Redis database and are dropped with it.)
5. Locust runs headless for --seconds, then the report: throughput, p50/p95/p99 per request type,
   failures with their reason, the settings used; copies in bench-results/load-<scenario>.{json,md}.
   Exit status 1 when any request failed (the goal is 0).
"""

import argparse
import csv
import datetime
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench-results"
SCENARIO = "school"  # set by main() (--scenario) before anything else runs
LOAD_DB = f"zorgroute_load_{SCENARIO}"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"

# Behind a proxy the upstream connections stay open (nginx keeps them 60 s): longer than any think
# time of the mix, so no request races the server closing an idle connection.
KEEP_ALIVE = 75

# How many distinct accounts get a session per role (locust users take them in turn).
ACCOUNTS = {"mentor": 60, "docent": 30, "zorgcoordinator": 1, "ouder": 120}


def _env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _with_db(url, path):
    """The URL with another path (a database name, or a Redis database number)."""
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path="/" + str(path)))


def say(text):
    print(f"== {text}", file=sys.stderr, flush=True)


# --- data ------------------------------------------------------------------------------------


def prepare_data(base_url):
    """The cached bench database (built when missing, as `make bench` does), copied to LOAD_DB.
    Leaves Django set up and connected to the copy. Returns (bench database name, its state)."""
    import psycopg
    from psycopg import sql

    from tests import bench

    params = bench.SCENARIOS[SCENARIO]
    key_params = {**params, "schooljaar": bench._schooljaar_begin(datetime.date.today()).isoformat()}
    dbname, fp, state, admin = bench.prepare_database(SCENARIO, key_params, base_url)
    try:
        os.environ["DATABASE_URL"] = bench.database_url(base_url, dbname)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        if state is None:
            say(f"building the {SCENARIO} bench dataset in {dbname} (one-off, a few minutes)")
            bench.build(SCENARIO, params, fp, time.perf_counter() - t0)
        connections.close_all()
        # Still holding the harness's advisory lock: no bench run drops or rebuilds it meanwhile.
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(LOAD_DB)))
        deadline = time.monotonic() + 120
        while True:
            try:
                admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(LOAD_DB), sql.Identifier(dbname)))
                break
            except psycopg.errors.ObjectInUse:
                # A template must have no other connections (a `make bench` running right now).
                if time.monotonic() > deadline:
                    raise SystemExit(f"{dbname} stayed in use for 2 minutes: cannot copy it") from None
                time.sleep(2)
    finally:
        admin.close()

    from django.conf import settings
    from django.db import connection

    settings.DATABASES["default"]["NAME"] = LOAD_DB
    connection.settings_dict["NAME"] = LOAD_DB
    os.environ["DATABASE_URL"] = bench.database_url(base_url, LOAD_DB)
    return dbname, state


def drop_load_db(base_url):
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    with psycopg.connect(base_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(LOAD_DB)))


def ready_session(user, staff=True):
    """A session as a full login leaves it (password, and for staff the second step); returns its key.

    django.contrib.auth's user id, backend and session auth hash; for staff django_otp's verified
    device (a confirmed TOTP device is added when the account has none), as django_otp.login does.
    Stored through the configured engine (cached_db: Redis and PostgreSQL)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zorg.middleware import SessieVerlengenMiddleware

    data = import_module(settings.SESSION_ENGINE).SessionStore()
    data[SESSION_KEY] = str(user.pk)
    data[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    data[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if staff:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="app", confirmed=True)
        data[DEVICE_ID_SESSION_KEY] = device.persistent_id
    data[SessieVerlengenMiddleware.SLEUTEL] = int(time.time())
    data.create()
    return data.session_key


def make_sessions_all_schools(accounts=None):
    """make_sessions for every school in the database, the accounts per role shared out over them
    (one zorgcoördinator per school): on *regio* the load comes from all ten schools at once."""
    from zorg.models import School

    accounts = {**ACCOUNTS, **(accounts or {})}
    codes = list(School.objects.order_by("code").values_list("code", flat=True))
    share = {role: max(1, -(-n // len(codes))) for role, n in accounts.items()}
    sessions = {role: [] for role in accounts}
    for code in codes:
        for role, items in make_sessions(code, share).items():
            sessions[role].extend(items)
    return sessions


def make_sessions(school_code="demo", accounts=None):
    """Ready sessions for distinct people of the school, per role: {role: [{username, sessionid, ...}]}.

    mentor: one per klas of this schooljaar (a klas with two mentors gets one of them), with "klas"
    and the klas's groepsoverzicht of the running periode in place, as after their first visit;
    docent: teachers of this year, those without a klas of their own first; zorgcoordinator: with
    "izo", the IZO planned next (demo_besprekingen); ouder: portal accounts, two in three with a
    child that has a plan they can read."""
    from django.db.models import Count, Q

    from besprekingen.models import Bespreking
    from leerlingen.models import Ouder
    from plannen import groepsoverzicht as go
    from zorg.models import Functie, Klas, Lesopdracht, School

    accounts = {**ACCOUNTS, **(accounts or {})}
    school = School.objects.get(code=school_code)
    jaar = school.schooljaren.order_by("-begin").first()
    periode = jaar.periode_op()

    def session(user, staff=True):
        return {"username": user.username, "sessionid": ready_session(user, staff)}

    sessions = {"mentor": [], "docent": [], "zorgcoordinator": [], "ouder": []}
    mentoren = set()
    for klas in Klas.objects.filter(schooljaar=jaar).select_related("afdeling__school").prefetch_related(
            "mentoren").order_by("naam"):
        mentor = next((m for m in klas.mentoren.all() if m.pk not in mentoren), None)
        if mentor is None or len(sessions["mentor"]) >= accounts["mentor"]:
            continue
        mentoren.add(mentor.pk)
        go.groepsoverzicht_voor(klas, periode)
        sessions["mentor"].append({**session(mentor), "klas": klas.pk})
    docenten = (Lesopdracht.objects.filter(klas__schooljaar=jaar).select_related("docent")
                .order_by("docent_id").distinct("docent_id"))
    gesorteerd = sorted((o.docent for o in docenten), key=lambda d: (d.pk in mentoren, d.pk))
    sessions["docent"] = [session(d) for d in gesorteerd[:accounts["docent"]]]
    izo = Bespreking.objects.filter(school=school, soort="izo", status="gepland").order_by("begin").first()
    if izo is not None:
        for functie in Functie.objects.filter(schooljaar=jaar, soort=Functie.Soort.ZORGCOORDINATOR).select_related(
                "gebruiker").order_by("pk")[:accounts["zorgcoordinator"]]:
            sessions["zorgcoordinator"].append({**session(functie.gebruiker), "izo": izo.pk})
    ouders = (Ouder.objects.filter(gebruiker__isnull=False, gebruiker__is_active=True, kinderen__school=school)
              .annotate(plannen=Count("kinderen__handelingsplannen",
                                      filter=Q(kinderen__handelingsplannen__status="vastgesteld")))
              .select_related("gebruiker").order_by("pk"))
    met = [o for o in ouders if o.plannen][: max(1, accounts["ouder"] * 2 // 3)]
    zonder = [o for o in ouders if not o.plannen][: accounts["ouder"] - len(met)]
    sessions["ouder"] = [session(o.gebruiker, staff=False) for o in met + zonder]
    return sessions


# --- processes -------------------------------------------------------------------------------


def production_env(port, redis_url):
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"https://127.0.0.1:{port}",
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        CELERY_RESULT_BACKEND=redis_url,
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def _stop(process, name, grace=15):
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        say(f"{name} did not stop in {grace} s: killing it")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _ready(port, timeout=90):
    """Until the login page answers 200 through the (simulated) TLS proxy."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(f"http://127.0.0.1:{port}/inloggen/", headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def _tail(path, lines=30):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- the reminder scan side process ------------------------------------------------------------


def scan_loop(argv):
    """`python -m tests.load scan --interval S --seconds T --out FILE`: the reminder scan, repeatedly."""
    parser = argparse.ArgumentParser(prog="python -m tests.load scan")
    parser.add_argument("--interval", type=float, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zorg.settings")
    django.setup()
    from zorg.tasks import scan_herinneringen

    runs, errors = [], []
    end = time.monotonic() + args.seconds
    while not stop and time.monotonic() < end:
        start = time.monotonic()
        try:
            notifications = scan_herinneringen()
            runs.append({"ms": round((time.monotonic() - start) * 1000, 1), "notifications": notifications})
        except Exception as exc:  # noqa: BLE001 (reported, the run goes on)
            errors.append(f"{type(exc).__name__}: {exc}")
        while not stop and time.monotonic() < min(start + args.interval, end):
            time.sleep(0.2)
    Path(args.out).write_text(json.dumps({"runs": runs, "errors": errors}))
    return 0


# --- the report ------------------------------------------------------------------------------


def read_stats(prefix):
    def rows(suffix):
        path = Path(f"{prefix}_{suffix}.csv")
        if not path.exists():
            return []
        with path.open(newline="") as f:
            return list(csv.DictReader(f))

    def num(value):
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    stats = []
    for row in rows("stats"):
        stats.append({
            "name": row["Name"], "method": row["Type"], "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]), "rps": num(row["Requests/s"]),
            "p50_ms": num(row["50%"]), "p95_ms": num(row["95%"]), "p99_ms": num(row["99%"]),
            "mean_ms": num(row["Average Response Time"]), "max_ms": num(row["Max Response Time"]),
            "bytes": num(row["Average Content Size"]),
        })
    failures = [{"method": r["Method"], "name": r["Name"], "error": r["Error"], "count": int(r["Occurrences"])}
                for r in rows("failures")]
    exceptions = [{"count": int(r["Count"]), "message": r["Message"], "traceback": r["Traceback"]}
                  for r in rows("exceptions")]
    return stats, failures, exceptions


def _fmt(value):
    return "—" if value is None else f"{value:.0f}"


def print_report(report):
    s = report["settings"]
    print()
    print(f"Zorgroute load test — scenario {SCENARIO} ({report['data']['schools']} school(s), "
          f"{report['data']['pupils']:,} pupils; database "
          f"{LOAD_DB}, a copy of {report['data']['bench_database']})")
    print(f"  {report['when']} · {s['machine']}")
    print(f"  server: gunicorn {s['gunicorn']['version']}, {s['gunicorn']['workers']} workers × "
          f"{s['gunicorn']['threads']} threads ({s['gunicorn']['worker_class']}), timeout {s['gunicorn']['timeout']} s,"
          f" keep-alive {s['gunicorn']['keep_alive']} s,"
          f" on 127.0.0.1 behind a simulated TLS proxy (X-Forwarded-Proto: https)")
    print(f"  Django {s['django']['version']}: DEBUG={s['django']['debug']}, SECURE_SSL_REDIRECT="
          f"{s['django']['ssl_redirect']}, secure cookies, sessions {s['django']['session_engine']}, "
          f"static {s['django']['static']}")
    d = s["database"]
    print(f"  database: PostgreSQL {d['server']}, persistent connections CONN_MAX_AGE={d['conn_max_age']} s, "
          f"CONN_HEALTH_CHECKS={d['conn_health_checks']}, pool: {d['pool']} "
          f"(≤ {d['max_app_connections']} connections: one per worker thread)")
    lo = s["locust"]
    mix = ", ".join(f"{role} {n}" for role, n in lo["accounts_used"].items())
    print(f"  locust {lo['version']}: {lo['users']} users, spawn rate {lo['spawn_rate']}/s, {lo['seconds']} s; "
          f"distinct accounts per role: {mix}")
    sc = report["scan"]
    if sc["runs"]:
        ms = [r["ms"] for r in sc["runs"]]
        print(f"  reminder scan: side process, zorg.tasks.scan_herinneringen() every {s['scan_interval']} s: "
              f"{len(ms)} runs, median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms, "
              f"{sum(r['notifications'] for r in sc['runs'])} notifications, {len(sc['errors'])} errors")
    else:
        print(f"  reminder scan: no completed run ({len(sc['errors'])} errors)")
    print(f"  load average (1 min) before/after: {report['load_average'][0]:.2f} / {report['load_average'][1]:.2f}"
          " — locust, gunicorn, PostgreSQL and Redis share the 2 cores")
    print()
    header = (f"{'request type':<40} {'requests':>8} {'fail':>5} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6}"
              f" {'max':>6}")
    print(header + "  (ms)")
    print("-" * (len(header) + 6))
    rows = [r for r in report["stats"] if r["name"] != "Aggregated"]
    total = next((r for r in report["stats"] if r["name"] == "Aggregated"), None)
    for r in sorted(rows, key=lambda r: r["name"]) + ([total] if total else []):
        label = ("all requests" if r is total else f"{r['name']}")[:40]
        print(f"{label:<40} {r['requests']:>8} {r['failures']:>5} {r['rps'] or 0:>6.1f} {_fmt(r['p50_ms']):>6} "
              f"{_fmt(r['p95_ms']):>6} {_fmt(r['p99_ms']):>6} {_fmt(r['max_ms']):>6}")
    print()
    errors = report["errors"]
    print(f"throughput: {report['throughput_rps']:.1f} requests/s ({report['requests']:,} requests in "
          f"{lo['seconds']} s); errors: {errors}" + ("" if errors else " (goal: 0)"))
    for f in report["failures"]:
        print(f"  FAILED {f['count']}× {f['method']} {f['name']}: {f['error']}")
    for e in report["exceptions"]:
        print(f"  EXCEPTION {e['count']}× in the locustfile: {e['message']}\n{e['traceback']}")
    for e in sc["errors"]:
        print(f"  SCAN ERROR: {e}")
    print("Percentiles are locust's (rounded: 2 significant digits above 100 ms). Speed is shown, never asserted.")


def write_markdown(report, path):
    s, lo = report["settings"], report["settings"]["locust"]
    lines = [
        f"# Load test, scenario {SCENARIO} ({report['when']})", "",
        f"- machine: {s['machine']}",
        f"- gunicorn {s['gunicorn']['workers']} workers × {s['gunicorn']['threads']} threads "
        f"({s['gunicorn']['worker_class']}); DEBUG={s['django']['debug']}; CONN_MAX_AGE="
        f"{s['database']['conn_max_age']} s, pool: {s['database']['pool']}",
        f"- locust {lo['users']} users, spawn rate {lo['spawn_rate']}/s, {lo['seconds']} s; accounts: "
        + ", ".join(f"{k} {v}" for k, v in lo["accounts_used"].items()),
        f"- throughput {report['throughput_rps']:.1f} req/s, {report['requests']} requests, errors {report['errors']}",
        "", "| request type | requests | fail | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in report["stats"]:
        lines.append(f"| {r['name']} | {r['requests']} | {r['failures']} | {r['rps'] or 0:.1f} | {_fmt(r['p50_ms'])} "
                     f"| {_fmt(r['p95_ms'])} | {_fmt(r['p99_ms'])} | {_fmt(r['max_ms'])} |")
    path.write_text("\n".join(lines) + "\n")


# --- main ------------------------------------------------------------------------------------


def run_both(argv):
    """Each scenario in its own process (Django and the database are chosen once per process)."""
    rest = [a for a in argv if not a.startswith("--scenario")]
    if "--scenario" in argv:
        i = argv.index("--scenario")
        rest = argv[:i] + argv[i + 2:]
    status = 0
    for scenario in ("school", "regio"):
        say(f"scenario {scenario}")
        status = max(status, subprocess.call([sys.executable, "-m", "tests.load", "--scenario", scenario, *rest],
                                             cwd=ROOT))
    return status


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["scan"]:
        return scan_loop(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m tests.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=["school", "regio", "both"],
                        default=os.environ.get("BENCH_LOAD_SCENARIO") or "both")
    parser.add_argument("--seconds", type=int, default=_env_int("BENCH_LOAD_SECONDS", 120))
    parser.add_argument("--users", type=int, default=_env_int("BENCH_LOAD_USERS", 40))
    parser.add_argument("--spawn-rate", type=float, default=float(_env_int("BENCH_LOAD_SPAWN_RATE", 4)))
    parser.add_argument("--workers", type=int, default=_env_int("BENCH_LOAD_WORKERS", 3),
                        help="gunicorn workers (default 3, the Dockerfile's WEB_CONCURRENCY)")
    parser.add_argument("--threads", type=int, default=_env_int("BENCH_LOAD_THREADS", 2))
    parser.add_argument("--scan-interval", type=int, default=_env_int("BENCH_LOAD_SCAN_INTERVAL", 15))
    parser.add_argument("--keep-db", action="store_true", help="keep the zorgroute_load_<scenario> copy afterwards")
    args = parser.parse_args(argv)
    if args.seconds < 10 or args.users < 1:
        parser.error("--seconds must be at least 10 and --users at least 1")
    if args.scenario == "both":
        return run_both(argv)
    global SCENARIO, LOAD_DB
    SCENARIO, LOAD_DB = args.scenario, f"zorgroute_load_{args.scenario}"

    base_url = os.environ.get("DATABASE_URL", "postgres://zorgroute@127.0.0.1:5432/zorgroute")
    redis_url = _with_db(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                         _env_int("BENCH_LOAD_REDIS_DB", 11))
    port = _free_port()
    # Production settings for this process (sessions are signed with the key gunicorn uses) and the children.
    os.environ.update(production_env(port, redis_url))
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zorg.settings")
    import redis

    cache = redis.Redis.from_url(redis_url)
    cache.flushdb()  # the run's own Redis database: stale sessions and tasks of an earlier run

    RESULTS.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="zorgroute-load-"))
    gunicorn = scan = locust = None
    started = False
    try:
        say(f"preparing the {SCENARIO} bench database and its copy {LOAD_DB}")
        bench_db, state = prepare_data(base_url)
        started = True
        say("creating sessions")
        sessions = make_sessions_all_schools()
        (work / "sessions.json").write_text(json.dumps(sessions))
        from django.conf import settings
        from django.db import connection

        from leerlingen.models import Leerling
        from zorg.models import School

        pupils = Leerling.objects.count()
        schools = School.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg_version = cursor.fetchone()[0].split()[0]
        connection.close()

        say("collectstatic (whitenoise serves the compressed, hashed files)")
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, check=True)

        worker_class = "gthread" if args.threads > 1 else "sync"
        gunicorn_log = RESULTS / "load-gunicorn.log"
        timeout = 60
        say(f"starting gunicorn on 127.0.0.1:{port}: {args.workers} workers × {args.threads} threads")
        with gunicorn_log.open("w") as log:
            gunicorn = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "zorg.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", worker_class,
                 "--timeout", str(timeout), "--graceful-timeout", "10", "--keep-alive", str(KEEP_ALIVE),
                 "--log-level", "warning"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if not _ready(port):
            raise SystemExit(f"gunicorn did not answer on port {port}:\n{_tail(gunicorn_log)}")
        for _ in range(args.workers * args.threads * 2):  # import-time and first-template costs
            _ready(port, timeout=10)

        scan_out = work / "scan.json"
        say(f"reminder scan every {args.scan_interval} s in a side process")
        scan = subprocess.Popen(
            [sys.executable, "-m", "tests.load", "scan", "--interval", str(args.scan_interval),
             "--seconds", str(args.seconds), "--out", str(scan_out)],
            cwd=ROOT, start_new_session=True)

        prefix = work / "locust"
        locust_log = RESULTS / "load-locust.log"
        used = work / "used.json"
        say(f"locust: {args.users} users, spawn rate {args.spawn_rate}/s, {args.seconds} s")
        load_before = os.getloadavg()[0]
        with locust_log.open("w") as log:
            locust = subprocess.Popen(
                [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--users", str(args.users),
                 "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.seconds}s",
                 "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
                 "--stop-timeout", "30", "--exit-code-on-error", "0", "--loglevel", "INFO"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "BENCH_LOAD_SESSIONS": str(work / "sessions.json"), "BENCH_LOAD_USED": str(used)})
            try:
                rc = locust.wait(args.seconds + 120)
            except subprocess.TimeoutExpired:
                rc = None
                say("locust did not stop in time: stopping it")
        load_after = os.getloadavg()[0]
        _stop(locust, "locust")
        _stop(scan, "the scan")
        if scan.poll() is None:
            scan.wait()
        _stop(gunicorn, "gunicorn")

        stats, failures, exceptions = read_stats(prefix)
        if not stats:
            raise SystemExit(f"locust produced no statistics (exit {rc}):\n{_tail(locust_log)}")
        total = next(r for r in stats if r["name"] == "Aggregated")
        accounts = json.loads(used.read_text()) if used.exists() else {}
        from importlib.metadata import version

        import django

        report = {
            "scenario": SCENARIO,
            "when": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "data": {"bench_database": bench_db, "built_now": state is None, "pupils": pupils, "schools": schools},
            "settings": {
                "machine": f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
                           f"Python {platform.python_version()}",
                "gunicorn": {"version": version("gunicorn"), "workers": args.workers, "threads": args.threads,
                             "worker_class": worker_class, "timeout": timeout,
                             "keep_alive": KEEP_ALIVE},
                "django": {"version": django.get_version(), "debug": settings.DEBUG,
                           "ssl_redirect": settings.SECURE_SSL_REDIRECT,
                           "session_engine": settings.SESSION_ENGINE.rsplit(".", 1)[-1] + " (Redis cache + PostgreSQL)",
                           "static": "whitenoise " + settings.STORAGES["staticfiles"]["BACKEND"].rsplit(".", 1)[-1]},
                "database": {"server": pg_version, "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
                             "conn_health_checks": settings.DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
                             "pool": "psycopg pool" if settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
                             else "none (a persistent connection per thread)",
                             "max_app_connections": args.workers * args.threads},
                "locust": {"version": version("locust"), "users": args.users, "spawn_rate": args.spawn_rate,
                           "seconds": args.seconds, "accounts_used": {k: len(v) for k, v in accounts.items()},
                           "accounts_prepared": {k: len(v) for k, v in sessions.items()}},
                "scan_interval": args.scan_interval,
                "redis_db": redis_url.rsplit("/", 1)[-1],
            },
            "load_average": [round(load_before, 2), round(load_after, 2)],
            "stats": stats,
            "requests": total["requests"],
            "throughput_rps": total["rps"] or 0.0,
            "errors": sum(r["failures"] for r in stats if r["name"] != "Aggregated") + len(exceptions),
            "failures": failures,
            "exceptions": exceptions,
            "scan": json.loads(scan_out.read_text()) if scan_out.exists() else {"runs": [], "errors": ["no output"]},
        }
        print_report(report)
        out = RESULTS / f"load-{SCENARIO}.json"
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        write_markdown(report, RESULTS / f"load-{SCENARIO}.md")
        print(f"results: {out.relative_to(ROOT)}, bench-results/load-{SCENARIO}.md; logs: "
              f"{gunicorn_log.relative_to(ROOT)}, {locust_log.relative_to(ROOT)}")
        return 1 if report["errors"] or report["scan"]["errors"] else 0
    finally:
        for process, name in ((locust, "locust"), (scan, "the scan"), (gunicorn, "gunicorn")):
            _stop(process, name)
        if started and not args.keep_db:
            drop_load_db(base_url)
        cache.flushdb()
        for path in sorted(work.glob("*")):
            path.unlink()
        work.rmdir()
