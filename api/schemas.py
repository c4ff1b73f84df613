"""The shapes of the API's answers, from which ninja writes the OpenAPI description.

One cluster's record is not described here: it is the profile record of
opendata/schema/cluster-profile-v1.json, embedded in the OpenAPI file as it is
(`profile_schema_components`), so that profile.json, the exports and the API share one schema.
"""

import json
from typing import Literal

from ninja import Field, Schema

from cooperation.offers import CooperationOffer
from cooperation.search import SORTS as OFFER_SORTS
from directory.facets import BAND_LABELS, FACETS, PERIOD_LABELS
from directory.filters import MAX_QUERY_LENGTH, PAGE_SIZE, SORTS
from opendata.exports import SCHEMA_PATH

OFFER_KINDS = CooperationOffer.Kind.values

MAX_PAGE_SIZE = 100

LABELS = ("The label in each other language of the portal, by language code; a language "
          "missing here shows the English label.")


def _terms_of(vocabulary):
    return Field([], description=f"Slugs of /api/v1/vocabularies/{vocabulary}; any of them (OR).")


class SearchQuery(Schema):
    """The directory's search (/clusters/?…): its words and facets.

    The names and values are those of the directory; `ClusterFilter` reads them (api/v1.py):
    these declarations describe them and check their types."""

    q: str | None = Field(
        None, max_length=MAX_QUERY_LENGTH,
        description="Words, as in the directory's search box: every word must match (a name, "
                    "place, strategy, specialisation, partner…); a mistyped one is corrected.")
    country: list[str] = Field([], description="ISO 3166 codes; any of them (OR).")
    sector: list[str] = _terms_of("sector")
    technology: list[str] = _terms_of("technology")
    s3: list[str] = _terms_of("s3")
    emerging: list[str] = _terms_of("emerging")
    ecosystem: list[str] = _terms_of("ecosystem")
    label: list[str] = _terms_of("label")
    target: list[str] = Field([], description="Cooperation target countries, ISO 3166 codes.")
    members: list[Literal[tuple(BAND_LABELS)]] = Field(
        [], description="Membership size bands (/api/v1/vocabularies/members).")
    established: list[Literal[tuple(PERIOD_LABELS)]] = Field(
        [], description="Periods of the year established: " + ", ".join(PERIOD_LABELS) + ".")


class ClusterQuery(SearchQuery):
    """The directory's query string (/clusters/?…), plus paging and the counts to give."""

    sort: Literal[tuple(SORTS)] | None = Field(
        None, description="Order of the results: relevance (the default with words: name "
                          "matches first), name (the default without), country, or updated "
                          "(newest first).")
    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                           description=f"Results per page, 1 to {MAX_PAGE_SIZE}.")
    facets: list[Literal[tuple(FACETS)]] = Field(
        [], description="Facets to count: for each, its choices and how many clusters each "
                        "would find. Repeat the parameter for several.")


class OfferQuery(Schema):
    """The query string of /cooperation-offers/?…, plus `cluster` and paging; the list's own
    search (cooperation/search.py) reads it."""

    q: str | None = Field(None, max_length=200,
                          description="Words of the title or description; every word must "
                                      "match, accents and case aside.")
    sort: Literal[tuple(OFFER_SORTS)] | None = Field(
        None, description="newest (the default), deadline (soonest first) or title.")
    kind: list[Literal[tuple(OFFER_KINDS)]] = Field([], description="Kinds of offer (OR).")
    sector: list[str] = _terms_of("sector")
    ecosystem: list[str] = _terms_of("ecosystem")
    country: list[str] = Field([], description="Countries of the publishing clusters, "
                                               "ISO 3166 codes (OR).")
    target: list[str] = Field([], description="Target countries of the offers, ISO 3166 codes.")
    state: list[Literal["open", "closed"]] = Field(
        [], description="open (the default) and/or closed: closed or past their deadline.")
    cluster: str | None = Field(None, description="Only the offers of this cluster (its slug).")
    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                           description=f"Results per page, 1 to {MAX_PAGE_SIZE}.")


class OfferPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    next: str | None
    previous: str | None
    list_url: str = Field(description="The same search on the portal's list of offers.")
    results: list[dict] = Field(description="Offers as the CooperationOffer schema gives "
                                            "them, each with its `cluster`.")


class ClusterSummary(Schema):
    """What a result of the directory shows; the whole profile is at `api_url`."""

    slug: str = Field(description="Stable identifier of the profile, in every address of it.")
    name: str
    acronym: str
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    region: str
    city: str
    updated: str = Field(description="When the public profile last changed (ISO 8601).")
    url: str = Field(description="The profile page.")
    api_url: str = Field(description="The whole profile record in this API.")


class FacetChoice(Schema):
    value: str = Field(description="What to pass in the facet's parameter.")
    label: str = Field(description="English label.")
    labels: dict[str, str] = Field(description=LABELS)
    count: int = Field(description="How many clusters the search would find with this "
                                   "choice added (OR within a facet, AND across facets).")
    chosen: bool


class ClusterPage(Schema):
    count: int = Field(description="How many published clusters match.")
    page: int
    page_size: int
    pages: int
    next: str | None = Field(description="The next page of this search, if any.")
    previous: str | None
    directory_url: str = Field(description="The same search in the directory's web page.")
    results: list[ClusterSummary]
    facets: dict[str, list[FacetChoice]] | None = Field(
        None, description="The counts of the facets asked for with `facets`, by facet.")


class StatisticsRow(FacetChoice):
    """A bar of the statistics page: the facet's count of one value (as `FacetChoice`)."""

    clusters_url: str = Field(description="Those clusters: this search with this value as "
                                          "its facet's only choice, in this API.")


class StatisticsTable(Schema):
    facet: str = Field(description="The search parameter the table counts.")
    title: str = Field(description="English title, as on the statistics page.")
    rows: list[StatisticsRow] = Field(description="The values counting some cluster: "
                                                  "countries by number, the rest in the "
                                                  "directory's order.")


class MembershipTotals(Schema):
    members: int = Field(description="Members of the matching clusters that give them.")
    smes: int = Field(description="SME members of the matching clusters that give them.")
    reporting: int = Field(description="How many matching clusters give their members.")
    reporting_smes: int = Field(description="How many give their SME members.")


class Statistics(Schema):
    count: int = Field(description="How many published clusters match.")
    statistics_url: str = Field(description="The same statistics as a web page.")
    directory_url: str = Field(description="The same search in the directory's web page.")
    tables: list[StatisticsTable]
    members: MembershipTotals


class Vocabulary(Schema):
    slug: str = Field(description="Stable identifier: /api/v1/vocabularies/{slug}.")
    label: str = Field(description="English name.")
    labels: dict[str, str] = Field(description=LABELS)
    parameter: str | None = Field(
        description="The /api/v1/clusters parameter that takes its terms, if any.")
    url: str


class VocabularyTerm(Schema):
    slug: str = Field(description="Stable identifier; kept when the label is renamed.")
    label: str = Field(description="English label.")
    labels: dict[str, str] = Field(description=LABELS)
    active: bool = Field(description="Still offered to editors; a retired term stays on "
                                     "the profiles that carry it.")


class VocabularyTerms(Schema):
    vocabulary: Vocabulary
    terms: list[VocabularyTerm]


class Problem(Schema):
    """An error (RFC 9457, application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str = Field(description="What went wrong and what to change.")
    errors: list[dict[str, str]] | None = Field(
        None, description="One {parameter, message} for each bad parameter.")


def profile_schema_components():
    """The profile JSON Schema as OpenAPI components: `ClusterProfileDocument` (profile.json),
    `ClusterProfile`, `ProfileTerm` and `CooperationOffer`, its references pointed at the
    components."""
    schema = json.loads(SCHEMA_PATH.read_text())
    names = {"cluster": "ClusterProfile", "term": "ProfileTerm", "offer": "CooperationOffer"}

    def point(node):
        if isinstance(node, dict):
            return {key: (f"#/components/schemas/{names[value.rsplit('/', 1)[1]]}"
                          if key == "$ref" else point(value)) for key, value in node.items()}
        if isinstance(node, list):
            return [point(item) for item in node]
        return node

    definitions = schema.pop("$defs")
    for key in ("$schema", "$id"):
        schema.pop(key)
    components = {names[name]: point(body) for name, body in definitions.items()}
    components["ClusterProfileDocument"] = point(schema)
    return components
