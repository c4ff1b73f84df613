"""Absolute addresses name the portal's public address, SITE_URL, never the Host header.

127.0.0.1 is an allowed host; the odd port stands for anything a client or a misconfigured
proxy may send along with it.
"""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail

from tests.factories import ClusterFactory, UserFactory

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:9999"
SITE_URL = "https://clusters.example.eu"
SITEMAPS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def cluster():
    return ClusterFactory(name="Smart City Cluster")


def get(client, url):
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert "9999" not in text, url
    return text


def test_robots_txt_points_to_the_sitemap_at_the_site_url(visitor):
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in get(visitor, "/robots.txt")


def test_the_sitemap_index_and_section_name_the_site_url(visitor, cluster):
    index = ET.fromstring(get(visitor, "/sitemap.xml"))
    assert [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAPS)] == [
        f"{SITE_URL}/sitemap-profiles.xml", f"{SITE_URL}/sitemap-offers.xml"
    ]
    section = ET.fromstring(get(visitor, "/sitemap-profiles.xml"))
    assert [loc.text for loc in section.findall("s:url/s:loc", SITEMAPS)] == [
        f"{SITE_URL}/clusters/{cluster.slug}/", f"{SITE_URL}/es/clusters/{cluster.slug}/"
    ]


def test_the_sitemap_keeps_fifty_thousand_addresses_a_file_and_their_last_change(
    visitor, cluster
):
    index = ET.fromstring(get(visitor, "/sitemap.xml"))
    lastmod = index.find("s:sitemap/s:lastmod", SITEMAPS).text
    assert lastmod.startswith(cluster.updated.strftime("%Y-%m-%d"))
    section = ET.fromstring(get(visitor, "/sitemap-profiles.xml?p=1"))
    assert len(section.findall("s:url", SITEMAPS)) == 2  # the profile in each language
    assert visitor.get("/sitemap-profiles.xml?p=2").status_code == 404
    assert visitor.get("/sitemap-profiles.xml?p=x").status_code == 404
    assert visitor.get("/sitemap-news.xml").status_code == 404


def test_profile_pages_link_their_canonical_address_at_the_site_url(visitor, cluster):
    for path in [f"/clusters/{cluster.slug}/", f"/es/clusters/{cluster.slug}/"]:
        text = get(visitor, path)
        assert f'<link rel="canonical" href="{SITE_URL}{path}">' in text
        assert f'"url": "{SITE_URL}{path}"' in text  # the JSON-LD
    print_page = get(visitor, f"/clusters/{cluster.slug}/print/")
    assert f'href="{SITE_URL}/clusters/{cluster.slug}/"' in print_page


def test_json_and_csv_exports_name_the_site_url(visitor, cluster):
    profile = json.loads(get(visitor, f"/clusters/{cluster.slug}/profile.json"))
    assert profile["cluster"]["url"] == f"{SITE_URL}/clusters/{cluster.slug}/"
    assert profile["schema"].startswith(f"{SITE_URL}/clusters/schema/")
    assert f"{SITE_URL}/clusters/{cluster.slug}/" in get(visitor, "/clusters/export.json")
    assert f"{SITE_URL}/clusters/{cluster.slug}/" in get(visitor, "/clusters/export.csv")


def test_the_password_reset_email_links_to_the_site_url(client):
    user = UserFactory(email="ana@example.org")
    response = client.post("/admin/password_reset/", {"email": user.email}, HTTP_HOST=HOST)
    assert response.status_code == 302
    [message] = mail.outbox
    assert "9999" not in message.subject + message.body
    assert re.search(rf"{re.escape(SITE_URL)}/accounts/reset/\S+/\S+/", message.body)
