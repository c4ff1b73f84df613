"""Atom feeds of open offers: of any search of the list (`?<its query string>`), and of one
cluster (`?cluster=<slug>`). Visitors follow them in a feed reader, without an account."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from opendata.exports import site_origin
from profiles.models import Cluster

from .search import OfferSearch

FEED_SIZE = 50


class OfferFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        data = request.GET.copy()
        data.pop("state", None)  # a feed follows open offers only: the expired ones leave it
        data.pop("page", None)
        cluster = None
        if slug := data.pop("cluster", [None])[0]:
            cluster = Cluster.objects.published().filter(slug=slug).first()
            if cluster is None:
                raise Http404("No such published cluster.")
        self.query = request.GET.urlencode()
        return OfferSearch(data, cluster=cluster)

    # Absolute addresses from SITE_URL, never from the request's Host header.
    def feed_url(self, search):
        query = f"?{self.query}" if self.query else ""
        return site_origin() + reverse("cooperation:offer-feed") + query

    def title(self, search):
        if search.cluster is not None:
            return _("Cooperation offers of %(cluster)s") % {"cluster": search.cluster.name}
        return _("Cooperation offers – Cluster Portal")

    def subtitle(self, search):
        return _("Open offers and requests of cluster organisations, newest first.")

    def link(self, search):
        if search.cluster is not None:
            return site_origin() + search.cluster.get_absolute_url()
        query = search.query_string()
        return site_origin() + reverse("cooperation:offer-list") + (f"?{query}" if query else "")

    def items(self, search):
        return search.results()[:FEED_SIZE]

    def item_link(self, offer):
        return site_origin() + offer.get_absolute_url()

    def item_title(self, offer):
        return offer.title

    def item_description(self, offer):
        return offer.description

    def item_pubdate(self, offer):
        return offer.published_at

    def item_updateddate(self, offer):
        return offer.updated

    def item_author_name(self, offer):
        return offer.cluster.name

    def item_author_link(self, offer):
        return site_origin() + offer.cluster.get_absolute_url()

    def item_categories(self, offer):
        return [offer.get_kind_display()]
