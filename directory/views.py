from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cluster_portal.page_cache import DIRECTORY, cached_for_visitors
from profiles.models import Cluster

from .filters import PAGE_SIZE, ClusterFilter, with_cards


def directory_search(request):
    """This request's search, made once: the page cache's key and the page both read it."""
    if not hasattr(request, "directory_search"):
        request.directory_search = ClusterFilter(
            data=request.GET, queryset=Cluster.objects.published()
        )
    return request.directory_search


def search_params(request):
    """The directory's key in the page cache: the valid search, sorted, and the page.

    None (rendered, never stored) when the URL holds a value the form rejects: that page
    says so, and must not be served for the same search without the mistake.
    """
    search = directory_search(request)
    if not search.is_valid():
        return None
    return search.query_string(page=search.page_number(request.GET.get("page")))


def quick_search_params(request):
    """What search_params gives for a valid search, read from the URL alone (known names,
    values stripped, deduplicated and sorted): a stored page is then served without the
    queries that validating the search costs. A value the form would refuse only misses."""
    pairs = []
    for name in sorted(ClusterFilter.base_filters):
        pairs += [(name, value) for value in
                  sorted({value.strip() for value in request.GET.getlist(name)} - {""})]
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    if page > 1:
        pairs.append(("page", page))
    return urlencode(pairs)


@require_safe
@cached_for_visitors(DIRECTORY)
def home(request):
    recent = with_cards(Cluster.objects.published().order_by("-updated"))[:6]
    return render(
        request,
        "home.html",
        {"recent_clusters": recent, "cluster_count": Cluster.objects.published().count()},
    )


@require_safe
@cached_for_visitors(DIRECTORY, params=search_params, quick_params=quick_search_params)
def cluster_list(request):
    """The directory: words, facets with their counts, sort order and pages, all in the URL.

    What the page shows is read from the search's valid values (`canonical_pairs`), never
    from the raw query string: a stored page is the same for every URL of its cache key.
    """
    search = directory_search(request)
    facets = search.count_facets()
    paginator = Paginator(search.results(), PAGE_SIZE)
    paginator.count = search.total  # counted with the facets: saves a second search
    page = paginator.page(search.page_number(request.GET.get("page")))
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
            "filters_chosen": sum(facet.chosen_count for facet in search.facet_fields),
            "query_string": search.query_string(),
            # The language switcher carries this search (and page) to the other language.
            "page_query": search.query_string(page=page.number),
            "words": search.form.cleaned_data.get("q", ""),
        },
    )
