from django.urls import path

from . import feeds, views

app_name = "cooperation"

urlpatterns = [
    path("", views.offer_list, name="offer-list"),
    path("feed/", feeds.OfferFeed(), name="offer-feed"),
    path("<slug:slug>/", views.offer_detail, name="offer-detail"),
]
