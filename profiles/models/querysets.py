"""Which clusters a query gets (the published ones, those a user may edit…) and what it
loads with them for the profile's tabs.

The queryset reaches the Cluster as `self.model`: the model's module imports this one.
"""

from django.db import models
from django.db.models import Q

from .editors import is_editor


class ClusterQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: the only starting point of public views, search and exports."""
        return self.filter(status=self.model.Status.PUBLISHED)

    def editable_by(self, user):
        """The profiles `user` may edit: all for editors, their own cluster(s) for staff."""
        if is_editor(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        staffed = self.model.staff.through.objects.filter(user=user)
        return self.filter(pk__in=staffed.values("cluster"))

    def referable_by(self, user):
        """Profiles `user` may name as a partner: their own and any published one (public)."""
        if is_editor(user):
            return self.all()
        return self.filter(
            Q(status=self.model.Status.PUBLISHED) | Q(pk__in=self.editable_by(user).values("pk"))
        )

    def with_filled_tabs(self):
        """Annotate `filled_<tab>` for every public tab: whether it has anything to show.

        The tab bar, the print view and `section_is_filled()` read these (Cluster.tab_conditions).
        """
        return self.annotate(**{
            f"filled_{slug}": models.Case(
                models.When(condition, then=True), default=False,
                output_field=models.BooleanField(),
            )
            for slug, condition in self.model.tab_conditions().items()
        })

    def with_completeness(self):
        """Annotate `filled_section_count`, the number of filled public tabs.

        Computed in the query, not stored, so that it can never be stale and the admin can
        sort by it; the same conditions as `with_filled_tabs()`.
        """
        count = sum(
            (models.Case(models.When(condition, then=1), default=0)
             for condition in self.model.tab_conditions().values()),
            start=models.Value(0),
        )
        return self.annotate(filled_section_count=count)

    def with_profile(self):
        """Everything a profile page shows, in a fixed number of queries."""
        cluster = self.model
        relations = [r for slug, _title in cluster.SECTIONS for r in cluster.tab_relations(slug)]
        return (
            self.select_related("excellence_label", "composition")
            .with_filled_tabs()
            .prefetch_related(*[cluster.tab_prefetch(relation) for relation in relations])
        )

    def with_tab(self, section):
        """What one profile tab shows, and the header's key facts; for the other tabs, only
        whether they have anything.

        Three queries for most tabs instead of with_profile()'s thirteen: a tab page spent
        three quarters of its time building queries for rows it did not show (bench/load.py).
        """
        cluster = self.model
        relations = dict.fromkeys([*cluster.tab_relations(section), *cluster.HEADER_RELATIONS])
        return (
            self.select_related("excellence_label", "composition")
            .with_filled_tabs()
            .prefetch_related(*[cluster.tab_prefetch(relation) for relation in relations])
        )


class ClusterManager(models.Manager.from_queryset(ClusterQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)
