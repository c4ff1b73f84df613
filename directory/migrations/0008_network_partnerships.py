import collections

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def keep_partnerships(apps, schema_editor):
    """The partnerships between the published clusters and their counts between countries,
    as the index's refresh keeps them from now on (directory/index.py `_partnerships`)."""
    PartnerCluster = apps.get_model("cooperation", "PartnerCluster")
    Partnership = apps.get_model("directory", "Partnership")
    FacetCount = apps.get_model("directory", "FacetCount")
    rows = PartnerCluster.objects.filter(
        cluster__status="published", partner__status="published"
    ).values_list("cluster_id", "partner_id", "cluster__country", "partner__country")
    named, countries = set(), {}
    for cluster_id, partner_id, country, partner_country in rows.order_by().iterator(5000):
        named.add((cluster_id, partner_id))
        countries[cluster_id], countries[partner_id] = country, partner_country
    pairs = sorted({(min(pair), max(pair)) for pair in named})
    Partnership.objects.bulk_create(
        [Partnership(first_id=first, second_id=second, first_country=countries[first],
                     second_country=countries[second],
                     reciprocal=(first, second) in named and (second, first) in named)
         for first, second in pairs], batch_size=5000)
    counts = collections.Counter("-".join(sorted([countries[first], countries[second]]))
                                 for first, second in pairs)
    FacetCount.objects.bulk_create(
        [FacetCount(facet="partnerships", value=value, clusters=clusters)
         for value, clusters in sorted(counts.items())], batch_size=5000)
    SearchEntry = apps.get_model("directory", "SearchEntry")

    def partnerships_as(end):
        counted = (Partnership.objects.filter(**{end: OuterRef("cluster_id")}).order_by()
                   .values(end).annotate(count=Count("pk")).values("count"))
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    SearchEntry.objects.update(partners=partnerships_as("first_id") + partnerships_as("second_id"))


def forget_partnership_counts(apps, schema_editor):
    apps.get_model("directory", "FacetCount").objects.filter(facet="partnerships").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0007_membership_keys'),
        ('profiles', '0016_term_position_label'),
        ('cooperation', '0007_offer_countries_help'),
    ]

    operations = [
        migrations.CreateModel(
            name='Partnership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_country', models.CharField(max_length=2)),
                ('second_country', models.CharField(max_length=2)),
                ('reciprocal', models.BooleanField(default=False)),
                ('first', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='profiles.cluster')),
                ('second', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='profiles.cluster')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('first', 'second'), name='partnership_once'), models.CheckConstraint(condition=models.Q(('first__lt', models.F('second'))), name='partnership_lower_id_first')],
            },
        ),
        migrations.AddField(
            model_name='searchentry',
            name='partners',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=models.Index(fields=['-partners', 'cluster'], name='search_entry_partners_idx'),
        ),
        migrations.RunPython(keep_partnerships, forget_partnership_counts),
    ]
