from django.contrib import admin
from django.utils.translation import override

from editorial.scoping import EditorsOnlyMixin

from .models import Page


@admin.register(Page)
class PageAdmin(EditorsOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "language", "updated"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "body"]
    fields = ["kind", "language", "title", "body"]

    def view_on_site(self, obj):
        # The page in its own language: /es/about/ for the Spanish version.
        with override(obj.language):
            return obj.get_absolute_url()
