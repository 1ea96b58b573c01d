"""A real Celery worker, consuming from the real Redis broker, runs a task against Postgres."""

import pytest
from celery.contrib.testing.worker import start_worker

from tests import factories as f
from zorg.celery import app
from zorg.tasks import tel_leerlingen


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_echte_worker_voert_taak_uit_via_redis():
    assert app.conf.broker_url.startswith("redis://")
    klas = f.KlasFactory()
    f.KlasplaatsingFactory.create_batch(3, klas=klas)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = tel_leerlingen.delay(klas.schooljaar.school_id)
        assert result.get(timeout=60) == 3  # generous: the worker starts slowly on a loaded machine
