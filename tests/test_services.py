"""The suite runs against real servers: PostgreSQL for the database, Redis for cache and Celery."""

import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

pytestmark = pytest.mark.django_db


def test_database_is_real_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    assert "PostgreSQL" in version


def test_cache_round_trip_goes_through_redis():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    key = f"services-check-{uuid.uuid4().hex}"
    cache.set(key, {"leerling": "Sanne", "punten": [1, 2]}, timeout=30)
    try:
        assert cache.get(key) == {"leerling": "Sanne", "punten": [1, 2]}
    finally:
        cache.delete(key)
    assert cache.get(key) is None


def test_redis_server_answers():
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        assert client.ping() is True
        assert client.info("server")["redis_version"]
    finally:
        client.close()
