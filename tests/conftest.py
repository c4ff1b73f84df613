"""Personas shared by every test: a visitor, and a portal editor logged into the admin."""

import inspect

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from tests.factories import ClusterFactory, PortalEditorFactory, SuperuserFactory, UserFactory


def once_per_module(build):
    """A module-scoped fixture named after `build`, holding what `build()` returns.

    The rows are written once for all the module's tests, inside a transaction rolled back
    after its last test; each test's own changes are rolled back after it as usual, so every
    test starts from the very same rows (what Django's TestCase.setUpTestData does).
    """

    @pytest.fixture(scope="module", name=build.__name__)
    def rows(django_db_setup, django_db_blocker, request):
        # `build` may ask for session- or module-scoped fixtures by name (tmp_path_factory).
        wanted = inspect.signature(build).parameters
        fixtures = {name: request.getfixturevalue(name) for name in wanted}
        with django_db_blocker.unblock(), transaction.atomic():
            yield build(**fixtures)
            transaction.set_rollback(True)

    return rows


def pytest_configure(config):
    """Hash the personas' passwords with a fast hasher: production's PBKDF2 (1,000,000
    iterations) took 0.33 s per user, a quarter of the suite. Passwords are still checked;
    gunicorn processes started by the tests keep the production hashers."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Absolute addresses come from SITE_URL: the test client's host, so that they read as
    # the pages the tests ask for (tests of SITE_URL itself set another one).
    settings.SITE_URL = "http://testserver"


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


# --- Cluster staff and editors by group (issue 4). Each persona gets its own browser, so that
# one test can compare what two people see. Staff clusters are drafts: private to their staff.


@pytest.fixture(autouse=True)
def axes_off(settings):
    """django-axes stays off unless a test turns it on (`settings.AXES_ENABLED = True`):
    its backend refuses `client.login()` without a request. `force_login` is unaffected."""
    settings.AXES_ENABLED = False


def _browser(user):
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def cluster_a(db):
    return ClusterFactory(name="Cluster A", draft=True)


@pytest.fixture
def cluster_b(db):
    return ClusterFactory(name="Cluster B", draft=True)


@pytest.fixture
def staff_a(cluster_a):
    """Staff of cluster A: edits cluster A and nothing else."""
    user = UserFactory(username="staff-a")
    cluster_a.staff.add(user)
    return user


@pytest.fixture
def staff_b(cluster_b):
    user = UserFactory(username="staff-b")
    cluster_b.staff.add(user)
    return user


@pytest.fixture
def portal_editor(db):
    """An editor by membership of the "Editors" group (the `editor` persona is a superuser)."""
    return PortalEditorFactory(username="portal-editor")


@pytest.fixture
def staff_a_client(staff_a):
    return _browser(staff_a)


@pytest.fixture
def staff_b_client(staff_b):
    return _browser(staff_b)


@pytest.fixture
def portal_editor_client(portal_editor):
    return _browser(portal_editor)
@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached page: the database is rolled back, the cache is not."""
    cache.clear()
    yield
    cache.clear()
