from django.contrib.sitemaps import Sitemap

from profiles.models import Cluster


class ClusterSitemap(Sitemap):
    """Every published profile with the date it last changed."""

    changefreq = "weekly"

    def items(self):
        return Cluster.objects.published().order_by("pk").only("slug", "updated")

    def lastmod(self, cluster):
        return cluster.updated
