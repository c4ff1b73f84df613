from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from profiles import views as profile_views

urlpatterns = [
    path("", profile_views.home, name="home"),
    path("clusters/", include("profiles.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

admin.site.site_header = "Cluster Portal administration"
admin.site.site_title = "Cluster Portal admin"
