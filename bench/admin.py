"""The Smart City Cluster's change form as its staff member sees it: time, size and queries.

    .venv/bin/python bench/admin.py [--repeat 20]

Loads the demo into a new SQLite file under /tmp and drives the admin in this process with
Django's test client (as `smartcity`), so the figures are server time only: no browser, no
network. Prints the median of `--repeat` requests for the form (milliseconds, kilobytes of
HTML, queries), a save with nothing changed and a save with one text changed, then the
form's queries with 1 and with 50 management-team contacts (they must be the same).
Goals (issue 13): form ≤ 200 ms and ≤ 150 KB, save ≤ 400 ms, queries independent of rows.
"""

import argparse
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

    from profiles.models import Cluster, Contact
    from tests.forms import form_data

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    cluster = Cluster.objects.get(slug="smart-city-cluster")
    url = f"/admin/profiles/cluster/{cluster.pk}/change/"
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(cluster.staff.get(username="smartcity"))

    def timed(request):
        times, last = [], None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                last = request()
                times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), last, len(queries)

    client.get(url)  # warm: templates compiled, caches filled
    ms, response, queries = timed(lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    print(f"change form           {ms:7.1f} ms  {len(response.content) / 1024:6.1f} KB  "
          f"{queries:3d} queries")

    data = form_data(response.text, "cluster_form")
    ms, response, queries = timed(lambda: client.post(url, data))
    assert response.status_code == 302, response.status_code
    print(f"save, nothing changed {ms:7.1f} ms  {queries:3d} queries")

    texts = iter(range(10**6))

    def save_changed():
        changed = {**data, "strategy": data["strategy"][0] + f"<p>Change {next(texts)}.</p>"}
        return client.post(url, changed)

    ms, response, queries = timed(save_changed)
    assert response.status_code == 302, response.status_code
    print(f"save, one text changed{ms:7.1f} ms  {queries:3d} queries")

    for rows in (1, 50):
        cluster.contacts.all().delete()
        Contact.objects.bulk_create(
            Contact(cluster=cluster, role=f"Role {n}", phone_numbers="+34600958325", position=n)
            for n in range(rows)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        print(f"form with {rows:2d} contact(s)  {len(queries):3d} queries  "
              f"{len(response.content) / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
