"""Benchmark of the open-data API (/api/v1/) on PostgreSQL at 100,000 generated clusters.

    .venv/bin/python bench/api.py [--database-url URL] [--count 100000] [--repeat 40]
                                  [--redis-url redis://127.0.0.1:6379/0]

The database (its name must contain "bench") is made as bench/directory.py makes it — dropped,
migrated and filled with `manage.py generate_clusters --seed 1` — unless it already holds
`--count` clusters, which are then reused. Requests go through Django's test client: the
server-side latency of the whole stack (middleware, ninja, the rate limit, every query and
cache call; no network), median and 95th percentile over `--repeat` requests after a warm-up,
and the number of SQL queries per request.

The cache is Redis, as in production, under a key prefix of this run's own (deleted at the
end); without --redis-url the process's memory. Rows:
- the search with words and three facets and their counts asked for: with the counts cached
  under the directory's data version (a search someone made since the last edit), and
  "uncached", with the data version bumped before each request (the counts made afresh);
- the same search asking for no counts (the API's default), uncached: the matches counted
  and the page read, no facet counted;
- one profile record, uncached (no validator sent);
- the directory's page of the same search, both ways (one search, three outputs: the API
  should cost what the page costs);
- the 304 answers to conditional requests (If-None-Match) for both, against two floors:
  /robots.txt (the whole middleware stack, no query, no template: bench/load.py's floor)
  and /api/v1/ (the same through ninja and its rate limit).

Goals (issue 19): the search p95 ≤ 50 ms uncached; a 304 near the framework floor.
"""

import argparse
import importlib.util
import itertools
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/directory.py builds the database; it is loaded by path, as its module name is the app's.
_spec = importlib.util.spec_from_file_location("bench_directory", ROOT / "bench" / "directory.py")
bench_directory = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_directory)

SEARCH = ("/api/v1/clusters?q=energy&country=ES&ecosystem={ecosystem}&members=50-249"
          "&facets=country&facets=ecosystem&facets=members")


def database_holds(url, count):
    import psycopg2

    try:
        connection = psycopg2.connect(url)
    except psycopg2.OperationalError:
        return False
    with connection, connection.cursor() as cursor:
        try:
            cursor.execute("SELECT count(*) FROM profiles_cluster")
        except psycopg2.Error:
            return False
        return cursor.fetchone()[0] >= count


def measure(client, url, repeat, bump=False, headers=None, status=200):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from directory.index import bump_data_version

    headers = headers or {}
    addresses = itertools.count()

    def get():
        # Each request from another address, as from many clients: one address's rate-limit
        # history would otherwise grow with every request of the run.
        n = next(addresses)
        response = client.get(url, headers=headers, REMOTE_ADDR=f"10.{n // 65536 % 256}."
                                                                f"{n // 256 % 256}.{n % 256}")
        assert response.status_code == status, (url, response.status_code, response.content)
        return response

    reset_queries()
    if bump:
        bump_data_version()
    with CaptureQueriesContext(connection) as context:
        get()
    for _ in range(3):  # warm-up: connection, PostgreSQL buffers
        get()
    times = []
    for _ in range(repeat):
        if bump:
            bump_data_version()
        start = time.perf_counter()
        get()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(context)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/portal_bench_api")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()

    reuse = database_holds(args.database_url, args.count)
    if not reuse:
        bench_directory.recreate_database(args.database_url)
    prefix = f"bench-api-{uuid.uuid4().hex[:8]}"
    if args.redis_url:
        os.environ.update(REDIS_URL=args.redis_url, CACHE_KEY_PREFIX=prefix)
    os.environ["API_RATE_LIMIT"] = "120/m"  # production's; each request is another address
    bench_directory.setup_django(args.database_url)
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from profiles.models import Cluster, IndustrialEcosystem

    call_command("migrate", verbosity=0)
    if not reuse:
        call_command("generate_clusters", count=args.count - Cluster.objects.count(), seed=1)
    ecosystem = IndustrialEcosystem.objects.order_by("position").first().slug
    slug = Cluster.objects.published().order_by("pk").values_list("slug", flat=True)[500]
    search, profile = SEARCH.format(ecosystem=ecosystem), f"/api/v1/clusters/{slug}"
    # The directory's page of the same search (its page cache is off: PAGE_CACHE_SECONDS=0).
    directory = "/clusters/?" + search.split("?")[1].split("&facets")[0]
    client = Client()
    etags = {url: client.get(url)["ETag"] for url in (search, profile)}

    alone = search.split("&facets")[0]  # the same search, no facet counts asked for
    rows = [
        ("search, words + three facets, counts cached", search, {}),
        ("search, words + three facets, uncached", search, {"bump": True}),
        ("search, words + three facets, no counts asked, uncached", alone, {"bump": True}),
        ("the directory page of the same search, counts cached", directory, {}),
        ("the directory page of the same search, uncached", directory, {"bump": True}),
        ("profile record, uncached", profile, {}),
        ("304 of the search", search,
         {"headers": {"If-None-Match": etags[search]}, "status": 304}),
        ("304 of the profile", profile,
         {"headers": {"If-None-Match": etags[profile]}, "status": 304}),
        ("floor: /robots.txt", "/robots.txt", {}),
        ("floor: /api/v1/", "/api/v1/", {}),
    ]
    results = {label: measure(client, url, args.repeat, **options)
               for label, url, options in rows}
    total = Cluster.objects.published().count()
    if args.redis_url:
        # Only this run's keys (its prefix), whatever else the Redis holds.
        client_redis = cache._cache.get_client()
        for key in client_redis.scan_iter(f"{prefix}:*"):
            client_redis.delete(key)

    print()
    print(f"API latency, server side, {total:,} published clusters, PostgreSQL, cache "
          f"{'Redis' if args.redis_url else 'local memory'}; {args.repeat} requests each "
          f"(ms); load average at the end "
          f"{' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    print(f"search: {search}")
    print()
    print("| request | median | p95 | queries |")
    print("|---|---:|---:|---:|")
    for label, _url, _options in rows:
        median, p95, queries = results[label]
        print(f"| {label} | {median:.1f} | {p95:.1f} | {queries} |")
    print()
    for label in ("search, words + three facets, no counts asked, uncached",
                  "search, words + three facets, uncached"):
        uncached = results[label][1]
        print(f"Goal, {label}: p95 {uncached:.1f} ms "
              f"({'met' if uncached <= 50 else 'MISSED'}; goal ≤ 50 ms)")
    floor = results["floor: /robots.txt"][0]
    for label in ("304 of the search", "304 of the profile"):
        median = results[label][0]
        print(f"{label}: median {median:.2f} ms, {median / floor:.1f}× the /robots.txt floor "
              f"({floor:.2f} ms), {median / results['floor: /api/v1/'][0]:.1f}× /api/v1/")
    cache.close()


if __name__ == "__main__":
    sys.exit(main())
