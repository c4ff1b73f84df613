"""The vocabularies' admin (editors only): each term with its label in every language of
settings.LANGUAGES, how many profiles carry it, and what a change to it refreshes."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextInputWidget
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cluster_portal import changes
from editorial.scoping import EditorsOnlyMixin
from profiles import models as profiles
from profiles.models import Term


class TermForm(forms.ModelForm):
    """A term with its English label (`name`) and one label field per other language of
    settings.LANGUAGES, kept in the term's `labels`: adding a language adds its field."""

    class Meta:
        fields = ["name", "slug", "alias", "is_active", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, language in Term.other_languages():
            self.fields[label_field(code)] = forms.CharField(
                label=gettext("Label (%(language)s)") % {"language": language},
                max_length=200,
                required=False,
                widget=AdminTextInputWidget,
                initial=self.instance.labels.get(code, ""),
                help_text=gettext(
                    "Shown on the site in %(language)s; the English label is used when empty."
                ) % {"language": language},
            )

    def save(self, commit=True):
        for code, _language in Term.other_languages():
            self.instance.set_label(code, self.cleaned_data[label_field(code)])
        return super().save(commit)


def label_field(language_code):
    return f"label_{language_code}"


@admin.register(
    profiles.SectoralIndustry,
    profiles.TechnologyField,
    profiles.S3PriorityArea,
    profiles.EmergingIndustry,
    profiles.IndustrialEcosystem,
    profiles.ClusterExcellenceLabel,
    profiles.SupportService,
    profiles.CooperationActivity,
)
class TermAdmin(EditorsOnlyMixin, admin.ModelAdmin):
    form = TermForm
    list_display = ["name", "other_labels", "slug", "alias", "is_active", "position",
                    "cluster_count"]
    list_editable = ["is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["name", "alias", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_fields(self, request, obj=None):
        languages = [label_field(code) for code, _language in Term.other_languages()]
        return ["name", *languages, "slug", "alias", "is_active", "position"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The label fields are the form's own (added from settings.LANGUAGES), not the model's.
        kwargs["fields"] = TermForm.Meta.fields
        return super().get_form(request, obj, change, **kwargs)

    def get_search_fields(self, request):
        # The labels in every language, too (the cluster form's autocomplete uses these).
        languages = [f"labels__{code}" for code, _language in Term.other_languages()]
        return [*self.search_fields, *languages]

    def get_queryset(self, request):
        # Count the profiles carrying each term, whichever relation holds it.
        relation = "clusters" if self.model is profiles.ClusterExcellenceLabel else "cluster"
        if self.model is profiles.CooperationActivity:
            relation = "undertakenactivity"
        # Meta.ordering does not apply to a grouped query: order explicitly, for pagination.
        return (
            super()
            .get_queryset(request)
            .annotate(_clusters=Count(relation, distinct=True))
            .order_by(*self.model._meta.ordering)
        )

    def get_search_results(self, request, queryset, search_term):
        # Retired terms are not offered in the cluster form's autocomplete; a profile that
        # already carries one keeps it, because the selected values are rendered from the form.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates

    @admin.display(description=_("other languages"))
    def other_labels(self, term):
        return "; ".join(
            f"{code}: {term.labels[code]}"
            for code, _language in Term.other_languages()
            if term.labels.get(code)
        )

    @admin.display(description=_("profiles"), ordering="_clusters")
    def cluster_count(self, term):
        return term._clusters

    # Also called by the changelist for its editable columns (offered, position).
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes.term_changed(obj)

    def delete_model(self, request, obj):
        with changes.terms_deleted([obj]):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with changes.terms_deleted(list(queryset)):
            super().delete_queryset(request, queryset)
