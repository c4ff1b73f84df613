"""The API's documentation page in a real browser, under the portal's strict policy."""

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_page_works_under_the_strict_policy(page, reference_cluster, artefacts):
    page.goto("/")
    page.get_by_role("link", name="Open data API").click()
    expect(page).to_have_title("Cluster Portal open data API")
    search = page.locator("#operations-clusters-api_v1_clusters")
    expect(search).to_be_visible()

    # "Try it out" sends a real request from the page: connect-src 'self' allows it.
    search.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    # The answer the page received, not the documented example above it (both hold "count").
    body = search.locator(".live-responses-table .response-col_description .microlight").first
    expect(body).to_contain_text('"count"')
    slugs = [result["slug"] for result in json.loads(body.inner_text())["results"]]
    assert reference_cluster.slug in slugs
    page.screenshot(path=artefacts / "api-docs.png")
    assert page.csp_refusals == []
