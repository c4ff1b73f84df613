"""The index's two new kinds of key: the period a cluster was established in (a facet) and
the cell of the map's grid its location lies in (the map's points). Added for the clusters
an existing index holds; from now on the refresh writes them with the others."""

import collections

from django.db import migrations

from directory.facets import PLACE, cell_of, period_of


def add_keys(apps, schema_editor):
    remove_keys(apps, schema_editor)  # an index refreshed by newer code may hold some
    Cluster = apps.get_model("profiles", "Cluster")
    FacetKey = apps.get_model("directory", "FacetKey")
    FacetCount = apps.get_model("directory", "FacetCount")
    indexed = FacetKey.objects.filter(facet="country").values("cluster_id")
    keys = []
    for pk, established, latitude, longitude in Cluster.objects.filter(
        pk__in=indexed
    ).values_list("pk", "date_established", "latitude", "longitude"):
        if period := period_of(established):
            keys.append(FacetKey(cluster_id=pk, facet="established", value=period))
        if cell := cell_of(latitude, longitude):
            keys.append(FacetKey(cluster_id=pk, facet=PLACE, value=cell))
    FacetKey.objects.bulk_create(keys, batch_size=1000)
    counts = collections.Counter((key.facet, key.value) for key in keys)
    FacetCount.objects.bulk_create(
        [FacetCount(facet=facet, value=value, clusters=clusters)
         for (facet, value), clusters in sorted(counts.items())],
        batch_size=1000,
    )


def remove_keys(apps, schema_editor):
    for model in ("FacetKey", "FacetCount"):
        apps.get_model("directory", model).objects.filter(
            facet__in=["established", PLACE]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0004_facet_counts"),
        ("profiles", "0012_cluster_location"),
    ]

    operations = [migrations.RunPython(add_keys, remove_keys)]
