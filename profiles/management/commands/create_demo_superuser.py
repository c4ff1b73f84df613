import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (or reset) the local demo superuser that `make run` prints. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo superuser is for local development only (DEBUG is off).")
        username = os.environ.get("DEMO_ADMIN_USERNAME", "admin")
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "cluster-portal-demo")
        user, _created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Log in to the admin at /admin/ as “{username}” with password “{password}”."
            )
        )
