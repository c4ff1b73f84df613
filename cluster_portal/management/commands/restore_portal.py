"""manage.py restore_portal ARCHIVE: the database and media files back (`make restore FILE=…`)."""

from django.core.management.base import BaseCommand, CommandError

from cluster_portal.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Restore an archive of backup_portal into an empty database and media folder. "
            "Every file is checked against the archive's checksums first.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar file written by backup_portal")
        parser.add_argument("--database-url",
                            help="restore into this database instead of DATABASE_URL's")
        parser.add_argument("--media-root", help="restore the files here instead of MEDIA_ROOT")
        parser.add_argument("--force", action="store_true",
                            help="replace the contents of a database or media folder that "
                                 "is not empty")

    def handle(self, *args, **options):
        try:
            manifest = restore_backup(options["archive"], database_url=options["database_url"],
                                      media_root=options["media_root"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            f"Restored the backup of {manifest['created']}: the database and {media} media "
            "files. Next: `manage.py migrate` (when this release is newer) and "
            "`manage.py clear_page_cache`."
        )
