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


class MajorPlayerInline(OrderedRowsMixin, ClusterScopedMixin, admin.StackedInline):
    model = MajorPlayer
    section = SECTION["composition"]
    fields = [("name", "link"), "position"]
    classes = ["collapse"]
    extra = 0
