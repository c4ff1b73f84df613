"""What a result card shows, and the filters around the results, as a visitor reads them."""

import re

import pytest

from tests.factories import (
    ClusterExcellenceLabelFactory,
    ClusterFactory,
    CompositionFactory,
    IndustrialEcosystemFactory,
    SectoralIndustryFactory,
)

pytestmark = pytest.mark.django_db


def members(cluster, total):
    CompositionFactory(cluster=cluster, total_members=total, sme_members=None,
                       large_company_members=None, research_members=None, other_members=None)


def facet(page, name):
    """The HTML of one facet's checkboxes."""
    start = page.index(f'id="div_id_{name}"')
    return page[start:page.index("</fieldset>", start)]


def card_of(page, slug):
    """The HTML of the card that links to `slug`."""
    start = page.index(f'/clusters/{slug}/"')
    return page[page.rindex("<article", 0, start):page.index("</article>", start)]


def test_a_card_shows_the_facts_people_compare(visitor):
    label = ClusterExcellenceLabelFactory(name="Cluster Management Excellence Gold")
    sectors = [SectoralIndustryFactory(name=f"Sector {n}") for n in "ABC"]
    cluster = ClusterFactory(
        name="Vigo Maritime Cluster", acronym="VMC", country="ES", region="Galicia", city="Vigo",
        excellence_label=label, sectoral_industries=sectors,
        industrial_ecosystems=[IndustrialEcosystemFactory(name="Mobility-Transport-Automotive")],
        strategy="<p>Shipyards and ports building <strong>zero-emission</strong> vessels. "
                 "A second sentence the card leaves out.</p>",
    )
    members(cluster, 120)
    card = card_of(visitor.get("/clusters/").text, cluster.slug)
    assert "Vigo Maritime Cluster" in card and "(VMC)" in card
    assert "Vigo, Galicia, Spain" in card
    # Up to three terms: the sectors come first, the ecosystem is left out.
    assert re.findall(r"<li>([^<]+)</li>", card) == ["Sector A", "Sector B", "Sector C"]
    assert "50–249 members" in card
    assert "Cluster Management Excellence Gold" in card
    assert "Shipyards and ports building zero-emission vessels." in card
    assert "second sentence" not in card
    # No logo: the initials stand in, hidden from screen readers (the name follows).
    assert '<span class="card-logo card-monogram" aria-hidden="true">VM</span>' in card


def test_a_card_leaves_out_what_the_cluster_has_not_given(visitor):
    cluster = ClusterFactory(name="Bare Cluster", country="PT", region="", city="")
    card = card_of(visitor.get("/clusters/").text, cluster.slug)
    assert "Portugal" in card
    for absent in ('class="card-terms"', 'class="card-facts"', 'class="card-summary"'):
        assert absent not in card


def test_a_card_in_spanish_names_country_terms_and_band_in_spanish(visitor):
    sector = SectoralIndustryFactory(name="Tourism", labels={"es": "Turismo"})
    cluster = ClusterFactory(name="Algarve Cluster", country="PT", region="", city="Faro",
                             sectoral_industries=[sector], strategy="<p>Turning summer.</p>")
    members(cluster, 20)
    card = card_of(visitor.get("/es/clusters/").text, cluster.slug)
    assert "Faro, Portugal" in card
    assert "<li>Turismo</li>" in card
    assert "1–49 miembros" in card
    # The strategy is the cluster's English text: marked as such on a Spanish page.
    assert '<p class="card-summary" lang="en">Turning summer.</p>' in card


def test_the_filters_open_from_one_disclosure_that_counts_the_choices(visitor):
    ClusterFactory(country="ES")
    ClusterFactory(country="FR")
    page = visitor.get("/clusters/").text
    assert '<details class="filters-disclosure">' in page
    assert "Filters (0 chosen)" in page
    page = visitor.get("/clusters/?country=ES&country=FR").text
    assert "Filters (2 chosen)" in page
    # The button stays for visitors without JavaScript; directory.js applies a choice at once.
    assert "Apply filters" in page
    assert '<script src="/static/js/directory.js" defer></script>' in page


def test_a_long_facet_shows_its_most_frequent_choices_and_the_rest_under_show_all(visitor):
    codes = ["AT", "BE", "DE", "DK", "ES", "FI", "FR", "IT"]
    for position, code in enumerate(codes):
        ClusterFactory.create_batch(1 + (position == 7) * 3 + (position == 0), country=code)
    page = visitor.get("/clusters/").text
    countries = facet(page, "country")
    shown, others = countries.split('<details class="facet-more">')
    assert "Show all 8" in others
    # Italy (4) and Austria (2) are the most frequent; then by name, Belgium, Denmark, Finland.
    assert re.findall(r">(\w+) \(\d\)</label>", shown) == [
        "Austria", "Belgium", "Denmark", "Finland", "Italy"
    ]
    assert re.findall(r">(\w+) \(\d\)</label>", others) == ["France", "Germany", "Spain"]
    # A chosen country is always in view.
    page = visitor.get("/clusters/?country=ES").text
    countries = facet(page, "country")
    assert 'value="ES" id="id_country_' in countries.split('<details class="facet-more">')[0]


def test_spanish_facet_lists_are_in_spanish_alphabetical_order(visitor):
    for name, spanish in [("Agrifood", "Agroalimentación"), ("Energy", "Energía"),
                          ("Tourism", "Turismo"), ("Aerospace", "Aeroespacial")]:
        ClusterFactory(sectoral_industries=[SectoralIndustryFactory(name=name,
                                                                    labels={"es": spanish})])
    ClusterFactory(country="DE")
    ClusterFactory(country="AT")
    page = visitor.get("/es/clusters/").text
    sectors = facet(page, "sector")
    assert re.findall(r'class="form-check-label">([^(<]+) \(', sectors) == [
        "Aeroespacial", "Agroalimentación", "Energía", "Turismo"
    ]
    countries = facet(page, "country")
    # Alemania (DE) before Austria (AT) before España (ES): by the Spanish names, not the codes.
    assert re.findall(r'class="form-check-label">([^(<]+) \(', countries) == [
        "Alemania", "Austria", "España"
    ]
