"""/api/v1/: the directory's search, the profiles and the vocabularies as JSON.

One search, three outputs: /api/v1/clusters reads its query with the directory's own
`ClusterFilter` (directory/filters.py), so that the same query string finds the same
clusters, in the same order, with the same counts as the page at /clusters/ and its exports.
A cluster's record is the one of profile.json (opendata/exports.py). Only published
profiles appear: every answer starts from `Cluster.objects.published()`.

Where the directory leaves a bad value out and says so on the page, the API answers 400
with a message for each bad parameter (api/http.py). A breaking change gets /api/v2/.
"""

import math
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django_countries import countries
from ninja import NinjaAPI, Query
from ninja.renderers import JSONRenderer

from api import http
from api.http import BadQuery, Validators
from api.schemas import (
    ClusterPage,
    ClusterQuery,
    OfferPage,
    OfferQuery,
    Problem,
    SearchQuery,
    Statistics,
    Vocabulary,
    VocabularyTerms,
    profile_schema_components,
)
from cluster_portal import page_cache
from cooperation.offers import CooperationOffer
from cooperation.search import OfferSearch
from directory import statistics
from directory.facets import BAND_LABELS, FACETS, PERIOD_LABELS, SIZE_BANDS
from directory.filters import PAGE_SIZE, ClusterFilter, term_models
from opendata import exports
from profiles.models import ENGLISH, Cluster, CooperationActivity, SupportService, Term
from profiles.views import published_profile

SEARCH_PARAMETERS = {"q", *FACETS}
PARAMETERS = {*SEARCH_PARAMETERS, "sort", "page", "page_size", "facets"}
# Every vocabulary of terms a parameter or a record uses: {slug: (parameter, model, name)}.
TERM_VOCABULARIES = {
    **{facet: (facet, model, ClusterFilter.base_filters[facet].label)
       for facet, model in term_models().items()},
    "support-services": (None, SupportService,
                         capfirst(Cluster._meta.get_field("support_services").verbose_name)),
    "activities": (None, CooperationActivity,
                   capfirst(CooperationActivity._meta.verbose_name_plural)),
}

DESCRIPTION = """The Cluster Portal's published profiles as open data: the directory's
search with its facet counts, each profile's full record (the JSON Schema of profile.json)
and the controlled vocabularies with their stable slugs and labels in every language.

Answers carry `ETag` and `Last-Modified`: ask again with `If-None-Match` (or
`If-Modified-Since`) and an unchanged answer is a bodiless `304`. Each address may ask a
limited number of times a minute (`429` with `Retry-After` beyond). Errors are
`application/problem+json`. GET from any origin (CORS). The portal's guide to this API is
docs/api.md in its source code."""


class PortalAPI(NinjaAPI):
    def __init__(self, **options):
        super().__init__(**options)
        self._schemas = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """ninja's description plus the profile JSON Schema the cluster record follows
        (overriding this method is ninja's documented way to extend the schema).

        Made once per process: it is written by the code alone, and making it takes some
        50 ms, which the OpenAPI file (outside the rate limit) would otherwise cost each time.
        """
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._schemas:
            self._schemas[key] = self._make_schema(path_prefix, path_params)
        return self._schemas[key]

    def _make_schema(self, path_prefix, path_params):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            # Every GET also answers HEAD, as HTTP says; listed once, under one operation id.
            operations.pop("head", None)
        schema["components"].setdefault("schemas", {}).update(profile_schema_components())
        return schema


class Renderer(JSONRenderer):
    # Names as their clusters write them ("Andalucía"), not as \u escapes.
    json_dumps_params = {"ensure_ascii": False}


def _docs_view(view):
    # The docs page and openapi.json change with a release only.
    return gzip_page(cache_control(public=True, max_age=3600)(view))


api = PortalAPI(
    title="Cluster Portal open data API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_decorator=_docs_view,
    throttle=http.AddressRateThrottle(),
    renderer=Renderer(),
)
api.add_decorator(gzip_page, mode="view")
http.install_problem_handlers(api)

ERRORS = {400: Problem, 404: Problem, 429: Problem}
SAFE = ["GET", "HEAD"]


def _absolute(path, pairs=()):
    query = urlencode(list(pairs))
    return settings.SITE_URL + path + (f"?{query}" if query else "")


def _labels(text):
    """{language: `text` in it} for every language but English; `text` is a translatable
    string, or a function giving one in the active language."""
    labels = {}
    for code, _name in Term.other_languages():
        with translation.override(code):
            labels[code] = str(text() if callable(text) else text)
    return labels


def _term(term):
    """A vocabulary term as profile records give it (slug, English label, other labels)."""
    return {**exports.term_data(term), "active": term.is_active}


def _country_names(code):
    return _labels(lambda: countries.name(code))


@api.api_operation(SAFE, "/", response={200: dict[str, str], 429: Problem}, url_name="index",
                   tags=["index"], summary="Where everything is")
def index(request, response: HttpResponse):
    """The addresses of the API's endpoints, its description and its documentation."""
    validators = Validators(request, page_cache.SITE)
    if answer := validators.not_modified():
        return answer
    names = {"clusters": "clusters", "offers": "offers", "statistics": "statistics",
             "vocabularies": "vocabularies", "openapi": "openapi-json",
             "docs": "openapi-view"}
    validators.stamp(response)
    return {key: settings.SITE_URL + reverse(f"api-v1:{name}") for key, name in names.items()}


# --- Clusters ------------------------------------------------------------------------------


@api.api_operation(SAFE, "/clusters", response={200: ClusterPage, **ERRORS},
                   tags=["clusters"], summary="Search the published clusters")
def clusters(request, response: HttpResponse, query: Query[ClusterQuery]):
    """The directory's search: the same parameters as /clusters/, with the same results in
    the same order and the same facet counts. Choices combine with OR within a facet and
    AND across facets."""
    _refuse_unknown(request, PARAMETERS)
    validators = Validators(request, page_cache.DIRECTORY)
    if answer := validators.not_modified():
        return answer
    with translation.override(ENGLISH):
        body = _search(request, query.page, query.page_size, query.facets)
    validators.stamp(response)
    return body


def _refuse_unknown(request, parameters):
    unknown = sorted(set(request.GET) - parameters)
    if unknown:
        raise BadQuery([(name, f"There is no parameter “{name}”; the parameters are "
                               f"{', '.join(sorted(parameters))}.") for name in unknown])


def _valid_search(request):
    search = ClusterFilter(data=request.GET, queryset=Cluster.objects.published())
    if not search.is_valid():
        raise BadQuery([(name, message) for name, messages in search.form.errors.items()
                        for message in messages])
    return search


def _search(request, page, page_size, facets):
    search = _valid_search(request)
    # The facets' counts only when asked for: a chosen facet's counts are a search each.
    counted = search.count_facets() if facets else search.count_matches()
    start, paging = _paging(request, search.total, page, page_size, search.canonical_pairs(),
                            after=[("facets", name) for name in sorted(set(facets))])
    found = search.results()[start:start + page_size]
    return {
        **paging,
        "directory_url": _absolute(reverse("directory:cluster-list"), search.canonical_pairs()),
        "results": [_summary(cluster) for cluster in found],
        "facets": {name: _facet_choices(search, name, counted[name])
                   for name in FACETS if name in facets} if facets else None,
    }


def _paging(request, total, page, page_size, pairs, after=()):
    """(first result's index, {count, page, page_size, pages, next, previous}) of `page` of
    a search of `total` results; the links carry the search's `pairs`, the page size, then
    `after`."""
    pages = max(1, math.ceil(total / page_size))
    if page > pages:
        raise BadQuery([("page", f"This search has {pages} page(s) of {page_size}; "
                                 f"page {page} is past the last.")])

    def link(number):
        linked = [*pairs, *([("page_size", page_size)] if page_size != PAGE_SIZE else []),
                  *after]
        if number > 1:
            linked.append(("page", number))
        return _absolute(request.path, linked)

    return (page - 1) * page_size, {
        "count": total,
        "page": page,
        "page_size": page_size,
        "pages": pages,
        "next": link(page + 1) if page < pages else None,
        "previous": link(page - 1) if page > 1 else None,
    }


def _summary(cluster):
    return {
        "slug": cluster.slug,
        "name": cluster.name,
        "acronym": cluster.acronym,
        "country": cluster.country.code,
        "region": cluster.region,
        "city": cluster.city,
        "updated": cluster.updated.isoformat(timespec="seconds"),
        "url": settings.SITE_URL + cluster.get_absolute_url(),
        "api_url": settings.SITE_URL + reverse("api-v1:cluster", args=[cluster.slug]),
    }


def _facet_choices(search, name, choices):
    """The directory's counted choices of one facet, with their labels in every language."""
    return [{"value": value, "label": str(label), "labels": _value_labels(search, name, value),
             "count": count, "chosen": chosen} for value, label, count, chosen in choices]


def _value_labels(search, name, value):
    terms = search.terms_by_slug.get(name, {})
    if value in terms:
        return _term(terms[value])["labels"]
    if name == "members":
        return _labels(BAND_LABELS[value])
    if name == "established":
        return _labels(PERIOD_LABELS[value])
    return _country_names(value)


# --- Statistics ------------------------------------------------------------------------------


@api.api_operation(SAFE, "/statistics", response={200: Statistics, **ERRORS},
                   url_name="statistics", tags=["statistics"],
                   summary="The statistics of a search")
def statistics_of_search(request, response: HttpResponse, query: Query[SearchQuery]):
    """The numbers of the directory's statistics page (/clusters/statistics/) for the same
    query string: clusters by country, sectoral industry, industrial ecosystem, excellence
    label, number of members and year established, and the members of the matches."""
    _refuse_unknown(request, SEARCH_PARAMETERS)
    validators = Validators(request, page_cache.DIRECTORY)
    if answer := validators.not_modified():
        return answer
    with translation.override(ENGLISH):
        search = _valid_search(request)
        charts = statistics.charts(search, search.count_facets())
        body = {
            "count": search.total,
            "statistics_url": _absolute(reverse("directory:cluster-statistics"),
                                        search.canonical_pairs()),
            "directory_url": _absolute(reverse("directory:cluster-list"),
                                       search.canonical_pairs()),
            "tables": [{"facet": chart.facet, "title": str(chart.title), "rows": [
                {"value": bar.value, "label": str(bar.label),
                 "labels": _value_labels(search, chart.facet, bar.value), "count": bar.count,
                 "chosen": bar.chosen,
                 "clusters_url": settings.SITE_URL + reverse("api-v1:clusters") + "?"
                 + bar.query} for bar in chart.bars]} for chart in charts],
            "members": {key: value for key, value in statistics.membership_totals(search).items()
                        if key in ("members", "smes", "reporting", "reporting_smes")},
        }
    validators.stamp(response)
    return body


@api.api_operation(
    SAFE, "/clusters/{slug}", response={200: dict[str, Any], 404: Problem, 429: Problem},
    url_name="cluster",
    tags=["clusters"], summary="One published profile, as profile.json",
    openapi_extra={"responses": {200: {
        "description": "The profile document: the same as /clusters/{slug}/profile.json.",
        "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/ClusterProfileDocument"}}},
    }}},
)
def cluster(request, slug: str, response: HttpResponse):
    """The whole public profile of one cluster: the record of the profile JSON Schema
    (`schema` names it), the same document as the profile's profile.json."""
    validators = Validators(request, page_cache.profile_topic(slug), by_day=True)  # offers
    if answer := validators.not_modified():
        return answer
    document = exports.profile_document(published_profile(slug), exports.site_origin())
    validators.stamp(response)
    return document


# --- Cooperation offers ------------------------------------------------------------------

OFFER_PARAMETERS = set(OfferQuery.model_fields)


@api.api_operation(SAFE, "/offers", response={200: OfferPage, **ERRORS}, url_name="offers",
                   tags=["offers"], summary="Search the cooperation offers")
def offers(request, response: HttpResponse, query: Query[OfferQuery]):
    """The search of /cooperation-offers/: the same parameters, the same offers in the same
    order; open offers unless `state=closed` asks for the closed and past-deadline ones."""
    _refuse_unknown(request, OFFER_PARAMETERS)
    validators = Validators(request, page_cache.DIRECTORY, by_day=True)
    if answer := validators.not_modified():
        return answer
    cluster = None
    if query.cluster:
        cluster = Cluster.objects.published().filter(slug=query.cluster).first()
        if cluster is None:
            raise BadQuery([("cluster", f"There is no published cluster “{query.cluster}”.")])
    with translation.override(ENGLISH):
        search = OfferSearch(request.GET, cluster=cluster)
        if search.form.errors:
            raise BadQuery([(name, message) for name, messages in search.form.errors.items()
                            for message in messages])
        body = _offer_page(request, search, query.page, query.page_size, query.cluster)
    validators.stamp(response)
    return body


def _offer_page(request, search, page, page_size, cluster_slug):
    pairs = search.canonical_pairs() + ([("cluster", cluster_slug)] if cluster_slug else [])
    start, paging = _paging(request, search.total, page, page_size, pairs)
    found = [offer.pk for offer in search.results()[start:start + page_size]]
    # The page's offers with what their records read, in the search's order.
    by_id = CooperationOffer.objects.for_export().in_bulk(found)
    origin = exports.site_origin()
    return {
        **paging,
        "list_url": _absolute(reverse("cooperation:offer-list"), search.canonical_pairs()),
        "results": [exports.offer_record(by_id[pk], origin) for pk in found],
    }


@api.api_operation(
    SAFE, "/offers/{offer}", response={200: dict[str, Any], 404: Problem, 429: Problem},
    url_name="offer", tags=["offers"], summary="One cooperation offer, by its slug or id",
    openapi_extra={"responses": {200: {
        "description": "The offer, with the cluster that published it.",
        "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/CooperationOffer"}}},
    }}},
)
def offer(request, offer: str, response: HttpResponse):
    """One offer of a published cluster, open or closed (`open` says which); a draft is
    unknown."""
    validators = Validators(request, page_cache.DIRECTORY, by_day=True)
    if answer := validators.not_modified():
        return answer
    lookup = {"pk": int(offer)} if offer.isdigit() else {"slug": offer}
    found = CooperationOffer.objects.public().for_export().filter(**lookup).first()
    if found is None:
        raise Http404(f"There is no published cooperation offer “{offer}”.")
    body = exports.offer_record(found, exports.site_origin())
    validators.stamp(response)
    return body


# --- Vocabularies ----------------------------------------------------------------------------


def _vocabularies():
    found = [(slug, parameter, name)
             for slug, (parameter, _model, name) in TERM_VOCABULARIES.items()]
    found.append(("countries", "country", ClusterFilter.base_filters["country"].label))
    found.append(("members", "members", ClusterFilter.base_filters["members"].label))
    return [
        {"slug": slug, "label": _english(name), "labels": _labels(name),
         "parameter": parameter, "url": settings.SITE_URL + reverse("api-v1:vocabulary",
                                                                    args=[slug])}
        for slug, parameter, name in found
    ]


def _english(text):
    with translation.override(ENGLISH):
        return str(text)


@api.api_operation(SAFE, "/vocabularies", response={200: list[Vocabulary], 429: Problem},
                   tags=["vocabularies"], summary="The controlled vocabularies")
def vocabularies(request, response: HttpResponse):
    """Every vocabulary the profiles and the search parameters use, with the parameter of
    /api/v1/clusters that takes its terms."""
    validators = Validators(request, page_cache.DIRECTORY)
    if answer := validators.not_modified():
        return answer
    body = _vocabularies()
    validators.stamp(response)
    return body


@api.api_operation(SAFE, "/vocabularies/{vocabulary}",
                   response={200: VocabularyTerms, 404: Problem, 429: Problem},
                   url_name="vocabulary", tags=["vocabularies"],
                   summary="The terms of one vocabulary")
def vocabulary(request, vocabulary: str, response: HttpResponse):
    """A vocabulary's terms in its order: each with its stable slug (the value of the
    search parameter, and the `slug` of a term in profile records) and its labels."""
    described = {item["slug"]: item for item in _vocabularies()}
    if vocabulary not in described:
        raise Http404(f"There is no vocabulary “{vocabulary}”; the vocabularies are "
                      f"{', '.join(described)}.")
    validators = Validators(request, page_cache.DIRECTORY)
    if answer := validators.not_modified():
        return answer
    if vocabulary in TERM_VOCABULARIES:
        model = TERM_VOCABULARIES[vocabulary][1]
        terms = [_term(term) for term in model.objects.all()]
    elif vocabulary == "members":
        terms = [{"slug": value, "label": _english(label), "active": True,
                  "labels": _labels(label)}
                 for value, label, _low, _high in SIZE_BANDS]
    else:
        with translation.override(ENGLISH):
            terms = [{"slug": code, "label": str(name), "active": True,
                      "labels": _country_names(code)} for code, name in countries]
    validators.stamp(response)
    return {"vocabulary": described[vocabulary], "terms": terms}
