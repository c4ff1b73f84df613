"""An editor edits a cluster on the one admin form and sees the result on the public profile."""

import re

import pytest

from cooperation.models import Scope
from profiles.models import Cluster, SectoralIndustry
from tests.factories import (
    ClusterFactory,
    CompositionFactory,
    ContactFactory,
    FundedProgrammeFactory,
)
from tests.forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/profiles/cluster/add/"


def change_url(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/change/"


def new_cluster_form(client, **fields):
    data = form_data(client.get(ADD_URL).text, "cluster_form")
    data.update(name="Maritime Cluster of Brittany", slug="maritime-brittany", country="FR",
                status="published")
    data.update(fields)
    return data


def test_change_form_is_laid_out_like_the_public_tabs(editor_client):
    html = editor_client.get(ADD_URL).text
    headings = [" ".join(h.split()) for h in re.findall(r"<h2[^>]*>([^<]*)</h2>", html)]
    # Tab headings in tab order, each followed by the inlines that fill that tab.
    assert headings == [
        "General information",
        "Management team contacts",
        "Sectoral and industrial focus",
        "Composition of the cluster",
        "Membership figures",
        "Major players",
        "Cluster strategy",
        "Cooperation activities",
        "Target countries",
        "Cooperation activities undertaken",
        "Partner clusters",
        "Support programmes",
        "Funded support programmes",
        "Publication",
    ]


def test_editor_adds_cluster_with_inlines_and_visitor_reads_it(editor_client, client):
    sector = SectoralIndustry.objects.get(slug="construction-products-and-services")
    partner = ClusterFactory(name="Canarias Excelencia Tecnológica")
    data = new_cluster_form(editor_client, sectoral_industries=[str(sector.pk)])
    add_inline_row(data, "contacts", role="Cluster Manager", phone_numbers="+34600958325",
                   public_consent="on", position="0")
    add_inline_row(data, "composition", total_members="175", sme_members="120",
                   large_company_members="", research_members="", other_members="",
                   entrepreneurship_facilities="")
    add_inline_row(data, "major_players", name="Port of Brest", link="https://port.example.org/",
                   position="0")
    add_inline_row(data, "target_countries", scope=Scope.INTERNATIONAL, country="KR")
    add_inline_row(data, "partners", name=partner.name, country="ES", link="",
                   partner=str(partner.pk), position="0")
    add_inline_row(data, "programmes", scope="european", name="TURBO_SUDOE", description="",
                   link="", funding_body="Interreg SUDOE", role="associated", start_date="",
                   end_date="", status="running", position="0")

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    cluster = Cluster.objects.get(slug="maritime-brittany")
    assert cluster.contacts.count() == 1
    general = client.get("/clusters/maritime-brittany/").text
    assert "Maritime Cluster of Brittany" in general
    assert "+34 600 95 83 25" in general
    assert "Construction Products and Services" in client.get(
        "/clusters/maritime-brittany/sectors/"
    ).text
    composition = client.get("/clusters/maritime-brittany/composition/").text
    assert "175" in composition and "Port of Brest" in composition
    cooperation = client.get("/clusters/maritime-brittany/cooperation/").text
    assert "South Korea" in cooperation
    assert f'href="/clusters/{partner.slug}/"' in cooperation
    assert "TURBO_SUDOE" in client.get("/clusters/maritime-brittany/programmes/").text


def test_editor_changes_a_fact_and_the_public_page_shows_it(editor_client, client):
    cluster = ClusterFactory(name="Smart City Cluster", other_label="")
    ContactFactory(cluster=cluster, role="Project Manager", phone_numbers="+34639662519")
    data = form_data(editor_client.get(change_url(cluster)).text, "cluster_form")
    data["other_label"] = "Agrupación Empresarial Innovadora (AEI)"
    data["contacts-0-phone_numbers"] = "+34 639662519\n+34623195170"

    response = editor_client.post(change_url(cluster), data)

    assert response.status_code == 302
    page = client.get(f"/clusters/{cluster.slug}/").text
    assert "Agrupación Empresarial Innovadora (AEI)" in page
    assert "+34 639 66 25 19" in page and "+34 623 19 51 70" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"composition-0-total_members": "-5"}, "greater than or equal to 0"),
        ({"composition-0-sme_members": "500"}, "add up to 545, more than the total of 175"),
        ({"contacts-0-phone_numbers": "600 95"}, "which is not a valid number"),
        ({"website": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"programmes-0-end_date": "2014-01-01"}, "cannot end before it starts"),
        ({"excellence_label_expires": "2000-01-01"}, "cannot expire before it was awarded"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(editor_client, change, message):
    cluster = ClusterFactory(name="Smart City Cluster", excellence_label_awarded="2020-01-01")
    CompositionFactory(cluster=cluster, total_members=175)
    ContactFactory(cluster=cluster, phone_numbers="+34600958325")
    FundedProgrammeFactory(cluster=cluster)
    cluster.refresh_from_db()  # adding the parts above moved "last updated"
    before = cluster.updated
    data = form_data(editor_client.get(change_url(cluster)).text, "cluster_form")
    data["name"] = "Renamed Cluster"
    data.update(change)

    response = editor_client.post(change_url(cluster), data)

    assert response.status_code == 200
    assert message in response.text
    cluster.refresh_from_db()
    assert cluster.name == "Smart City Cluster"
    assert cluster.updated == before
    assert cluster.composition.total_members == 175


def test_rich_text_is_sanitised_on_save(editor_client, client):
    cluster = ClusterFactory()
    data = form_data(editor_client.get(change_url(cluster)).text, "cluster_form")
    data["strategy"] = '<p onclick="steal()">Our goals</p><script>alert(1)</script>'
    editor_client.post(change_url(cluster), data)

    cluster.refresh_from_db()
    assert cluster.strategy == "<p>Our goals</p>"
    page = client.get(f"/clusters/{cluster.slug}/strategy/").text
    assert "<p>Our goals</p>" in page and "alert(1)" not in page


def test_changelist_lists_clusters_with_status_and_search(editor_client):
    ClusterFactory(name="Smart City Cluster")
    ClusterFactory(name="Maritime Cluster", draft=True)
    response = editor_client.get("/admin/profiles/cluster/?q=maritime")
    assert response.status_code == 200
    assert "Maritime Cluster" in response.text and "Smart City Cluster" not in response.text
    assert "Draft" in response.text
