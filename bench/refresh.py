"""What one save costs the directory's index: `changes.clusters_changed` for one cluster.

    .venv/bin/python bench/refresh.py --database-url URL [--repeat 20]

Runs on an existing benchmark database (its name must contain "bench"; make one with
bench/network.py or bench/directory.py). For `--repeat` published clusters, times the
refresh that follows a save twice: with nothing changed, and after a sentence was added to
the strategy (new words: the search entry, the keys and the bitmaps of the words gained are
rewritten). Each refresh runs in its own transaction, committed, as the admin's save does.
The strategies stay changed: run it on a benchmark database only.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if "bench" not in urlparse(args.database_url).path:
        sys.exit("Refusing: the benchmark database's name must contain 'bench'.")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction

    from cluster_portal import changes
    from profiles.models import Cluster

    published = Cluster.objects.published().order_by("pk")
    clusters = list(published[500:500 + args.repeat])
    times = {"nothing changed": [], "a sentence added to the strategy": []}
    for cluster in clusters:
        for label in times:
            if label != "nothing changed":
                cluster.strategy += f"<p>Hydrogen electrolysers, trial {time.time_ns()}.</p>"
                cluster.save()
            start = time.perf_counter()
            with transaction.atomic():
                changes.clusters_changed([cluster.pk])
            times[label].append((time.perf_counter() - start) * 1000)
    print(f"Refresh of one cluster at {published.count():,} published clusters, "
          f"{len(clusters)} clusters (ms); load average "
          f"{' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    print("| refresh after a save | median | max |")
    print("|---|---:|---:|")
    for label, values in times.items():
        print(f"| {label} | {statistics.median(values):.1f} | {max(values):.1f} |")


if __name__ == "__main__":
    main()
