from django import forms
from django.contrib import admin

from editorial.ordering import OrderedRowsMixin
from editorial.scoping import ClusterScopedMixin
from editorial.widgets import RowCountryMixin
from profiles.models import Cluster

from .models import PartnerCluster, TargetCountry, UndertakenActivity

SECTION = dict(Cluster.SECTIONS)


# Every inline is stacked: each input has its own label, and the rows fit a phone's width.
class TargetCountryInline(RowCountryMixin, ClusterScopedMixin, admin.StackedInline):
    model = TargetCountry
    section = SECTION["cooperation"]
    fields = [("scope", "country")]
    classes = ["collapse"]
    extra = 0


class UndertakenActivityInline(ClusterScopedMixin, admin.StackedInline):
    model = UndertakenActivity
    section = SECTION["cooperation"]
    fields = [("scope", "activity")]
    classes = ["collapse"]
    extra = 0

    def get_queryset(self, request):
        # Each row's heading names its activity: read with the rows, not once per row.
        return super().get_queryset(request).select_related("activity")


class PartnerClusterForm(forms.ModelForm):
    """A partner row: its name and country, or its profile on the portal, which gives both."""

    class Meta:
        model = PartnerCluster
        fields = ["name", "country", "link", "partner", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled in from the chosen profile on save (PartnerCluster.clean).
        self.fields["name"].required = False


class PartnerClusterInline(
    RowCountryMixin, OrderedRowsMixin, ClusterScopedMixin, admin.StackedInline
):
    model = PartnerCluster
    form = PartnerClusterForm
    section = SECTION["cooperation"]
    fk_name = "cluster"
    fields = ["partner", ("name", "country"), "link", "position"]
    classes = ["collapse"]
    autocomplete_fields = ["partner"]
    extra = 0

# The staff's inbox of messages from visitors and the offers' admin live in their own modules.
from . import admin_inbox, admin_offers  # noqa: E402, F401
