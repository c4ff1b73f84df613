from django.contrib import admin

from editorial.ordering import OrderedRowsMixin
from editorial.scoping import ClusterScopedMixin
from editorial.widgets import FIELD_OVERRIDES
from profiles.models import Cluster

from .models import FundedProgramme


class FundedProgrammeInline(OrderedRowsMixin, ClusterScopedMixin, admin.StackedInline):
    model = FundedProgramme
    section = dict(Cluster.SECTIONS)["programmes"]
    fields = [
        ("scope", "status", "role"),
        "name",
        "description",
        ("link", "funding_body"),
        ("start_date", "end_date"),
        "position",
    ]
    extra = 0
    classes = ["collapse"]
    formfield_overrides = FIELD_OVERRIDES
