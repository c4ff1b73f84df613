from django.db import migrations

# The directory keeps its own index now (directory.SearchEntry, FacetKey): the two stored
# columns go, with their GIN indexes, and so does the trigram index on the name (PostgreSQL
# only, like the migration that made it), which no query reads any more.


def drop_name_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cluster_name_trgm")


def create_name_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS cluster_name_trgm ON profiles_cluster "
            "USING gin (name gin_trgm_ops)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("profiles", "0007_cluster_facet_keys"),
    ]

    operations = [
        migrations.RemoveField(model_name="cluster", name="facet_keys"),
        migrations.RemoveField(model_name="cluster", name="search_vector"),
        migrations.RunPython(drop_name_trigram_index, create_name_trigram_index),
    ]
