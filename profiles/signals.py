"""Keep each cluster's stored search document current when it or its partner list changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Cluster


@receiver(post_save, sender=Cluster, dispatch_uid="cluster_search_vector")
def cluster_saved(sender, instance, raw, using, **kwargs):
    # Also for fixtures (raw saves), so that `loaddata` yields searchable profiles.
    Cluster.objects.using(using).filter(pk=instance.pk).refresh_search_vectors()


@receiver(post_save, sender="cooperation.PartnerCluster", dispatch_uid="partner_saved_search")
@receiver(post_delete, sender="cooperation.PartnerCluster", dispatch_uid="partner_gone_search")
def partner_changed(sender, instance, using, **kwargs):
    Cluster.objects.using(using).filter(pk=instance.cluster_id).refresh_search_vectors()
