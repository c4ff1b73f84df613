import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from opendata.imports import import_clusters
from opendata.imports.files import ImportFileError, check_name, check_size
from profiles.models import Cluster


class Command(BaseCommand):
    help = (
        "Create or update clusters from a CSV or JSON file in the export's format "
        "(/clusters/export.csv or .json), matched by slug. Nothing is written unless every "
        "row is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .json file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and show what would change, without writing anything",
        )
        parser.add_argument(
            "--status",
            choices=[Cluster.Status.PUBLISHED, Cluster.Status.DRAFT],
            default=Cluster.Status.PUBLISHED,
            help="status of clusters the file creates (existing clusters keep theirs)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")

        def progress(rows):
            # Shown on a terminal only; quiet in logs and tests.
            return tqdm(rows, desc="Importing", unit="row", file=sys.stderr, disable=None)

        try:
            check_name(path.name)
            check_size(path.stat().st_size)
            with path.open("rb") as file:
                report = import_clusters(
                    file,
                    path.name,
                    dry_run=options["dry_run"],
                    new_status=options["status"],
                    progress=progress,
                )
        except ImportFileError as error:
            raise CommandError(str(error)) from None

        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if report.errors:
            # Nothing was written: list the problems only, never the rows that went well.
            raise CommandError("\n".join([*report.errors, report.summary()]))
        if report.dry_run:
            self.stdout.write("Dry run, nothing was written. The file would make these changes:")
        verb = "Would create" if report.dry_run else "Created"
        for slug in report.created:
            self.stdout.write(f"{verb} {slug}")
        verb = "Would update" if report.dry_run else "Updated"
        for slug, fields in report.updated:
            self.stdout.write(f"{verb} {slug}: {', '.join(fields)}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
