import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from profiles.models import Cluster

# The demo's staff member edits this cluster only, to show how the admin is scoped.
DEMO_STAFF_CLUSTER = "smart-city-cluster"


class Command(BaseCommand):
    help = (
        "Create (or reset) the local demo logins that `make run` prints: a portal editor "
        "(superuser) and a staff member of the Smart City Cluster. DEBUG only."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo logins are for local development only (DEBUG is off).")
        username = os.environ.get("DEMO_ADMIN_USERNAME", "admin")
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "cluster-portal-demo")
        self._user(username, password, is_superuser=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Log in to the admin at /admin/ as “{username}” with password “{password}” "
                "(portal editor)."
            )
        )
        cluster = Cluster.objects.filter(slug=DEMO_STAFF_CLUSTER).first()
        if cluster is not None:
            staff = self._user("smartcity", password, is_superuser=False)
            # Part of loading the demo, not an edit of the profile: not in its history.
            cluster.skip_history_when_saving = True
            cluster.staff.add(staff)
            self.stdout.write(
                self.style.SUCCESS(
                    f"… or as “smartcity” with the same password: staff of {cluster.name}, "
                    "who sees and edits that cluster only."
                )
            )

    def _user(self, username, password, *, is_superuser):
        user, _created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = True
        user.is_superuser = is_superuser
        user.set_password(password)
        user.save()
        return user
