"""The staff's inbox of messages from visitors ("Express interest", "Contact this cluster").

Staff of a cluster read their cluster's messages only (the scoping of every cluster-owned
admin, editorial/scoping.py) and mark them answered; nobody edits what the sender wrote, and
messages come from the public form only (no add form). Editors see the messages read-only and a
page of counts per cluster, which tells them which clusters leave visitors unanswered; they
alone delete a message (personal data is otherwise erased from the personal-data page).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from editorial.scoping import ClusterScopedMixin
from profiles.models import Cluster, is_editor

from .interest_messages import InterestMessage


class AnsweredFilter(admin.SimpleListFilter):
    title = _("answered")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("no", _("Not yet")), ("yes", _("Answered"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(answered_at__isnull=self.value() == "no")
        return queryset


@admin.register(InterestMessage)
class InterestMessageAdmin(ClusterScopedMixin, admin.ModelAdmin):
    staff_may_add_and_delete = False  # editors alone delete a message
    list_display = ["created_at", "cluster", "offer", "organisation", "country", "answered"]
    list_display_links = ["created_at", "organisation"]
    list_filter = [AnsweredFilter, ("country", CountryFilter)]
    list_select_related = ["cluster", "offer"]
    list_per_page = 50
    search_fields = ["organisation", "sender_name", "email", "offer__title", "cluster__name"]
    date_hierarchy = "created_at"
    fieldsets = [
        (_("The message"), {"fields": ["cluster", "offer", "created_at", "message"]}),
        (_("The sender"), {
            "fields": ["sender_name", "organisation", "country", "email", "consent_given"],
            "description": _("Answer by e-mail from your own mailbox. The sender agreed that "
                             "you receive these details to answer them; do not pass them on."),
        }),
        (_("Answer"), {"fields": ["answered_at", "answered_by_name"]}),
    ]
    readonly_fields = [f for _title, options in fieldsets for f in options["fields"]]
    actions = ["mark_answered"]
    change_form_template = "admin/cooperation/interestmessage/change_form.html"
    change_list_template = "admin/cooperation/interestmessage/change_list.html"

    @admin.display(description=_("answered"), boolean=True, ordering="answered_at")
    def answered(self, obj):
        return obj.is_answered

    @admin.display(description=_("answered by"))
    def answered_by_name(self, obj):
        # A name, not a link: staff cannot open the accounts' admin.
        user = obj.answered_by
        return (user.get_full_name() or user.get_username()) if user else "—"

    def get_list_display(self, request):
        # Staff of a single cluster need no column repeating its name.
        if not is_editor(request.user) and len(self._cluster_ids(request)) == 1:
            return [name for name in self.list_display if name != "cluster"]
        return self.list_display

    @admin.display(description=_("agreed to pass the details on"))
    def consent_given(self, obj):
        return gettext("Yes (privacy notice of %(version)s)") % {"version": obj.consent_version}

    def has_add_permission(self, request, *args):
        return False  # messages come from the public forms only

    def has_change_permission(self, request, obj=None):
        # Marking answered is the staff's: editors read, they do not answer for a cluster.
        return not is_editor(request.user) and super().has_change_permission(request, obj)

    @admin.action(description=_("Mark the selected messages answered"), permissions=["change"])
    def mark_answered(self, request, queryset):
        count = 0
        for message in queryset.filter(answered_at__isnull=True):
            message.mark_answered(request.user)
            count += 1
        self.message_user(request, ngettext("%(count)d message marked answered.",
                                            "%(count)d messages marked answered.", count)
                          % {"count": count}, messages.SUCCESS)

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        # Nothing to save: the one change is the answered button.
        context.update(show_save=False, show_save_and_continue=False,
                       show_save_and_add_another=False, show_delete=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if "_answered" in request.POST and not obj.is_answered:
            obj.mark_answered(request.user)
            self.message_user(request, gettext("“%(message)s” is marked answered.")
                              % {"message": obj}, messages.SUCCESS)
        elif "_unanswered" in request.POST and obj.is_answered:
            obj.mark_unanswered()
            self.message_user(request, gettext("“%(message)s” is marked not answered.")
                              % {"message": obj}, messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def get_urls(self):
        counts = self.admin_site.admin_view(self.counts_view)
        return [path("counts/", counts, name="cooperation_interestmessage_counts"),
                *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "shows_counts": is_editor(request.user)}
        return super().changelist_view(request, extra_context)

    def counts_view(self, request):
        """Editors: how many messages each cluster received, and how many wait for an answer."""
        if not is_editor(request.user):
            raise PermissionDenied
        rows = (Cluster.objects.filter(interest_messages__isnull=False)
                .annotate(received=Count("interest_messages"),
                          unanswered=Count("interest_messages",
                                           filter=Q(interest_messages__answered_at__isnull=True)),
                          latest=Max("interest_messages__created_at"))
                .order_by("-unanswered", "-received", "name"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Messages from visitors per cluster"),
            "opts": self.model._meta,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/cooperation/interestmessage/counts.html",
                                context)
