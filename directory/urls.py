from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.cluster_list, name="cluster-list"),
    path("map/", views.cluster_map, name="cluster-map"),
    path("map/world/", views.cluster_map, {"view": "world"}, name="cluster-map-world"),
    path("statistics/", views.cluster_statistics, name="cluster-statistics"),
    path("network/", views.cluster_network, name="cluster-network"),
    path("statistics/<slug:facet>.csv", views.statistics_csv, name="statistics-csv"),
]
