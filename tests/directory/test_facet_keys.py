"""The directory's facets follow every change to a cluster, made in the admin or in code.

The directory filters and counts through its facet keys (directory/facets.py), rebuilt by
`directory.index.refresh` through the one propagation function (cluster_portal/changes.py),
on SQLite and PostgreSQL alike. Code that changes rows calls that function, as the admin, the
import and the workflow do; these tests change a cluster's terms, composition, target
countries, country and status, and the terms themselves, then read the directory's results
and counts as a visitor would.
"""

import re

import pytest

from cluster_portal import changes
from cooperation.models import Scope
from profiles.models import Cluster
from tests.directory.test_directory import choice_label, listed, members
from tests.factories import (
    ClusterFactory,
    EmergingIndustryFactory,
    S3PriorityAreaFactory,
    SectoralIndustryFactory,
    TargetCountryFactory,
)
from tests.forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db


def found(visitor, query):
    return listed(visitor.get("/clusters/?" + query))


def changed(cluster):
    changes.clusters_changed([cluster.pk])


def test_term_changes_move_the_cluster_and_its_counts(visitor):
    cluster = ClusterFactory(name="Bilbao Energy Cluster")
    ClusterFactory(name="Unrelated Cluster")  # keeps the directory from being empty
    energy = SectoralIndustryFactory(name="Energy")
    textiles = SectoralIndustryFactory(name="Textiles")

    cluster.sectoral_industries.add(energy)
    changed(cluster)
    assert found(visitor, "sector=energy") == [cluster.slug]
    # The unfiltered counts are cached: they must follow a change that saves no cluster.
    assert choice_label(visitor.get("/clusters/"), "sector", "energy") == "Energy (1)"

    cluster.sectoral_industries.remove(energy)
    changed(cluster)
    assert found(visitor, "sector=energy") == []
    assert choice_label(visitor.get("/clusters/"), "sector", "energy") is None

    # Links are changed from the cluster's side only: the admin edits them on the cluster, and
    # django-simple-history cannot record a change made from the term's side
    # (term.cluster_set.add), which it attributes to the term.
    cluster.sectoral_industries.add(energy)
    changed(cluster)
    assert found(visitor, "sector=energy") == [cluster.slug]
    cluster.sectoral_industries.clear()
    changed(cluster)
    assert found(visitor, "sector=energy") == []

    cluster.sectoral_industries.set([textiles])
    changed(cluster)
    assert found(visitor, "sector=textiles") == [cluster.slug]
    assert choice_label(visitor.get("/clusters/"), "sector", "textiles") == "Textiles (1)"
    cluster.sectoral_industries.clear()
    changed(cluster)
    assert found(visitor, "sector=textiles") == []


def test_composition_and_target_countries_move_the_cluster(visitor):
    cluster = ClusterFactory(name="Vigo Maritime Cluster")
    composition = members(cluster, 30)
    assert found(visitor, "members=1-49") == [cluster.slug]

    composition.total_members = 300
    composition.save()
    changed(cluster)
    assert found(visitor, "members=1-49") == []
    assert found(visitor, "members=250%2B") == [cluster.slug]
    assert choice_label(visitor.get("/clusters/"), "members", "250+") == (
        "250 members or more (1)"
    )
    composition.delete()
    changed(cluster)
    assert found(visitor, "members=250%2B") == []

    target = TargetCountryFactory(cluster=cluster, country="KR")
    assert found(visitor, "target=KR") == [cluster.slug]
    target.delete()
    changed(cluster)
    assert found(visitor, "target=KR") == []


def test_country_and_status_changes_move_the_cluster(visitor):
    cluster = ClusterFactory(name="Porto Wine Cluster", country="ES")
    cluster.country = "PT"
    cluster.save()
    changed(cluster)
    assert found(visitor, "country=PT") == [cluster.slug]
    assert found(visitor, "country=ES") == []
    assert choice_label(visitor.get("/clusters/"), "country", "PT") == "Portugal (1)"

    cluster.status = Cluster.Status.DRAFT
    cluster.save()
    changed(cluster)
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


def test_s3_priority_areas_and_emerging_industries_narrow_and_count(visitor):
    grids = S3PriorityAreaFactory(name="Smart grids area")
    cities = S3PriorityAreaFactory(name="Smart cities area")
    digital = EmergingIndustryFactory(name="Digital Industries Test")
    both = ClusterFactory(name="Sevilla Grid Cluster", s3_priority_areas=[grids, cities],
                          emerging_industries=[digital])
    grid_only = ClusterFactory(name="Porto Grid Cluster", country="PT",
                               s3_priority_areas=[grids])
    ClusterFactory(name="Lyon Textile Network", country="FR")

    assert set(found(visitor, f"s3={grids.slug}")) == {both.slug, grid_only.slug}
    assert found(visitor, f"s3={cities.slug}") == [both.slug]
    assert found(visitor, f"emerging={digital.slug}") == [both.slug]
    assert found(visitor, f"s3={grids.slug}&emerging={digital.slug}") == [both.slug]
    assert found(visitor, f"emerging={digital.slug}&country=PT") == []

    page = visitor.get("/clusters/")
    assert choice_label(page, "s3", grids.slug) == "Smart grids area (2)"
    assert choice_label(page, "s3", cities.slug) == "Smart cities area (1)"
    assert choice_label(page, "emerging", digital.slug) == "Digital Industries Test (1)"
    # Within the emerging industry, the S3 areas count its one cluster; the emerging
    # industry itself counts within the whole directory.
    page = visitor.get(f"/clusters/?emerging={digital.slug}&country=ES")
    assert choice_label(page, "s3", grids.slug) == "Smart grids area (1)"
    assert choice_label(page, "emerging", digital.slug) == "Digital Industries Test (1)"


def test_a_deleted_term_leaves_the_facet_and_the_search(visitor):
    """A change from the term's side: deleting it deletes its links, without m2m_changed.
    (Links are only ever changed from the cluster's side, see above.)"""
    textiles = SectoralIndustryFactory(name="Textiles")
    one = ClusterFactory(name="Sevilla Cluster", sectoral_industries=[textiles])
    ClusterFactory(name="Porto Cluster", country="PT")
    assert found(visitor, "q=textiles") == [one.slug]
    assert choice_label(visitor.get("/clusters/"), "sector", "textiles") == "Textiles (1)"
    with changes.terms_deleted([textiles]):
        textiles.delete()
    assert choice_label(visitor.get("/clusters/"), "sector", "textiles") is None
    assert found(visitor, "q=textiles") == []
    page = visitor.get("/clusters/?sector=textiles")
    assert "Select a valid choice. textiles is not one of" in page.text


def test_a_relabelled_term_is_found_by_its_new_label(visitor):
    energy = SectoralIndustryFactory(name="Energy")
    cluster = ClusterFactory(name="Sevilla Cluster", sectoral_industries=[energy])
    assert found(visitor, "q=hydrogen") == []
    energy.name = "Hydrogen and Energy"
    energy.set_label("es", "Hidrógeno y energía")
    energy.save()
    changes.term_changed(energy)
    assert found(visitor, "q=hydrogen") == [cluster.slug]
    assert found(visitor, "q=hidrogeno") == [cluster.slug]
    assert choice_label(visitor.get("/clusters/"), "sector", "energy") == (
        "Hydrogen and Energy (1)"
    )


def test_the_unfiltered_counts_follow_publishing_editing_and_deleting(visitor, editor_client):
    """The landing page's counts are kept, not counted per request: after every kind of
    change they are what counting the directory's clusters gives."""
    energy = SectoralIndustryFactory(name="Energy")
    first = ClusterFactory(name="Bilbao Energy Cluster", country="ES", sectoral_industries=[energy])
    second = ClusterFactory(name="Lyon Energy Cluster", country="FR", sectoral_industries=[energy])
    draft = ClusterFactory(name="Draft Energy Cluster", country="ES", status=Cluster.Status.DRAFT,
                           sectoral_industries=[energy])

    def landing(facet, value):
        return choice_label(visitor.get("/clusters/"), facet, value)

    assert landing("sector", "energy") == "Energy (2)"
    assert landing("country", "ES") == "Spain (1)"
    draft.status = Cluster.Status.PUBLISHED
    draft.save()
    changed(draft)
    assert landing("sector", "energy") == "Energy (3)"
    assert landing("country", "ES") == "Spain (2)"

    second.country = "ES"
    second.save()
    changed(second)
    assert landing("country", "ES") == "Spain (3)"
    assert landing("country", "FR") is None

    response = editor_client.post(f"/admin/profiles/cluster/{first.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Cluster.objects.filter(pk=first.pk).exists()
    assert landing("sector", "energy") == "Energy (2)"
    assert landing("country", "ES") == "Spain (2)"
    # What the index would count afresh (`manage.py refresh_clusters`) is what it kept.
    kept = counts_shown(visitor.get("/clusters/"))
    assert "Energy (2)" in kept
    changes.all_clusters_changed()
    assert counts_shown(visitor.get("/clusters/")) == kept


def counts_shown(response):
    """Every checkbox label of the directory's facets, e.g. "Spain (2)"."""
    return re.findall(r'<label for="id_\w+_\d+"[^>]*>\s*(.*?)\s*</label>', response.text, re.S)
