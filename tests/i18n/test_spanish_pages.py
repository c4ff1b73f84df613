"""The public site in Spanish under /es/, English unprefixed, and a switcher between them."""

import re

import pytest
from django.conf import settings

from profiles.models import SectoralIndustry, Term
from tests.factories import (
    CompositionFactory,
    FullClusterFactory,
    SectoralIndustryFactory,
)

pytestmark = pytest.mark.django_db

CATALOGUE = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django"


@pytest.fixture(autouse=True, scope="module")
def compiled_catalogue():
    po, mo = CATALOGUE.with_suffix(".po"), CATALOGUE.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        pytest.fail(f"{mo} is missing or older than the .po: run `make install` to compile it.")


@pytest.fixture
def cluster():
    automotive = SectoralIndustry.objects.get(slug="automotive")
    untranslated = SectoralIndustryFactory(name="Space Logistics")
    cluster = FullClusterFactory(
        name="Smart City Cluster", sectoral_industries=[automotive, untranslated]
    )
    CompositionFactory(cluster=cluster, total_members=1175)
    return cluster


def test_spanish_profile_speaks_spanish_and_keeps_the_clusters_own_words(visitor, cluster):
    response = visitor.get(f"/es/clusters/{cluster.slug}/")
    assert response.status_code == 200
    assert '<html lang="es">' in response.text
    assert "Información general" in response.text
    assert "Fecha de constitución" in response.text
    assert "21 de marzo de 2014" in response.text  # the date in Spanish
    assert "España" in response.text  # country names come translated too
    assert "European Smart Cities Network" in response.text  # free text stays as written


def test_spanish_profile_shows_vocabulary_terms_in_spanish_falling_back_to_english(
    visitor, cluster
):
    response = visitor.get(f"/es/clusters/{cluster.slug}/sectors/")
    assert "Automoción" in response.text
    assert "Space Logistics" in response.text
    english = visitor.get(f"/clusters/{cluster.slug}/sectors/")
    assert "Automotive" in english.text
    assert "Automoción" not in english.text


def test_numbers_are_grouped_the_spanish_way(visitor, cluster):
    english = visitor.get(f"/clusters/{cluster.slug}/composition/")
    spanish = visitor.get(f"/es/clusters/{cluster.slug}/composition/")
    assert "1,175" in english.text
    assert "1\xa0175" in spanish.text


def test_english_stays_at_unprefixed_addresses_whatever_the_browser_prefers(visitor, cluster):
    response = visitor.get(f"/clusters/{cluster.slug}/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "General information" in response.text


def test_language_switcher_keeps_the_visitor_on_the_same_page(visitor, cluster):
    english = visitor.get(f"/clusters/{cluster.slug}/sectors/")
    assert f'href="/es/clusters/{cluster.slug}/sectors/" lang="es"' in english.text
    spanish = visitor.get("/es/clusters/?q=smart")
    assert 'href="/clusters/?q=smart" lang="en"' in spanish.text


def test_language_switcher_on_a_missing_page_offers_the_home_page(visitor, settings):
    settings.DEBUG = False
    unknown_address = visitor.get("/es/no-such-page/")
    assert unknown_address.status_code == 404
    assert 'href="/" lang="en"' in unknown_address.text
    unknown_cluster = visitor.get("/es/clusters/no-such-cluster/")
    assert unknown_cluster.status_code == 404
    assert 'href="/clusters/no-such-cluster/" lang="en"' in unknown_cluster.text


def test_spanish_directory_search_and_its_empty_state(visitor, cluster):
    found = visitor.get("/es/clusters/?q=smart")
    assert "1 organización de clúster" in found.text
    assert "Smart City Cluster" in found.text
    nothing = visitor.get("/es/clusters/?q=zzz")
    assert "Ninguna organización de clúster coincide con todas sus opciones." in nothing.text
    assert "Amplíe la búsqueda" in nothing.text


def test_spanish_page_not_found_is_in_spanish(visitor, settings):
    settings.DEBUG = False
    response = visitor.get("/es/clusters/no-such-cluster/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.text


def test_admin_stays_outside_the_language_prefix(editor_client):
    assert editor_client.get("/admin/").status_code == 200
    assert editor_client.get("/es/admin/").status_code == 404


def test_shipped_vocabularies_have_spanish_labels():
    vocabularies = Term.__subclasses__()
    assert len(vocabularies) == 8
    untranslated = [
        term.name for model in vocabularies for term in model.objects.all() if not term.labels["es"]
    ]
    assert not untranslated


def test_editor_gives_a_term_its_spanish_label_in_the_admin(editor_client, cluster):
    term = SectoralIndustry.objects.get(name="Space Logistics")
    response = editor_client.post(
        f"/admin/profiles/sectoralindustry/{term.pk}/change/",
        {
            "name": term.name,
            "label_es": "Logística espacial",
            "slug": term.slug,
            "alias": "",
            "is_active": "on",
            "position": term.position,
        },
    )
    assert response.status_code == 302
    spanish = editor_client.get(f"/es/clusters/{cluster.slug}/sectors/")
    assert "Logística espacial" in spanish.text
    english = editor_client.get(f"/clusters/{cluster.slug}/sectors/")
    assert "Space Logistics" in english.text


SWITCHER = re.compile(r'<nav aria-label="[^"]*" class="language-switcher">(.*?)</nav>', re.S)


# The test client would read "//evil.example" as a host: "%2F" and "%5C" reach the portal as
# the "/" and "\" a browser or a crafted link sends.
@pytest.mark.parametrize("address", [
    "/%2Fevil.example/phish", "/%5Cevil.example", "/clusters/%2Fevil.example",
    "/es/%2Fevil.example", "/es/%2Fevil.example/phish", "/es/%5Cevil.example",
])
def test_the_switcher_on_a_missing_page_links_only_within_the_site(visitor, settings, address):
    settings.DEBUG = False
    response = visitor.get(address)
    assert response.status_code == 404
    links = re.findall(r'href="([^"]*)"', SWITCHER.search(response.text).group(1))
    assert len(links) == len(settings.LANGUAGES)
    for link in links:
        assert link.startswith("/") and not link.startswith(("//", "/\\")), link
    assert set(links) == {"/", "/es/"}
