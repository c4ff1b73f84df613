"""Benchmark of the cooperation network (issue 17) on PostgreSQL: a profile's network (its
Cooperation tab), the portal-wide /clusters/network/ and the partner suggestions.

    .venv/bin/python bench/network.py [--database-url URL] [--count 100000] [--repeat 30]

Reuses the database when it holds `--count` clusters already, else drops and recreates it
(its name must contain "bench") and fills it with `manage.py generate_clusters --seed 1`,
which makes partners. Requests go through Django's test client (server side: view, queries,
template), the visitors' page cache off (PAGE_CACHE_SECONDS=0, every response checked to be
a miss): "cached" reads the layouts kept under the directory's data version, "not cached"
bumps that version before each request, as after any edit (the layout, and the search's
counts, computed afresh). Median and 95th percentile over `--repeat` requests after a
warm-up, and the SQL queries of one request. The database is vacuumed and analysed first,
as autovacuum leaves it some time after a bulk load or migration.

The suggestions are timed as their query (cooperation/suggestions.py, not cached), for
`--repeat` different clusters. Goals: network not cached ≤ 200 ms; suggestions ≤ 50 ms
at 100,000 clusters.
"""

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/directory.py builds the database; it is loaded by path, as its module name is the app's.
_spec = importlib.util.spec_from_file_location("bench_directory", ROOT / "bench" / "directory.py")
bench_directory = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_directory)
_spec = importlib.util.spec_from_file_location("bench_api", ROOT / "bench" / "api.py")
bench_api = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_api)

THREE_FACETS = "q=energy&country=ES&ecosystem={ecosystem}&members=50-249"
GOAL_NETWORK_MS, GOAL_SUGGESTIONS_MS = 200, 50


def percentiles(times):
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/portal_bench_network")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    reuse = bench_api.database_holds(args.database_url, args.count)
    if not reuse:
        bench_directory.recreate_database(args.database_url)
    bench_directory.setup_django(args.database_url)
    from django.core.management import call_command
    from django.db.models import Count, Q
    from django.test import Client

    from cooperation import suggestions
    from cooperation.network import profile_network
    from profiles.models import Cluster, IndustrialEcosystem

    call_command("migrate", verbosity=0)
    if not reuse:
        call_command("generate_clusters", count=args.count - Cluster.objects.count(), seed=1)
    from django.db import connection

    with connection.cursor() as cursor:
        # As autovacuum leaves a table some time after a bulk write (a load, a migration
        # filling the partnerships): planner statistics and the visibility map up to date.
        cursor.execute("VACUUM ANALYZE")
    count = Cluster.objects.published().count()
    ecosystem = IndustrialEcosystem.objects.order_by("position").first().slug
    # The profile with the most partnerships (either way) among the first thousand: a
    # network as big as they come in the generated data.
    busiest = (Cluster.objects.published().filter(pk__lte=1000)
               .annotate(links=Count("partners", distinct=True)
                         + Count("partnered_by", distinct=True, filter=Q(
                             partnered_by__cluster__status="published")))
               .order_by("-links", "pk").first())
    drawing = profile_network(busiest)
    client = Client()
    mix = [
        (f"profile network ({len(drawing.nodes)} nodes drawn, {drawing.left_out} left out)",
         f"/clusters/{busiest.slug}/cooperation/"),
        ("/clusters/network/, no search", "/clusters/network/"),
        ("/clusters/network/, text + three facets",
         "/clusters/network/?" + THREE_FACETS.format(ecosystem=ecosystem)),
    ]
    rows = []
    for label, url in mix:
        for cached in (True, False):
            median, p95, queries = bench_directory.measure(client, url, args.repeat,
                                                           counts_uncached=not cached)
            rows.append((f"{label}, {'cached' if cached else 'not cached'}", median, p95,
                         queries))
    others = list(Cluster.objects.published().order_by("pk")
                  .values_list("pk", "country")[100:100 + args.repeat])
    times = []
    for pk, country in others:
        start = time.perf_counter()
        found = suggestions._suggestions(pk, country)
        times.append((time.perf_counter() - start) * 1000)
        assert found, "a generated cluster shares some term with another"
    median, p95 = percentiles(times)
    rows.append(("suggestions query, not cached (different clusters)", median, p95, "4–6"))

    print()
    print(f"{count:,} published clusters; load average at the end "
          f"{' '.join(f'{load:.1f}' for load in os.getloadavg())}; {args.repeat} requests "
          "each (ms)")
    print()
    print("| measurement | median | p95 | queries |")
    print("|---|---:|---:|---:|")
    for label, median, p95, queries in rows:
        print(f"| {label} | {median:.1f} | {p95:.1f} | {queries} |")
    print()
    for label, _median, p95, _queries in rows:
        goal = (GOAL_SUGGESTIONS_MS if label.startswith("suggestions")
                else GOAL_NETWORK_MS if label.endswith("not cached") else None)
        if goal:
            print(f"Goal, {label}: p95 {p95:.1f} ms ({'met' if p95 <= goal else 'MISSED'}; "
                  f"goal ≤ {goal} ms)")


if __name__ == "__main__":
    sys.exit(main())
