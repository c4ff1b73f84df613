"""Profiles that may be the cluster a request describes: similar names in the same country.

Similarity is pg_trgm's: the share of trigrams two names have in common. PostgreSQL computes it
in the query (`TrigramSimilarity`, the extension comes with migration 0002); SQLite has no
pg_trgm, so the names of the country's clusters are scored here with the same formula, as the
directory's search ranks its typo candidates (directory/search.py). One country holds a few
hundred profiles at most, so that costs one small query either way.
"""

import re

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection

# Above pg_trgm's default (0.3): "cluster" and "association" are in so many names that two
# unrelated clusters of one country easily share 0.3 of their trigrams.
THRESHOLD = 0.4
MOST = 5


def trigrams(text):
    """pg_trgm's trigrams of a text: of each alphanumeric word, lower-cased and padded."""
    found = set()
    for word in re.findall(r"\w+", text.lower()):
        padded = f"  {word} "
        found.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a, b):
    return _similarity(trigrams(a), trigrams(b))


def _similarity(first, second):
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def similar_clusters(queryset, name, country):
    """The clusters of `queryset` in `country` whose name is like `name`, most alike first."""
    in_country = queryset.filter(country=country)
    if connection.vendor == "postgresql":
        return list(
            in_country.annotate(similarity=TrigramSimilarity("name", name))
            .filter(similarity__gte=THRESHOLD).order_by("-similarity", "name")[:MOST]
        )
    wanted = trigrams(name)
    scored = sorted(
        (-score, cluster_name, pk)
        for pk, cluster_name in in_country.values_list("pk", "name")
        if (score := _similarity(wanted, trigrams(cluster_name))) >= THRESHOLD
    )[:MOST]
    by_pk = in_country.in_bulk([pk for _score, _name, pk in scored])
    return [by_pk[pk] for _score, _name, pk in scored]
