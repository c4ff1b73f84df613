"""/api/v1/statistics: the numbers of the directory's statistics page for the same query
string, and a clear 400 for a bad parameter."""

import re

import pytest

from tests.directory.test_map_and_statistics import (
    CHART_FACETS,
    QUERIES,
    catalogue,
    csv_counts,
)

pytestmark = pytest.mark.django_db

__all__ = ["catalogue"]  # the fixture, shared with the page's tests



@pytest.mark.parametrize("query", QUERIES)
def test_the_statistics_are_the_pages_and_its_tables(visitor, catalogue, query):
    response = visitor.get(f"/api/v1/statistics?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    tables = {table["facet"]: table for table in body["tables"]}
    assert list(tables) == CHART_FACETS
    for facet in CHART_FACETS:
        counts = {row["label"]: row["count"] for row in tables[facet]["rows"]}
        assert counts == csv_counts(visitor, facet, query), facet
    page = re.sub(r"\s+", " ", visitor.get(f"/clusters/statistics/?{query}").text)
    assert f"{body['count']} cluster organisation" in page
    members = body["members"]
    assert f"Members in total</dt> <dd>{members['members']} " in page
    assert f"SME members</dt> <dd>{members['smes']} " in page


def test_each_row_links_to_its_clusters_in_the_api(visitor, catalogue):
    body = visitor.get("/api/v1/statistics?sector=energy").json()
    assert body["statistics_url"].endswith("/clusters/statistics/?sector=energy")
    spain = next(row for row in body["tables"][0]["rows"] if row["value"] == "ES")
    assert spain["labels"]["es"] == "España"
    clusters = visitor.get(spain["clusters_url"]).json()
    assert clusters["count"] == spain["count"] == 3
    established = next(table for table in body["tables"] if table["facet"] == "established")
    assert [row["label"] for row in established["rows"]][0] == "Before 1990"


def test_a_bad_parameter_gets_a_problem(visitor, catalogue):
    response = visitor.get("/api/v1/statistics?page=2&country=XX")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert {error["parameter"] for error in response.json()["errors"]} == {"page"}
    response = visitor.get("/api/v1/statistics?country=XX")
    assert response.status_code == 400
    assert "country" in response.json()["errors"][0]["parameter"]
