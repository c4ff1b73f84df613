"""manage.py export_profiles: every profile, drafts included, one JSON document a line.

The restore drill compares this output before the backup and after the restore; the tests of
backups and upgrades do the same.
"""

from django.core.management.base import BaseCommand

from opendata.exports import cluster_record, site_origin, to_json
from profiles.models import Cluster


class Command(BaseCommand):
    help = "Print every cluster's profile (every status) as JSON lines, ordered by slug."

    def handle(self, *args, **options):
        origin = site_origin()
        for cluster in Cluster.objects.with_profile().order_by("slug"):
            record = cluster_record(cluster, origin)
            record["status"] = cluster.status
            self.stdout.write(to_json(record, sort_keys=True))
