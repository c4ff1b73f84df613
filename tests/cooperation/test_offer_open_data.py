"""Offers in the open data: the profile's JSON (and its schema), the sitemap, /api/v1/offers."""

import datetime
import io
import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from django.utils import timezone

from opendata.exports import SCHEMA_PATH
from opendata.imports.apply import ClusterImport
from opendata.imports.files import read_rows
from tests.factories import (
    ClusterFactory,
    ContactFactory,
    CooperationOfferFactory,
    SectoralIndustryFactory,
)

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(SCHEMA_PATH.read_text())
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def cluster():
    cluster = ClusterFactory(name="Sevilla Energy Cluster")
    contact = ContactFactory(cluster=cluster, role="Project Manager",
                             email="private@example.org", public_consent=False)
    CooperationOfferFactory(
        cluster=cluster, title="Partners for green hydrogen", contact=contact,
        sectoral_industries=[SectoralIndustryFactory(name="Energy Industry")],
        target_countries=["PT"], deadline=timezone.localdate(),
    )
    CooperationOfferFactory(cluster=cluster, title="Expired call", deadline=YESTERDAY)
    CooperationOfferFactory(cluster=cluster, title="Closed mission", closed=True)
    CooperationOfferFactory(cluster=cluster, title="Draft idea", draft=True)
    return cluster


def test_the_profile_json_carries_the_open_offers_and_follows_the_schema(visitor, cluster):
    document = visitor.get(f"/clusters/{cluster.slug}/profile.json").json()

    jsonschema.validate(document, SCHEMA)
    offers = document["cluster"]["cooperation_offers"]
    assert [offer["title"] for offer in offers] == ["Partners for green hydrogen"]
    assert offers[0]["contact_role"] == "Project Manager"
    assert offers[0]["sectoral_industries"][0]["slug"] == "energy-industry"
    assert offers[0]["target_countries"] == ["PT"]
    assert "private@example.org" not in json.dumps(document)


def test_the_export_of_every_profile_carries_the_open_offers(visitor, cluster):
    response = visitor.get("/clusters/export.json")
    document = json.loads(b"".join(response.streaming_content))

    jsonschema.validate(document, SCHEMA)
    [record] = document["clusters"]
    assert [o["title"] for o in record["cooperation_offers"]] == ["Partners for green hydrogen"]


def test_the_sitemap_lists_open_offers_only(visitor, cluster):
    sitemap = ET.fromstring(visitor.get("/sitemap-offers.xml").content)

    locations = [loc.text for loc in sitemap.findall("s:url/s:loc", SITEMAP)]
    assert sorted(locations) == [
        "http://testserver/cooperation-offers/partners-for-green-hydrogen/",
        "http://testserver/es/cooperation-offers/partners-for-green-hydrogen/",
    ]


def test_the_api_searches_the_offers_like_the_list(visitor, cluster):
    other = CooperationOfferFactory(title="Grid testing services", kind="expertise")

    everything = visitor.get("/api/v1/offers").json()
    closed = visitor.get("/api/v1/offers", {"state": "closed"}).json()
    kind = visitor.get("/api/v1/offers", {"kind": "expertise"}).json()
    words = visitor.get("/api/v1/offers", {"q": "HYDRÓGEN"}).json()
    own = visitor.get("/api/v1/offers", {"cluster": cluster.slug}).json()

    assert everything["count"] == 2
    assert {o["title"] for o in everything["results"]} == {
        "Partners for green hydrogen", "Grid testing services",
    }
    assert {o["title"] for o in closed["results"]} == {"Expired call", "Closed mission"}
    assert [o["slug"] for o in kind["results"]] == [other.slug]
    assert [o["title"] for o in words["results"]] == ["Partners for green hydrogen"]
    assert [o["title"] for o in own["results"]] == ["Partners for green hydrogen"]
    assert own["results"][0]["cluster"] == {
        "slug": cluster.slug, "name": "Sevilla Energy Cluster", "country": "ES",
    }


def test_the_api_says_what_is_wrong_with_a_query(visitor, cluster):
    for query in ({"colour": "red"}, {"kind": "nonsense"}, {"sector": "no-such-term"},
                  {"cluster": "no-such-cluster"}, {"page": "9"}):
        response = visitor.get("/api/v1/offers", query)
        assert response.status_code == 400, query
        assert response["Content-Type"].startswith("application/problem+json")


def test_the_api_gives_one_offer_by_slug_or_id_and_never_a_draft(visitor, cluster):
    offer = cluster.offers.get(title="Partners for green hydrogen")
    draft = cluster.offers.get(title="Draft idea")

    by_slug = visitor.get(f"/api/v1/offers/{offer.slug}")
    by_id = visitor.get(f"/api/v1/offers/{offer.pk}")

    assert by_slug.status_code == by_id.status_code == 200
    assert by_slug.json() == by_id.json()
    assert by_slug.json()["open"] is True
    assert visitor.get(f"/api/v1/offers/{draft.slug}").status_code == 404
    assert visitor.get("/api/v1/offers/no-such-offer").status_code == 404
    again = visitor.get(f"/api/v1/offers/{offer.slug}", HTTP_IF_NONE_MATCH=by_slug["ETag"])
    assert again.status_code == 304


def test_the_import_reads_a_profile_with_offers_and_leaves_offers_alone(visitor, cluster):
    exported = visitor.get(f"/clusters/{cluster.slug}/profile.json").content
    document = json.loads(exported)
    document["cluster"]["cooperation_offers"][0]["title"] = "Changed by a file"

    report = ClusterImport(read_rows(io.BytesIO(json.dumps(document).encode()),
                                     "profile.json")).run()

    assert report.errors == []
    assert set(cluster.offers.values_list("title", flat=True)) == {
        "Partners for green hydrogen", "Expired call", "Closed mission", "Draft idea",
    }
