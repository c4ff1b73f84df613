from django.core.management.base import BaseCommand

from cluster_portal.changes import all_clusters_changed


class Command(BaseCommand):
    help = (
        "Refresh what a save refreshes (the directory's index, the cached pages) for every "
        "cluster, keeping their dates: run after `loaddata` or a write in the shell."
    )

    def handle(self, *args, **options):
        all_clusters_changed()
        self.stdout.write("The directory and every cached page will be rendered afresh.")
