"""Every way a profile changes refreshes what shows it (cluster_portal/changes.py).

The admin (a cluster field, an inline row, a term chosen, a term renamed or deleted, a
workflow step, an undo), the import and `refresh_clusters` each call the one propagation
function; these tests make the change where a user would and read back what a visitor
sees: the profile served fresh, its "last updated" date, the directory's results and facets.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from profiles.models import Cluster
from tests.directory.test_directory import choice_label, listed
from tests.factories import (
    ClusterFactory,
    ContactFactory,
    SectoralIndustryFactory,
)
from tests.forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors_browser(editor):
    browser = Client()
    browser.force_login(editor)
    return browser


def cluster_form(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/change/"


def save(browser, url, data=None, **changes):
    data = data or form_data(browser.get(url).text)
    data.update(changes)
    response = browser.post(url, data)
    assert response.status_code == 302, response.text
    return response


def page(visitor, url):
    response = visitor.get(url)
    return response.status_code, response.headers.get("X-Cache"), response.text


def make_old(cluster):
    old = timezone.now() - datetime.timedelta(days=30)
    Cluster.objects.filter(pk=cluster.pk).update(updated=old)
    return old


def updated(cluster):
    cluster.refresh_from_db()
    return cluster.updated


def test_a_cluster_renamed_in_the_admin_is_served_and_found_by_its_new_name(
    visitor, editors_browser
):
    cluster = ClusterFactory(name="Bilbao Port Cluster")
    url = cluster.get_absolute_url()
    page(visitor, url)
    assert listed(visitor.get("/clusters/?q=bilbao")) == [cluster.slug]
    old = make_old(cluster)

    save(editors_browser, cluster_form(cluster), name="Basque Maritime Cluster")

    status, cache_header, text = page(visitor, url)
    assert (status, cache_header) == (200, "miss")
    assert "Basque Maritime Cluster" in text
    assert updated(cluster) > old
    assert listed(visitor.get("/clusters/?q=basque")) == [cluster.slug]
    assert listed(visitor.get("/clusters/?q=bilbao")) == []


def test_a_partner_added_in_the_admin_dates_the_profile_and_is_found(visitor, editors_browser):
    cluster = ClusterFactory()
    visit_url = f"/clusters/{cluster.slug}/cooperation/"
    assert page(visitor, visit_url)[0] == 404  # nothing on the tab yet
    assert listed(visitor.get("/clusters/?q=hydrogen")) == []
    old = make_old(cluster)

    data = form_data(editors_browser.get(cluster_form(cluster)).text)
    add_inline_row(data, "partners", name="Hydrogen Valley Network", country="DE",
                   position="1")
    save(editors_browser, cluster_form(cluster), data)

    assert "Hydrogen Valley Network" in page(visitor, visit_url)[2]
    assert updated(cluster) > old
    assert listed(visitor.get("/clusters/?q=hydrogen")) == [cluster.slug]


def test_a_term_chosen_in_the_admin_moves_the_cluster_into_its_facet(visitor, editors_browser):
    cluster = ClusterFactory()
    ClusterFactory()  # keeps the directory from being empty
    energy = SectoralIndustryFactory(name="Energy")
    assert listed(visitor.get("/clusters/?sector=energy")) == []
    assert choice_label(visitor.get("/clusters/"), "sector", "energy") is None
    old = make_old(cluster)

    save(editors_browser, cluster_form(cluster), sectoral_industries=[str(energy.pk)])

    assert listed(visitor.get("/clusters/?sector=energy")) == [cluster.slug]
    # The unfiltered counts are cached under the directory's data version.
    assert choice_label(visitor.get("/clusters/"), "sector", "energy") == "Energy (1)"
    assert "Energy" in page(visitor, f"/clusters/{cluster.slug}/sectors/")[2]
    assert updated(cluster) > old


def test_a_save_that_changes_nothing_refreshes_nothing(visitor, editors_browser):
    cluster = ClusterFactory()
    ContactFactory(cluster=cluster)
    url = cluster.get_absolute_url()
    page(visitor, url)
    old = make_old(cluster)
    page(visitor, url)

    save(editors_browser, cluster_form(cluster))

    assert page(visitor, url)[1] == "hit"
    assert updated(cluster) == old


def test_publishing_and_retiring_in_the_admin_list_and_unlist_the_profile(
    visitor, editors_browser
):
    cluster = ClusterFactory(name="Vigo Automotive Cluster", draft=True)
    ClusterFactory()
    assert listed(visitor.get("/clusters/")) != []  # the directory is cached now

    save(editors_browser, cluster_form(cluster), _publish="on")
    assert cluster.slug in listed(visitor.get("/clusters/"))
    assert page(visitor, cluster.get_absolute_url())[0] == 200

    save(editors_browser, cluster_form(cluster), _retire="on")
    assert cluster.slug not in listed(visitor.get("/clusters/"))
    assert page(visitor, cluster.get_absolute_url())[0] == 404


def test_a_term_renamed_in_the_admin_relabels_the_facet_and_the_profiles(
    visitor, editors_browser
):
    term = SectoralIndustryFactory(name="Smart Cities")
    cluster = ClusterFactory(sectoral_industries=[term])
    assert choice_label(visitor.get("/clusters/"), "sector", term.slug) == "Smart Cities (1)"
    page(visitor, f"/clusters/{cluster.slug}/sectors/")
    old = make_old(cluster)

    save(editors_browser, f"/admin/profiles/sectoralindustry/{term.pk}/change/",
         name="Smart and Green Cities")

    label = choice_label(visitor.get("/clusters/"), "sector", term.slug)
    assert label == "Smart and Green Cities (1)"
    status, cache_header, text = page(visitor, f"/clusters/{cluster.slug}/sectors/")
    assert cache_header == "miss" and "Smart and Green Cities" in text
    # The editors' vocabulary changed, not the cluster's profile.
    assert updated(cluster) == old


def test_a_term_deleted_in_the_admin_leaves_the_profiles_and_the_facet(
    visitor, editors_browser
):
    term = SectoralIndustryFactory(name="Smart Cities")
    cluster = ClusterFactory(sectoral_industries=[term])
    assert "Smart Cities" in page(visitor, f"/clusters/{cluster.slug}/sectors/")[2]
    assert choice_label(visitor.get("/clusters/"), "sector", term.slug) == "Smart Cities (1)"

    response = editors_browser.post(f"/admin/profiles/sectoralindustry/{term.pk}/delete/",
                                    {"post": "yes"})
    assert response.status_code == 302

    assert page(visitor, f"/clusters/{cluster.slug}/sectors/")[0] == 404
    assert choice_label(visitor.get("/clusters/"), "sector", term.slug) is None


def test_undoing_a_change_in_the_history_shows_at_once(visitor, editors_browser):
    cluster = ClusterFactory(name="Bilbao Port Cluster")
    save(editors_browser, cluster_form(cluster), name="Basque Maritime Cluster")
    url = cluster.get_absolute_url()
    assert "Basque Maritime Cluster" in page(visitor, url)[2]

    record = Cluster.history.filter(id=cluster.pk).order_by("-history_id").first()
    revert = (f"/admin/profiles/cluster/{cluster.pk}/history/revert/profiles.cluster/"
              f"{record.history_id}/")
    assert editors_browser.post(revert).status_code == 302

    text = page(visitor, url)[2]
    assert "Bilbao Port Cluster" in text and "Basque Maritime Cluster" not in text
    assert listed(visitor.get("/clusters/?q=bilbao")) == [cluster.slug]


def test_an_import_refreshes_the_pages_the_dates_and_the_directory(visitor, tmp_path):
    cluster = ClusterFactory(name="Old Name", slug="smart-city")
    url = cluster.get_absolute_url()
    page(visitor, url)
    assert listed(visitor.get("/clusters/?q=renamed")) == []
    old = make_old(cluster)
    path = tmp_path / "clusters.csv"
    path.write_text("slug,name,country\nsmart-city,Renamed Cluster,ES\n", encoding="utf-8")

    call_command("import_clusters", str(path), stdout=io.StringIO())

    status, cache_header, text = page(visitor, url)
    assert cache_header == "miss" and "Renamed Cluster" in text
    assert updated(cluster) > old
    assert listed(visitor.get("/clusters/?q=renamed")) == [cluster.slug]


def test_refresh_clusters_catches_up_with_a_write_behind_the_admins_back(visitor):
    cluster = ClusterFactory(name="Old Name")
    url = cluster.get_absolute_url()
    page(visitor, url)
    old = make_old(cluster)
    Cluster.objects.filter(pk=cluster.pk).update(name="Written In The Shell")
    assert page(visitor, url)[1] == "hit"  # nothing told the page cache

    call_command("refresh_clusters", stdout=io.StringIO())

    assert "Written In The Shell" in page(visitor, url)[2]
    assert updated(cluster) == old  # the dates stay as they were
