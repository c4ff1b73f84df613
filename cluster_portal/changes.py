"""What a change to clusters refreshes, in one place.

A save must refresh what is derived from the profiles: the public "Last updated" date when a
part changed, the directory's search index and data version (cached counts, vocabularies),
and the visitors' cached pages that show the change. Whoever writes calls one of these once,
after the write: the admin (after the inlines and many-to-many fields are saved, deletions,
vocabulary terms), the publication workflow, undo in the change history, the import and bulk
commands (`all_clusters_changed()`; `manage.py refresh_clusters` after `loaddata` or a
write in the shell).

No model signal does this: a `save()` in code refreshes nothing until it calls
`clusters_changed()`, so what a change costs is written where the change is made.
"""

import contextlib
import functools
import operator

from django.db.models import Q
from django.utils import timezone

from cluster_portal import page_cache
from directory import index
from profiles import logos
from profiles.models import Cluster


def clusters_changed(cluster_ids, *, touched=True, former=(), linked_before=()):
    """The clusters `cluster_ids`, or rows and terms of theirs, changed: refresh what shows them.

    touched: the change moves the public "last updated" date (a part was added, edited or
    deleted; a cluster's own `save()` moves it already, so its callers pass False).
    former: (slug, status) pairs of the clusters before the change, when it may have moved a
    profile to another address or in or out of publication (their old pages are stale too).
    linked_before: ids of other clusters their rows pointed at before the change (a partner
    removed): the pages showing those showed the partnership.
    """
    cluster_ids = set(cluster_ids)
    if not cluster_ids:
        return
    if touched:
        Cluster.objects.filter(pk__in=cluster_ids).update(updated=timezone.now())
    topics = page_cache.pages_showing(cluster_ids | set(linked_before), former)
    if _refresh_directory(cluster_ids):
        # Listed before or now (a profile retired in code, without `former`, is one).
        topics.add(page_cache.DIRECTORY)
    page_cache.replace_tokens(topics)


def all_clusters_changed():
    """Any cluster may have changed behind the admin's back (`loaddata`, a bulk load, a write
    in the shell): the whole directory, and every cached page. Dates stay as they are."""
    index.refresh_all()
    page_cache.forget_all_pages()


@contextlib.contextmanager
def clusters_deleted(cluster_ids):
    """`with clusters_deleted(ids): ….delete()`: the pages showing the clusters are found
    before the delete (which unlinks them from their partners' profiles), refreshed after;
    their logo files leave storage once the delete is committed."""
    cluster_ids = set(cluster_ids)
    topics = page_cache.pages_showing(cluster_ids)
    index.forget(cluster_ids)  # the delete takes the index rows, but not their counts
    stored_logos = list(Cluster.objects.filter(pk__in=cluster_ids).values_list("logo", flat=True))
    yield
    _refresh_directory(cluster_ids)
    page_cache.replace_tokens(topics)
    logos.delete_when_committed(stored_logos)


def term_changed(term):
    """A vocabulary term was added, relabelled, retired or moved: the directory's facets and
    search, and the profiles carrying it. Their "last updated" date stays: the editors'
    vocabulary changed, not the clusters' profiles."""
    _terms_changed(clusters_carrying(term))


@contextlib.contextmanager
def terms_deleted(terms):
    """`with terms_deleted(terms): ….delete()`: the profiles that carried them, found before."""
    cluster_ids = set().union(*(clusters_carrying(term) for term in terms))
    yield
    _terms_changed(cluster_ids)


def clusters_carrying(term):
    """The ids of the clusters showing `term`: by a vocabulary, the excellence label, or a
    row of theirs (an undertaken activity)."""
    lookups = [
        field.name for field in Cluster._meta.get_fields()
        if field.concrete and field.related_model is type(term)
    ]
    for relation in Cluster._meta.related_objects:
        lookups += [
            f"{relation.name}__{field.name}" for field in relation.related_model._meta.fields
            if field.related_model is type(term)
        ]
    if not lookups:
        return set()
    carrying = functools.reduce(operator.or_, [Q(**{lookup: term}) for lookup in lookups])
    return set(Cluster.objects.filter(carrying).values_list("pk", flat=True))


def _terms_changed(cluster_ids):
    _refresh_directory(cluster_ids)
    # The directory lists the vocabularies' labels with their counts, whoever carries them.
    page_cache.replace_tokens(page_cache.pages_showing(cluster_ids) | {page_cache.DIRECTORY})


def _refresh_directory(cluster_ids):
    # The one place where the directory learns of a change: its search documents and facet
    # keys, and the data version that keys what it caches. True if it lists any of them, or
    # did until now.
    return index.refresh(cluster_ids)
