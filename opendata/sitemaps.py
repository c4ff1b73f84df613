"""The sitemap: an index of files of at most 50,000 profile addresses each, at SITE_URL.

The portal's own two small views rather than django.contrib.sitemaps' `index` and
`sitemap`: those take the host from the request (`get_current_site` without
django.contrib.sites), and a sitemap must name the portal's public address whatever Host
header a crawler or a proxy sent. They render that app's documented templates
(`sitemap_index.xml`, `sitemap.xml`) with the context those expect.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Max
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from cooperation.models import CooperationOffer
from opendata.exports import site_origin
from profiles.models import Cluster


class ClusterSitemap(Sitemap):
    """Every published profile in every language, with the date it last changed and its
    address in the other languages (`hreflang` alternates)."""

    changefreq = "weekly"
    # The sitemaps protocol's most addresses per file, each profile listed once per language.
    limit = 50_000 // len(settings.LANGUAGES)

    def items(self):
        return Cluster.objects.published().order_by("pk").only("slug", "updated")

    def lastmod(self, cluster):
        return cluster.updated

    def get_latest_lastmod(self):
        # One aggregate, not Sitemap's default of reading every item.
        return Cluster.objects.published().aggregate(latest=Max("updated"))["latest"]


class OfferSitemap(Sitemap):
    """The open cooperation offers: a closed, draft or expired offer is not listed."""

    changefreq = "daily"
    limit = ClusterSitemap.limit

    def items(self):
        return CooperationOffer.objects.listed().order_by("pk").only("slug", "updated")

    def lastmod(self, offer):
        return offer.updated

    def get_latest_lastmod(self):
        return CooperationOffer.objects.listed().aggregate(latest=Max("updated"))["latest"]


SITEMAPS = {"profiles": ClusterSitemap, "offers": OfferSitemap}


def _response(request, template, context, lastmod):
    headers = {"X-Robots-Tag": "noindex, noodp, noarchive"}
    if lastmod:
        headers["Last-Modified"] = http_date(lastmod.timestamp())
    return TemplateResponse(request, template, context, content_type="application/xml",
                            headers=headers)


@require_safe
def sitemap_index(request):
    """One entry per file of each section: `sitemap-<section>.xml`, then `?p=2`, …"""
    entries, latest = [], []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = site_origin() + reverse("sitemap-section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        pages = Paginator(sitemap.items(), sitemap.limit).num_pages
        entries += [
            {"location": location if number == 1 else f"{location}?p={number}",
             "last_mod": lastmod}
            for number in range(1, pages + 1)
        ]
        latest.append(lastmod)
    # A section with nothing in it (no open offer) has no date, and does not hide the others'.
    lastmod = max((date for date in latest if date), default=None)
    return _response(request, "sitemap_index.xml", {"sitemaps": entries}, lastmod)


@require_safe
def sitemap_section(request, section):
    """Page `p` of a section's addresses, each with its last change."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    sitemap = SITEMAPS[section]()
    try:
        page = Paginator(sitemap.items(), sitemap.limit).page(request.GET.get("p", 1))
    except InvalidPage:
        raise Http404("No such page of the sitemap.") from None
    origin = site_origin()
    urlset = []
    for item in page:
        alternates = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                alternates.append({"lang_code": code,
                                   "location": origin + item.get_absolute_url()})
        default = next(a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE)
        alternates.append({"lang_code": "x-default", "location": default["location"]})
        urlset += [
            {
                "item": item,
                "location": alternate["location"],
                "lastmod": sitemap.lastmod(item),
                "changefreq": sitemap.changefreq,
                "priority": None,
                "alternates": alternates,
            }
            for alternate in alternates[:-1]
        ]
    lastmod = max((url["lastmod"] for url in urlset), default=None)
    return _response(request, "sitemap.xml", {"urlset": urlset}, lastmod)
