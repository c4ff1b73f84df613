from django.urls import path, re_path

from . import views

app_name = "profiles"

TABS = "|".join(slug for slug, _title in views.Cluster.SECTIONS if slug != "general")

urlpatterns = [
    path("", views.cluster_list, name="cluster-list"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("export.json", views.export_json, name="export-json"),
    path("schema/cluster-profile-v<str:version>.json", views.profile_schema, name="schema"),
    path("<slug:slug>/", views.cluster_detail, name="cluster-detail"),
    path("<slug:slug>/print/", views.cluster_print, name="cluster-print"),
    path("<slug:slug>/profile.pdf", views.cluster_pdf, name="cluster-pdf"),
    path("<slug:slug>/profile.json", views.cluster_json, name="cluster-json"),
    re_path(
        rf"^(?P<slug>[-\w]+)/(?P<section>{TABS})/$",
        views.cluster_detail,
        name="cluster-section",
    ),
]
