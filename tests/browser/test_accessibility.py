"""axe-core finds no WCAG 2.2 A or AA violation (colour contrast and target size included) on
any public page type, in either language, on a laptop and on a phone."""

import pytest

from tests.browser.conftest import describe
from tests.factories import ClusterFactory, PartnerClusterFactory, SectoralIndustryFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "home": "/",
    "directory": "/clusters/",
    "directory with search results": "/clusters/?q=smart",
    "directory without results": "/clusters/?q=no-such-cluster-anywhere",
    "directory with a filter chosen": "/clusters/?country=ES",
    "profile: general information": "/clusters/smart-city-cluster/",
    "profile: sectoral and industrial focus": "/clusters/smart-city-cluster/sectors/",
    "profile: composition": "/clusters/smart-city-cluster/composition/",
    "profile: strategy": "/clusters/smart-city-cluster/strategy/",
    "profile: cooperation": "/clusters/smart-city-cluster/cooperation/",
    "profile: programmes": "/clusters/smart-city-cluster/programmes/",
    "printer-friendly version": "/clusters/smart-city-cluster/print/",
    "page not found": "/clusters/no-such-cluster/",
    "about": "/about/",
    "contact": "/contact/",
    "accessibility statement": "/accessibility/",
    "privacy and cookies": "/privacy/",
    "map": "/clusters/map/",
    "map of the world": "/clusters/map/world/",
    "map of a search": "/clusters/map/?sector=energy&country=ES",
    "statistics": "/clusters/statistics/",
    "statistics of a search": "/clusters/statistics/?q=smart&country=ES",
    "statistics without results": "/clusters/statistics/?q=no-such-cluster-anywhere",
    "network": "/clusters/network/",
    "network without partnerships": "/clusters/network/?country=KR",
}
VIEWPORTS = {"laptop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_wcag_violations(audited_page, audit, reference_cluster, name, language,
                                     viewport):
    prefix = "" if language == "en" else f"/{language}"
    audited_page.set_viewport_size(VIEWPORTS[viewport])
    response = audited_page.goto(prefix + PAGES[name])
    assert response.status == (404 if name == "page not found" else 200)
    violations = audit()
    assert violations == [], f"{name} ({language}, {viewport}):\n{describe(violations)}"



# The cooperation network at its fullest (issue 17): a reciprocal partnership, a partner
# outside the portal, a partner of a partner, and a cluster suggested to meet.
NETWORK_PAGES = {
    "profile: cooperation network": "/clusters/smart-city-cluster/cooperation/",
    "profile: partner suggestions": "/clusters/smart-city-cluster/",
    "network of every cluster": "/clusters/network/",
}


@pytest.fixture
def cooperation_network(reference_cluster):
    aachen = reference_cluster.partners.get().partner
    lyon = ClusterFactory(name="Lyon Automotive Cluster", country="FR",
                          sectoral_industries=[SectoralIndustryFactory(name="Automotive")])
    PartnerClusterFactory(cluster=aachen, partner=reference_cluster,
                          name=reference_cluster.name, country="ES")
    PartnerClusterFactory(cluster=aachen, partner=lyon, name=lyon.name, country="FR")
    PartnerClusterFactory(cluster=reference_cluster, name="Nordic Ocean Network", country="NO")
    ClusterFactory(name="Torino Automotive Cluster", country="IT",
                   sectoral_industries=[SectoralIndustryFactory(name="Automotive")])
    return reference_cluster


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name", NETWORK_PAGES)
def test_network_pages_have_no_wcag_violations(audited_page, audit, cooperation_network, name,
                                               language, viewport):
    prefix = "" if language == "en" else f"/{language}"
    audited_page.set_viewport_size(VIEWPORTS[viewport])
    response = audited_page.goto(prefix + NETWORK_PAGES[name])
    assert response.status == 200
    assert audited_page.locator(".network-svg, .partner-suggestions").count()
    violations = audit()
    assert violations == [], f"{name} ({language}, {viewport}):\n{describe(violations)}"
