"""The cooperation offers' list, feed and API with many offers, uncached (the page cache made
stale before each request): what counting the facets in Python costs.

    .venv/bin/python bench/offers.py [--offers 1000] [--repeat 20]
            [--database-url postgres://postgres@127.0.0.1:5432/portal_bench_offers]

Builds its own database (a temporary SQLite file unless --database-url names an empty one):
the demo, then `--offers` published offers spread over its published clusters. Prints the
median milliseconds per request of each address.
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

ADDRESSES = [
    "/cooperation-offers/",
    "/cooperation-offers/?q=hydrogen+storage",
    "/cooperation-offers/?kind=partners&target=PT&state=open&state=closed",
    "/cooperation-offers/feed/",
    "/api/v1/offers?kind=consortium",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from cluster_portal import changes, page_cache
    from cooperation.models import CooperationOffer
    from profiles.models import Cluster

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    clusters = list(Cluster.objects.published().prefetch_related("sectoral_industries"))
    kinds = CooperationOffer.Kind.values
    words = ["hydrogen storage", "smart mobility", "textile recycling", "tourism data"]
    for number in range(args.offers):
        cluster = clusters[number % len(clusters)]
        offer = CooperationOffer.objects.create(
            cluster=cluster, kind=kinds[number % 4], status="published",
            title=f"Offer {number}: {words[number % 4]}",
            description=f"<p>Partners wanted for {words[(number + 1) % 4]} pilots.</p>",
            target_countries=["PT", "FR", "DE"][: 1 + number % 3],
        )
        offer.sectoral_industries.set(cluster.sectoral_industries.all())
    changes.all_clusters_changed()
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{args.offers} offers, {len(clusters)} published clusters, "
          f"{os.environ['DATABASE_URL'].split(':')[0]}; median of {args.repeat}, uncached")
    for address in ADDRESSES:
        times = []
        for _ in range(args.repeat):
            page_cache.forget_all_pages()
            start = time.perf_counter()
            response = client.get(address)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (address, response.status_code)
        print(f"{statistics.median(times):8.1f} ms  {address}")


if __name__ == "__main__":
    main()
