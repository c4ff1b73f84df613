from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cluster_portal.page_cache import PROFILE, cached_for_visitors
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


@cached_for_visitors(PROFILE)
def cluster_detail(request, slug, section="general"):
    cluster = published_profile(slug, section)
    sections = cluster.filled_sections()
    titles = dict(sections)
    if section not in titles:
        # A tab with nothing filled is not offered, so its URL does not exist either.
        raise Http404("This profile has no such section.")
    urls = cluster.page_urls()
    return render(
        request,
        "profiles/cluster_detail.html",
        {
            "cluster": cluster,
            "urls": urls,
            "tabs": [(slug, title, urls[slug]) for slug, title in sections],
            "section": section,
            "section_title": titles[section],
            "section_template": f"includes/profile/{section}.html",
            # The general tab is the profile's main page: its JSON-LD names the contacts too.
            "organization_ld": exports.organization_ld(
                cluster,
                exports.site_origin(request),
                contacts=cluster.contacts.all() if section == "general" else (),
            ),
        },
    )


def print_context(request, cluster, printed_on, origin=None):
    """What the print page shows; its address is written for `origin` ("https://host")
    when given (the PDF, rendered outside any request), else for the request's host."""
    urls = cluster.page_urls()
    if origin is not None:
        canonical_url = origin + urls["general"]
    else:
        canonical_url = request.build_absolute_uri(urls["general"])
    return {
        "cluster": cluster,
        "urls": urls,
        "sections": cluster.filled_sections(),
        "canonical_url": canonical_url,
        "printed_on": printed_on,
    }


@cached_for_visitors(PROFILE)
def cluster_print(request, slug):
    cluster = published_profile(slug)
    return render(
        request,
        "profiles/cluster_print.html",
        print_context(request, cluster, printed_on=timezone.localdate()),
    )
