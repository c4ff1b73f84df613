from django import forms
from django.contrib import admin

from editorial.ordering import OrderedRowsMixin
from editorial.scoping import ClusterScopedMixin
from profiles.models import Cluster

from .models import PartnerCluster, TargetCountry, UndertakenActivity

SECTION = dict(Cluster.SECTIONS)


class TargetCountryInline(ClusterScopedMixin, admin.TabularInline):
    model = TargetCountry
    section = SECTION["cooperation"]
    fields = ["scope", "country"]
    extra = 0


class UndertakenActivityInline(ClusterScopedMixin, admin.TabularInline):
    model = UndertakenActivity
    section = SECTION["cooperation"]
    fields = ["scope", "activity"]
    autocomplete_fields = ["activity"]
    extra = 0


class PartnerClusterForm(forms.ModelForm):
    """A partner row: its name and country, or its profile on the portal, which gives both."""

    class Meta:
        model = PartnerCluster
        fields = ["name", "country", "link", "partner", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled in from the chosen profile on save (PartnerCluster.clean).
        self.fields["name"].required = False


class PartnerClusterInline(OrderedRowsMixin, ClusterScopedMixin, admin.TabularInline):
    model = PartnerCluster
    form = PartnerClusterForm
    section = SECTION["cooperation"]
    fk_name = "cluster"
    fields = ["name", "country", "link", "partner", "position"]
    autocomplete_fields = ["partner"]
    extra = 0
