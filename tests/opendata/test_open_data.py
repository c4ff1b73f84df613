import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opendata import exports
from opendata.exports import CSV_COLUMNS, SCHEMA_PATH
from tests.factories import (
    ClusterFactory,
    ContactFactory,
    MajorPlayerFactory,
    SectoralIndustryFactory,
    TargetCountryFactory,
    full_profile,
)

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def streamed(response):
    assert response.status_code == 200
    assert response.streaming, "exports are streamed, not built in memory"
    return b"".join(response.streaming_content).decode("utf-8-sig")


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(streamed(response))))


# --- profile.json ---------------------------------------------------------------------------


def test_profile_json_follows_its_published_schema(visitor):
    cluster = full_profile()
    response = visitor.get(f"/clusters/{cluster.slug}/profile.json")
    assert response["Content-Type"].startswith("application/json")
    document = response.json()
    jsonschema.validate(document, SCHEMA)

    profile = document["cluster"]
    assert profile["name"] == "Smart City Cluster"
    assert profile["country"] == "ES"
    assert profile["date_established"] == "2014-03-21"
    assert profile["sectoral_industries"] == [
        {"slug": "smart-grid-industry", "label": "Smart Grid Industry", "labels": {}}
    ]
    assert {t["country"] for t in profile["target_countries"]} == {"KR", "HU"}
    assert [p["name"] for p in profile["partner_clusters"]] == [
        "Gazdasági Tanácsadó Kft",
        "Niemiecko-Polska Fundacja",
    ]
    assert profile["contacts"][0]["phone_numbers"] == ["+34600958325"]
    assert profile["composition"]["total_members"] == 175

    schema = visitor.get("/clusters/schema/cluster-profile-v1.json")
    assert schema.status_code == 200
    assert json.loads(b"".join(schema)) == SCHEMA
    assert document["schema"] == "http://testserver/clusters/schema/cluster-profile-v1.json"


def test_profile_json_gives_the_terms_labels_in_the_portals_other_languages(visitor, settings):
    settings.LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
    tourism = SectoralIndustryFactory(
        name="Tourism", labels={"es": "Turismo", "fr": "Tourisme", "de": "Tourismus"}
    )
    cluster = full_profile(sectoral_industries=[tourism])
    document = visitor.get(f"/clusters/{cluster.slug}/profile.json").json()
    jsonschema.validate(document, SCHEMA)
    # German is not a language of the portal: its label is not published.
    assert document["cluster"]["sectoral_industries"] == [
        {"slug": "tourism", "label": "Tourism", "labels": {"es": "Turismo", "fr": "Tourisme"}}
    ]


def test_profile_json_has_no_private_data(visitor):
    cluster = full_profile()
    ClusterFactory(name="Draft Neighbour", draft=True)
    document = visitor.get(f"/clusters/{cluster.slug}/profile.json").json()
    assert set(document["cluster"]) == set(SCHEMA["$defs"]["cluster"]["properties"])
    for private in ("status", "generated", "search_vector", "created", "id"):
        assert private not in document["cluster"]
    assert "Draft Neighbour" not in json.dumps(document)


def test_draft_and_unknown_profiles_have_no_json(visitor):
    draft = ClusterFactory(draft=True)
    assert visitor.get(f"/clusters/{draft.slug}/profile.json").status_code == 404
    assert visitor.get("/clusters/schema/cluster-profile-v9.json").status_code == 404


def test_partner_links_to_a_profile_only_when_that_profile_is_public(visitor):
    cluster = full_profile()
    public = ClusterFactory(name="Public Partner")
    draft = ClusterFactory(name="Draft Partner", draft=True)
    cluster.partners.update(partner=None)
    first, second = cluster.partners.all()
    first.partner, second.partner = public, draft
    first.save()
    second.save()
    partners = visitor.get(f"/clusters/{cluster.slug}/profile.json").json()["cluster"][
        "partner_clusters"
    ]
    assert [p["profile"] for p in partners] == ["public-partner", None]


# --- schema.org, sitemap and robots.txt ----------------------------------------------------


def test_profile_page_describes_the_organisation_for_search_engines(visitor):
    cluster = full_profile(name="Evil </script><script>alert(1)</script> Cluster")
    response = visitor.get(f"/clusters/{cluster.slug}/")
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.text, re.DOTALL
    )
    assert len(blocks) == 1, "the name cannot close the JSON-LD script early"
    data = json.loads(blocks[0])
    assert data["@type"] == "Organization"
    assert data["name"] == "Evil </script><script>alert(1)</script> Cluster"
    assert data["url"] == f"http://testserver/clusters/{cluster.slug}/"
    assert data["address"]["addressCountry"] == "ES"
    assert data["contactPoint"][0]["telephone"] == "+34 600 95 83 25"



def test_every_profile_tab_describes_the_organisation_in_its_head(visitor):
    cluster = full_profile()
    profile = f"/clusters/{cluster.slug}/"
    tabs = ["", "sectors/", "composition/", "strategy/", "cooperation/", "programmes/"]
    described = {}
    for tab in tabs:
        response = visitor.get(profile + tab)
        assert response.status_code == 200, tab
        head = response.text.split("</head>")[0]
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.DOTALL)
        assert len(blocks) == 1, tab
        described[tab] = json.loads(blocks[0])
    # The same organisation, at its canonical address, whichever tab is open; the main page
    # (general information) names its contacts too.
    main = described.pop("")
    assert main["@type"] == "Organization"
    assert main["url"] == f"http://testserver{profile}"
    assert main.pop("contactPoint")[0]["name"] == "Ana García"
    assert described == {tab: main for tab in tabs[1:]}


def test_sitemap_lists_every_published_profile_with_its_last_change(visitor):
    published = ClusterFactory(name="Listed Cluster")
    ClusterFactory(name="Hidden Draft", draft=True)
    index = ET.fromstring(visitor.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in index.findall("s:sitemap/s:loc", ns)]
    assert locations == ["http://testserver/sitemap-profiles.xml",
                         "http://testserver/sitemap-offers.xml"]

    sitemap = ET.fromstring(visitor.get("/sitemap-profiles.xml").content)
    entries = {
        url.find("s:loc", ns).text: url.find("s:lastmod", ns).text
        for url in sitemap.findall("s:url", ns)
    }
    english = f"http://testserver/clusters/{published.slug}/"
    spanish = f"http://testserver/es/clusters/{published.slug}/"
    assert list(entries) == [english, spanish]
    for lastmod in entries.values():
        assert lastmod.startswith(published.updated.strftime("%Y-%m-%d"))
    # Each address names itself and the other language, and the default for any other.
    xhtml = "{http://www.w3.org/1999/xhtml}link"
    for url in sitemap.findall("s:url", ns):
        alternates = {link.get("hreflang"): link.get("href") for link in url.iter(xhtml)}
        assert alternates == {"en": english, "es": spanish, "x-default": english}


def test_robots_txt_points_to_the_sitemap(visitor):
    response = visitor.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


# --- Directory exports ---------------------------------------------------------------------


def test_csv_export_has_one_row_per_published_cluster_in_the_documented_columns(visitor):
    full_profile()
    ClusterFactory(name="Another Cluster")
    ClusterFactory(name="Draft Cluster", draft=True)
    ClusterFactory(name="Retired Cluster", retired=True)
    response = visitor.get("/clusters/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    # UTF-8 with a byte-order mark, so that Excel reads the accents right.
    assert b"".join(response.streaming_content).startswith("\ufeffslug,".encode())
    response = visitor.get("/clusters/export.csv")
    text = streamed(response)
    assert next(csv.reader(io.StringIO(text))) == CSV_COLUMNS
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["name"] for row in rows] == ["Another Cluster", "Smart City Cluster"]
    smart = rows[1]
    assert smart["country"] == "ES"
    assert smart["partner_clusters"] == "Gazdasági Tanácsadó Kft; Niemiecko-Polska Fundacja"
    assert smart["international_target_countries"] == "KR"
    assert smart["transnational_target_countries"] == "HU"
    assert smart["languages_spoken"] == "Spanish; English"
    assert smart["sectoral_industries"] == "Smart Grid Industry"
    assert smart["date_established"] == "2014-03-21"
    assert smart["total_members"] == "175"


def test_exports_follow_the_directory_search(visitor):
    grid = SectoralIndustryFactory(name="Grid Industry")
    matching = ClusterFactory(name="Grid Cluster", country="HU", sectoral_industries=[grid])
    ClusterFactory(name="Grid Draft", country="HU", sectoral_industries=[grid], draft=True)
    ClusterFactory(name="Spanish Grid Cluster", country="ES", sectoral_industries=[grid])
    ClusterFactory(name="Other Hungarian", country="HU")
    query = f"?country=HU&sector={grid.slug}&page=3"

    rows = csv_rows(visitor.get("/clusters/export.csv" + query))
    assert [row["slug"] for row in rows] == [matching.slug]
    document = json.loads(streamed(visitor.get("/clusters/export.json" + query)))
    jsonschema.validate(document, SCHEMA)
    assert [c["slug"] for c in document["clusters"]] == [matching.slug]


def test_json_export_validates_and_holds_whole_profiles(visitor):
    full_profile()
    ClusterFactory(name="Plain Cluster")
    ClusterFactory(name="Draft Cluster", draft=True)
    document = json.loads(streamed(visitor.get("/clusters/export.json")))
    jsonschema.validate(document, SCHEMA)
    assert [c["name"] for c in document["clusters"]] == ["Plain Cluster", "Smart City Cluster"]
    assert document["clusters"][1]["programmes"][0]["name"] == "Interreg SUDOE Smart Towns"


def test_empty_search_exports_an_empty_but_valid_file(visitor):
    document = json.loads(streamed(visitor.get("/clusters/export.json?country=ZZ")))
    jsonschema.validate(document, SCHEMA)
    assert document["clusters"] == []
    assert csv_rows(visitor.get("/clusters/export.csv?q=nothing-matches-this")) == []


def test_export_reads_clusters_in_chunks_with_a_bounded_number_of_queries(
    visitor, monkeypatch
):
    names = [f"Cluster {number:02}" for number in range(30)]
    for name in names:
        cluster = ClusterFactory(name=name)
        ContactFactory(cluster=cluster)
        TargetCountryFactory(cluster=cluster)

    def export_with_chunks_of(size):
        monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", size)
        with CaptureQueriesContext(connection) as queries:
            rows = csv_rows(visitor.get("/clusters/export.csv"))
        return rows, len(queries)

    export_with_chunks_of(500)  # the first request also fills the caches
    counts = {}
    for size in [30, 15, 10]:  # one, two and three chunks
        rows, counts[size] = export_with_chunks_of(size)
        # Every cluster exactly once, in order, however the reading is cut.
        assert [row["name"] for row in rows] == names, size
    # A fixed number of queries per chunk (its clusters, then one per relation), none per
    # cluster: 30, 15 and 10 clusters a chunk cost the same.
    per_chunk = counts[15] - counts[30]
    assert counts[10] - counts[15] == per_chunk, counts
    assert 1 <= per_chunk <= 15, counts
    assert counts[30] <= 20, counts


def test_spreadsheet_formulas_in_names_are_written_inert(visitor):
    ClusterFactory(name="=HYPERLINK(\"http://evil.example\")", slug="formula")
    row = csv_rows(visitor.get("/clusters/export.csv"))[0]
    assert row["name"] == "'=HYPERLINK(\"http://evil.example\")"


def test_list_items_and_cells_after_blanks_are_written_inert_one_by_one(visitor):
    """"Text to columns" splits a list at "; ", and some spreadsheets trim leading blanks."""
    cluster = ClusterFactory(name=" =1+1 Cluster", slug="blanks", other_label="\n@SUM(A1)")
    for name in ["Safe Player", "=cmd|' /C calc'!A0", " +34 600", "'=already quoted"]:
        MajorPlayerFactory(cluster=cluster, name=name)
    [row] = csv_rows(visitor.get("/clusters/export.csv"))
    assert row["name"] == "' =1+1 Cluster"
    assert row["other_label"] == "'\n@SUM(A1)"
    assert row["major_players"] == (
        "Safe Player; '=cmd|' /C calc'!A0; ' +34 600; ''=already quoted"
    )


def test_directory_links_to_its_results_as_files(visitor):
    grid = SectoralIndustryFactory(name="Grid Industry")
    ClusterFactory(name="Grid Cluster", country="HU", sectoral_industries=[grid])
    response = visitor.get("/clusters/?country=HU")
    assert "Download these results" in response.text
    assert 'href="/clusters/export.csv?country=HU"' in response.text
    assert 'href="/clusters/export.json?country=HU"' in response.text


def test_every_cell_a_spreadsheet_would_run_is_written_with_a_leading_quote(visitor):
    names = {
        "plus": "+34 Cluster",
        "minus": "-1 Cluster",
        "at": "@SUM(A1) Cluster",
        "tab": "\tTabbed Cluster",
        "equals": "=1+1 Cluster",
        "inside": "Cluster A=B+C-D@E",  # only a cell's first character makes a formula
    }
    for slug, name in names.items():
        ClusterFactory(name=name, slug=slug)
    written = {row["slug"]: row["name"] for row in csv_rows(visitor.get("/clusters/export.csv"))}
    assert written == {
        "plus": "'+34 Cluster",
        "minus": "'-1 Cluster",
        "at": "'@SUM(A1) Cluster",
        "tab": "'\tTabbed Cluster",
        "equals": "'=1+1 Cluster",
        "inside": "Cluster A=B+C-D@E",
    }
