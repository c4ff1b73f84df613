"""Delete registrations and claims whose e-mail address was not confirmed in time.

Run it daily (cron, a systemd timer: deploy/); REGISTRATION_CONFIRM_DAYS sets the period, the
same as the confirmation link's lifetime, so no deleted request's link could still work.
"""

from django.core.management.base import BaseCommand

from editorial.models import Claim, Registration, unconfirmed_and_expired


class Command(BaseCommand):
    help = "Delete registrations and claims not confirmed within REGISTRATION_CONFIRM_DAYS."

    def handle(self, *args, **options):
        for model in (Registration, Claim):
            count, _by_model = unconfirmed_and_expired(model).delete()
            self.stdout.write(f"{count} unconfirmed {model._meta.verbose_name_plural} deleted.")
