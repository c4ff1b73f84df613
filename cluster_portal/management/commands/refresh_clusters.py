from django.core.management.base import BaseCommand

from cluster_portal.changes import clusters_changed
from profiles.models import Cluster


class Command(BaseCommand):
    help = (
        "Refresh what a save refreshes (the directory's index, the cached pages) for every "
        "cluster, keeping their dates: run after `loaddata` or a write in the shell."
    )

    def handle(self, *args, **options):
        cluster_ids = list(Cluster.objects.values_list("pk", flat=True))
        clusters_changed(cluster_ids, touched=False)
        self.stdout.write(f"{len(cluster_ids)} cluster(s) refreshed.")
