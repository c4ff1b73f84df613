from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cluster_portal.page_cache import PROFILE, by_day, cached_for_visitors
from opendata import exports

from .models import Cluster


def published_profile(slug, section=None):
    """The published cluster `slug` with what its tab `section` (or every tab) shows, or 404."""
    clusters = Cluster.objects.published().filter(slug=slug)
    clusters = clusters.with_tab(section) if section else clusters.with_profile()
    try:
        return clusters.get()
    except Cluster.DoesNotExist:
        raise Http404("No such published profile.") from None


@require_safe
# The cooperation tab lists the open offers, which close by date (cooperation/offers.py).
@cached_for_visitors(PROFILE, params=by_day)
def cluster_detail(request, slug, section="general"):
    cluster = published_profile(slug, section)
    sections = cluster.filled_sections()
    titles = dict(sections)
    if section not in titles:
        # A tab with nothing filled is not offered, so its URL does not exist either.
        raise Http404("This profile has no such section.")
    urls = cluster.page_urls()
    origin = exports.site_origin()
    description = cluster.summary or _("Profile of %(name)s, a cluster organisation in "
                                       "%(country)s.") % {"name": cluster.name,
                                                          "country": cluster.country.name}
    return render(
        request,
        "profiles/cluster_detail.html",
        {
            "cluster": cluster,
            "urls": urls,
            "tabs": [(slug, Cluster.TAB_LABELS[slug], urls[slug]) for slug, _title in sections],
            "section": section,
            "section_title": titles[section],
            "section_template": f"includes/profile/{section}.html",
            "canonical_url": origin + urls[section],
            "description": description,
            # What a link to the profile shows when shared (templates/includes/social_meta.html).
            "og_title": cluster.name,
            "og_description": description,
            "og_url": origin + urls["general"],
            "og_image": exports.absolute_url(origin, cluster.logo.url) if cluster.logo else "",
            # The general tab is the profile's main page: its JSON-LD names the contacts too.
            "organization_ld": exports.organization_ld(
                cluster,
                exports.site_origin(),
                contacts=cluster.contacts.all() if section == "general" else (),
            ),
        },
    )


def print_context(cluster, for_pdf=False):
    """What the print page (and the PDF, rendered outside any request) shows. Dated by the
    profile's last change, never by the day it was printed: the page is cached."""
    urls = cluster.page_urls()
    return {
        "cluster": cluster,
        "urls": urls,
        "sections": cluster.filled_sections(),
        "canonical_url": exports.site_origin() + urls["general"],
        "for_pdf": for_pdf,
    }


@require_safe
@cached_for_visitors(PROFILE, params=by_day)
def cluster_print(request, slug):
    cluster = published_profile(slug)
    return render(
        request,
        "profiles/cluster_print.html",
        print_context(cluster),
    )
