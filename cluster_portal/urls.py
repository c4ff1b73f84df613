from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from profiles import views as profile_views

urlpatterns = [
    path("admin/", admin.site.urls),
]

# The public site in every language of settings.LANGUAGES: English at /clusters/…,
# Spanish at /es/clusters/…; the admin stays outside, in English.
urlpatterns += i18n_patterns(
    path("", profile_views.home, name="home"),
    path("clusters/", include("profiles.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

admin.site.site_header = "Cluster Portal administration"
admin.site.site_title = "Cluster Portal admin"
