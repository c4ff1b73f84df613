import pytest

from profiles.models import (
    ClusterExcellenceLabel,
    CooperationActivity,
    EmergingIndustry,
    IndustrialEcosystem,
    SectoralIndustry,
)
from tests.factories import ClusterFactory

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
        {"name": "Digital Industries and AI", "name_es": "", "slug": term.slug, "alias": "",
         "is_active": "on", "position": "4"},
    )
    assert response.status_code == 302
    page = visitor.get(f"/clusters/{cluster.slug}/sectors/").content.decode()
    assert "Digital Industries and AI" in page
