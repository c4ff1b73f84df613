"""The profile's header and head: the facts partners compare, the pitch one click away, the
language of the cluster's own texts, and what a shared link or a search engine reads."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.factories import (
    ClusterExcellenceLabelFactory,
    CompositionFactory,
    FullClusterFactory,
    IndustrialEcosystemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster():
    cluster = FullClusterFactory(
        name="Vigo Maritime Cluster", country="ES", region="Galicia", city="Vigo",
        website="https://vigo-maritime.example/",
        excellence_label=ClusterExcellenceLabelFactory(name="Excellence Gold"),
        industrial_ecosystems=[IndustrialEcosystemFactory(name="Test Ecosystem B"),
                               IndustrialEcosystemFactory(name="Test Ecosystem A")],
        strategy="<p>Ports and shipyards building zero-emission vessels. More.</p>",
        why_choose_us="<p>Forty shipyards within 50 km.</p>",
    )
    CompositionFactory(cluster=cluster, total_members=175)
    return cluster


def key_facts(page):
    strip = page[page.index('<dl class="key-facts">'):page.index("</dl>",
                                                                 page.index("key-facts"))]
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>(?:<time[^>]*>)?([^<]+)", strip))


def test_the_header_names_the_cluster_and_its_key_facts_on_every_tab(visitor, cluster):
    for tab in ["", "sectors/", "programmes/"]:
        page = visitor.get(f"/clusters/{cluster.slug}/{tab}").text
        assert "Vigo, Galicia, Spain" in page
        website = 'href="https://vigo-maritime.example/" rel="noopener">vigo-maritime.example<'
        assert website in page
        facts = key_facts(page)
        assert facts["Members"] == "175"
        assert facts["Established"] == str(cluster.date_established.year)
        assert facts["Excellence label"] == "Excellence Gold"
        assert facts["Industrial ecosystems"] == "Test Ecosystem A, Test Ecosystem B"


def test_why_partners_should_choose_the_cluster_is_one_click_from_the_header(visitor, cluster):
    page = visitor.get(f"/clusters/{cluster.slug}/").text
    link = f'href="/clusters/{cluster.slug}/programmes/#why-choose-us"'
    assert link in page.split('<nav aria-label="Profile sections"')[0]
    programmes = visitor.get(f"/clusters/{cluster.slug}/programmes/").text
    assert '<h3 id="why-choose-us">' in programmes


def test_the_clusters_english_texts_are_marked_english_on_spanish_pages(visitor, cluster):
    english = visitor.get(f"/clusters/{cluster.slug}/strategy/").text
    assert 'lang="en"' not in english.split("<main")[1]
    spanish = visitor.get(f"/es/clusters/{cluster.slug}/strategy/").text
    assert '<div class="rich-text" lang="en"><p>Ports and shipyards' in spanish
    assert '<div class="rich-text" lang="en"><p>Forty shipyards' in visitor.get(
        f"/es/clusters/{cluster.slug}/programmes/").text


def test_a_cluster_writing_in_spanish_has_its_texts_marked_on_english_pages(visitor, cluster):
    cluster.texts_language = "es"
    cluster.strategy = "<p>Astilleros y puertos.</p>"
    cluster.save()
    english = visitor.get(f"/clusters/{cluster.slug}/strategy/").text
    assert '<div class="rich-text" lang="es"><p>Astilleros y puertos.</p>' in english
    spanish = visitor.get(f"/es/clusters/{cluster.slug}/strategy/").text
    assert '<div class="rich-text"><p>Astilleros y puertos.</p>' in spanish


def test_a_shared_profile_link_shows_the_name_summary_and_logo(visitor, cluster):
    page = visitor.get(f"/es/clusters/{cluster.slug}/sectors/").text
    head = page.split("</head>")[0]
    assert '<meta property="og:title" content="Vigo Maritime Cluster">' in head
    assert ('<meta property="og:description" content="Ports and shipyards building '
            'zero-emission vessels.">') in head
    url = f"http://testserver/es/clusters/{cluster.slug}/"
    assert f'<meta property="og:url" content="{url}">' in head
    # Without a logo, the portal's own picture (absolute, as crawlers need).
    assert '<meta property="og:image" content="http://testserver/static/icons/share.png">' in head
    assert '<meta name="twitter:card" content="summary_large_image">' in head


def test_every_page_names_itself_in_every_language_for_search_engines(visitor, cluster):
    for url in ["/", "/clusters/", f"/clusters/{cluster.slug}/composition/", "/about/"]:
        for prefix in ["", "/es"]:
            head = visitor.get(prefix + url).text.split("</head>")[0]
            for code, address in [("en", url), ("es", f"/es{url}"), ("x-default", url)]:
                link = f'<link rel="alternate" hreflang="{code}" href="http://testserver{address}">'
                assert link in head


def test_the_directory_names_its_search_in_the_alternates(visitor, cluster):
    head = visitor.get("/es/clusters/?country=ES&utm=x").text.split("</head>")[0]
    english = "http://testserver/clusters/?country=ES"
    assert f'<link rel="alternate" hreflang="en" href="{english}">' in head


def test_the_favicon_and_touch_icon_are_there(visitor):
    response = visitor.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/icons/favicon.ico"
    head = visitor.get("/").text.split("</head>")[0]
    for icon in ["icons/favicon.ico", "icons/icon.svg", "icons/apple-touch-icon.png"]:
        assert f"/static/{icon}" in head
        assert finders.find(icon)
