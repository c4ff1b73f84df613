"""A profile tab reads its own rows and, with the cluster, which other tabs have anything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_countries import countries

from tests.conftest import once_per_module
from tests.factories import (
    ClusterFactory,
    CompositionFactory,
    ContactFactory,
    CooperationActivityFactory,
    FullClusterFactory,
    FundedProgrammeFactory,
    MajorPlayerFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
    SupportServiceFactory,
    TargetCountryFactory,
    UndertakenActivityFactory,
)

pytestmark = pytest.mark.django_db

TABS = ["", "sectors/", "composition/", "strategy/", "cooperation/", "programmes/"]


def test_a_tab_costs_six_queries_however_full_the_profile(visitor, django_assert_num_queries):
    cluster = FullClusterFactory(sectoral_industries=[SectoralIndustryFactory()])
    for _ in range(5):
        ContactFactory(cluster=cluster)
        PartnerClusterFactory(cluster=cluster)
        FundedProgrammeFactory(cluster=cluster)
    # The cluster with its label, composition and which tabs are filled; the ecosystems of
    # the header's key facts; the contacts. Then the partner suggestions, until they are
    # cached under the data version: the cluster's terms, its partnerships, one grouped count.
    with django_assert_num_queries(6):
        response = visitor.get(f"/clusters/{cluster.slug}/")
    assert response.status_code == 200


def test_the_tab_bar_offers_exactly_the_filled_tabs(visitor):
    cluster = FullClusterFactory(strategy="", has_formal_strategy="",
                                 has_internationalisation_strategy="",
                                 support_services_details="", specialisation_other="")
    PartnerClusterFactory(cluster=cluster, name="Partner in Győr")
    page = visitor.get(f"/clusters/{cluster.slug}/cooperation/").text
    assert f'href="/clusters/{cluster.slug}/cooperation/"' in page
    assert f'href="/clusters/{cluster.slug}/programmes/"' in page  # why_choose_us is filled
    assert f'href="/clusters/{cluster.slug}/strategy/"' not in page
    assert f'href="/clusters/{cluster.slug}/sectors/"' not in page
    assert visitor.get(f"/clusters/{cluster.slug}/strategy/").status_code == 404


def _fill(cluster, n):
    terms = [SectoralIndustryFactory() for _ in range(n)]
    cluster.sectoral_industries.set(terms)
    cluster.support_services.set([SupportServiceFactory() for _ in range(n)])
    CompositionFactory(cluster=cluster)
    codes = [country.code for country in countries][:n]
    for i in range(n):
        ContactFactory(cluster=cluster)
        MajorPlayerFactory(cluster=cluster)
        partner = ClusterFactory()
        PartnerClusterFactory(cluster=cluster, partner=partner)
        FundedProgrammeFactory(cluster=cluster)
        TargetCountryFactory(cluster=cluster, country=codes[i], scope=["international",
                             "transnational"][i % 2])
        UndertakenActivityFactory(cluster=cluster, activity=CooperationActivityFactory())


@once_per_module
def small_and_large():
    """Two full profiles, one with a row of everything and one with 50 (written once)."""
    small, large = FullClusterFactory(), FullClusterFactory()
    _fill(small, 1)
    _fill(large, 50)
    return small, large


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", TABS + ["print/"])
def test_profile_pages_take_the_same_number_of_queries_for_1_and_50_rows(
    visitor, small_and_large, page
):
    small, large = small_and_large
    assert _queries(visitor, f"/clusters/{small.slug}/{page}") == _queries(
        visitor, f"/clusters/{large.slug}/{page}"
    )
