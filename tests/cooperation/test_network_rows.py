"""The partnerships the index keeps for the portal's network (directory.Partnership, the
partners of each search entry, the counts between countries) follow every change an editor
makes, and always equal a count made afresh from the partner rows."""

import collections
import re

import pytest

from cooperation.models import PartnerCluster
from directory.models import FacetCount, Partnership, SearchEntry
from profiles.models import Cluster
from tests.cooperation.test_network import node_links, partner, svg_of
from tests.factories import ClusterFactory, SuperuserFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    browser = type(client)()
    browser.force_login(SuperuserFactory(username="network-editor"))
    return browser


@pytest.fixture
def clusters():
    """Lisbon and Porto name each other; Porto names Madrid; Madrid names Lyon."""
    lisbon = ClusterFactory(name="Lisbon Cluster", country="PT")
    porto = ClusterFactory(name="Porto Cluster", country="PT")
    madrid = ClusterFactory(name="Madrid Cluster", country="ES")
    lyon = ClusterFactory(name="Lyon Cluster", country="FR")
    partner(lisbon, porto)
    partner(porto, lisbon)
    partner(porto, madrid)
    partner(madrid, lyon)
    return {"lisbon": lisbon, "porto": porto, "madrid": madrid, "lyon": lyon}


def between_countries(page):
    """{"Spain – Portugal": 1, …} from the network page's table of partnerships."""
    table = re.search(r"<table.*?</table>", page, re.S).group(0)
    return {name: int(count) for name, count in
            re.findall(r">([^<>]+)</a></th><td[^>]*>(\d+)<", table)}


def assert_kept_as_counted_afresh():
    """The kept rows equal those counted from the partner rows of published clusters."""
    published = set(Cluster.objects.published().values_list("pk", flat=True))
    named = {(row.cluster_id, row.partner_id) for row in PartnerCluster.objects.all()
             if row.cluster_id in published and row.partner_id in published}
    pairs = {(min(pair), max(pair)) for pair in named}
    kept = {(row.first_id, row.second_id): row.reciprocal for row in Partnership.objects.all()}
    assert kept == {pair: (pair[1], pair[0]) in named and pair in named for pair in pairs}
    countries = dict(Cluster.objects.values_list("pk", "country"))
    expected = collections.Counter("-".join(sorted([str(countries[a]), str(countries[b])]))
                                   for a, b in pairs)
    counted = dict(FacetCount.objects.filter(facet="partnerships", clusters__gt=0)
                   .values_list("value", "clusters"))
    assert counted == dict(expected)
    partners = collections.Counter(pk for pair in pairs for pk in pair)
    assert dict(SearchEntry.objects.values_list("cluster_id", "partners")) == {
        pk: partners[pk] for pk in published}


def test_the_network_page_counts_partnerships_between_countries_once(visitor, clusters):
    page = visitor.get("/clusters/network/").text
    assert between_countries(page) == {
        "Within Portugal": 1, "Spain – Portugal": 1, "Spain – France": 1}
    assert_kept_as_counted_afresh()
    assert Partnership.objects.get(first=clusters["lisbon"], second=clusters["porto"]).reciprocal


def test_a_partner_moving_country_in_the_admin_moves_the_count(visitor, editor, clusters):
    url = f"/admin/profiles/cluster/{clusters['madrid'].pk}/change/"
    data = form_data(editor.get(url).text, "cluster_form")
    data["country"] = "IT"
    assert editor.post(url, data).status_code == 302
    page = visitor.get("/clusters/network/").text
    # Madrid's partnerships both ways: Porto names it, it names Lyon.
    assert between_countries(page) == {
        "Within Portugal": 1, "Italy – Portugal": 1, "France – Italy": 1}
    assert_kept_as_counted_afresh()


def test_a_retired_cluster_leaves_the_network_and_its_counts(visitor, editor, clusters):
    response = editor.post("/admin/profiles/cluster/", {
        "action": "retire", "_selected_action": [str(clusters["madrid"].pk)]})
    assert response.status_code == 302
    page = visitor.get("/clusters/network/").text
    assert between_countries(page) == {"Within Portugal": 1}
    assert "/clusters/madrid-cluster/" not in node_links(svg_of(page))
    assert_kept_as_counted_afresh()
    url = f"/admin/profiles/cluster/{clusters['madrid'].pk}/change/"
    data = form_data(editor.get(url).text, "cluster_form")
    data["status"] = Cluster.Status.PUBLISHED
    assert editor.post(url, data).status_code == 302
    assert between_countries(visitor.get("/clusters/network/").text) == {
        "Within Portugal": 1, "Spain – Portugal": 1, "Spain – France": 1}
    assert_kept_as_counted_afresh()


def test_a_deleted_cluster_takes_its_partnerships_and_counts(visitor, editor, clusters):
    url = f"/admin/profiles/cluster/{clusters['porto'].pk}/delete/"
    assert editor.post(url, {"post": "yes"}).status_code == 302
    assert between_countries(visitor.get("/clusters/network/").text) == {"Spain – France": 1}
    assert_kept_as_counted_afresh()


def test_a_partner_removed_leaves_the_pair_while_the_other_still_names_it(
        visitor, editor, clusters):
    url = f"/admin/profiles/cluster/{clusters['lisbon'].pk}/change/"
    data = form_data(editor.get(url).text, "cluster_form")
    data["partners-0-DELETE"] = "on"
    assert editor.post(url, data).status_code == 302
    # Porto still names Lisbon: still partners, no longer reciprocal.
    kept = Partnership.objects.get(first=clusters["lisbon"], second=clusters["porto"])
    assert not kept.reciprocal
    svg = svg_of(visitor.get("/clusters/network/").text)
    assert 'href="/clusters/lisbon-cluster/"' in svg
    assert_kept_as_counted_afresh()


def test_a_search_counts_only_partnerships_between_its_matches(visitor, clusters):
    page = visitor.get("/clusters/network/?country=PT&country=ES").text
    assert between_countries(page) == {"Within Portugal": 1, "Spain – Portugal": 1}
    assert set(node_links(svg_of(page))) == {
        "/clusters/lisbon-cluster/", "/clusters/porto-cluster/", "/clusters/madrid-cluster/"}
