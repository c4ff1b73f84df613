"""Vocabulary labels per language in one `labels` column ({"es": "…"}) instead of `name_es`.

A language added to settings.LANGUAGES then needs its labels, not a migration per vocabulary.
The Spanish labels, shipped by 0004 or written by editors, move into labels["es"]; going back
moves them into name_es again.
"""

from django.db import migrations, models

VOCABULARIES = [
    "clusterexcellencelabel",
    "cooperationactivity",
    "emergingindustry",
    "industrialecosystem",
    "s3priorityarea",
    "sectoralindustry",
    "supportservice",
    "technologyfield",
]


def spanish_into_labels(apps, schema_editor):
    for model_name in VOCABULARIES:
        model = apps.get_model("profiles", model_name)
        terms = list(model.objects.exclude(name_es=""))
        for term in terms:
            term.labels = {**term.labels, "es": term.name_es}
        model.objects.bulk_update(terms, ["labels"])


def spanish_out_of_labels(apps, schema_editor):
    for model_name in VOCABULARIES:
        model = apps.get_model("profiles", model_name)
        terms = [term for term in model.objects.all() if term.labels.get("es")]
        for term in terms:
            term.name_es = term.labels["es"][:200]
        model.objects.bulk_update(terms, ["name_es"])


LABELS = models.JSONField(
    blank=True,
    default=dict,
    help_text=(
        'Language code → label, e.g. {"es": "Turismo"}. '
        "The English label is used for a language without one."
    ),
    verbose_name="labels in other languages",
)


class Migration(migrations.Migration):
    dependencies = [("profiles", "0008_remove_cluster_search_vector_facet_keys")]

    operations = [
        *(
            migrations.AddField(model_name=name, name="labels", field=LABELS.clone())
            for name in VOCABULARIES
        ),
        migrations.RunPython(spanish_into_labels, spanish_out_of_labels),
        *(migrations.RemoveField(model_name=name, name="name_es") for name in VOCABULARIES),
    ]
