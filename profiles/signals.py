"""Receivers that keep what is derived from a cluster current, whoever writes (the admin,
imports, the shell, fixtures):

- the directory's index (`directory.index.refresh`: search document, facet keys, data
  version), when the cluster, its terms (M2M, from either side), its composition, target
  countries or partners change, and when a vocabulary term is saved or deleted;
- the public "Last updated" date, when one of its parts (a contact, a partner…) changes.

The directory receivers also run for fixtures (raw saves), so that `loaddata` yields a
searchable, countable directory.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from directory import index

from .models import TERM_RELATIONS, Cluster, Term


@receiver(post_save, sender=Cluster, dispatch_uid="cluster_saved_directory")
@receiver(post_delete, sender=Cluster, dispatch_uid="cluster_deleted_directory")
def cluster_changed(sender, instance, **kwargs):
    index.refresh([instance.pk])


@receiver(post_save, sender="cooperation.PartnerCluster", dispatch_uid="partner_saved_search")
@receiver(post_delete, sender="cooperation.PartnerCluster", dispatch_uid="partner_gone_search")
@receiver(post_save, sender="members.Composition", dispatch_uid="composition_saved_facets")
@receiver(post_delete, sender="members.Composition", dispatch_uid="composition_gone_facets")
@receiver(post_save, sender="cooperation.TargetCountry", dispatch_uid="target_saved_facets")
@receiver(post_delete, sender="cooperation.TargetCountry", dispatch_uid="target_gone_facets")
def indexed_part_changed(sender, instance, **kwargs):
    index.refresh([instance.cluster_id])


def part_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loading a fixture keeps the dates it carries
        return
    # A queryset update: no history record and no signals for a date that moves anyway.
    Cluster.objects.filter(pk=instance.cluster_id).update_derived(updated=timezone.now())


for part in Cluster.part_models():
    post_save.connect(part_changed, sender=part, dispatch_uid=f"part_saved_{part.__name__}")
    post_delete.connect(part_changed, sender=part, dispatch_uid=f"part_deleted_{part.__name__}")


def terms_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A cluster's terms of one vocabulary changed, from either side of the relation."""
    if action == "pre_clear" and reverse:
        # term.cluster_set.clear(): after it, nothing says which clusters carried the term.
        instance._directory_clusters = list(
            sender.objects.filter(**{_term_column(sender): instance.pk})
            .values_list("cluster_id", flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        index.refresh([instance.pk])
    elif pk_set is not None:
        index.refresh(pk_set)
    else:
        index.refresh(getattr(instance, "_directory_clusters", []))


def term_saved(sender, instance, **kwargs):
    """A term relabelled: the documents of the clusters carrying it hold its labels."""
    index.refresh(_clusters_carrying(sender, instance))


def term_deleting(sender, instance, **kwargs):
    """Deleting a term deletes its links without an m2m_changed signal: note the clusters
    carrying it while the links are there, refresh them once it is gone."""
    instance._directory_clusters = _clusters_carrying(sender, instance)


def term_deleted(sender, instance, **kwargs):
    index.refresh(getattr(instance, "_directory_clusters", []))


def _clusters_carrying(term_model, term):
    if term_model is Cluster._meta.get_field("excellence_label").related_model:
        return list(Cluster.objects.filter(excellence_label=term).values_list("pk", flat=True))
    ids = []
    for relation in TERM_RELATIONS:
        field = Cluster._meta.get_field(relation)
        if field.related_model is term_model:
            through = field.remote_field.through
            ids += through.objects.filter(**{_term_column(through): term.pk}).values_list(
                "cluster_id", flat=True
            )
    return ids


def _term_column(through):
    """The link table's column naming the term (`sectoralindustry_id`…)."""
    for field in through._meta.get_fields():
        if field.many_to_one and field.name != "cluster":
            return field.attname
    raise LookupError(through)


for _term_model in Term.__subclasses__():
    post_save.connect(term_saved, sender=_term_model, dispatch_uid="vocabulary_saved")
    pre_delete.connect(term_deleting, sender=_term_model, dispatch_uid="vocabulary_deleting")
    post_delete.connect(term_deleted, sender=_term_model, dispatch_uid="vocabulary_gone")

for _relation in TERM_RELATIONS:
    m2m_changed.connect(
        terms_changed, sender=Cluster._meta.get_field(_relation).remote_field.through,
        dispatch_uid=f"cluster_{_relation}_directory",
    )
