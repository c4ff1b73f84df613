"""Adding a language is settings.LANGUAGES plus its catalogue and the vocabularies' labels:
no migration, no code. French stands in for the next language here."""

import pytest
from django.test import Client

from profiles.models import SectoralIndustry
from tests.factories import ClusterFactory, SectoralIndustryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def french(settings):
    settings.LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]


@pytest.fixture
def cluster():
    automotive = SectoralIndustry.objects.get(slug="automotive")
    space = SectoralIndustryFactory(name="Space Logistics", labels={"es": "Logística espacial"})
    return ClusterFactory(name="Smart City Cluster", sectoral_industries=[automotive, space])


def change_url(term):
    return f"/admin/profiles/sectoralindustry/{term.pk}/change/"


def test_the_term_form_has_a_label_field_for_every_language_but_english(
    french, editor_client, cluster
):
    term = SectoralIndustry.objects.get(name="Space Logistics")
    form = editor_client.get(change_url(term)).text
    assert "Label (Español)" in form
    assert "Label (Français)" in form
    assert 'name="label_fr"' in form
    assert 'value="Logística espacial"' in form
    assert "Shown on the site in Français; the English label is used when empty." in form


def test_a_french_label_written_in_the_admin_shows_on_the_french_pages(
    french, editor_client, cluster
):
    term = SectoralIndustry.objects.get(name="Space Logistics")
    response = editor_client.post(
        change_url(term),
        {
            "name": term.name,
            "label_es": "Logística espacial",
            "label_fr": "Logistique spatiale",
            "slug": term.slug,
            "alias": "",
            "is_active": "on",
            "position": term.position,
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.labels == {"es": "Logística espacial", "fr": "Logistique spatiale"}

    visitor = Client()
    french_page = visitor.get(f"/fr/clusters/{cluster.slug}/sectors/")
    assert french_page.status_code == 200
    assert "Logistique spatiale" in french_page.text
    # Automotive has no French label: the English one stands in.
    assert "Automotive" in french_page.text
    assert "Automoción" not in french_page.text

    directory = visitor.get("/fr/clusters/").text
    assert "Logistique spatiale (1)" in directory

    spanish_page = visitor.get(f"/es/clusters/{cluster.slug}/sectors/").text
    assert "Logística espacial" in spanish_page
    assert "Automoción" in spanish_page
    english_page = visitor.get(f"/clusters/{cluster.slug}/sectors/").text
    assert "Space Logistics" in english_page


def test_an_emptied_label_falls_back_to_english(french, editor_client, cluster):
    term = SectoralIndustry.objects.get(name="Space Logistics")
    response = editor_client.post(
        change_url(term),
        {"name": term.name, "label_es": "", "label_fr": "", "slug": term.slug, "alias": "",
         "is_active": "on", "position": term.position},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.labels == {}
    page = Client().get(f"/es/clusters/{cluster.slug}/sectors/").text
    assert "Space Logistics" in page
    assert "Logística espacial" not in page


def test_labels_of_a_language_taken_out_of_settings_are_kept(editor_client, cluster):
    """Without French in LANGUAGES the form has no French field, and saving it keeps the
    French label already written: putting the language back brings it back."""
    term = SectoralIndustry.objects.get(name="Space Logistics")
    term.set_label("fr", "Logistique spatiale")
    term.save()
    form = editor_client.get(change_url(term)).text
    assert "Label (Español)" in form
    assert "label_fr" not in form
    response = editor_client.post(
        change_url(term),
        {"name": term.name, "label_es": "Logística del espacio", "slug": term.slug, "alias": "",
         "is_active": "on", "position": term.position},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.labels == {"es": "Logística del espacio", "fr": "Logistique spatiale"}
    assert Client().get(f"/fr/clusters/{cluster.slug}/sectors/").status_code == 404
