"""Receivers that keep what is derived from a cluster current, whoever writes (the admin,
imports, the shell, fixtures):

- the stored search document, when the cluster or its partner list changes;
- the public "Last updated" date, when one of its parts (a contact, a partner…) changes.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Cluster


@receiver(post_save, sender=Cluster, dispatch_uid="cluster_search_vector")
def cluster_saved(sender, instance, raw, using, **kwargs):
    # Also for fixtures (raw saves), so that `loaddata` yields searchable profiles.
    Cluster.objects.using(using).filter(pk=instance.pk).refresh_search_vectors()


@receiver(post_save, sender="cooperation.PartnerCluster", dispatch_uid="partner_saved_search")
@receiver(post_delete, sender="cooperation.PartnerCluster", dispatch_uid="partner_gone_search")
def partner_changed(sender, instance, using, **kwargs):
    Cluster.objects.using(using).filter(pk=instance.cluster_id).refresh_search_vectors()


def part_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loading a fixture keeps the dates it carries
        return
    # A queryset update: no history record and no signals for a date that moves anyway.
    Cluster.objects.filter(pk=instance.cluster_id).update(updated=timezone.now())


for part in Cluster.part_models():
    post_save.connect(part_changed, sender=part, dispatch_uid=f"part_saved_{part.__name__}")
    post_delete.connect(part_changed, sender=part, dispatch_uid=f"part_deleted_{part.__name__}")
