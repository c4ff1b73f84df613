from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from cluster_portal import views as portal_views
from profiles import views as profile_views
from profiles.sitemaps import ClusterSitemap

sitemaps = {"profiles": ClusterSitemap}

urlpatterns = [
    # Choosing a password: for invited cluster staff and for "Forgotten your password?".
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    # An index of sitemaps: one sitemap holds at most 50,000 addresses.
    path("sitemap.xml", sitemap_views.index, {"sitemaps": sitemaps}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", profile_views.robots_txt, name="robots-txt"),
    path("healthz", portal_views.healthz, name="healthz"),
]

# The public site in every language of settings.LANGUAGES: English at /clusters/…,
# Spanish at /es/clusters/…; the admin stays outside, in English.
urlpatterns += i18n_patterns(
    path("", profile_views.home, name="home"),
    path("clusters/", include("profiles.urls")),
    prefix_default_language=False,
)

handler500 = "cluster_portal.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

admin.site.site_header = "Cluster Portal administration"
admin.site.site_title = "Cluster Portal admin"
