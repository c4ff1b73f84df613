"""The Smart City Cluster's change form as its staff member sees it: time, size and queries.

    .venv/bin/python bench/admin.py [--repeat 20]

Loads the demo into a new SQLite file under /tmp and drives the admin in this process with
Django's test client (as `smartcity`), so the figures are server time only: no browser, no
network. DEBUG is on (the demo logins need it, and no collectstatic is needed); the template
engine caches compiled templates as in production, and the form takes the same time with DEBUG
off (measured, docs/benchmarks.md). Prints the median of `--repeat` requests for the form
(milliseconds of wall-clock time and of this process's CPU time, which other work on the
machine disturbs less; kilobytes of HTML; queries), a save with nothing changed and a save with
one text changed, then the form's queries with 1 and with 50 management-team contacts and
partner rows naming a profile (they must be the same).
Goals (issue 13): form ≤ 200 ms and ≤ 150 KB, save ≤ 400 ms, queries independent of rows.
"""

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="bench-admin-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")
    os.environ["DEBUG"] = "1"  # the demo logins exist with DEBUG only
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cooperation.models import PartnerCluster
    from profiles.models import Cluster, Contact
    from tests.forms import form_data

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    cluster = Cluster.objects.get(slug="smart-city-cluster")
    url = f"/admin/profiles/cluster/{cluster.pk}/change/"
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(cluster.staff.get(username="smartcity"))

    def timed(request):
        wall, cpu, last = [], [], None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                last = request()
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
        return (f"{statistics.median(wall):7.1f} ms ({statistics.median(cpu):5.1f} ms CPU)",
                last, len(queries))

    client.get(url)  # warm: templates compiled, caches filled
    ms, response, queries = timed(lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    print(f"change form           {ms}  {len(response.content) / 1024:6.1f} KB  "
          f"{queries:3d} queries")

    data = form_data(response.text, "cluster_form")
    ms, response, queries = timed(lambda: client.post(url, data))
    assert response.status_code == 302, response.status_code
    print(f"save, nothing changed {ms}  {queries:3d} queries")

    texts = iter(range(10**6))

    def save_changed():
        changed = {**data, "strategy": data["strategy"][0] + f"<p>Change {next(texts)}.</p>"}
        return client.post(url, changed)

    ms, response, queries = timed(save_changed)
    assert response.status_code == 302, response.status_code
    print(f"save, one text changed{ms}  {queries:3d} queries")

    # Each partner row names another profile (its chooser shows the chosen one's name).
    others = list(Cluster.objects.exclude(pk=cluster.pk)[:50])
    for rows in (1, 50):
        cluster.contacts.all().delete()
        cluster.partners.all().delete()
        Contact.objects.bulk_create(
            Contact(cluster=cluster, role=f"Role {n}", phone_numbers="+34600958325", position=n)
            for n in range(rows)
        )
        PartnerCluster.objects.bulk_create(
            PartnerCluster(cluster=cluster, name=other.name, partner=other, position=n)
            for n, other in zip(range(rows), itertools.cycle(others))
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        print(f"form with {rows:2d} contact(s) and partner(s)  {len(queries):3d} queries  "
              f"{len(response.content) / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
