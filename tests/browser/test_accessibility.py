"""axe-core finds no WCAG 2.2 A or AA violation (colour contrast and target size included) on
any public page type, in either language, on a laptop and on a phone."""

import pytest

from tests.browser.conftest import describe

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
    "cooperation offers": "/cooperation-offers/",
    "cooperation offers of a search": "/cooperation-offers/?q=mobility&kind=partners",
    "cooperation offers without results": "/cooperation-offers/?q=no-such-offer-anywhere",
    "cooperation offer": "/cooperation-offers/partners-for-smart-mobility-pilots/",
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

