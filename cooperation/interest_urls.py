"""The addresses of "Express interest" and "Contact this cluster" (cooperation/interest.py),
included at the site's root beside the offers' and the profiles' own."""

from django.urls import path

from . import interest

app_name = "interest"

urlpatterns = [
    path("cooperation-offers/<slug:slug>/interest/", interest.offer_interest, name="offer"),
    path("clusters/<slug:slug>/contact/", interest.contact_cluster, name="cluster"),
]
