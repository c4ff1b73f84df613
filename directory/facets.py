"""Each cluster's facet keys: every value the directory can narrow it by, in one indexed column.

On PostgreSQL a cluster stores `facet_keys`, a text array such as
`{country:ES, sector:12, sector:40, technology:7, label:3, target:KR, members:50-249}`, with a
GIN index (migration `0004_cluster_facet_keys`). Choosing values of a facet becomes an overlap
test (`facet_keys && {country:ES,country:PT}`) that PostgreSQL answers from the index together
with the word search, and counting every facet becomes one `unnest(facet_keys) … GROUP BY` over
the matching rows, without joining six link tables. The keys are computed in SQL from the
cluster's own rows (one UPDATE, like the search document) and kept current by the receivers
in `profiles/signals.py`; bulk inserts call `….refresh_directory_columns()`.

On SQLite the column stays empty and the directory filters and counts through the relations.
"""

import logging
import time

from django.db import connections
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Membership size bands on Composition.total_members: (URL value, label, lowest, highest).
SIZE_BANDS = [
    ("1-49", _("1–49 members"), 1, 49),
    ("50-249", _("50–249 members"), 50, 249),
    ("250+", _("250 members or more"), 250, None),
]

# The URL parameter of each term facet and the Cluster relation it reads.
TERM_FACETS = {
    "sector": "sectoral_industries",
    "technology": "technology_fields",
    "s3": "s3_priority_areas",
    "emerging": "emerging_industries",
    "ecosystem": "industrial_ecosystems",
}


def key(facet, value):
    """The facet key of one value: `country:ES`, `sector:12` (term pk), `members:50-249`."""
    return f"{facet}:{value}"


def facet_of(facet_key):
    return facet_key.split(":", 1)[0]


def _keys_sql():
    """SQL computing the facet keys of the `profiles_cluster` row being updated."""
    from cooperation.models import TargetCountry
    from members.models import Composition
    from profiles.models import Cluster

    table = Cluster._meta.db_table
    parts = [
        f"SELECT 'country:' || {table}.country",
        f"SELECT 'label:' || {table}.excellence_label_id "
        f"WHERE {table}.excellence_label_id IS NOT NULL",
        f"SELECT DISTINCT 'target:' || t.country FROM {TargetCountry._meta.db_table} t "
        f"WHERE t.cluster_id = {table}.id",
    ]
    for facet, relation in TERM_FACETS.items():
        field = Cluster._meta.get_field(relation)
        through = field.remote_field.through
        term_column = through._meta.get_field(field.m2m_reverse_field_name()).column
        parts.append(
            f"SELECT '{facet}:' || l.{term_column} FROM {through._meta.db_table} l "
            f"WHERE l.cluster_id = {table}.id"
        )
    bands = " ".join(
        f"WHEN c.total_members >= {low}"
        + (f" AND c.total_members <= {high}" if high is not None else "")
        + f" THEN 'members:{value}'"
        for value, _label, low, high in SIZE_BANDS
    )
    parts.append(
        f"SELECT CASE {bands} END FROM {Composition._meta.db_table} c "
        f"WHERE c.cluster_id = {table}.id AND c.total_members >= 1"
    )
    return "ARRAY(" + " UNION ALL ".join(parts) + ")"


def keys_expression():
    """The expression a cluster's `facet_keys` are computed from, for an UPDATE."""
    return RawSQL(_keys_sql(), [])


def refresh_facet_keys(queryset):
    """Recompute the facet keys of these clusters (one UPDATE; PostgreSQL only)."""
    if connections[queryset.db].vendor != "postgresql":
        return 0
    return queryset.order_by().update_derived(facet_keys=keys_expression())


# The directory's data version, for what is kept of the directory between requests (the
# unfiltered counts, each app server's copy of the vocabularies): the receivers in
# profiles/signals.py bump it on every change to a cluster, its terms, composition or target
# countries, and to a vocabulary term.
DATA_VERSION_KEY = "directory-data-version"


def data_version():
    """The current data version, or None while the cache cannot be reached."""
    from django.core.cache import cache

    try:
        # A fresh start (or an evicted key) takes the clock's value, never one used before.
        return cache.get_or_set(DATA_VERSION_KEY, time.time_ns, timeout=None)
    except Exception:
        logger.exception("Cache unavailable; the directory counts are computed afresh")
        return None


def bump_data_version():
    """Bump the version now, and again once the change has committed.

    Now, so that the rest of the transaction sees the change; after the commit too, because a
    request on another server may have read the new version and then the data as it was before
    the commit, and kept that under the new version.
    """
    from django.db import transaction

    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


def _bump():
    from django.core.cache import cache

    # A cache outage must not fail the save that called this; counts are then not cached
    # (data_version() answers None) until the cache is back.
    try:
        try:
            cache.incr(DATA_VERSION_KEY)
        except ValueError:  # not set yet, or evicted
            cache.set(DATA_VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.exception("Cache unavailable; directory data version not bumped")
