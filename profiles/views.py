from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .filters import PAGE_SIZE, ClusterFilter
from .models import Cluster


def home(request):
    recent = Cluster.objects.published().select_related().order_by("-updated")[:6]
    return render(
        request,
        "home.html",
        {"recent_clusters": recent, "cluster_count": Cluster.objects.published().count()},
    )


def cluster_list(request):
    """The directory: words, facets with their counts, sort order and pages, all in the URL."""
    search = ClusterFilter(data=request.GET, queryset=Cluster.objects.published())
    facets = search.count_facets()
    clusters = search.qs.only("name", "slug", "acronym", "country", "city", "region", "updated")
    paginator = Paginator(clusters, PAGE_SIZE)
    paginator.count = search.total  # counted with the facets: saves a second search
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "profiles/cluster_list.html",
        {
            "search": search,
            "form": search.form,
            "facet_fields": search.facet_fields,
            "page": page,
            "active_choices": search.active_choices(facets),
            "query_string": search.query_string(),
            "words": search.form.cleaned_data.get("q", ""),
        },
    )


def _published_profile(slug):
    return get_object_or_404(Cluster.objects.published().with_profile(), slug=slug)


def cluster_detail(request, slug, section="general"):
    cluster = _published_profile(slug)
    sections = cluster.filled_sections()
    titles = dict(sections)
    if section not in titles:
        # A tab with nothing filled is not offered, so its URL does not exist either.
        raise Http404("This profile has no such section.")
    return render(
        request,
        "profiles/cluster_detail.html",
        {
            "cluster": cluster,
            "sections": sections,
            "section": section,
            "section_title": titles[section],
            "section_template": f"includes/profile/{section}.html",
        },
    )


def cluster_print(request, slug):
    cluster = _published_profile(slug)
    return render(
        request,
        "profiles/cluster_print.html",
        {
            "cluster": cluster,
            "sections": cluster.filled_sections(),
            "canonical_url": request.build_absolute_uri(cluster.get_absolute_url()),
            "printed_on": timezone.localdate(),
        },
    )
