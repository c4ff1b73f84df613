from django.urls import path, re_path

from . import views

app_name = "profiles"

TABS = "|".join(slug for slug, _title in views.Cluster.SECTIONS if slug != "general")

urlpatterns = [
    path("<slug:slug>/", views.cluster_detail, name="cluster-detail"),
    path("<slug:slug>/print/", views.cluster_print, name="cluster-print"),
    re_path(
        rf"^(?P<slug>[-\w]+)/(?P<section>{TABS})/$",
        views.cluster_detail,
        name="cluster-section",
    ),
]
