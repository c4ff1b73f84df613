from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Cluster profiles"

    def ready(self):
        from . import signals  # noqa: F401  (the search-document receivers)
