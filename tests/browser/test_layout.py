"""The pages' layout as a visitor sees it on a 390-pixel phone and a 1,280-pixel laptop: the
directory's results come first on a phone, nothing scrolls sideways, the profile's tabs stay
on one line, a chosen filter applies itself."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _open_page
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
PUBLIC_PAGES = [
    "/", "/clusters/", "/clusters/?q=smart", "/clusters/?country=ES",
    "/clusters/smart-city-cluster/", "/clusters/smart-city-cluster/sectors/",
    "/clusters/smart-city-cluster/composition/", "/clusters/smart-city-cluster/strategy/",
    "/clusters/smart-city-cluster/cooperation/", "/clusters/smart-city-cluster/programmes/",
    "/clusters/smart-city-cluster/print/", "/about/", "/contact/", "/accessibility/",
    "/privacy/", "/clusters/no-such-cluster/", "/clusters/smart-city-cluster/contact/",
]


@pytest.fixture
def tab(browser, live_server):
    """tab(viewport): a browser tab of that size, under the portal's real policy."""
    contexts = []

    def open_tab(viewport):
        context, page = _open_page(browser, live_server)
        page.set_viewport_size(viewport)
        contexts.append(context)
        return page

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def full_directory(reference_cluster):
    """More clusters than fit a phone's screen, in many countries: long filter lists."""
    for code in ["AT", "BE", "CZ", "DK", "FI", "FR", "HU", "IT", "NL", "PL", "PT", "SE"]:
        ClusterFactory.create_batch(2, country=code)
    return reference_cluster


def card_top(page):
    return page.locator(".cluster-card").first.evaluate(
        "card => card.getBoundingClientRect().top + window.scrollY")


@pytest.mark.parametrize("language", ["", "/es"])
def test_on_a_phone_the_first_result_is_on_the_first_screen(tab, full_directory, language,
                                                             artefacts):
    page = tab(PHONE)
    page.goto(f"{language}/clusters/")
    assert card_top(page) < 900
    filters = page.locator("details.filters-disclosure")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.locator("summary.filters-summary")).to_have_text(
        re.compile(r"(Filters|Filtros) \(0 (chosen|elegidos)\)"))
    page.screenshot(path=artefacts / f"directory-phone{language.replace('/', '-')}.png")
    # The filters open from their summary, and choosing one applies it (directory.js).
    page.locator("summary.filters-summary").click()
    page.locator("#div_id_country").get_by_text(re.compile(r"^Austria \(")).click()
    expect(page).to_have_url(re.compile(r"country=AT"))
    expect(page.locator("summary.filters-summary")).to_contain_text("(1 ")
    assert card_top(page) < 900


def test_on_a_laptop_the_filters_stand_beside_the_results(tab, full_directory, artefacts):
    page = tab(LAPTOP)
    page.goto("/clusters/")
    country = page.locator("#div_id_country")
    expect(country).to_be_visible()
    results = page.locator(".directory-results").bounding_box()
    assert country.bounding_box()["x"] + country.bounding_box()["width"] <= results["x"]
    # A long list shows its most frequent choices; "Show all" opens the others.
    expect(country.locator(".facet-more > .form-check").first).to_be_hidden()
    country.locator(".facet-more > summary").click()
    expect(country.locator(".facet-more > .form-check").first).to_be_visible()
    page.screenshot(path=artefacts / "directory.png")
    assert page.csp_refusals == []


def test_without_javascript_the_filters_apply_with_their_button(browser, live_server,
                                                                full_directory):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE,
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto("/clusters/")
    page.locator("summary.filters-summary").click()
    page.locator("#div_id_country").get_by_text(re.compile(r"^Austria \(")).click()
    expect(page).to_have_url(re.compile(r"/clusters/$"))  # nothing happens by itself
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"country=AT"))
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_no_public_page_scrolls_sideways(tab, full_directory, viewport):
    page = tab(viewport)
    for language in ["", "/es"]:
        for url in PUBLIC_PAGES:
            page.goto(language + url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{language}{url} is {width} px wide"


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_profile_tabs_stay_on_one_line_with_the_current_one_in_view(
    tab, reference_cluster, viewport, artefacts
):
    page = tab(viewport)
    for language in ["", "/es"]:
        page.goto(f"{language}/clusters/smart-city-cluster/programmes/")
        tops = page.locator(".profile-tabs .nav-item").evaluate_all(
            "items => items.map(item => Math.round(item.getBoundingClientRect().top))")
        assert len(tops) == 6 and len(set(tops)) == 1, tops
        current = page.locator(".profile-tabs [aria-current=page]")
        strip = page.locator(".profile-tabs .nav-tabs").bounding_box()
        box = current.bounding_box()
        # In view, give or take the sub-pixel a scrolled strip ends on.
        assert strip["x"] - 1 <= box["x"]
        assert box["x"] + box["width"] <= strip["x"] + strip["width"] + 1
    if viewport is PHONE:
        page.goto("/clusters/smart-city-cluster/")
        page.screenshot(path=artefacts / "profile-phone.png")


def test_the_print_button_prints_and_is_left_off_the_paper(tab, reference_cluster):
    page = tab(LAPTOP)
    page.goto("/clusters/smart-city-cluster/print/")
    button = page.get_by_role("button", name="Print this page")
    expect(button).to_be_visible()
    page.evaluate("window.print = () => { window.__printed = true; }")
    button.click()
    assert page.evaluate("window.__printed === true")
    page.emulate_media(media="print")
    expect(button).to_be_hidden()
    expect(page.get_by_role("link", name="Back to the profile of Smart City Cluster")
           ).to_be_hidden()
    # On paper the portal's name heads the page instead.
    expect(page.locator(".print-source")).to_have_text("Cluster Portal")
    expect(page.locator(".print-source")).to_be_visible()
