"""Benchmark of the registration form's duplicate check (editorial/duplicates.py).

    .venv/bin/python bench/duplicates.py [--database-url URL] [--sizes 1000,10000]
                                         [--repeat 30]

The database's name must contain "bench": it is dropped (SQLite: the file deleted) and
migrated, then for each size topped up with `manage.py generate_clusters --seed 1`. For a few
names in Spain, the most common country of the generated clusters, it times
`similar_clusters()` as the registration form calls it (published profiles of one country):
median and 95th percentile over `--repeat` calls after a warm-up. PostgreSQL scores the names
in the query (pg_trgm), SQLite in Python over the country's names; both give the same list.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["Smart Energy Cluster", "Andalusian Aerospace Cluster", "Clúster de Turismo"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/cluster-portal-bench.sqlite3")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    url = urlparse(args.database_url)
    if "bench" not in url.path:
        sys.exit("The benchmark database's name must contain 'bench': it is dropped first.")
    if url.scheme == "sqlite":
        Path(url.path).unlink(missing_ok=True)
    else:
        import psycopg2

        admin = psycopg2.connect(args.database_url.rsplit("/", 1)[0] + "/postgres")
        admin.autocommit = True
        name = url.path.lstrip("/")
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from editorial.duplicates import similar_clusters
    from profiles.models import Cluster

    call_command("migrate", verbosity=0)
    print(f"Duplicate check on {connection.vendor}, {args.repeat} calls per name")
    print(f"{'clusters':>9} {'in ES':>6} {'median ms':>10} {'p95 ms':>7}  found")
    for size in [int(s) for s in args.sizes.split(",")]:
        missing = size - Cluster.objects.count()
        if missing > 0:
            call_command("generate_clusters", count=missing, seed=size, force=True,
                         verbosity=0)
        published = Cluster.objects.published()
        timings, found = [], []
        for name in NAMES:
            similar_clusters(published, name, "ES")  # warm-up
            for _ in range(args.repeat):
                start = time.perf_counter()
                result = similar_clusters(published, name, "ES")
                timings.append((time.perf_counter() - start) * 1000)
            found.append(len(result))
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        in_spain = published.filter(country="ES").count()
        print(f"{size:>9} {in_spain:>6} {statistics.median(timings):>10.1f} {p95:>7.1f}  "
              f"{found}")


if __name__ == "__main__":
    main()
