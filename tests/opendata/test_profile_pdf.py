import datetime
import io
import logging
import multiprocessing
import threading
import time

import factory
import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from pypdf import PdfReader

from cluster_portal import changes
from cooperation.models import PartnerCluster
from opendata import pdf
from opendata.pdf import PortalFilesFetcher, RefusedResource, render_pdf
from profiles.models import Cluster
from tests.conftest import once_per_module
from tests.factories import ClusterFactory, PartnerClusterFactory, full_profile
from tests.images import huge_png
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@once_per_module
def full_profile_pdf(tmp_path_factory):
    """A full profile with a logo, names in several scripts and rows enough for more than one
    page, last changed at noon on 29 February 2024, and its PDF (rendered once: WeasyPrint takes
    a second or two)."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), SITE_URL=SITE_URL):
        cluster = full_profile(
            name="Multi-page Cluster",
            logo=factory.django.ImageField(color="blue", width=240, height=120),
        )
        PartnerClusterFactory(cluster=cluster, name="Klaster Łódź Żywność", country="PL")
        PartnerClusterFactory(cluster=cluster, name="Győri Járműipari Klaszter", country="HU")
        for number in range(40):
            PartnerClusterFactory(cluster=cluster, name=f"Partner Cluster Number {number}")
        Cluster.objects.filter(pk=cluster.pk).update(updated=LAST_CHANGE)
        # Whatever host the visitor names, the PDF speaks of the portal's own address.
        response = Client().get(f"/clusters/{cluster.slug}/profile.pdf", HTTP_HOST="testserver:81")
        return cluster.slug, read_pdf(response)


LAST_CHANGE = datetime.datetime(2024, 2, 29, 12, tzinfo=datetime.UTC)
SITE_URL = "https://clusters.example.eu"


def test_pdf_holds_every_filled_section_and_names_in_any_script(full_profile_pdf):
    slug, reader = full_profile_pdf
    text = pdf_text(reader)

    titles = [str(title) for _slug, title in Cluster.SECTIONS]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions), "sections are in tab order"
    for name in [
        "Multi-page Cluster",
        "Gazdasági Tanácsadó Kft",
        "Niemiecko-Polska Fundacja",
        "Klaster Łódź Żywność",
        "Győri Járműipari Klaszter",
        "Ana García",
        "Interreg SUDOE Smart Towns",
    ]:
        assert name in text
    # Footer on every page: the profile's address and the page number.
    assert len(reader.pages) > 1
    for number, page in enumerate(reader.pages, start=1):
        page_text = " ".join(page.extract_text().split())
        assert f"{SITE_URL}/clusters/{slug}/" in page_text
        assert f"{number} / {len(reader.pages)}" in page_text
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    # The logo is drawn on the first page.
    assert list(reader.pages[0].images), "the cluster's logo is in the PDF"


def test_pdf_links_are_clickable(full_profile_pdf):
    _slug, reader = full_profile_pdf
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    }
    assert "https://cluster.example.org/" in uris
    assert "https://programme.example.org/" in uris
    assert "https://player.example.org/" in uris


def test_pdf_leaves_out_empty_sections(visitor):
    cluster = ClusterFactory(name="Bare Cluster")
    text = pdf_text(read_pdf(visitor.get(f"/clusters/{cluster.slug}/profile.pdf")))
    assert "General information" in text
    assert "Support programmes" not in text
    assert "Composition of the cluster" not in text


def test_pdf_is_cached_until_the_profile_changes(visitor, django_assert_max_num_queries):
    cluster = full_profile()
    url = f"/clusters/{cluster.slug}/profile.pdf"
    first = b"".join(visitor.get(url))
    with django_assert_max_num_queries(1):
        again = b"".join(visitor.get(url))
    assert again == first

    cluster.name = "Renamed Smart City Cluster"
    cluster.save()
    renamed = read_pdf(visitor.get(url))
    assert "Renamed Smart City Cluster" in pdf_text(renamed)


def test_draft_has_no_pdf(visitor):
    cluster = ClusterFactory(draft=True)
    assert visitor.get(f"/clusters/{cluster.slug}/profile.pdf").status_code == 404


def test_profile_and_print_pages_offer_the_pdf(visitor):
    cluster = full_profile()
    for page in (f"/clusters/{cluster.slug}/", f"/clusters/{cluster.slug}/print/"):
        response = visitor.get(page)
        assert f'href="/clusters/{cluster.slug}/profile.pdf"' in response.text
        assert "Download PDF" in response.text


# --- WeasyPrint reads the portal's own files and nothing else ------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:6379/",
        "http://10.0.0.1/static/css/print.css",
        "https://example.org/static/css/print.css",
        "http://testserver/admin/",
        "http://testserver/static/../../../../etc/passwd",
        "http://testserver/static/%2e%2e/%2e%2e/cluster_portal/settings.py",
        "http://testserver/media/../../etc/passwd",
        "ftp://testserver/static/css/print.css",
    ],
)
def test_fetcher_refuses_anything_but_static_and_media_files(url):
    with pytest.raises(RefusedResource):
        PortalFilesFetcher("http://testserver").fetch(url)


def test_fetcher_serves_static_and_media_files(settings):
    fetcher = PortalFilesFetcher("http://testserver")
    css = fetcher.fetch("http://testserver/static/css/print.css")
    assert b"@page" in css.read()
    assert css.content_type == "text/css"
    css.close()
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.MEDIA_ROOT / "note.txt").write_text("media file")
    media = fetcher.fetch("http://testserver/media/note.txt")
    assert media.read() == b"media file"
    media.close()


def test_a_page_pointing_at_private_resources_renders_without_them(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the PDF")
    html = f"""<html><head>
        <link rel="stylesheet" href="http://169.254.169.254/evil.css">
        <link rel="stylesheet" href="file://{tmp_path}/evil.css"></head>
        <body><p>Visible text</p>
        <img src="file://{secret}"><img src="http://10.1.2.3/logo.png">
        <img src="/static/css/../../../etc/passwd"></body></html>"""
    refused = []
    original = PortalFilesFetcher.fetch

    def spy(self, url, headers=None):
        try:
            return original(self, url, headers)
        except RefusedResource:
            refused.append(url)
            raise

    PortalFilesFetcher.fetch = spy
    try:
        document = render_pdf(html, "http://testserver")
    finally:
        PortalFilesFetcher.fetch = original
    reader = PdfReader(io.BytesIO(document))
    assert "Visible text" in reader.pages[0].extract_text()
    assert not list(reader.pages[0].images)
    assert len(refused) == 5


def test_pdf_footer_gives_the_profiles_address_on_every_page_and_its_date_once(
    full_profile_pdf,
):
    slug, reader = full_profile_pdf
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    for number, text in enumerate(pages, start=1):
        assert f"{SITE_URL}/clusters/{slug}/ {number} / {len(pages)}" in text
    assert " ".join(pages).count("Last updated") == 1
    assert "Last updated 29 February 2024" in pages[0]


# --- One bounded render per profile, whatever the visitor sends -----------------------------

REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6390",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_visitors_naming_other_hosts_share_one_pdf_written_for_the_site(
    visitor, settings, django_assert_max_num_queries
):
    settings.SITE_URL = SITE_URL
    cluster = full_profile()
    url = f"/clusters/{cluster.slug}/profile.pdf"
    first = visitor.get(url, HTTP_HOST="testserver:1")
    # Another port is not another PDF: served from the cache, nothing rendered again.
    with django_assert_max_num_queries(1):
        again = visitor.get(url, HTTP_HOST="testserver:2")
    assert b"".join(again) == b"".join(first)
    reader = read_pdf(first)
    assert "testserver" not in pdf_text(reader)
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    }
    assert f"{SITE_URL}/clusters/{cluster.slug}/" in uris
    assert not [uri for uri in uris if "testserver" in uri]


def test_the_cache_key_names_the_profile_its_change_the_language_and_the_layout():
    cluster = ClusterFactory()
    assert pdf.pdf_cache_key(cluster, "es") == (
        f"profile-pdf:{pdf.PDF_LAYOUT_VERSION}:{cluster.pk}:{cluster.updated.timestamp()}:es"
    )


def test_a_pdf_made_ahead_of_any_request_is_the_one_visitors_get(
    visitor, django_assert_max_num_queries
):
    cluster = ClusterFactory(name="Clúster de la Movilidad")
    document = pdf.cached_profile_pdf(cluster, "es")
    assert "Información general" in pdf_text(PdfReader(io.BytesIO(document)))
    with django_assert_max_num_queries(1):
        response = visitor.get(f"/es/clusters/{cluster.slug}/profile.pdf")
    assert b"".join(response) == document
    english = pdf_text(read_pdf(visitor.get(f"/clusters/{cluster.slug}/profile.pdf")))
    assert "General information" in english


def test_a_second_request_waits_for_the_render_in_progress_and_serves_its_pdf(visitor):
    cluster = ClusterFactory()
    # Another worker holds the lock; it caches its PDF a moment later.
    assert cache.add(pdf.lock_key(cluster, "en"), "rendering", 60)
    finished = threading.Timer(
        0.3, cache.set, (pdf.pdf_cache_key(cluster, "en"), b"%PDF-1.7 the other worker's", 60)
    )
    finished.start()
    try:
        response = visitor.get(f"/clusters/{cluster.slug}/profile.pdf")
    finally:
        finished.join()
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 the other worker's"


def test_a_render_in_progress_for_too_long_answers_503_with_retry_after(visitor, settings):
    settings.PDF_WAIT_SECONDS = 0.3
    cluster = ClusterFactory()
    assert cache.add(pdf.lock_key(cluster, "en"), "rendering", 60)

    response = visitor.get(f"/clusters/{cluster.slug}/profile.pdf")

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert "no-store" in response["Cache-Control"]
    assert "being made for another visitor" in response.content.decode()
    assert cache.get(pdf.lock_key(cluster, "en")) == "rendering", "the other's lock is kept"


def test_a_render_that_takes_too_long_is_stopped_and_answers_503(visitor, settings, caplog):
    settings.PDF_TIMEOUT_SECONDS = 0.05  # a profile takes a second or so
    cluster = ClusterFactory()

    with caplog.at_level(logging.ERROR, logger="opendata.pdf"):
        response = visitor.get(f"/clusters/{cluster.slug}/profile.pdf")

    assert response.status_code == 503
    assert response["Retry-After"] == str(pdf.FAILED_RENDER_SECONDS)
    assert "could not be made just now" in response.content.decode()
    assert f"The PDF of {cluster.slug} (en) could not be made: no PDF after 0.05 s" in caplog.text
    assert not multiprocessing.active_children(), "the child was killed and reaped"
    assert cache.add(pdf.lock_key(cluster, "en"), "free", 1), "the lock was released"
    # Not retried at once: the next visitor is told straight away.
    settings.PDF_TIMEOUT_SECONDS = 30
    assert visitor.get(f"/clusters/{cluster.slug}/profile.pdf").status_code == 503


def test_a_render_beyond_the_memory_limit_answers_503(visitor, settings, caplog):
    # 1 MB above what the child maps when it starts, whatever earlier tests loaded into this
    # process: too little to lay out a full profile with 5,000 partners, which takes some
    # hundreds of megabytes (a smaller one could fit in memory the process had freed after
    # earlier tests, inherited by the child, and the test would pass by luck).
    cluster = full_profile()
    PartnerCluster.objects.bulk_create(PartnerClusterFactory.build_batch(5000, cluster=cluster))
    changes.clusters_changed([cluster.pk])
    settings.PDF_MEMORY_LIMIT_MB = 1

    with caplog.at_level(logging.ERROR, logger="opendata.pdf"):
        response = visitor.get(f"/clusters/{cluster.slug}/profile.pdf")

    assert response.status_code == 503
    assert "could not be made" in caplog.text


def test_a_huge_logo_already_in_storage_is_left_out_of_the_pdf(visitor, settings):
    # Stored before uploads were checked, or attached by the import: never decoded.
    settings.MEDIA_ROOT.joinpath("logos").mkdir(parents=True)
    settings.MEDIA_ROOT.joinpath("logos", "huge.png").write_bytes(huge_png(13000))
    cluster = ClusterFactory(logo="logos/huge.png")

    started = time.monotonic()
    reader = read_pdf(visitor.get(f"/clusters/{cluster.slug}/profile.pdf"))

    assert time.monotonic() - started < 8
    assert not list(reader.pages[0].images)
    assert cluster.name in pdf_text(reader)


@override_settings(CACHES=REDIS_DOWN)
def test_the_pdf_is_rendered_uncached_when_the_cache_is_down(visitor, caplog):
    cluster = ClusterFactory(name="Cluster Without Cache")

    with caplog.at_level(logging.ERROR, logger="opendata.pdf"):
        response = visitor.get(f"/clusters/{cluster.slug}/profile.pdf")

    assert "Cluster Without Cache" in pdf_text(read_pdf(response))
    assert "Cache unavailable: the PDF of cluster-without-cache is rendered without it" in (
        caplog.text
    )


def test_pdf_draws_the_locator_map_of_a_located_cluster(visitor):
    # The locator's point is the only shape drawn in its colour (#c2185b): WeasyPrint drew it.
    point_colour = b"0.760784 0.094118 0.356863 rg"
    located = ClusterFactory(name="Located Cluster", country="ES", city="Bilbao")
    unknown = ClusterFactory(name="Unlocated Cluster", country="ES", city="Nowheresville")
    first_pages = {
        cluster.has_location: read_pdf(visitor.get(f"/clusters/{cluster.slug}/profile.pdf"))
        .pages[0].get_contents().get_data()
        for cluster in (located, unknown)
    }
    assert point_colour in first_pages[True]
    assert point_colour not in first_pages[False]


# --- An accessible document: tagged, titled, in its language, in one font family -----------


def pdf_fonts(reader):
    """The base names of the fonts the PDF embeds, without their subset prefix."""
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return fonts


def test_the_pdf_is_tagged_titled_with_the_clusters_name_and_in_its_language(visitor):
    cluster = full_profile(name="Vigo Maritime Cluster")
    for prefix, language in [("", "en"), ("/es", "es")]:
        reader = read_pdf(visitor.get(f"{prefix}/clusters/{cluster.slug}/profile.pdf"))
        catalog = reader.trailer["/Root"]
        assert bool(catalog["/MarkInfo"]["/Marked"])  # tagged: read by screen readers
        assert "/StructTreeRoot" in catalog
        assert catalog["/Lang"] == language
        assert reader.metadata.title == "Vigo Maritime Cluster"
        assert reader.metadata.author == "Vigo Maritime Cluster"


def test_the_pdf_is_set_in_one_font_family(full_profile_pdf):
    _slug, reader = full_profile_pdf
    assert {font.split("-")[0] for font in pdf_fonts(reader)} == {"DejaVu"}
    assert pdf_fonts(reader) <= {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Oblique",
                                 "DejaVu-Sans-BoldOblique"}


def test_the_pdf_embeds_the_logo_at_the_size_it_prints(visitor, settings):
    cluster = full_profile(
        name="Logo Cluster", logo=factory.django.ImageField(color="teal", width=800, height=800))
    reader = read_pdf(visitor.get(f"/clusters/{cluster.slug}/profile.pdf"))
    [image] = reader.pages[0].images
    assert image.image.size == pdf.PDF_LOGO_PIXELS  # not the stored 800 × 800
