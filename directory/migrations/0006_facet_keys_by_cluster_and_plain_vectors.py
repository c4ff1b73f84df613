import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL: a search checks the words against the tsvector of every cluster its choices
# leave, and decompressing a compressed tsvector costs most of that check. The document
# (never read back: the vector is made from it) moves out of the row first, uncompressed
# (EXTERNAL); the vector then fits in the row as it is (MAIN: compressed only if the row is
# still too long). Existing rows are rewritten (the generated vector is made again).
POSTGRESQL = [
    "ALTER TABLE directory_searchentry ALTER COLUMN document SET STORAGE EXTERNAL, "
    "ALTER COLUMN vector SET STORAGE MAIN",
    "UPDATE directory_searchentry SET document = document",
]
POSTGRESQL_REVERSE = [
    "ALTER TABLE directory_searchentry ALTER COLUMN document SET STORAGE EXTENDED, "
    "ALTER COLUMN vector SET STORAGE EXTENDED",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0005_place_and_period_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="facetkey",
            name="cluster",
            field=models.ForeignKey(db_index=False,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name="facet_keys", to="profiles.cluster"),
        ),
        migrations.RunPython(run(POSTGRESQL), run(POSTGRESQL_REVERSE)),
    ]
