"""Prometheus metrics at /metrics, for the addresses in METRICS_ALLOWED_IPS only.

prometheus-client, the Prometheus project's own library, rather than django-prometheus: the
portal wants five figures, and django-prometheus would swap the database and cache backends
for its own wrapped classes to count queries nobody here asked for. With several gunicorn
workers, each writes its figures to PROMETHEUS_MULTIPROC_DIR and any one of them answers for
all (deploy/gunicorn.conf.py empties the folder at start and forgets a worker that exits).

- `portal_requests_total{view,method,status}` and `portal_request_duration_seconds{view}`:
  every request, by the URL name of its view (not its path: a slug is not a label).
- `portal_page_cache_requests_total{result="hit"|"miss"}`: visitors' pages served from the page
  cache or rendered afresh (its `X-Cache` header); the hit ratio is `hit / (hit + miss)`.
- `portal_task_queue_length`: tasks waiting for a worker (TASK_BACKEND=database).
- `portal_last_backup_age_seconds`: since the newest `backup_portal` finished (+Inf if none).
"""

import ipaddress
import math
import os
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from cluster_portal.client_address import client_address

REQUESTS = Counter("portal_requests", "Requests answered, by view, method and status.",
                   ["view", "method", "status"])
LATENCY = Histogram(
    "portal_request_duration_seconds", "Time to answer a request, by view.", ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
PAGE_CACHE = Counter("portal_page_cache_requests", "Visitors' pages from the page cache (hit) "
                     "or rendered afresh (miss).", ["result"])


class MetricsMiddleware:
    """Counts and times every request; outermost, so the time includes every middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        if response.get("X-Cache") in ("hit", "miss"):
            PAGE_CACHE.labels(response["X-Cache"]).inc()
        return response


class PortalCollector:
    """Figures read from the database at each scrape, the same whichever worker answers."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from cluster_portal.models import Backup

        waiting = DBTaskResult.objects.filter(status="READY").count()
        yield GaugeMetricFamily("portal_task_queue_length",
                                "Tasks waiting in the database queue for a worker.",
                                value=waiting)
        latest = Backup.objects.order_by("-finished").values_list("finished", flat=True).first()
        age = (timezone.now() - latest).total_seconds() if latest else math.inf
        yield GaugeMetricFamily("portal_last_backup_age_seconds",
                                "Seconds since the newest successful backup finished.",
                                value=age)


def allowed(request):
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False)
               for net in settings.METRICS_ALLOWED_IPS)


@never_cache
@require_safe
def metrics(request):
    # Anyone else is told there is nothing here, as for any unknown address.
    if not allowed(request):
        raise Http404
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for metric in (REQUESTS, LATENCY, PAGE_CACHE):
            registry.register(metric)
    registry.register(PortalCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
