"""/api/v1/ over HTTP: profiles and vocabularies, the OpenAPI file, validators and 304,
the rate limit, CORS, gzip, problems for every error and the documentation page."""

import gzip
import json
import re

import jsonschema
import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from cluster_portal import changes
from opendata.exports import SCHEMA_PATH
from tests.factories import (
    ClusterFactory,
    CooperationOfferFactory,
    SectoralIndustryFactory,
    UserFactory,
    full_profile,
)

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(SCHEMA_PATH.read_text())


@pytest.fixture
def smart_city():
    return full_profile("Smart City Cluster")


def problem_of(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    problem = json.loads(response.content)
    assert problem["status"] == status and problem["detail"]
    return problem


# --- Profiles and vocabularies ------------------------------------------------------------


def test_a_profile_is_the_record_of_its_profile_json(visitor, smart_city):
    response = visitor.get("/api/v1/clusters/smart-city-cluster")
    assert response.status_code == 200
    document = response.json()
    assert document == visitor.get("/clusters/smart-city-cluster/profile.json").json()
    jsonschema.validate(document, SCHEMA)
    assert document["cluster"]["partner_clusters"][0]["name"] == "Gazdasági Tanácsadó Kft"
    assert "Gazdasági" in response.text  # written as it is, not escaped


def test_drafts_retired_and_unknown_profiles_are_not_found(visitor):
    ClusterFactory(name="Draft Cluster", draft=True)
    ClusterFactory(name="Retired Cluster", retired=True)
    for slug in ["draft-cluster", "retired-cluster", "no-such-cluster"]:
        problem = problem_of(visitor.get(f"/api/v1/clusters/{slug}"), 404)
        assert problem["title"] == "Not Found"


def test_a_profile_names_none_of_its_staff(visitor):
    staff = UserFactory(username="staff-member", email="staff.member@example.org")
    ClusterFactory(name="Staffed Cluster", staff=[staff])
    text = visitor.get("/api/v1/clusters/staffed-cluster").text
    assert "staff-member" not in text and "staff.member@example.org" not in text


def test_vocabularies_give_stable_slugs_and_labels_in_both_languages(visitor):
    energy = SectoralIndustryFactory(name="Energy", labels={"es": "Energía"})
    SectoralIndustryFactory(name="Retired Term", is_active=False)
    listed = visitor.get("/api/v1/vocabularies").json()
    sector = next(item for item in listed if item["slug"] == "sector")
    assert sector == {"slug": "sector", "label": "Sectoral industry",
                      "labels": {"es": sector["labels"]["es"]}, "parameter": "sector",
                      "url": "http://testserver/api/v1/vocabularies/sector"}
    assert {item["slug"] for item in listed} >= {
        "sector", "technology", "s3", "emerging", "ecosystem", "label", "support-services",
        "activities", "countries", "members"}
    services = next(item for item in listed if item["slug"] == "support-services")
    assert (services["label"], services["labels"]) == (
        "Support services provided", {"es": "Servicios de apoyo prestados"})
    terms = visitor.get(sector["url"]).json()["terms"]
    assert {"slug": energy.slug, "label": "Energy", "labels": {"es": "Energía"},
            "active": True} in terms
    assert {"slug": "retired-term", "label": "Retired Term", "labels": {},
            "active": False} in terms
    countries = visitor.get("/api/v1/vocabularies/countries").json()["terms"]
    assert {"slug": "ES", "label": "Spain", "labels": {"es": "España"},
            "active": True} in countries
    bands = visitor.get("/api/v1/vocabularies/members").json()["terms"]
    assert [band["slug"] for band in bands] == ["1-49", "50-249", "250+"]
    assert bands[0]["labels"] == {"es": "1–49 miembros"}
    problem = problem_of(visitor.get("/api/v1/vocabularies/colours"), 404)
    assert "the vocabularies are sector, technology" in problem["detail"]


# --- The OpenAPI file ---------------------------------------------------------------------


def test_the_openapi_file_validates_and_every_path_in_it_answers(visitor, smart_city):
    response = visitor.get("/api/v1/openapi.json")
    assert response.status_code == 200
    def once_each(pairs):
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys  # a key twice stops Swagger UI
        return dict(pairs)

    description = json.loads(response.content, object_pairs_hook=once_each)
    validate(description)
    assert description["info"]["version"] == "1"
    paths = description["paths"]
    assert set(paths) == {"/api/v1/", "/api/v1/clusters", "/api/v1/clusters/{slug}",
                          "/api/v1/offers", "/api/v1/offers/{offer}",
                          "/api/v1/statistics",
                          "/api/v1/vocabularies", "/api/v1/vocabularies/{vocabulary}"}
    offer = CooperationOfferFactory(cluster=smart_city)
    values = {"slug": smart_city.slug, "vocabulary": "sector", "offer": offer.slug}
    for path in paths:
        url = re.sub(r"{(\w+)}", lambda match: values[match[1]], path)
        assert visitor.get(url).status_code == 200, url
    record = description["components"]["schemas"]["ClusterProfile"]
    assert set(record["properties"]) == set(SCHEMA["$defs"]["cluster"]["properties"])


# --- Validators and 304 -------------------------------------------------------------------


def test_an_unchanged_answer_is_a_304_without_a_query(visitor, smart_city):
    for url in ["/api/v1/clusters?q=smart", "/api/v1/clusters/smart-city-cluster",
                "/api/v1/vocabularies/sector"]:
        first = visitor.get(url)
        assert first["Cache-Control"] == "public, max-age=300"
        with CaptureQueriesContext(connection) as queries:
            again = visitor.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert (again.status_code, again.content, len(queries)) == (304, b"", 0), url
        assert again["ETag"] == first["ETag"]
        assert again["Last-Modified"] == first["Last-Modified"]
        since = visitor.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304, url


def test_a_change_gives_a_new_answer_to_the_same_conditional_request(visitor, smart_city):
    urls = ["/api/v1/clusters", "/api/v1/clusters/smart-city-cluster"]
    etags = {url: visitor.get(url)["ETag"] for url in urls}
    smart_city.city = "Málaga"
    smart_city.save()
    changes.clusters_changed([smart_city.pk], touched=False)
    for url in urls:
        response = visitor.get(url, HTTP_IF_NONE_MATCH=etags[url])
        assert response.status_code == 200 and "Málaga" in response.text, url
        assert response["ETag"] != etags[url]


def test_a_made_up_etag_gets_the_whole_answer(visitor, smart_city):
    response = visitor.get("/api/v1/clusters", HTTP_IF_NONE_MATCH='"not-an-etag-of-ours"')
    assert response.status_code == 200 and response.json()["count"] == 1


# --- Rate limit ---------------------------------------------------------------------------


def test_too_many_requests_from_one_address_get_429_with_retry_after(settings, smart_city):
    settings.API_RATE_LIMIT = "3/m"
    busy, other = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    for url in ["/api/v1/clusters", "/api/v1/clusters/smart-city-cluster", "/api/v1/"]:
        assert busy.get(url).status_code == 200
    refused = busy.get("/api/v1/vocabularies")
    problem = problem_of(refused, 429)
    assert "Retry-After" in problem["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Conditional requests count too; other addresses do not.
    assert busy.get("/api/v1/clusters", HTTP_IF_NONE_MATCH='"x"').status_code == 429
    assert other.get("/api/v1/clusters").status_code == 200


def test_behind_proxies_the_limit_counts_the_clients_address(settings, smart_city):
    settings.API_RATE_LIMIT = "2/m"
    # What cluster_portal/settings.py makes of PROXY_COUNT=1 (nginx in front).
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.IPWARE_STRICT = False
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for n in range(3):  # a client making up addresses in front is still one client
        response = proxy.get("/api/v1/", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 81.2.69.160")
    assert response.status_code == 429
    assert proxy.get("/api/v1/", HTTP_X_FORWARDED_FOR="84.200.69.80").status_code == 200


# --- CORS, gzip, problems -----------------------------------------------------------------


def test_any_origin_may_read_the_api_but_not_the_site(visitor, smart_city):
    response = visitor.get("/api/v1/clusters", HTTP_ORIGIN="https://data.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = visitor.options(
        "/api/v1/clusters", HTTP_ORIGIN="https://data.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 200
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    page = visitor.get("/clusters/", HTTP_ORIGIN="https://data.example.org")
    assert "Access-Control-Allow-Origin" not in page


def test_answers_are_gzipped_for_clients_that_accept_it(visitor, smart_city):
    plain = visitor.get("/api/v1/clusters/smart-city-cluster")
    packed = visitor.get("/api/v1/clusters/smart-city-cluster", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert "Accept-Encoding" in packed["Vary"]
    # The ETag of the packed answer is weak, and still answers 304.
    again = visitor.get("/api/v1/clusters/smart-city-cluster", HTTP_ACCEPT_ENCODING="gzip",
                        HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304


def test_every_error_is_a_problem(visitor):
    problem_of(visitor.get("/api/v1/no-such-endpoint"), 404)
    refused = visitor.post("/api/v1/clusters", {"name": "x"})
    assert "only answers GET" in problem_of(refused, 405)["detail"]
    assert refused["Allow"] == "GET, HEAD"


# --- Documentation ------------------------------------------------------------------------


def test_the_docs_page_is_served_by_the_portal_under_its_strict_policy(visitor):
    response = visitor.get("/api/v1/docs")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy
    html = response.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(asset.startswith("/static/ninja/") for asset in assets), assets
    assert all(finders.find(asset.removeprefix("/static/")) for asset in assets)
    # No script to run in the page itself: only external files and a JSON data block.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert all('src="' in attrs or 'type="application/json"' in attrs
               for attrs, _body in scripts)
    assert "/api/v1/openapi.json" in html
    assert '<html lang="en">' in html and 'name="viewport"' in html


def test_every_endpoint_answers_head_too(visitor, smart_city):
    for url in ["/api/v1/", "/api/v1/clusters", "/api/v1/clusters/smart-city-cluster",
                "/api/v1/vocabularies/sector"]:
        response = visitor.head(url)
        assert (response.status_code, response.content) == (200, b""), url
        assert response["ETag"] == visitor.get(url)["ETag"]


def test_the_footer_links_to_the_api_documentation(visitor):
    html = visitor.get("/").text
    assert 'href="/api/v1/docs"' in html
