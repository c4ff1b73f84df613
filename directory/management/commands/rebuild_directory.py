"""Rebuild the directory's whole index from the clusters (after `loaddata` or a bulk load)."""

from django.core.management.base import BaseCommand

from directory import index
from directory.models import SearchEntry


class Command(BaseCommand):
    help = "Rebuild the directory's search documents and facet keys of every published cluster."

    def handle(self, *args, verbosity, **options):
        index.refresh_all()
        if verbosity:
            count = SearchEntry.objects.count()
            self.stdout.write(self.style.SUCCESS(f"Indexed {count} published clusters."))
