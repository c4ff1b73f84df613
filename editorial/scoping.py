"""Who reaches what in the admin, decided in one place.

Cluster staff hold no Django model permissions: these mixins grant access by role instead.
`ClusterScopedMixin` (every admin and inline of cluster-owned data) limits querysets, choices and
permissions to the clusters a person staffs; `EditorsOnlyMixin` keeps portal-wide data
(vocabularies) to editors. An admin that uses neither falls back to Django's permission checks,
which deny staff everything: forgetting the mixin closes a page, it never opens one.

Another cluster's object must look exactly like one that does not exist, so a missing or
out-of-scope id answers 404 on every page (Django's admin would redirect with a message).
"""

from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteMixin
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404

from editorial.widgets import ChosenLabels, ChosenOptionSelect
from profiles.models import Cluster, is_editor

# Foreign keys to Cluster that may name any *published* cluster, not just the person's own:
# a partner's public profile is public information. (app_label, model_name, field_name)
PUBLIC_CLUSTER_REFERENCES = {("cooperation", "partnercluster", "partner")}


def is_autocomplete(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


def _autocompletes_public_reference(request):
    if not is_autocomplete(request):
        return False
    key = tuple(request.GET.get(k, "") for k in ("app_label", "model_name", "field_name"))
    return key in PUBLIC_CLUSTER_REFERENCES


def _cluster_choices(db_field, request):
    opts = db_field.model._meta
    if (opts.app_label, opts.model_name, db_field.name) in PUBLIC_CLUSTER_REFERENCES:
        # Also the profiles the person's rows already name, public now or not: a staff save
        # keeps a link to a partner whose profile is for the moment a draft or retired.
        named = db_field.model._default_manager.filter(
            cluster__in=Cluster.objects.editable_by(request.user)
        ).values(db_field.attname)
        return Cluster.objects.filter(
            Q(pk__in=Cluster.objects.referable_by(request.user).values("pk")) | Q(pk__in=named)
        )
    return Cluster.objects.editable_by(request.user)


class NotFoundForMissingObjects:
    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404


class ScopedInlineFormSet(BaseInlineFormSet):
    """Row ids are looked up among this cluster's rows only.

    Django checks a posted row id against every row of the table, so another cluster's id
    passes (and is then dropped) where a missing one is an error: a way to learn which ids
    exist. Here both get the same "Select a valid choice" error.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        if pk_name in form.fields and hasattr(form.fields[pk_name], "queryset"):
            form.fields[pk_name].queryset = self.get_queryset()
        # A drop-down of terms (an activity…) is read once for all rows, and the labels of
        # what the rows' choosers (a partner's profile) hold are read at once for all rows:
        # the form's queries do not grow with its rows.
        shared = self.__dict__.setdefault("_shared_choices", {})
        for name, formfield in form.fields.items():
            wrapper = formfield.widget
            widget = getattr(wrapper, "widget", wrapper)  # inside its wrapper
            if name == pk_name or not hasattr(formfield, "queryset") or widget.is_hidden:
                continue
            if isinstance(widget, AutocompleteMixin):
                if name not in shared:
                    shared[name] = ChosenLabels(self, name, formfield)
                chooser = ChosenOptionSelect(widget, shared[name])
                if wrapper is widget:
                    formfield.widget = chooser
                else:
                    wrapper.widget = chooser
                continue
            if name not in shared:
                shared[name] = list(formfield.choices)
            formfield.choices = widget.choices = shared[name]


class ClusterScopedMixin(NotFoundForMissingObjects):
    """For every ModelAdmin and inline of data that belongs to a cluster (and for Cluster)."""

    formset = ScopedInlineFormSet  # used by inlines only

    # The lookup from the model to its cluster; "pk" for Cluster itself.
    cluster_lookup = "cluster"
    # Staff may add and delete rows of their cluster (contacts, partners…), but not clusters.
    staff_may_add_and_delete = True

    def _clusters(self, request):
        return Cluster.objects.editable_by(request.user)

    def _cluster_ids(self, request):
        if not hasattr(request, "_editable_cluster_ids"):
            clusters = self._clusters(request)
            request._editable_cluster_ids = set(clusters.values_list("pk", flat=True))
        return request._editable_cluster_ids

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_editor(request.user):
            return queryset
        scope = Q(**{f"{self.cluster_lookup}__in": self._clusters(request).values("pk")})
        if self.model is Cluster and _autocompletes_public_reference(request):
            scope |= Q(status=Cluster.Status.PUBLISHED)
        return queryset.filter(scope)

    def _in_scope(self, request, obj=None):
        """May the person work on `obj` (a row of this model, or an inline's parent cluster)?"""
        if is_editor(request.user):
            return True
        ids = self._cluster_ids(request)
        if obj is None:
            return bool(ids)
        if isinstance(obj, Cluster):
            return obj.pk in ids
        return self.model._default_manager.filter(
            pk=obj.pk, **{f"{self.cluster_lookup}__in": ids}
        ).exists()

    def has_module_permission(self, request):
        return self._in_scope(request)

    def has_view_permission(self, request, obj=None):
        return self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._in_scope(request, obj)

    def has_add_permission(self, request, *args):
        obj = args[0] if args else None  # inlines pass the parent cluster
        if not self.staff_may_add_and_delete:
            return is_editor(request.user)
        return self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not self.staff_may_add_and_delete:
            return is_editor(request.user)
        return self._in_scope(request, obj)

    # Django checks permissions before it looks the object up; look it up first, so that an
    # out-of-scope id answers 404 whatever the page and whoever asks.
    def _404_unless_visible(self, request, object_id):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._404_unless_visible(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._404_unless_visible(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._404_unless_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Cluster and not is_editor(request.user):
            kwargs["queryset"] = _cluster_choices(db_field, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if (db_field.is_relation and db_field.related_model is Cluster
                and not is_editor(request.user) and formfield is not None):
            # No "change"/"view"/"add" icons beside a chosen cluster: for staff they would
            # open another cluster's admin page, which answers 404.
            for name in ("can_add_related", "can_change_related", "can_view_related",
                         "can_delete_related"):
                if hasattr(formfield.widget, name):
                    setattr(formfield.widget, name, False)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Cluster and not is_editor(request.user):
            kwargs["queryset"] = _cluster_choices(db_field, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class EditorsOnlyMixin(NotFoundForMissingObjects):
    """For portal-wide data (vocabularies): editors manage it; staff only pick from it."""

    def has_module_permission(self, request):
        return is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        # Staff search the vocabularies through the cluster form's autocomplete fields.
        if is_autocomplete(request) and Cluster.objects.editable_by(request.user).exists():
            return True
        return is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return is_editor(request.user)

    def has_add_permission(self, request):
        return is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_editor(request.user)
