from django.db import migrations

# What only one database has (directory/backends.py reads it).
# PostgreSQL: pg_trgm (a "trusted" extension: the database owner may create it), the
# document's tsvector as a generated column (PostgreSQL keeps it in step; stored, so that
# checking a row never parses its document again) with a GIN index, and a trigram index on
# the known words.
# SQLite: an FTS5 table of the documents (already folded: the tokenizer only splits them at
# spaces) and an FTS5 trigram table of the known words, both filled by directory.index.
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE directory_searchentry ADD COLUMN vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, document)) STORED",
    "CREATE INDEX directory_document_gin ON directory_searchentry USING gin (vector)",
    "CREATE INDEX directory_word_trgm ON directory_searchword USING gin (word gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS directory_word_trgm",
    "DROP INDEX IF EXISTS directory_document_gin",
    "ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS vector",
]
SQLITE = [
    "CREATE VIRTUAL TABLE directory_document_fts USING fts5(document, "
    "tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE directory_word_trigram_fts USING fts5(word, tokenize = 'trigram')",
]
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS directory_document_fts",
    "DROP TABLE IF EXISTS directory_word_trigram_fts",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
