"""Every fact of the reference page (shared/seeds) is on the Smart City Cluster's tabs and print."""

import html
import io
import re

import pytest
from django.core.management import call_command

from tests.conftest import once_per_module

URL = "/clusters/smart-city-cluster/"

# Facts as the reference page states them, by the tab that shows them. Phone numbers are
# printed in one international format, whichever way the reference typed them.
FACTS = {
    "": [
        "Smart City Cluster",
        "2014",
        "Official Innovative Business Group-Ministry of Industry "
        "(Agrupación empresarial Innovadora, AEI)",
        "Cluster Manager",
        "+34 600 95 83 25",
        "Internationalisation Responsible",
        "+34 654 07 32 44",
        "Project Manager",
        "+34 639 66 25 19",
        "+34 623 19 51 70",
    ],
    "sectors/": [
        "Construction Products and Services",
        "Information Technology and Analytical Instruments",
        "Smart Appliances",
        "Smart grids",
        "Cleaner environment & efficient energy networks (e.g. smart grids)",
        "Intelligent inter-modal & sustainable urban areas (e.g. smart cities)",
        "Digital Industries",
        "Experience Industries",
        "Mobility and Road Safety",
        "Human Smart City",
        "Big Data Products and Services Testing",
        "FIWARE/IOT",
        "Industry 4.0",
    ],
    "strategy/": [
        "Smart City Cluster is an alliance of private companies and institutions",
        "Our Goals",
        "Creation of sustainable, efficient and comfortable cities: Smart Cities",
        "Creating jobs and wealth within the city’s companies",
        "Based on research and development",
        "Multi sector, integrated and in favor of cooperation",
        "Internationalisation support (= Access to third countries markets)",
        "Access to public support (regional/national programmes, innovation vouchers, etc.)",
        "Facilitation of collaboration between members",
        "Promotion of activities (marketing/ visibility)",
        "Support of technology transfer",
        "R&D: Project Support.",
        "Representation: Representation and defense of members’ interests",
    ],
    "cooperation/": [
        "International cooperation",
        "Korea",
        "Participation at missions/events/study visits/fairs",
        "Trans-national cooperation",
        "United Kingdom",
        "Support to collaborative activities/etc.",
        "ECOsynergy Gazdasági Tanácsadó Kft",
        "Canarias Excelencia Tecnológica",
        "East Development Agency Co.",
        "Niemiecko-Polska Fundacja “Nowa Energia”",
        "Cluster CAP2020",
    ],
    "programmes/": [
        "World Cities Project",
        "From January 2015 until June 2016",
        "TURBO_SUDOE",
        "EE-09-2016-2017; COMM/MAD/2016",
        "Support Programme for Innovative Business Groupings",
        "Why should partners choose us for cooperation?",
        "Critical Mass: 175 associate members",
        "Lobby: recognized positioning at local, regional, national and international level",
    ],
}

# Labels the reference prints with nothing behind them; here they are not shown at all.
EMPTY_LABELS = [
    "Staff in the management team",
    "Cluster Excellence Label",
    "Membership of other networks",
    "Languages spoken",
    "Formalised strategy",
    "Strategy focus on internationalisation",
]


@once_per_module
def demo():
    call_command("loaddata", "fixtures/demo.json", verbosity=0)
    call_command("refresh_clusters", stdout=io.StringIO())  # as `make run` does


def visible_text(response):
    """The page's text as a reader sees it: tags dropped, entities decoded, spaces folded."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def normalise(fact):
    return " ".join(fact.replace("“", '"').replace("”", '"').split())


@pytest.mark.parametrize("tab", list(FACTS))
def test_every_reference_fact_is_on_its_tab(db, demo, visitor, tab):
    response = visitor.get(URL + tab)
    assert response.status_code == 200
    text = normalise(visible_text(response))
    missing = [fact for fact in FACTS[tab] if normalise(fact) not in text]
    assert not missing


def test_print_view_shows_every_reference_fact_in_tab_order(db, demo, visitor):
    text = normalise(visible_text(visitor.get(URL + "print/")))
    facts = [normalise(fact) for tab in FACTS for fact in FACTS[tab]]
    missing = [fact for fact in facts if fact not in text]
    assert not missing
    headings = ["General information", "Sectoral and industrial focus", "Cluster strategy",
                "Cooperation activities", "Support programmes"]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_empty_reference_fields_show_no_label(db, demo, visitor):
    pages = [visible_text(visitor.get(URL + tab)) for tab in FACTS]
    pages.append(visible_text(visitor.get(URL + "print/")))
    for text in pages:
        for label in EMPTY_LABELS:
            assert label not in text


def test_composition_tab_is_not_offered_when_nothing_is_filled(db, demo, visitor):
    response = visitor.get(URL)
    assert "/composition/" not in response.content.decode()
    assert visitor.get(URL + "composition/").status_code == 404


def test_partner_clusters_link_to_their_profiles(db, demo, visitor):
    page = visitor.get(URL + "cooperation/").content.decode()
    partner_list = page[page.index('<ul class="partners">'):]
    partner_list = partner_list[: partner_list.index("</ul>")]
    links = re.findall(r'<a href="(/clusters/[^"]+/)">', partner_list)
    assert len(links) == 5
    for link in links:
        assert visitor.get(link).status_code == 200
