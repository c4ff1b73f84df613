"""Personas shared by every test: a visitor, and a portal editor logged into the admin."""

import pytest
from django.core.cache import cache

from tests.factories import SuperuserFactory


@pytest.fixture
def visitor(client):
    """An anonymous visitor's browser."""
    return client


@pytest.fixture
def editor(db):
    return SuperuserFactory(username="editor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached page: the database is rolled back, the cache is not."""
    cache.clear()
    yield
    cache.clear()
