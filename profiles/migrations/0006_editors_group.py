from django.db import migrations

# The group whose members are portal editors (see profiles.models.is_editor). Access is
# decided by role in profiles/scoping.py, so the group needs no model permissions.
EDITORS_GROUP = "Editors"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=EDITORS_GROUP)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0005_cluster_staff_workflow_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
