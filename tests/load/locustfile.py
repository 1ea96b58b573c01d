"""The load mix of `make bench-load` (run by tests/load/runner.py; not meant to be started by hand).

Every locust user is one person of the bench school, logged in through a session the runner made
server-side (password and second step already passed), given as the `sessionid` cookie. Each user
class takes its own accounts from BENCH_LOAD_SESSIONS in turn, so users of one role are different
people (the school has one zorgcoördinator: that role has one user).

The app runs with production settings behind an imagined TLS-terminating proxy: every request
carries X-Forwarded-Proto: https (as the proxy of docker-compose.yml's deployment sets it), so
SECURE_SSL_REDIRECT, secure cookies and the strict HTTPS CSRF checks (Origin) all stay on. The
cookies the app marks Secure are sent back over the loopback HTTP, as the browser would over HTTPS.

Mix (weights per user class, see the classes below):
- Mentor: opens the groepsoverzicht of their klas and fills in text cells in bursts (the htmx
  autosave: one POST per changed cell with leerling, kolom, versie, waarde), carrying each cell's
  new versie forward.
- Docent: Mijn klassen -> a klas -> the signalering form of a pupil -> saves it (and lands back
  on the klas list).
- Zorgcoördinator: runs the planned IZO: the meeting screen per agenda item, notes autosaved a few
  times per item (fetch, JSON, with versie), now and then the dashboard.
- Ouder: portal home -> a child -> the plans -> a plan page.

Every response is checked (status, no redirect to the login or second step, no version conflict)
and a failed check is a locust failure with its reason: the runner prints them.
"""

import contextlib
import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.load import pagina  # noqa: E402

SESSIONS = json.loads(Path(os.environ["BENCH_LOAD_SESSIONS"]).read_text()) if os.environ.get(
    "BENCH_LOAD_SESSIONS") else {}
_next_account = {role: itertools.count() for role in SESSIONS}
USED = {}  # role -> usernames that locust users took (written for the report at the end)


@events.test_stop.add_listener
def _write_used(**_kwargs):
    path = os.environ.get("BENCH_LOAD_USED")
    if path:
        Path(path).write_text(json.dumps({role: sorted(names) for role, names in USED.items()}))


class Check(Exception):
    """A response that is not what the page should give (becomes a locust failure)."""


class ZorgUser(HttpUser):
    abstract = True
    role = ""

    def on_start(self):
        accounts = SESSIONS.get(self.role) or []
        if not accounts:
            raise RuntimeError(f"no prepared sessions for role {self.role!r}")
        self.account = accounts[next(_next_account[self.role]) % len(accounts)]
        USED.setdefault(self.role, set()).add(self.account["username"])
        self.origin = self.host.replace("http://", "https://", 1).rstrip("/")
        self.client.headers.update({"X-Forwarded-Proto": "https", "Accept-Language": "nl"})
        self.client.cookies.set("sessionid", self.account["sessionid"], domain=self._cookie_domain(), path="/")
        self.csrf = None
        self.static_loaded = False

    def _cookie_domain(self):
        return re.sub(r"^https?://([^:/]+).*$", r"\1", self.host)

    def _unsecure_cookies(self):
        # Behind the proxy the browser speaks HTTPS and sends Secure cookies; here the hop is plain HTTP.
        for cookie in self.client.cookies:
            cookie.secure = False

    def _request(self, method, url, name, expect=(200,), **kwargs):
        kwargs.setdefault("allow_redirects", False)
        with self.client.request(method, url, name=name, catch_response=True, **kwargs) as response:
            self._unsecure_cookies()
            try:
                self._check(response, expect)
            except Check as problem:
                response.failure(str(problem))
                return None
            response.success()
            return response

    @staticmethod
    def _check(response, expect):
        location = response.headers.get("Location", "") or response.headers.get("HX-Redirect", "")
        if "/inloggen" in location or "/account/tweestaps" in location:
            raise Check(f"sent to the login or the second step ({location})")
        if not response.status_code:  # no HTTP response at all: connection refused, reset, timeout
            raise Check(f"no response: {response.error!r}")
        if response.status_code not in expect:
            detail = f" -> {location}" if location else ""
            raise Check(f"HTTP {response.status_code}{detail} (expected {'/'.join(map(str, expect))})")
        if response.headers.get("HX-Retarget"):
            raise Check("version conflict (HX-Retarget): someone else saved this in between")

    def _fail_once(self, name, reason):
        """Report a page that lacks what the user came for (the request itself succeeded)."""
        events.request.fire(request_type="GET", name=name, response_time=0, response_length=0, response=None,
                            exception=Check(reason), context={})

    def page(self, url, name):
        """GET a full page (as a navigation); keeps the CSRF token htmx would send; loads the static
        files the first time, as a browser with an empty cache does."""
        response = self._request("GET", url, name)
        if response is None:
            return None
        html = response.text
        self.csrf = pagina.csrf_htmx(html) or self.csrf
        if not self.static_loaded:
            self.static_loaded = True
            for asset in sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html))):
                self._request("GET", asset, "static file (whitenoise)")
        return html

    def post(self, url, data, name, expect=(200,), headers=None):
        return self._request("POST", url, name, expect=expect, data=data,
                             headers={"Origin": self.origin, "Referer": self.origin + "/", **(headers or {})})


class Mentor(ZorgUser):
    """Fills in the groepsoverzicht of their own klas: bursts of cell autosaves."""

    role = "mentor"
    weight = 10
    wait_time = between(3, 10)

    def on_start(self):
        super().on_start()
        self.versies = {}  # (leerling, kolom) -> versie after our last save

    @task
    def groepsoverzicht_bewerken(self):
        url = f"/plannen/klas/{self.account['klas']}/groepsoverzicht/"
        html = self.page(url, "mentor: groepsoverzicht (page)")
        if html is None:
            return
        cellen = pagina.tekstcellen(html)
        if not cellen:
            self._fail_once("mentor: groepsoverzicht (page)", "no writable text cell on the page")
            return
        # A burst: a few cells of neighbouring pupils, one autosave each (htmx fires on change).
        start = random.randrange(len(cellen))
        for cel in cellen[start:start + random.randint(3, 8)]:
            key = (cel.fields["leerling"], cel.fields["kolom"])
            versie = self.versies.get(key, cel.fields["versie"])
            tekst = f"{cel.fields['waarde'][:200]} {random.choice(ZINNEN)}".strip()[-900:]
            response = self.post(cel.action, cel.data(versie=versie, waarde=tekst), "mentor: cell autosave (htmx)",
                                 headers={"HX-Request": "true", "HX-Current-URL": self.origin + url,
                                          "X-CSRFToken": self.csrf or ""})
            if response is not None:
                match = re.search(r'name="versie" value="(\d+)"', response.text)
                if match:
                    self.versies[key] = match.group(1)
            time.sleep(random.uniform(0.5, 2.5))  # typing the next cell


class Docent(ZorgUser):
    """Signals a pupil of a klas they teach (the dossier signalering form)."""

    role = "docent"
    weight = 6
    wait_time = between(5, 15)

    @task
    def signaleren(self):
        html = self.page("/mijn-klassen/", "docent: mijn klassen")
        if html is None:
            return
        klassen = pagina.links(html, r"/klassen/\d+/")
        if not klassen:
            self._fail_once("docent: mijn klassen", "no klas on the page")
            return
        time.sleep(random.uniform(1, 3))
        klas_url = random.choice(klassen)
        html = self.page(klas_url, "docent: klas (pupil list)")
        if html is None:
            return
        formulieren = pagina.links(html, r"/leerlingen/\d+/signaleren/[^\"]*")
        if not formulieren:
            self._fail_once("docent: klas (pupil list)", "no signaleren link on the klas page")
            return
        time.sleep(random.uniform(1, 3))
        form_url = random.choice(formulieren)
        html = self.page(form_url, "docent: signalering form")
        if html is None:
            return
        form = pagina.signalering_form(html)
        if form is None:
            self._fail_once("docent: signalering form", "no signalering form on the page")
            return
        domeinen = [d for d in form.options.get("domein", []) if d]
        data = form.data(domein=random.choice(domeinen), tekst=random.choice(SIGNALEN),
                         acties="", effect="")
        if not data.get("datum"):
            data["datum"] = time.strftime("%Y-%m-%d")
        time.sleep(random.uniform(5, 15))  # writing what they saw
        target = form.attrs.get("action") or form_url
        response = self.post(target, data, "docent: signalering save", expect=(302,))
        if response is not None:
            terug = response.headers.get("Location", "")
            if terug.startswith("/"):
                self.page(terug, "docent: klas (pupil list)" if "/klassen/" in terug else "docent: after save")


class Zorgcoordinator(ZorgUser):
    """Runs the planned IZO: item by item, notes autosaved as they type; now and then the dashboard."""

    role = "zorgcoordinator"
    fixed_count = 1
    wait_time = between(2, 5)

    def on_start(self):
        super().on_start()
        self.versies = {}

    @task(5)
    def vergadering(self):
        base = f"/besprekingen/{self.account['izo']}/"
        html = self.page(base, "zc: IZO meeting screen")
        if html is None:
            return
        punten = pagina.links(html, re.escape(base) + r"\?punt=\d+") or [None]
        for punt in punten:
            if punt:
                time.sleep(random.uniform(1, 3))
                html = self.page(punt, "zc: IZO meeting screen")
                if html is None:
                    return
            form = pagina.notities_form(html)
            if form is None:
                continue
            tekst = form.fields.get("notities", "")
            for _ in range(random.randint(2, 4)):
                time.sleep(random.uniform(1.2, 4))  # the screen saves 1.2 s after typing stops
                tekst = (tekst + " " + random.choice(NOTITIES)).strip()[-2000:]
                versie = self.versies.get(form.action, form.fields.get("versie", ""))
                response = self.post(form.action, form.data(notities=tekst, versie=versie),
                                     "zc: IZO notes autosave (fetch)",
                                     headers={"X-Requested-With": "fetch", "Accept": "application/json"})
                if response is not None:
                    with contextlib.suppress(ValueError, KeyError):
                        self.versies[form.action] = response.json()["versie"]

    @task(1)
    def dashboard(self):
        self.page("/besprekingen/dashboard/", "zc: dashboard")


class Ouder(ZorgUser):
    """Reads the portal: home, a child, the plans, a plan."""

    role = "ouder"
    weight = 8
    wait_time = between(5, 20)

    @task
    def lezen(self):
        html = self.page("/ouders/", "ouder: portal home")
        if html is None:
            return
        plannen = pagina.links(html, r"/ouders/plannen/\d+/")
        kinderen = pagina.links(html, r"/ouders/kinderen/\d+/")
        if not plannen and kinderen:
            time.sleep(random.uniform(2, 5))
            kind = random.choice(kinderen)
            html = self.page(kind, "ouder: child page")
            if html is None:
                return
            plannen = pagina.links(html, r"/ouders/plannen/\d+/")
            if not plannen:
                time.sleep(random.uniform(1, 3))
                html = self.page(kind + "plannen/", "ouder: plans of a child")
                if html is None:
                    return
                plannen = pagina.links(html, r"/ouders/plannen/\d+/")
        if plannen:
            time.sleep(random.uniform(2, 5))
            self.page(random.choice(plannen), "ouder: plan page")


ZINNEN = [
    "Werkt beter naast de deur.", "Heeft korte instructie nodig.", "Planning per week helpt.",
    "Vraagt vaker om hulp.", "Concentratie wisselend, na de pauze beter.", "Maakt huiswerk onvolledig.",
]
SIGNALEN = [
    "Is stiller dan anders in de les en maakt het werk niet af.",
    "Kwam drie keer te laat deze week; lijkt moe.",
    "Haalt een onvoldoende na een reeks voldoendes, lijkt gespannen bij toetsen.",
    "Conflict met klasgenoten tijdens groepswerk.",
]
NOTITIES = [
    "Ouders melden dat het thuis beter gaat.", "Afspraak: mentor voert gesprek met leerling.",
    "Orthopedagoog doet observatie in de les.", "Terugkoppeling aan ouders binnen een week.",
]
