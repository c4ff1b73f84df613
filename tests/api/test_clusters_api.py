"""/api/v1/clusters: the directory's search as JSON, the same clusters and counts for the same
query string, and a clear 400 for every bad parameter."""

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.facets import FACETS
from tests.conftest import once_per_module
from tests.directory.test_directory import FIELDS
from tests.factories import (
    ClusterExcellenceLabelFactory,
    ClusterFactory,
    CompositionFactory,
    EmergingIndustryFactory,
    IndustrialEcosystemFactory,
    S3PriorityAreaFactory,
    SectoralIndustryFactory,
    TargetCountryFactory,
    TechnologyFieldFactory,
)

pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.API_RATE_LIMIT = "100000/m"  # these tests ask hundreds of times


ALL_FACETS = "&".join(f"facets={name}" for name in FACETS)


@once_per_module
def catalogue():
    """Thirty published clusters over every facet (two pages), plus a draft and a retired one."""
    energy = SectoralIndustryFactory(name="Energy", labels={"es": "Energía"})
    textiles = SectoralIndustryFactory(name="Textiles")
    digital = TechnologyFieldFactory(name="Digital Technologies")
    grids = S3PriorityAreaFactory(name="Smart Grids")
    hydrogen = EmergingIndustryFactory(name="Hydrogen")
    mobility = IndustrialEcosystemFactory(name="Mobility")
    gold = ClusterExcellenceLabelFactory(name="Gold Label")
    clusters = [
        ClusterFactory(name="Sevilla Smart Grid Cluster", country="ES",
                       sectoral_industries=[energy], technology_fields=[digital],
                       s3_priority_areas=[grids], excellence_label=gold),
        ClusterFactory(name="Madrid Energy Alliance", country="ES", city="Madrid",
                       sectoral_industries=[energy, textiles], industrial_ecosystems=[mobility],
                       emerging_industries=[hydrogen]),
        ClusterFactory(name="Lyon Textile Network", country="FR", city="Lyon",
                       sectoral_industries=[textiles]),
        ClusterFactory(name="Paris Mobility Hub", country="FR", city="Paris",
                       industrial_ecosystems=[mobility], technology_fields=[digital]),
        ClusterFactory(name="Porto Energy Cluster", country="PT", city="Porto",
                       sectoral_industries=[energy], excellence_label=gold,
                       emerging_industries=[hydrogen]),
        ClusterFactory(name="München Digital Cluster", country="DE", city="München",
                       technology_fields=[digital], s3_priority_areas=[grids]),
    ]
    # Enough for a second page, some of them about energy in their strategy only.
    clusters += [
        ClusterFactory(name=f"Milano Cluster {n:02}", country="IT", city="Milano",
                       strategy="<p>Renewable energy for smart cities.</p>" if n % 2 else "",
                       sectoral_industries=[energy] if n % 3 == 0 else [])
        for n in range(24)
    ]
    for cluster, total in zip(clusters, [30, 120, 260, 49, 50, 5, 300], strict=False):
        CompositionFactory(cluster=cluster, total_members=total, sme_members=None,
                           large_company_members=None, research_members=None,
                           other_members=None)
    TargetCountryFactory(cluster=clusters[0], country="KR")
    TargetCountryFactory(cluster=clusters[2], country="KR")
    TargetCountryFactory(cluster=clusters[4], country="US")
    for hidden in (ClusterFactory(name="Draft Energy Cluster", draft=True,
                                  sectoral_industries=[energy]),
                   ClusterFactory(name="Retired Energy Cluster", retired=True,
                                  sectoral_industries=[energy])):
        TargetCountryFactory(cluster=hidden, country="KR")
    return {"energy": energy.slug, "digital": digital.slug, "grids": grids.slug,
            "hydrogen": hydrogen.slug, "mobility": mobility.slug, "gold": gold.slug,
            "textiles": textiles.slug}


def directory(client, query):
    """(slugs of the page's results in order, {facet: [(value, count, chosen)]}, total)."""
    response = client.get("/clusters/?" + query)
    assert response.status_code == 200
    context = response.context
    slugs = [cluster.slug for cluster in context["page"].object_list]
    counts = {field.name: [(value, count, chosen)
                           for _id, value, _label, count, chosen in field.choices]
              for field in context["facet_fields"] if field.choices}
    return slugs, counts, context["page"].paginator.count


def api(client, query):
    response = client.get("/api/v1/clusters?" + query)
    assert response.status_code == 200, response.content
    body = response.json()
    counts = {name: [(c["value"], c["count"], c["chosen"]) for c in choices]
              for name, choices in (body["facets"] or {}).items() if choices}
    return [result["slug"] for result in body["results"]], counts, body["count"]


QUERIES = [
    "",
    "q=energy",
    "q=smart+grid",
    "q=smrt",  # a typo, corrected the same way
    "q=energias",  # a plural and an accent
    "q=cluster&sort=name",
    "q=energy&sort=relevance",
    "sort=country",
    "sort=updated",
    "country=ES",
    "country=ES&country=PT",
    "sector={energy}",
    "sector={energy}&sector={textiles}",
    "technology={digital}",
    "s3={grids}",
    "emerging={hydrogen}",
    "ecosystem={mobility}&country=FR&country=ES",
    "label={gold}",
    "target=KR",
    "target=KR&target=US&sector={energy}",
    "members=1-49",
    "members=250%2B&members=1-49",
    "q=energy&country=ES&ecosystem={mobility}&members=50-249",
    "country=IT&page=2",
    "page=2",
    "q=cluster&page=2",
    "country=DE&sector={energy}",
]


@pytest.mark.parametrize("query", QUERIES)
def test_every_parameter_finds_the_directorys_clusters_and_counts(client, catalogue, query):
    query = query.format(**catalogue)
    found, counts, total = api(client, f"{query}&{ALL_FACETS}")
    assert (found, counts, total) == directory(client, query)


@pytest.mark.parametrize("query", QUERIES)
def test_a_search_asking_no_counts_finds_the_same_clusters_and_total(client, catalogue, query):
    # Counted without the facets (cheaper): the same results, order and total.
    query = query.format(**catalogue)
    found, _counts, total = api(client, query)
    directory_found, _directory_counts, directory_total = directory(client, query)
    assert (found, total) == (directory_found, directory_total)


def test_the_results_are_summaries_linking_to_the_page_and_the_record(client, catalogue):
    body = client.get("/api/v1/clusters?q=porto").json()
    assert body["results"] == [{
        "slug": "porto-energy-cluster", "name": "Porto Energy Cluster", "acronym": "",
        "country": "PT", "region": "Andalucía", "city": "Porto",
        "updated": body["results"][0]["updated"],
        "url": "http://testserver/clusters/porto-energy-cluster/",
        "api_url": "http://testserver/api/v1/clusters/porto-energy-cluster",
    }]
    assert body["directory_url"] == "http://testserver/clusters/?q=porto"
    assert body["facets"] is None  # counted only on request


def test_pages_link_to_each_other_with_the_same_search(client, catalogue):
    first = client.get("/api/v1/clusters?page_size=10&facets=country&country=IT").json()
    assert (first["count"], first["pages"], first["previous"]) == (24, 3, None)
    assert first["next"] == ("http://testserver/api/v1/clusters?country=IT&page_size=10"
                             "&facets=country&page=2")
    second = client.get(first["next"]).json()
    assert second["previous"] == ("http://testserver/api/v1/clusters?country=IT"
                                  "&page_size=10&facets=country")
    names = [r["name"] for r in first["results"] + second["results"]]
    assert names == [f"Milano Cluster {n:02}" for n in range(20)]


def test_facet_choices_carry_their_labels_in_both_languages(client, catalogue):
    body = client.get("/api/v1/clusters?facets=sector&facets=country&facets=members"
                      f"&sector={catalogue['energy']}").json()
    energy = next(c for c in body["facets"]["sector"] if c["value"] == catalogue["energy"])
    assert energy == {"value": "energy", "label": "Energy", "labels": {"es": "Energía"},
                      "count": 11, "chosen": True}
    spain = next(c for c in body["facets"]["country"] if c["value"] == "ES")
    assert (spain["label"], spain["labels"], spain["count"]) == ("Spain", {"es": "España"}, 2)
    band = next(c for c in body["facets"]["members"] if c["value"] == "250+")
    assert band["labels"] == {"es": "250 miembros o más"}
    assert set(body["facets"]) == {"sector", "country", "members"}


def test_drafts_and_retired_profiles_never_appear_nor_count(client, catalogue):
    for query in ["", "q=energy", f"sector={catalogue['energy']}&target=KR&{ALL_FACETS}"]:
        text = client.get("/api/v1/clusters?" + query).text
        assert "Draft Energy" not in text and "Retired Energy" not in text
    body = client.get(f"/api/v1/clusters?target=KR&{ALL_FACETS}").json()
    assert body["count"] == 2
    assert [(c["value"], c["count"]) for c in body["facets"]["target"]] == [("KR", 2),
                                                                           ("US", 1)]


@pytest.mark.parametrize(
    "query, parameter, message",
    [
        ("country=XX", "country",
         "Select a valid choice. XX is not one of the available choices."),
        ("sector=no-such-term", "sector", "Select a valid choice. no-such-term is not one of"),
        ("target=ZZZ&country=ES", "target", "Select a valid choice. ZZZ is not one of"),
        ("members=7-11", "members", "Input should be '1-49', '50-249' or '250+'"),
        ("q=" + "x" * 300, "q", "String should have at most 200 characters"),
        ("q=smart%00grid", "q", "Null characters are not allowed."),
        ("sector=ener%00gy", "sector", "Null characters are not allowed."),
        ("sort=%00", "sort", "Input should be 'relevance', 'name', 'country' or 'updated'"),
        ("page=0", "page", "Input should be greater than or equal to 1"),
        ("page=abc", "page", "Input should be a valid integer"),
        ("page=9", "page", "This search has 2 page(s) of 20; page 9 is past the last."),
        ("page_size=500", "page_size", "Input should be less than or equal to 100"),
        ("facets=colour", "facets", "Input should be 'country', 'sector'"),
        ("colour=red", "colour", "There is no parameter “colour”; the parameters are country,"),
    ],
)
def test_a_bad_parameter_gets_a_problem_saying_what_to_change(
    client, catalogue, query, parameter, message
):
    response = client.get("/api/v1/clusters?" + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    problem = json.loads(response.content)
    assert (problem["status"], problem["title"]) == (400, "Bad Request")
    assert parameter in problem["detail"]
    assert [error["parameter"] for error in problem["errors"]] == [parameter]
    assert problem["errors"][0]["message"].startswith(message)


def test_too_many_parameters_get_a_problem_too(client, catalogue):
    response = client.get("/api/v1/clusters?" + "&".join(["country=ES"] * 1001))
    assert response.status_code == 400
    assert json.loads(response.content)["detail"] == (
        "Too many parameters: at most 1000 in one request.")


API_FIELDS = [*FIELDS, "page_size", "facets"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pairs=st.lists(st.tuples(st.sampled_from(API_FIELDS), st.text(max_size=300)), max_size=8),
    raw=st.text(max_size=100),
)
def test_arbitrary_query_strings_never_give_a_server_error(client, catalogue, pairs, raw):
    for query in (urlencode(pairs), raw):
        response = client.get("/api/v1/clusters?" + query)
        assert response.status_code in (200, 400), query
        if response.status_code == 400:
            assert response["Content-Type"].startswith("application/problem+json")
            assert json.loads(response.content)["errors"]
