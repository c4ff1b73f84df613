"""Benchmark of the directory (/clusters/) on PostgreSQL at 1,000, 10,000 and 100,000 clusters.

    .venv/bin/python bench/directory.py [--database-url URL] [--sizes 1000,10000,100000]
                                        [--repeat 40] [--reuse] [--only TEXT]

Creates (drops first) the benchmark database — its name must contain "bench" — migrates it,
then for each size tops it up with `manage.py generate_clusters --seed 1` and requests a fixed
mix of directory URLs through Django's test client: server-side latency (URL resolution,
view, every query, template rendering; no network), median and 95th percentile over
`--repeat` requests after a warm-up, and the number of SQL queries per request.

It measures the search, not the visitors' page cache: PAGE_CACHE_SECONDS=0, so no page is
ever stored, and every response is checked to be a miss ("X-Cache: miss"). The counts of
each search are kept under the directory's data version (a repeated search, its next page or
another sort order reuse them), so they are measured both ways: cached, and with the data
version bumped before each request, as for a search nobody made since the last edit. It
prints a table, the ratio of the largest size to the smallest, and whether EXPLAIN shows the
first page of a text search read in the name index's order. With --reuse the database is
measured as it is, at its own size, without being dropped or topped up (a database per size,
made once, measured with two versions of the code).

Goals (issue 12): at 100,000 clusters p95 ≤ 50 ms for every query of the mix, results and
counts exact; p95 at 100,000 at most 5× that at 1,000. The map and the statistics of a
search (issue 16), no search and words + three facets, cached and not: p95 ≤ 100 ms at
100,000 and at most 5× the 1,000 figure.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent

MIX = [
    ("text + three facets", "/clusters/?q=energy&country=ES&ecosystem={ecosystem}&members=50-249"),
    ("text only", "/clusters/?q=smart+grid"),
    ("typo", "/clusters/?q=smrt+city"),
    ("one facet", "/clusters/?country=ES"),
    ("deep page", "/clusters/?sort=name&page=50"),
    ("landing", "/clusters/"),
    # The same searches counted afresh: the data version is bumped before each request.
    ("text + three facets, not cached",
     "/clusters/?q=energy&country=ES&ecosystem={ecosystem}&members=50-249"),
    ("text only, not cached", "/clusters/?q=smart+grid"),
    ("one facet, not cached", "/clusters/?country=ES"),
    ("landing, not cached", "/clusters/"),
]
THREE_FACETS = "q=energy&country=ES&ecosystem={ecosystem}&members=50-249"
VIEWS_MIX = [
    (f"{view}, {search}{cached}", f"/clusters/{view}/{query}")
    for view in ("map", "statistics")
    for search, query in (("no search", ""), ("text + three facets", f"?{THREE_FACETS}"))
    for cached in ("", ", not cached")
]
MIX += VIEWS_MIX
UNCACHED = {label for label, _url in MIX if label.endswith("not cached")}
VIEW_LABELS = {label for label, _url in VIEWS_MIX}
GOAL_QUERIES = ["text + three facets", "text only", "one facet", "landing",
                *sorted(UNCACHED - VIEW_LABELS)]
VIEW_GOAL_MS = 100


def recreate_database(url):
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to drop {name!r}: the benchmark database's name must contain 'bench'.")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username,
        password=parts.password, dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # the search is measured, not the page cache
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")
    # DEBUG stays on (no collectstatic needed); its query log costs microseconds per query.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.get("X-Cache") != "hit", "the page cache answered: nothing measured"
    return response


def measure(client, url, repeat, counts_uncached=False):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from directory.index import bump_data_version

    reset_queries()  # DEBUG's query log is capped; a full one would count nothing
    if counts_uncached:
        bump_data_version()
    with CaptureQueriesContext(connection) as context:
        get(client, url)
    for _ in range(3):  # warm-up: connection, template cache, PostgreSQL buffers
        get(client, url)
    times = []
    for _ in range(repeat):
        if counts_uncached:
            bump_data_version()
        start = time.perf_counter()
        get(client, url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(context)


def explain_text_search():
    from django.db import connection
    from django.http import QueryDict

    from directory.filters import ClusterFilter
    from profiles.models import Cluster

    search = ClusterFilter(QueryDict("q=smart+grid"), queryset=Cluster.objects.published())
    # The first page of the matches that do not hold the words in their name (most of them).
    sql, params = search.results().others[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    return plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/portal_bench_directory"
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database as it is (one size: its clusters), "
                             "without dropping it: to compare two versions of the code on "
                             "the same data")
    parser.add_argument("--only", default="",
                        help="measure only the rows whose label holds this text (e.g. "
                             "'not cached'), for short runs taken in turns with another "
                             "version of the code")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    mix = [(label, url) for label, url in MIX if args.only in label]

    if not args.reuse:
        recreate_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.test import Client

    from profiles.models import Cluster, IndustrialEcosystem

    call_command("migrate", verbosity=0)
    ecosystem = IndustrialEcosystem.objects.order_by("position").first().slug
    client = Client()
    results = {}
    if args.reuse:
        sizes = [Cluster.objects.count()]
    for size in sizes:
        missing = size - Cluster.objects.count()
        start = time.perf_counter()
        if missing > 0:
            call_command("generate_clusters", count=missing, seed=1, verbosity=1)
        print(f"{size:>7} clusters: generated {missing} in {time.perf_counter() - start:.0f} s",
              file=sys.stderr)
        for label, url in mix:
            results[size, label] = measure(
                client, url.format(ecosystem=ecosystem), args.repeat, label in UNCACHED
            )

    print()
    print("The page cache is bypassed (PAGE_CACHE_SECONDS=0; every response checked to be a "
          "miss): these are the search's own figures.")
    # The machine may be shared: the load average says how much to trust the figures.
    print(f"Directory latency, server side, {args.repeat} requests each (ms); load average "
          f"at the end {' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    print()
    header = "| query | " + " | ".join(f"{size:,} median / p95" for size in sizes)
    print(header + " | queries | p95 ratio largest/smallest |")
    print("|---" * (len(sizes) + 3) + "|")
    for label, _url in mix:
        cells = [f"{results[size, label][0]:.1f} / {results[size, label][1]:.1f}"
                 for size in sizes]
        queries = sorted({results[size, label][2] for size in sizes})
        ratio = results[sizes[-1], label][1] / results[sizes[0], label][1]
        print(f"| {label} | " + " | ".join(cells) + f" | {', '.join(map(str, queries))} "
              f"| {ratio:.1f}× |")
    print()
    goals = [(label, 50) for label in GOAL_QUERIES]
    goals += [(label, VIEW_GOAL_MS) for label, _url in VIEWS_MIX]
    for label, goal_ms in goals:
        if (sizes[-1], label) not in results:
            continue
        p95 = results[sizes[-1], label][1]
        ratio = p95 / results[sizes[0], label][1]
        met = p95 <= goal_ms and ratio <= 5
        print(f"Goal, '{label}' at {sizes[-1]:,}: p95 {p95:.1f} ms, {ratio:.1f}× the "
              f"{sizes[0]:,} figure ({'met' if met else 'MISSED'}; goal ≤ {goal_ms} ms "
              "and ≤ 5×)")
    print()
    plan = explain_text_search()
    in_order = any("cluster_name_idx" in line for line in plan)
    print(f"EXPLAIN of the first page of `smart grid` at {sizes[-1]:,} clusters, the matches "
          f"without the words in their name ({'reads' if in_order else 'does not read'} the "
          "name index in order):")
    for line in plan:
        print("    " + line)


if __name__ == "__main__":
    main()
