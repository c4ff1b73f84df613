"""What the directory's search needs from each database, and nothing else.

Both databases search the same folded documents (directory/index.py) with the same query:
every word, as a whole word or the start of one (`smart grid` finds "smart grids"); a word
nothing starts with is replaced by the known words closest to it (directory/search.py).

- PostgreSQL: generated columns `vector` (`to_tsvector('simple', document)`, migration 0002)
  and `name_vector` (0003) with GIN indexes, queried by `to_tsquery` with prefix terms;
  typo candidates from `pg_trgm` (`word % 'smrt'`, GIN).
- SQLite: FTS5 tables over the same documents and names (rowid = cluster id) queried with
  prefix phrases, and an FTS5 trigram table over the known words for typo candidates; all
  kept in step by the index's refresh.
"""

from django.db import connection
from django.db.models.expressions import RawSQL

from directory.models import SearchEntry, SearchWord

DOCUMENTS = "directory_document_fts"
NAMES = "directory_name_fts"
WORD_TRIGRAMS = "directory_word_trigram_fts"
CONFIG = "simple"


def _postgresql():
    return connection.vendor == "postgresql"


def matching_clusters(terms, in_name=False):
    """The ids of the clusters whose document (or, `in_name`, name and acronym) holds every
    term, as an expression for `pk__in`; a term is a list of (word, whole_word_only)
    alternatives, any of which may match."""
    if _postgresql():
        query = " & ".join(
            "(" + " | ".join(word if whole else f"{word}:*" for word, whole in term) + ")"
            for term in terms
        )
        return RawSQL(
            f"SELECT cluster_id FROM {SearchEntry._meta.db_table} "
            f"WHERE {'name_vector' if in_name else 'vector'} @@ to_tsquery('{CONFIG}', %s)",
            [query],
        )
    query = " AND ".join(
        "(" + " OR ".join(f'"{word}"' if whole else f'"{word}"*' for word, whole in term) + ")"
        for term in terms
    )
    table = NAMES if in_name else DOCUMENTS
    return RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [query])


def name_matching_ids(terms):
    """The ids of the clusters whose name or acronym holds every term, as a list: the query
    of `matching_clusters(terms, in_name=True)`, run."""
    names = matching_clusters(terms, in_name=True)
    with connection.cursor() as cursor:
        if _postgresql():
            # One array, not a row per id (some 40,000 for "cluster").
            cursor.execute(f"SELECT array_agg(cluster_id) FROM ({names.sql}) AS names",
                           names.params)
            return cursor.fetchone()[0] or []
        cursor.execute(names.sql, names.params)
        return [row[0] for row in cursor.fetchall()]


def similar_word_candidates(word):
    """Known words that may be close to `word` (sharing trigrams); the caller ranks them."""
    if _postgresql():
        return list(SearchWord.objects.filter(word__trigram_similar=word)
                    .values_list("word", flat=True))
    padded = f"  {word} "
    trigrams = {padded[i:i + 3] for i in range(len(padded) - 2)}
    query = " OR ".join(f'"{trigram}"' for trigram in sorted(trigrams))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {WORD_TRIGRAMS} WHERE {WORD_TRIGRAMS} MATCH %s",
                       [query])
        return [row[0].strip() for row in cursor.fetchall()]


# --- Keeping SQLite's FTS5 tables in step (PostgreSQL indexes the tables themselves) ------


def add_documents(entries):
    if not _postgresql() and entries:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {DOCUMENTS} (rowid, document) VALUES (%s, %s)",
                [(entry.cluster_id, entry.document) for entry in entries],
            )
            cursor.executemany(
                f"INSERT INTO {NAMES} (rowid, name) VALUES (%s, %s)",
                [(entry.cluster_id, entry.name) for entry in entries],
            )


def forget_documents(cluster_ids):
    if not _postgresql() and cluster_ids:
        placeholders = ", ".join(["%s"] * len(cluster_ids))
        with connection.cursor() as cursor:
            for table in (DOCUMENTS, NAMES):
                cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({placeholders})",
                               list(cluster_ids))


def add_words(words):
    if not _postgresql() and words:
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {WORD_TRIGRAMS} (word) VALUES (%s)",
                               [(f"  {word} ",) for word in words])


def forget_everything():
    if not _postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {DOCUMENTS}")
            cursor.execute(f"DELETE FROM {NAMES}")
            cursor.execute(f"DELETE FROM {WORD_TRIGRAMS}")
