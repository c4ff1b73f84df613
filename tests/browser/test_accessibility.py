"""axe-core finds no WCAG 2.2 A or AA violation on any public page type, in either language."""

import pytest

from tests.browser.conftest import describe

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "home": "/",
    "directory": "/clusters/",
    "directory with search results": "/clusters/?q=smart",
    "directory without results": "/clusters/?q=no-such-cluster-anywhere",
    "profile: general information": "/clusters/smart-city-cluster/",
    "profile: sectoral and industrial focus": "/clusters/smart-city-cluster/sectors/",
    "profile: composition": "/clusters/smart-city-cluster/composition/",
    "profile: strategy": "/clusters/smart-city-cluster/strategy/",
    "profile: cooperation": "/clusters/smart-city-cluster/cooperation/",
    "profile: programmes": "/clusters/smart-city-cluster/programmes/",
    "printer-friendly version": "/clusters/smart-city-cluster/print/",
    "page not found": "/clusters/no-such-cluster/",
}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_wcag_violations(audited_page, audit, reference_cluster, name, language):
    prefix = "" if language == "en" else f"/{language}"
    response = audited_page.goto(prefix + PAGES[name])
    assert response.status == (404 if name == "page not found" else 200)
    violations = audit()
    assert violations == [], f"{name} ({language}):\n{describe(violations)}"


# The map and the statistics of a search, on a desktop and on a phone.
SEARCH_VIEWS = {
    "map": "/clusters/map/",
    "map of the world": "/clusters/map/world/",
    "map of a search": "/clusters/map/?sector=energy&country=ES",
    "statistics": "/clusters/statistics/",
    "statistics of a search": "/clusters/statistics/?q=smart&country=ES",
    "statistics without results": "/clusters/statistics/?q=no-such-cluster-anywhere",
}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name", SEARCH_VIEWS)
def test_map_and_statistics_have_no_wcag_violations(audited_page, audit, reference_cluster,
                                                    name, language, width):
    audited_page.set_viewport_size({"width": width, "height": 900})
    prefix = "" if language == "en" else f"/{language}"
    response = audited_page.goto(prefix + SEARCH_VIEWS[name])
    assert response.status == 200
    violations = audit()
    assert violations == [], f"{name} ({language}, {width} px):\n{describe(violations)}"
