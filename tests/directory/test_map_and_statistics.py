"""The map (/clusters/map/) and the statistics (/clusters/statistics/) of a directory search:
the same counts as the directory's facets, links to the slices of the list, drawn as SVG
with nothing outside the portal, and the addresses under /clusters/ no slug can take."""

import csv
import datetime
import html
import io
import re

import pytest
from django.urls import resolve

from profiles.models import Cluster
from tests.factories import (
    ClusterExcellenceLabelFactory,
    ClusterFactory,
    CompositionFactory,
    IndustrialEcosystemFactory,
    SectoralIndustryFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

CHART_FACETS = ["country", "sector", "ecosystem", "label", "members", "established"]


@pytest.fixture
def catalogue():
    energy = SectoralIndustryFactory(name="Energy")
    textiles = SectoralIndustryFactory(name="Textiles")
    mobility = IndustrialEcosystemFactory(name="Mobility")
    gold = ClusterExcellenceLabelFactory(name="Gold Label")
    clusters = [
        ClusterFactory(name="Sevilla Smart Grid", country="ES", city="Sevilla",
                       sectoral_industries=[energy], excellence_label=gold,
                       date_established=datetime.date(2004, 5, 1)),
        ClusterFactory(name="Sevilla Solar", country="ES", city="Sevilla",
                       sectoral_industries=[energy], industrial_ecosystems=[mobility],
                       date_established=datetime.date(2012, 1, 1)),
        ClusterFactory(name="Madrid Energy Alliance", country="ES", city="Madrid",
                       sectoral_industries=[energy, textiles],
                       date_established=datetime.date(2015, 1, 1)),
        ClusterFactory(name="Lyon Textile Network", country="FR", city="Lyon",
                       sectoral_industries=[textiles], industrial_ecosystems=[mobility]),
        ClusterFactory(name="Porto Energy Cluster", country="PT", city="Porto",
                       sectoral_industries=[energy], excellence_label=gold,
                       date_established=datetime.date(1985, 1, 1)),
        # A city the gazetteer does not know: listed and counted, but no point.
        ClusterFactory(name="Nowhere Cluster", country="DE", city="Nowheresville",
                       sectoral_industries=[textiles]),
    ]
    # Located, but not public: on no map.
    ClusterFactory(name="Draft Energy Cluster", country="ES", city="Bilbao", draft=True,
                   sectoral_industries=[energy])
    for cluster, total, smes in zip(clusters, [30, 120, 260, 49, 50, 10],
                                    [20, 100, None, 40, 45, 5], strict=True):
        CompositionFactory(cluster=cluster, total_members=total, sme_members=smes,
                           large_company_members=None, research_members=None,
                           other_members=None)
    from cluster_portal import changes
    changes.clusters_changed([cluster.pk for cluster in clusters])
    return {"clusters": clusters, "energy": energy, "mobility": mobility}


def directory_counts(response, facet):
    """{label: count} of the directory's checkboxes of one facet."""
    counts = {}
    for input_id in re.findall(rf'name="{facet}" value="[^"]*" id="(id_{facet}_\d+)"',
                               response.text):
        label = re.search(rf'<label for="{input_id}"[^>]*>(.*?) \((\d+)\)</label>',
                          response.text)
        if int(label[2]):
            counts[html.unescape(label[1])] = int(label[2])
    return counts


def csv_counts(visitor, facet, query):
    response = visitor.get(f"/clusters/statistics/{facet}.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="clusters-by-{facet}.csv"'

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return {label: int(count) for label, count in rows[1:]}


def map_counts(response):
    """{country: count} from the accessible names of the map's country links."""
    names = re.findall(r'<a href="/clusters/\?[^"]*" aria-label="([^"]+): (\d+) clusters?">',
                       response.text)
    return {html.unescape(name): int(count) for name, count in names}


QUERIES = ["", "country=ES", "sector=energy", "q=energy&country=ES&members=1-49",
           "sector=energy&ecosystem=mobility", "established=2010-2019&country=ES&country=FR",
           "q=nothing-matches-this"]


@pytest.mark.parametrize("query", QUERIES)
def test_map_and_statistics_count_what_the_directory_counts(visitor, catalogue, query):
    listing = visitor.get(f"/clusters/?{query}")
    assert listing.status_code == 200
    statistics = visitor.get(f"/clusters/statistics/?{query}")
    assert statistics.status_code == 200
    for facet in CHART_FACETS:
        assert csv_counts(visitor, facet, query) == directory_counts(listing, facet), facet
    world = visitor.get(f"/clusters/map/world/?{query}")
    assert map_counts(world) == directory_counts(listing, "country")
    total = re.search(r"(\d+) cluster organisations? match", listing.text)[1]
    assert f"{total} cluster organisation" in statistics.text
    assert f"{total} cluster organisation" in world.text


def test_every_bar_and_country_links_to_a_list_of_exactly_its_clusters(visitor, catalogue):
    statistics = visitor.get("/clusters/statistics/?sector=energy")
    bars = re.findall(r'<a href="/clusters/\?([^"]+)" aria-label="([^"]+): (\d+) clusters?">',
                      statistics.text)
    assert len(bars) >= 8
    for query, _label, count in bars:
        listing = visitor.get(f"/clusters/?{html.unescape(query)}")
        assert re.search(rf"\b{count} cluster organisations? match", listing.text), query


def test_a_country_without_clusters_is_drawn_and_not_a_link(visitor, catalogue):
    response = visitor.get("/clusters/map/")
    assert map_counts(response) == {"Spain": 3, "France": 1, "Portugal": 1, "Germany": 1}
    svg = response.text.split("<svg", 2)[1]
    shapes = re.findall(r'<path class="map-country ([^"]*)" d=', svg)
    assert len(shapes) > 30  # Italy, Poland, Norway… are drawn
    assert shapes.count("map-level-0") == len(shapes) - 4
    assert "Italy" not in svg
    assert '<a href="/clusters/?country=IT' not in response.text


def test_a_point_only_for_a_published_cluster_with_a_location(visitor, catalogue):
    response = visitor.get("/clusters/map/")
    points = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"><title>[^<]*</title>'
                        r'<circle', response.text)
    names = {html.unescape(name) for _href, name in points}
    assert "Madrid Energy Alliance, Madrid" in names
    assert "Lyon Textile Network, Lyon" in names
    assert not any("Draft" in name or "Nowhere" in name for name in names)
    # Two clusters of Sevilla: one point, linking to the list of both.
    grouped = [(href, name) for href, name in points if name.startswith("2 clusters around")]
    assert len(grouped) == 1
    listing = visitor.get(html.unescape(grouped[0][0]))
    assert "2 cluster organisations match" in listing.text
    assert "Sevilla Smart Grid" in listing.text and "Sevilla Solar" in listing.text
    single = dict((name, href) for href, name in points)["Porto Energy Cluster, Porto"]
    assert visitor.get(single).status_code == 200
    # Published later without a location: still no point.
    assert "Bilbao" not in response.text


def test_the_map_follows_the_search(visitor, catalogue):
    response = visitor.get("/clusters/map/?country=PT")
    points = re.findall(r'aria-label="([^"]+)"><title>[^<]*</title><circle', response.text)
    assert points == ["Porto Energy Cluster, Porto"]
    # Countries keep their counts within the other choices, the chosen one is marked.
    assert "map-chosen" in response.text
    assert map_counts(response)["Spain"] == 3


@pytest.mark.parametrize("path", ["/clusters/map/", "/clusters/map/world/",
                                  "/clusters/statistics/", "/es/clusters/map/",
                                  "/es/clusters/statistics/"])
def test_the_drawings_hold_no_script_style_or_external_reference(visitor, catalogue, path):
    response = visitor.get(path)
    assert response.status_code == 200
    for svg in re.findall(r"<svg.*?</svg>", response.text, re.S):
        assert "<script" not in svg
        assert "style=" not in svg and "<style" not in svg
        assert "<image" not in svg and "<use" not in svg and "<foreignObject" not in svg
        external = [ref for ref in re.findall(r'(?:href|src)="([^"]*)"', svg)
                    if not ref.startswith("/")]
        assert external == []
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_statistics_show_total_members_and_smes(visitor, catalogue):
    response = visitor.get("/clusters/statistics/?country=ES")
    text = re.sub(r"\s+", " ", response.text)
    assert "Members in total</dt> <dd>410 " in text
    assert "SME members</dt> <dd>120 " in text


def test_statistics_in_spanish(visitor, catalogue):
    response = visitor.get("/es/clusters/statistics/")
    assert response.status_code == 200
    assert "Organizaciones clúster por país" in response.text
    assert '<a href="/es/clusters/?country=ES' in response.text
    rows = list(csv.reader(io.StringIO(
        visitor.get("/es/clusters/statistics/country.csv").content.decode())))
    assert rows[0] == ["País", "Clústeres"] and ["España", "3"] in rows


def test_a_csv_cell_never_reads_as_a_formula(visitor, catalogue):
    cluster = catalogue["clusters"][0]
    cluster.sectoral_industries.add(SectoralIndustryFactory(name="=HYPERLINK(1)"))
    from cluster_portal import changes
    changes.clusters_changed([cluster.pk])
    rows = list(csv.reader(io.StringIO(
        visitor.get("/clusters/statistics/sector.csv").content.decode())))
    assert ["'=HYPERLINK(1)", "1"] in rows


def test_unknown_statistics_table_and_bad_places_say_so(visitor, catalogue):
    assert visitor.get("/clusters/statistics/colour.csv").status_code == 404
    response = visitor.get("/clusters/map/?place=north-pole&country=ZZ")
    assert response.status_code == 200
    assert "could not be understood" in response.text


def test_the_directory_header_links_list_map_and_statistics_with_the_search(visitor,
                                                                           catalogue):
    response = visitor.get("/clusters/?sector=energy")
    assert '<a class="nav-link" href="/clusters/map/?sector=energy">' in response.text
    assert '<a class="nav-link" href="/clusters/statistics/?sector=energy">' in response.text
    response = visitor.get("/clusters/statistics/?sector=energy")
    assert 'href="/clusters/statistics/?sector=energy" aria-current="page"' in response.text


def test_map_and_statistics_are_cached_for_visitors_and_follow_changes(visitor, catalogue):
    assert visitor.get("/clusters/statistics/")["X-Cache"] == "miss"
    assert visitor.get("/clusters/statistics/")["X-Cache"] == "hit"
    assert visitor.get("/clusters/map/?utm=x")["X-Cache"] == "miss"
    assert visitor.get("/clusters/map/")["X-Cache"] == "hit"
    cluster = catalogue["clusters"][-1]
    cluster.country = "IT"
    cluster.save()
    from cluster_portal import changes
    changes.clusters_changed([cluster.pk])
    response = visitor.get("/clusters/map/")
    assert response["X-Cache"] == "miss"
    assert map_counts(response)["Italy"] == 1


# --- Addresses under /clusters/ -------------------------------------------------------

@pytest.mark.parametrize("path, view_name", [
    ("/clusters/map/", "directory:cluster-map"),
    ("/clusters/map/world/", "directory:cluster-map-world"),
    ("/clusters/statistics/", "directory:cluster-statistics"),
    ("/clusters/statistics/country.csv", "directory:statistics-csv"),
    ("/clusters/export.csv", "opendata:export-csv"),
    ("/clusters/export.json", "opendata:export-json"),
])
def test_every_page_under_clusters_is_its_own_page_not_a_profile(path, view_name):
    assert resolve(path).view_name == view_name


ADD_URL = "/admin/profiles/cluster/add/"


def new_cluster_form(client, **fields):
    data = form_data(client.get(ADD_URL).text, "cluster_form")
    data.update(name="Map Cluster", slug="map-cluster", country="ES", city="Bilbao",
                status="published")
    data.update(fields)
    return data


@pytest.mark.parametrize("slug", ["map", "statistics", "network"])
def test_the_form_says_no_cluster_may_take_the_address_of_a_directory_page(editor_client,
                                                                          slug):
    page = editor_client.get(ADD_URL).text
    assert "Not one of the directory's own addresses: map, statistics, network." in page
    response = editor_client.post(ADD_URL, new_cluster_form(editor_client, slug=slug))
    assert response.status_code == 200
    assert (f"“{slug}” is the address of one of the directory's own pages"
            in html.unescape(response.text))
    assert not Cluster.objects.filter(slug=slug).exists()


# --- Location -------------------------------------------------------------------------

def test_a_location_is_filled_from_the_city_and_staff_may_correct_it(editor_client, visitor):
    response = editor_client.post(ADD_URL, new_cluster_form(editor_client))
    assert response.status_code == 302
    cluster = Cluster.objects.get(slug="map-cluster")
    assert (round(cluster.latitude, 2), round(cluster.longitude, 2)) == (43.26, -2.93)
    change = f"/admin/profiles/cluster/{cluster.pk}/change/"
    data = form_data(editor_client.get(change).text, "cluster_form")
    data.update(latitude="43.30", longitude="-2.99")
    assert editor_client.post(change, data).status_code == 302
    cluster.refresh_from_db()
    assert (cluster.latitude, cluster.longitude) == (43.30, -2.99)
    # A save with the location kept: never replaced by the city's.
    cluster.save()
    cluster.refresh_from_db()
    assert (cluster.latitude, cluster.longitude) == (43.30, -2.99)


@pytest.mark.parametrize(("change", "message"), [
    ({"latitude": "91", "longitude": "0"}, "less than or equal to 90"),
    ({"latitude": "40", "longitude": ""}, "Give both the latitude"),
    ({"latitude": "forty", "longitude": "3"}, "Enter a number"),
])
def test_a_bad_location_gets_a_clear_message(editor_client, change, message):
    response = editor_client.post(ADD_URL, new_cluster_form(editor_client, **change))
    assert response.status_code == 200
    assert message in html.unescape(response.text)
    assert not Cluster.objects.filter(slug="map-cluster").exists()


def test_the_general_tab_and_the_print_page_show_where_a_located_cluster_is(visitor):
    cluster = ClusterFactory(name="Bilbao Port Cluster", country="ES", city="Bilbao")
    assert cluster.has_location
    for path in (f"/clusters/{cluster.slug}/", f"/clusters/{cluster.slug}/print/",
                 f"/es/clusters/{cluster.slug}/"):
        response = visitor.get(path)
        svg = re.search(r'<svg class="locator-svg".*?</svg>', response.text, re.S)[0]
        assert "Location of Bilbao Port Cluster" in svg or "Ubicación de Bilbao Port" in svg
        assert svg.count("<circle") == 1
        assert "<script" not in svg and "style=" not in svg and "href" not in svg
    unknown = ClusterFactory(name="Unknown Place Cluster", country="ES", city="Nowheresville")
    assert not unknown.has_location
    assert "locator-svg" not in visitor.get(f"/clusters/{unknown.slug}/").text



def test_labels_that_differ_at_their_end_stay_apart_in_the_chart(visitor):
    for medal in ("Bronze", "Silver", "Gold"):
        ClusterFactory(excellence_label=ClusterExcellenceLabelFactory(
            name=f"Cluster Management Excellence {medal}"))
    chart = visitor.get("/clusters/statistics/").text
    # Cut to fit the chart's label column, each keeps the word that tells it apart.
    for medal in ("Bronze", "Silver", "Gold"):
        assert re.search(rf">Cluster Management E\w*… {medal}</text>", chart), medal
