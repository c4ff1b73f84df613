"""The directory's vocabularies, kept in each app server's memory while they are current.

Every directory search checks its facet choices against the vocabularies (sectors, technology
fields, … , excellence labels) and labels its counts with them: about a hundred terms that
editors change a few times a year. Reading them took two queries per search. Each app server
now keeps them, with the directory's data version (directory/facets.py) they were read under,
and reads them again once that version has moved: every save or delete of a term or a
cluster bumps it, in the cache all app servers share, so no server searches with a term
renamed or deleted elsewhere. Checking costs one cache read per search.
"""

import dataclasses
import functools
import json
import time

from django.db import connections
from django.utils.translation import get_language

from directory import facets
from profiles.models import Cluster, ClusterExcellenceLabel, Term

# Whatever happens to the version (an outage, a change made outside Django), no server keeps
# the terms longer than this.
RELOAD_SECONDS = 600


@dataclasses.dataclass(frozen=True)
class VocabularyTerm:
    """A term as the directory uses it; `facet` is its URL parameter (`sector`, `label`, …)."""

    facet: str
    pk: int
    slug: str
    name: str
    labels: str  # the JSON text of Term.labels, as the database returns it
    position: int

    @property
    def label(self):
        return Term.label_of(self.name, json.loads(self.labels or "{}"), get_language())


@dataclasses.dataclass(frozen=True)
class Vocabularies:
    by_slug: dict  # {facet: {slug: VocabularyTerm}}
    by_pk: dict  # {(facet, pk): VocabularyTerm}


# (database alias, data version, monotonic time read, Vocabularies): replaced whole, never
# changed in place, so a reader never sees half of it.
_kept = None


def current_vocabularies(using, version):
    """The term facets' vocabularies as the database holds them now; `version` is the
    directory's data version (`facets.data_version()`), read before this call."""
    global _kept
    kept = _kept
    if (
        kept is not None
        and version is not None
        and kept[:2] == (using, version)
        and time.monotonic() - kept[2] < RELOAD_SECONDS
    ):
        return kept[3]
    # The version is read before the terms: terms read after a change are kept, at worst,
    # under the version before it, which the change has already replaced.
    read_at = time.monotonic()
    vocabularies = _read(using)
    if version is not None:
        _kept = (using, version, read_at, vocabularies)
    return vocabularies


def _read(using):
    by_slug = {facet: {} for facet in _term_models()}
    by_pk = {}
    with connections[using].cursor() as cursor:
        cursor.execute(_terms_sql(using))
        for row in cursor.fetchall():
            term = VocabularyTerm(*row)
            by_slug[term.facet][term.slug] = term
            by_pk[term.facet, term.pk] = term
    return Vocabularies(by_slug=by_slug, by_pk=by_pk)


def _term_models():
    models = {
        facet: Cluster._meta.get_field(relation).related_model
        for facet, relation in facets.TERM_FACETS.items()
    }
    models["label"] = ClusterExcellenceLabel
    return models


@functools.cache
def _terms_sql(using):
    # Plain SQL built once: as a union of querysets it took longer to compile than to run.
    quote = connections[using].ops.quote_name
    return " UNION ALL ".join(
        f"SELECT '{facet}', id, slug, name, labels, position FROM {quote(model._meta.db_table)}"
        for facet, model in _term_models().items()
    )
