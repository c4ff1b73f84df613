"""Guessing passwords locks the account (django-axes); passwords need 12 characters."""

import runpy
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-long-test-password"  # UserFactory's


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings.AXES_FAILURE_LIMIT


def log_in(browser, username, password):
    return browser.post(LOGIN, {"username": username, "password": password,
                                "next": "/admin/"})


def test_the_account_is_locked_after_repeated_wrong_passwords(axes_on, staff_a):
    browser = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(axes_on - 1):
        response = log_in(browser, "staff-a", "wrong password")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text

    response = log_in(browser, "staff-a", "wrong password")
    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert "Wait an hour and try again." in response.text
    assert "ask a portal editor" in response.text
    assert 'href="/admin/password_reset/"' in response.text

    # Even the right password is refused now, from anywhere.
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert log_in(elsewhere, "staff-a", PASSWORD).status_code == 429
    assert elsewhere.get("/admin/").status_code == 302  # not logged in


def test_a_few_typos_do_not_lock_anyone_out(axes_on, staff_a):
    browser = Client()
    for _ in range(axes_on - 1):
        log_in(browser, "staff-a", "wrong password")
    response = log_in(browser, "staff-a", PASSWORD)
    assert response.status_code == 302
    assert browser.get("/admin/").status_code == 200


def test_a_locked_account_does_not_lock_a_colleague_elsewhere(axes_on, staff_a, staff_b):
    attacker = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(axes_on):
        log_in(attacker, "staff-a", "wrong password")
    colleague = Client(REMOTE_ADDR="10.0.0.2")
    assert log_in(colleague, "staff-b", PASSWORD).status_code == 302


def test_guessing_many_user_names_from_one_address_is_locked_too(axes_on):
    browser = Client(REMOTE_ADDR="10.0.0.3")
    for n in range(axes_on):
        log_in(browser, f"nobody{n}", "wrong password")
    UserFactory(username="real-user")
    assert log_in(browser, "real-user", PASSWORD).status_code == 429


@pytest.fixture
def behind_one_proxy(settings, monkeypatch):
    """The axes settings that cluster_portal/settings.py makes of PROXY_COUNT=1."""
    monkeypatch.setenv("PROXY_COUNT", "1")
    configured = runpy.run_path(str(Path(settings.BASE_DIR) / "cluster_portal" / "settings.py"))
    for name, value in configured.items():
        if name.startswith(("AXES_IPWARE_", "IPWARE_")):
            setattr(settings, name, value)
    return configured


def test_behind_a_proxy_lock_outs_count_the_clients_address_not_the_proxys(
    axes_on, behind_one_proxy, staff_a, staff_b
):
    # nginx connects from 127.0.0.1 and appends the client's address to X-Forwarded-For; what
    # the client itself sent there comes first and is not believed.
    attacker = Client(REMOTE_ADDR="127.0.0.1")
    for n in range(axes_on):
        attacker.defaults["HTTP_X_FORWARDED_FOR"] = f"10.9.9.{n}, 81.2.69.160"
        log_in(attacker, f"nobody{n}", "wrong password")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"81.2.69.160"}
    attacker.defaults["HTTP_X_FORWARDED_FOR"] = "81.2.69.160"
    assert log_in(attacker, "staff-a", PASSWORD).status_code == 429

    # Another visitor through the same proxy is not locked out by the attacker's address.
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="84.200.69.80")
    assert log_in(colleague, "staff-b", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short-pw-1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("839201746352", "This password is entirely numeric."),
    ],
)
def test_a_new_password_must_pass_the_validators(staff_a_client, staff_a, new_password, message):
    response = staff_a_client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.text
    staff_a.refresh_from_db()
    assert staff_a.check_password(PASSWORD)


# The worker closes the database connection after each task: only a transactional test
# survives that.
@pytest.mark.django_db(transaction=True)
def test_a_reset_request_does_the_same_work_for_known_and_unknown_addresses(client, settings):
    """The page only queues the address; the worker looks it up and mails the known one."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    UserFactory(username="known", email="known@cluster.example")
    answers = [
        client.post("/admin/password_reset/", {"email": email})
        for email in ("known@cluster.example", "nobody@cluster.example")
    ]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"] == "/admin/password_reset/done/"
    queued = DBTaskResult.objects.values_list("args_kwargs", flat=True)
    assert sorted(job["args"] for job in queued) == [
        ["known@cluster.example"], ["nobody@cluster.example"]
    ]
    assert not mail.outbox

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    [sent] = mail.outbox
    assert sent.to == ["known@cluster.example"]
    assert "http://testserver/accounts/reset/" in sent.body
