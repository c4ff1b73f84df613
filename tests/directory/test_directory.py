"""The directory at /clusters/: words, facets with counts, sort, pages and bad input."""

import re
from urllib.parse import urlencode

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cluster_portal import changes
from tests.factories import (
    ClusterExcellenceLabelFactory,
    ClusterFactory,
    CompositionFactory,
    FullClusterFactory,
    IndustrialEcosystemFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
    TargetCountryFactory,
    TechnologyFieldFactory,
)

pytestmark = pytest.mark.django_db

def listed(response):
    """Slugs of the clusters in the result list, in the order shown."""
    assert response.status_code == 200
    results = response.text.split('class="list-unstyled cluster-cards cluster-list"', 1)
    if len(results) == 1:
        return []
    return re.findall(r'<h3 class="card-name"><a href="(?:/es)?/clusters/([^/]+)/">', results[1])


def choice_label(response, facet, value):
    """The text of the checkbox label for `value` in `facet`, e.g. "Spain (2)"; None if absent."""
    match = re.search(
        rf'name="{facet}" value="{re.escape(value)}"[^>]*id="(id_{facet}_\d+)"', response.text
    )
    if not match:
        return None
    label = re.search(rf'<label for="{match[1]}"[^>]*>\s*(.*?)\s*</label>', response.text, re.S)
    return label[1]


def members(cluster, total):
    return CompositionFactory(
        cluster=cluster, total_members=total, sme_members=None, large_company_members=None,
        research_members=None, other_members=None,
    )


@pytest.fixture
def catalogue():
    """Six published clusters spread over the facets, plus a draft and a retired one."""
    energy = SectoralIndustryFactory(name="Energy")
    textiles = SectoralIndustryFactory(name="Textiles")
    digital = TechnologyFieldFactory(name="Digital Technologies")
    mobility = IndustrialEcosystemFactory(name="Mobility")
    gold = ClusterExcellenceLabelFactory(name="Gold Label")
    clusters = {
        "sevilla-grid": ClusterFactory(
            name="Sevilla Smart Grid Cluster", country="ES",
            sectoral_industries=[energy], technology_fields=[digital],
            excellence_label=gold,
        ),
        "madrid-energy": ClusterFactory(
            name="Madrid Energy Alliance", country="ES", region="Madrid", city="Madrid",
            sectoral_industries=[energy, textiles], industrial_ecosystems=[mobility],
        ),
        "lyon-textile": ClusterFactory(
            name="Lyon Textile Network", country="FR", region="Auvergne", city="Lyon",
            sectoral_industries=[textiles],
        ),
        "paris-mobility": ClusterFactory(
            name="Paris Mobility Hub", country="FR", region="Île-de-France", city="Paris",
            industrial_ecosystems=[mobility], technology_fields=[digital],
        ),
        "porto-energy": ClusterFactory(
            name="Porto Energy Cluster", country="PT", region="Norte", city="Porto",
            sectoral_industries=[energy], excellence_label=gold,
        ),
        "munich-digital": ClusterFactory(
            name="München Digital Cluster", country="DE", region="Bayern", city="München",
            technology_fields=[digital],
        ),
    }
    for slug, total in [("sevilla-grid", 30), ("madrid-energy", 120), ("lyon-textile", 260),
                        ("paris-mobility", 49), ("porto-energy", 50)]:
        members(clusters[slug], total)
    TargetCountryFactory(cluster=clusters["sevilla-grid"], country="KR")
    TargetCountryFactory(cluster=clusters["sevilla-grid"], country="FR", scope="transnational")
    TargetCountryFactory(cluster=clusters["lyon-textile"], country="KR")
    TargetCountryFactory(cluster=clusters["porto-energy"], country="US")
    for cluster in ClusterFactory(name="Draft Energy Cluster", draft=True), ClusterFactory(
        name="Retired Energy Cluster", retired=True
    ):
        cluster.sectoral_industries.set([energy])
        members(cluster, 30)
        TargetCountryFactory(cluster=cluster, country="KR")
    slugs = {key: cluster.slug for key, cluster in clusters.items()}
    return {"slugs": slugs, "energy": energy, "textiles": textiles, "digital": digital,
            "mobility": mobility, "gold": gold}


def slugs_of(catalogue, *keys):
    return {catalogue["slugs"][key] for key in keys}


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ["sevilla-grid", "madrid-energy", "lyon-textile", "paris-mobility",
              "porto-energy", "munich-digital"]),
        ({"country": "ES"}, ["sevilla-grid", "madrid-energy"]),
        ({"country": ["ES", "PT"]}, ["sevilla-grid", "madrid-energy", "porto-energy"]),
        ({"sector": "energy"}, ["sevilla-grid", "madrid-energy", "porto-energy"]),
        ({"sector": ["energy", "textiles"]},
         ["sevilla-grid", "madrid-energy", "lyon-textile", "porto-energy"]),
        ({"sector": "energy", "country": "ES"}, ["sevilla-grid", "madrid-energy"]),
        ({"sector": "energy", "technology": "digital-technologies"}, ["sevilla-grid"]),
        ({"ecosystem": "mobility", "country": ["FR", "ES"]}, ["madrid-energy", "paris-mobility"]),
        ({"label": "gold-label"}, ["sevilla-grid", "porto-energy"]),
        ({"label": "gold-label", "country": "PT"}, ["porto-energy"]),
        ({"target": "KR"}, ["sevilla-grid", "lyon-textile"]),
        ({"target": ["KR", "US"], "sector": "energy"}, ["sevilla-grid", "porto-energy"]),
        ({"members": "1-49"}, ["sevilla-grid", "paris-mobility"]),
        ({"members": "50-249"}, ["madrid-energy", "porto-energy"]),
        ({"members": "250+"}, ["lyon-textile"]),
        ({"members": ["1-49", "250+"], "country": "FR"}, ["lyon-textile", "paris-mobility"]),
        ({"country": "DE", "sector": "energy"}, []),
    ],
)
def test_facet_combinations_return_exactly_the_matching_clusters(
    visitor, catalogue, query, expected
):
    response = visitor.get("/clusters/?" + urlencode(query, doseq=True))
    assert set(listed(response)) == slugs_of(catalogue, *expected)
    assert f"{len(expected)} cluster organisation" in response.text


def test_each_choice_shows_how_many_clusters_it_would_leave(visitor, catalogue):
    response = visitor.get("/clusters/")
    assert choice_label(response, "country", "ES") == "Spain (2)"
    assert choice_label(response, "country", "FR") == "France (2)"
    assert choice_label(response, "sector", "energy") == "Energy (3)"
    assert choice_label(response, "sector", "textiles") == "Textiles (2)"
    assert choice_label(response, "target", "KR") == "South Korea (2)"
    assert choice_label(response, "members", "1-49") == "1–49 members (2)"
    assert choice_label(response, "members", "250+") == "250 members or more (1)"
    assert choice_label(response, "label", "gold-label") == "Gold Label (2)"
    # A country no published cluster is in is not offered.
    assert choice_label(response, "country", "IT") is None


def test_counts_follow_the_choices_of_the_other_facets(visitor, catalogue):
    response = visitor.get("/clusters/?country=ES&sector=energy")
    # Within Spain, energy 2 and textiles 1; adding Portugal to Spain would add 1 energy cluster.
    assert choice_label(response, "sector", "energy") == "Energy (2)"
    assert choice_label(response, "sector", "textiles") == "Textiles (1)"
    assert choice_label(response, "country", "ES") == "Spain (2)"
    assert choice_label(response, "country", "PT") == "Portugal (1)"
    assert choice_label(response, "country", "FR") is None  # no French energy cluster
    assert choice_label(response, "members", "1-49") == "1–49 members (1)"
    assert re.search(r'value="ES" id="id_country_\d+"', response.text)
    assert re.search(r'value="ES"[^>]*checked', response.text)


def test_drafts_and_retired_profiles_never_appear_nor_count(visitor, catalogue):
    for url in ["/clusters/", "/clusters/?q=energy", "/clusters/?sector=energy&target=KR",
                "/clusters/?members=1-49&sort=updated"]:
        response = visitor.get(url)
        assert "Draft Energy Cluster" not in response.text
        assert "Retired Energy Cluster" not in response.text
    # "energy" is in two names and the label of a sector three published clusters carry.
    response = visitor.get("/clusters/?q=energy")
    assert set(listed(response)) == slugs_of(
        catalogue, "sevilla-grid", "madrid-energy", "porto-energy"
    )


def test_words_find_names_places_strategy_and_partners_whatever_their_case(visitor):
    smart = FullClusterFactory(name="Smart City Cluster", region="Andalucía")
    other = ClusterFactory(name="Textile Hub", country="FR", region="Grand Est", city="Lille")
    partnered = ClusterFactory(name="Bilbao Maritime Cluster", region="País Vasco", city="Bilbao")
    PartnerClusterFactory(cluster=partnered, name="Hydrogen Valley Network")
    assert listed(visitor.get("/clusters/?q=SMART+city")) == [smart.slug]
    assert listed(visitor.get("/clusters/?q=lille")) == [other.slug]
    assert listed(visitor.get("/clusters/?q=alliance")) == [smart.slug]  # in its strategy
    assert listed(visitor.get("/clusters/?q=hydrogen")) == [partnered.slug]
    assert listed(visitor.get("/clusters/?q=smart+textile")) == []


def test_search_ignores_accents_both_ways(visitor):
    andalusian = ClusterFactory(name="Sevilla Aerospace Cluster", region="Andalucía")
    ClusterFactory(name="Graz Wood Cluster", country="AT", region="Steiermark", city="Graz")
    munich = ClusterFactory(name="Munchen Robotics", country="DE", region="Bayern", city="Munich")
    assert listed(visitor.get("/clusters/?q=andalucia")) == [andalusian.slug]
    assert listed(visitor.get("/clusters/?q=ANDALUCÍA")) == [andalusian.slug]
    assert listed(visitor.get("/clusters/?q=münchen")) == [munich.slug]


def test_search_forgives_a_typo_in_the_name(visitor):
    smart = ClusterFactory(name="Smart City Cluster")
    ClusterFactory(name="Porto Wine Cluster", country="PT", region="Norte", city="Porto")
    assert listed(visitor.get("/clusters/?q=smrt+city")) == [smart.slug]


def test_relevance_puts_the_name_match_before_a_mention(visitor):
    mention = FullClusterFactory(
        name="Aragon Logistics Cluster", region="Aragón", city="Zaragoza",
        specialisation_other="Photonics for logistics",
    )
    named = ClusterFactory(name="Photonics Valley", region="Norte", city="Porto", country="PT")
    assert listed(visitor.get("/clusters/?q=photonics")) == [named.slug, mention.slug]


def test_name_matches_come_first_across_pages(visitor):
    """Page 2 goes on where page 1 stopped: the last name matches, then the mentions, each
    part by name, every match once."""
    named = sorted(cluster.slug for cluster in ClusterFactory.create_batch(
        22, name=factory.Sequence(lambda n: f"Photonics Hub {n:02}")))
    mentions = sorted(cluster.slug for cluster in ClusterFactory.create_batch(
        3, name=factory.Sequence(lambda n: f"Optics Group {n}"),
        specialisation_other="Photonics for logistics"))
    first = visitor.get("/clusters/?q=photonics")
    assert "25 cluster organisations match" in first.text
    assert listed(first) == named[:20]
    assert listed(visitor.get("/clusters/?q=photonics&page=2")) == named[20:] + mentions


def test_search_document_follows_partner_and_name_changes(visitor):
    cluster = ClusterFactory(name="Vigo Maritime Cluster", region="Galicia", city="Vigo")
    partner = PartnerClusterFactory(cluster=cluster, name="Blue Economy Forum")
    assert listed(visitor.get("/clusters/?q=economy")) == [cluster.slug]
    partner.delete()
    changes.clusters_changed([cluster.pk])  # what the admin, the import and bulk commands call
    assert listed(visitor.get("/clusters/?q=economy")) == []
    cluster.name = "Vigo Blue Economy Cluster"
    cluster.save()
    changes.clusters_changed([cluster.pk], touched=False)
    assert listed(visitor.get("/clusters/?q=economy")) == [cluster.slug]


def test_sort_by_name_country_and_last_updated(visitor):
    ClusterFactory(name="Beta Cluster", country="FR")
    ClusterFactory(name="Alpha Cluster", country="PT")
    gamma = ClusterFactory(name="Gamma Cluster", country="DE")
    gamma.save()  # the most recently updated
    names = ["alpha-cluster", "beta-cluster", "gamma-cluster"]
    assert listed(visitor.get("/clusters/")) == names
    assert listed(visitor.get("/clusters/?sort=name")) == names
    # By the country's name in the visitor's language: France, Germany, Portugal in English;
    # Alemania, Francia, Portugal in Spanish.
    assert listed(visitor.get("/clusters/?sort=country")) == [
        "beta-cluster", "gamma-cluster", "alpha-cluster"
    ]
    assert listed(visitor.get("/es/clusters/?sort=country")) == [
        "gamma-cluster", "beta-cluster", "alpha-cluster"
    ]
    assert listed(visitor.get("/clusters/?sort=updated"))[0] == "gamma-cluster"
    # Relevance without words falls back to the name.
    assert listed(visitor.get("/clusters/?sort=relevance")) == names


def test_results_come_twenty_a_page_with_the_search_in_every_link(visitor):
    ClusterFactory.create_batch(45, country="ES")
    ClusterFactory(name="Lisboa Cluster", country="PT")
    first = visitor.get("/clusters/?country=ES")
    assert len(listed(first)) == 20
    assert "45 cluster organisations match" in first.text
    assert 'href="?country=ES&amp;page=2" rel="next"' in first.text
    assert 'href="?country=ES&amp;page=3"' in first.text
    last = visitor.get("/clusters/?country=ES&page=3")
    assert len(listed(last)) == 5
    pages = listed(first) + listed(visitor.get("/clusters/?country=ES&page=2")) + listed(last)
    assert len(set(pages)) == 45


def test_no_match_offers_ways_to_widen_the_search(visitor, catalogue):
    response = visitor.get("/clusters/?q=energy&country=DE")
    assert listed(response) == []
    assert "No cluster organisation matches all of your choices." in response.text
    # Each choice can be removed on its own, or the whole search cleared.
    assert 'href="?country=DE"' in response.text
    assert 'href="?q=energy"' in response.text
    assert 'href="/clusters/"' in response.text


def test_query_count_does_not_grow_with_the_number_of_matches(visitor):
    """One match or thirty (a full first page of twenty): the same queries. A query per
    cluster shown (a card reading a relation, say) makes the second count 19 higher."""
    energy = SectoralIndustryFactory(name="Energy")

    def add(count):
        for cluster in ClusterFactory.create_batch(count, sectoral_industries=[energy]):
            members(cluster, 10)
            TargetCountryFactory(cluster=cluster)

    def search():
        with CaptureQueriesContext(connection) as context:
            response = visitor.get("/clusters/?q=cluster&sector=energy&members=1-49")
        return len(context), listed(response)

    add(1)
    with_one, shown = search()
    assert len(shown) == 1
    add(29)
    with_thirty, shown = search()
    assert len(shown) == 20
    assert with_thirty == with_one


def test_searches_of_the_same_shape_each_get_their_own_results_and_counts(visitor, catalogue):
    """Searches alike but for their values (words, which values of which facets, sort) each
    get their own results and counts, also in one process that has served the others."""
    energy, textiles = catalogue["energy"].slug, catalogue["textiles"].slug
    searches = [
        (f"q=madrid&country=ES&sector={energy}", ["madrid-energy"]),
        (f"q=lyon&country=FR&sector={textiles}", ["lyon-textile"]),
        (f"q=porto&country=PT&sector={energy}", ["porto-energy"]),
    ]
    for query, expected in searches * 2:
        response = visitor.get("/clusters/?" + query)
        assert set(listed(response)) == slugs_of(catalogue, *expected), query
        assert "1 cluster organisation matches" in response.text, query
    response = visitor.get(f"/clusters/?country=ES&country=FR&sector={energy}&sort=updated")
    assert set(listed(response)) == slugs_of(catalogue, "sevilla-grid", "madrid-energy")
    assert choice_label(response, "country", "PT") == "Portugal (1)"
    response = visitor.get(f"/clusters/?country=FR&country=PT&sector={energy}&sort=updated")
    assert set(listed(response)) == slugs_of(catalogue, "porto-energy")
    assert choice_label(response, "country", "ES") == "Spain (2)"


@pytest.mark.parametrize(
    "query, message",
    [
        ("country=XX", "Select a valid choice. XX is not one of the available choices."),
        ("sector=no-such-term", "Select a valid choice. no-such-term is not one of"),
        ("target=ZZZ&country=ES", "Select a valid choice. ZZZ is not one of"),
        ("members=7-11", "Select a valid choice. 7-11 is not one of"),
        ("q=" + "x" * 10_000, "Ensure this value has at most 200 characters"),
        ("q=smart%00grid", "Null characters are not allowed."),
        ("sector=ener%00gy", "Null characters are not allowed."),
        ("sort=%00", "Select a valid choice."),
        ("page=-1", None),
        ("page=99999", None),
        ("page=abc", None),
        ("q=%F0%9F%94%8B+%E2%80%AE%CC%81&country=ES", None),
        ("q=%22smart%22+-grid+OR+!%3A*%26%7C(", None),
    ],
)
def test_bad_input_is_ignored_with_a_message_never_a_server_error(
    visitor, catalogue, query, message
):
    response = visitor.get("/clusters/?" + query)
    assert response.status_code == 200
    if message:
        assert message in response.text
    assert "cluster organisation" in response.text


def test_an_unknown_value_leaves_the_valid_choices_in_force(visitor, catalogue):
    response = visitor.get("/clusters/?country=XX&sector=energy")
    assert set(listed(response)) == slugs_of(
        catalogue, "sevilla-grid", "madrid-energy", "porto-energy"
    )


FIELDS = ["q", "country", "sector", "technology", "s3", "emerging", "ecosystem", "label",
          "target", "members", "sort", "page", "other"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pairs=st.lists(st.tuples(st.sampled_from(FIELDS), st.text(max_size=300)), max_size=8),
    raw=st.text(max_size=100),
)
def test_arbitrary_query_strings_never_give_a_server_error(visitor, catalogue, pairs, raw):
    for query in (urlencode(pairs), raw):
        response = visitor.get("/clusters/?" + query)
        assert response.status_code in (200, 400), query


def test_the_home_page_still_leads_to_the_directory(visitor):
    ClusterFactory(name="Smart City Cluster")
    assert 'href="/clusters/"' in visitor.get("/").text
    assert listed(visitor.get("/clusters/")) == ["smart-city-cluster"]
