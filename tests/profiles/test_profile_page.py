import pytest
from django.test import Client

from tests.factories import (
    ClusterFactory,
    CompositionFactory,
    ContactFactory,
    FullClusterFactory,
    FundedProgrammeFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
    full_profile,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

TABS = ["", "sectors/", "composition/", "strategy/", "cooperation/", "programmes/"]


def test_a_cluster_with_only_its_name_shows_no_empty_labels_and_one_tab(visitor):
    cluster = ClusterFactory(name="Bare Cluster", region="", city="")
    page = visitor.get(f"/clusters/{cluster.slug}/").content.decode()
    assert "Bare Cluster" in page
    for label in ["Date established", "Other label", "Languages spoken", "Staff in the",
                  "Cluster Excellence Label", "management team", "<dt>", "<dl"]:
        assert label not in page
    for tab in TABS[1:]:
        assert f"/clusters/{cluster.slug}/{tab}" not in page
        assert visitor.get(f"/clusters/{cluster.slug}/{tab}").status_code == 404


def test_tabs_are_links_in_a_labelled_nav_with_the_current_one_marked(visitor):
    cluster = FullClusterFactory(sectoral_industries=[SectoralIndustryFactory()])
    CompositionFactory(cluster=cluster)
    PartnerClusterFactory(cluster=cluster)
    FundedProgrammeFactory(cluster=cluster)
    for tab in TABS:
        page = visitor.get(f"/clusters/{cluster.slug}/{tab}").content.decode()
        assert '<nav aria-label="Profile sections"' in page
        current = f'href="/clusters/{cluster.slug}/{tab}" aria-current="page"'
        assert current in page
        assert page.count('aria-current="page"') == 2  # the tab and the breadcrumb


def test_every_profile_page_shows_its_own_cluster(visitor, editor):
    """Visited in turn, again and again (and cached), each page shows its own cluster."""
    clusters = []
    for name, contact in [("Alpha Cluster", "Ana Alpha"), ("Beta Cluster", "Bruno Beta")]:
        cluster = FullClusterFactory(name=name, sectoral_industries=[SectoralIndustryFactory()])
        ContactFactory(cluster=cluster, name=contact)
        clusters.append((cluster, name, contact))
    for _round in range(2):
        for cluster, name, contact in clusters:
            for tab in ["", "sectors/", "print/", "profile.json"]:
                page = visitor.get(f"/clusters/{cluster.slug}/{tab}").content.decode()
                assert name in page, tab
                assert ("Beta" in page) == (name == "Beta Cluster"), tab
            assert contact in visitor.get(f"/clusters/{cluster.slug}/").content.decode()
    editors_browser = Client()
    editors_browser.force_login(editor)
    change_url = f"/admin/profiles/cluster/{cluster.pk}/change/"
    data = form_data(editors_browser.get(change_url).text, "cluster_form")
    editors_browser.post(change_url, {**data, "_retire": "on"})
    assert visitor.get(f"/clusters/{cluster.slug}/").status_code == 404
    assert visitor.get(f"/clusters/{clusters[0][0].slug}/").status_code == 200


def test_breadcrumbs_lead_home_and_to_the_directory(visitor):
    cluster = ClusterFactory(name="Smart City Cluster")
    page = visitor.get(f"/clusters/{cluster.slug}/").content.decode()
    assert '<nav aria-label="Breadcrumb">' in page
    assert 'href="/">Home</a>' in page
    assert 'href="/clusters/">Cluster organisations</a>' in page


@pytest.mark.parametrize("trait", ["draft", "retired"])
def test_draft_and_retired_profiles_answer_404_to_visitors(visitor, trait):
    cluster = ClusterFactory(**{trait: True})
    for url in [f"/clusters/{cluster.slug}/", f"/clusters/{cluster.slug}/print/"]:
        response = visitor.get(url)
        assert response.status_code == 404
        assert cluster.name not in response.content.decode()


def test_unknown_profile_answers_a_proper_404_page(visitor):
    response = visitor.get("/clusters/no-such-cluster/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'href="/clusters/"' in response.content.decode()


def test_partner_is_linked_only_when_its_profile_is_public(visitor):
    cluster = ClusterFactory()
    public = ClusterFactory(name="Public Partner")
    draft = ClusterFactory(name="Draft Partner", draft=True)
    PartnerClusterFactory(cluster=cluster, name="Public Partner", partner=public)
    PartnerClusterFactory(cluster=cluster, name="Draft Partner", partner=draft,
                          link="https://draft.example.org/")
    page = visitor.get(f"/clusters/{cluster.slug}/cooperation/").content.decode()
    assert f'<a href="/clusters/{public.slug}/">Public Partner</a>' in page
    assert f"/clusters/{draft.slug}/" not in page
    assert 'href="https://draft.example.org/"' in page


def test_contact_numbers_are_printed_in_one_international_format(visitor):
    cluster = ClusterFactory()
    ContactFactory(cluster=cluster, role="Project Manager",
                   phone_numbers="+34639662519\n+34623195170")
    page = visitor.get(f"/clusters/{cluster.slug}/").content.decode()
    assert 'href="tel:+34639662519">+34 639 66 25 19</a>' in page
    assert "+34 623 19 51 70" in page


def test_print_view_has_every_filled_section_and_no_navigation(visitor):
    cluster = FullClusterFactory(sectoral_industries=[SectoralIndustryFactory(name="Textiles X")])
    CompositionFactory(cluster=cluster, total_members=175)
    PartnerClusterFactory(cluster=cluster, name="Partner A")
    FundedProgrammeFactory(cluster=cluster, name="TURBO_SUDOE")
    page = visitor.get(f"/clusters/{cluster.slug}/print/").content.decode()
    assert "<nav" not in page
    for text in ["General information", "Textiles X", "175", "Cluster strategy", "Partner A",
                 "TURBO_SUDOE", f"http://testserver/clusters/{cluster.slug}/", "Last updated",
                 f'href="/clusters/{cluster.slug}/">Back to the profile of', "Print this page"]:
        assert text in page
    # Dated by the profile's last change, never by the day a cached copy was made.
    assert "Printed on" not in page
    assert 'href="/static/css/print.css"' in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_link_to_a_profile_page_is_the_address_django_reverses(visitor, language):
    from django.urls import reverse
    from django.utils import translation

    cluster = full_profile()  # every tab filled: every link leads to a page
    with translation.override(language):
        urls = cluster.page_urls()
        expected = {
            "general": reverse("profiles:cluster-detail", args=[cluster.slug]),
            "print": reverse("profiles:cluster-print", args=[cluster.slug]),
            "pdf": reverse("opendata:cluster-pdf", args=[cluster.slug]),
            "json": reverse("opendata:cluster-json", args=[cluster.slug]),
        }
        for section, _title in cluster.SECTIONS[1:]:
            expected[section] = reverse("profiles:cluster-section", args=[cluster.slug, section])
    assert urls == expected
    for url in urls.values():
        assert visitor.get(url).status_code == 200, url
    # Served under a path prefix (SCRIPT_NAME), the links carry it too.
    from django.urls import get_script_prefix, set_script_prefix

    served_at = get_script_prefix()
    set_script_prefix("/portal/")
    try:
        with translation.override(language):
            assert cluster.get_absolute_url() == reverse(
                "profiles:cluster-detail", args=[cluster.slug]
            )
            assert cluster.get_absolute_url().startswith("/portal/")
    finally:
        set_script_prefix(served_at)


def test_profile_links_to_its_printer_friendly_version(visitor):
    cluster = ClusterFactory()
    page = visitor.get(f"/clusters/{cluster.slug}/").content.decode()
    assert f'<a href="/clusters/{cluster.slug}/print/">Printer-friendly version</a>' in page


def test_home_lists_recently_updated_published_clusters(visitor):
    ClusterFactory(name="Published Cluster")
    ClusterFactory(name="Hidden Draft", draft=True)
    page = visitor.get("/").content.decode()
    assert "Published Cluster" in page and "Hidden Draft" not in page
    assert 'href="/clusters/"' in page
