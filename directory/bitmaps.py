"""The index as bitmaps: for each key of the form's facets and each place of the map
(`FacetBitmap`), and for each word of the documents (`SearchWord.clusters`), the ids of the
published clusters holding it, in a roaring bitmap (pyroaring, the binding of CRoaring:
compressed sets of integers whose unions, intersections and counts take microseconds).

A search counts each chosen facet within the words and every *other* choice, and every other
facet within all of them: at 100,000 clusters, sets of thousands of clusters, which joining
the keys in SQL reads key by key, once per chosen facet, and checking the words reads row by
row. With the bitmaps a search reads the bitmaps of its facets and of the words its terms
name (two queries), and every count is an intersection's cardinality, computed in memory
(directory/filters.py `ClusterFilter._count_in_memory`).

The index's refresh keeps them (`update_keys`, `update_words`) in its transaction, locking
the rows it rewrites so that concurrent refreshes of other clusters do not undo each other
(always in the same byte order, so that two refreshes never deadlock); `rebuild` makes them
all from the index's keys and documents (`refresh_all`; the migration that added them does
the same).
"""

import collections
import functools
import operator

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Collate
from pyroaring import BitMap

from directory.facets import FACETS, PLACE
from directory.models import FacetBitmap, FacetKey, SearchEntry, SearchWord, of_keys

KEPT = [*FACETS, PLACE]
# Rows per query when a refresh reads the bitmaps it rewrites.
CHUNK = 500
# A term beginning more words than this ("e") is matched in SQL instead: reading thousands of
# bitmaps would cost more than the query.
MAX_WORDS_PER_TERM = 500
# The longest word kept (SearchWord.word): longer "words" (a pasted code) are neither typo
# targets nor bitmaps, and a term this long is matched in SQL.
MAX_WORD_LENGTH = 100


def bitmap(data):
    """The BitMap stored in `data` (bytes; empty for a row that never held a cluster)."""
    return BitMap.deserialize(bytes(data)) if data else BitMap()


def union(bitmaps):
    """One BitMap of the clusters in any of `bitmaps`."""
    return BitMap.union(BitMap(), *bitmaps)


def read(facets):
    """{facet: {value: BitMap of its clusters}} for these facets, in one query."""
    kept = {facet: {} for facet in facets}
    rows = FacetBitmap.objects.filter(facet__in=facets).values_list("facet", "value", "clusters")
    for facet, value, clusters in rows:
        kept[facet][value] = bitmap(clusters)
    return kept


def read_keys(keys):
    """{(facet, value): BitMap of its clusters} for these keys (an empty BitMap for a key no
    published cluster holds), in one query."""
    keys = sorted(set(keys))
    kept = {key: BitMap() for key in keys}
    if keys:
        for facet, value, clusters in FacetBitmap.objects.filter(of_keys(keys)).values_list(
                "facet", "value", "clusters"):
            kept[facet, value] = bitmap(clusters)
    return kept


def holding_terms(terms):
    """The BitMap of the clusters whose document holds every term (directory/search.py
    `terms_of`: per word, alternatives (word, whole_word_only)), as the full-text search
    finds them; None when a term names more than MAX_WORDS_PER_TERM known words. `terms`
    holds at least one term."""
    held = None
    for term in terms:
        if any(len(word) > MAX_WORD_LENGTH for word, _whole in term):
            return None
        which = functools.reduce(operator.or_, (
            Q(word=word) if whole else Q(word__startswith=word) for word, whole in term))
        rows = list(SearchWord.objects.filter(which).values_list("clusters", flat=True)
                    [:MAX_WORDS_PER_TERM + 1])
        if len(rows) > MAX_WORDS_PER_TERM:
            return None
        clusters = union(bitmap(row) for row in rows)
        held = clusters if held is None else held & clusters
    return held if held is not None else BitMap()


# --- Keeping them -------------------------------------------------------------------------


def update_keys(keys, former_keys):
    """Rewrite the facet bitmaps after the index wrote the keys of some clusters anew: `keys`
    and `former_keys` are the (cluster id, facet, value) they hold now and held before. Only
    the keys a cluster gained or lost are rewritten: an edit changes few."""
    now = {key for key in keys if key[1] in KEPT}
    before = {key for key in former_keys if key[1] in KEPT}
    gained, lost = collections.defaultdict(list), collections.defaultdict(list)
    for cluster_id, facet, value in now - before:
        gained[facet, value].append(cluster_id)
    for cluster_id, facet, value in before - now:
        lost[facet, value].append(cluster_id)
    FacetBitmap.objects.bulk_create(
        [FacetBitmap(facet=facet, value=value) for facet, value in sorted(gained)],
        ignore_conflicts=True,
    )

    def rows(keys):
        return FacetBitmap.objects.filter(of_keys(keys)).order_by(
            _in_byte_order("facet"), _in_byte_order("value"))

    _rewrite(FacetBitmap, rows, lambda row: (row.facet, row.value), gained, lost)


def update_words(documents, former_documents):
    """Rewrite the word bitmaps after the index wrote documents anew: `documents` {cluster
    id: its document now}, `former_documents` {cluster id: its document before} (a cluster
    in only one of them was added or removed). Only the words a cluster gained or lost are
    rewritten."""
    gained, lost = collections.defaultdict(list), collections.defaultdict(list)
    for cluster_id in documents.keys() | former_documents.keys():
        now = words_of(documents.get(cluster_id, ""))
        before = words_of(former_documents.get(cluster_id, ""))
        for word in now - before:
            gained[word].append(cluster_id)
        for word in before - now:
            lost[word].append(cluster_id)

    def rows(words):
        return SearchWord.objects.filter(word__in=words).order_by(
            _in_byte_order("word")).only("word", "clusters")

    _rewrite(SearchWord, rows, operator.attrgetter("word"), gained, lost)


def _rewrite(model, rows, key_of, gained, lost):
    """Move the bitmaps of `model` by {key: ids gained} and {key: ids lost}: `rows(keys)`
    are the rows of some keys in byte order, `key_of(row)` a row's key. Every refresh locks
    the rows in that one order (Python's order of the keys, a chunk at a time, is the same),
    so that two refreshes never deadlock."""
    touched = sorted(gained.keys() | lost.keys())
    changed = []
    for start in range(0, len(touched), CHUNK):
        for row in rows(touched[start:start + CHUNK]).select_for_update():
            clusters = bitmap(row.clusters)
            clusters -= BitMap(lost.get(key_of(row), ()))
            clusters |= BitMap(gained.get(key_of(row), ()))
            row.clusters = clusters.serialize()
            changed.append(row)
    model.objects.bulk_update(changed, ["clusters"], batch_size=CHUNK)


def _in_byte_order(field):
    """`field` ordered by its bytes (as Python orders strings), not by a locale's
    collation."""
    return Collate(field, "C" if connection.vendor == "postgresql" else "BINARY")


def words_of(document):
    """The words of a document the index keeps: its SearchWords, and their bitmaps."""
    return {word for word in document.split() if len(word) <= MAX_WORD_LENGTH}


def rebuild():
    """Make every bitmap afresh from the index's keys and documents."""
    FacetBitmap.objects.all().delete()
    holders = collections.defaultdict(BitMap)
    keys = FacetKey.objects.filter(facet__in=KEPT).order_by().values_list(
        "facet", "value", "cluster_id")
    for facet, value, cluster_id in keys.iterator(chunk_size=20_000):
        holders[facet, value].add(cluster_id)
    FacetBitmap.objects.bulk_create(
        [FacetBitmap(facet=facet, value=value, clusters=clusters.serialize())
         for (facet, value), clusters in sorted(holders.items())],
        batch_size=CHUNK,
    )
    holders = collections.defaultdict(BitMap)
    documents = SearchEntry.objects.order_by().values_list("cluster_id", "document")
    for cluster_id, document in documents.iterator(chunk_size=2_000):
        for word in words_of(document):
            holders[word].add(cluster_id)
    rows = list(SearchWord.objects.only("word"))
    for row in rows:
        row.clusters = holders[row.word].serialize()
    SearchWord.objects.bulk_update(rows, ["clusters"], batch_size=CHUNK)
