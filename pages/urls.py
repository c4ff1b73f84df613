from django.urls import re_path

from . import views
from .models import Page

app_name = "pages"

KINDS = "|".join(Page.Kind.values)

urlpatterns = [
    re_path(rf"^(?P<kind>{KINDS})/$", views.page, name="page"),
]
