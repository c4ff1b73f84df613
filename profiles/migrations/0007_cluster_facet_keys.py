from django.db import migrations, models

import django.contrib.postgres.fields

# The directory's facet keys (profiles/facets.py) get a GIN index and are filled for the
# clusters already there; on PostgreSQL only, like the search document (SQLite never reads
# them). The SQL is frozen here as profiles.facets computed it when this migration was written.
FILL = """
UPDATE profiles_cluster SET facet_keys = ARRAY(
    SELECT 'country:' || profiles_cluster.country
    UNION ALL SELECT 'label:' || profiles_cluster.excellence_label_id
        WHERE profiles_cluster.excellence_label_id IS NOT NULL
    UNION ALL SELECT DISTINCT 'target:' || t.country FROM cooperation_targetcountry t
        WHERE t.cluster_id = profiles_cluster.id
    UNION ALL SELECT 'sector:' || l.sectoralindustry_id FROM profiles_cluster_sectoral_industries l
        WHERE l.cluster_id = profiles_cluster.id
    UNION ALL SELECT 'technology:' || l.technologyfield_id FROM profiles_cluster_technology_fields l
        WHERE l.cluster_id = profiles_cluster.id
    UNION ALL SELECT 's3:' || l.s3priorityarea_id FROM profiles_cluster_s3_priority_areas l
        WHERE l.cluster_id = profiles_cluster.id
    UNION ALL SELECT 'emerging:' || l.emergingindustry_id FROM profiles_cluster_emerging_industries l
        WHERE l.cluster_id = profiles_cluster.id
    UNION ALL SELECT 'ecosystem:' || l.industrialecosystem_id
        FROM profiles_cluster_industrial_ecosystems l WHERE l.cluster_id = profiles_cluster.id
    UNION ALL SELECT CASE WHEN c.total_members <= 49 THEN 'members:1-49'
                          WHEN c.total_members <= 249 THEN 'members:50-249'
                          ELSE 'members:250+' END
        FROM members_composition c
        WHERE c.cluster_id = profiles_cluster.id AND c.total_members >= 1
)
"""
POSTGRESQL_ONLY = [
    "CREATE INDEX IF NOT EXISTS cluster_facet_keys_gin ON profiles_cluster USING gin (facet_keys)",
    FILL,
]
POSTGRESQL_ONLY_REVERSE = ["DROP INDEX IF EXISTS cluster_facet_keys_gin"]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("profiles", "0006_editors_group"),
        ("cooperation", "0001_initial"),
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="cluster",
            name="facet_keys",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.TextField(), blank=True, editable=False, null=True, size=None
            ),
        ),
        migrations.RunPython(
            on_postgresql(POSTGRESQL_ONLY), on_postgresql(POSTGRESQL_ONLY_REVERSE)
        ),
    ]
