from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from cluster_portal import views as portal_views
from profiles import views as profile_views

urlpatterns = [
    path("", profile_views.home, name="home"),
    path("clusters/", include("profiles.urls")),
    path("admin/", admin.site.urls),
    path("healthz", portal_views.healthz, name="healthz"),
    path("robots.txt", portal_views.robots_txt, name="robots_txt"),
]

handler500 = "cluster_portal.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

admin.site.site_header = "Cluster Portal administration"
admin.site.site_title = "Cluster Portal admin"
