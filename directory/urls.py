from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.cluster_list, name="cluster-list"),
]
