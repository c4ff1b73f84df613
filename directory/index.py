"""The directory's index, rebuilt from the clusters: `refresh(cluster_ids)` after a change,
`refresh_all()` after a bulk load (`manage.py refresh_clusters`).

For each published cluster it writes a `SearchEntry` (its search document, folded in Python
so that both databases search the same text), its `FacetKey`s, its `Partnership`s with the
other published clusters, and any new `SearchWord`; a cluster that is gone or no longer
published loses its rows. The `FacetCount`s (the unfiltered counts, and the partnerships
between each two countries) move by the keys added and removed, and the `FacetBitmap`s
(directory/bitmaps.py) are rewritten, in the same transaction; a cluster about to be
deleted is first `forget`-ed, since its keys go with it. Every refresh bumps the directory's
data version, which keys what the directory caches (the vocabularies, the unfiltered
counts).
"""

import collections
import html
import logging
import re
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import translation
from django.utils.html import strip_tags
from django_countries import countries

from cooperation.models import PartnerCluster, TargetCountry
from directory import backends, bitmaps
from directory.facets import TERM_FACETS, keys_of, membership_keys
from directory.models import (
    FacetCount,
    FacetKey,
    Partnership,
    SearchEntry,
    SearchWord,
    countries_key,
    of_keys,
)
from members.models import Composition
from profiles.models import TERM_RELATIONS, Cluster

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
PARTNERSHIPS = "partnerships"  # the FacetCount facet of the partnerships between two countries
NOT_LETTERS = re.compile(r"[\W_]+")
# The cluster's own fields its document and keys read.
CLUSTER_FIELDS = ["name", "acronym", "city", "region", "other_label", "specialisation_other",
                  "strategy", "country", "excellence_label_id", "date_established",
                  "latitude", "longitude"]


def fold(text):
    """`text` as the index stores it and queries are matched: lower case, accents removed,
    every run of anything but letters and digits one space ("Energías" -> "energias")."""
    text = str(text or "").casefold()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(NOT_LETTERS.sub(" ", text).split())


def country_names_in_every_language():
    """{code: [its name in each language of settings.LANGUAGES]}."""
    names = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, name in countries:
                names.setdefault(code, []).append(str(name))
    return names


def refresh(cluster_ids, with_bitmaps=True):
    """Rebuild the index rows of these clusters (ids of clusters that are gone are fine), and
    bump the data version (also with no id: a vocabulary changed). Without `with_bitmaps`
    the facet bitmaps are left as they were, for a caller that rebuilds them all.

    Returns whether the directory listed any of them before or lists any now: only then do
    its pages show them.
    """
    ids = sorted(set(cluster_ids))
    listed = False
    if ids:
        sources = Sources()
        for start in range(0, len(ids), BATCH_SIZE):
            listed |= _refresh_batch(ids[start:start + BATCH_SIZE], sources, with_bitmaps)
    bump_data_version()
    return listed


def forget(cluster_ids):
    """Take these clusters out of the index, as just before they are deleted (the delete
    takes their keys with it, and the counts would not learn which)."""
    ids = sorted(set(cluster_ids))
    for start in range(0, len(ids), BATCH_SIZE):
        with transaction.atomic():
            batch = ids[start:start + BATCH_SIZE]
            former_documents = _documents(batch)
            _removed, former_keys, former_pairs, held_before = _drop_rows(batch)
            _count_keys_changed(collections.Counter(), former_keys)
            bitmaps.update_keys([], held_before)
            bitmaps.update_words({}, former_documents)
            _count_partners_changed(batch, [], former_pairs)
    bump_data_version()


def refresh_all():
    """Rebuild the whole index, and forget the words no document holds any more."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        FacetKey.objects.all().delete()
        FacetCount.objects.all().delete()
        Partnership.objects.all().delete()
        SearchWord.objects.all().delete()
        backends.forget_everything()
        # Rewriting every bitmap once per batch would cost more than making them at the end.
        refresh(Cluster.objects.published().values_list("pk", flat=True), with_bitmaps=False)
        bitmaps.rebuild()


class Sources:
    """What the documents name besides the clusters' own fields, read once per refresh: every
    term's labels (a few hundred terms) and every country's names."""

    def __init__(self):
        self.country_names = country_names_in_every_language()
        self.term_labels = {
            relation: {term.pk: term.search_labels()
                       for term in Cluster._meta.get_field(relation).related_model.objects.all()}
            for relation in [*TERM_RELATIONS, "excellence_label"]
        }


class Facts:
    """One cluster as the index reads it: its own fields and the ids behind its relations."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.terms = {relation: [] for relation in TERM_RELATIONS}
        self.partners = []
        self.targets = []
        self.total_members = None
        self.sme_members = None

    def document(self, sources):
        cluster = self.cluster
        parts = [
            cluster.name, cluster.acronym, cluster.city, cluster.region, cluster.other_label,
            cluster.specialisation_other, html.unescape(strip_tags(cluster.strategy)),
            *self.partners,
        ]
        for relation, pks in self.terms.items():
            for pk in pks:
                parts += sources.term_labels[relation].get(pk, [])
        if cluster.excellence_label_id:
            parts += sources.term_labels["excellence_label"].get(cluster.excellence_label_id, [])
        for country in self.targets:
            parts += sources.country_names.get(country, [])
        return fold(" ".join(part for part in parts if part))

    def keys(self):
        term_pks = {facet: self.terms[relation] for facet, relation in TERM_FACETS.items()}
        cluster = self.cluster
        return keys_of(cluster.country, cluster.excellence_label_id, self.targets, term_pks,
                       self.total_members, cluster.date_established,
                       (cluster.latitude, cluster.longitude)) + membership_keys(
            self.total_members, self.sme_members)


def _facts(ids):
    """{cluster id: Facts} of the published clusters among `ids`, in a query per relation."""
    clusters = Cluster.objects.published().filter(pk__in=ids).only(*CLUSTER_FIELDS)
    facts = {cluster.pk: Facts(cluster) for cluster in clusters.order_by()}
    found = list(facts)
    for relation in TERM_RELATIONS:
        field = Cluster._meta.get_field(relation)
        through = field.remote_field.through
        term_id = through._meta.get_field(field.m2m_reverse_field_name()).attname
        links = through.objects.filter(cluster_id__in=found).values_list("cluster_id", term_id)
        for cluster_id, term_pk in links:
            facts[cluster_id].terms[relation].append(term_pk)
    for cluster_id, name in PartnerCluster.objects.filter(
        cluster_id__in=found
    ).values_list("cluster_id", "name"):
        facts[cluster_id].partners.append(name)
    for cluster_id, country in TargetCountry.objects.filter(
        cluster_id__in=found
    ).values_list("cluster_id", "country"):
        facts[cluster_id].targets.append(str(country))
    for cluster_id, total, smes in Composition.objects.filter(
        cluster_id__in=found
    ).values_list("cluster_id", "total_members", "sme_members"):
        facts[cluster_id].total_members, facts[cluster_id].sme_members = total, smes
    return facts


def _refresh_batch(ids, sources, with_bitmaps=True):
    with transaction.atomic():
        former_documents = _documents(ids) if with_bitmaps else {}
        removed, former_keys, former_pairs, held_before = _drop_rows(ids)
        entries, keys, words = [], [], set()
        for cluster_id, facts in _facts(ids).items():
            cluster = facts.cluster
            entry = SearchEntry(cluster_id=cluster_id,
                                name=fold(f"{cluster.name} {cluster.acronym}"),
                                document=facts.document(sources))
            entries.append(entry)
            words.update(bitmaps.words_of(entry.document))
            keys += [FacetKey(cluster_id=cluster_id, facet=facet, value=value)
                     for facet, value in facts.keys()]
        partnerships = _partnerships([entry.cluster_id for entry in entries])
        pairs = [(row.first_id, row.second_id) for row in partnerships]
        partners = collections.Counter(pk for pair in pairs for pk in pair)
        for entry in entries:
            entry.partners = partners[entry.cluster_id]
        SearchEntry.objects.bulk_create(entries)
        FacetKey.objects.bulk_create(keys)
        Partnership.objects.bulk_create(partnerships)
        _count_partners_changed(ids, pairs, former_pairs)
        _count_keys_changed(
            collections.Counter((key.facet, key.value) for key in keys)
            + collections.Counter((PARTNERSHIPS, row.countries_key) for row in partnerships),
            former_keys)
        backends.add_documents(entries)
        new = sorted(words - _known(words))
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in new], ignore_conflicts=True
        )
        backends.add_words(new)
        if with_bitmaps:
            bitmaps.update_keys([(key.cluster_id, key.facet, key.value) for key in keys],
                                held_before)
            bitmaps.update_words({entry.cluster_id: entry.document for entry in entries},
                                 former_documents)
    return bool(removed or entries)


def _documents(ids):
    """{cluster id: its search document} of those of `ids` the index holds. The clusters'
    rows are locked first (their entries are deleted and written anew, their rows stay): a
    concurrent refresh of the same cluster waits, then reads what this one wrote, so that
    the bitmaps move by what each really changed."""
    list(Cluster.objects.select_for_update().filter(pk__in=ids).order_by("pk")
         .values_list("pk", flat=True))
    return dict(SearchEntry.objects.filter(cluster_id__in=ids)
                .values_list("cluster_id", "document"))


def _partnerships(ids):
    """The `Partnership`s of the published clusters `ids` with every published cluster (the
    others' rows naming them included), a pair once, whichever names the other."""
    if not ids:
        return []
    rows = PartnerCluster.objects.filter(
        Q(cluster_id__in=ids, partner__status=Cluster.Status.PUBLISHED)
        | Q(partner_id__in=ids, cluster__status=Cluster.Status.PUBLISHED)
    ).values_list("cluster_id", "partner_id", "cluster__country", "partner__country")
    named, countries = set(), {}
    for cluster_id, partner_id, country, partner_country in rows.order_by():
        named.add((cluster_id, partner_id))
        countries[cluster_id], countries[partner_id] = str(country), str(partner_country)
    pairs = sorted({(min(pair), max(pair)) for pair in named})
    return [Partnership(first_id=first, second_id=second, first_country=countries[first],
                        second_country=countries[second],
                        reciprocal=(first, second) in named and (second, first) in named)
            for first, second in pairs]


def _drop_rows(ids):
    """Delete these clusters' index rows. Returns how many entries there were,
    {(facet, value): how many of the clusters held it}, for the counts (a partnership's
    countries too, even when the other cluster's refresh brings it back), the
    (first, second) pairs of the partnerships deleted, and the (cluster id, facet, value)
    keys deleted, for the bitmaps."""
    held_before = list(FacetKey.objects.filter(cluster_id__in=ids)
                       .values_list("cluster_id", "facet", "value"))
    former_keys = collections.Counter((facet, value) for _pk, facet, value in held_before)
    former_partnerships = Partnership.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids))
    former_pairs = []
    for first, second, *pair_countries in former_partnerships.values_list(
            "first_id", "second_id", "first_country", "second_country"):
        former_pairs.append((first, second))
        former_keys[PARTNERSHIPS, countries_key(*pair_countries)] += 1
    former_partnerships.delete()
    removed, _by_model = SearchEntry.objects.filter(cluster_id__in=ids).delete()
    FacetKey.objects.filter(cluster_id__in=ids).delete()
    backends.forget_documents(ids)
    return removed, former_keys, former_pairs, held_before


def _count_partners_changed(ids, pairs, former_pairs):
    """Move the partner counts of the other clusters (not among `ids`, whose entries were
    written anew) by the partnerships `pairs` now held against `former_pairs`."""
    ids = set(ids)
    change = collections.Counter(pk for pair in pairs for pk in pair if pk not in ids)
    change.subtract(pk for pair in former_pairs for pk in pair if pk not in ids)
    change = {pk: delta for pk, delta in sorted(change.items()) if delta}
    if change:
        SearchEntry.objects.filter(cluster_id__in=change).update(partners=F("partners") + Case(
            *(When(cluster_id=pk, then=Value(delta)) for pk, delta in change.items()),
            default=Value(0)))


def _count_keys_changed(now, before):
    """Move the `FacetCount`s by the keys now held against those held before: increments,
    not recounts, so that concurrent refreshes of other clusters add up."""
    change = {key: now[key] - before[key] for key in now.keys() | before.keys()}
    change = {key: delta for key, delta in sorted(change.items()) if delta}
    # Only a key gained may be new; one lost has its row already.
    FacetCount.objects.bulk_create(
        [FacetCount(facet=facet, value=value) for (facet, value), delta in change.items()
         if delta > 0],
        ignore_conflicts=True,
    )
    if change:  # one UPDATE for every changed key: a refresh runs on every save
        moved = [When(facet=facet, value=value, then=Value(delta))
                 for (facet, value), delta in change.items()]
        FacetCount.objects.filter(of_keys(change)).update(
            clusters=F("clusters") + Case(*moved, default=Value(0)))


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
