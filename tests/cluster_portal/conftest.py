"""Fixtures for tests that run the portal in its own processes, as production does."""

import uuid

import psycopg2
import pytest
import redis
from django.conf import settings

from tests.processes import manage, production_env

EDITOR = ("live-editor", "a-long-live-test-password")


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """STATIC_ROOT after `collectstatic`: hashed, compressed files and their manifest."""
    root = tmp_path_factory.mktemp("staticfiles")
    manage("collectstatic", "--noinput", "-v0", env=production_env(STATIC_ROOT=root))
    return root


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory):
    """A migrated database of the test run's kind (SQLite file or PostgreSQL) with an editor.

    The app servers are other processes, so they cannot see the test's own transaction.
    """
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'portal.sqlite3'}"
    else:
        name = f"{db['NAME'].removeprefix('test_')}_live"
        server = dict(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                      user=db["USER"], password=db["PASSWORD"] or None)
        connection = psycopg2.connect(dbname="postgres", **server)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        url = f"postgres://{db['USER']}{password}@{server['host']}:{server['port']}/{name}"
    env = production_env(DATABASE_URL=url)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("createsuperuser", "--noinput", "--username", EDITOR[0], "--email",
           "live-editor@example.org",
           env={**env, "DJANGO_SUPERUSER_PASSWORD": EDITOR[1]})
    return url


@pytest.fixture
def redis_url():
    """A Redis database number of the tests' own, under a key prefix of this test's own.

    Yields (REDIS_URL, CACHE_KEY_PREFIX); deletes only this test's keys afterwards.
    """
    url, prefix = "redis://127.0.0.1:6379/15", f"test-{uuid.uuid4().hex[:12]}"
    yield url, prefix
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
