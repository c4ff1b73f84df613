from django.core.paginator import Paginator
from django.shortcuts import render

from cluster_portal.page_cache import DIRECTORY, cached_for_visitors
from profiles.models import Cluster

from .filters import PAGE_SIZE, ClusterFilter


@cached_for_visitors(DIRECTORY)
def home(request):
    recent = Cluster.objects.published().select_related().order_by("-updated")[:6]
    return render(
        request,
        "home.html",
        {"recent_clusters": recent, "cluster_count": Cluster.objects.published().count()},
    )


@cached_for_visitors(DIRECTORY)
def cluster_list(request):
    """The directory: words, facets with their counts, sort order and pages, all in the URL."""
    search = ClusterFilter(data=request.GET, queryset=Cluster.objects.published())
    facets = search.count_facets()
    paginator = Paginator(search.results(), PAGE_SIZE)
    paginator.count = search.total  # counted with the facets: saves a second search
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "directory/cluster_list.html",
        {
            "search": search,
            "form": search.form,
            "facet_fields": search.facet_fields,
            "page": page,
            "some_words": search.some_words_results(),
            "active_choices": search.active_choices(facets),
            "query_string": search.query_string(),
            "words": search.form.cleaned_data.get("q", ""),
        },
    )
