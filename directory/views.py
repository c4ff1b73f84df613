import csv
import io
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cluster_portal.page_cache import DIRECTORY, cached_for_visitors
from cooperation import network
from directory import maps, statistics
from directory.facets import PLACE
from opendata.exports import escape_formula
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


def quick_search_params(request, paged=True):
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
    if paged and page > 1:
        pairs.append(("page", page))
    return urlencode(pairs)


def unpaged_search_params(request):
    """search_params for the map and the statistics, which have no pages."""
    search = directory_search(request)
    return search.query_string() if search.is_valid() else None


def quick_unpaged_search_params(request):
    return quick_search_params(request, paged=False)


cached_search_page = cached_for_visitors(DIRECTORY, params=unpaged_search_params,
                                         quick_params=quick_unpaged_search_params)


@require_safe
@cached_for_visitors(DIRECTORY)
def home(request):
    recent = with_cards(Cluster.objects.published().order_by("-updated"))[:6]
    return render(
        request,
        "home.html",
        {"recent_clusters": recent, "cluster_count": Cluster.objects.published().count()},
    )


def search_context(search, facets):
    """What every view of a search shows around it: the form with its counts, the chosen
    values, and the search as a query string for the links between list, map and
    statistics."""
    return {
        "search": search,
        "form": search.form,
        "facet_fields": search.facet_fields,
        "active_choices": search.active_choices(facets),
        "filters_chosen": sum(facet.chosen_count for facet in search.facet_fields),
        "query_string": search.query_string(),
        "page_query": search.query_string(),
        "words": search.form.cleaned_data.get("q", ""),
        "total": search.total,
    }


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
    context = search_context(search, facets)
    context.update(
        page=page,
        some_words=search.some_words_results(),
        # The language switcher carries this search (and page) to the other language.
        page_query=search.query_string(page=page.number),
    )
    return render(request, "directory/cluster_list.html", context)


def view_of_search(request, current_view, crumb):
    """(search, its facet counts, the context around it) for the map, the statistics and
    the network of the request's search."""
    search = directory_search(request)
    facets = search.count_facets()
    context = search_context(search, facets)
    context.update(current_view=current_view, crumb=crumb)
    return search, facets, context


@require_safe
@cached_search_page
def cluster_map(request, view="europe"):
    """The search on a map: clusters per country (each a link to the list of that
    country's matches) and, for the matches with a location, points."""
    search = directory_search(request)
    facets = search.count_facets()
    counts = {value: count for value, _label, count, _chosen in facets["country"]}
    chosen = set(search.form.cleaned_data.get("country") or [])
    countries, bounds = maps.countries(view, counts, chosen,
                                       lambda code: search.replaced("country", code))
    points = maps.points(view, search.count_places())
    _name_single_points(search, points)
    context = search_context(search, facets)
    context.update(
        current_view="map",
        crumb=_("Map"),
        view=maps.VIEWS[view],
        views=maps.VIEWS.values(),
        countries=countries,
        linked_countries=[country for country in countries if country.count],
        legend=maps.legend(bounds),
        points=points,
        located=sum(point.count for point in points),
    )
    return render(request, "directory/cluster_map.html", context)


def _name_single_points(search, points):
    """Point each one-cluster point at its profile, and the others at their list."""
    singles = {point.cells[0]: point for point in points if point.count == 1}
    if singles:
        clusters = (search.matching(Cluster.objects.published())
                    .filter(facet_keys__facet=PLACE, facet_keys__value__in=list(singles))
                    .values_list("facet_keys__value", "slug", "name", "city"))
        for cell, slug, name, city in clusters:
            singles[cell].url = reverse("profiles:cluster-detail", args=[slug])
            singles[cell].name = f"{name}, {city}" if city else name
    directory = reverse("directory:cluster-list")
    for point in points:
        if not point.url:
            point.url = f"{directory}?{search.replaced(PLACE, point.cells)}"


@require_safe
@cached_search_page
def cluster_statistics(request):
    """The search in numbers: a bar chart and a table for each facet worth counting, and
    the members of the matching clusters."""
    search, facets, context = view_of_search(request, "statistics", _("Statistics"))
    context.update(
        charts=statistics.charts(search, facets),
        geometry=statistics.chart_geometry(),
        totals=statistics.membership_totals(search),
    )
    return render(request, "directory/cluster_statistics.html", context)


@require_safe
@cached_search_page
def cluster_network(request):
    """Who works with whom among the search's clusters: the largest connected groups drawn
    (bounded), and the partnerships between countries."""
    search, _facets, context = view_of_search(request, "network", _("Network"))
    context.update(
        network=network.portal_network(search),
        most_drawn=network.PORTAL_NODES,
    )
    return render(request, "directory/cluster_network.html", context)


@require_safe
def statistics_csv(request, facet):
    """One table of the statistics as CSV: the value and its number of clusters. Not in the
    page cache, which keeps no header but the type (a download needs its file name); the
    counts are cached under the data version as the page's are."""
    if facet not in statistics.CHART_FACETS:
        raise Http404
    search = directory_search(request)
    chart = next(chart for chart in statistics.charts(search, search.count_facets())
                 if chart.facet == facet)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(chart.heading), _("Clusters")])
    for bar in chart.bars:
        writer.writerow([escape_formula(str(bar.label)), bar.count])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="clusters-by-{facet}.csv"'
    return response
