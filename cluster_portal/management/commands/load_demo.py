from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from profiles.models import Cluster


class Command(BaseCommand):
    help = (
        "Load the demo (fixtures/demo.json, its refresh and the demo logins) into a database "
        "that has no profile yet; a database with profiles is left as it is, so that `make "
        "run` never overwrites anybody's work. --reset deletes every profile, its history "
        "and every login first (`make demo-reset`)."
    )

    @transaction.atomic
    def _delete_profiles_and_logins(self):
        # Not `flush`: the vocabularies arrive by data migration, and flush would empty them.
        Cluster.objects.all().delete()
        for model in [Cluster, *Cluster.part_models()]:
            model.history.all().delete()
        get_user_model().objects.all().delete()

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true",
            help="Delete every profile, its history and every login, then load the demo afresh.",
        )

    def handle(self, *args, reset=False, **options):
        if reset:
            self._delete_profiles_and_logins()
            self.stdout.write("Every profile, its history and every login have been deleted.")
        elif Cluster.objects.exists():
            self.stdout.write(
                "The database already holds profiles: the demo is not loaded over them "
                "(`make demo-reset` starts again from the demo)."
            )
            call_command("create_demo_superuser", stdout=self.stdout)
            return
        call_command("loaddata", "fixtures/demo.json", verbosity=0)
        call_command("demo_logos", stdout=self.stdout)  # made-up logos, into the media storage
        # loaddata saves rows raw (no history), but sets many-to-many fields through the
        # models, and each of those is recorded as a change by nobody. The demo is where the
        # history starts, not a change in it: the database was empty, so all of it goes.
        for model in [Cluster, *Cluster.part_models()]:
            model.history.all().delete()
        # loaddata saves rows raw: nothing else (search index, cached pages) is refreshed.
        call_command("refresh_clusters", stdout=self.stdout)
        call_command("create_demo_superuser", stdout=self.stdout)
