"""Receivers that keep what is derived from a cluster current, whoever writes (the admin,
imports, the shell, fixtures):

- the stored search document (directory/search.py), when the cluster or its partner list
  changes;
- the directory's facet keys (directory/facets.py), when the cluster, its terms (M2M), its
  composition or its target countries change; each such change also bumps the directory's
  data version, which keys the cached counts and each app server's copy of the vocabularies
  (directory/directory_terms.py), as does any change to a vocabulary term;
- the public "Last updated" date, when one of its parts (a contact, a partner…) changes.

The directory receivers also run for fixtures (raw saves), so that `loaddata` yields a
searchable, countable directory.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from directory import facets

from .models import Cluster, Term


@receiver(post_save, sender=Cluster, dispatch_uid="cluster_search_vector")
def cluster_saved(sender, instance, raw, using, **kwargs):
    Cluster.objects.using(using).filter(pk=instance.pk).refresh_directory_columns()
    facets.bump_data_version()


@receiver(post_delete, sender=Cluster, dispatch_uid="cluster_deleted_facets")
def cluster_deleted(sender, instance, using, **kwargs):
    facets.bump_data_version()


@receiver(post_save, sender="cooperation.PartnerCluster", dispatch_uid="partner_saved_search")
@receiver(post_delete, sender="cooperation.PartnerCluster", dispatch_uid="partner_gone_search")
def partner_changed(sender, instance, using, **kwargs):
    Cluster.objects.using(using).filter(pk=instance.cluster_id).refresh_search_vectors()


def part_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loading a fixture keeps the dates it carries
        return
    # A queryset update: no history record and no signals for a date that moves anyway.
    Cluster.objects.filter(pk=instance.cluster_id).update_derived(updated=timezone.now())


for part in Cluster.part_models():
    post_save.connect(part_changed, sender=part, dispatch_uid=f"part_saved_{part.__name__}")
    post_delete.connect(part_changed, sender=part, dispatch_uid=f"part_deleted_{part.__name__}")


@receiver(post_save, sender="members.Composition", dispatch_uid="composition_saved_facets")
@receiver(post_delete, sender="members.Composition", dispatch_uid="composition_gone_facets")
@receiver(post_save, sender="cooperation.TargetCountry", dispatch_uid="target_saved_facets")
@receiver(post_delete, sender="cooperation.TargetCountry", dispatch_uid="target_gone_facets")
def facet_row_changed(sender, instance, using, **kwargs):
    Cluster.objects.using(using).filter(pk=instance.cluster_id).refresh_facet_keys()
    facets.bump_data_version()


def terms_changed(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    """A cluster's terms of one facet changed, from either side of the relation."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    clusters = Cluster.objects.using(using)
    if not reverse:
        clusters = clusters.filter(pk=instance.pk)
    elif pk_set is not None:
        clusters = clusters.filter(pk__in=pk_set)
    else:
        # term.cluster_set.clear(): the links are gone, the keys still name the term.
        clusters = _clusters_keyed(clusters, _facet_of(sender, "through"), instance.pk)
    clusters.refresh_facet_keys()
    facets.bump_data_version()


def term_deleted(sender, instance, using, **kwargs):
    """Deleting a term deletes its links without an m2m_changed signal."""
    clusters = _clusters_keyed(Cluster.objects.using(using), _facet_of(sender), instance.pk)
    clusters.refresh_facet_keys()
    facets.bump_data_version()


def _clusters_keyed(clusters, facet, pk):
    return clusters.filter(facet_keys__contains=[facets.key(facet, pk)])


def _facet_of(model, side="related_model"):
    for facet, relation in facets.TERM_FACETS.items():
        field = Cluster._meta.get_field(relation)
        if (field.remote_field.through if side == "through" else field.related_model) is model:
            return facet
    raise LookupError(model)


def vocabulary_changed(sender, **kwargs):
    """A term added, relabelled, moved or deleted: every app server reads the vocabularies
    again."""
    facets.bump_data_version()


for _term_model in Term.__subclasses__():
    post_save.connect(vocabulary_changed, sender=_term_model, dispatch_uid="vocabulary_saved")
    post_delete.connect(vocabulary_changed, sender=_term_model, dispatch_uid="vocabulary_gone")


for _relation in facets.TERM_FACETS.values():
    _field = Cluster._meta.get_field(_relation)
    m2m_changed.connect(
        terms_changed, sender=_field.remote_field.through,
        dispatch_uid=f"cluster_{_relation}_facets",
    )
    post_delete.connect(
        term_deleted, sender=_field.related_model, dispatch_uid=f"{_relation}_term_deleted",
    )
