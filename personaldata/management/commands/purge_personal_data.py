"""manage.py purge_personal_data: delete what is kept past its retention period (run daily)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from personaldata.registry import holdings


class Command(BaseCommand):
    help = ("Delete the login records, finished tasks, messages and requests older than "
            "settings.PERSONAL_DATA_RETENTION_DAYS says.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, **options):
        days = settings.PERSONAL_DATA_RETENTION_DAYS
        now = timezone.now()
        for holding in holdings():
            if holding.retention is None:
                continue
            if holding.retention not in days:
                raise CommandError(f"{holding.label}: no retention period "
                                   f"{holding.retention!r} in PERSONAL_DATA_RETENTION_DAYS.")
            expired = holding.expired(now - datetime.timedelta(days=days[holding.retention]))
            with transaction.atomic():
                count = expired.count() if options["dry_run"] else expired.delete()[0]
            verb = "would delete" if options["dry_run"] else "deleted"
            self.stdout.write(f"{holding.label}: {verb} {count} older than "
                              f"{days[holding.retention]} days")
