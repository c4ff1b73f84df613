"""Keep a cluster's "last updated" date and completeness score in step with its parts.

Receivers rather than admin hooks, so that every writer (the admin, imports, the shell, fixtures)
moves them: a change to a contact or a partner is a change to the public profile.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import Cluster

# The vocabularies chosen on the profile; `staff` is not public and does not date the profile.
PUBLIC_M2M_FIELDS = [
    "sectoral_industries",
    "technology_fields",
    "s3_priority_areas",
    "emerging_industries",
    "industrial_ecosystems",
    "support_services",
]


def cluster_changed(cluster_id, *, bump=True):
    cluster = Cluster.objects.filter(pk=cluster_id).first()
    if cluster is None:  # the cluster itself is being deleted
        return
    if bump:
        # A queryset update: no history record and no recursion for a date that moves anyway.
        Cluster.objects.filter(pk=cluster_id).update(updated=timezone.now())
    cluster.refresh_completeness()


def cluster_saved(sender, instance, **kwargs):
    cluster_changed(instance.pk, bump=False)


def part_saved(sender, instance, raw=False, **kwargs):
    # Loading a fixture keeps the dates it carries.
    cluster_changed(instance.cluster_id, bump=not raw)


def part_deleted(sender, instance, **kwargs):
    cluster_changed(instance.cluster_id)


def vocabulary_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # a term's clusters changed
        for cluster_id in pk_set or []:
            cluster_changed(cluster_id)
    else:
        cluster_changed(instance.pk)


post_save.connect(cluster_saved, sender=Cluster, dispatch_uid="cluster_completeness")
for part in Cluster.part_models():
    post_save.connect(part_saved, sender=part, dispatch_uid=f"part_saved_{part.__name__}")
    post_delete.connect(part_deleted, sender=part, dispatch_uid=f"part_deleted_{part.__name__}")
for field in PUBLIC_M2M_FIELDS:
    through = getattr(Cluster, field).through
    m2m_changed.connect(vocabulary_changed, sender=through, dispatch_uid=f"m2m_{field}")
