from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Cluster profiles"

    def ready(self):
        from . import page_cache, signals  # noqa: F401  (signals: the search-document receivers)

        page_cache.connect()
