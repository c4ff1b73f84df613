"""/cooperation-offers/: the open offers with words, facets and counts; an offer's page; the
profile's section; the feeds. Through the test client, on SQLite and PostgreSQL."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tests.factories import (
    ClusterFactory,
    CooperationOfferFactory,
    IndustrialEcosystemFactory,
    SectoralIndustryFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

LIST = "/cooperation-offers/"
FEED = "/cooperation-offers/feed/"
ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def titles(response):
    return re.findall(r'<h3 class="card-name"><a href="[^"]+"[^>]*>([^<]+)</a>', response.text)


def facet_counts(response, facet):
    """{label: count} of one facet's checkboxes."""
    checkbox = rf'name="{facet}" value="[^"]*" id="[^"]+"[^>]*><label[^>]*>([^<]+) \((\d+)\)'
    found = re.findall(checkbox, response.text)
    return {label: int(count) for label, count in found}


def feed_titles(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def offers():
    energy = SectoralIndustryFactory(name="Energy Industry")
    health = SectoralIndustryFactory(name="Health Industry")
    mobility = IndustrialEcosystemFactory(name="Mobility Ecosystem")
    spain = ClusterFactory(name="Sevilla Energy Cluster", country="ES")
    france = ClusterFactory(name="Lyon Health Cluster", country="FR")
    return {
        "hydrogen": CooperationOfferFactory(
            cluster=spain, title="Partners for green hydrogen",
            description="<p>Electrólisis and storage pilots.</p>",
            sectoral_industries=[energy], industrial_ecosystems=[mobility],
            target_countries=["PT", "DE"], deadline=TODAY,
        ),
        "expertise": CooperationOfferFactory(
            cluster=spain, kind="expertise", title="Grid testing services",
            sectoral_industries=[energy], target_countries=["FR"],
        ),
        "consortium": CooperationOfferFactory(
            cluster=france, kind="consortium", title="Consortium for digital health",
            sectoral_industries=[health], target_countries=["ES"],
        ),
        "expired": CooperationOfferFactory(
            cluster=france, title="Expired call for partners", deadline=YESTERDAY,
        ),
        "closed": CooperationOfferFactory(cluster=spain, title="Closed mission", closed=True),
        "draft": CooperationOfferFactory(cluster=spain, title="Draft idea", draft=True),
        "hidden": CooperationOfferFactory(
            cluster=ClusterFactory(name="Draft Cluster", draft=True), title="Offer of a draft",
        ),
    }


def test_the_list_shows_open_offers_of_published_clusters_only(visitor, offers):
    response = visitor.get(LIST)

    assert response.status_code == 200
    assert set(titles(response)) == {
        "Partners for green hydrogen", "Grid testing services", "Consortium for digital health",
    }
    assert "3 offers match" in response.text


def test_facets_count_the_offers_each_choice_leaves(visitor, offers):
    response = visitor.get(LIST)

    assert facet_counts(response, "kind") == {
        "Looking for partners": 1, "Offering expertise or services": 1,
        "Looking for a project consortium": 1,
    }
    assert facet_counts(response, "sector") == {"Energy Industry": 2, "Health Industry": 1}
    assert facet_counts(response, "country") == {"Spain": 2, "France": 1}
    assert facet_counts(response, "target") == {
        "France": 1, "Germany": 1, "Portugal": 1, "Spain": 1,
    }
    assert facet_counts(response, "state") == {"Open": 3, "Closed or past the deadline": 2}


def test_choosing_a_facet_narrows_the_list_and_the_other_facets(visitor, offers):
    response = visitor.get(LIST, {"sector": "energy-industry", "target": ["DE", "FR"]})

    assert set(titles(response)) == {"Partners for green hydrogen", "Grid testing services"}
    assert facet_counts(response, "country") == {"Spain": 2}
    # A facet's own choices do not narrow its counts: the other sector stays offered.
    assert facet_counts(response, "sector") == {"Energy Industry": 2}
    assert "Target country: Germany" in " ".join(response.text.split())


def test_closed_and_past_deadline_offers_show_when_asked_for(visitor, offers):
    response = visitor.get(LIST, {"state": "closed"})

    assert set(titles(response)) == {"Expired call for partners", "Closed mission"}
    assert "Draft idea" not in response.text and "Offer of a draft" not in response.text


@pytest.mark.parametrize("words", ["HYDROGEN", "electrolisis", "Electrólisis storage"])
def test_words_match_title_and_description_whatever_the_accents_and_case(
    visitor, offers, words
):
    response = visitor.get(LIST, {"q": words})

    assert titles(response) == ["Partners for green hydrogen"]


def test_words_that_match_nothing_say_so(visitor, offers):
    response = visitor.get("/es/cooperation-offers/", {"q": "zeppelin"})

    assert response.status_code == 200
    assert "Ninguna oferta coincide" in response.text


def test_a_wrong_value_in_the_address_is_explained_not_an_error(visitor, offers):
    response = visitor.get(LIST, {"kind": "nonsense", "page": "x", "sort": "wrong"})

    assert response.status_code == 200
    assert "could not be understood" in response.text
    assert len(titles(response)) == 3


def test_the_list_pages_by_twenty(visitor):
    cluster = ClusterFactory()
    for number in range(23):
        CooperationOfferFactory(cluster=cluster, title=f"Offer number {number}")

    first, second = visitor.get(LIST), visitor.get(LIST, {"page": "2"})

    assert len(titles(first)) == 20 and len(titles(second)) == 3
    assert 'rel="next"' in first.text


def test_an_offer_page_shows_its_facts_and_links_the_cluster(visitor, offers):
    offer = offers["hydrogen"]
    response = visitor.get(offer.get_absolute_url())

    text = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
    assert response.status_code == 200
    assert f'href="{offer.cluster.get_absolute_url()}"' in response.text
    assert "Looking for partners" in text and "Energy Industry" in text
    assert "Germany Portugal" in text or "Portugal Germany" in text
    assert "Electrólisis and storage pilots." in text
    assert 'type="application/atom+xml"' in response.text
    interest = f'href="/cooperation-offers/{offer.slug}/interest/">Express interest</a>'
    assert interest in response.text


def test_draft_offers_and_offers_of_draft_clusters_have_no_page(visitor, offers):
    assert visitor.get(offers["draft"].get_absolute_url()).status_code == 404
    assert visitor.get(offers["hidden"].get_absolute_url()).status_code == 404
    closed = visitor.get(offers["closed"].get_absolute_url())
    assert closed.status_code == 200 and "This offer is closed" in closed.text
    assert "Express interest" not in closed.text


def test_the_profile_lists_the_cluster_open_offers(visitor, offers):
    cluster = offers["hydrogen"].cluster

    page = visitor.get(f"/clusters/{cluster.slug}/cooperation/").text
    printed = visitor.get(f"/clusters/{cluster.slug}/print/").text

    for html in (page, printed):
        assert "Partners for green hydrogen" in html and "Grid testing services" in html
        assert "Closed mission" not in html and "Draft idea" not in html
    assert f'type="application/atom+xml" title="Cooperation offers of {cluster.name}' in page
    assert f"/cooperation-offers/feed/?cluster={cluster.slug}" in page


def test_the_spanish_list_is_in_spanish(visitor, offers):
    response = visitor.get("/es/cooperation-offers/")

    assert "Ofertas de cooperación" in response.text
    assert facet_counts(response, "country") == {"España": 2, "Francia": 1}
    assert "Buscando socios" in response.text


def test_the_feed_carries_the_open_offers_of_the_search(visitor, offers):
    everything = visitor.get(FEED)
    energy = visitor.get(FEED, {"sector": "energy-industry", "state": "closed"})

    assert set(feed_titles(everything)) == {
        "Partners for green hydrogen", "Grid testing services", "Consortium for digital health",
    }
    # Asking for closed offers in a feed still gives the open ones: the expired leave it.
    assert set(feed_titles(energy)) == {"Partners for green hydrogen", "Grid testing services"}


def test_a_cluster_feed_carries_its_open_offers_only(visitor, offers):
    cluster = offers["consortium"].cluster

    response = visitor.get(FEED, {"cluster": cluster.slug})

    assert feed_titles(response) == ["Consortium for digital health"]
    assert visitor.get(FEED, {"cluster": "draft-cluster"}).status_code == 404


def test_the_list_and_the_profile_show_an_offer_edited_in_the_admin_at_once(
    visitor, offers, editor_client
):
    offer = offers["hydrogen"]
    profile = f"/clusters/{offer.cluster.slug}/cooperation/"
    assert "Partners for green hydrogen" in visitor.get(LIST).text  # now cached
    assert "Partners for green hydrogen" in visitor.get(profile).text
    url = f"/admin/cooperation/cooperationoffer/{offer.pk}/change/"
    data = form_data(editor_client.get(url).text, "cooperationoffer_form")
    data["title"] = "Partners for blue hydrogen"

    assert editor_client.post(url, data).status_code == 302

    assert "Partners for blue hydrogen" in visitor.get(LIST).text
    assert "Partners for blue hydrogen" in visitor.get(profile).text
