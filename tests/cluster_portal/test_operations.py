"""What operators and machines see: the health check, request ids, error pages and logs."""

import json

import pytest
from django.test import override_settings

from tests.processes import manage, production_env

pytestmark = pytest.mark.django_db

REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:6379/15",
    "KEY_PREFIX": "test-healthz",
}


def test_health_check_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@override_settings(CACHES={"default": REDIS})
def test_health_check_asks_redis_when_it_is_configured(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@override_settings(
    CACHES={"default": {**REDIS, "LOCATION": "redis://127.0.0.1:1/15",  # nothing listens
                        "OPTIONS": {"socket_connect_timeout": 0.2}}}
)
def test_health_check_fails_when_redis_does_not_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error"}


def test_health_check_fails_when_the_database_does_not_answer():
    code = (
        "from django.test import Client;"
        "r = Client().get('/healthz', secure=True);"
        "print(r.status_code, r.content.decode())"
    )
    env = production_env(DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing_listens")
    result = manage("shell", "--no-imports", "-c", code, env=env)
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"status": "error", "database": "error"}
    assert "127.0.0.1" not in body  # which part failed, never why


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/robots.txt"), client.get("/robots.txt")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_load_balancers_request_id_is_kept(client):
    response = client.get("/robots.txt", headers={"X-Request-ID": "lb-7f3a.42"})
    assert response["X-Request-ID"] == "lb-7f3a.42"


def test_a_forged_request_id_is_replaced(client):
    response = client.get("/robots.txt", headers={"X-Request-ID": "x\tINFO fake log line"})
    assert response["X-Request-ID"] != "x\tINFO fake log line"
    assert len(response["X-Request-ID"]) == 32


def test_robots_txt_is_plain_text(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.text


def test_unknown_address_gives_the_portals_404_page(client):
    response = client.get("/clusters/no-such-cluster/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Browse the cluster organisations" in response.text


@pytest.mark.urls("tests.cluster_portal.failing_urls")
@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "patch"])
def test_a_server_error_shows_a_plain_page_with_the_reference_to_quote(client, method):
    """Whatever the method: a form's POST that fails must not look like a 405 without a word."""
    client.raise_request_exception = False
    response = getattr(client, method)("/broken/", headers={"X-Request-ID": "req-500-test"})
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "req-500-test" in response.text
    for leak in ["Traceback", "RuntimeError", "secret-internal-detail", "broken_view"]:
        assert leak not in response.text


def test_a_server_error_is_one_log_line_with_the_request_id():
    code = (
        "from django.test import Client, override_settings\n"
        "with override_settings(ROOT_URLCONF='tests.cluster_portal.failing_urls'):\n"
        "    r = Client(raise_request_exception=False).post(\n"
        "        '/broken/', secure=True, headers={'X-Request-ID': 'req-log-test'})\n"
        "print(r.status_code)\n"
        "print('Traceback' in r.content.decode())\n"
    )
    result = manage("shell", "--no-imports", "-c", code, env=production_env())
    assert result.stdout.split() == ["500", "False"]
    lines = [line for line in result.stderr.splitlines() if "django.request" in line]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert "ERROR django.request request_id=req-log-test Internal Server Error: /broken/" in line
    # The traceback is on the same line, so a log search for the id finds all of it.
    assert "Traceback" in line and "RuntimeError: the view broke" in line
