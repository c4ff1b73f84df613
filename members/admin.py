from django.contrib import admin

from editorial.ordering import OrderedRowsMixin
from editorial.scoping import ClusterScopedMixin
from profiles.models import Cluster

from .models import Composition, MajorPlayer

SECTION = dict(Cluster.SECTIONS)


class CompositionInline(ClusterScopedMixin, admin.StackedInline):
    model = Composition
    section = SECTION["composition"]
    fields = [
        "total_members",
        ("sme_members", "large_company_members"),
        ("research_members", "other_members"),
        "entrepreneurship_facilities",
    ]
    # One set of figures per cluster: its empty form is there to fill in (an empty one is not
    # saved), rather than an "Add another Membership figures" link.
    extra = 1
    max_num = 1
    can_delete = False
    classes = ["collapse"]

    def has_add_permission(self, request, obj=None):
        # Once the cluster has its figures there is nothing to add, nor an empty row for "Add
        # another" to copy (the change form reads the figures with the profile).
        if obj is not None and hasattr(obj, "composition"):
            return False
        return super().has_add_permission(request, obj)


class MajorPlayerInline(OrderedRowsMixin, ClusterScopedMixin, admin.StackedInline):
    model = MajorPlayer
    section = SECTION["composition"]
    fields = [("name", "link"), "position"]
    classes = ["collapse"]
    extra = 0
