from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from cluster_portal.page_cache import DIRECTORY, by_day, cached_for_visitors

from .offers import CooperationOffer
from .search import PAGE_SIZE, OfferSearch


def offer_search(request):
    """This request's search, made once: the page cache's key and the page both read it."""
    if not hasattr(request, "offer_search"):
        request.offer_search = OfferSearch(request.GET)
    return request.offer_search


def page_number(request):
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


def list_params(request):
    """The list's key in the page cache: the valid search, its page, and today's date (an
    offer leaves the list the day after its deadline, so yesterday's page is not today's).
    None, so not stored, when part of the search was refused."""
    search = offer_search(request)
    if search.form.errors:
        return None
    return f"{search.query_string(page=page_number(request))}&{by_day(request)}"


# The lists show clusters' names and countries: the directory's token changes with them, and
# with every offer of a published cluster (cooperation/admin_offers.py, offers_changed).
@require_safe
@cached_for_visitors(DIRECTORY, params=list_params)
def offer_list(request):
    search = offer_search(request)
    paginator = Paginator(search.results(), PAGE_SIZE)
    try:
        page = paginator.page(page_number(request))
    except InvalidPage:
        page = paginator.page(paginator.num_pages)
    query_string = search.query_string()
    return render(request, "cooperation/offer_list.html", {
        "search": search,
        "form": search.form,
        "facet_fields": search.facet_fields,
        "active_choices": search.active_choices(),
        "filters_chosen": sum(facet.chosen_count for facet in search.facet_fields),
        "query_string": query_string,
        "page_query": search.query_string(page=page.number),
        "page": page,
    })


@require_safe
@cached_for_visitors(DIRECTORY, params=by_day)
def offer_detail(request, slug):
    offer = get_object_or_404(
        CooperationOffer.objects.public().select_related("cluster", "contact")
        .prefetch_related("sectoral_industries", "technology_fields", "industrial_ecosystems"),
        slug=slug,
    )
    return render(request, "cooperation/offer_detail.html", {"offer": offer})
