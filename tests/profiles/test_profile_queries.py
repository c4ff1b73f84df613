"""A profile tab reads its own rows and, with the cluster, which other tabs have anything."""

import pytest

from tests.factories import (
    ContactFactory,
    FullClusterFactory,
    FundedProgrammeFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
)

pytestmark = pytest.mark.django_db


def test_a_tab_costs_two_queries_however_full_the_profile(visitor, django_assert_num_queries):
    cluster = FullClusterFactory(sectoral_industries=[SectoralIndustryFactory()])
    for _ in range(5):
        ContactFactory(cluster=cluster)
        PartnerClusterFactory(cluster=cluster)
        FundedProgrammeFactory(cluster=cluster)
    # The cluster with its label, composition and which tabs are filled; the contacts.
    with django_assert_num_queries(2):
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
