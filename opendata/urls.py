from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("export.csv", views.export_csv, name="export-csv"),
    path("export.json", views.export_json, name="export-json"),
    path("schema/cluster-profile-v<str:version>.json", views.profile_schema, name="schema"),
    path("<slug:slug>/profile.pdf", views.cluster_pdf, name="cluster-pdf"),
    path("<slug:slug>/profile.json", views.cluster_json, name="cluster-json"),
]
