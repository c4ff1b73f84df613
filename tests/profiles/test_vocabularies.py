import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from profiles.models import (
    ClusterExcellenceLabel,
    CooperationActivity,
    EmergingIndustry,
    IndustrialEcosystem,
    SectoralIndustry,
)
from tests.factories import ClusterFactory, SectoralIndustryFactory

pytestmark = pytest.mark.django_db


def test_every_database_gets_the_shipped_vocabularies_with_stable_slugs():
    assert SectoralIndustry.objects.count() == 51
    assert EmergingIndustry.objects.count() == 10
    assert IndustrialEcosystem.objects.count() == 14
    assert ClusterExcellenceLabel.objects.filter(slug="cluster-management-excellence-gold").exists()
    assert CooperationActivity.objects.filter(
        slug="participation-at-missionseventsstudy-visitsfairs"
    ).exists()
    defence = SectoralIndustry.objects.get(slug="aerospace-vehicles-and-defense")
    assert defence.alias == "Aerospace Vehicles and Defence"


def test_a_retired_term_stays_on_the_profiles_that_carry_it(visitor):
    term = EmergingIndustry.objects.get(slug="digital-industries")
    cluster = ClusterFactory(emerging_industries=[term])
    term.is_active = False
    term.save()
    page = visitor.get(f"/clusters/{cluster.slug}/sectors/").content.decode()
    assert "Digital Industries" in page


def test_editor_renames_a_term_and_profiles_show_the_new_label(editor_client, visitor):
    term = EmergingIndustry.objects.get(slug="digital-industries")
    cluster = ClusterFactory(emerging_industries=[term])
    response = editor_client.post(
        f"/admin/profiles/emergingindustry/{term.pk}/change/",
        {"name": "Digital Industries and AI", "label_es": "", "slug": term.slug, "alias": "",
         "is_active": "on", "position": "4"},
    )
    assert response.status_code == 302
    page = visitor.get(f"/clusters/{cluster.slug}/sectors/").content.decode()
    assert "Digital Industries and AI" in page


def test_the_directory_searches_with_the_vocabularies_as_editors_left_them(editor_client):
    """The directory caches the vocabularies under its data version (directory/filters.py):
    a term renamed, given a new slug or deleted in the admin counts at the very next search."""
    visitor = Client()
    digital = EmergingIndustry.objects.get(slug="digital-industries")
    creative = EmergingIndustry.objects.get(slug="creative-industries")
    ClusterFactory(emerging_industries=[digital])

    def search(slug):
        return visitor.get(f"/clusters/?emerging={slug}").content.decode()

    assert "Digital Industries (1)" in search("digital-industries")
    assert "Select a valid choice" not in search("creative-industries")

    response = editor_client.post(
        f"/admin/profiles/emergingindustry/{digital.pk}/change/",
        {"name": "Digital Industries and AI", "label_es": "", "slug": "digital-and-ai",
         "alias": "", "is_active": "on", "position": "4"},
    )
    assert response.status_code == 302
    page = search("digital-and-ai")
    assert "Digital Industries and AI (1)" in page
    assert "Select a valid choice" not in page
    assert "Select a valid choice. digital-industries is not one of" in search(
        "digital-industries"
    )

    response = editor_client.post(
        f"/admin/profiles/emergingindustry/{creative.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert "Select a valid choice. creative-industries is not one of" in search(
        "creative-industries"
    )


def test_a_term_is_labelled_in_the_visitors_language_with_english_as_the_fallback():
    term = SectoralIndustryFactory(name="Tourism", labels={"es": "Turismo"})
    assert term.label_in("es") == "Turismo"
    assert term.label_in("es-ar") == "Turismo"
    assert term.label_in("fr") == "Tourism"
    assert term.label_in("en") == "Tourism"
    with translation.override("es"):
        assert term.label == "Turismo"
        assert str(term) == "Turismo"
    with translation.override("en"):
        assert term.label == "Tourism"


def test_search_labels_are_every_label_and_the_alias_once_each():
    term = SectoralIndustryFactory(
        name="Digital", alias="Digitalisation", labels={"es": "Digital", "fr": "Numérique"}
    )
    assert term.search_labels() == ["Digital", "Numérique", "Digitalisation"]
    bare = SectoralIndustryFactory(name="Textiles", alias="", labels={"es": " "})
    assert bare.search_labels() == ["Textiles"]


def test_labels_that_are_not_language_codes_and_texts_are_refused():
    term = SectoralIndustryFactory(name="Tourism")
    for labels in (["Turismo"], {"es": 3}):
        term.labels = labels
        with pytest.raises(ValidationError) as refused:
            term.full_clean()
        assert "Give the labels as language codes and texts" in str(refused.value)


def test_editors_find_a_term_in_the_admin_by_its_spanish_label(editor_client):
    changelist = editor_client.get(
        "/admin/profiles/sectoralindustry/", {"q": "automoción"}
    ).text
    assert "1 result" in changelist
    assert "es: Automoción" in changelist
