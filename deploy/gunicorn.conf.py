"""gunicorn settings for the portal (`make serve`, the systemd unit and the benchmark use it).

Every value can be changed from the environment, e.g. GUNICORN_WORKERS=4 or
GUNICORN_BIND=unix:/run/cluster-portal/gunicorn.sock.
"""

import multiprocessing
import os

import gunicorn.http.wsgi

# No software name or version in the Server header: it only helps an attacker pick exploits.
gunicorn.http.wsgi.SERVER = "cluster-portal"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the portal's pages are CPU-bound templates and short queries.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so that a slow leak can never take a server down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Load the app once in the master: workers start fast and share memory pages.
preload_app = True
# The nginx in front forwards X-Forwarded-Proto; trust it only from the local machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Errors go to stderr (journald); the access log is nginx's job unless asked for here,
# and then it carries each request's id, as the application's error lines do.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'


# Prometheus metrics (cluster_portal/metrics.py) from every worker: with
# PROMETHEUS_MULTIPROC_DIR set, each worker writes its counters there and /metrics adds them up.
# The folder is emptied at start (old workers' figures would be counted again) and a worker
# that exits is forgotten in its live gauges.
def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
