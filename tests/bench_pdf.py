"""PDF benchmark (`make bench-pdf`): one handelingsplan PDF, and bulk ZIP exports through a real worker.

    python -m tests.bench_pdf [--sizes 25,50,100,200] [--renders 20] [--rounds 1]
                              [--max-tasks-per-child N] [--max-memory-per-child KIB] [--keep]

Data: a fresh demo school (zorg.demo.bouw_school, 4 klassen) in its own temporary database on the
server of DATABASE_URL, dropped at the end. The cached *school* bench database is left alone: the
exports write Export rows, files and inzagelog rows, which would change a shared cached dataset.
Each export size gets its own klas, topped up with handelingsplannen (realistic text over all ten
sections, 7 goals with a note, 2 betrokkenen: 3 pages each) until the klas has exactly that many.

Measured:
1. The single handelingsplan PDF: median and p95 of `plannen.pdf.handelingsplan_pdf` over
   --renders renders (after 2 warm-up renders), in this process.
2. Bulk exports: a REAL `celery worker` subprocess (prefork pool, concurrency 1, production settings:
   DEBUG off) on its own Redis database and queue, with the worker recycling settings of
   zorg/settings.py (CELERY_WORKER_MAX_TASKS_PER_CHILD / CELERY_WORKER_MAX_MEMORY_PER_CHILD, which
   --max-tasks-per-child / --max-memory-per-child override). For every size the export is queued
   as the view does (Export row, then the task), and the Export row is polled every 50 ms until it
   is klaar. Printed: seconds from queueing to klaar, ms per PDF (linear scaling = a flat ms/PDF),
   how many distinct "x van y" progress values the poller saw, the pool child's peak RSS during the
   export (VmRSS sampled every 50 ms from /proc) and its RSS after, the child's pid (a new pid = the
   child was replaced), and the ZIP size. A warm-up export of the smallest size runs first (the
   child's first PDF loads fonts and WeasyPrint; that is startup, not per-PDF cost).
Speed is printed, never asserted. Linux only (/proc).
"""

import argparse
import datetime
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.bench import DEFAULT_DATABASE_URL, ROOT, _p95, database_url

SAMPLE_SECONDS = 0.05
KLASSEN = 4  # the demo builder's minimum for its logins is 2; one klas per export size

# Realistic plan text: a few sentences per section, drawn per plan (seeded).
ZINNEN = {
    "ontwikkelingsperspectief": [
        "Verwacht uitstroomniveau: havo; de leerling kan dit halen met extra ondersteuning bij plannen.",
        "De leerrendementsverwachting voor begrijpend lezen is een half jaar achterstand inhalen.",
        "Bij rekenen ligt het niveau op 1F; het streven is 2F aan het einde van leerjaar 2.",
        "De leerling ontwikkelt zich sociaal-emotioneel in de lijn van leeftijdsgenoten.",
    ],
    "beginsituatie": [
        "Haalt sinds de herfstvakantie onvoldoendes voor Nederlands en Engels, vooral bij toetsen met veel tekst.",
        "Is vaak moe in de eerste lesuren en vergeet regelmatig zijn spullen.",
        "Docenten signaleren dat de leerling snel afgeleid is en weinig om hulp vraagt.",
        "Thuis is de situatie veranderd; de leerling woont sinds kort afwisselend bij beide ouders.",
        "In de groepsbespreking van november is besloten een handelingsplan op te stellen.",
        "Het huiswerk wordt in ongeveer de helft van de weken niet op tijd ingeleverd.",
    ],
    "onderwijsbehoeften": [
        "Heeft een korte, duidelijke instructie nodig en een vaste plek dicht bij de docent.",
        "Heeft baat bij het opdelen van grote opdrachten in kleine stappen met tussentijdse controle.",
        "Heeft een docent nodig die regelmatig even checkt of de opdracht begrepen is.",
        "Heeft behoefte aan voorspelbaarheid: wijzigingen in het rooster vooraf bespreken.",
        "Heeft extra tijd nodig bij toetsen met veel leestekst (verlengde toetstijd, 15 minuten).",
    ],
    "inhoud": [
        "Extra begeleiding bij plannen en bij de basisvaardigheden lezen en rekenen.",
        "Oefenen met leesstrategieën: voorspellen, samenvatten en vragen stellen bij de tekst.",
        "Werken met een weekplanning in de agenda, elke maandag samen met de mentor opgesteld.",
    ],
    "aanpak": [
        "Wekelijks een kort gesprek met de mentor over de planning en het huiswerk van die week.",
        "Verlengde instructie bij Nederlands in een kleine groep, twee keer per week.",
        "De docent geeft na de klassikale uitleg eerst deze leerling een korte check-in.",
        "Afspraken worden in de agenda genoteerd en door de mentor op vrijdag nagekeken.",
        "Bij onrust mag de leerling een time-out nemen op de gang, met een afgesproken teken.",
    ],
    "organisatie": [
        "Mentor, wekelijks op maandag het 1e uur, in het mentorlokaal.",
        "Remedial teacher, dinsdag en donderdag het 7e uur, 30 minuten.",
        "De zorgcoördinator sluit aan bij het evaluatiegesprek aan het einde van de periode.",
    ],
    "evaluatie_afspraken": [
        "Mentor evalueert met leerling en ouders aan het einde van de periode.",
        "Tussentijdse evaluatie in de groepsbespreking na zes weken.",
        "De resultaten van de methodetoetsen worden naast de doelen gelegd.",
    ],
    "afspraken_ouders": [
        "Ouders kijken wekelijks mee in de agenda en bespreken de planning thuis.",
        "Ouders lezen thuis drie keer per week een kwartier samen met de leerling.",
        "Ouders melden het de mentor als de thuissituatie verandert.",
    ],
    "inbreng_leerling": [
        "Wil graag minder achter de feiten aan lopen en vindt de wekelijkse gesprekken fijn.",
        "Geeft aan dat uitleg in een kleine groep beter werkt dan in de klas.",
        "Wil zelf bijhouden hoeveel huiswerk er af is, met een lijstje in de agenda.",
    ],
    "inbreng_ouders": [
        "Ouders herkennen het beeld en zien thuis dezelfde moeite met plannen.",
        "Ouders vragen om een kort bericht als er een toets slecht gemaakt is.",
        "Ouders steunen het plan en willen na zes weken een tussentijds gesprek.",
    ],
}
DOELEN = [
    "Houdt een weekplanning bij en heeft in 5 van de 6 weken het huiswerk af, vóór het einde van de periode.",
    "Vraagt zelf om uitleg als iets niet duidelijk is: minstens één keer per week, te zien in de les.",
    "Past bij begrijpend lezen de strategie 'voorspellen' toe en haalt een voldoende op de methodetoets.",
    "Komt op tijd in de eerste les: hooguit één keer te laat in de periode.",
    "Neemt bij onrust zelf een time-out met het afgesproken teken, in plaats van de les te verstoren.",
    "Rondt de rekenopdrachten van niveau 1F af en begint aan 2F vóór de evaluatie.",
    "Bespreekt elke vrijdag met de mentor wat goed ging en wat de volgende week anders moet.",
]

TOELICHTINGEN = [
    "Lukt in de meeste weken; in toetsweken loopt het nog mis.",
    "Volgens de docenten Nederlands en Engels duidelijk beter dan in de vorige periode.",
    "Nog niet te zien; de afspraak is opnieuw besproken met leerling en ouders.",
]


def say(text):
    print(f"== {text}", file=sys.stderr, flush=True)


# --- /proc ------------------------------------------------------------------------------------


def proc_status(pid):
    """{'VmRSS': kib, 'VmHWM': kib} of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    values = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def _cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return None


def children_of(pid):
    """The worker's pool processes: children of `pid` with its command line (forked, not exec'd:
    this leaves out helpers such as the ldconfig that ctypes runs to find a library)."""
    found = []
    own = _cmdline(pid)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        # The second field (comm) may contain spaces: the fields after the last ')' are fixed.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and _cmdline(entry) == own:
            found.append(int(entry))
    return found


class Sampler(threading.Thread):
    """Samples the worker's pool children every SAMPLE_SECONDS: peak VmRSS per window, pids seen."""

    def __init__(self, main_pid):
        super().__init__(daemon=True)
        self.main_pid = main_pid
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.seen = {}  # pid -> samples it was seen in, in order of first sight
        self.window_peak = 0
        self.main_peak = 0

    def run(self):
        while not self.stop_event.is_set():
            kids = children_of(self.main_pid)
            with self.lock:
                for pid in kids:
                    self.seen[pid] = self.seen.get(pid, 0) + 1
                    status = proc_status(pid)
                    if status:
                        self.window_peak = max(self.window_peak, status["VmRSS"])
                main = proc_status(self.main_pid)
                if main:
                    self.main_peak = max(self.main_peak, main["VmRSS"])
            time.sleep(SAMPLE_SECONDS)

    @property
    def pids(self):
        """The pool children in order: pids seen in at least 3 samples (a fork that runs a helper
        program shares the command line for the few microseconds before its exec)."""
        with self.lock:
            return [pid for pid, n in self.seen.items() if n >= 3]

    def new_window(self):
        with self.lock:
            peak, self.window_peak = self.window_peak, 0
            return peak

    def current(self):
        """(pid, VmRSS KiB) of the live pool child, or (None, None)."""
        kids = children_of(self.main_pid)
        for pid in kids:
            status = proc_status(pid)
            if status:
                return pid, status["VmRSS"]
        return None, None


# --- data -------------------------------------------------------------------------------------


def production_env(redis_url, media_root):
    """Production-like settings (DEBUG off) for this process and the worker, isolated Redis/media."""
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "SITE_URL": "https://localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "MEDIA_ROOT": str(media_root),
        "PYTHONUNBUFFERED": "1",
    }


def _tekst(rng, veld):
    zinnen = ZINNEN[veld]
    return " ".join(rng.sample(zinnen, k=len(zinnen)))


def make_plans(sizes):
    """One klas per size, topped up to exactly that many plans the zorgcoördinator may export.
    Returns (zorgcoördinator, school, [(size, klas)])."""
    from leerlingen.models import Leerling
    from plannen.models import Betrokkenheid, Doel, Handelingsplan
    from plannen.tasks import plannen_voor_export
    from zorg import demo
    from zorg.models import Gebruiker, Klas, School

    demo.bouw_school(klassen=KLASSEN)
    school = School.objects.get(code="demo")
    zc = Gebruiker.objects.get(username="zorgcoordinator")
    schooljaar = school.schooljaren.order_by("-begin").first()
    periode = schooljaar.periode_op()
    klassen = list(Klas.objects.filter(schooljaar=schooljaar).order_by("naam"))
    if len(klassen) < len(sizes):
        raise SystemExit(f"{len(sizes)} sizes need as many klassen; the demo school has {len(klassen)}")
    docenten = list(Gebruiker.objects.filter(username__startswith="demo.docent").order_by("pk")[:10])
    rng = random.Random(11)
    result = []
    for size, klas in zip(sorted(sizes), klassen, strict=False):
        bestaand = len(plannen_voor_export(zc, school, klas_id=klas.pk))
        if bestaand > size:
            raise SystemExit(f"klas {klas} already has {bestaand} plans, more than {size}")
        leerlingen = list(Leerling.objects.filter(plaatsingen__klas=klas).order_by("pk"))
        auteur = klas.mentoren.first() or zc
        for i in range(size - bestaand):
            plan = Handelingsplan.objects.create(
                leerling=leerlingen[i % len(leerlingen)], auteur=auteur, periode=periode,
                status=Handelingsplan.Status.VASTGESTELD, start=periode.begin if periode else datetime.date.today(),
                evaluatiedatum=periode.einde if periode else None,
                **{veld: _tekst(rng, veld) for veld in ZINNEN},
            )
            Doel.objects.bulk_create(
                Doel(handelingsplan=plan, volgorde=j, doel=doel, resultaat=rng.choice(["", "deels", "behaald"]),
                     toelichting=rng.choice(TOELICHTINGEN))
                for j, doel in enumerate(rng.sample(DOELEN, k=7))
            )
            Betrokkenheid.objects.bulk_create([
                Betrokkenheid(handelingsplan=plan, gebruiker=auteur, taak="Mentor: wekelijks gesprek en planning"),
                Betrokkenheid(handelingsplan=plan, gebruiker=rng.choice(docenten or [zc]),
                              taak="Geeft verlengde instructie bij Nederlands"),
            ])
        n = len(plannen_voor_export(zc, school, klas_id=klas.pk))
        result.append((n, klas))
    return zc, school, result


def pages(pdf_bytes):
    """The page count (pdfinfo from poppler-utils), or None without it."""
    try:
        info = subprocess.run(["pdfinfo", "-"], input=pdf_bytes, capture_output=True, check=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return None
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    return int(found.group(1)) if found else None


def measure_single(user, school, plan, renders):
    from plannen import pdf

    for _ in range(2):
        inhoud = pdf.handelingsplan_pdf(user, school, plan)
    times = []
    for _ in range(renders):
        t0 = time.perf_counter()
        pdf.handelingsplan_pdf(user, school, plan)
        times.append((time.perf_counter() - t0) * 1000)
    return {"median": statistics.median(times), "p95": _p95(times), "pages": pages(inhoud),
            "kib": len(inhoud) / 1024, "renders": renders}


# --- the worker -------------------------------------------------------------------------------


def start_worker(env, queue, logfile):
    cmd = [sys.executable, "-m", "celery", "-A", "zorg", "worker", "--pool=prefork", "--concurrency=1",
           "-Q", queue, "-n", f"{queue}@%h", "-l", "info", "--without-gossip", "--without-mingle",
           "--without-heartbeat"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop_worker(process):
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def wait_for_child(sampler, worker, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit("the worker exited during startup (see its log above)")
        pid, _rss = sampler.current()
        if pid:
            return pid
        time.sleep(0.1)
    raise SystemExit("the worker started no pool process within a minute")


def run_export(user, school, klas, queue, sampler, worker, timeout=900):
    """Queue one export as the view does; poll it to klaar. Returns the figures."""
    from plannen import tasks
    from plannen.models import Export

    export = Export.objects.create(aangevraagd_door=user, school=school, omschrijving=f"Bench {klas}")
    sampler.new_window()
    t0 = time.perf_counter()
    result = tasks.exporteer_handelingsplannen.apply_async((export.pk,), {"klas_id": klas.pk}, queue=queue)
    gezien = set()
    while True:
        status, gedaan, totaal = Export.objects.filter(pk=export.pk).values_list("status", "gedaan", "totaal").get()
        if status == Export.Status.BEZIG and gedaan:
            gezien.add(gedaan)
        if status in (Export.Status.KLAAR, Export.Status.MISLUKT):
            break
        if worker.poll() is not None:
            raise SystemExit("the worker died during an export (see its log)")
        if time.perf_counter() - t0 > timeout:
            raise SystemExit(f"export of {klas} not done after {timeout} s")
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - t0
    if status != Export.Status.KLAAR:
        raise SystemExit(f"export of {klas} failed (see the worker log)")
    result.get(timeout=30)  # the task has returned: the child is between tasks now
    result.forget()
    time.sleep(0.3)  # let a child over a limit be replaced before we look
    peak = sampler.new_window()
    pid, rss = sampler.current()
    deadline = time.monotonic() + 10
    while pid is None and time.monotonic() < deadline:  # a replacement child is starting
        time.sleep(0.1)
        pid, rss = sampler.current()
    export.refresh_from_db()
    zip_kib = export.bestand.size / 1024
    return {"n": export.totaal, "seconds": seconds, "ms_per_pdf": seconds * 1000 / max(1, export.totaal),
            "progress_values": len(gezien), "peak_kib": peak, "after_kib": rss, "pid": pid, "zip_kib": zip_kib}


# --- output -----------------------------------------------------------------------------------


def mib(kib):
    return f"{kib / 1024:.0f}" if kib else "—"


def print_report(info, single, rows, sampler):
    print(f"\nPDF benchmark — {info['when']}, {info['cpus']} CPUs, Python {info['python']}, "
          f"WeasyPrint {info['weasyprint']}, Celery {info['celery']}")
    print(f"worker: prefork, concurrency 1, DEBUG off; worker_max_tasks_per_child={info['max_tasks']}, "
          f"worker_max_memory_per_child={info['max_memory']} KiB")
    print(f"\nsingle handelingsplan PDF ({single['pages'] or '?'} pages, {single['kib']:.0f} KiB), render only, "
          f"{single['renders']} renders: median {single['median']:.0f} ms, p95 {single['p95']:.0f} ms "
          f"(budget ≤ 1000 ms)")
    print("\nbulk export of a klas's handelingsplannen (queued → klaar, real worker and broker):")
    header = (f"{'export':<10} {'PDFs':>5} {'total s':>8} {'ms/PDF':>7} {'progress':>9} "
              f"{'peak RSS MiB':>13} {'RSS after MiB':>14} {'child after':>11} {'ZIP KiB':>8}")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row['label']:<10} {row['n']:>5} {row['seconds']:>8.1f} {row['ms_per_pdf']:>7.0f} "
              f"{row['progress_values']:>4}/{row['n']:<4} {mib(row['peak_kib']):>13} {mib(row['after_kib']):>14} "
              f"{row['pid'] or '—':>11} {row['zip_kib']:>8.0f}")
    measured = [r for r in rows if r["label"] != "warm-up"]
    total_pdfs = sum(r["n"] for r in rows)
    pids = sampler.pids
    for row in rows:  # the child alive after the last export may have been sampled only briefly
        if row["pid"] and row["pid"] not in pids:
            pids.append(row["pid"])
    print(f"\npool child replaced {len(pids) - 1} time(s) over {len(rows)} exports "
          f"({total_pdfs} PDFs); pool child pids in order: {', '.join(map(str, pids))}")
    print(f"peak RSS of a pool child over all exports: {mib(max(r['peak_kib'] for r in rows))} MiB; "
          f"worker main process peak: {mib(sampler.main_peak)} MiB")
    if len(measured) >= 2:
        lo, hi = measured[0], measured[-1]
        print(f"scaling: {lo['n']} → {hi['n']} PDFs is ×{hi['n'] / lo['n']:.1f} the work and took "
              f"×{hi['seconds'] / lo['seconds']:.2f} the time (ms/PDF {lo['ms_per_pdf']:.0f} → "
              f"{hi['ms_per_pdf']:.0f})")
    print("progress = distinct 'x van y' values seen by a 50 ms poller while the export ran.")


# --- main -------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.bench_pdf", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="25,50,100,200", help="plans per export, comma-separated")
    parser.add_argument("--renders", type=int, default=20, help="single-PDF renders timed (default 20)")
    parser.add_argument("--rounds", type=int, default=1, help="run the sizes this many times (default 1)")
    parser.add_argument("--max-tasks-per-child", type=int, default=None,
                        help="override CELERY_WORKER_MAX_TASKS_PER_CHILD for the worker")
    parser.add_argument("--max-memory-per-child", type=int, default=None, metavar="KIB",
                        help="override CELERY_WORKER_MAX_MEMORY_PER_CHILD (KiB) for the worker")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and files (debugging)")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if not sizes or min(sizes) < 1 or len(sizes) > KLASSEN:
        parser.error(f"--sizes: 1 to {KLASSEN} positive numbers")

    import psycopg
    from psycopg import sql

    base_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_db = int(os.environ.get("BENCH_PDF_REDIS_DB", "12"))
    from urllib.parse import urlsplit, urlunsplit

    redis_url = urlunsplit(urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))._replace(
        path=f"/{redis_db}"))
    dbname = f"zorgroute_benchpdf_{os.getpid()}"
    queue = f"bench-pdf-{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="zorgroute-bench-pdf-"))
    env = production_env(redis_url, work / "media")
    if args.max_tasks_per_child is not None:
        env["CELERY_WORKER_MAX_TASKS_PER_CHILD"] = str(args.max_tasks_per_child)
    if args.max_memory_per_child is not None:
        env["CELERY_WORKER_MAX_MEMORY_PER_CHILD"] = str(args.max_memory_per_child)
    os.environ.update(env)
    os.environ["DATABASE_URL"] = database_url(base_url, dbname)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zorg.settings")
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    admin = psycopg.connect(base_url, autocommit=True)
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    worker = sampler = None
    logfile = open(work / "worker.log", "w+")  # noqa: SIM115 (closed in finally)
    try:
        import django

        django.setup()
        import celery
        import weasyprint
        from django.core.management import call_command

        from zorg.celery import app

        say(f"temporary database {dbname}: migrate and a {KLASSEN}-klas demo school")
        call_command("migrate", verbosity=0, interactive=False)
        user, school, scopes = make_plans(sizes)
        say("plans per klas: " + ", ".join(f"{k.naam}: {n}" for n, k in scopes))

        from plannen.tasks import plannen_voor_export

        plan = max(plannen_voor_export(user, school, klas_id=scopes[-1][1].pk), key=lambda p: p.pk)
        say(f"single PDF: {args.renders} renders")
        single = measure_single(user, school, plan, args.renders)

        from django.db import connections

        connections.close_all()
        say(f"starting celery worker (prefork, concurrency 1) on queue {queue}")
        worker = start_worker({**os.environ}, queue, logfile)
        sampler = Sampler(worker.pid)
        sampler.start()
        wait_for_child(sampler, worker)
        rows = []
        say(f"warm-up export ({scopes[0][0]} PDFs)")
        rows.append({"label": "warm-up", **run_export(user, school, scopes[0][1], queue, sampler, worker)})
        for ronde in range(args.rounds):
            for n, klas in scopes:
                say(f"export of {n} PDFs (round {ronde + 1})")
                label = f"{n}" if args.rounds == 1 else f"{n} r{ronde + 1}"
                rows.append({"label": label, **run_export(user, school, klas, queue, sampler, worker)})
        info = {
            "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "weasyprint": weasyprint.__version__,
            "celery": celery.__version__,
            "max_tasks": app.conf.worker_max_tasks_per_child,
            "max_memory": app.conf.worker_max_memory_per_child,
        }
        print_report(info, single, rows, sampler)
    except BaseException:
        if logfile.tell():
            logfile.seek(0)
            print("\n--- worker log (last 60 lines) ---\n" + "".join(logfile.readlines()[-60:]), file=sys.stderr)
        raise
    finally:
        if sampler:
            sampler.stop_event.set()
        stop_worker(worker)
        logfile.close()
        try:
            import redis

            r = redis.Redis.from_url(redis_url)
            r.delete(queue, f"_kombu.binding.{queue}")
            r.close()
        except Exception as error:  # noqa: BLE001 (cleanup must go on)
            print(f"note: Redis cleanup: {error}", file=sys.stderr)
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if args.keep:
            print(f"kept: database {dbname}, files {work}", file=sys.stderr)
        else:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
            shutil.rmtree(work, ignore_errors=True)
        admin.close()


if __name__ == "__main__":
    main()
