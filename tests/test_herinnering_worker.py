"""A real Celery worker process, on the real Redis and the test database, runs the reminder scan:
a due handelingsplan evaluation gives its owner exactly one notification and one e-mail, also when
the scan runs twice and the worker is killed (SIGKILL) and replaced in between."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from plannen.models import Handelingsplan
from tests import factories as f
from zorg.herinneringen import vandaag_op
from zorg.models import Herinnering, Notificatie

# Its own Redis database: neither other test runs' workers nor a development worker on db 0 can
# take these tasks (or the e-mail tasks the scan queues) against another database.
BROKER_DB = 12
ROOT = Path(__file__).resolve().parent.parent


def _broker_url():
    basis = settings.CELERY_BROKER_URL.rsplit("/", 1)[0]
    return f"{basis}/{BROKER_DB}"


@pytest.fixture
def mailmap(tmp_path):
    pad = tmp_path / "mail"
    pad.mkdir()
    return pad


@pytest.fixture
def worker_starter(mailmap, tmp_path):
    """Start `celery worker` processes on the test database; stop whatever is left at the end."""
    url = _broker_url()
    naam = connection.settings_dict["NAME"]
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.settings_worker",
        "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{naam}",
        "CELERY_BROKER_URL": url,
        "CELERY_RESULT_BACKEND": url,
        "ZORGROUTE_TEST_MAILMAP": str(mailmap),
    }
    processen = []

    def start():
        with open(tmp_path / f"worker-{len(processen)}.log", "wb") as log:  # printed when the test fails
            proces = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "zorg", "worker", "--pool=solo", "--loglevel=INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "-n", f"herinnering-{uuid.uuid4().hex}@%h"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        processen.append(proces)
        return proces

    yield start
    for proces in processen:
        if proces.poll() is None:
            proces.terminate()
            try:
                proces.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proces.kill()
                proces.wait()
    for log in tmp_path.glob("worker-*.log"):
        print(log.read_text()[-3000:])  # shown by pytest for a failing test


@pytest.fixture
def opdrachtgever():
    """A Celery client for the test's own broker database (empty queue at the start)."""
    client = Celery("herinnering-test", broker=_broker_url(), backend=_broker_url(), set_as_current=False)
    client.conf.task_serializer = client.conf.result_serializer = "json"
    client.control.purge()
    yield client
    client.control.purge()
    client.close()


def mails(mailmap):
    """The messages the worker wrote (the file backend writes one file per connection)."""
    berichten = []
    for bestand in sorted(mailmap.glob("*")):
        berichten += [regel for regel in bestand.read_text().splitlines() if regel.startswith("To: ")]
    return berichten


def wacht_tot(voorwaarde, timeout=60):
    eind = time.monotonic() + timeout
    while time.monotonic() < eind:
        if voorwaarde():
            return True
        time.sleep(0.2)
    return False


def scan(opdrachtgever):
    return opdrachtgever.send_task("zorg.tasks.scan_herinneringen").get(timeout=120)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_scan_via_echte_worker_stuurt_precies_een_melding_en_email(worker_starter, opdrachtgever, mailmap):
    klas = f.KlasFactory()
    leerling = f.KlasplaatsingFactory(klas=klas).leerling
    school = leerling.school
    eigenaar = f.GebruikerFactory(email="eigenaar@school.test", email_voorkeur="direct")
    plan = Handelingsplan.objects.create(
        leerling=leerling, auteur=eigenaar, status=Handelingsplan.Status.VASTGESTELD,
        evaluatiedatum=vandaag_op(school), inhoud="Leesplan",
    )
    eigen = Notificatie.objects.filter(ontvanger=eigenaar)

    worker = worker_starter()
    assert scan(opdrachtgever) >= 1
    assert eigen.count() == 1
    assert wacht_tot(lambda: len(mails(mailmap)) >= 1), "the worker sent no e-mail"
    assert wacht_tot(lambda: eigen.get().gemaild_op is not None)

    assert scan(opdrachtgever) == 0  # a duplicate tick sends nothing

    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=20)
    worker_starter()
    assert scan(opdrachtgever) == 0  # a new worker after a kill: still nothing new
    time.sleep(2)  # room for a stray e-mail task to show up, were there one

    melding = eigen.get()
    assert melding.email == "verstuurd" and melding.url
    assert Herinnering.objects.filter(ontvanger=eigenaar, object_id=plan.pk).count() == 1
    assert mails(mailmap) == ["To: eigenaar@school.test"]
    tekst = "".join(p.read_text() for p in mailmap.glob("*"))
    assert "Vandaag evalueren" in tekst and settings.SITE_URL + melding.url in tekst
