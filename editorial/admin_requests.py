"""The editors' review queue: registrations and claims whose e-mail address is confirmed.

Registrations are the editors' alone. A claim is decided by an editor or by the claimed
cluster's staff, who see the claims of their own clusters only (the same scoping as the rest of
the cluster's data).

Each request shows the ECCP's criteria, the profiles it may repeat, and three buttons: approve
and publish, approve and leave the draft to its staff, reject with a reason. The person is told
by e-mail either way. Unconfirmed requests never show here; they expire.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from cluster_portal import changes
from editorial.duplicates import similar_clusters
from editorial.models import Claim, PersonRequest, Registration
from editorial.registration import send_decision
from editorial.scoping import ClusterScopedMixin, EditorsOnlyMixin
from opendata.tasks import render_pdfs_after_edit
from profiles.models import Cluster

PERSON = (_("The person"), {"fields": ["person_name", "role", "email", "user", "created",
                                       "confirmed", "consent"]})
DECISION = (_("Decision"), {"fields": ["state", "decision_note", "decided_by", "decided_at"]})


class RequestAdmin(admin.ModelAdmin):
    list_filter = ["state"]
    search_fields = ["person_name", "email", "cluster__name"]
    list_select_related = ["cluster"]
    date_hierarchy = "created"
    change_form_template = "admin/editorial/request_change_form.html"
    # The buttons: (name, label, approve?, publish?)
    DECISIONS = []

    def get_queryset(self, request):
        # Only confirmed requests reach the editors.
        return super().get_queryset(request).exclude(state=PersonRequest.State.UNCONFIRMED)

    def has_add_permission(self, request, *args):
        return False  # requests come from the public forms only

    def get_readonly_fields(self, request, obj=None):
        fields = [f for _title, options in self.fieldsets for f in options["fields"]]
        if obj is not None and obj.is_waiting:
            fields.remove("decision_note")
        return fields

    @admin.display(description=_("agreed to the privacy notice"))
    def consent(self, obj):
        return gettext("version %(version)s, on %(date)s") % {
            "version": obj.consent_version,
            "date": date_format(timezone.localtime(obj.consented_at), "SHORT_DATETIME_FORMAT"),
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        if obj is not None and obj.is_waiting:
            context["decisions"] = [(name, label) for name, label, *_rest in self.DECISIONS]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        for name, label, approve, publish in self.DECISIONS:
            if f"_{name}" not in request.POST:
                continue
            if not obj.is_waiting:
                break
            note = obj.decision_note.strip()
            if not approve and not note:
                self.message_user(request, gettext("Write in “Note to the person” why the "
                                                   "request is rejected, then reject it."),
                                  messages.ERROR)
                return HttpResponseRedirect(request.path)
            cluster = obj.cluster
            former = [(cluster.slug, cluster.status)] if cluster else []
            try:
                if approve:
                    obj.approve(request.user, publish=publish, note=note)
                else:
                    obj.reject(request.user, note)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(request.path)
            if cluster and approve:
                changes.clusters_changed([cluster.pk], touched=False, former=former)
                render_pdfs_after_edit([cluster.pk])
            send_decision.enqueue(obj._meta.model_name, obj.pk)
            self.message_user(request, gettext("“%(request)s”: %(decision)s — done. The person "
                                               "is told by e-mail.")
                              % {"request": obj, "decision": label}, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


@admin.register(Registration)
class RegistrationAdmin(EditorsOnlyMixin, RequestAdmin):
    has_add_permission = RequestAdmin.has_add_permission  # before the mixin's
    list_display = ["name", "country", "person_name", "confirmed", "criteria_met", "state"]
    list_filter = ["state", ("country", CountryFilter)]  # only the countries requests name
    search_fields = ["name", "person_name", "email", "official_programme"]
    fieldsets = [
        # What the decision rests on first.
        (_("Checks"), {
            "fields": ["criteria_checklist", "similar_profiles"],
            "description": _("The website's language and activity are for you to check."),
        }),
        (_("The cluster organisation"), {"fields": [
            "name", "country", "city", "website", "official_programme", "cluster",
        ]}),
        (_("Members and management"), {"fields": [
            "total_members", "sme_members", "large_company_members", "research_members",
            "other_members", "management_fte",
        ]}),
        PERSON,
        DECISION,
    ]
    DECISIONS = [
        ("approve_publish", _("Approve and publish"), True, True),
        ("approve_draft", _("Approve and leave as a draft to complete"), True, False),
        ("reject", _("Reject"), False, False),
    ]

    @admin.display(description=_("criteria met"), boolean=True)
    def criteria_met(self, obj):
        return obj.meets_criteria

    @admin.display(description=_("criteria"))
    def criteria_checklist(self, obj):
        rows = format_html_join(
            "", "<li>{} {}{}</li>",
            ((gettext("✔ met:") if met else gettext("✘ not met:"), criterion,
              "" if met else f" — {why}") for criterion, met, why in obj.criteria()),
        )
        waived = ""
        if not obj.meets_criteria and obj.official_programme:
            waived = format_html("<p>{}</p>", gettext(
                "Waived if the official programme “%(programme)s” is confirmed."
            ) % {"programme": obj.official_programme})
        return format_html("<ul>{}</ul>{}", rows, waived)

    @admin.display(description=_("profiles it may repeat"))
    def similar_profiles(self, obj):
        others = Cluster.objects.exclude(pk=obj.cluster_id) if obj.cluster_id else Cluster.objects
        similar = similar_clusters(others.all(), obj.name, obj.country)
        if not similar:
            return gettext("None with a similar name in that country.")
        return format_html("<ul>{}</ul>", format_html_join(
            "", '<li><a href="{}">{}</a> ({})</li>',
            ((reverse("admin:profiles_cluster_change", args=[c.pk]), c.name,
              c.get_status_display())
             for c in similar),
        ))


@admin.register(Claim)
class ClaimAdmin(ClusterScopedMixin, RequestAdmin):
    staff_may_add_and_delete = False  # staff decide; editors alone delete a request
    has_add_permission = RequestAdmin.has_add_permission  # before the mixin's
    list_display = ["cluster", "person_name", "email", "confirmed", "state"]
    search_fields = ["cluster__name", "person_name", "email"]
    fieldsets = [
        (_("The claim"), {"fields": ["cluster", "message", "current_staff"]}),
        PERSON,
        DECISION,
    ]
    DECISIONS = [
        ("approve", _("Approve: make them staff of the cluster"), True, False),
        ("reject", _("Reject"), False, False),
    ]

    @admin.display(description=_("cluster staff now"))
    def current_staff(self, obj):
        people = obj.cluster.staff.order_by("username")
        return ", ".join(f"{p.get_full_name() or p.username} <{p.email}>" for p in people) or "—"
