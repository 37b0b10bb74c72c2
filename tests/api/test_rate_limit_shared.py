"""The API's rate limit counts in one shared cache (Redis at CACHE_URL in production), so
gunicorn's workers do not each grant a token the whole budget; a cache outage lets requests
through rather than failing them. Uses the real Redis at REDIS_URL, under a key prefix of its
own."""

import os
import subprocess
import sys
import uuid

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from reviews.api.throttling import TokenRateThrottle
from tests.api_helpers import token_client
from tests.deploy.processes import ROOT, free_port

pytestmark = pytest.mark.django_db
REDIS_URL = os.getenv("REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def key_prefix():
    prefix = f"goalpost-test-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_two_web_processes_share_one_count(settings, hr, monkeypatch, key_prefix):
    settings.API_RATE_LIMIT = "3/min"
    # Two cache clients with their own connections: what two gunicorn workers hold.
    first_process, second_process = (RedisCache(REDIS_URL, {"KEY_PREFIX": key_prefix})
                                     for _ in range(2))
    client, _token = token_client(hr.user, ["read"])
    answers = []
    for process in (first_process, second_process, first_process, second_process):
        monkeypatch.setattr(TokenRateThrottle, "cache", process)
        answers.append(client.get("/api/periods/").status_code)
    assert answers == [200, 200, 200, 429]


def test_a_cache_that_is_down_lets_requests_through(settings, hr, monkeypatch, caplog):
    settings.API_RATE_LIMIT = "1/min"
    nowhere = RedisCache(f"redis://127.0.0.1:{free_port()}/1",
                         {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})
    monkeypatch.setattr(TokenRateThrottle, "cache", nowhere)
    client, _token = token_client(hr.user, ["read"])
    assert [client.get("/api/periods/").status_code for _ in range(2)] == [200, 200]
    assert "rate limit not applied" in caplog.text


@pytest.mark.parametrize(("cache_url", "backend"), [
    ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
    ("", "django.core.cache.backends.locmem.LocMemCache"),
])
def test_cache_url_chooses_redis_and_nothing_keeps_the_embedded_default(cache_url, backend):
    env = {**os.environ, "CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; "
                               "print(settings.CACHES['default']['BACKEND'])"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert shown == backend
