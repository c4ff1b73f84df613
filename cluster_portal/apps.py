from django.apps import AppConfig


class ClusterPortalConfig(AppConfig):
    name = "cluster_portal"
    verbose_name = "Cluster Portal"

    def ready(self):
        from . import page_cache

        page_cache.connect()
