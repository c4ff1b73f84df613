import collections

from django.db import migrations

MEMBERSHIP = ["total_members", "sme_members"]


def add_membership_keys(apps, schema_editor):
    """Give every indexed cluster its membership keys and count them, as the index's refresh
    does from now on (directory/facets.py `membership_keys`)."""
    Composition = apps.get_model("members", "Composition")
    FacetCount = apps.get_model("directory", "FacetCount")
    FacetKey = apps.get_model("directory", "FacetKey")
    SearchEntry = apps.get_model("directory", "SearchEntry")
    counts = collections.Counter()
    keys = []
    rows = (Composition.objects.filter(cluster_id__in=SearchEntry.objects.values("cluster_id"))
            .values_list("cluster_id", "total_members", "sme_members"))
    for cluster_id, *numbers in rows.iterator(chunk_size=5000):
        for facet, number in zip(MEMBERSHIP, numbers, strict=True):
            if number is not None:
                keys.append(FacetKey(cluster_id=cluster_id, facet=facet, value=str(number)))
                counts[facet, str(number)] += 1
    FacetKey.objects.bulk_create(keys, batch_size=5000, ignore_conflicts=True)
    FacetCount.objects.filter(facet__in=MEMBERSHIP).delete()
    FacetCount.objects.bulk_create(
        [FacetCount(facet=facet, value=value, clusters=clusters)
         for (facet, value), clusters in sorted(counts.items())], batch_size=5000)


def remove_membership_keys(apps, schema_editor):
    for model in ("FacetKey", "FacetCount"):
        apps.get_model("directory", model).objects.filter(facet__in=MEMBERSHIP).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0006_facet_keys_by_cluster_and_plain_vectors"),
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_membership_keys, remove_membership_keys),
    ]
