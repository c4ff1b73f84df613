"""Prometheus metrics at /metrics: requests, latency by view, page cache hits, task queue,
backup age; for the addresses in METRICS_ALLOWED_IPS only."""

import datetime

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from cluster_portal.models import Backup
from editorial.password_reset import send_password_reset
from tests.factories import ClusterFactory
from tests.processes import HttpSession, gunicorn, production_env

pytestmark = pytest.mark.django_db


def scrape(client, **headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


def test_requests_latency_and_page_cache_hits_are_counted_by_view(client):
    cluster = ClusterFactory(name="Metrics Cluster")
    before = scrape(client)
    for _ in range(3):
        assert client.get(cluster.get_absolute_url()).status_code == 200  # miss, hit, hit
    client.get("/no-such-page/")
    after = scrape(client)
    view = "profiles:cluster-detail"
    counted = "portal_requests_total"
    assert value(after, counted, view=view, method="GET", status="200") - \
        value(before, counted, view=view, method="GET", status="200") == 3
    assert value(after, counted, view="unresolved", method="GET", status="404") >= 1
    assert value(after, "portal_request_duration_seconds_count", view=view) - \
        value(before, "portal_request_duration_seconds_count", view=view) == 3
    for result, added in (("hit", 2), ("miss", 1)):
        name = "portal_page_cache_requests_total"
        assert value(after, name, result=result) - value(before, name, result=result) == added


def test_task_queue_length_and_the_age_of_the_last_backup(client, settings):
    assert value(scrape(client), "portal_last_backup_age_seconds") == float("inf")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_password_reset.enqueue("someone@example.org")
    send_password_reset.enqueue("another@example.org")
    Backup.objects.create(finished=timezone.now() - datetime.timedelta(hours=2),
                          file_name="cluster-portal-x.tar", size=1, seconds=1)
    samples = scrape(client)
    assert value(samples, "portal_task_queue_length") == 2
    assert 7200 <= value(samples, "portal_last_backup_age_seconds") < 7260


def test_metrics_are_served_only_to_the_addresses_in_the_setting(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/24"]
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get("/metrics").status_code == 404  # 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="10.0.1.9").status_code == 404
    # A client cannot name itself: without PROXY_COUNT the header is not read.
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1",
                      HTTP_X_FORWARDED_FOR="10.0.0.9").status_code == 404
    assert client.post("/metrics", REMOTE_ADDR="10.0.0.9").status_code == 405


def test_every_gunicorn_worker_is_counted_whichever_answers_the_scrape(
    live_database_url, collected_static, tmp_path
):
    """Production's way: two workers, each writing to PROMETHEUS_MULTIPROC_DIR."""
    folder = tmp_path / "metrics"
    # Behind one proxy (nginx): the client's address is the one X-Forwarded-For names.
    env = production_env(DATABASE_URL=live_database_url, PROMETHEUS_MULTIPROC_DIR=folder,
                         PROXY_COUNT=1, STATIC_ROOT=collected_static)
    prometheus = {"X-Forwarded-For": "127.0.0.1"}
    with gunicorn(env, workers=2) as address:
        browser = HttpSession(address)
        for _ in range(20):
            assert browser.request("GET", "/robots.txt").status == 200
        for _ in range(4):  # answered by either worker: the same sums
            page = browser.request("GET", "/metrics", headers=prometheus)
            assert page.status == 200
            samples = {
                (s.name, tuple(sorted(s.labels.items()))): s.value
                for family in text_string_to_metric_families(page.text)
                for s in family.samples
            }
            assert value(samples, "portal_requests_total", view="robots-txt", method="GET",
                         status="200") == 20
        assert len(list(folder.glob("*.db"))) >= 2  # one file per worker
        # From outside the allowed addresses, through the proxy: nothing to see.
        assert browser.request("GET", "/metrics",
                               headers={"X-Forwarded-For": "192.0.2.1"}).status == 404
