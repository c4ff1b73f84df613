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
