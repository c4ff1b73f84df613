"""axe-core finds no WCAG 2.2 A or AA violation (colour contrast and target size included) on
any public page type, in either language, on a laptop and on a phone."""

import pytest

from tests.browser.conftest import describe
from tests.factories import (
    ClusterFactory,
    CooperationOfferFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
)

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
    "contact a cluster": "/clusters/smart-city-cluster/contact/",
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



WORDS = {
    "en": {"name": "Your name", "organisation": "Your organisation",
           "country": "Your organisation's country", "email": "Your e-mail address",
           "message": "Your message", "consent": "I agree", "send": "Send the message",
           "errors": "Please correct the following", "sent": "Your message is on its way"},
    "es": {"name": "Su nombre", "organisation": "Su organización",
           "country": "El país de su organización",
           "email": "Su dirección de correo electrónico", "message": "Su mensaje",
           "consent": "Acepto", "send": "Enviar el mensaje", "errors": "Corrija lo siguiente",
           "sent": "Su mensaje está en camino"},
}


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_express_interest_its_errors_and_its_confirmation_have_no_wcag_violations(
    audited_page, audit, reference_cluster, language, viewport, settings, artefacts
):
    settings.INTEREST_MIN_FILL_SECONDS = 0
    offer = CooperationOfferFactory(cluster=reference_cluster,
                                    title="Partners for smart street lighting")
    page, words = audited_page, WORDS[language]
    prefix = "" if language == "en" else f"/{language}"
    page.set_viewport_size(VIEWPORTS[viewport])
    shot = f"interest-{language}-{VIEWPORTS[viewport]['width']}"
    assert page.goto(f"{prefix}/cooperation-offers/{offer.slug}/interest/").status == 200
    steps = [("form", None), ("errors", words["errors"]), ("sent", words["sent"])]
    for step, heading in steps:
        if step == "errors":
            page.get_by_role("button", name=words["send"]).click()
        if step == "sent":
            page.get_by_label(words["name"], exact=True).fill("Marie Dubois")
            page.get_by_label(words["organisation"], exact=True).fill("Lyon Mobility Lab")
            page.get_by_label(words["country"], exact=True).select_option("FR")
            page.get_by_label(words["email"], exact=True).fill("marie@lab.example.org")
            page.get_by_label(words["message"], exact=True).fill("We would like to join.")
            page.get_by_label(words["consent"], exact=False).check()
            page.get_by_role("button", name=words["send"]).click()
        if heading:
            assert page.get_by_role("heading", name=heading).is_visible()
        page.screenshot(path=artefacts / f"{shot}-{step}.png", full_page=True)
        violations = audit()
        assert violations == [], f"{step} ({language}, {viewport}):\n{describe(violations)}"
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
