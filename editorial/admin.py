from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cluster_portal import changes
from cooperation.admin import PartnerClusterInline, TargetCountryInline, UndertakenActivityInline
from editorial.history import change_log, find_record, revert
from editorial.invitations import InviteStaffForm
from editorial.ordering import OrderedRowsMixin
from editorial.scoping import ClusterScopedMixin
from editorial.widgets import (
    COUNTRY_LIST_ID,
    FIELD_OVERRIDES,
    RowCountryMixin,
    media_with_nonce,
)
from members.admin import CompositionInline, MajorPlayerInline
from opendata.tasks import render_pdfs_after_edit
from profiles.countries import country_names
from profiles.models import (
    Cluster,
    Contact,
    is_editor,
)
from programmes.admin import FundedProgrammeInline

SECTION = dict(Cluster.SECTIONS)


def error_summary(form, formsets):
    """[(where, message, anchor)] of every error on the change form, for the list at its top
    that links to each field in error (the fields may be far down, or in a closed section)."""
    found = []

    def add(a_form, where_prefix, row_anchor):
        for name, errors in a_form.errors.items():
            if name == "__all__":
                where, anchor = where_prefix or gettext("The profile"), row_anchor
            else:
                field = a_form.fields.get(name)
                label = capfirst(field.label) if field is not None and field.label else name
                where = f"{where_prefix}: {label}" if where_prefix else str(label)
                anchor = f"#{a_form.auto_id % a_form.add_prefix(name)}"
            found.extend((where, message, anchor) for message in errors)

    add(form, "", "#cluster_form")
    for formset in formsets:
        name = capfirst(formset.model._meta.verbose_name)
        for index, row in enumerate(formset.forms):
            add(row, f"{name} {index + 1}", f"#{formset.prefix}-{index}")
        for message in formset.non_form_errors():
            found.append((capfirst(formset.model._meta.verbose_name_plural), message,
                          f"#{formset.prefix}-group"))
    return found


def linked_clusters(formsets):
    """The ids of the other clusters the inline rows pointed at before this save (a partner's
    profile): a row removed or pointed elsewhere changes what their pages show too."""
    linked = set()
    for formset in formsets:
        for inline_form in formset.initial_forms:
            for name, field in inline_form.fields.items():
                if getattr(field, "queryset", None) is not None and (
                    field.queryset.model is Cluster and name != formset.fk.name
                ):
                    linked.add(inline_form.initial.get(name))
    return linked - {None}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["role", "name", "email", "phone_numbers", "public_consent", "position"]
        widgets = {"phone_numbers": forms.Textarea(attrs={"rows": 2, "cols": 22})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Editors see stored numbers the way visitors do, not as raw E.164. Also when bound,
        # so that an untouched row does not count as changed (and is not saved again).
        if self.instance.pk:
            self.initial["phone_numbers"] = "\n".join(self.instance.phones)


class ContactInline(OrderedRowsMixin, ClusterScopedMixin, admin.StackedInline):
    model = Contact
    form = ContactForm
    section = SECTION["general"]
    fields = [("role", "name"), ("email", "phone_numbers"), "public_consent", "position"]
    extra = 0


class StaffChangesFilter(admin.SimpleListFilter):
    title = _("changes by cluster staff")
    parameter_name = "staff_changes"

    def lookups(self, request, model_admin):
        return [("unreviewed", _("Not yet reviewed by an editor"))]

    def queryset(self, request, queryset):
        if self.value() == "unreviewed":
            return queryset.filter(staff_changed_at__isnull=False)
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """The countries of the clusters this user may see, not all 250 of the world."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        present = set(model_admin.get_queryset(request).values_list("country", flat=True))
        return [(code, name) for code, name in country_names().items() if code in present]

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


# Under the heading of a tab made of rows only; each kind of row opens with a click.
PARTS_BELOW = _("This tab shows the rows below; open each kind to see and edit them.")

# What staff read on the form about publication; the rule is also in docs/editors.md.
PUBLICATION_RULE = _(
    "Portal editors publish profiles. Once a profile is published, changes saved by its "
    "cluster staff go live on the public site at once, and the editors are told so that they "
    "can review them."
)
STATUS_NOTICES = {
    Cluster.Status.DRAFT: _(
        "This profile is a draft: only its cluster staff and the portal editors can see it. "
        "When it is ready, press “Submit for review”."
    ),
    Cluster.Status.IN_REVIEW: _(
        "This profile has been submitted for review: an editor will publish it or send it "
        "back with a note. You can still make changes."
    ),
    Cluster.Status.PUBLISHED: _(
        "This profile is published. Changes you save appear on the public site at once; "
        "the portal editors are told so that they can review them."
    ),
    Cluster.Status.RETIRED: _(
        "This profile has been retired: it is no longer on the public site. "
        "Ask a portal editor if it should come back."
    ),
}


# The profile's own country is typed like a row's, from the form's one list of names: a
# <select> of 250 translated names was a sixth of the form's time.
@admin.register(Cluster)
class ClusterAdmin(RowCountryMixin, ClusterScopedMixin, admin.ModelAdmin):
    cluster_lookup = "pk"
    staff_may_add_and_delete = False
    formfield_overrides = FIELD_OVERRIDES

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
                    ("latitude", "longitude"),
                    "website",
                    "logo",
                    ("date_established", "management_staff_count"),
                    ("excellence_label", "excellence_label_awarded", "excellence_label_expires"),
                    "other_label",
                    "network_memberships",
                    "languages_spoken",
                    "texts_language",
                ]
            },
        ),
        (
            SECTION["sectors"],
            {
                "classes": ["collapse"],
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
        (SECTION["composition"], {"fields": [], "description": PARTS_BELOW}),
        (
            SECTION["strategy"],
            {
                "classes": ["collapse"],
                "fields": [
                    "strategy",
                    ("has_formal_strategy", "has_internationalisation_strategy"),
                    "support_services",
                    "support_services_details",
                ]
            },
        ),
        (SECTION["cooperation"], {"fields": [], "description": PARTS_BELOW}),
        (SECTION["programmes"], {"fields": ["why_choose_us"], "classes": ["collapse"]}),
        (
            _("Publication"),
            {
                "fields": ["status", "completeness_summary", "review_note", "staff"],
                "description": PUBLICATION_RULE,
            },
        ),
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
    # One widget for every vocabulary: type to find a term, chosen terms shown in full.
    autocomplete_fields = [
        "sectoral_industries",
        "technology_fields",
        "s3_priority_areas",
        "emerging_industries",
        "industrial_ecosystems",
        "support_services",
    ]
    # The staff picker (editors only) is a plain multiple select: Django's two-box filter
    # widget and an empty select2 box both fail the accessibility audit.
    prepopulated_fields = {"slug": ["name"]}
    list_display = ["name", "acronym", "country", "status", "completeness", "updated"]
    list_filter = ["status", StaffChangesFilter, CountryFilter, "excellence_label"]
    search_fields = ["name", "acronym", "city", "region", "slug"]
    list_select_related = ["excellence_label"]
    date_hierarchy = "updated"
    ordering = ["name"]
    save_on_top = True
    view_on_site = True

    # What cluster staff may not touch: their own access and the publication state.
    STAFF_READ_ONLY = ["status", "review_note", "staff_names"]
    EDITOR_ONLY_ACTIONS = ["publish", "retire", "mark_staff_changes_reviewed"]
    actions = ["submit_for_review", "publish", "retire", "mark_staff_changes_reviewed"]

    def get_fieldsets(self, request, obj=None):
        if is_editor(request.user):
            return self.fieldsets
        # The profile's address (slug) is the editors' business: staff neither see nor
        # change it, so no uniqueness error can tell them of profiles they cannot see.
        (general, general_options), *tabs, (title, options) = self.fieldsets
        general_fields = [f for f in general_options["fields"] if f != "slug"]
        # Staff see who else edits the profile, read-only, instead of the staff picker.
        fields = ["staff_names" if f == "staff" else f for f in options["fields"]]
        return [
            (general, {**general_options, "fields": general_fields}),
            *tabs,
            (title, {**options, "fields": fields}),
        ]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if is_editor(request.user) else {}

    def get_readonly_fields(self, request, obj=None):
        if is_editor(request.user):
            return ["completeness_summary"]
        return ["completeness_summary", *self.STAFF_READ_ONLY]

    def get_list_display(self, request):
        if is_editor(request.user):
            return [*self.list_display, "staff_changed_at"]
        return self.list_display

    def get_list_filter(self, request):
        if is_editor(request.user):
            return self.list_filter
        return [f for f in self.list_filter if f is not StaffChangesFilter]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_editor(request.user):
            for name in self.EDITOR_ONLY_ACTIONS:
                actions.pop(name, None)
        return actions

    def get_queryset(self, request):
        # Computed in the query (not stored) so that the column can never be stale.
        return super().get_queryset(request).with_completeness()

    def get_object(self, request, object_id, from_field=None):
        """The profile, read once per request (the 404 check and the form ask for it), with
        its excellence label, its membership figures (whether the form offers to add them) and
        which public tabs are filled (the completeness notice)."""
        if request.method != "GET":
            # A save changes the object in place: each caller gets a fresh copy.
            return super().get_object(request, object_id, from_field)
        found = getattr(request, "_cluster_for_form", None)
        if found is None or found[0] != (object_id, from_field):
            # The scoped rows without the changelist's completeness count (a query in itself).
            queryset = (super().get_queryset(request)
                        .select_related("excellence_label", "composition").with_filled_tabs())
            field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
            try:
                cluster = queryset.get(**{field.name: field.to_python(object_id)})
            except (Cluster.DoesNotExist, ValidationError, ValueError):
                cluster = None
            found = request._cluster_for_form = ((object_id, from_field), cluster)
        return found[1]

    @admin.display(description=_("completeness"), ordering="filled_section_count")
    def completeness(self, cluster):
        return f"{Cluster.completeness_of(cluster.filled_section_count)} %"

    @admin.display(description=_("completeness"))
    def completeness_summary(self, cluster):
        if cluster is None or cluster.pk is None:
            return "—"
        score, empty = cluster.completeness()
        if not empty:
            return gettext("%(score)s %% — every public section has content.") % {"score": score}
        return gettext("%(score)s %% — still empty: %(sections)s.") % {
            "score": score,
            "sections": ", ".join(str(title) for title in empty),
        }

    @admin.display(description=_("cluster staff"))
    def staff_names(self, cluster):
        people = cluster.staff.order_by("last_name", "first_name", "username") if cluster else []
        return ", ".join(p.get_full_name() or p.username for p in people) or "—"

    # --- Saving: who changed what ------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            # Nothing to record: no empty history entry, no new "last updated" date.
            return
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance._history_user = request.user
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        cluster = form.instance
        changed = form.has_changed() or any(formset.has_changed() for formset in formsets)
        if change and not changed:
            return
        if change and cluster.is_public and not is_editor(request.user):
            # The published profile changed at once; flag it for the editors (admin start page,
            # changelist filter and column).
            Cluster.objects.filter(pk=cluster.pk).update(staff_changed_at=timezone.now())
        # The form's initial values are the profile's address and status before this save
        # (staff, who may not change the status, have no such field).
        former = [(form.initial.get("slug", cluster.slug),
                   form.initial.get("status", cluster.status))] if change else []
        # save_model() saved the cluster, moving its date, only if its own form changed.
        changes.clusters_changed([cluster.pk], touched=not form.has_changed(), former=former,
                                 linked_before=linked_clusters(formsets))
        render_pdfs_after_edit([cluster.pk])

    def delete_model(self, request, obj):
        with changes.clusters_deleted([obj.pk]):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with changes.clusters_deleted(list(queryset.values_list("pk", flat=True))):
            super().delete_queryset(request, queryset)

    # --- The publication workflow ------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            score, empty = obj.completeness()
            context.update(
                workflow_actions=obj.actions_for(request.user),
                status_notice=STATUS_NOTICES[obj.status],
                completeness_score=score,
                empty_sections=empty,
                is_portal_editor=is_editor(request.user),
            )
        context["media"] = media_with_nonce(context["media"], request)
        # The one list of country names that every inline row's country field offers.
        context["country_list"] = (COUNTRY_LIST_ID, country_names())
        context["error_summary"] = error_summary(
            context["adminform"].form, [f.formset for f in context["inline_admin_formsets"]]
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        for action, label in obj.actions_for(request.user):
            if f"_{action}" in request.POST:
                try:
                    self._take_step(obj, action, request.user)
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                else:
                    self.message_user(
                        request,
                        gettext("“%(cluster)s”: %(action)s — done. It is now %(status)s.")
                        % {"cluster": obj, "action": label, "status": obj.get_status_display()},
                        messages.SUCCESS,
                    )
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @staticmethod
    def _take_step(cluster, action, user):
        """One step of the publication workflow, and what it refreshes on the public site."""
        former = (cluster.slug, cluster.status)
        cluster.take_action(action, user)
        changes.clusters_changed([cluster.pk], touched=False, former=[former])
        render_pdfs_after_edit([cluster.pk])

    def _take_action(self, request, queryset, action):
        done = 0
        for cluster in queryset:
            try:
                self._take_step(cluster, action, request.user)
            except (PermissionDenied, ValidationError):
                continue
            done += 1
        skipped = len(queryset) - done
        self.message_user(
            request,
            ngettext("%(done)d profile changed.", "%(done)d profiles changed.", done)
            % {"done": done},
            messages.SUCCESS if done else messages.WARNING,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(skipped)d profile skipped: that step does not apply to its status.",
                    "%(skipped)d profiles skipped: that step does not apply to their status.",
                    skipped,
                )
                % {"skipped": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Submit selected profiles for review"))
    def submit_for_review(self, request, queryset):
        self._take_action(request, queryset, "submit_for_review")

    @admin.action(description=_("Publish selected profiles"))
    def publish(self, request, queryset):
        self._take_action(request, queryset, "publish")

    @admin.action(description=_("Retire selected profiles"))
    def retire(self, request, queryset):
        self._take_action(request, queryset, "retire")

    @admin.action(description=_("Mark staff changes as reviewed"))
    def mark_staff_changes_reviewed(self, request, queryset):
        count = queryset.filter(staff_changed_at__isnull=False).update(staff_changed_at=None)
        self.message_user(
            request,
            ngettext("%(count)d profile reviewed.", "%(count)d profiles reviewed.", count)
            % {"count": count},
        )

    # --- History, reverting, invitations -----------------------------------------------

    def get_urls(self):
        from opendata.admin_import import import_run_view, import_view

        return [
            path(
                "import/",
                self.admin_site.admin_view(lambda request: import_view(self, request)),
                name="profiles_cluster_import",
            ),
            path(
                "import/<int:run_id>/",
                self.admin_site.admin_view(
                    lambda request, run_id: import_run_view(self, request, run_id)
                ),
                name="profiles_cluster_import_run",
            ),
            path(
                "<path:object_id>/history/revert/<str:model_label>/<int:history_id>/",
                self.admin_site.admin_view(self.revert_view),
                name="profiles_cluster_revert",
            ),
            path(
                "<path:object_id>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="profiles_cluster_invite",
            ),
            *super().get_urls(),
        ]

    def _cluster_or_404(self, request, object_id):
        cluster = self.get_object(request, unquote(object_id))
        if cluster is None:
            raise Http404
        return cluster

    def history_view(self, request, object_id, extra_context=None):
        """Every change to the cluster and its parts: who, when, old and new values."""
        cluster = self._cluster_or_404(request, object_id)
        if not self.has_view_permission(request, cluster):
            raise PermissionDenied
        page = Paginator(change_log(cluster), 50).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Change history: %s") % cluster,
            "subtitle": None,
            "object": cluster,
            "opts": self.opts,
            "page": page,
            "can_revert": is_editor(request.user),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/profiles/cluster/object_history.html", context)

    def revert_view(self, request, object_id, model_label, history_id):
        cluster = self._cluster_or_404(request, object_id)
        if not is_editor(request.user):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        record = find_record(cluster, model_label, history_id)
        if record is None:
            raise Http404
        try:
            revert(record, request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, gettext("The change has been undone."), messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:profiles_cluster_history", args=[cluster.pk])
        )

    def invite_view(self, request, object_id):
        """Editors invite a person to edit this cluster's profile."""
        cluster = self._cluster_or_404(request, object_id)
        if not is_editor(request.user):
            raise PermissionDenied
        form = InviteStaffForm(request.POST or None, cluster=cluster)
        if request.method == "POST" and form.is_valid():
            invitation = form.invite(request.user)
            self.message_user(
                request,
                gettext("An invitation to edit “%(cluster)s” is on its way to %(email)s. "
                        "Nothing changes until they accept it.")
                % {"cluster": cluster, "email": invitation.email},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:profiles_cluster_invite", args=[cluster.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Invite staff to edit %s") % cluster,
            "subtitle": None,
            "original": cluster,
            "opts": self.opts,
            "form": form,
            "staff": cluster.staff.order_by("username"),
            "invitations": cluster.invitations.select_related("invited_by")[:50],
        }
        return TemplateResponse(request, "admin/profiles/cluster/invite.html", context)
# The review queue and the vocabularies have admin modules of their own.
from editorial import admin_requests, admin_terms  # noqa: E402, F401
