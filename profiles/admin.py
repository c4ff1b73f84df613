from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cooperation.admin import PartnerClusterInline, TargetCountryInline, UndertakenActivityInline
from members.admin import CompositionInline, MajorPlayerInline
from programmes.admin import FundedProgrammeInline

from .models import (
    Cluster,
    ClusterExcellenceLabel,
    Contact,
    CooperationActivity,
    EmergingIndustry,
    IndustrialEcosystem,
    S3PriorityArea,
    SectoralIndustry,
    SupportService,
    TechnologyField,
)

SECTION = dict(Cluster.SECTIONS)


@admin.register(
    SectoralIndustry,
    TechnologyField,
    S3PriorityArea,
    EmergingIndustry,
    IndustrialEcosystem,
    ClusterExcellenceLabel,
    SupportService,
    CooperationActivity,
)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "name_es", "slug", "alias", "is_active", "position", "cluster_count"]
    list_editable = ["is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_es", "alias", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "name_es", "slug", "alias", "is_active", "position"]

    def get_queryset(self, request):
        # Count the profiles carrying each term, whichever relation holds it.
        relation = "clusters" if self.model is ClusterExcellenceLabel else "cluster"
        if self.model is CooperationActivity:
            relation = "undertakenactivity"
        return super().get_queryset(request).annotate(_clusters=Count(relation, distinct=True))

    def get_search_results(self, request, queryset, search_term):
        # Retired terms are not offered in the cluster form's autocomplete; a profile that
        # already carries one keeps it, because the selected values are rendered from the form.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates

    @admin.display(description=_("profiles"), ordering="_clusters")
    def cluster_count(self, term):
        return term._clusters


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["role", "name", "email", "phone_numbers", "position"]
        widgets = {"phone_numbers": forms.Textarea(attrs={"rows": 2, "cols": 22})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Editors see stored numbers the way visitors do, not as raw E.164.
        if self.instance.pk and not self.is_bound:
            self.initial["phone_numbers"] = "\n".join(self.instance.phones)


class ContactInline(admin.TabularInline):
    model = Contact
    form = ContactForm
    section = SECTION["general"]
    fields = ["role", "name", "email", "phone_numbers", "position"]
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    # Fieldsets follow the public tabs, in their order and under their headings; the change
    # form template places each inline under the fieldset named by its `section`.
    fieldsets = [
        (
            SECTION["general"],
            {
                "fields": [
                    ("name", "acronym"),
                    "slug",
                    ("country", "region", "city"),
                    "website",
                    "logo",
                    ("date_established", "management_staff_count"),
                    ("excellence_label", "excellence_label_awarded", "excellence_label_expires"),
                    "other_label",
                    "network_memberships",
                    "languages_spoken",
                ]
            },
        ),
        (
            SECTION["sectors"],
            {
                "fields": [
                    "sectoral_industries",
                    "technology_fields",
                    "s3_priority_areas",
                    "emerging_industries",
                    "industrial_ecosystems",
                    "specialisation_other",
                ]
            },
        ),
        (SECTION["composition"], {"fields": []}),
        (
            SECTION["strategy"],
            {
                "fields": [
                    "strategy",
                    ("has_formal_strategy", "has_internationalisation_strategy"),
                    "support_services",
                    "support_services_details",
                ]
            },
        ),
        (SECTION["cooperation"], {"fields": []}),
        (SECTION["programmes"], {"fields": ["why_choose_us"]}),
        (_("Publication"), {"fields": ["status"]}),
    ]
    inlines = [
        ContactInline,
        CompositionInline,
        MajorPlayerInline,
        TargetCountryInline,
        UndertakenActivityInline,
        PartnerClusterInline,
        FundedProgrammeInline,
    ]
    autocomplete_fields = [
        "sectoral_industries",
        "technology_fields",
        "s3_priority_areas",
        "support_services",
    ]
    filter_horizontal = ["emerging_industries", "industrial_ecosystems"]
    prepopulated_fields = {"slug": ["name"]}
    list_display = ["name", "acronym", "country", "status", "updated"]
    list_filter = ["status", "country", "excellence_label"]
    search_fields = ["name", "acronym", "city", "region", "slug"]
    list_select_related = ["excellence_label"]
    date_hierarchy = "updated"
    ordering = ["name"]
    save_on_top = True
    view_on_site = True
