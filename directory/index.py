"""The directory's index, rebuilt from the clusters: `refresh(cluster_ids)` after a change,
`refresh_all()` after a bulk load (`manage.py rebuild_directory`).

For each published cluster it writes a `SearchEntry` (its search document, folded in Python
so that both databases search the same text), its `FacetKey`s, and any new `SearchWord`;
a cluster that is gone or no longer published loses its rows. Every refresh bumps the
directory's data version, which keys what the directory caches (the vocabularies, the
unfiltered counts).
"""

import html
import logging
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.html import strip_tags
from django_countries import countries

from directory import backends
from directory.facets import keys_of
from directory.models import FacetKey, SearchEntry, SearchWord
from profiles.models import TERM_RELATIONS, Cluster

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
MAX_WORD_LENGTH = 100  # SearchWord.word; longer "words" (a pasted URL) are not typo targets


def fold(text):
    """`text` as the index stores it and queries are matched: lower case, accents removed,
    every run of anything but letters and digits one space ("Energías" -> "energias")."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").casefold())
    letters = "".join(
        char if char.isalnum() else " "
        for char in decomposed
        if not unicodedata.combining(char)
    )
    return " ".join(letters.split())


def country_names_in_every_language():
    """{code: [its name in each language of settings.LANGUAGES]}."""
    names = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, name in countries:
                names.setdefault(code, []).append(str(name))
    return names


def document_of(cluster, country_names):
    """The search document of a cluster whose relations are prefetched (see `_clusters`)."""
    parts = [
        cluster.name, cluster.acronym, cluster.city, cluster.region, cluster.other_label,
        cluster.specialisation_other, html.unescape(strip_tags(cluster.strategy)),
    ]
    parts += [partner.name for partner in cluster.partners.all()]
    for relation in TERM_RELATIONS:
        for term in getattr(cluster, relation).all():
            parts += term.search_labels()
    if cluster.excellence_label:
        parts += cluster.excellence_label.search_labels()
    for target in cluster.target_countries.all():
        parts += country_names.get(str(target.country), [])
    return fold(" ".join(part for part in parts if part))


def _clusters(ids):
    return (
        Cluster.objects.published()
        .filter(pk__in=ids)
        .select_related("excellence_label", "composition")
        .prefetch_related(*TERM_RELATIONS, "partners", "target_countries")
        .order_by()
    )


def refresh(cluster_ids):
    """Rebuild the index rows of these clusters (ids of clusters that are gone are fine), and
    bump the data version (also with no id: a vocabulary changed)."""
    ids = sorted(set(cluster_ids))
    country_names = country_names_in_every_language() if ids else {}
    for start in range(0, len(ids), BATCH_SIZE):
        _refresh_batch(ids[start:start + BATCH_SIZE], country_names)
    bump_data_version()


def refresh_all():
    """Rebuild the whole index, and forget the words no document holds any more."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        FacetKey.objects.all().delete()
        SearchWord.objects.all().delete()
        backends.forget_everything()
        refresh(Cluster.objects.published().values_list("pk", flat=True))
    bump_data_version()


def _refresh_batch(ids, country_names):
    with transaction.atomic():
        SearchEntry.objects.filter(cluster_id__in=ids).delete()
        FacetKey.objects.filter(cluster_id__in=ids).delete()
        backends.forget_documents(ids)
        entries, keys, words = [], [], set()
        for cluster in _clusters(ids):
            entry = SearchEntry(
                cluster=cluster,
                name=fold(f"{cluster.name} {cluster.acronym}"),
                document=document_of(cluster, country_names),
            )
            entries.append(entry)
            words.update(w for w in entry.document.split() if len(w) <= MAX_WORD_LENGTH)
            keys += [FacetKey(cluster=cluster, facet=facet, value=value)
                     for facet, value in keys_of(cluster)]
        SearchEntry.objects.bulk_create(entries)
        FacetKey.objects.bulk_create(keys)
        backends.add_documents(entries)
        new = sorted(words - _known(words))
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in new], ignore_conflicts=True
        )
        backends.add_words(new)


def _known(words, chunk=5000):
    """Those of `words` the directory knows already (in chunks: SQLite bounds parameters)."""
    words, known = sorted(words), set()
    for start in range(0, len(words), chunk):
        known.update(SearchWord.objects.filter(word__in=words[start:start + chunk])
                     .values_list("word", flat=True))
    return known


# --- The data version ---------------------------------------------------------------------

DATA_VERSION_KEY = "directory-data-version"


def data_version():
    """The directory's current data version, or None while the cache cannot be reached."""
    try:
        # A fresh start (or an evicted key) takes the clock's value, never one used before.
        return cache.get_or_set(DATA_VERSION_KEY, time.time_ns, timeout=None)
    except Exception:
        logger.exception("Cache unavailable; the directory counts are computed afresh")
        return None


def bump_data_version():
    """Bump the version now, and again once the change has committed: a request elsewhere
    may read the new version and the data as it was before the commit."""
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


def _bump():
    # A cache outage must not fail the save that called this.
    try:
        try:
            cache.incr(DATA_VERSION_KEY)
        except ValueError:  # not set yet, or evicted
            cache.set(DATA_VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.exception("Cache unavailable; directory data version not bumped")
