"""Benchmark of the profile PDF and the directory exports; prints a table.

    .venv/bin/python bench/exports.py                      # SQLite (a throw-away test database)
    .venv/bin/python bench/exports.py --pdf                # the PDF rows only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/exports.py

Works in a test database made for the run (Django's test-database machinery, so your own data
is never touched) and fills it with `manage.py generate_clusters`. Measures, through the whole
Django stack (the test client):
- the PDF of a full profile (the Smart City Cluster's contents, with a logo at the stored size
  of 800 × 800 pixels): first request (laid out by WeasyPrint) and a cached request;
- /clusters/export.csv and /clusters/export.json at 1,000 and 10,000 clusters: time, size,
  and, in a second pass, the peak of Python memory while streaming (tracemalloc), which should
  not grow with the number of clusters because the export reads them chunk by chunk.
"""

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PDF_RUNS = 5
SIZES = [1_000, 10_000]


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def pdf_rows(client):
    import factory

    from tests.factories import full_profile

    cluster = full_profile(
        name="Gazdasági Tanácsadó Klaszter Łódź",
        logo=factory.django.ImageField(color="teal", width=800, height=800, format="PNG"),
    )
    url = f"/clusters/{cluster.slug}/profile.pdf"
    first = []
    for _ in range(PDF_RUNS):
        cache.clear()
        seconds, response = timed(lambda: b"".join(client.get(url)))
        first.append(seconds)
    cached = [timed(lambda: b"".join(client.get(url)))[0] for _ in range(PDF_RUNS)]
    size = len(response)
    return [
        ("PDF of a full profile, made", 1, statistics.median(first), size, None),
        ("PDF of a full profile, cached", 1, statistics.median(cached), size, None),
    ]


def export_row(client, fmt, count):
    def stream():
        return sum(len(chunk) for chunk in client.get(f"/clusters/export.{fmt}").streaming_content)

    # Timed without the memory tracer (which slows Python down about twofold), then streamed
    # once more under it for the peak.
    seconds, body = timed(stream)
    tracemalloc.start()
    stream()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (f"/clusters/export.{fmt}", count, seconds, body, peak)


def main():
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    # The profile's logo goes to a folder of the run's own, never into your media.
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-exports-media-"))
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rows = []
    try:
        client = Client()
        rows += pdf_rows(client)
        generated = 0
        for size in [] if "--pdf" in sys.argv else SIZES:
            call_command("generate_clusters", count=size - generated, seed=size, force=True,
                         verbosity=0)
            generated = size
            published = size + 1  # and the full profile of the PDF runs
            for fmt in ("csv", "json"):
                rows.append(export_row(client, fmt, published))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"\nDatabase: {connection.vendor}; Python {sys.version.split()[0]}\n")
    print("| measurement | clusters | seconds | size | peak Python memory |")
    print("|---|---:|---:|---:|---:|")
    for name, count, seconds, size, peak in rows:
        memory = f"{peak / 2**20:.1f} MB" if peak is not None else "–"
        print(f"| {name} | {count:,} | {seconds:.2f} | {size / 2**20:.2f} MB | {memory} |")


if __name__ == "__main__":
    main()
