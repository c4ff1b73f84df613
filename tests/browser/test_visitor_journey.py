"""What a visitor does, in a real browser: find a cluster, read it tab by tab, print it."""

import re

import pytest
from playwright.sync_api import expect

from profiles.models import Cluster

pytestmark = pytest.mark.django_db(transaction=True)

SECTION_TITLES = [str(title) for _slug, title in Cluster.SECTIONS]
TAB_LABELS = [str(Cluster.TAB_LABELS[slug]) for slug, _title in Cluster.SECTIONS]

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    text: el.textContent.trim(),
    visible: el.matches(':focus-visible') && style.outlineStyle !== 'none'
             && parseFloat(style.outlineWidth) > 0,
  };
}"""
FOLLOWS_PREVIOUS = """() => {
  const el = document.activeElement, previous = window.__previousFocus;
  window.__previousFocus = el;
  return !previous || !!(previous.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def tab_to(page, text, limit=60):
    """Press Tab until the element named `text` has focus; focus must be visible and move
    forward through the page in reading order."""
    page.evaluate("window.__previousFocus = null")
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert page.evaluate(FOLLOWS_PREVIOUS), "focus jumped backwards"
        focused = page.evaluate(FOCUSED)
        if focused["text"] == text:
            assert focused["visible"], f"no visible focus on {text!r}"
            return
    pytest.fail(f"{text!r} never received focus after {limit} presses of Tab")


def test_visitor_finds_a_cluster_and_reads_every_tab_with_the_keyboard(
    page, reference_cluster, artefacts
):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find the right partner cluster")

    # The skip link is the first stop and takes the keyboard past the header.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Cluster organisations"
    ).click()
    expect(page).to_have_url(re.compile(r"/clusters/$"))
    expect(page.get_by_role("link", name="Aachen Mobility Cluster")).to_be_visible()

    page.locator("input[name=q]").fill("smart city")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/clusters/\?q=smart\+city"))
    expect(page.get_by_role("link", name="Smart City Cluster")).to_be_visible()
    expect(page.get_by_role("link", name="Aachen Mobility Cluster")).to_have_count(0)

    page.get_by_role("link", name="Smart City Cluster").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Smart City Cluster")
    page.screenshot(path=artefacts / "profile.png", full_page=True)

    tabs = page.get_by_role("navigation", name="Profile sections").get_by_role("link")
    expect(tabs).to_have_text(TAB_LABELS)
    for label, title in zip(TAB_LABELS, SECTION_TITLES, strict=True):
        tab_to(page, label)
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        current = page.get_by_role("navigation", name="Profile sections").get_by_role(
            "link", name=label
        )
        expect(current).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()

    # The cooperation tab links the partner that has its own profile here (its list of
    # partners; the network drawing and the list beside it link it too).
    page.get_by_role("navigation", name="Profile sections").get_by_role(
        "link", name="Cooperation"
    ).click()
    page.get_by_role("link", name="Aachen Mobility Cluster", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/clusters/aachen-mobility-cluster/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Aachen Mobility Cluster")
    # All of it under the portal's own Content-Security-Policy, which blocked nothing.
    assert page.csp_refusals == []


def test_printer_friendly_version_shows_every_section_without_navigation(
    page, reference_cluster, artefacts
):
    page.goto(reference_cluster.get_absolute_url())
    page.get_by_role("link", name="Printer-friendly version").click()
    expect(page).to_have_url(re.compile(r"/print/$"))

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(page.get_by_role("heading", level=2)).to_have_text(SECTION_TITLES)
    for title in SECTION_TITLES:
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
    expect(page.get_by_text("Lucía Martín")).to_be_visible()
    expect(page.get_by_text("URBACT Smart Cities")).to_be_visible()
    page.screenshot(path=artefacts / "print.png", full_page=True)


def test_printing_a_profile_tab_leaves_out_the_navigation(page, reference_cluster):
    page.goto(reference_cluster.get_absolute_url())
    expect(page.get_by_role("navigation", name="Profile sections")).to_be_visible()
    page.emulate_media(media="print")
    for name in ["Main", "Language", "Breadcrumb", "Profile sections"]:
        expect(page.get_by_role("navigation", name=name)).to_be_hidden()
    expect(page.get_by_role("link", name="Skip to main content")).to_be_hidden()
    expect(page.get_by_role("link", name="Printer-friendly version")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Smart City Cluster")
    expect(page.get_by_role("heading", level=2, name="General information")).to_be_visible()


def test_language_switcher_opens_the_same_profile_in_spanish(page, reference_cluster):
    page.goto(f"{reference_cluster.get_absolute_url()}sectors/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    expect(page).to_have_url(re.compile(rf"/es/clusters/{reference_cluster.slug}/sectors/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=2)).to_have_text("Enfoque sectorial e industrial")
