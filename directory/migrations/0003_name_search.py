from django.db import migrations

# The folded name gets a full-text index of its own, as the document has (0002): ranking the
# clusters whose name holds the words first then reads an index, not every entry.
POSTGRESQL = [
    "ALTER TABLE directory_searchentry ADD COLUMN name_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name)) STORED",
    "CREATE INDEX directory_name_gin ON directory_searchentry USING gin (name_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS directory_name_gin",
    "ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS name_vector",
]
SQLITE = [
    "CREATE VIRTUAL TABLE directory_name_fts USING fts5(name, "
    "tokenize = 'unicode61 remove_diacritics 0')",
    "INSERT INTO directory_name_fts (rowid, name) SELECT cluster_id, name FROM directory_searchentry",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS directory_name_fts"]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0002_search_backends"),
    ]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
