"""manage.py backup_portal: one archive of the database and the media files (`make backup`)."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cluster_portal.backups import BackupError, create_backup, prune
from cluster_portal.models import Backup


class Command(BaseCommand):
    help = ("Write one timestamped archive (database dump, media files, checksums) into "
            "BACKUP_ROOT, then delete the archives beyond the retention.")

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=settings.BACKUP_ROOT,
                            help="where the archive goes (default: BACKUP_ROOT)")
        parser.add_argument("--keep-daily", type=int, default=settings.BACKUP_KEEP_DAILY,
                            help="keep the newest archive of each of this many last days")
        parser.add_argument("--keep-weekly", type=int, default=settings.BACKUP_KEEP_WEEKLY,
                            help="keep the newest archive of each of this many last weeks")
        parser.add_argument("--no-prune", action="store_true",
                            help="delete no older archive")

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        started = time.monotonic()
        try:
            path = create_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        seconds = time.monotonic() - started
        size = path.stat().st_size
        Backup.objects.create(finished=timezone.now(), file_name=path.name, size=size,
                              seconds=seconds)
        self.stdout.write(f"{path} ({size / 1e6:.1f} MB, {seconds:.1f} s)")
        if not options["no_prune"]:
            for old in prune(folder, options["keep_daily"], options["keep_weekly"]):
                self.stdout.write(f"deleted {old.name}")
