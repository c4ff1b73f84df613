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
    extra = 0
    max_num = 1
    can_delete = False


class MajorPlayerInline(OrderedRowsMixin, ClusterScopedMixin, admin.TabularInline):
    model = MajorPlayer
    section = SECTION["composition"]
    fields = ["name", "link", "position"]
    extra = 0
