"""The footer's pages: every public page links them, editors write them in each language."""

import pytest

from pages.models import Page
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db

FOOTER = {
    "about": "About", "contact": "Contact", "accessibility": "Accessibility statement",
    "privacy": "Privacy and cookies",
}


def test_every_public_page_has_the_footer_links_and_the_publisher(visitor, settings):
    settings.PORTAL_PUBLISHER = "Ministry of Industry of Atlantis"
    cluster = ClusterFactory()
    for url in ["/", "/clusters/", f"/clusters/{cluster.slug}/", "/about/"]:
        page = visitor.get(url).text
        footer = page[page.index('<footer class="site-footer">'):]
        for kind, label in FOOTER.items():
            assert f'<a href="/{kind}/">{label}</a>' in footer, url
        assert "Published by Ministry of Industry of Atlantis." in footer


def test_each_footer_page_opens_in_english_and_spanish(visitor):
    for kind in FOOTER:
        english, spanish = visitor.get(f"/{kind}/"), visitor.get(f"/es/{kind}/")
        assert english.status_code == spanish.status_code == 200
        assert Page.objects.get(kind=kind, language="en").title in english.text
        assert Page.objects.get(kind=kind, language="es").title in spanish.text
    assert "Declaración de accesibilidad" in visitor.get("/es/accessibility/").text
    assert '<a href="/es/privacy/">Privacidad y cookies</a>' in visitor.get("/es/").text


def test_a_page_without_its_spanish_version_shows_the_english_one_marked_english(visitor):
    Page.objects.filter(kind="contact", language="es").delete()
    page = visitor.get("/es/contact/").text
    assert '<article class="portal-page" lang="en">' in page
    assert "editors@cluster-portal.example" in page


def test_an_unknown_page_is_not_found(visitor):
    assert visitor.get("/imprint/").status_code == 404
    Page.objects.filter(kind="about").delete()
    assert visitor.get("/about/").status_code == 404


def test_an_editor_rewrites_a_page_in_the_admin_and_visitors_read_it(portal_editor_client,
                                                                     visitor):
    page = Page.objects.get(kind="about", language="es")
    response = portal_editor_client.post(
        f"/admin/pages/page/{page.pk}/change/",
        {"kind": "about", "language": "es", "title": "Quiénes somos",
         "body": "<p>Somos el portal.</p><script>alert(1)</script>"},
    )
    assert response.status_code == 302
    text = visitor.get("/es/about/").text
    assert "Quiénes somos" in text and "<p>Somos el portal.</p>" in text
    assert "alert(1)" not in text  # the text is sanitised like the clusters' own


def test_a_second_version_of_a_page_in_one_language_is_refused(portal_editor_client):
    response = portal_editor_client.post(
        "/admin/pages/page/add/",
        {"kind": "about", "language": "en", "title": "Another about", "body": "<p>x</p>"},
    )
    assert response.status_code == 200
    assert "This page already has a version in this language." in response.text
    assert Page.objects.filter(kind="about", language="en").count() == 1
