from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.v1 import api as api_v1
from cluster_portal import metrics
from cluster_portal import views as portal_views
from directory import views as directory_views
from editorial.invitations import accept_invitation
from editorial.password_reset import PortalPasswordResetForm
from opendata import sitemaps
from opendata import views as opendata_views

urlpatterns = [
    # Choosing a password: for invited cluster staff and for "Forgotten your password?".
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PortalPasswordResetForm),
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
    # Outside /admin/: the invited person has no account to log in with yet.
    path("accounts/invitation/<str:token>/", accept_invitation, name="accept_invitation"),
    # The admin's language switcher posts here (Django's set_language; the language cookie).
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # An index of sitemaps: one sitemap holds at most 50,000 addresses.
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap-index"),
    path("sitemap-<section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", opendata_views.robots_txt, name="robots-txt"),
    path("healthz", portal_views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    # The open-data API, in English, outside the language prefixes; v2 beside it one day.
    path("api/v1/", api_v1.urls),
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", portal_views.favicon, name="favicon"),
]

# The public site in every language of settings.LANGUAGES: English at /clusters/…,
# Spanish at /es/clusters/…; the admin stays outside, in its user's language
# (editorial/language.py).
urlpatterns += i18n_patterns(
    path("", directory_views.home, name="home"),
    # "Express interest" in an offer, "Contact this cluster": before the profiles' slugs.
    path("", include("cooperation.interest_urls")),
    # One address space, /clusters/…, for three apps: the directory and the open-data files
    # come first, so that "export.csv" or "schema" is never read as a cluster's slug.
    path("clusters/", include("directory.urls")),
    path("clusters/", include("opendata.urls")),
    path("clusters/", include("profiles.urls")),
    path("cooperation-offers/", include("cooperation.urls")),
    path("register/", include("editorial.urls")),
    path("", include("pages.urls")),
    prefix_default_language=False,
)

handler403 = "cluster_portal.views.permission_denied"
handler404 = "cluster_portal.views.page_not_found"
handler500 = "cluster_portal.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
