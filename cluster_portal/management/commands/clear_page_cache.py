from django.core.management.base import BaseCommand

from cluster_portal.page_cache import forget_all_pages


class Command(BaseCommand):
    help = (
        "Make every cached visitor page stale, on all app servers: run once per release "
        "(new templates) and after writing to the database behind Django's back."
    )

    def handle(self, *args, **options):
        forget_all_pages()
        self.stdout.write("Every cached page will be rendered afresh.")
