"""Staff see how complete their profile is; editors sort by it; parts date the profile too."""

import datetime

import pytest
from django.utils import timezone

from cooperation.models import Scope
from profiles.models import Cluster, SectoralIndustry, SupportService
from tests.factories import (
    ClusterFactory,
    CompositionFactory,
    ContactFactory,
    FullClusterFactory,
    FundedProgrammeFactory,
    MajorPlayerFactory,
    PartnerClusterFactory,
    TargetCountryFactory,
    UndertakenActivityFactory,
)
from tests.forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db


def change_url(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/change/"


def test_staff_see_the_score_and_the_empty_sections(staff_a_client, cluster_a):
    page = staff_a_client.get(change_url(cluster_a)).text
    assert "Completeness: 17 %." in page
    assert ("Still empty on the public profile: Sectoral and industrial focus, Composition of "
            "the cluster, Cluster strategy, Cooperation activities, Support programmes.") in page

    data = form_data(page, "cluster_form")
    add_inline_row(data, "target_countries", scope=Scope.INTERNATIONAL, country="KR")
    staff_a_client.post(change_url(cluster_a), data)

    page = staff_a_client.get(change_url(cluster_a)).text
    assert "Completeness: 33 %." in page
    assert "Cooperation activities," not in page.split("Still empty")[1].split("</p>")[0]


def _with_only(section):
    """A cluster with only `section` (besides the always-filled general one) filled."""
    cluster = ClusterFactory()
    if section == "sectors":
        cluster.sectoral_industries.add(SectoralIndustry.objects.first())
    elif section == "sectors-text":
        cluster.specialisation_other = "Tourism"
    elif section == "composition":
        CompositionFactory(cluster=cluster, total_members=None, sme_members=None,
                           large_company_members=None, research_members=None,
                           other_members=3, entrepreneurship_facilities="")
    elif section == "composition-empty":
        CompositionFactory(cluster=cluster, total_members=None, sme_members=None,
                           large_company_members=None, research_members=None,
                           other_members=None, entrepreneurship_facilities="")
    elif section == "major-players":
        MajorPlayerFactory(cluster=cluster)
    elif section == "strategy":
        cluster.has_formal_strategy = "yes"
    elif section == "support-services":
        cluster.support_services.add(SupportService.objects.first())
    elif section == "cooperation":
        UndertakenActivityFactory(cluster=cluster)
    elif section == "partners":
        PartnerClusterFactory(cluster=cluster)
    elif section == "programmes":
        FundedProgrammeFactory(cluster=cluster)
    elif section == "why-choose-us":
        cluster.why_choose_us = "<p>Critical mass.</p>"
    cluster.save()
    return cluster


FILLS = {
    "nothing": None,
    "sectors": "sectors",
    "sectors-text": "sectors",
    "composition": "composition",
    "composition-empty": None,  # saved by the admin's inline with every field left empty
    "major-players": "composition",
    "strategy": "strategy",
    "support-services": "strategy",
    "cooperation": "cooperation",
    "partners": "cooperation",
    "programmes": "programmes",
    "why-choose-us": "programmes",
}


@pytest.mark.parametrize("section", FILLS)
def test_each_fact_fills_its_own_tab_for_the_profile_and_the_changelist(section):
    cluster = _with_only(section)
    expected = ["general"] + ([FILLS[section]] if FILLS[section] else [])

    profile = Cluster.objects.with_profile().get(pk=cluster.pk)
    assert [slug for slug, _title in profile.filled_sections()] == expected
    fresh = Cluster.objects.get(pk=cluster.pk)  # no annotations: asks the database
    assert [slug for slug, _title in fresh.filled_sections()] == expected
    annotated = Cluster.objects.with_completeness().get(pk=cluster.pk)
    assert annotated.filled_section_count == len(expected)
    assert Cluster.completeness_of(len(expected)) == profile.completeness()[0]


def test_being_named_as_a_partner_fills_nothing_on_the_named_profile(visitor):
    named = ClusterFactory(name="Named Cluster")
    PartnerClusterFactory(cluster=ClusterFactory(), partner=named)
    assert [slug for slug, _title in named.filled_sections()] == ["general"]
    assert visitor.get(f"/clusters/{named.slug}/cooperation/").status_code == 404
    annotated = Cluster.objects.with_completeness().get(pk=named.pk)
    assert annotated.filled_section_count == 1


def test_a_full_profile_is_complete():
    cluster = FullClusterFactory(sectoral_industries=[SectoralIndustry.objects.first()])
    CompositionFactory(cluster=cluster)
    TargetCountryFactory(cluster=cluster)
    FundedProgrammeFactory(cluster=cluster)
    annotated = Cluster.objects.with_completeness().get(pk=cluster.pk)
    assert annotated.filled_section_count == 6
    assert cluster.completeness() == (100, [])


def test_editors_sort_the_changelist_by_completeness(portal_editor_client):
    empty = ClusterFactory(name="Empty Cluster")
    half = _with_only("cooperation")
    full = FullClusterFactory(name="Full Cluster",
                              sectoral_industries=[SectoralIndustry.objects.first()])
    CompositionFactory(cluster=full)
    TargetCountryFactory(cluster=full)
    FundedProgrammeFactory(cluster=full)

    changelist = portal_editor_client.get("/admin/profiles/cluster/")
    column = changelist.context["cl"].list_display.index("completeness")
    ascending = portal_editor_client.get(f"/admin/profiles/cluster/?o={column}")
    descending = portal_editor_client.get(f"/admin/profiles/cluster/?o=-{column}")

    assert list(ascending.context["cl"].result_list)[0] == empty
    assert list(descending.context["cl"].result_list) == [full, half, empty]
    assert "100 %" in descending.text and "17 %" in descending.text


# --- "Last updated" ------------------------------------------------------------------------


def _make_old(cluster):
    old = timezone.now() - datetime.timedelta(days=30)
    Cluster.objects.filter(pk=cluster.pk).update(updated=old)
    return old


@pytest.mark.parametrize("change", ["add", "edit", "delete"])
def test_a_change_to_a_part_in_the_admin_moves_the_last_updated_date(
    change, editor_client, client
):
    cluster = ClusterFactory()
    ContactFactory(cluster=cluster, role="Cluster Manager")
    page = client.get(cluster.get_absolute_url()).text  # cached for visitors from now on
    old = _make_old(cluster)
    data = form_data(editor_client.get(change_url(cluster)).text)
    if change == "add":
        add_inline_row(data, "major_players", name="Endesa", position="1")
    elif change == "edit":
        data["contacts-0-role"] = "Project Manager"
    else:
        data["contacts-0-DELETE"] = "on"
    assert editor_client.post(change_url(cluster), data).status_code == 302

    cluster.refresh_from_db()
    assert cluster.updated > old
    page = client.get(cluster.get_absolute_url()).text
    assert f'<time datetime="{timezone.localtime(cluster.updated).isoformat()}' in page
    assert ("Project Manager" in page) == (change == "edit")


def test_an_inline_change_in_the_admin_dates_the_public_profile(staff_a_client, cluster_a, client):
    cluster_a.status = Cluster.Status.PUBLISHED
    cluster_a.save()
    ContactFactory(cluster=cluster_a)
    old = _make_old(cluster_a)
    data = form_data(staff_a_client.get(change_url(cluster_a)).text, "cluster_form")
    data["contacts-0-role"] = "Project Manager"
    staff_a_client.post(change_url(cluster_a), data)

    cluster_a.refresh_from_db()
    assert cluster_a.updated > old
    page = client.get(cluster_a.get_absolute_url()).text
    assert f'<time datetime="{timezone.localtime(cluster_a.updated).isoformat()}' in page
