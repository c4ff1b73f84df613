"""The directory's facets follow every change to a cluster, made in the admin or in code.

On PostgreSQL the directory filters and counts through each cluster's stored facet keys
(directory/facets.py), kept current by signals; these tests change a cluster's terms (from
either side of the relation), composition, target countries, country and status, then read
the directory's results and counts as a visitor would. On SQLite the same pages read the
relations directly, so the tests hold there too.
"""

import pytest
from django.db import connection

from cooperation.models import Scope
from profiles.models import Cluster
from tests.directory.test_directory import choice_label, listed, members
from tests.factories import (
    ClusterFactory,
    SectoralIndustryFactory,
    TargetCountryFactory,
)
from tests.forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db


def found(visitor, query):
    return listed(visitor.get("/clusters/?" + query))


def test_term_changes_move_the_cluster_and_its_counts(visitor):
    cluster = ClusterFactory(name="Bilbao Energy Cluster")
    ClusterFactory(name="Unrelated Cluster")  # keeps the directory from being empty
    energy = SectoralIndustryFactory(name="Energy")
    textiles = SectoralIndustryFactory(name="Textiles")

    cluster.sectoral_industries.add(energy)
    assert found(visitor, "sector=energy") == [cluster.slug]
    # The unfiltered counts are cached: they must follow a change that saves no cluster.
    assert choice_label(visitor.get("/clusters/"), "sector", "energy") == "Energy (1)"

    cluster.sectoral_industries.remove(energy)
    assert found(visitor, "sector=energy") == []
    assert choice_label(visitor.get("/clusters/"), "sector", "energy") is None

    # Links are changed from the cluster's side only: the admin edits them on the cluster, and
    # django-simple-history cannot record a change made from the term's side
    # (term.cluster_set.add), which it attributes to the term.
    cluster.sectoral_industries.add(energy)
    assert found(visitor, "sector=energy") == [cluster.slug]
    cluster.sectoral_industries.clear()
    assert found(visitor, "sector=energy") == []

    cluster.sectoral_industries.set([textiles])
    assert found(visitor, "sector=textiles") == [cluster.slug]
    assert choice_label(visitor.get("/clusters/"), "sector", "textiles") == "Textiles (1)"
    cluster.sectoral_industries.clear()
    assert found(visitor, "sector=textiles") == []


def test_composition_and_target_countries_move_the_cluster(visitor):
    cluster = ClusterFactory(name="Vigo Maritime Cluster")
    composition = members(cluster, 30)
    assert found(visitor, "members=1-49") == [cluster.slug]

    composition.total_members = 300
    composition.save()
    assert found(visitor, "members=1-49") == []
    assert found(visitor, "members=250%2B") == [cluster.slug]
    assert choice_label(visitor.get("/clusters/"), "members", "250+") == (
        "250 members or more (1)"
    )
    composition.delete()
    assert found(visitor, "members=250%2B") == []

    target = TargetCountryFactory(cluster=cluster, country="KR")
    assert found(visitor, "target=KR") == [cluster.slug]
    target.delete()
    assert found(visitor, "target=KR") == []


def test_country_and_status_changes_move_the_cluster(visitor):
    cluster = ClusterFactory(name="Porto Wine Cluster", country="ES")
    cluster.country = "PT"
    cluster.save()
    assert found(visitor, "country=PT") == [cluster.slug]
    assert found(visitor, "country=ES") == []
    assert choice_label(visitor.get("/clusters/"), "country", "PT") == "Portugal (1)"

    cluster.status = Cluster.Status.DRAFT
    cluster.save()
    assert found(visitor, "country=PT") == []
    assert choice_label(visitor.get("/clusters/"), "country", "PT") is None


def test_an_editor_changing_terms_and_target_countries_moves_the_cluster(
    editor_client, visitor
):
    energy = SectoralIndustryFactory(name="Energy")
    textiles = SectoralIndustryFactory(name="Textiles")
    cluster = ClusterFactory(name="Lyon Textile Network", country="FR",
                             sectoral_industries=[energy])
    url = f"/admin/profiles/cluster/{cluster.pk}/change/"
    data = form_data(editor_client.get(url).text, "cluster_form")
    data["sectoral_industries"] = [str(textiles.pk)]
    add_inline_row(data, "target_countries", scope=Scope.INTERNATIONAL, country="KR")

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert found(visitor, "sector=textiles&target=KR") == [cluster.slug]
    assert found(visitor, "sector=energy") == []
    page = visitor.get("/clusters/?country=FR")
    assert choice_label(page, "sector", "textiles") == "Textiles (1)"
    assert choice_label(page, "target", "KR") == "South Korea (1)"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="facet keys are PostgreSQL's")
def test_stored_facet_keys_name_every_value_and_forget_a_deleted_term():
    energy = SectoralIndustryFactory(name="Energy")
    cluster = ClusterFactory(name="Sevilla Smart Grid Cluster", country="ES",
                             sectoral_industries=[energy])
    members(cluster, 120)
    TargetCountryFactory(cluster=cluster, country="KR")
    cluster.refresh_from_db()
    assert sorted(cluster.facet_keys) == sorted(
        ["country:ES", f"sector:{energy.pk}", "members:50-249", "target:KR"]
    )
    energy.delete()
    cluster.refresh_from_db()
    assert sorted(cluster.facet_keys) == ["country:ES", "members:50-249", "target:KR"]
