"""A change to a cluster's part (a contact, a partner…) is a change to its public profile.

Receivers rather than admin hooks, so that every writer (the admin, imports, the shell) moves
the profile's "last updated" date.
"""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import Cluster


def part_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loading a fixture keeps the dates it carries
        return
    # A queryset update: no history record and no signals for a date that moves anyway.
    Cluster.objects.filter(pk=instance.cluster_id).update(updated=timezone.now())


for part in Cluster.part_models():
    post_save.connect(part_changed, sender=part, dispatch_uid=f"part_saved_{part.__name__}")
    post_delete.connect(part_changed, sender=part, dispatch_uid=f"part_deleted_{part.__name__}")
