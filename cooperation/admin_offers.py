"""Cooperation offers in the admin: each cluster's staff write, publish and close their own.

No editors' review: an offer is the cluster's own dated announcement, shown only while the
cluster's profile is published (which the editors did review), and a review would hold a
call for partners past its deadline. Editors see every offer and can close any of them.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cluster_portal import changes
from editorial.scoping import ClusterScopedMixin
from editorial.widgets import FIELD_OVERRIDES, media_with_nonce
from opendata.tasks import render_pdfs_after_edit
from profiles.models import Contact, is_editor

from .offers import CooperationOffer


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contact):
        # The role is what the public page shows; the name tells two managers apart.
        return f"{contact.role} — {contact.name}" if contact.name else contact.role


class CooperationOfferForm(forms.ModelForm):
    class Meta:
        model = CooperationOffer
        fields = [
            "cluster", "kind", "title", "slug", "description", "sectoral_industries",
            "technology_fields", "industrial_ecosystems", "target_countries", "deadline",
            "contact", "status",
        ]

    def clean(self):
        cleaned = super().clean()
        contact, cluster = cleaned.get("contact"), cleaned.get("cluster")
        if contact and cluster and contact.cluster_id != cluster.pk:
            self.add_error("contact", _("Choose a contact of the offer's own cluster."))
        return cleaned


@admin.register(CooperationOffer)
class CooperationOfferAdmin(ClusterScopedMixin, admin.ModelAdmin):
    form = CooperationOfferForm
    formfield_overrides = FIELD_OVERRIDES
    fieldsets = [
        (None, {"fields": ["cluster", "kind", "title", "slug", "description"]}),
        (_("Who it is for"), {"fields": [
            "sectoral_industries", "technology_fields", "industrial_ecosystems",
            "target_countries",
        ]}),
        (_("Answers and publication"), {
            "fields": ["deadline", "contact", "status"],
            "description": _(
                "A published offer is public at once on /cooperation-offers/ and on your "
                "profile, while the profile is published. It leaves the lists the day after "
                "its deadline, or when you close it."
            ),
        }),
    ]
    autocomplete_fields = ["sectoral_industries", "technology_fields", "industrial_ecosystems"]
    list_display = ["title", "cluster", "kind", "status", "deadline", "is_listed", "updated"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "cluster__name"]
    list_select_related = ["cluster"]
    ordering = ["-updated"]
    actions = ["publish", "close"]
    view_on_site = True

    def get_fieldsets(self, request, obj=None):
        if is_editor(request.user):
            return self.fieldsets
        # The address is made from the title: staff never meet a uniqueness error that
        # would tell them of another cluster's offer.
        (title, options), *rest = self.fieldsets
        return [(title, {**options, "fields": [f for f in options["fields"] if f != "slug"]}),
                *rest]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contact":
            kwargs["queryset"] = Contact.objects.filter(
                cluster__in=self._clusters(request)
            ).select_related("cluster").order_by("cluster__name", "position")
            kwargs["form_class"] = ContactChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = list(self._cluster_ids(request)) if not is_editor(request.user) else []
        if len(own) == 1:
            initial.setdefault("cluster", own[0])
        return initial

    @admin.display(description=_("listed"), boolean=True)
    def is_listed(self, offer):
        return offer.is_open and offer.cluster.is_public

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["media"] = media_with_nonce(context["media"], request)  # the text editor
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Saving: who changed what, and what shows it --------------------------------------

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        former = form.initial.get("cluster") if change else None
        offers_changed({form.instance.cluster_id, former} - {None})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        offers_changed({obj.cluster_id})

    def delete_queryset(self, request, queryset):
        cluster_ids = set(queryset.values_list("cluster", flat=True))
        super().delete_queryset(request, queryset)
        offers_changed(cluster_ids)

    # --- Publishing and closing -------------------------------------------------------

    def _set_status(self, request, queryset, status):
        done = 0
        for offer in queryset.exclude(status=status):
            offer.status = status
            offer._history_user = request.user
            offer._change_reason = str(CooperationOffer.Status(status).label)
            offer.save()
            done += 1
        offers_changed(set(queryset.values_list("cluster", flat=True)))
        self.message_user(
            request,
            ngettext("%(done)d offer changed.", "%(done)d offers changed.", done) % {"done": done},
            messages.SUCCESS if done else messages.WARNING,
        )

    @admin.action(description=_("Publish selected offers"))
    def publish(self, request, queryset):
        self._set_status(request, queryset, CooperationOffer.Status.PUBLISHED)

    @admin.action(description=_("Close selected offers"))
    def close(self, request, queryset):
        self._set_status(request, queryset, CooperationOffer.Status.CLOSED)


def offers_changed(cluster_ids):
    """Offers of `cluster_ids` changed: their profiles (the cooperation tab, its PDF) and the
    lists of offers, which share the directory's cached pages' token."""
    changes.clusters_changed(cluster_ids)
    render_pdfs_after_edit(list(cluster_ids))
