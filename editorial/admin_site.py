"""The portal's admin site: Django's, with access checked before any object is looked up,
"view on site" scoped, and a start page saying what each person has to do.

Models are imported inside methods: this module is loaded with INSTALLED_APPS, before models.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with PortalAdminSite as `admin.site`."""

    default_site = "editorial.admin_site.PortalAdminSite"


class PortalAdminSite(admin.AdminSite):
    site_header = _("Cluster Portal administration")
    site_title = _("Cluster Portal admin")
    index_title = _("Site administration")

    def error_page(self, request, status):
        """403 and 404 inside the admin: the admin's header, and what the person can do."""
        from profiles.models import Cluster, is_editor

        user = request.user
        context = {
            **self.each_context(request),
            "title": _("You cannot open this page") if status == 403 else _("Page not found"),
            "subtitle": None,
            "status": status,
            "is_portal_editor": is_editor(user),
            "own_clusters": Cluster.objects.editable_by(user).order_by("name")[:10]
            if user.is_authenticated and not is_editor(user) else [],
        }
        template = f"admin/{status}.html"
        return TemplateResponse(request, template, context, status=status).render()

    def get_urls(self):
        urls = super().get_urls()
        # Django's "view on site" redirect finds any object by id, whoever asks; this one only
        # finds objects the asker's model admin shows them, so another cluster's draft stays
        # as unknown as an id that does not exist.
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(
                    "r/<path:content_type_id>/<path:object_id>/",
                    self.admin_view(self.view_on_site),
                    name="view_on_site",
                )
        from personaldata.views import personal_data

        # Editors find, export and erase one person's data (personaldata/).
        urls.insert(0, path("personal-data/", self.admin_view(personal_data),
                            name="personal_data"))
        return urls

    def admin_view(self, view, cacheable=False):
        """Every view of a model admin first asks whether the person may use it at all.

        Django looks some objects up before it checks permissions (history, missing ids), so
        that someone without any access could tell existing ids from missing ones; here they
        get 403 for every id, existing or not.
        """
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin):
            model_view = view

            def view(request, *args, **kwargs):
                if not (
                    model_admin.has_view_or_change_permission(request)
                    or model_admin.has_add_permission(request)
                    or model_admin.has_delete_permission(request)
                ):
                    raise PermissionDenied
                return model_view(request, *args, **kwargs)

            view = update_wrapper(view, model_view)
        return super().admin_view(view, cacheable)

    def view_on_site(self, request, content_type_id, object_id):
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.filter(
            pk=int(content_type_id) if content_type_id.isdigit() else None
        ).first()
        model = content_type.model_class() if content_type else None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_permission(request):
            raise Http404
        try:
            visible = model_admin.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, ValidationError):
            visible = False
        if not visible:
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def index(self, request, extra_context=None):
        from editorial.models import Claim, PersonRequest, Registration
        from profiles.models import Cluster, is_editor

        context = {**(extra_context or {})}
        waiting = Claim.objects.filter(state=PersonRequest.State.WAITING)
        if is_editor(request.user):
            context["registrations_waiting"] = Registration.objects.filter(
                state=PersonRequest.State.WAITING
            ).count()
            context["claims_waiting"] = waiting.count()
            context["clusters_in_review"] = Cluster.objects.filter(
                status=Cluster.Status.IN_REVIEW
            ).order_by("updated")
            context["clusters_changed_by_staff"] = Cluster.objects.filter(
                staff_changed_at__isnull=False
            ).order_by("-staff_changed_at")
            context["personal_data_link"] = True
        else:
            own = Cluster.objects.editable_by(request.user)
            context["own_clusters"] = own.order_by("name")
            # The cluster's staff may decide claims of their own profiles.
            context["claims_waiting"] = waiting.filter(cluster__in=own.values("pk")).count()
            # Visitors' messages to their clusters that nobody has answered yet (issue 17).
            from cooperation.models import InterestMessage

            context["messages_unanswered"] = InterestMessage.objects.unanswered().filter(
                cluster__in=own.values("pk")
            ).count()
        return super().index(request, context)
